"""Meta Business Suite exports (Facebook, Instagram).

Every kind is recognised from its content (header set, title line), never
from the file name. What lands where (``etl/sources/social.py`` holds the
contract):

- **Content exports** (Facebook posts, Facebook videos, Instagram posts; 31,
  38, 212 or 304 columns in any order) become post snapshots
  (``raw.social_post_snapshots``), one per post and export. The counts are
  the post's lifetime totals as of the export (``Date`` is ``Lifetime``):

  ============== =====================================================
  column         Meta's column
  ============== =====================================================
  impressions    ``Impressions`` in older exports, else ``Views``: Meta
                 renamed impressions to views in 2025 and has no
                 impressions column since (on the real 31-column export
                 ``Views`` >= ``Reach`` on 259 of 261 posts, as
                 impressions are)
  reach          ``Reach`` (unique people)
  reactions      ``Reactions`` (Facebook), ``Likes`` (Instagram)
  comments       ``Comments``
  shares         ``Shares``
  saves          ``Saves`` (Instagram; Facebook has none)
  link_clicks    ``Link Clicks`` (Facebook)
  video_views    video and reel posts only: ``Views``, else (older video
                 exports) ``3-second video views``
  ============== =====================================================

  Everything else is kept aside in ``extra`` (JSON): the 41 ``Percentage of
  total views at interval N`` columns under ``retention`` (interval ->
  percent), the data-dependent ``<metric> by country (<Country> (<ISO2>))``
  columns under ``by_country`` (metric -> ISO2 -> count), and all other
  columns under ``other`` by their header. ``Publish time``
  (``MM/DD/YYYY HH:MM``, no zone) is wall-clock time in
  ``social.naive_timezone`` (Asia/Karachi). Post ids stay text, exactly.
  The account is ``Page name`` (Facebook) or ``Account username``
  (Instagram), per row: one file may hold several accounts.

  **Snapshot time.** Meta writes no download time into the file. The file
  name ``Mon-DD-YYYY_Mon-DD-YYYY_<id>.csv`` carries the export's period;
  the snapshot is the end of its last day (midnight after it, in the naive
  timezone), capped at the load's clock. Without that pattern in the name
  the snapshot is the load's clock. Two downloads of the same period thus
  share a snapshot: the later load updates the earlier one instead of
  adding a second snapshot; exports of different periods are separate
  snapshots that the marts never sum (they take the latest).

- **Insights per-metric daily files** (UTF-16, ``sep=,``, a title line
  such as ``"Facebook reach"``, then ``"Date","Primary"``) become daily
  account metrics (``raw.social_account_daily``). The title, not the file
  name, tells platform and metric (``INSIGHTS_METRICS``). A title that
  names no platform (``"Views"``, ``"Content interactions"``) is not
  guessed: the file is rejected unless the person loading it stated the
  platform (a ``platform`` on the load context, see ``stated_platform``).
  Meta writes each day as ``T00:00:00`` or ``T01:00:00`` (it flips inside
  one file): the date part is the calendar day. The account is
  ``--account``, else ``social.default_account``.

- **Audience.csv** (several tables one after another) becomes audience
  shares (``raw.social_audience``): ``Age & gender`` per age band and
  gender, ``Top countries`` and ``Top cities`` (pairs of rows: names, then
  percentages). Meta writes percentages; shares are stored as 0..1. The
  platform is found as for the daily files; the snapshot is the load's
  clock (the file carries no date).

- **Legacy Page Insights exports** (the old "Export data" of Facebook Page
  Insights): row 1 names the columns, row 2 describes them (dropped: not
  data; used to tell apart columns of the same name). Only ``Daily ...``
  columns and ``Lifetime Total Likes`` (as ``followers``) become daily
  metrics (``LEGACY_METRICS``); ``Weekly``, ``28 Days`` and other
  ``Lifetime`` columns are rolling windows that must never be summed
  across days, so they are kept aside and listed in the load's notes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import great_expectations as gx
import pandas as pd

from core.errors import FileRejected
from core.sql import quote_identifier, quote_literal
from core.vocab import fold
from etl.readers import REDOWNLOAD, SNIFF_BYTES, RawTable, detect_encoding
from etl.sources.base import LoadContext, Prepared, Source
from etl.sources.common import reject_damaged_timestamps, text_sql, timestamp_sql
from etl.sources.platform_exports import (
    account_for,
    daily_metrics,
    find_columns,
    naive_timezone,
    reject_damaged_dates,
    require_headers,
)
from etl.sources.social import (
    number_sql,
    placeholder_free_sql,
    prepare_audience,
    prepare_daily,
    prepare_posts,
)
from etl.validate import Check

CONTENT_SOURCE = "meta_content"
VIDEO_SOURCE = "meta_video"
INSIGHTS_SOURCE = "meta_insights"
AUDIENCE_SOURCE = "meta_audience"
LEGACY_SOURCE = "meta_page_insights"

PUBLISH_FORMATS: tuple[str, ...] = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")
PUBLISH_FORM_SHOWN = "MM/DD/YYYY HH:MM"
FACEBOOK_POST_TYPES: dict[str, str] = {
    "Photos": "photo",
    "Reels": "reel",
    "Links": "link",
    "Videos": "video",
    "Text": "text",
}
INSTAGRAM_POST_TYPES: dict[str, str] = {
    "IG image": "photo",
    "IG reel": "reel",
    "IG carousel": "carousel",
}
VIDEO_TYPES: tuple[str, ...] = ("video", "reel")

# Counts every content export shares (Meta's spellings, first found wins).
# "Views" twice in one header (the 38-column export): the reader names the
# second "Views (2)". The first sits in the block of lifetime totals
# (Views, Reach, Reactions, ...) exactly where the single Views of the
# 31-column export and Impressions of older exports stand, so it holds the
# post's views. The second stands among breakdowns (reach from organic and
# boosted posts, 3-second video views, ...); in the real export both are 0
# on every row, so its meaning cannot be confirmed from data: it is kept in
# extra as "Views (2)" and never added to anything.
COMMON_COUNTS: dict[str, tuple[str, ...]] = {
    "impressions": ("Impressions", "Views"),
    "reach": ("Reach",),
    "comments": ("Comments",),
    "shares": ("Shares",),
}
PLATFORM_WORDS: dict[str, str] = {"facebook": "Facebook", "instagram": "Instagram"}
# Insights titles without their platform word, folded -> daily metric.
# "Views" is Meta's 2025 name for impressions (as in the content exports).
INSIGHTS_METRICS: dict[str, str] = {
    "reach": "reach",
    "views": "impressions",
    "impressions": "impressions",
    "profile visits": "profile_visits",
    "page visits": "profile_visits",
    "visits": "profile_visits",
    "content interactions": "engagements",
    "interactions": "engagements",
    "link clicks": "link_clicks",
    "follows": "new_followers",
    "new follows": "new_followers",
    "new followers": "new_followers",
    "unfollows": "unfollows",
    "net follows": "net_followers",
    "net followers": "net_followers",
    "followers": "followers",
    "total followers": "followers",
    "video views": "video_views",
}
_INTERVAL = re.compile(r"percentage of total views at interval (\d+)", re.IGNORECASE)
_BY_COUNTRY = re.compile(r"(.+?) by country \((.+) \(([A-Za-z]{2})\)\)")
_META_PERIOD = re.compile(
    r"([A-Z][a-z]{2})-(\d{1,2})-(\d{4})_([A-Z][a-z]{2})-(\d{1,2})-(\d{4})_\d+", re.IGNORECASE
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
# Excel shows long numbers as 9.39006E+14 and saves them so: digits are lost.
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+\d+$")
_META_ID = r"^[0-9]{1,25}(?:_[0-9]{1,25})?$"


# --- Content exports --------------------------------------------------------


@dataclass(frozen=True)
class ContentLayout:
    """How one content export names what the post contract needs."""

    platform: str
    source: str
    post_id: tuple[str, ...]
    account: tuple[str, ...]
    post_text: tuple[str, ...]
    counts: dict[str, tuple[str, ...]]
    post_types: dict[str, str]
    default_post_type: str | None = None
    account_hint: str = "Page name"


FACEBOOK_POSTS = ContentLayout(
    platform="Facebook",
    source=CONTENT_SOURCE,
    post_id=("Post ID",),
    account=("Page name", "Page ID"),
    post_text=("Title", "Description"),
    counts={**COMMON_COUNTS, "reactions": ("Reactions",), "link_clicks": ("Link Clicks",)},
    post_types=FACEBOOK_POST_TYPES,
)
# The video export names each video by its asset id; a "Post ID", when the
# export has one, links it to the post and is preferred. Its rows are kept
# under their own source so that a reel in both exports is not two posts.
FACEBOOK_VIDEOS = replace(
    FACEBOOK_POSTS,
    source=VIDEO_SOURCE,
    post_id=("Post ID", "Video asset ID"),
    default_post_type="video",
)
INSTAGRAM_POSTS = ContentLayout(
    platform="Instagram",
    source=CONTENT_SOURCE,
    post_id=("Post ID",),
    account=("Account username", "Account name", "Account ID"),
    post_text=("Description", "Title"),
    counts={**COMMON_COUNTS, "reactions": ("Likes",), "saves": ("Saves",)},
    post_types=INSTAGRAM_POST_TYPES,
    account_hint="Account username",
)


class MetaFacebookVideos:
    """Facebook video export (``Video asset ID,Universal video ID,Page ID,...``)."""

    kind = "Meta Facebook videos"
    source = VIDEO_SOURCE

    def matches(self, table: RawTable) -> bool:
        headers = {fold(h) for h in table.headers}
        return "video asset id" in headers and "publish time" in headers

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        return prepare_content(table, context, FACEBOOK_VIDEOS)


class MetaFacebookPosts:
    """Facebook posts content export (31, 38, 304 columns; any order)."""

    kind = "Meta Facebook posts"
    source = CONTENT_SOURCE

    def matches(self, table: RawTable) -> bool:
        # Without "Post ID" on purpose: such a file is told what it lacks.
        headers = {fold(h) for h in table.headers}
        return {"publish time", "permalink"} <= headers and bool(headers & {"page id", "page name"})

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        return prepare_content(table, context, FACEBOOK_POSTS)


class MetaInstagramPosts:
    """Instagram posts content export (both column orders; several accounts)."""

    kind = "Meta Instagram posts"
    source = CONTENT_SOURCE

    def matches(self, table: RawTable) -> bool:
        headers = {fold(h) for h in table.headers}
        return {"publish time", "permalink"} <= headers and bool(
            headers & {"account username", "account id"}
        )

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        return prepare_content(table, context, INSTAGRAM_POSTS)


def prepare_content(table: RawTable, context: LoadContext, layout: ContentLayout) -> Prepared:
    """Post snapshots from a content export, with Meta's own checks added."""
    found = _content_columns(table, layout)
    used = set(found.values())
    snapshot_at, snapshot_note = meta_snapshot(table.path.name, context)
    kept = _build_extra(table, table.headers, used)
    table.con.execute(
        f"create or replace temp table meta_content as select s.*, "
        f"{_lifetime_problem_sql(found)}, e.extra as __extra "
        f"from {table.name} s left join meta_extra e using (_source_row)"
    )
    view = replace(table, name="meta_content")
    exprs = _content_exprs(found, layout, naive_timezone(context))
    exprs["extra"] = "__extra"
    unmatched = [h for h in table.headers if h not in used]
    prepared = prepare_posts(
        view,
        exprs,
        context,
        source=layout.source,
        snapshot_at=snapshot_at,
        unmatched=unmatched,
        notes=[snapshot_note, *kept],
    )
    helpers = table.con.execute(
        "select __lifetime_problem from meta_content order by _source_row"
    ).fetchall()
    prepared.frame["lifetime__problem"] = pd.Series([h[0] for h in helpers], dtype=object)
    _reject_excel_ids(table, prepared.frame, found["post_id"])
    reject_damaged_timestamps(table, prepared.frame, ["published_at"], PUBLISH_FORM_SHOWN)
    prepared.checks.extend(_content_checks(layout))
    return prepared


