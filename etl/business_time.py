"""The business calendar, and business minutes as DuckDB SQL macros.

Business time counts only the cell's staffed hours (``business_hours`` in
``settings.yaml``, Asia/Karachi wall clock) on working days: days with hours
that are not Pakistan public holidays (the ``holidays`` package, corrected by
``holidays.extra`` and ``holidays.not_holidays``).

:func:`calendar_frame` builds one row per calendar date; :func:`install`
writes it to ``ref.business_calendar`` together with a one-row lookup table
``ref.business_time_index`` and these macros, each created both in schema
``main`` (call it unqualified) and in schema ``ref`` (``ref.business_minutes``):

``business_minutes(a, b)`` -> DOUBLE
    Business minutes between TIMESTAMPTZ ``a`` and ``b``; negative when
    ``b`` is before ``a``; NULL when either is NULL.
``add_business_minutes(a, n)`` -> TIMESTAMPTZ
    The instant at which ``n`` business minutes have passed after ``a`` (an
    item received out of hours starts counting at the next opening). ``n = 0``
    gives ``a``; a negative ``n`` gives NULL.
``business_cumulative_minutes(t)`` -> DOUBLE
    Business minutes from the start of the calendar to ``t``.

All three give NULL for instants outside the calendar (by default 2015-2035,
taken generously: from 14 hours before its first date to at least 12 hours
after its last, UTC, so every local day of the calendar is inside in any time zone);
``add_business_minutes`` gives NULL when the answer would be after the
calendar's last working day. Inputs that are not TIMESTAMPTZ are cast to it
(a naive TIMESTAMP is read in the session ``TimeZone``, which is UTC here).

How the macros stay vectorised: the cumulative business minutes at an
instant are those of the last opening at or before it plus the minutes since
that opening, capped at that day's hours. Finding "the last opening" is an
array lookup, not a join: time is cut into buckets no longer than the
shortest gap between two openings (one day with these settings), so a bucket
holds at most one opening, and ``ref.business_time_index`` stores per bucket
the opening before the bucket and the one inside it. The inverse
(``add_business_minutes``) does the same on the cumulative-minutes axis with
buckets as long as the shortest working day. The macros read the index
through uncorrelated scalar subqueries, which DuckDB evaluates once per query,
and name intermediate values with a lambda over a one-element list, because
DuckDB expands macros textually and would otherwise copy the subqueries at
every use of a parameter. Macros and tables are stored in the database file
and keep working when it is reopened; they name ``ref.business_time_index``
without a catalog, so the file may be copied and renamed. Every timestamp is
handled as epoch microseconds, so the session ``TimeZone`` does not matter
for TIMESTAMPTZ inputs.
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

import duckdb
import holidays
import numpy as np
import pandas as pd

from core.config import Settings, load_settings

DEFAULT_RANGE = (date(2015, 1, 1), date(2035, 12, 31))

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

CALENDAR_COLUMNS: tuple[str, ...] = (
    "calendar_date",
    "is_working_day",
    "holiday_name",
    "opens_at",
    "closes_at",
    "business_minutes",
    "cumulative_business_minutes",
)

# The schemas that get the macros: `main` (unqualified calls) and `ref`.
MACRO_SCHEMAS: tuple[str, ...] = ("main", "ref")

_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

_US_PER_MINUTE = 60_000_000
_US_PER_HOUR = 60 * _US_PER_MINUTE
_US_PER_DAY = 24 * _US_PER_HOUR
# Local days start between UTC+14 and UTC-12: the window of instants the
# macros answer for covers every local day of the calendar in any zone.
_BEFORE_FIRST_US = 14 * _US_PER_HOUR
_AFTER_LAST_US = 12 * _US_PER_HOUR
_MAX_BUCKETS = 5_000_000
# Sentinel for "no next opening": far beyond any real instant.
_NEVER_US = 2**62


def parse_hours(text: str | None, weekday: str = "") -> tuple[int, int] | None:
    """``"09:00-17:00"`` -> minutes after midnight ``(540, 1020)``; ``None`` -> ``None``."""
    if text is None or str(text).strip().lower() in ("", "none", "null", "closed"):
        return None
    match = _HOURS.match(str(text))
    where = f"business_hours.{weekday}" if weekday else "business hours"
    if not match:
        raise ValueError(f'{where} must look like "09:00-17:00", not {text!r}')
    oh, om, ch, cm = (int(part) for part in match.groups())
    opens, closes = oh * 60 + om, ch * 60 + cm
    if om > 59 or cm > 59 or opens > 24 * 60 or closes > 24 * 60:
        raise ValueError(f"{where}: {text!r} is not a time of day")
    if closes <= opens:
        raise ValueError(f"{where}: {text!r} closes before it opens (one interval within a day)")
    return opens, closes


def weekly_hours(settings: Settings) -> dict[int, tuple[int, int] | None]:
    """Weekday number (Monday = 0) -> opening and closing minute, or ``None``."""
    unknown = set(settings.business_hours) - set(WEEKDAYS)
    if unknown:
        raise ValueError(
            f"business_hours has unknown day(s) {', '.join(sorted(map(str, unknown)))}; "
            f"use {', '.join(WEEKDAYS)}"
        )
    return {
        number: parse_hours(settings.business_hours.get(name), name)
        for number, name in enumerate(WEEKDAYS)
    }


def _parse_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"{where}: {text!r} is not a date like 2025-06-09") from None


def holiday_names(start: date, end: date, settings: Settings) -> dict[date, str]:
    """Public holidays from ``start`` to ``end`` inclusive, date -> name.

    The ``holidays`` package's list for ``settings.holiday_country`` plus
    ``extra`` dates, minus ``not_holidays`` dates. A date may not be both.
    """
    extra = [(_parse_date(d, "holidays.extra"), name) for d, name in settings.extra_holidays]
    removed = {_parse_date(d, "holidays.not_holidays") for d in settings.not_holidays}
    clash = sorted(d for d, _ in extra if d in removed)
    if clash:
        raise ValueError(
            "holidays: "
            + ", ".join(d.isoformat() for d in clash)
            + " is listed both in extra and in not_holidays"
        )
    package = holidays.country_holidays(
        settings.holiday_country, years=range(start.year, end.year + 1)
    )
    names = {d: str(name) for d, name in package.items() if start <= d <= end}
    for d, name in extra:
        if not start <= d <= end:
            continue
        if d in names and name not in names[d].split("; "):
            names[d] = f"{names[d]}; {name}"
        else:
            names.setdefault(d, name)
    for d in removed:
        names.pop(d, None)
    return names


def calendar_frame(start: date, end: date, settings: Settings | None = None) -> pd.DataFrame:
    """One row per calendar date from ``start`` to ``end`` inclusive.

    Columns: ``calendar_date`` (``datetime.date``), ``is_working_day`` (bool),
    ``holiday_name`` (str, ``None`` when not a holiday), ``opens_at`` and
    ``closes_at`` (UTC timestamps, NaT when not a working day),
    ``business_minutes`` (int) and ``cumulative_business_minutes`` (int: the
    business minutes of all earlier dates in the frame).
    """
    if end < start:
        raise ValueError(f"the calendar ends ({end}) before it starts ({start})")
    settings = settings or load_settings()
    hours = weekly_hours(settings)
    names = holiday_names(start, end, settings)

    days = pd.date_range(start, end, freq="D")
    dates = [stamp.date() for stamp in days]
    weekday = days.weekday
    open_min = np.array([(hours[w] or (0, 0))[0] for w in weekday], dtype="int64")
    close_min = np.array([(hours[w] or (0, 0))[1] for w in weekday], dtype="int64")
    has_hours = np.array([hours[w] is not None for w in weekday], dtype=bool)
    is_holiday = np.array([d in names for d in dates], dtype=bool)
    working = has_hours & ~is_holiday

    zone = ZoneInfo(settings.timezone)  # fails early on a misspelt zone
    opens = (days + pd.to_timedelta(open_min, unit="m")).tz_localize(zone).tz_convert("UTC")
    closes = (days + pd.to_timedelta(close_min, unit="m")).tz_localize(zone).tz_convert("UTC")
    opens = opens.where(working)
    closes = closes.where(working)
    minutes = ((closes - opens).total_seconds() // 60).fillna(0).astype("int64").to_numpy()
    cumulative = np.concatenate([[0], np.cumsum(minutes)[:-1]]).astype("int64")

    return pd.DataFrame(
        {
            "calendar_date": pd.Series(dates, dtype="object"),
            "is_working_day": pd.Series(working, dtype=bool),
            "holiday_name": pd.Series([names.get(d) for d in dates], dtype="object"),
            "opens_at": pd.Series(opens),
            "closes_at": pd.Series(closes),
            "business_minutes": pd.Series(minutes, dtype="int64"),
            "cumulative_business_minutes": pd.Series(cumulative, dtype="int64"),
        }
    )


def default_frame(settings: Settings | None = None) -> pd.DataFrame:
    """The calendar over :data:`DEFAULT_RANGE`."""
    return calendar_frame(*DEFAULT_RANGE, settings=settings)


# ---------------------------------------------------------------- install


def _check_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a fresh index, or ``ValueError`` saying what is wrong."""
    missing = [c for c in CALENDAR_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"the calendar frame lacks column(s) {', '.join(missing)}")
    if frame.empty:
        raise ValueError("the calendar frame has no dates")
    frame = frame.reset_index(drop=True)
    days = pd.to_datetime(pd.Series(frame["calendar_date"]))
    if (days.diff().iloc[1:] != pd.Timedelta(days=1)).any():
        raise ValueError("the calendar frame must hold consecutive dates, each once, in order")
    working = frame["is_working_day"].astype(bool)
    opens = pd.to_datetime(frame["opens_at"], utc=True)
    closes = pd.to_datetime(frame["closes_at"], utc=True)
    if (working != opens.notna()).any() or (working != closes.notna()).any():
        raise ValueError("opens_at and closes_at must be set exactly on working days")
    minutes = frame["business_minutes"].astype("int64")
    span = ((closes - opens).dt.total_seconds() / 60).fillna(0)
    if (span != minutes).any() or (minutes[working] <= 0).any():
        raise ValueError("business_minutes must be closes_at - opens_at (and > 0) on working days")
    expected = minutes.cumsum() - minutes
    if (frame["cumulative_business_minutes"].astype("int64") != expected).any():
        raise ValueError("cumulative_business_minutes must count the earlier dates' minutes")
    if (opens[working].iloc[1:].to_numpy() < closes[working].iloc[:-1].to_numpy()).any():
        raise ValueError("a working day must open after the previous one closes")
    return frame


