"""YouTube Studio exports (Analytics, advanced mode): ``Table data.csv``,
``Chart data.csv`` and ``Totals.csv``, alone or in the zip Studio downloads
(``etl/archives.py`` extracts it; members arrive named
``<zip> » Table data.csv``).

What lands where:

- **Table data** (one row per video; the columns are whatever the user
  picked, matched by name, only ``Content`` required) becomes post
  snapshots. ``Content`` is the video id, trimmed: Studio writes an id that
  starts with ``-`` as `` -abc…`` so spreadsheets do not take it for a
  formula. The first data row is Studio's ``Total`` row: it is skipped (not
  quarantined) and the load's notes say so.

  ============== ===============================================
  column         YouTube's metric
  ============== ===============================================
  video_views    ``Views``
  impressions    ``Impressions`` (thumbnail impressions)
  reach          ``Unique viewers`` (estimated people)
  reactions      ``Likes``
  comments       ``Comments added``
  shares         ``Shares``
  permalink      ``https://www.youtube.com/watch?v=<Content>``
  published_at   ``Video publish time`` (``Aug 28, 2025``): that date
                 at 00:00 Asia/Karachi, Studio gives no time
  ============== ===============================================

  ``Subscribers`` (net subscribers the video brought, **can be negative**),
  ``Watch time (hours)``, ``Duration`` (seconds), the click-through rate
  and any other column go to ``extra``, never to a count column.
  The counts cover the period picked in Studio, not necessarily the
  video's lifetime: the snapshot time is the end of that period when the
  file (or zip) name carries it (``… 2025-08-01_2025-10-31 …``), else the
  load's clock.

- **Chart data** (``Date,Content,…,Views``: one row per video and day, for
  the videos drawn in Studio's chart) is summed per day into the daily
  account metric named by its metric column (``Views`` → ``video_views``)
  under source ``youtube_chart``. It covers only the charted videos, so it
  is a lower bound of the channel's day; ``Totals.csv`` (source
  ``youtube_totals``) is the channel's own daily total and should win
  where both exist. Per-video daily views are not kept (there is no raw
  table for them).

- **Totals** (``Date,Views``) becomes daily account metrics. Studio writes
  ISO dates; a file re-saved by Excel has ``DD-MM-YYYY`` (and CRLF). Such
  dates are read only when the file itself settles the order: a first
  part above 12 (``13-08-2025``) proves day first (as Excel wrote it),
  a second part above 12 proves month first, and when every part is 12 or
  less, the order under which the rows are consecutive days wins. When
  nothing settles it the file is rejected with a request to download it
  again, never guessed.

The account is ``--account``, else ``social.default_account``.
"""

from __future__ import annotations

from core.errors import FileRejected
from core.sql import quote_identifier, quote_literal
from core.vocab import fold
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

PLATFORM = "YouTube"
PUBLISH_FORMATS: tuple[str, ...] = ("%b %d, %Y", "%Y-%m-%d")
WATCH_URL = "https://www.youtube.com/watch?v="
VIDEO_ID = r"^[A-Za-z0-9_-]{11}$"

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "post_id": ("Content",),
    "post_text": ("Video title",),
    "published_at": ("Video publish time",),
    "video_views": ("Views",),
    "impressions": ("Impressions",),
    "reach": ("Unique viewers",),
    "reactions": ("Likes",),
    "comments": ("Comments added",),
    "shares": ("Shares",),
}
TABLE_EXTRAS: dict[str, tuple[str, ...]] = {
    "subscribers": ("Subscribers",),
    "subscribers_gained": ("Subscribers gained",),
    "subscribers_lost": ("Subscribers lost",),
    "watch_hours": ("Watch time (hours)",),
    "duration_seconds": ("Duration",),
    "impressions_ctr_percent": ("Impressions click-through rate (%)",),
    "average_percentage_viewed": ("Average percentage viewed (%)",),
    "dislikes": ("Dislikes",),
}
# Studio metrics as daily account metrics (Chart data and Totals).
DAILY_ALIASES: dict[str, tuple[str, ...]] = {
    "video_views": ("Views",),
    "watch_hours": ("Watch time (hours)",),
    "impressions": ("Impressions",),
    "net_followers": ("Subscribers",),
    "new_followers": ("Subscribers gained",),
    "unfollows": ("Subscribers lost",),
    "reach": ("Unique viewers",),
    "likes": ("Likes",),
    "comments": ("Comments added",),
    "shares": ("Shares",),
}
# Headers only Studio writes: a file with Date and one of these is a Totals file.
_STUDIO_METRICS = {
    fold(name)
    for name in (
        "Views",
        "Watch time (hours)",
        "Subscribers",
        "Subscribers gained",
        "Subscribers lost",
        "Average view duration",
        "Impressions click-through rate (%)",
        "Average percentage viewed (%)",
        "Comments added",
    )
}
_VIDEO_HEADERS = {fold(n) for n in ("Video title", "Video publish time", "Duration")}