def _content_columns(table: RawTable, layout: ContentLayout) -> dict[str, str]:
    """canonical key -> header; rejects a file without a post id or account."""
    aliases: dict[str, tuple[str, ...]] = {
        "post_id": layout.post_id,
        "account": layout.account[:1],
        "account_fallback": layout.account[1:],
        "published_at": ("Publish time",),
        "post_type": ("Post type",),
        "permalink": ("Permalink",),
        "date": ("Date",),
        "post_text": layout.post_text[:1],
        "post_text_fallback": layout.post_text[1:],
        **layout.counts,
    }
    found = find_columns(table.headers, {k: v for k, v in aliases.items() if v})
    # "Views" may feed impressions and video_views both, and find_columns
    # gives a header to one key only: video views are looked up apart.
    found.update(
        find_columns(
            table.headers,
            {"views": ("Views",), "three_second_views": ("3-second video views",)},
        )
    )
    require_headers(table, found, {"post_id": layout.post_id[-1]})
    if "account" not in found and "account_fallback" not in found:
        require_headers(table, found, {"account": layout.account_hint})
    return found


def _lifetime_problem_sql(found: Mapping[str, str]) -> str:
    """Helper column of ``meta_content``: why a row is not a lifetime total."""
    date = text_sql(found.get("date"))
    return (
        f"case when {date} is not null and lower({date}) <> 'lifetime' "
        f"then 'Date is ''' || {date} || ''', not ''Lifetime'': only lifetime totals "
        "are loaded as post snapshots' end as __lifetime_problem"
    )


