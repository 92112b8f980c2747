"""Pieces every source uses: header matching, text and time parsing in SQL.

Parsing runs in the in-memory DuckDB that holds the file (set work, fast at
a million rows); the result comes back as a pandas DataFrame for Great
Expectations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import pandas as pd

from core.errors import FileRejected
from core.sources import match_headers  # noqa: F401  (re-exported: the sources' import)
from core.sql import quote_identifier, quote_literal
from core.vocab import PLACEHOLDERS, fold
from etl.readers import REDOWNLOAD, RawTable

# Register timestamps: ISO dates with a time, as the template and Excel write.
ISO_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
)
_OFFSET = r"(Z|[+-]\d\d(:?\d\d)?)$"
# Share of unreadable values that says the column, not a row, is wrong.
COLUMN_DAMAGE_SHARE = 0.5


def require_columns(table: RawTable, found: Mapping[str, str], required: Iterable[str]) -> None:
    missing = [column for column in required if column not in found]
    if missing:
        raise FileRejected(
            table.path.name,
            f"required column {', '.join(missing)} is missing "
            f"(the header has: {', '.join(table.headers[:12])}"
            f"{', …' if len(table.headers) > 12 else ''})",
            row=table.header_row,
            column=missing[0],
        )


def text_sql(header: str | None) -> str:
    """A trimmed text column; blank and lone spaces become NULL."""
    if header is None:
        return "cast(null as varchar)"
    return f"nullif(trim({quote_identifier(header)}), '')"


# Spaces of every kind a spreadsheet cell may hold (non-breaking ones too).
_SPACES = " \t\r\n\u00a0\u2007\u202f"


def is_placeholder(value: object) -> bool:
    """A cell staff type for "nothing here": ``N/A``, ``-``, ``—``, ``none``, …
    (``core.vocab.PLACEHOLDERS``, any case) or spaces of any kind."""
    if value is None:
        return True
    text = str(value).strip(_SPACES).lower()
    return text == "" or text in PLACEHOLDERS


def placeholder_sql(text: str) -> str:
    """SQL: ``text`` is a placeholder (``is_placeholder``). Costly on every
    row of a big file: the loaders ask it only of values that did not read
    as anything else (a time that did not parse)."""
    listed = ", ".join(quote_literal(p) for p in ("", *PLACEHOLDERS))
    return f"lower(trim({text}, {quote_literal(_SPACES)})) in ({listed})"


def blank_placeholders_sql(text: str) -> str:
    """``text``, or NULL where it is a placeholder (``placeholder_sql``). On
    every row of a big file this costs a little: the inquiry register asks
    only of values that read as nothing else."""
    return f"case when {placeholder_sql(text)} then null else {text} end"


def naive_sql(text: str, formats: Iterable[str] = ISO_FORMATS) -> str:
    """SQL reading ``text`` as a naive TIMESTAMP in one of ``formats``.

    ``formats`` starting with ``ISO_FORMATS`` use DuckDB's cast for those
    (fast), then ``strptime`` for the rest.
    """
    formats = tuple(formats)
    rest = formats
    parts = []
    if formats[: len(ISO_FORMATS)] == ISO_FORMATS:
        parts.append(f"try_cast({text} as timestamp)")
        rest = formats[len(ISO_FORMATS) :]
    if rest:
        listed = ", ".join(quote_literal(f) for f in rest)
        parts.append(f"try_strptime({text}, [{listed}])")
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def timestamp_sql(text: str, timezone: str, formats: Iterable[str] = ISO_FORMATS) -> str:
    """SQL turning ``text`` into a UTC TIMESTAMPTZ.

    A value carrying its own offset (``Z``, ``+05:00``) is taken as it says;
    a naive one is wall-clock time in ``timezone``. ISO text uses DuckDB's
    cast (fast); other formats go through ``strptime``.
    """
    naive = naive_sql(text, formats)
    return (
        f"case when {text} is null then null "
        f"when regexp_matches(right({text}, 6), '{_OFFSET}') "
        f"then try_cast({text} as timestamptz) "
        f"else timezone({quote_literal(timezone)}, {naive}) end"
    )


def vocabulary_map(
    con: duckdb.DuckDBPyConnection, name: str, column: str, table: Mapping[str, str]
) -> str:
    """Register ``vocab_<name>`` (text -> canonical, and ``blank``: the text
    is a placeholder such as ``N/A``) for the distinct values of ``column``
    in table ``texts``; return its name. Folding runs once per distinct
    spelling, not once per row."""
    values = [v for (v,) in con.execute(f"select distinct {column} from texts").fetchall()]
    frame = pd.DataFrame(
        {
            "text": values,
            "canonical": [table.get(fold(v)) for v in values],
            "blank": [is_placeholder(v) for v in values],
        }
    ).astype({"text": object, "canonical": object, "blank": bool})
    con.register(f"vocab_{name}", frame)
    return f"vocab_{name}"


def reject_damaged_timestamps(
    table: RawTable, frame: pd.DataFrame, columns: Iterable[str], expected: str
) -> None:
    """Reject the file when most values of a timestamp column are unreadable.

    One bad value is a row's problem (quarantine); a whole column written
    as ``14/01/2025`` is the file's (Excel re-saved it): reject it.
    """
    for column in columns:
        unparsed = frame[f"{column}__unparsed"].dropna()
        given = frame[column].notna().sum() + len(unparsed)
        if len(unparsed) >= 5 and len(unparsed) > COLUMN_DAMAGE_SHARE * given:
            first = frame.loc[unparsed.index[0], "_source_row"]
            raise FileRejected(
                table.path.name,
                f"{len(unparsed):,} of {given:,} values are not dates in the form {expected} "
                f"(first: '{unparsed.iloc[0]}'); if Excel rewrote the dates, {REDOWNLOAD}",
                row=int(first),
                column=column,
            )


def reject_damaged_timestamps_sql(
    table: RawTable,
    relation: str,
    columns: Iterable[str],
    expected: str,
    labels: Mapping[str, str] | None = None,
) -> None:
    """``reject_damaged_timestamps`` on a DuckDB relation holding ``<column>``
    and ``<column>__unparsed`` for each column (counted in SQL, before any
    folding of rows)."""
    labels = labels or {}
    columns = list(columns)
    if not columns:
        return
    # One pass for every column: ``relation`` may be a view over the file.
    stats = []
    for column in columns:
        value, unparsed = quote_identifier(column), quote_identifier(f"{column}__unparsed")
        stats.append(
            f"count({unparsed}), count({value}) + count({unparsed}), "
            f"arg_min({unparsed}, _source_row), min(_source_row) filter "
            f"(where {unparsed} is not null)"
        )
    found = table.con.execute(f"select {', '.join(stats)} from {relation}").fetchall()[0]
    for index, column in enumerate(columns):
        count, given, first, row = found[4 * index : 4 * index + 4]
        if count >= 5 and count > COLUMN_DAMAGE_SHARE * given:
            raise FileRejected(
                table.path.name,
                f"{count:,} of {given:,} values are not dates in the form {expected} "
                f"(first: '{first}'); if Excel rewrote the dates, {REDOWNLOAD}",
                row=int(row),
                column=labels.get(column, column),
            )


# --- the order of day and month -------------------------------------------------

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
# A value starting like 03/04/2026 (also with - or .): the only ones whose
# reading depends on the order.
NUMERIC_DATE = r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(\D|$)"
_NUMERIC_PARTS = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}")
_TIMES: tuple[str, ...] = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
# The clock may run a little ahead of the computer that wrote the file.
FUTURE_TOLERANCE = timedelta(minutes=10)


def numeric_formats(order: str) -> tuple[str, ...]:
    """strptime formats of numeric dates (``/``, ``-`` or ``.``; optional time,
    24-hour or with AM/PM) in ``order`` (``day-first`` or ``month-first``)."""
    first, second = ("%d", "%m") if order == DAY_FIRST else ("%m", "%d")
    return tuple(f"{first}{sep}{second}{sep}%Y{time}" for sep in "/-." for time in _TIMES)


def register_formats(order: str) -> tuple[str, ...]:
    """ISO, then numeric dates in ``order``: what a register's time may be."""
    return ISO_FORMATS + numeric_formats(order)