class YouTubeTable:
    """Studio's ``Table data.csv``: one row per video, a Total row first."""

    kind = "YouTube Studio table data"
    source = "youtube_table"

    def matches(self, table: RawTable) -> bool:
        headers = folded_headers(table)
        return (
            bool(table.headers)
            and fold(table.headers[0]) == "content"
            and "date" not in headers
            and bool(headers & (_STUDIO_METRICS | _VIDEO_HEADERS))
        )

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        found = find_columns(table.headers, TABLE_COLUMNS)
        require_headers(table, found, {"post_id": "Content"})
        notes = _drop_total_row(table, found["post_id"])
        extras = find_columns(table.headers, TABLE_EXTRAS, taken=found.values())
        others = [h for h in table.headers if h not in {*found.values(), *extras.values()}]
        snapshot_at, snapshot_note = snapshot_for(table, context)
        post_id = text_sql(found["post_id"])
        exprs = {column: text_sql(found.get(column)) for column in TABLE_COLUMNS}
        exprs.update(
            platform=quote_literal(PLATFORM),
            account="cast(null as varchar)",
            permalink=f"{quote_literal(WATCH_URL)} || {post_id}",
            extra=extra_sql(extras, others),
        )
        if "published_at" in found:
            exprs["published_at"] = naive_time_sql(
                text_sql(found["published_at"]), naive_timezone(context), PUBLISH_FORMATS
            )
            exprs["published_at__text"] = text_sql(found["published_at"])
            notes.append(
                "Studio gives the publish date without a time: published_at is that date "
                f"at 00:00 {naive_timezone(context)}"
            )
        prepared = prepare_posts(
            table,
            exprs,
            context,
            source=self.source,
            snapshot_at=snapshot_at,
            unmatched=others,
            notes=[*notes, snapshot_note],
        )
        finish_posts(prepared, table, context, extras)
        prepared.checks.append(
            Check(
                gx.expectations.ExpectColumnValuesToMatchRegex(column="post_id", regex=VIDEO_ID),
                lambda r: (
                    f"content '{r['post_id']}' is not a YouTube video id (11 letters, "
                    "digits, - or _); if Excel changed it, download the export again"
                ),
            )
        )
        reject_damaged_publish_times(
            table, prepared.frame, found.get("published_at"), "Aug 28, 2025"
        )
        return prepared


def _drop_total_row(table: RawTable, content: str) -> list[str]:
    """Delete Studio's Total row (data row 1) from the table; say so."""
    rows = table.con.execute(
        f"select _source_row from {table.name} "
        f"where lower(trim({quote_identifier(content)})) = 'total' order by _source_row"
    ).fetchall()
    if not rows:
        return []
    table.con.execute(
        f"delete from {table.name} where _source_row in (select unnest(?))",
        [[r for (r,) in rows]],
    )
    if table.row_count == 0:
        raise FileRejected(
            table.path.name,
            "the file holds only Studio's Total row: no videos to load",
            row=rows[0][0],
        )
    shown = ", ".join(str(r) for (r,) in rows)
    return [f"row {shown} (Studio's Total row, the sum of all content) was skipped"]


class YouTubeChart:
    """Studio's ``Chart data.csv``: one row per charted video and day."""

    kind = "YouTube Studio chart data"
    source = "youtube_chart"

    def matches(self, table: RawTable) -> bool:
        headers = folded_headers(table)
        return {"date", "content"} <= headers and bool(headers & _STUDIO_METRICS)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        prepared = _prepare_studio_daily(table, context, self.source, sum_by_date=True)
        days = prepared.frame["metric_date"].nunique()
        prepared.notes.insert(
            0,
            f"{table.row_count:,} rows (one per charted video and day) summed into {days:,} "
            "daily totals; they cover only the charted videos (Totals.csv has the channel's)",
        )
        return prepared


class YouTubeTotals:
    """Studio's ``Totals.csv``: the channel's daily totals (``Date,Views``)."""

    kind = "YouTube Studio totals"
    source = "youtube_totals"

    def matches(self, table: RawTable) -> bool:
        headers = folded_headers(table)
        return (
            bool(table.headers)
            and fold(table.headers[0]) == "date"
            and "content" not in headers
            and bool(headers & _STUDIO_METRICS)
        )

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        return _prepare_studio_daily(table, context, self.source, sum_by_date=False)


def _prepare_studio_daily(
    table: RawTable, context: LoadContext, source: str, *, sum_by_date: bool
) -> Prepared:
    """Daily metrics of Chart data (summed over videos) or Totals."""
    date_header = find_columns(table.headers, {"date": ("Date",)})["date"]
    metrics = find_columns(table.headers, DAILY_ALIASES, taken=[date_header])
    ignored = [h for h in table.headers if h not in {date_header, *metrics.values()}]
    if sum_by_date:
        # The video columns name what was summed over; they are not lost data.
        ignored_note = [h for h in ignored if fold(h) not in {"content", *_VIDEO_HEADERS}]
    else:
        ignored_note = ignored
    date_sql, params, notes = daily_date_sql(table, date_header, ("%Y-%m-%d",))
    frame = daily_metrics(
        table,
        date_header=date_header,
        date_sql=date_sql,
        metrics=metrics,
        platform=PLATFORM,
        account=account_for(context),
        params=params,
        sum_by_date=sum_by_date,
    )
    reject_damaged_dates(table, frame, "YYYY-MM-DD", date_header)
    notes += not_stored_note(ignored_note)
    return prepare_daily(frame, context, source=source, unmatched=ignored, notes=notes)


SOURCES: list[Source] = [YouTubeTable(), YouTubeChart(), YouTubeTotals()]