def _content_exprs(
    found: Mapping[str, str], layout: ContentLayout, timezone: str
) -> dict[str, str]:
    """SQL text expressions for ``prepare_posts``."""

    def text(key: str) -> str:
        return text_sql(found.get(key))

    published = text("published_at")
    post_type = _post_type_sql(text("post_type"), layout)
    views = f"coalesce({text('views')}, {text('three_second_views')})"
    exprs = {
        "platform": quote_literal(layout.platform),
        "account": f"coalesce({text('account')}, {text('account_fallback')})",
        "post_id": text("post_id"),
        "published_at": timestamp_sql(published, timezone, PUBLISH_FORMATS),
        "published_at__text": published,
        "post_type": post_type,
        "post_text": f"coalesce({text('post_text')}, {text('post_text_fallback')})",
        "permalink": text("permalink"),
        "video_views": f"case when {post_type} in {_sql_tuple(VIDEO_TYPES)} then {views} end",
    }
    for column in ("impressions", "reach", "reactions", "comments", "shares", "saves"):
        exprs[column] = text(column)
    exprs["link_clicks"] = text("link_clicks")
    return exprs


def _post_type_sql(text: str, layout: ContentLayout) -> str:
    """Meta's post type as the canonical one; unknown types lower-cased."""
    whens = " ".join(
        f"when {quote_literal(name.lower())} then {quote_literal(canonical)}"
        for name, canonical in layout.post_types.items()
    )
    default = quote_literal(layout.default_post_type) if layout.default_post_type else "null"
    return f"coalesce(case lower({text}) {whens} else lower({text}) end, {default})"


