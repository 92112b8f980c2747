"""TikTok Studio exports: overview, content and followers, and the older
creator ``Overview.csv`` whose dates carry no year.

What lands where:

- **Overview** (``Date,Video views,Reached audience,Profile views,…``; dates
  ``2025/10/31``; missing values ``NAN`` or ``--``, stored as NULL) becomes
  daily account metrics: video_views, reach (``Reached audience``: unique
  accounts that saw a video that day), profile_visits (``Profile views``),
  likes, shares, comments, net_followers (``Net growth``, may be negative),
  new_followers and unfollows (``Lost followers``). ``Phone number
  clicks`` and ``Leads submission`` have no daily metric and are not
  stored.
- **Older creator overview** (``"Date","Video Views","Profile Views",…`` with
  dates like ``"August 31"``): the same metrics. The year comes from the
  file name (one 4-digit year in it, e.g. ``Overview_2023.csv``; in a zip,
  the zip's name counts too) or from ``--year``; with neither the file is
  rejected and the message asks for ``--year YYYY``; when the name and
  ``--year`` disagree it is rejected too. The year is never guessed, so a
  file whose dates run from December into January (two years) is rejected
  as well: split it at the new year.
- **Followers** (``Date,New followers,Total followers,Reached audience,
  Engaged audience``): new_followers, followers (``Total followers``) and
  reach. ``Engaged audience`` (people who interacted) is not a count of
  engagements and is not stored.
- **Content** (``Video title,Video link,Post time,Video views,Likes,
  Comments,Shares,Add to Favorites``) becomes post snapshots: post_id is
  the number in the video link (``…/video/<id>``), video_views, reactions
  (``Likes``), comments, shares, saves (``Add to Favorites``).
  ``Post time`` (``2025/10/31 18:19:10``) has no zone: it is read as
  Asia/Karachi wall-clock time (``social.naive_timezone``). The snapshot
  time is the end of the period in the file name when it has one, else the
  load's clock.

The account is ``--account``, else ``social.default_account``.
"""

from __future__ import annotations

import re

import pandas as pd

from core.errors import FileRejected
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

PLATFORM = "TikTok"
DATE_FORMATS: tuple[str, ...] = ("%Y/%m/%d", "%Y-%m-%d")
POST_TIME_FORMATS: tuple[str, ...] = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)
# "August 31" (and "Aug 31"): month and day, no year.
_YEARLESS = re.compile(r"^[A-Za-z]+\.? \d{1,2}$")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")

OVERVIEW_METRICS: dict[str, tuple[str, ...]] = {
    "video_views": ("Video views",),
    "reach": ("Reached audience",),
    "profile_visits": ("Profile views",),
    "likes": ("Likes",),
    "shares": ("Shares",),
    "comments": ("Comments",),
    "net_followers": ("Net growth",),
    "new_followers": ("New followers",),
    "unfollows": ("Lost followers",),
}
FOLLOWER_METRICS: dict[str, tuple[str, ...]] = {
    "new_followers": ("New followers",),
    "followers": ("Total followers",),
    "reach": ("Reached audience",),
}
CONTENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "post_text": ("Video title",),
    "permalink": ("Video link",),
    "published_at": ("Post time",),
    "video_views": ("Video views",),
    "reactions": ("Likes",),
    "comments": ("Comments",),
    "shares": ("Shares",),
    "saves": ("Add to Favorites",),
}


class TikTokOverview:
    """Daily account overview, current (``2025/10/31``) or older (``August 31``)."""

    kind = "TikTok overview"
    source = "tiktok_overview"

    def matches(self, table: RawTable) -> bool:
        headers = folded_headers(table)
        return {"date", "video views", "profile views"} <= headers and "video link" not in headers

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        return _prepare_tiktok_daily(table, context, OVERVIEW_METRICS, self.source)


class TikTokFollowers:
    """Daily follower counts."""

    kind = "TikTok followers"
    source = "tiktok_followers"

    def matches(self, table: RawTable) -> bool:
        return {"date", "new followers", "total followers"} <= folded_headers(table)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        return _prepare_tiktok_daily(table, context, FOLLOWER_METRICS, self.source)


def _prepare_tiktok_daily(
    table: RawTable,
    context: LoadContext,
    aliases: dict[str, tuple[str, ...]],
    source: str,
) -> Prepared:
    date_header = find_columns(table.headers, {"date": ("Date",)})["date"]
    metrics = find_columns(table.headers, aliases, taken=[date_header])
    ignored = [h for h in table.headers if h not in {date_header, *metrics.values()}]
    notes = not_stored_note(ignored)
    year = _year_for(table, context, date_header)
    if year is None:
        date_sql, params, excel_notes = daily_date_sql(table, date_header, DATE_FORMATS)
        notes = [*excel_notes, *notes]
        shown = "2025/10/31"
    else:
        # "August 31" + " 2024"; full and short month names.
        date_sql = "try_strptime(date_text || ' ' || $year, ['%B %d %Y', '%b %d %Y', '%b. %d %Y'])"
        params, shown = {"year": str(year[0])}, "August 31"
        notes.insert(0, f"the dates carry no year: read as {year[0]} ({year[1]})")
    frame = daily_metrics(
        table,
        date_header=date_header,
        date_sql=date_sql,
        metrics=metrics,
        platform=PLATFORM,
        account=account_for(context),
        params=params,
    )
    reject_damaged_dates(table, frame, shown, date_header)
    if year is not None:
        _reject_new_year(table, frame, date_header)
    return prepare_daily(frame, context, source=source, unmatched=ignored, notes=notes)