def _epoch_us(values: pd.Series | pd.Timestamp) -> np.ndarray:
    """UTC instants as microseconds since 1970-01-01 UTC."""
    stamps = pd.to_datetime(pd.Series(values), utc=True)
    return ((stamps - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(microseconds=1)).to_numpy(
        dtype="int64"
    )


def _pick(values: np.ndarray, idx: np.ndarray, none: object) -> pd.Series:
    """``values[idx]``, or ``none`` (may be ``None``) where ``idx`` is outside ``values``."""
    inside = (idx >= 0) & (idx < len(values))
    out = pd.Series(values[np.where(inside, idx, 0)] if len(values) else np.zeros(len(idx)))
    if none is None:
        return out.astype("Float64" if out.dtype.kind == "f" else "Int64").where(inside, None)
    return out.where(inside, none)


def index_frames(calendar: pd.DataFrame) -> tuple[dict[str, float], pd.DataFrame, pd.DataFrame]:
    """The lookup data of ``ref.business_time_index``, built from a checked calendar.

    Time axis: buckets of ``bucket_us`` microseconds from ``valid_from_us``, no
    longer than the shortest gap between two openings, so that at most one
    opening falls inside a bucket. Per bucket: the last opening at or before
    the bucket's start (``prev_*``; none -> minute 0) and the next one
    (``next_*``; none -> never). The cumulative business minutes at ``us``
    are then ``prev_cum + clamp(us - prev_open, 0, prev_minutes) +
    clamp(us - next_open, 0, next_minutes)``.

    Cumulative axis: buckets of ``cum_bucket_minutes`` (the shortest working
    day), so at most one working day ends inside a bucket. Per bucket: the
    first working day ending at or after the bucket's start (``first_*``)
    and the one after it (``next_*``; NULL when there is none).
    """
    working = calendar[calendar["is_working_day"].astype(bool)]
    open_us = _epoch_us(working["opens_at"])
    cum = working["cumulative_business_minutes"].to_numpy(dtype="float64")
    mins = working["business_minutes"].to_numpy(dtype="float64")
    end = cum + mins
    total = float(calendar["business_minutes"].sum())

    first_day = pd.Timestamp(calendar["calendar_date"].iloc[0])
    after_last = pd.Timestamp(calendar["calendar_date"].iloc[-1]) + pd.Timedelta(days=1)
    valid_from = int(_epoch_us(first_day)[0]) - _BEFORE_FIRST_US
    valid_to = int(_epoch_us(after_last)[0]) + _AFTER_LAST_US

    gaps = np.diff(open_us)
    bucket_us = int(min(_US_PER_DAY, gaps.min())) if len(gaps) else _US_PER_DAY
    n_time = -(-(valid_to - valid_from) // bucket_us)
    if n_time > _MAX_BUCKETS:
        raise ValueError("working days open too close together for the business-time index")
    starts = valid_from + bucket_us * np.arange(n_time, dtype="int64")
    prev = np.searchsorted(open_us, starts, side="right") - 1
    time_buckets = pd.DataFrame(
        {
            "bucket": np.arange(1, n_time + 1),
            "prev_open": _pick(open_us, prev, valid_from),
            "prev_cum": _pick(cum, prev, 0.0),
            "prev_minutes": _pick(mins, prev, 0.0),
            "next_open": _pick(open_us, prev + 1, _NEVER_US),
            "next_minutes": _pick(mins, prev + 1, 0.0),
        }
    )

    cum_bucket = float(mins.min()) if len(mins) else 1.0
    n_cum = int(total // cum_bucket) + 1
    first = np.searchsorted(end, cum_bucket * np.arange(n_cum), side="left")
    cum_buckets = pd.DataFrame(
        {
            "bucket": np.arange(1, n_cum + 1),
            "first_end": _pick(end, first, None),
            "first_cum": _pick(cum, first, None),
            "first_open": _pick(open_us, first, None),
            "next_cum": _pick(cum, first + 1, None),
            "next_open": _pick(open_us, first + 1, None),
        }
    )
    scalars = {
        "valid_from_us": valid_from,
        "bucket_us": bucket_us,
        "total_minutes": total,
        "cum_bucket_minutes": cum_bucket,
    }
    return scalars, time_buckets, cum_buckets


def _ix(column: str) -> str:
    return f"(SELECT {column} FROM ref.business_time_index)"


def macro_sql(schema: str) -> list[str]:
    """The ``CREATE MACRO`` statements for one schema, helpers first.

    Each lookup is one uncorrelated subquery on ``ref.business_time_index``
    (evaluated once per query). Lambdas over a one-element list bind the
    looked-up struct and the instant to a name, so that nesting the macros
    does not copy the subqueries (DuckDB expands macros textually).
    """
    s = schema
    per_minute = f"{_US_PER_MINUTE}.0"
    bucket = f"greatest(({{us}} - {_ix('valid_from_us')}) // {_ix('bucket_us')} + 1, 0)"
    return [
        # Cumulative business minutes at epoch microseconds _us.
        f"""CREATE OR REPLACE MACRO {s}._business_cum_us(_us) AS
        list_transform(
            [{{'u': _us, 'b': {_ix("time_buckets")}[{bucket.format(us="_us")}]}}],
            lambda _bt: _bt.b.prev_cum
                + least(greatest(_bt.u - _bt.b.prev_open, 0) / {per_minute}, _bt.b.prev_minutes)
                + least(greatest(_bt.u - _bt.b.next_open, 0) / {per_minute}, _bt.b.next_minutes)
        )[1]""",
        f"""CREATE OR REPLACE MACRO {s}.business_cumulative_minutes(t) AS
        {s}._business_cum_us(epoch_us(CAST(t AS TIMESTAMPTZ)))""",
        f"""CREATE OR REPLACE MACRO {s}.business_minutes(a, b) AS
        {s}._business_cum_us(epoch_us(CAST(b AS TIMESTAMPTZ)))
        - {s}._business_cum_us(epoch_us(CAST(a AS TIMESTAMPTZ)))""",
        # The instant at which the cumulative business minutes reach _c.
        f"""CREATE OR REPLACE MACRO {s}._business_instant(_c) AS
        list_transform(
            [{{'c': _c, 'b': {_ix("cum_buckets")}[
                CAST(greatest(floor(_c / {_ix("cum_bucket_minutes")}), -1) AS BIGINT) + 1]}}],
            lambda _bt: to_timestamp((CASE WHEN _bt.c <= _bt.b.first_end
                THEN _bt.b.first_open + round((_bt.c - _bt.b.first_cum) * {per_minute})
                ELSE _bt.b.next_open + round((_bt.c - _bt.b.next_cum) * {per_minute})
                END) / 1000000.0)
        )[1]""",
        f"""CREATE OR REPLACE MACRO {s}.add_business_minutes(a, n) AS
        CASE WHEN n > 0
             THEN {s}._business_instant({s}._business_cum_us(epoch_us(CAST(a AS TIMESTAMPTZ))) + n)
             WHEN n = 0 THEN CAST(a AS TIMESTAMPTZ)
        END""",
    ]


def install(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Write the calendar and the business-time macros into ``con``'s database.

    Creates schema ``ref`` if missing, replaces ``ref.business_calendar`` with
    ``frame`` (see :func:`calendar_frame`) and ``ref.business_time_index``
    with the lookup data built from it, and (re)creates the macros in schemas
    ``main`` and ``ref``. Run it again after changing the calendar.
    """
    frame = _check_frame(frame)
    scalars, time_buckets, cum_buckets = index_frames(frame)
    con.execute("CREATE SCHEMA IF NOT EXISTS ref")
    views = {
        "_business_calendar_frame": frame[list(CALENDAR_COLUMNS)],
        "_business_time_buckets": time_buckets,
        "_business_cum_buckets": cum_buckets,
    }
    for name, data in views.items():
        con.register(name, data)
    try:
        con.execute(
            """
            CREATE OR REPLACE TABLE ref.business_calendar AS
            SELECT CAST(calendar_date AS DATE) AS calendar_date,
                   CAST(is_working_day AS BOOLEAN) AS is_working_day,
                   CAST(holiday_name AS VARCHAR) AS holiday_name,
                   CAST(opens_at AS TIMESTAMPTZ) AS opens_at,
                   CAST(closes_at AS TIMESTAMPTZ) AS closes_at,
                   CAST(business_minutes AS INTEGER) AS business_minutes,
                   CAST(cumulative_business_minutes AS BIGINT) AS cumulative_business_minutes
            FROM _business_calendar_frame
            ORDER BY calendar_date
            """
        )
        con.execute(
            """
            CREATE OR REPLACE TABLE ref.business_time_index AS
            SELECT CAST(? AS BIGINT) AS valid_from_us,
                   CAST(? AS BIGINT) AS bucket_us,
                   CAST(? AS DOUBLE) AS total_minutes,
                   CAST(? AS DOUBLE) AS cum_bucket_minutes,
                   (SELECT list({
                        'prev_open': CAST(prev_open AS BIGINT),
                        'prev_cum': CAST(prev_cum AS DOUBLE),
                        'prev_minutes': CAST(prev_minutes AS DOUBLE),
                        'next_open': CAST(next_open AS BIGINT),
                        'next_minutes': CAST(next_minutes AS DOUBLE)} ORDER BY bucket)
                    FROM _business_time_buckets) AS time_buckets,
                   (SELECT list({
                        'first_end': CAST(first_end AS DOUBLE),
                        'first_cum': CAST(first_cum AS DOUBLE),
                        'first_open': CAST(first_open AS BIGINT),
                        'next_cum': CAST(next_cum AS DOUBLE),
                        'next_open': CAST(next_open AS BIGINT)} ORDER BY bucket)
                    FROM _business_cum_buckets) AS cum_buckets
            """,
            [
                scalars["valid_from_us"],
                scalars["bucket_us"],
                scalars["total_minutes"],
                scalars["cum_bucket_minutes"],
            ],
        )
    finally:
        for name in views:
            con.unregister(name)
    for schema in MACRO_SCHEMAS:
        for statement in macro_sql(schema):
            con.execute(statement)