def _sql_tuple(values: Iterable[str]) -> str:
    return "(" + ", ".join(quote_literal(v) for v in values) + ")"


def _extra_columns(headers: list[str], used: set[str]) -> pd.DataFrame:
    """Where each column kept aside goes in ``extra``: one row per header.

    ``retention``: interval number -> percent of views still watching at it;
    ``by_country``: metric -> ISO2 -> count; ``other``: header -> value.
    """
    rows = []
    for position, header in enumerate(headers):
        if header in used:
            continue
        if interval := _INTERVAL.fullmatch(header):
            rows.append((position, header, "retention", "", interval.group(1), False))
        elif country := _BY_COUNTRY.fullmatch(header):
            iso = country.group(3).upper()
            rows.append((position, header, "by_country", country.group(1), iso, False))
        else:
            # Ids stay text: a 17-digit account id does not survive a double.
            as_text = fold(header).endswith(" id")
            rows.append((position, header, "other", "", header, as_text))
    columns = ["position", "header", "grp", "metric", "key", "as_text"]
    return pd.DataFrame(rows, columns=columns).astype({"metric": object, "key": object})


def _build_extra(table: RawTable, headers: list[str], used: set[str]) -> list[str]:
    """Temp table ``meta_extra`` (``_source_row``, ``extra`` JSON text) of the
    columns kept aside; returns a note on what they are.

    Set-based (one unpivot, then JSON aggregates in a fixed key order, so
    that the same values always hash alike): a 304-column export would
    otherwise need an expression per column.
    """
    mapping = _extra_columns(headers, used)
    if mapping.empty:
        table.con.execute(
            "create or replace temp table meta_extra as "
            f"select _source_row, cast(null as varchar) as extra from {table.name} limit 0"
        )
        return []
    columns = ", ".join(quote_identifier(h) for h in mapping["header"])
    table.con.register("meta_extra_columns", mapping)
    try:
        table.con.execute(_extra_sql(columns, table.name))
    finally:
        table.con.unregister("meta_extra_columns")
    counts = mapping["grp"].value_counts()
    if counts.get("retention", 0) or counts.get("by_country", 0):
        return [
            f"kept aside in extra: {counts.get('retention', 0)} retention interval columns, "
            f"{counts.get('by_country', 0)} per-country columns"
        ]
    return []


def _ordered_object(key: str, value: str) -> str:
    """SQL aggregate: a JSON object of ``key`` -> ``value``, keys in column
    order (a map keeps the order it is built in; json_group_object, a macro,
    takes no ORDER BY)."""
    return f"to_json(map_from_entries(list({{'key': {key}, 'value': {value}}} order by position)))"


def _extra_sql(columns: str, source: str) -> str:
    """SQL: ``meta_extra`` from the unpivoted cells and ``meta_extra_columns``."""
    cell = "nullif(trim(c.cell), '')"
    return f"""
        create or replace temp table meta_extra as
        with cells as (
            unpivot (select _source_row, {columns} from {source})
            on columns(* exclude (_source_row)) into name header value cell
        ),
        typed as (
            select c._source_row, m.position, m.grp, m.metric, m.key, m.as_text,
                   {placeholder_free_sql(cell)} as text,
                   {number_sql(cell)} as number
            from cells c
            join meta_extra_columns m using (header)
        ),
        valued as (
            select _source_row, position, grp, metric, key,
                   case when number is not null and not as_text then to_json(number)
                        else to_json(text) end as value
            from typed
            where text is not null
        ),
        per_metric as (
            select _source_row, grp, metric, min(position) as position,
                   {_ordered_object("key", "value")} as object
            from valued
            group by _source_row, grp, metric
        ),
        per_group as (
            select _source_row, grp, min(position) as position,
                   case when grp = 'by_country'
                        then {_ordered_object("metric", "object")}
                        else any_value(object) end as object
            from per_metric
            group by _source_row, grp
        )
        select _source_row, cast({_ordered_object("grp", "object")} as varchar) as extra
        from per_group
        group by _source_row
    """


