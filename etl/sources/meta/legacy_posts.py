"""The legacy Facebook Page Insights export at post level (the old
"Export data → Post data", 2012-2018) as post snapshots.

Row 1 names the columns (``Post ID, Permalink, Post Message, Type,
Countries, Languages, Posted, Audience Targeting, Lifetime Post Total
Reach, ...``), row 2 describes them (``Lifetime: The total number of people
your Page post was served to. (Unique Users)``; blank under the first
eight), then one row per post. Every count is the post's lifetime total as
of the export, so each file is one snapshot of its posts, never summed with
another (the marts take the latest snapshot), exactly as the Meta content
export:

============== ======================================================
column         legacy column
============== ======================================================
reach          ``Lifetime Post Total Reach`` (unique people)
impressions    ``Lifetime Post Total Impressions``
reactions      ``Lifetime Post Stories by action type - like``, else
               ``Lifetime Talking About This (Post) by action type - like``
comments       the same two families, ``- comment``
shares         the same two families, ``- share``
link_clicks    ``Lifetime Post Consumptions by type - link clicks``
post_text      ``Post Message``
post_type      ``Type``: Photo, Video, Shared Video, Link, Status (text)
published_at   ``Posted``
============== ======================================================

*Post Stories* count actions (Total Count); *Talking About This* counts the
people who acted (Unique Users): the first is preferred, and the load's
notes say which one a file gave. Facebook leaves a by-action-type cell
empty when the post had none of that action (its breakdowns list non-zero
values only), so an empty cell under a column the file has is 0. All other
columns (organic and paid reach, engaged users, negative feedback, video
views, ...) are kept in ``extra`` under their header; a name that appears
twice (``Lifetime Organic Video Views``: Total Count, then Unique Users) is
told apart in the notes by its description.

``Posted`` is ``M/D/YYYY H:MM`` in Pacific time: the legacy Insights exports
wrote every date and time in Facebook's own zone (America/Los_Angeles,
with its daylight saving time), whatever the Page's country. A file whose
``Posted`` holds a first number above 12 was rewritten day first (Excel)
and is refused rather than read with day and month swapped.

The snapshot is the end of the period in the file name (``Facebook
Insights Data Export (Post Level) - <Page> - 2017-01-01 - 2017-06-30.csv``:
midnight after 30 June, Pacific time), capped at the load's clock; without
it, the load's clock. The account is ``--account``, else
``social.default_account``, as for the page-level export.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime

from core.errors import FileRejected
from core.sql import quote_literal
from core.vocab import fold
from etl.gx_import import gx
from etl.readers import REDOWNLOAD, RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import reject_damaged_timestamps, text_sql, timestamp_sql
from etl.sources.meta.extra import build_extra
from etl.sources.meta.shared import (
    LEGACY_POSTS_SOURCE,
    META_ID,
    is_column_name,
    legacy_descriptions,
    period_end,
    post_type_sql,
    reject_excel_ids,
    shown,
)
from etl.sources.platform_exports import account_for, find_columns, require_headers
from etl.sources.social import prepare_posts
from etl.validate import Check

# Facebook's own zone: the legacy exports wrote every time in it.
LEGACY_TIMEZONE = "America/Los_Angeles"
POSTED_FORMATS: tuple[str, ...] = (
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    # The export's Excel format: the reader writes a date cell as ISO text.
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)
POSTED_FORM_SHOWN = "M/D/YYYY H:MM"
LEGACY_POST_TYPES: dict[str, str] = {
    "Photo": "photo",
    "Video": "video",
    "Shared Video": "video",
    "Link": "link",
    "Status": "text",
}
_ACTIONS = (
    "Lifetime Post Stories by action type",
    "Lifetime Talking About This (Post) by action type",
)
# canonical key -> the legacy names that hold it, first found wins.
LEGACY_POST_ALIASES: dict[str, tuple[str, ...]] = {
    "post_id": ("Post ID",),
    "permalink": ("Permalink",),
    "post_text": ("Post Message",),
    "post_type": ("Type",),
    "published_at": ("Posted",),
    "reach": ("Lifetime Post Total Reach",),
    "impressions": ("Lifetime Post Total Impressions",),
    "reactions": tuple(f"{family} - like" for family in _ACTIONS),
    "comments": tuple(f"{family} - comment" for family in _ACTIONS),
    "shares": tuple(f"{family} - share" for family in _ACTIONS),
    "link_clicks": ("Lifetime Post Consumptions by type - link clicks",),
}
ACTION_COUNTS: tuple[str, ...] = ("reactions", "comments", "shares")
_PERIOD = re.compile(r"(\d{4})-(\d{2})-(\d{2}) - (\d{4})-(\d{2})-(\d{2})")
_SUFFIX = re.compile(r" \((\d+)\)$")


class MetaPostInsightsLegacy:
    """The old Page Insights "Export data → Post data": names, descriptions, posts."""

    kind = "Facebook Page Insights posts (legacy)"
    source = LEGACY_POSTS_SOURCE

    def matches(self, table: RawTable) -> bool:
        headers = {fold(h) for h in table.headers}
        lifetime = sum(1 for h in table.headers if is_column_name(h))
        return {"post id", "permalink", "post message", "posted"} <= headers and lifetime >= 3

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        descriptions, description_row = legacy_descriptions(table)
        notes: list[str] = []
        view = table
        if description_row is not None:
            table.con.execute(
                f"create or replace temp table meta_legacy_posts as select * from {table.name} "
                "where _source_row <> $row",
                {"row": description_row},
            )
            view = replace(table, name="meta_legacy_posts")
            notes.append(f"row {description_row} holds column descriptions: not loaded")
        found = find_columns(table.headers, LEGACY_POST_ALIASES)
        require_headers(table, found, {"post_id": "Post ID", "published_at": "Posted"})
        _reject_day_first(view, found["published_at"])
        snapshot_at, snapshot_note = legacy_snapshot(table.path.name, context)
        used = set(found.values())
        notes += [snapshot_note, *_column_notes(table.headers, found, descriptions)]
        notes += build_extra(view, table.headers, used)
        table.con.execute(
            "create or replace temp table meta_legacy_joined as select s.*, e.extra as __extra "
            f"from {view.name} s left join meta_extra e using (_source_row)"
        )
        exprs = _exprs(found, account_for(context))
        unmatched = [h for h in table.headers if h not in used]
        prepared = prepare_posts(
            replace(table, name="meta_legacy_joined"),
            exprs,
            context,
            source=self.source,
            snapshot_at=snapshot_at,
            unmatched=unmatched,
            notes=notes,
        )
        reject_excel_ids(table, prepared.frame, found["post_id"])
        reject_damaged_timestamps(table, prepared.frame, ["published_at"], POSTED_FORM_SHOWN)
        prepared.checks.append(
            Check(
                gx.expectations.ExpectColumnValuesToMatchRegex(column="post_id", regex=META_ID),
                lambda r: f"post id '{r['post_id']}' is not a Meta id (digits only)",
            )
        )
        return prepared


def _exprs(found: Mapping[str, str], account: str) -> dict[str, str]:
    """SQL text expressions for ``prepare_posts``."""

    def text(key: str) -> str:
        return text_sql(found.get(key))

    published = text("published_at")
    exprs = {
        "platform": quote_literal("Facebook"),
        "account": quote_literal(account),
        "post_id": text("post_id"),
        "published_at": timestamp_sql(published, LEGACY_TIMEZONE, POSTED_FORMATS),
        "published_at__text": published,
        "post_type": post_type_sql(text("post_type"), LEGACY_POST_TYPES),
        "post_text": text("post_text"),
        "permalink": text("permalink"),
        "extra": "__extra",
    }
    for column in ("reach", "impressions", "link_clicks"):
        exprs[column] = text(column)
    for column in ACTION_COUNTS:
        if column in found:
            # An empty by-action-type cell means none of that action.
            exprs[column] = f"coalesce({text(column)}, '0')"
    return exprs


def _reject_day_first(table: RawTable, header: str) -> None:
    """Refuse a file whose ``Posted`` was rewritten day first: Facebook wrote
    month first, so a first number above 12 proves the order changed, and the
    rows where both numbers are 12 or less cannot be read either way."""
    found = table.con.execute(
        f"select _source_row, {text_sql(header)} from {table.name} "
        f"where try_cast(regexp_extract({text_sql(header)}, '^(\\d{{1,2}})[/.-]', 1) as int) > 12 "
        "order by _source_row limit 1"
    ).fetchone()
    if found:
        raise FileRejected(
            table.path.name,
            f"Posted '{found[1]}' is day first, but Facebook wrote month first "
            f"({POSTED_FORM_SHOWN}): the dates were rewritten, so day and month cannot be "
            f"told apart; {REDOWNLOAD}",
            row=int(found[0]),
            column=header,
        )


def legacy_period(name: str) -> tuple[date, date] | None:
    """The ``YYYY-MM-DD - YYYY-MM-DD`` period in a legacy export's file name."""
    found = None
    for match in _PERIOD.finditer(name):
        parts = [int(p) for p in match.groups()]
        try:
            start, end = date(*parts[:3]), date(*parts[3:])
        except ValueError:
            continue
        if start <= end:
            found = (start, end)
    return found


