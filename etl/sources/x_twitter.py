"""X (Twitter) exports: account analytics (content and overview) and the
legacy tweet-activity export.

What lands where (``etl/sources/social.py`` holds the contract):

- **Content file** (``account_analytics_content_<from>_<to>.csv``, both
  header spellings) and **tweet activity** (until about 2023) become post
  snapshots (``raw.social_post_snapshots``), one per post and export:

  ============== ===================================================
  column         X's count
  ============== ===================================================
  impressions    times the post was seen (``Impressions``)
  reactions      ``Likes`` (``likes``/``favorites`` in tweet activity)
  comments       ``Replies``
  shares         ``Reposts`` (``retweets``): the post re-published to
                 the reposter's followers. X's ``Share`` column counts
                 shares *via* DM, copy link or another app: it is kept in
                 ``extra`` as ``share_via``, not added to ``shares``, so
                 ``shares`` means the same on X as on Facebook.
  saves          ``Bookmarks``
  link_clicks    ``Url clicks`` (clicks on a link in the post)
  ============== ===================================================

  Everything else (``Engagements``, ``New follows``, ``Profile visits``,
  ``Detail expands``, ``Hashtag clicks``, ``Permalink clicks``, the
  promoted columns) goes to ``extra`` under snake_case keys that are the
  same for both spellings, so one post read from either file hashes alike.

  The content file's ``Date`` has no time: ``published_at`` is that date at
  00:00 Asia/Karachi (the ``social.naive_timezone`` setting). Tweet
  activity's ``time`` carries ``+0000`` and is taken as it says.

  The snapshot time is the end of the period in the file name
  (``_20241114_20250212``: 13 Feb 2025 00:00 Asia/Karachi), capped at the
  load's clock; without a period in the name it is the load's clock.
  The account is the handle in the post links
  (``https://x.com/<handle>/status/...``), else ``--account``, else
  ``social.default_account`` in the settings.

- **Overview file** (``account_overview_analytics*.csv``), one row a day,
  becomes daily account metrics (``raw.social_account_daily``):
  impressions, likes, engagements, new_followers (``New follows``),
  unfollows, comments (``Replies``), shares (``Reposts``), profile_visits
  and video_views. ``Bookmarks``, ``Shares`` (share-via), ``Create Post``
  and ``Media views`` have no daily metric and are not stored. A file
  whose dates Excel rewrote as ``DD-MM-YYYY`` is read when the file itself
  settles day-first or month-first (``excel_date_format``), else rejected.

The helpers in the second half of this module are shared with the YouTube
and TikTok loaders.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.sql import quote_literal
from etl.gx_import import gx
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared, Source
from etl.sources.common import text_sql
from etl.sources.platform_exports import (
    account_for,
    daily_date_sql,
    daily_metrics,
    extra_sql,
    find_columns,
    finish_posts,
    folded_headers,
    naive_time_sql,
    naive_timezone,
    not_stored_note,
    reject_damaged_dates,
    reject_damaged_publish_times,
    require_headers,
    snapshot_for,
)
from etl.sources.social import prepare_daily, prepare_posts
from etl.validate import Check

PLATFORM = "X"
# X's date-only forms: "Mon Feb 10 2025" and "Thu, Apr 23, 2026"; ISO for safety.
DATE_FORMATS: tuple[str, ...] = ("%a %b %d %Y", "%a, %b %d, %Y", "%Y-%m-%d")
DATE_FORM_SHOWN = "'Mon Feb 10 2025' or 'Thu, Apr 23, 2026'"
LEGACY_TIME_FORMATS: tuple[str, ...] = ("%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %z")

# Canonical post column -> the vendor's spellings (matched case- and
# punctuation-insensitively, never on the canonical name itself).
CONTENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "post_id": ("Post id",),
    "published_at": ("Date",),
    "post_text": ("Post text",),
    "permalink": ("Link", "Post Link"),
    "impressions": ("Impressions",),
    "reactions": ("Likes",),
    "comments": ("Replies",),
    "shares": ("Reposts",),
    "saves": ("Bookmarks",),
    "link_clicks": ("Url clicks", "URL Clicks"),
}
CONTENT_EXTRAS: dict[str, tuple[str, ...]] = {
    "engagements": ("Engagements",),
    "share_via": ("Share", "Shares"),
    "new_follows": ("New follows",),
    "profile_visits": ("Profile visits",),
    "detail_expands": ("Detail expands",),
    "hashtag_clicks": ("Hashtag clicks",),
    "permalink_clicks": ("Permalink clicks",),
}
LEGACY_COLUMNS: dict[str, tuple[str, ...]] = {
    "post_id": ("Tweet id",),
    "permalink": ("Tweet permalink",),
    "post_text": ("Tweet text",),
    "published_at": ("time",),
    "impressions": ("impressions",),
    "reactions": ("likes", "favorites"),
    "comments": ("replies",),
    "shares": ("retweets",),
    "link_clicks": ("url clicks",),
}
_LEGACY_OTHER: dict[str, tuple[str, ...]] = {
    "engagements": ("engagements",),
    "engagement_rate": ("engagement rate",),
    "profile_visits": ("user profile clicks",),
    "hashtag_clicks": ("hashtag clicks",),
    "detail_expands": ("detail expands",),
    "permalink_clicks": ("permalink clicks",),
    "app_opens": ("app opens",),
    "app_installs": ("app installs",),
    "new_follows": ("follows",),
    "email_tweet": ("email tweet",),
    "dial_phone": ("dial phone",),
    "media_views": ("media views",),
    "media_engagements": ("media engagements",),
}
_PROMOTED_COUNTS: dict[str, tuple[str, ...]] = {
    "impressions": ("impressions",),
    "reposts": ("retweets",),
    "replies": ("replies",),
    "likes": ("likes", "favorites"),
    "link_clicks": ("url clicks",),
}
LEGACY_EXTRAS: dict[str, tuple[str, ...]] = {
    **_LEGACY_OTHER,
    **{
        f"promoted_{key}": tuple(f"promoted {name}" for name in names)
        for key, names in {**_PROMOTED_COUNTS, **_LEGACY_OTHER}.items()
    },
}
OVERVIEW_METRICS: dict[str, tuple[str, ...]] = {
    "impressions": ("Impressions",),
    "likes": ("Likes",),
    "engagements": ("Engagements",),
    "new_followers": ("New follows",),
    "unfollows": ("Unfollows",),
    "comments": ("Replies",),
    "shares": ("Reposts",),
    "profile_visits": ("Profile visits",),
    "video_views": ("Video views",),
}
_HANDLE = r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/([A-Za-z0-9_]{1,15})/status/"


class XContent:
    """X account analytics, content file: one row per post, lifetime counts."""

    kind = "X post analytics"
    source = "x_content"

    def matches(self, table: RawTable) -> bool:
        headers = folded_headers(table)
        return {"post id", "date", "impressions"} <= headers and bool(
            headers & {"reposts", "replies"}
        )

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        found = find_columns(table.headers, CONTENT_COLUMNS)
        require_headers(table, found, {"post_id": "Post id", "published_at": "Date"})
        published = naive_time_sql(
            text_sql(found["published_at"]), naive_timezone(context), DATE_FORMATS
        )
        notes = [
            "X gives the publish date without a time: published_at is that date at 00:00 "
            f"{naive_timezone(context)}"
        ]
        return _prepare_x_posts(
            table, context, found, CONTENT_EXTRAS, published, self.source, notes, DATE_FORM_SHOWN
        )


class XTweetActivity:
    """The legacy tweet-activity export: every field quoted, 40 columns."""

    kind = "X tweet activity (legacy)"
    source = "x_tweet_activity"

    def matches(self, table: RawTable) -> bool:
        return {"tweet id", "tweet permalink", "time", "impressions"} <= folded_headers(table)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        found = find_columns(table.headers, LEGACY_COLUMNS)
        require_headers(table, found, {"post_id": "Tweet id", "published_at": "time"})
        formats = ", ".join(quote_literal(f) for f in LEGACY_TIME_FORMATS)
        published = f"try_strptime({text_sql(found['published_at'])}, [{formats}])"
        return _prepare_x_posts(
            table,
            context,
            found,
            LEGACY_EXTRAS,
            published,
            self.source,
            [],
            "2020-02-10 18:00 +0000",
        )


def _prepare_x_posts(
    table: RawTable,
    context: LoadContext,
    found: dict[str, str],
    extra_aliases: Mapping[str, tuple[str, ...]],
    published_sql: str,
    source: str,
    notes: list[str],
    date_form: str,
) -> Prepared:
    extras = find_columns(table.headers, extra_aliases, taken=found.values())
    others = [h for h in table.headers if h not in {*found.values(), *extras.values()}]
    snapshot_at, snapshot_note = snapshot_for(table, context)
    permalink = text_sql(found.get("permalink"))
    exprs = {column: text_sql(found.get(column)) for column in CONTENT_COLUMNS}
    exprs.update(
        platform=quote_literal(PLATFORM),
        account=f"nullif(regexp_extract({permalink}, {quote_literal(_HANDLE)}, 1), '')",
        published_at=published_sql,
        published_at__text=text_sql(found["published_at"]),
        extra=extra_sql(extras, others),
    )
    prepared = prepare_posts(
        table,
        exprs,
        context,
        source=source,
        snapshot_at=snapshot_at,
        unmatched=others,
        notes=[*notes, snapshot_note],
    )
    handles = sorted(prepared.frame["account"].dropna().unique())
    if handles:
        prepared.notes.append(f"account taken from the post links: {', '.join(handles)}")
    finish_posts(prepared, table, context, extras)
    prepared.checks.append(
        Check(
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="post_id", regex=r"^[0-9]{1,20}$"
            ),
            lambda r: (
                f"post id '{r['post_id']}' is not an X post id (digits only); if Excel "
                "rounded it, download the export again"
            ),
        )
    )
    reject_damaged_publish_times(table, prepared.frame, found["published_at"], date_form)
    return prepared


class XOverview:
    """X account analytics, overview file: one row per day."""

    kind = "X account overview"
    source = "x_overview"

    def matches(self, table: RawTable) -> bool:
        headers = folded_headers(table)
        return {"date", "impressions", "new follows", "unfollows"} <= headers and (
            "post id" not in headers
        )

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        date_header = find_columns(table.headers, {"date": ("Date",)})["date"]
        metrics = find_columns(table.headers, OVERVIEW_METRICS, taken=[date_header])
        ignored = [h for h in table.headers if h not in {date_header, *metrics.values()}]
        date_sql, params, notes = daily_date_sql(table, date_header, DATE_FORMATS)
        frame = daily_metrics(
            table,
            date_header=date_header,
            date_sql=date_sql,
            metrics=metrics,
            platform=PLATFORM,
            account=account_for(context),
            params=params,
        )
        reject_damaged_dates(table, frame, DATE_FORM_SHOWN, date_header)
        notes += not_stored_note(ignored)
        return prepare_daily(frame, context, source=self.source, unmatched=ignored, notes=notes)


SOURCES: list[Source] = [XContent(), XTweetActivity(), XOverview()]
