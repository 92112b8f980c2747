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

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import great_expectations as gx
import pandas as pd

from etl.errors import FileRejected
from etl.readers import REDOWNLOAD, RawTable
from etl.sources.base import LoadContext, Prepared, Source
from etl.sources.common import quote_ident, reject_damaged_timestamps, text_sql
from etl.sources.social import number_sql, placeholder_free_sql, prepare_daily, prepare_posts
from etl.validate import Check
from etl.vocab import fold

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
        formats = ", ".join(sql_literal(f) for f in LEGACY_TIME_FORMATS)
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
        platform=sql_literal(PLATFORM),
        account=f"nullif(regexp_extract({permalink}, {sql_literal(_HANDLE)}, 1), '')",
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


# --- Helpers shared with the YouTube and TikTok loaders -----------------
# (candidates for etl/sources/social.py, which this change does not edit)

_PERIOD = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})_(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


def sql_literal(value: str) -> str:
    """A SQL string literal for a constant of this module or a header name."""
    return "'" + value.replace("'", "''") + "'"


def folded_headers(table: RawTable) -> set[str]:
    return {fold(h) for h in table.headers}


def find_columns(
    headers: Iterable[str], aliases: Mapping[str, tuple[str, ...]], taken: Iterable[str] = ()
) -> dict[str, str]:
    """canonical key -> header in the file, matched on folded vendor names.

    Unlike ``common.match_headers`` the canonical key itself is never
    matched: X's ``Shares`` is share-via, not the canonical ``shares``.
    A header is given to one key only; ``taken`` headers to none.
    """
    by_fold: dict[str, str] = {}
    for header in headers:
        by_fold.setdefault(fold(header), header)
    used = set(taken)
    found: dict[str, str] = {}
    for key, names in aliases.items():
        for name in names:
            header = by_fold.get(fold(name))
            if header is not None and header not in used:
                found[key] = header
                used.add(header)
                break
    return found


def require_headers(table: RawTable, found: Mapping[str, str], required: Mapping[str, str]) -> None:
    """Reject the file, naming the vendor's column, when a required one is missing."""
    for key, vendor_name in required.items():
        if key not in found:
            shown = ", ".join(table.headers[:12]) + (", …" if len(table.headers) > 12 else "")
            raise FileRejected(
                table.path.name,
                f"required column {vendor_name} is missing (the header has: {shown})",
                row=table.header_row,
                column=vendor_name,
            )


def account_for(context: LoadContext) -> str:
    """``--account``, else the settings' default account."""
    return context.account or str(context.settings.social.get("default_account", "KP Police"))


def naive_timezone(context: LoadContext) -> str:
    """Where times without a zone are read (``social.naive_timezone``)."""
    return str(context.settings.social.get("naive_timezone", context.settings.timezone))


def naive_time_sql(text: str, timezone: str, formats: Iterable[str]) -> str:
    """SQL: ``text`` in one of ``formats`` (no zone) as wall-clock time in
    ``timezone``, to a UTC TIMESTAMPTZ; NULL when unreadable."""
    shown = ", ".join(sql_literal(f) for f in formats)
    return f"timezone({sql_literal(timezone)}, try_strptime({text}, [{shown}]))"


def period_in_name(name: str) -> tuple[date, date] | None:
    """The ``<from>_<to>`` dates in a file name (``20241114_20250212`` or
    ``2025-08-01_2025-10-31``), the last such pair when there are several."""
    found = None
    for match in _PERIOD.finditer(name):
        try:
            parts = [int(p) for p in match.groups()]
            found = (date(*parts[:3]), date(*parts[3:]))
        except ValueError:
            continue
    return found if found and found[0] <= found[1] else None


def snapshot_for(table: RawTable, context: LoadContext) -> tuple[datetime, str]:
    """When a post export's lifetime counts were taken, and a note saying how.

    The end of the period in the file name (midnight after ``<to>``, in the
    naive timezone), capped at the load's clock; else the load's clock. Two
    downloads of the same period get the same snapshot, so the later load
    updates the earlier one instead of adding a second snapshot.
    """
    now = context.now if context.now.tzinfo else context.now.replace(tzinfo=UTC)
    period = period_in_name(table.path.name)
    if period is None:
        return now, (
            "the file name carries no period (_YYYYMMDD_YYYYMMDD): "
            f"counts are filed as of the load, {now:%Y-%m-%d %H:%M} UTC"
        )
    zone = ZoneInfo(naive_timezone(context))
    end = datetime.combine(period[1] + timedelta(days=1), time(0), zone).astimezone(UTC)
    return min(end, now), (
        f"counts are filed as of the end of the period in the file name "
        f"({period[0]:%Y-%m-%d} to {period[1]:%Y-%m-%d})"
    )


def extra_sql(known: Mapping[str, str], others: Iterable[str] = ()) -> str:
    """SQL: JSON text of the columns kept aside.

    ``known`` (key -> header) are counts stored as numbers under their key
    (NULL for placeholders); ``others`` are columns this loader does not
    know, stored under their header as a number when they read as one,
    else as text.
    """
    items = [f"{sql_literal(key)}, {number_sql(text_sql(h))}" for key, h in known.items()]
    for header in others:
        text = text_sql(header)
        number = number_sql(text)
        items.append(
            f"{sql_literal(header)}, case when {number} is not null then to_json({number}) "
            f"else to_json({placeholder_free_sql(text)}) end"
        )
    if not items:
        return "cast(null as varchar)"
    return f"cast(json_object({', '.join(items)}) as varchar)"


def finish_posts(
    prepared: Prepared, table: RawTable, context: LoadContext, known_extras: Mapping[str, str]
) -> None:
    """Fill the default account; check that the counts kept in ``extra`` are numbers."""
    frame = prepared.frame
    frame["account"] = frame["account"].fillna(account_for(context))
    pieces = [
        f"case when {number_sql(text_sql(h))} is null and "
        f"{placeholder_free_sql(text_sql(h))} is not null then "
        f"{sql_literal(key + ' ')} || '''' || {text_sql(h)} || ''' is not a number' end"
        for key, h in known_extras.items()
    ]
    if pieces:
        unparsed = table.con.execute(
            f"select _source_row, nullif(concat_ws('; ', {', '.join(pieces)}), '') "
            f"as extra__unparsed from {table.name} order by _source_row"
        ).df()
        frame["extra__unparsed"] = frame["_source_row"].map(
            unparsed.set_index("_source_row")["extra__unparsed"]
        )
    else:
        frame["extra__unparsed"] = None
    frame["extra__unparsed"] = frame["extra__unparsed"].astype(object)
    prepared.checks.append(
        Check(
            gx.expectations.ExpectColumnValuesToBeNull(column="extra__unparsed"),
            lambda r: str(r["extra__unparsed"]),
        )
    )


def daily_metrics(
    table: RawTable,
    *,
    date_header: str,
    date_sql: str,
    metrics: Mapping[str, str],
    platform: str,
    account: str,
    params: Mapping[str, object] | None = None,
    sum_by_date: bool = False,
) -> pd.DataFrame:
    """A wide one-row-a-day file as the long frame ``prepare_daily`` takes.

    ``metrics`` maps a daily metric to its header; ``date_sql`` reads
    ``date_text`` (the trimmed date cell) into a date, NULL when it cannot.
    Placeholders (``-``, ``--``, ``NAN``) and blanks are NULL values, kept;
    any other unreadable number is NULL with its text in ``value__unparsed``.
    With ``sum_by_date`` several rows of one date are summed into one (a
    row with an unreadable number stands for its date, so the quarantine
    names it and the day's incomplete sum is held back).
    """
    if not metrics:
        raise FileRejected(
            table.path.name,
            f"none of the columns ({', '.join(table.headers)}) is a daily metric this "
            "dashboard stores",
            row=table.header_row,
        )
    columns = ", ".join(f"{text_sql(h)} as {quote_ident(m)}" for m, h in metrics.items())
    names = ", ".join(quote_ident(m) for m in metrics)
    sql = f"""
        with texts as (
            select _source_row, {text_sql(date_header)} as date_text, {columns}
            from {table.name}
        ),
        long as (
            from texts unpivot include nulls (value_text for metric in ({names}))
        ),
        parsed as (
            select _source_row, date_text, metric,
                   cast({date_sql} as date) as metric_date,
                   {number_sql("value_text")} as value,
                   case when {number_sql("value_text")} is null
                        then {placeholder_free_sql("value_text")} end as value__unparsed
            from long
        ),
        grouped as ({_SUMMED if sum_by_date else "select * from parsed"})
        select _source_row, $platform as platform, $account as account, metric_date,
               case when metric_date is null then date_text end as metric_date__unparsed,
               metric, value, value__unparsed
        from grouped
        order by _source_row, metric
    """
    bound = {"platform": platform, "account": account, **(params or {})}
    return table.con.execute(sql, bound).df()


# Several rows a day (one per video) summed into one: keyed by the date, or
# by the row when the date is unreadable (that row is quarantined alone).
_SUMMED = """
    select coalesce(min(_source_row) filter (where value__unparsed is not null),
                    min(_source_row)) as _source_row,
           any_value(date_text) as date_text, metric,
           any_value(metric_date) as metric_date,
           sum(value) as value,
           arg_min(value__unparsed, _source_row)
               filter (where value__unparsed is not null) as value__unparsed
    from parsed
    group by coalesce(cast(metric_date as varchar), 'row ' || _source_row), metric
"""


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EXCEL = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")


def excel_date_format(table: RawTable, header: str) -> tuple[str | None, str | None]:
    """(strptime format, note) when Excel rewrote the date column as
    ``DD-MM-YYYY`` (or ``/``, ``.``); ``(None, None)`` when it did not.

    Read only when the file settles the order: a first part above 12
    (``13-08-2025``) proves day first, as Excel wrote it in a day-first
    locale; a second part above 12 proves month first; when every part is
    12 or less, the order under which the rows are consecutive days wins.
    Otherwise the file is rejected: a date is never guessed.
    """
    texts = [
        value
        for (value,) in table.con.execute(
            f"select {text_sql(header)} from {table.name} order by _source_row"
        ).fetchall()
        if value is not None
    ]
    rewritten = [_EXCEL.match(t) for t in texts if not _ISO.match(t)]
    rewritten = [m for m in rewritten if m]
    if not rewritten:
        return None, None
    separator = rewritten[0].group(2)
    first = [int(m.group(1)) for m in rewritten]
    second = [int(m.group(3)) for m in rewritten]
    example = rewritten[0].group(0)
    if max(first) > 12 and max(second) > 12:
        order = None
    elif max(first) > 12:
        order = "day"
    elif max(second) > 12:
        order = "month"
    else:
        order = _consecutive_order(rewritten)
    if order is None:
        raise FileRejected(
            table.path.name,
            f"dates such as '{example}' were rewritten by Excel and could be day-month or "
            f"month-day; {REDOWNLOAD}",
            row=table.header_row + 1,
            column=header,
        )
    parts = ["%d", "%m"] if order == "day" else ["%m", "%d"]
    date_format = f"{parts[0]}{separator}{parts[1]}{separator}%Y"
    return date_format, (
        f"dates were rewritten by Excel (e.g. '{example}'): read {order} first, which the "
        "file itself settles"
    )


def _consecutive_order(matches: list[re.Match[str]]) -> str | None:
    """'day' or 'month' when exactly one reading makes the rows consecutive days."""
    if len(matches) < 2:
        return None
    readings = {}
    for order in ("day", "month"):
        try:
            days = [_reading(m, order) for m in matches]
        except ValueError:
            continue
        steps = {b - a for a, b in zip(days, days[1:], strict=False)}
        readings[order] = steps <= {timedelta(days=1)} or steps <= {timedelta(days=-1)}
    winners = [order for order, consecutive in readings.items() if consecutive]
    return winners[0] if len(winners) == 1 else None


def _reading(match: re.Match[str], order: str) -> date:
    day, month = (match.group(1), match.group(3))
    if order == "month":
        day, month = month, day
    return date(int(match.group(4)), int(month), int(day))


def daily_date_sql(
    table: RawTable, header: str, formats: Iterable[str]
) -> tuple[str, dict[str, object], list[str]]:
    """(SQL reading ``date_text``, its bound parameters, notes) for a daily
    file's date column: the vendor's ``formats``, or Excel's rewrite of them
    when the file settles its order (``excel_date_format``)."""
    excel_format, note = excel_date_format(table, header)
    if excel_format:
        return "try_strptime(date_text, $date_format)", {"date_format": excel_format}, [note]
    shown = ", ".join(sql_literal(f) for f in formats)
    return f"try_strptime(date_text, [{shown}])", {}, []


def reject_damaged_dates(
    table: RawTable, frame: pd.DataFrame, expected: str, header: str = "metric_date"
) -> None:
    """Reject a daily file whose date column is mostly unreadable (one row a
    day); ``header`` is the file's name for the column, used in the message."""
    rows = frame.drop_duplicates("_source_row").rename(
        columns={"metric_date": header, "metric_date__unparsed": f"{header}__unparsed"}
    )
    reject_damaged_timestamps(table, rows, [header], expected)


def reject_damaged_publish_times(
    table: RawTable, frame: pd.DataFrame, header: str | None, expected: str
) -> None:
    """Reject a post file whose publish-time column (``header`` in the file)
    is mostly unreadable: Excel rewrote it, or it is not this export."""
    if header is None:
        return
    view = frame[["_source_row", "published_at", "published_at__unparsed"]].rename(
        columns={"published_at": header, "published_at__unparsed": f"{header}__unparsed"}
    )
    reject_damaged_timestamps(table, view, [header], expected)


def not_stored_note(headers: list[str]) -> list[str]:
    if not headers:
        return []
    return [f"columns not stored (no daily metric holds them): {', '.join(headers)}"]