def register_form(order: str) -> str:
    """How a register's time is written, for messages."""
    other = "DD/MM/YYYY HH:MM" if order == DAY_FIRST else "MM/DD/YYYY HH:MM"
    return f"YYYY-MM-DD HH:MM or {other}"


def swap_day_month(form: str) -> str:
    """``%d/%m/%Y`` -> ``%m/%d/%Y``."""
    return form.replace("%d", "\x00").replace("%m", "%d").replace("\x00", "%m")


@dataclass(frozen=True)
class DateReading:
    """How a file's times are read: its formats, how to say them, and a note
    for the person loading it (which order was used, and why)."""

    formats: tuple[str, ...]
    shown: str
    note: str | None = None


@dataclass(frozen=True)
class _Example:
    row: int
    column: str
    text: str
    given: datetime | None
    swapped: datetime | None


@dataclass(frozen=True)
class _Proof:
    """What a file's values say about two readings (``given`` formats and the
    same with day and month ``swapped``)."""

    given_only: _Example | None  # a value only the given formats read
    swapped_only: _Example | None  # a value only the swapped formats read
    differ: _Example | None  # a value both read, differently
    given_future: _Example | None  # in the future as given, not when swapped
    swapped_future: _Example | None  # in the future when swapped, not as given
    n_given_future: int