def _content_checks(layout: ContentLayout) -> list[Check]:
    e = gx.expectations
    hint = layout.account_hint
    return [
        Check(
            e.ExpectColumnValuesToNotBeNull(column="account"),
            lambda r: f"the row names no account ({hint} is blank)",
        ),
        Check(
            e.ExpectColumnValuesToMatchRegex(column="post_id", regex=_META_ID),
            lambda r: f"post id '{r['post_id']}' is not a Meta id (digits only)",
        ),
        Check(
            e.ExpectColumnValuesToBeNull(column="lifetime__problem"),
            lambda r: str(r["lifetime__problem"]),
        ),
    ]


def _reject_excel_ids(table: RawTable, frame: pd.DataFrame, header: str) -> None:
    """Ids saved by Excel as ``9.39006E+14`` have lost digits: reject the file."""
    damaged = frame["post_id"].dropna().astype(str).str.match(_SCIENTIFIC)
    if damaged.any():
        first = damaged[damaged].index[0]
        raise FileRejected(
            table.path.name,
            f"{int(damaged.sum()):,} post ids were rewritten by Excel (first: "
            f"'{frame.loc[first, 'post_id']}'), so their digits are lost; {REDOWNLOAD}",
            row=int(frame.loc[first, "_source_row"]),
            column=header,
        )


def meta_snapshot(name: str, context: LoadContext) -> tuple[datetime, str]:
    """When a content export's lifetime totals were taken, and a note saying how.

    The end of the last day of ``Mon-DD-YYYY_Mon-DD-YYYY_<id>`` in the file
    name (midnight after it, in ``social.naive_timezone``), capped at the
    load's clock; else the load's clock.
    """
    now = context.now if context.now.tzinfo else context.now.replace(tzinfo=UTC)
    period = meta_period(name)
    if period is None:
        return now, (
            "the file name carries no export period (Mon-DD-YYYY_Mon-DD-YYYY_<id>): "
            f"counts are filed as of the load, {now:%Y-%m-%d %H:%M} UTC"
        )
    zone = ZoneInfo(naive_timezone(context))
    end = datetime.combine(period[1] + timedelta(days=1), time(0), zone).astimezone(UTC)
    return min(end, now), (
        f"counts are filed as of the end of the export period in the file name "
        f"({period[0]:%Y-%m-%d} to {period[1]:%Y-%m-%d})"
    )


def meta_period(name: str) -> tuple[date, date] | None:
    """The export period in a Meta file name, the last one when there are several."""
    found = None
    for match in _META_PERIOD.finditer(name):
        m1, d1, y1, m2, d2, y2 = match.groups()
        try:
            start = date(int(y1), _MONTHS[m1.lower()], int(d1))
            end = date(int(y2), _MONTHS[m2.lower()], int(d2))
        except (KeyError, ValueError):
            continue
        if start <= end:
            found = (start, end)
    return found


# --- Platform of files that may not name it ------------------------------


def platform_in(texts: Iterable[str]) -> str | None:
    """The platform a word of ``texts`` names (Facebook or Instagram), if one."""
    named = {PLATFORM_WORDS[w] for t in texts for w in fold(t).split() if w in PLATFORM_WORDS}
    return named.pop() if len(named) == 1 else None


def stated_platform(context: LoadContext) -> str | None:
    """The platform the person loading the file stated (``--platform``), if any."""
    value = context.platform
    if not value:
        return None
    return PLATFORM_WORDS.get(fold(value))


def platform_for(
    table: RawTable, texts: list[str], context: LoadContext, row: int, what: str
) -> str:
    """Platform named in the file's titles, else stated by the user, else reject."""
    named = platform_in(texts)
    if named:
        return named
    stated = stated_platform(context)
    if stated:
        return stated
    shown = ", ".join(f"'{t}'" for t in texts) or "none"
    raise FileRejected(
        table.path.name,
        f"no platform (Facebook or Instagram) is named in the {what} ({shown}) or anywhere "
        "else in the file, and it is not guessed: load the file again stating its platform",
        row=row,
    )


# --- Insights per-metric daily files ----------------------------------------