def _year_for(table: RawTable, context: LoadContext, header: str) -> tuple[int, str] | None:
    """(year, where it came from) for year-less dates; ``None`` when the dates
    carry their year. Rejects the file when the year is known from nowhere."""
    texts = table.con.execute(
        f"select {text_sql(header)} as date_text from {table.name} "
        "where date_text is not null order by _source_row"
    ).fetchall()
    yearless = [text for (text,) in texts if _YEARLESS.match(text)]
    if not yearless or len(yearless) < len(texts) / 2:
        return None
    years = set(_YEAR_IN_NAME.findall(table.path.name))
    if len(years) == 1:
        year = int(years.pop())
        if context.year is not None and context.year != year:
            raise FileRejected(
                table.path.name,
                f"dates such as '{yearless[0]}' carry no year; the file name says {year} but "
                f"--year says {context.year}: load this file without --year, or rename it",
                row=table.header_row + 1,
                column=header,
            )
        return year, "from the file name"
    if context.year is not None:
        return context.year, "from --year"
    reason = "the file name has no year" if not years else "the file name has several years"
    raise FileRejected(
        table.path.name,
        f"dates such as '{yearless[0]}' carry no year and {reason}: load it again with "
        "--year YYYY (the year of these dates)",
        row=table.header_row + 1,
        column=header,
    )


def _reject_new_year(table: RawTable, frame: pd.DataFrame, header: str) -> None:
    """One year for all rows is wrong when the dates run across a new year."""
    rows = frame.drop_duplicates("_source_row").dropna(subset=["metric_date"])
    months = pd.to_datetime(rows["metric_date"]).dt.month.tolist()
    for index, (before, after) in enumerate(zip(months, months[1:], strict=False)):
        if {before, after} == {1, 12}:
            raise FileRejected(
                table.path.name,
                "the dates run across a new year (December and January next to each other), "
                "so one year cannot be right for all of them: split the file at the new year "
                "and load each part with its --year",
                row=int(rows["_source_row"].iloc[index + 1]),
                column=header,
            )


class TikTokContent:
    """One row per video: lifetime counts as of the export."""

    kind = "TikTok content"
    source = "tiktok_content"

    def matches(self, table: RawTable) -> bool:
        headers = folded_headers(table)
        return {"video link", "video views"} <= headers and bool(
            headers & {"post time", "video title"}
        )

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        found = find_columns(table.headers, CONTENT_COLUMNS)
        require_headers(table, found, {"permalink": "Video link"})
        others = [h for h in table.headers if h not in found.values()]
        snapshot_at, snapshot_note = snapshot_for(table, context)
        link = text_sql(found["permalink"])
        exprs = {column: text_sql(found.get(column)) for column in CONTENT_COLUMNS}
        exprs.update(
            platform=quote_literal(PLATFORM),
            account="cast(null as varchar)",
            post_id=f"nullif(regexp_extract({link}, '/video/([0-9]+)', 1), '')",
            extra=extra_sql({}, others),
        )
        notes = [snapshot_note]
        if "published_at" in found:
            timezone = naive_timezone(context)
            exprs["published_at"] = naive_time_sql(
                text_sql(found["published_at"]), timezone, POST_TIME_FORMATS
            )
            exprs["published_at__text"] = text_sql(found["published_at"])
            notes.insert(0, f"Post time has no zone: read as {timezone} time")
        prepared = prepare_posts(
            table,
            exprs,
            context,
            source=self.source,
            snapshot_at=snapshot_at,
            unmatched=others,
            notes=notes,
        )
        finish_posts(prepared, table, context, {})
        frame = prepared.frame
        frame["video_link__unparsed"] = frame["permalink"].where(
            frame["post_id"].isna() & frame["permalink"].notna()
        )
        frame["video_link__unparsed"] = frame["video_link__unparsed"].astype(object)
        prepared.checks.append(
            Check(
                gx.expectations.ExpectColumnValuesToBeNull(column="video_link__unparsed"),
                lambda r: (
                    f"video link '{r['video_link__unparsed']}' holds no TikTok video id "
                    "(…/video/<digits>)"
                ),
            )
        )
        reject_damaged_publish_times(table, frame, found.get("published_at"), "2025/10/31 18:19:10")
        return prepared


SOURCES: list[Source] = [TikTokContent(), TikTokFollowers(), TikTokOverview()]
