"""Helpers every platform-export loader shares (X, YouTube, TikTok, Meta).

Finding columns by folded name, the account and timezone of a load, the
snapshot time from an export's period, ``extra`` JSON of columns kept aside,
daily metrics in long form, and reading dates that Excel may have rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from core.errors import FileRejected
from core.privacy import redact
from core.sql import quote_identifier, quote_literal
from core.vocab import fold
from etl.gx_import import gx
from etl.readers import REDOWNLOAD, RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import reject_damaged_timestamps, text_sql
from etl.sources.social import number_sql, placeholder_free_sql
from etl.validate import Check

# (candidates for etl/sources/social.py, which this change does not edit)

_PERIOD = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})_(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


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
    """``--account``, else the settings' default account; typed by a person,
    so any CNIC, phone number or email in it is redacted."""
    return redact(
        context.account or str(context.settings.social.get("default_account", "KP Police"))
    )


def naive_timezone(context: LoadContext) -> str:
    """Where times without a zone are read (``social.naive_timezone``)."""
    return str(context.settings.social.get("naive_timezone", context.settings.timezone))


def naive_time_sql(text: str, timezone: str, formats: Iterable[str]) -> str:
    """SQL: ``text`` in one of ``formats`` (no zone) as wall-clock time in
    ``timezone``, to a UTC TIMESTAMPTZ; NULL when unreadable."""
    shown = ", ".join(quote_literal(f) for f in formats)
    return f"timezone({quote_literal(timezone)}, try_strptime({text}, [{shown}]))"


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
    items = [f"{quote_literal(key)}, {number_sql(text_sql(h))}" for key, h in known.items()]
    for header in others:
        text = text_sql(header)
        number = number_sql(text)
        items.append(
            f"{quote_literal(header)}, case when {number} is not null then to_json({number}) "
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
        f"{quote_literal(key + ' ')} || '''' || {text_sql(h)} || ''' is not a number' end"
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
    columns = ", ".join(f"{text_sql(h)} as {quote_identifier(m)}" for m, h in metrics.items())
    names = ", ".join(quote_identifier(m) for m in metrics)
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
    shown = ", ".join(quote_literal(f) for f in formats)
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