class MetaInsightsDaily:
    """Insights per-metric daily file: title line, then ``"Date","Primary"``."""

    kind = "Meta Insights daily metric"
    source = INSIGHTS_SOURCE

    def matches(self, table: RawTable) -> bool:
        headers = [fold(h) for h in table.headers]
        return bool(table.title_lines) and headers[:1] == ["date"] and "primary" in headers

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        title_row = table.header_row - 1
        title = table.title_lines[-1]
        platform = platform_for(table, [title], context, title_row, "title")
        metric = insights_metric(title)
        if metric is None:
            known = ", ".join(f"'{t}'" for t in INSIGHTS_METRICS)
            raise FileRejected(
                table.path.name,
                f"the title '{title}' is not a metric this dashboard stores (known, after "
                f"'Facebook'/'Instagram': {known})",
                row=title_row,
            )
        primary = find_columns(table.headers, {"value": ("Primary",)})["value"]
        frame = daily_metrics(
            table,
            date_header=table.headers[0],
            date_sql=_ISO_DAY_SQL,
            metrics={metric: primary},
            platform=platform,
            account=account_for(context),
        )
        reject_damaged_dates(table, frame, "2025-01-31T00:00:00")
        ignored = [h for h in table.headers[1:] if h != primary]
        notes = [
            f"title '{title}': {platform} {metric}; each date is read as the calendar day "
            "(Meta writes T00:00 or T01:00)"
        ]
        return prepare_daily(frame, context, source=self.source, unmatched=ignored, notes=notes)


# The date part of Meta's "2025-01-01T01:00:00": the calendar day.
_ISO_DAY_SQL = (
    "case when regexp_matches(date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') "
    "then try_cast(left(date_text, 10) as date) end"
)


def insights_metric(title: str) -> str | None:
    """The daily metric an Insights title names, platform words left out."""
    words = [w for w in fold(title).split() if w not in PLATFORM_WORDS]
    return INSIGHTS_METRICS.get(" ".join(words))


# --- Audience.csv -----------------------------------------------------------

AUDIENCE_GENDERS: dict[str, str] = {"women": "female", "men": "male"}
AUDIENCE_PAIRS: dict[str, str] = {"top countries": "country", "top cities": "city"}


@dataclass
class _Section:
    title: str
    row: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        words = [w for w in fold(self.title).split() if w not in PLATFORM_WORDS]
        return " ".join(words)


class MetaAudience:
    """``Audience.csv``: ``Age & gender``, ``Top countries``, ``Top cities``."""

    kind = "Meta audience"
    source = AUDIENCE_SOURCE

    def matches(self, table: RawTable) -> bool:
        titles = [_Section(t, 0).name for t in table.title_lines]
        return any(t == "age gender" or t in AUDIENCE_PAIRS for t in titles)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        lines = _audience_lines(table)
        sections = _audience_sections(table, lines)
        first = sections[0].row if sections else table.header_row
        platform = platform_for(
            table, [s.title for s in sections], context, first, "section titles"
        )
        rows: list[dict] = []
        notes: list[str] = []
        for section in sections:
            if section.name == "age gender":
                rows += _age_gender(section, notes)
            elif section.name in AUDIENCE_PAIRS:
                rows += _pairs(section, AUDIENCE_PAIRS[section.name])
            else:
                notes.append(f"section '{section.title}' (row {section.row}) kept aside")
        frame = _audience_frame(rows, platform, context)
        _replace_source(table, lines)
        prepared = prepare_audience(frame, context, source=self.source, unmatched=[])
        prepared.notes += notes
        prepared.checks.extend(_audience_checks())
        return prepared


def _audience_checks() -> list[Check]:
    e = gx.expectations
    return [
        Check(
            e.ExpectColumnValuesToBeNull(column="share__unparsed"),
            lambda r: f"audience share '{r['share__unparsed']}' is not a percentage",
        ),
        Check(
            e.ExpectCompoundColumnsToBeUnique(
                column_list=["_file_index", "dimension", "category", "gender"]
            ),
            lambda r: f"{r['dimension']} '{r['category']}' appears twice in this file",
        ),
    ]


def _audience_lines(table: RawTable) -> list[tuple[int, list[str]]]:
    """Every line of the file as cells, numbered as the reader numbers rows
    (the first line of the file is row 1). The reader's table cannot hold a
    file of several tables, so the text is read again with its encoding rules."""
    raw = table.path.read_bytes()
    encoding = detect_encoding(raw[:SNIFF_BYTES], table.path.name)
    try:
        text = raw.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        raise FileRejected(
            table.path.name, f"the text cannot be read as {encoding}; {REDOWNLOAD}"
        ) from None
    lines = text.splitlines()
    delimiter = ","
    if lines and lines[0].strip().lower().startswith("sep="):
        delimiter = lines[0].strip()[4:5] or ","
    numbered = []
    for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
        numbered.append((number, cells))
    return numbered


def _audience_sections(table: RawTable, lines: list[tuple[int, list[str]]]) -> list[_Section]:
    """Split the lines into titled tables. A one-cell line is a title when it
    is a known title, or when the current table is complete (a pair table
    with an even number of rows); otherwise it is data (a top-cities table
    of one city has one-cell rows)."""
    sections: list[_Section] = []
    for number, cells in lines:
        filled = [c.strip() for c in cells if c.strip()]
        if not filled or (number == 1 and filled[0].lower().startswith("sep=")):
            continue
        current = sections[-1] if sections else None
        if len(cells) == 1 and _starts_section(filled[0], current):
            sections.append(_Section(filled[0], number))
        elif current is None:
            raise FileRejected(table.path.name, "data before the first table title", row=number)
        else:
            current.rows.append((number, cells))
    return sections