def _proof(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    columns: Iterable[str],
    given: tuple[str, ...],
    swapped: tuple[str, ...],
    timezone: str,
    now: datetime,
    prefilter: str | None,
) -> _Proof:
    values = " union all ".join(
        f"select _source_row as r, {quote_literal(c)} as c, {quote_identifier(c)} as v "
        f"from {relation} where {quote_identifier(c)} is not null"
        + (
            f" and regexp_matches({quote_identifier(c)}, {quote_literal(prefilter)})"
            if prefilter
            else ""
        )
        for c in columns
    )
    zone = quote_literal(timezone)
    example = (
        "[cast(r as varchar), c, v, strftime(g, '%Y-%m-%d %H:%M'), strftime(s, '%Y-%m-%d %H:%M')]"
    )
    given_future = f"g <> s and timezone({zone}, g) > $latest and timezone({zone}, s) <= $latest"
    swapped_future = f"g <> s and timezone({zone}, s) > $latest and timezone({zone}, g) <= $latest"
    row = con.execute(
        f"""
        with vals as ({values}),
        readings as (
            select r, c, v, {naive_sql("v", given)} as g, {naive_sql("v", swapped)} as s
            from vals
        )
        select
            arg_min({example}, r) filter (where g is not null and s is null),
            arg_min({example}, r) filter (where s is not null and g is null),
            arg_min({example}, r) filter (where g <> s),
            arg_min({example}, r) filter (where {given_future}),
            arg_min({example}, r) filter (where {swapped_future}),
            count(*) filter (where {given_future})
        from readings
        """,
        {"latest": now + FUTURE_TOLERANCE},
    ).fetchall()[0]

    def example_of(cells: list | None) -> _Example | None:
        if cells is None:
            return None
        r, c, v, g, s = cells
        return _Example(int(r), c, v, _stamp(g), _stamp(s))

    return _Proof(*(example_of(cells) for cells in row[:5]), int(row[5]))


