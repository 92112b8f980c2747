"""What every Meta loader shares: source names, the platform of a file,
Meta's post ids, the export period in a file name, post types as SQL, and
the description row of the legacy Page Insights exports."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from core.errors import FileRejected
from core.sql import quote_literal
from core.vocab import fold
from etl.readers import REDOWNLOAD, RawTable
from etl.sources.base import LoadContext
from etl.sources.platform_exports import naive_timezone

CONTENT_SOURCE = "meta_content"
VIDEO_SOURCE = "meta_video"
INSIGHTS_SOURCE = "meta_insights"
AUDIENCE_SOURCE = "meta_audience"
LEGACY_SOURCE = "meta_page_insights"
LEGACY_POSTS_SOURCE = "meta_post_insights"

PLATFORM_WORDS: dict[str, str] = {"facebook": "Facebook", "instagram": "Instagram"}
# The time windows the legacy Page Insights exports name their columns by.
WINDOWS: tuple[str, ...] = ("lifetime", "daily", "weekly", "28 days")

_META_PERIOD = re.compile(
    r"([A-Z][a-z]{2})-(\d{1,2})-(\d{4})_([A-Z][a-z]{2})-(\d{1,2})-(\d{4})_\d+", re.IGNORECASE
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
# Excel shows long numbers as 9.39006E+14 and saves them so: digits are lost.
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+\d+$")
META_ID = r"^[0-9]{1,25}(?:_[0-9]{1,25})?$"
# A legacy description cell: its window, a colon, then prose.
_DESCRIPTION = re.compile(r"^\s*(lifetime|daily|weekly|28 days)\s*:", re.IGNORECASE)


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


# --- Post ids, types and snapshot times ------------------------------------


def reject_excel_ids(table: RawTable, frame: pd.DataFrame, header: str) -> None:
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


def post_type_sql(text: str, post_types: Mapping[str, str], default: str | None = None) -> str:
    """Meta's post type as the canonical one; unknown types lower-cased."""
    whens = " ".join(
        f"when {quote_literal(name.lower())} then {quote_literal(canonical)}"
        for name, canonical in post_types.items()
    )
    fallback = quote_literal(default) if default else "null"
    return f"coalesce(case lower({text}) {whens} else lower({text}) end, {fallback})"


def sql_tuple(values: Iterable[str]) -> str:
    return "(" + ", ".join(quote_literal(v) for v in values) + ")"


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
    return min(period_end(period[1], naive_timezone(context)), now), (
        f"counts are filed as of the end of the export period in the file name "
        f"({period[0]:%Y-%m-%d} to {period[1]:%Y-%m-%d})"
    )


def period_end(last_day: date, timezone: str) -> datetime:
    """Midnight after ``last_day`` in ``timezone``, in UTC."""
    zone = ZoneInfo(timezone)
    return datetime.combine(last_day + timedelta(days=1), time(0), zone).astimezone(UTC)


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


# --- Legacy Page Insights exports ------------------------------------------


def is_column_name(header: str) -> bool:
    """A legacy column *name* (``Lifetime Post Total Reach``), not one of the
    descriptions under it (``Lifetime: The number of people ...``): a
    description row read as a header must not pass for an export's header."""
    return fold(header).startswith(WINDOWS) and not _DESCRIPTION.match(header)


def legacy_descriptions(table: RawTable) -> tuple[dict[str, str], int | None]:
    """header -> description from the row under the header, when that row is
    one (blank first cell, cells starting ``Daily:``, ``Lifetime:``, ...)."""
    first = table.header_row + 1
    cells = table.con.execute(
        f"select * exclude (_source_row) from {table.name} where _source_row = ?", [first]
    ).fetchall()
    if not cells:
        return {}, None
    values = dict(zip(table.headers, cells[0], strict=False))
    described = [v for v in list(values.values())[1:] if v and fold(v.split(":")[0]) in WINDOWS]
    filled = [v for v in list(values.values())[1:] if v]
    if values.get(table.headers[0]) or not filled or len(described) < len(filled) / 2:
        return {}, None
    return {h: v for h, v in values.items() if v}, first


def shown(headers: list[str], limit: int = 12) -> str:
    more = f", … ({len(headers) - limit} more)" if len(headers) > limit else ""
    return ", ".join(headers[:limit]) + more