def _starts_section(text: str, current: _Section | None) -> bool:
    name = _Section(text, 0).name
    if current is None or name == "age gender" or name in AUDIENCE_PAIRS:
        return True
    if _is_number(text):
        return False
    if current.name == "age gender":
        return True
    return bool(current.rows) and len(current.rows) % 2 == 0


def _is_number(text: str) -> bool:
    try:
        float(text.replace("%", "").replace(",", "").strip())
        return True
    except ValueError:
        return False


def _share(text: str | None) -> tuple[float | None, str | None]:
    """A percentage cell as a 0..1 share, or the text that is not one."""
    if text is None or not text.strip():
        return None, None
    cleaned = text.replace("%", "").replace(",", "").strip()
    try:
        return float(cleaned) / 100, None
    except ValueError:
        return None, text.strip()


def _age_gender(section: _Section, notes: list[str]) -> list[dict]:
    """``"","Women","Men"`` then one row per age band."""
    if not section.rows:
        return []
    header_row, header = section.rows[0]
    genders = {i: AUDIENCE_GENDERS.get(fold(h)) for i, h in enumerate(header) if i > 0}
    kept = [h for i, h in enumerate(header) if i > 0 and genders[i] is None and h.strip()]
    if kept:
        notes.append(f"age & gender columns kept aside (row {header_row}): {', '.join(kept)}")
    rows = []
    for number, cells in section.rows[1:]:
        band = cells[0].strip() if cells else ""
        for index, gender in genders.items():
            if gender is None:
                continue
            share, bad = _share(cells[index] if index < len(cells) else None)
            rows.append(_audience_row(number, "age_gender", band, gender, share, bad))
    return rows


def _pairs(section: _Section, dimension: str) -> list[dict]:
    """Transposed pairs of rows: names, then percentages, one column each."""
    rows = []
    for start in range(0, len(section.rows), 2):
        names_row, names = section.rows[start]
        values_row, values = (
            section.rows[start + 1] if start + 1 < len(section.rows) else (names_row, [])
        )
        for index, name in enumerate(names):
            if not name.strip():
                continue
            value = values[index] if index < len(values) else None
            share, bad = _share(value)
            if share is None and bad is None:
                bad = "(missing)"
            rows.append(_audience_row(values_row, dimension, name.strip(), None, share, bad))
    return rows


def _audience_row(
    row: int,
    dimension: str,
    category: str,
    gender: str | None,
    share: float | None,
    bad: str | None,
) -> dict:
    return {
        "_source_row": row,
        "dimension": dimension,
        "category": category or None,
        "gender": gender,
        "share": share,
        "share__unparsed": bad,
    }