def _stamp(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _day(value: datetime | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"


def _no_month(text: str, order: str) -> str:
    """The number that cannot be a month when ``text`` is read in ``order``."""
    match = _NUMERIC_PARTS.match(text)
    if not match:
        return "?"
    return match.group(2) if order == DAY_FIRST else match.group(1)


def read_register_dates(
    table: RawTable,
    relation: str,
    columns: Iterable[str],
    *,
    order: str | None,
    timezone: str,
    now: datetime,
    labels: Mapping[str, str] | None = None,
) -> DateReading:
    """Decide how a register's numeric dates (``03/04/2026``) are read.

    ``order`` is the settings' ``date_order`` (``None``: no order set). ISO
    dates are never in doubt. Otherwise:

    - a file **proves** its order when one of its dates can be read only one
      way (``25/03/2026``: there is no month 25); it is read that way, with
      a note when that is not the settings' order;
    - a file proving both orders (``25/03/2026`` and ``03/25/2026``) is
      refused: its dates were typed both ways and none can be trusted;
    - a file that proves nothing is read in the settings' order, unless it
      is **ambiguous**: no order is set, or the settings' order puts a date
      in the future where the other order would not (``03/04/2026`` read as
      3 April in March): then it is refused in one line, never swapped.
    """
    labels = labels or {}
    columns = tuple(columns)
    day, month = register_formats(DAY_FIRST), register_formats(MONTH_FIRST)
    proof = _proof(table.con, relation, columns, day, month, timezone, now, NUMERIC_DATE)
    name = table.path.name
    by_day, by_month = proof.given_only, proof.swapped_only
    if by_day and by_month:
        raise FileRejected(
            name,
            f"'{by_month.text}' is month-first (there is no month "
            f"{_no_month(by_month.text, DAY_FIRST)}) but '{by_day.text}' (row {by_day.row}, "
            f"{labels.get(by_day.column, by_day.column)}) is day-first (there is no month "
            f"{_no_month(by_day.text, MONTH_FIRST)}): the dates were typed both ways, so none "
            "can be trusted; write them one way (YYYY-MM-DD HH:MM is never ambiguous)",
            row=by_month.row,
            column=labels.get(by_month.column, by_month.column),
        )
    setting = "date_order in data/config/settings.yaml"
    if by_day or by_month:
        proven = DAY_FIRST if by_day else MONTH_FIRST
        sample = by_day or by_month
        note = None
        if order != proven:
            said = f"not {order} as {setting} says" if order else f"{setting} is not set"
            note = (
                f"dates read {proven}, as the file proves ('{sample.text}', row {sample.row}: "
                f"there is no month {_no_month(sample.text, MONTH_FIRST if by_day else DAY_FIRST)}"
                f"); {said}"
            )
        return DateReading(register_formats(proven), register_form(proven), note)
    if proof.differ is None:  # every date reads the same either way
        chosen = order or DAY_FIRST
        return DateReading(register_formats(chosen), register_form(chosen))
    doubt = proof.differ
    where = labels.get(doubt.column, doubt.column)
    if order is None:
        raise FileRejected(
            name,
            f"'{doubt.text}' could be {_day(doubt.given)} (day-first) or {_day(doubt.swapped)} "
            f"(month-first), no date in the file settles which, and {setting} is not set: "
            "set it (or load with --date-order), or write dates as YYYY-MM-DD HH:MM",
            row=doubt.row,
            column=where,
        )
    future = proof.given_future if order == DAY_FIRST else proof.swapped_future
    if future is not None:
        reading, other = (
            (future.given, future.swapped) if order == DAY_FIRST else (future.swapped, future.given)
        )
        other_order = MONTH_FIRST if order == DAY_FIRST else DAY_FIRST
        raise FileRejected(
            name,
            f"read {order} ({setting}), '{future.text}' is {_day(reading)}, in the future; "
            f"{other_order} it would be {_day(other)}: the file does not prove its order, so "
            f"it is not loaded; if it is {other_order}, load it with --date-order {other_order}, "
            "or write dates as YYYY-MM-DD HH:MM",
            row=future.row,
            column=labels.get(future.column, future.column),
        )
    example = doubt.given if order == DAY_FIRST else doubt.swapped
    note = (
        f"numeric dates read {order}, as {setting} says ('{doubt.text}' is {_day(example)}); "
        "no date in the file proves the order"
    )
    return DateReading(register_formats(order), register_form(order), note)


def read_explicit_dates(
    table: RawTable,
    relation: str,
    columns: Iterable[str],
    formats: tuple[str, ...],
    *,
    timezone: str,
    now: datetime,
    where: str,
    labels: Mapping[str, str] | None = None,
) -> DateReading:
    """Check a mapping's ``timestamp_formats`` against the file's dates.

    When the formats put day and month in an order the file proves wrong,
    the file is refused in one line naming ``where`` the formats are
    written: a value only the swapped formats can read (``03/25/2026``
    under ``%d/%m/%Y``) while none needs the formats as given, or dates in
    the future as given that the swapped reading puts in the past.
    """
    labels = labels or {}
    shown = " or ".join(formats)
    if not any("%d" in f and "%m" in f for f in formats):
        return DateReading(formats, shown)
    swapped = tuple(swap_day_month(f) for f in formats)
    proof = _proof(table.con, relation, tuple(columns), formats, swapped, timezone, now, None)
    if proof.given_only is not None:  # the file proves the formats right
        return DateReading(formats, shown)
    wrong = proof.swapped_only
    if wrong is not None:
        raise FileRejected(
            table.path.name,
            f"'{wrong.text}' cannot be read as {shown} but can as {' or '.join(swapped)} "
            f"({_day(wrong.swapped)}): day and month are the other way round in this file; "
            f"change timestamp_formats ({where}) to {', '.join(swapped)}",
            row=wrong.row,
            column=labels.get(wrong.column, wrong.column),
        )
    future = proof.given_future
    if future is not None:
        raise FileRejected(
            table.path.name,
            f"read as {shown} ({where}), '{future.text}' is {_day(future.given)}, in the "
            f"future ({proof.n_given_future:,} such date{'s' if proof.n_given_future > 1 else ''}); "
            f"as {' or '.join(swapped)} it is "
            f"{_day(future.swapped)}: day and month are probably the other way round; check "
            "the export and change timestamp_formats",
            row=future.row,
            column=labels.get(future.column, future.column),
        )
    return DateReading(formats, shown)