def legacy_snapshot(name: str, context: LoadContext) -> tuple[datetime, str]:
    """When the lifetime counts were taken, and a note saying how: the end of
    the period in the file name (Pacific time), capped at the load's clock;
    else the load's clock."""
    now = context.now if context.now.tzinfo else context.now.replace(tzinfo=UTC)
    period = legacy_period(name)
    if period is None:
        return now, (
            "the file name carries no export period (YYYY-MM-DD - YYYY-MM-DD): counts are "
            f"filed as of the load, {now:%Y-%m-%d %H:%M} UTC"
        )
    return min(period_end(period[1], LEGACY_TIMEZONE), now), (
        f"counts are filed as of the end of the export period in the file name "
        f"({period[0]:%Y-%m-%d} to {period[1]:%Y-%m-%d}, Pacific time); Posted is read as "
        "Pacific time, as Facebook wrote it"
    )


def _column_notes(
    headers: list[str], found: Mapping[str, str], descriptions: Mapping[str, str]
) -> list[str]:
    """Which columns gave the engagement counts, and which of two columns of
    one name is which (by the unit its description names)."""
    notes = []
    actions = [f"{key} from '{found[key]}'" for key in ACTION_COUNTS if key in found]
    if actions:
        notes.append("engagement counts: " + ", ".join(actions) + " (an empty cell there is 0)")
    missing = [key for key in ACTION_COUNTS if key not in found]
    if missing:
        notes.append(f"no by-action-type column for {', '.join(missing)}: left empty")
    by_name: dict[str, list[str]] = {}
    for header in headers:
        by_name.setdefault(fold(_SUFFIX.sub("", header)), []).append(header)
    for same in (h for h in by_name.values() if len(h) > 1):
        units = [_unit(descriptions.get(h, "")) for h in same]
        told = ", ".join(f"'{h}' is {u}" for h, u in zip(same, units, strict=True) if u)
        if told:
            notes.append(f"'{same[0]}' appears {len(same)} times: {told} (kept in extra)")
    aside = [h for h in headers if h not in found.values()]
    if aside:
        notes.append(f"{len(aside)} columns kept in extra: {shown(aside)}")
    return notes


def _unit(description: str) -> str | None:
    """``Total Count`` or ``Unique Users``, as a legacy description ends."""
    match = re.search(r"\((Total Count|Unique Users)\)", description)
    return match.group(1) if match else None