def _audience_frame(rows: list[dict], platform: str, context: LoadContext) -> pd.DataFrame:
    columns = ["_source_row", "dimension", "category", "gender", "share", "share__unparsed"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["_source_row"] = frame["_source_row"].astype("int64")
    frame["share"] = frame["share"].astype("float64")
    for column in ("dimension", "category", "gender", "share__unparsed"):
        frame[column] = frame[column].astype(object)
    now = context.now if context.now.tzinfo else context.now.replace(tzinfo=UTC)
    frame.insert(1, "platform", platform)
    frame.insert(2, "account", account_for(context))
    frame.insert(3, "snapshot_at", pd.Timestamp(now).tz_convert("UTC"))
    return frame


def _replace_source(table: RawTable, lines: list[tuple[int, list[str]]]) -> None:
    """Give the reader's table this file's real rows, so that a quarantined
    row's ``original`` is the line it came from (the reader's one-table view
    skips blank lines and so shifts the rows of a multi-table file)."""
    width = max((len(cells) for _, cells in lines), default=1)
    data = {"_source_row": [n for n, _ in lines]}
    for i in range(width):
        data[f"column_{i + 1}"] = [c[i] if i < len(c) and c[i] != "" else None for _, c in lines]
    frame = pd.DataFrame(data).astype({f"column_{i + 1}": object for i in range(width)})
    table.con.register("meta_lines", frame)
    table.con.execute(f"create or replace table {table.name} as select * from meta_lines")
    table.con.unregister("meta_lines")


# --- Legacy Page Insights export -----------------------------------------

# Daily metric -> the legacy column names that hold it (first found wins),
# and the unit its description must name when two columns share a name.
LEGACY_METRICS: dict[str, tuple[tuple[str, ...], str]] = {
    "followers": (("Lifetime Total Followers", "Lifetime Total Likes"), "Unique Users"),
    "new_followers": (("Daily New Followers", "Daily New Likes"), "Unique Users"),
    "unfollows": (("Daily Unfollows", "Daily Unlikes"), "Unique Users"),
    "reach": (("Daily Total Reach",), "Unique Users"),
    "impressions": (("Daily Total Impressions",), "Total Count"),
    "profile_visits": (
        ("Daily Total views count per Page", "Daily Logged-in Page Views"),
        "Total Count",
    ),
    "video_views": (("Daily Total Video Views",), "Total Count"),
    "link_clicks": (("Daily Page Consumptions By Type - link clicks",), "Total Count"),
}
_WINDOWS = ("lifetime", "daily", "weekly", "28 days")
_SUFFIX = re.compile(r" \((\d+)\)$")


class MetaPageInsightsLegacy:
    """The old Page Insights "Export data": a row of names, a row of descriptions."""

    kind = "Facebook Page Insights (legacy)"
    source = LEGACY_SOURCE

    def matches(self, table: RawTable) -> bool:
        headers = [fold(h) for h in table.headers]
        windows = sum(1 for h in headers if h.startswith(_WINDOWS))
        # A blank first header (read as column_1) is the date column too.
        return headers[:1] in (["date"], ["column 1"]) and windows >= 3

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        descriptions, description_row = _legacy_descriptions(table)
        metrics, notes = _legacy_metrics(table.headers, descriptions)
        view = table
        if description_row is not None:
            table.con.execute(
                f"create or replace temp table meta_legacy as select * from {table.name} "
                "where _source_row <> $row",
                {"row": description_row},
            )
            view = replace(table, name="meta_legacy")
            notes.insert(0, f"row {description_row} holds column descriptions: not loaded")
        frame = daily_metrics(
            view,
            date_header=table.headers[0],
            date_sql=_LEGACY_DAY_SQL,
            metrics=metrics,
            platform="Facebook",
            account=account_for(context),
        )
        reject_damaged_dates(table, frame, "YYYY-MM-DD")
        ignored = [h for h in table.headers[1:] if h not in metrics.values()]
        return prepare_daily(frame, context, source=self.source, unmatched=ignored, notes=notes)


_LEGACY_DAY_SQL = (
    "case when regexp_matches(date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') "
    "then try_cast(left(date_text, 10) as date) "
    "else try_strptime(date_text, ['%m/%d/%Y', '%m/%d/%y']) end"
)


def _legacy_descriptions(table: RawTable) -> tuple[dict[str, str], int | None]:
    """header -> description from the row under the header, when that row is
    one (blank date, cells starting ``Daily:``, ``Weekly:``, ...)."""
    first = table.header_row + 1
    cells = table.con.execute(
        f"select * exclude (_source_row) from {table.name} where _source_row = ?", [first]
    ).fetchall()
    if not cells:
        return {}, None
    values = dict(zip(table.headers, cells[0], strict=False))
    described = [v for v in list(values.values())[1:] if v and fold(v.split(":")[0]) in _WINDOWS]
    filled = [v for v in list(values.values())[1:] if v]
    if values.get(table.headers[0]) or not filled or len(described) < len(filled) / 2:
        return {}, None
    return {h: v for h, v in values.items() if v}, first


def _legacy_metrics(
    headers: list[str], descriptions: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """metric -> header, and notes on what is kept aside and why."""
    by_name: dict[str, list[str]] = {}
    for header in headers[1:]:
        by_name.setdefault(fold(_SUFFIX.sub("", header)), []).append(header)
    metrics: dict[str, str] = {}
    notes: list[str] = []
    for metric, (names, unit) in LEGACY_METRICS.items():
        for name in names:
            candidates = by_name.get(fold(name), [])
            if len(candidates) > 1:
                chosen = [h for h in candidates if unit.lower() in descriptions.get(h, "").lower()]
                candidates = chosen[:1]
                if candidates:
                    notes.append(
                        f"'{name}' appears more than once: the column described as "
                        f"{unit} is {metric}"
                    )
            if candidates:
                metrics[metric] = candidates[0]
                break
    aside = [h for h in headers[1:] if h not in metrics.values()]
    windows = [h for h in aside if not fold(h).startswith("daily")]
    daily = [h for h in aside if fold(h).startswith("daily")]
    if windows:
        notes.append(
            f"{len(windows)} lifetime, weekly and 28-day columns kept aside (rolling windows "
            f"are never summed across days): {_shown(windows)}"
        )
    if daily:
        notes.append(f"{len(daily)} daily columns kept aside (no daily metric): {_shown(daily)}")
    return metrics, notes


def _shown(headers: list[str], limit: int = 12) -> str:
    more = f", … ({len(headers) - limit} more)" if len(headers) > limit else ""
    return ", ".join(headers[:limit]) + more


SOURCES: list[Source] = [
    MetaFacebookVideos(),
    MetaFacebookPosts(),
    MetaInstagramPosts(),
    MetaInsightsDaily(),
    MetaAudience(),
    MetaPageInsightsLegacy(),
]
