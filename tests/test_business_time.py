"""Business calendar and the business-time macros, on in-memory DuckDB.

Every expected value is worked out by hand in a comment. PKT (Asia/Karachi)
is UTC+5 all year. Default hours: Monday-Saturday 09:00-17:00 PKT (480
minutes), Sunday closed. Pakistan public holidays used here, as the
``holidays`` package lists them for PK in 2025 (fixed-date ones):
Wed 2025-02-05 Kashmir Solidarity Day, Sun 2025-03-23 Pakistan Day,
Thu 2025-08-14 Independence Day.

August 2025: Sun 10, Mon 11, Tue 12, Wed 13, Thu 14 (holiday), Fri 15,
Sat 16, Sun 17, Mon 18, ..., Thu 21, Fri 22, Sat 23, Sun 24, Mon 25.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from core.config import Settings, load_settings
from etl.business_time import (
    DEFAULT_RANGE,
    calendar_frame,
    install,
    parse_hours,
)

PKT = timezone(timedelta(hours=5))

SETTINGS_TEMPLATE = """\
timezone: Asia/Karachi
business_hours:
{hours}
holidays:
  country: PK
  extra:
{extra}
  not_holidays: {not_holidays}
sla:
  first_response_business_minutes: 120
  working_day_business_minutes: 480
  resolution_working_days: {{complaint: 10}}
plausible_from: "2015-01-01"
"""

STANDARD_HOURS = {
    "mon": "09:00-17:00",
    "tue": "09:00-17:00",
    "wed": "09:00-17:00",
    "thu": "09:00-17:00",
    "fri": "09:00-17:00",
    "sat": "09:00-17:00",
    "sun": None,
}


def write_settings(
    directory: Path,
    hours: dict[str, str | None] = STANDARD_HOURS,
    extra: tuple[tuple[str, str], ...] = (),
    not_holidays: tuple[str, ...] = (),
) -> Settings:
    hour_lines = "\n".join(
        f'  {day}: "{value}"' if value else f"  {day}: null" for day, value in hours.items()
    )
    extra_lines = "\n".join(f'    - {{date: {d}, name: "{name}"}}' for d, name in extra) or ""
    path = directory / "settings.yaml"
    path.write_text(
        SETTINGS_TEMPLATE.format(
            hours=hour_lines,
            extra=extra_lines,
            not_holidays="[" + ", ".join(not_holidays) + "]",
        ),
        encoding="utf-8",
    )
    return load_settings(path)


def connect(frame: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    install(con, frame)
    return con


def pkt(text: str) -> datetime:
    """'2025-08-12 16:30' on the Karachi wall clock, as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=PKT)


def minutes(con: duckdb.DuckDBPyConnection, a: datetime | None, b: datetime | None) -> float:
    return con.execute(
        "SELECT business_minutes(?::TIMESTAMPTZ, ?::TIMESTAMPTZ)", [a, b]
    ).fetchone()[0]


def add(con: duckdb.DuckDBPyConnection, a: datetime | None, n: float | None) -> datetime | None:
    return con.execute("SELECT add_business_minutes(?::TIMESTAMPTZ, ?::DOUBLE)", [a, n]).fetchone()[
        0
    ]


@pytest.fixture(scope="module")
def standard(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return write_settings(tmp_path_factory.mktemp("standard"))


@pytest.fixture(scope="module")
def con(standard: Settings) -> duckdb.DuckDBPyConnection:
    connection = connect(calendar_frame(date(2025, 1, 1), date(2025, 12, 31), standard))
    yield connection
    connection.close()


# ---------------------------------------------------------------- the frame


def test_calendar_frame_rows(standard: Settings) -> None:
    frame = calendar_frame(date(2025, 8, 10), date(2025, 8, 18), standard)
    assert list(frame.columns) == [
        "calendar_date",
        "is_working_day",
        "holiday_name",
        "opens_at",
        "closes_at",
        "business_minutes",
        "cumulative_business_minutes",
    ]
    assert frame["calendar_date"].tolist() == [date(2025, 8, d) for d in range(10, 19)]
    # Sun 10 closed, Mon 11 - Wed 13 open, Thu 14 Independence Day,
    # Fri 15 - Sat 16 open, Sun 17 closed, Mon 18 open.
    assert frame["is_working_day"].tolist() == [
        False,
        True,
        True,
        True,
        False,
        True,
        True,
        False,
        True,
    ]
    assert frame["business_minutes"].tolist() == [0, 480, 480, 480, 0, 480, 480, 0, 480]
    # Minutes of all earlier rows: 0, 0, 480, 960, 1440, 1440, 1920, 2400, 2400.
    assert frame["cumulative_business_minutes"].tolist() == [
        0,
        0,
        480,
        960,
        1440,
        1440,
        1920,
        2400,
        2400,
    ]
    assert frame.loc[4, "holiday_name"] == "Independence Day"
    assert frame.loc[1, "holiday_name"] is None
    # Mon 11 09:00 PKT = 04:00 UTC; 17:00 PKT = 12:00 UTC.
    assert frame.loc[1, "opens_at"] == pd.Timestamp("2025-08-11 04:00", tz="UTC")
    assert frame.loc[1, "closes_at"] == pd.Timestamp("2025-08-11 12:00", tz="UTC")
    assert str(frame["opens_at"].dt.tz) == "UTC"
    assert pd.isna(frame.loc[0, "opens_at"]) and pd.isna(frame.loc[4, "closes_at"])


def test_holiday_on_a_sunday_is_named(standard: Settings) -> None:
    frame = calendar_frame(date(2025, 3, 23), date(2025, 3, 23), standard)
    # Pakistan Day 2025 falls on a Sunday: named, not working either way.
    assert frame.loc[0, "holiday_name"] == "Pakistan Day"
    assert not frame.loc[0, "is_working_day"]


def test_default_range_builds() -> None:
    first, last = DEFAULT_RANGE
    assert (first, last) == (date(2015, 1, 1), date(2035, 12, 31))
    # Uses the live settings.yaml; only the shape is checked.
    frame = calendar_frame(date(2025, 1, 1), date(2025, 1, 7))
    assert len(frame) == 7


def test_parse_hours() -> None:
    assert parse_hours("09:00-17:00") == (540, 1020)  # 9*60, 17*60
    assert parse_hours("08:30 - 24:00") == (510, 1440)
    assert parse_hours(None) is None
    for bad in ("9-5", "17:00-09:00", "09:00-25:00", "09:75-10:00"):
        with pytest.raises(ValueError):
            parse_hours(bad, "mon")


def test_install_table_types(con: duckdb.DuckDBPyConnection) -> None:
    types = dict(con.execute("DESCRIBE ref.business_calendar").fetchall()[i][:2] for i in range(7))
    assert types == {
        "calendar_date": "DATE",
        "is_working_day": "BOOLEAN",
        "holiday_name": "VARCHAR",
        "opens_at": "TIMESTAMP WITH TIME ZONE",
        "closes_at": "TIMESTAMP WITH TIME ZONE",
        "business_minutes": "INTEGER",
        "cumulative_business_minutes": "BIGINT",
    }
    # 2025 has 365 days.
    assert con.execute("SELECT count(*) FROM ref.business_calendar").fetchone()[0] == 365


# ------------------------------------------------------- business_minutes


def test_within_one_day(con: duckdb.DuckDBPyConnection) -> None:
    # Tue 12 Aug 10:00 -> 12:30 = 150 minutes.
    assert minutes(con, pkt("2025-08-12 10:00"), pkt("2025-08-12 12:30")) == 150


def test_across_an_evening(con: duckdb.DuckDBPyConnection) -> None:
    # Tue 16:30 -> 17:00 = 30, Wed 09:00 -> 09:30 = 30: 60.
    assert minutes(con, pkt("2025-08-12 16:30"), pkt("2025-08-13 09:30")) == 60
    # The other way round: -60.
    assert minutes(con, pkt("2025-08-13 09:30"), pkt("2025-08-12 16:30")) == -60


def test_across_a_weekend(con: duckdb.DuckDBPyConnection) -> None:
    # Fri 22 Aug 16:00 -> 17:00 = 60, Sat 23 = 480, Sun 24 closed = 0,
    # Mon 25 09:00 -> 10:00 = 60: 600.
    assert minutes(con, pkt("2025-08-22 16:00"), pkt("2025-08-25 10:00")) == 600


def test_across_independence_day(con: duckdb.DuckDBPyConnection) -> None:
    # Wed 13 Aug 16:30 -> 17:00 = 30, Thu 14 holiday = 0, Fri 15 09:00 -> 09:30 = 30: 60.
    assert minutes(con, pkt("2025-08-13 16:30"), pkt("2025-08-15 09:30")) == 60


def test_across_kashmir_day(con: duckdb.DuckDBPyConnection) -> None:
    # Tue 4 Feb 12:00 -> 17:00 = 300, Wed 5 Feb holiday = 0, Thu 6 09:00 -> 12:00 = 180: 480.
    assert minutes(con, pkt("2025-02-04 12:00"), pkt("2025-02-06 12:00")) == 480


def test_start_out_of_hours(con: duckdb.DuckDBPyConnection) -> None:
    # Tue 07:00 (before opening) -> 10:00: only 09:00 -> 10:00 = 60.
    assert minutes(con, pkt("2025-08-12 07:00"), pkt("2025-08-12 10:00")) == 60
    # Sat 23 20:00 (after closing) -> Mon 25 11:00: Sun closed, Mon 09:00-11:00 = 120.
    assert minutes(con, pkt("2025-08-23 20:00"), pkt("2025-08-25 11:00")) == 120
    # Both ends out of hours on the same night: 0.
    assert minutes(con, pkt("2025-08-12 18:00"), pkt("2025-08-13 08:00")) == 0
    # Sunday to Sunday across a whole week: Mon-Sat 6 x 480 = 2880,
    # with Thu 14 Aug a holiday: 5 x 480 = 2400.
    assert minutes(con, pkt("2025-08-10 12:00"), pkt("2025-08-17 12:00")) == 2400


def test_seconds_count_as_fractions(con: duckdb.DuckDBPyConnection) -> None:
    # Tue 10:00:00 -> 10:00:30 = half a minute.
    assert minutes(con, pkt("2025-08-12 10:00:00"), pkt("2025-08-12 10:00:30")) == 0.5


def test_utc_inputs_mean_karachi_plus_five(con: duckdb.DuckDBPyConnection) -> None:
    # 05:00 UTC = 10:00 PKT, 07:30 UTC = 12:30 PKT: 150 minutes.
    a = datetime(2025, 8, 12, 5, 0, tzinfo=UTC)
    b = datetime(2025, 8, 12, 7, 30, tzinfo=UTC)
    assert minutes(con, a, b) == 150
    # 03:30 UTC = 08:30 PKT (closed) -> 04:30 UTC = 09:30 PKT: 30 minutes.
    a = datetime(2025, 8, 12, 3, 30, tzinfo=UTC)
    b = datetime(2025, 8, 12, 4, 30, tzinfo=UTC)
    assert minutes(con, a, b) == 30
    # As SQL literals in UTC: 11:30 UTC = 16:30 PKT Tue -> 04:30 UTC = 09:30 PKT Wed: 60.
    sql = (
        "SELECT business_minutes(TIMESTAMPTZ '2025-08-12 11:30:00+00', "
        "TIMESTAMPTZ '2025-08-13 04:30:00+00')"
    )
    assert con.execute(sql).fetchone()[0] == 60
    # A naive TIMESTAMP is read in the session time zone (UTC): same answer.
    sql = (
        "SELECT business_minutes(TIMESTAMP '2025-08-12 11:30:00', TIMESTAMP '2025-08-13 04:30:00')"
    )
    assert con.execute(sql).fetchone()[0] == 60


def test_session_time_zone_does_not_matter(standard: Settings) -> None:
    connection = connect(calendar_frame(date(2025, 8, 1), date(2025, 8, 31), standard))
    connection.execute("SET TimeZone='America/New_York'")
    # Same instants as test_across_an_evening: 60.
    assert minutes(connection, pkt("2025-08-12 16:30"), pkt("2025-08-13 09:30")) == 60
    connection.close()


def test_nulls_and_out_of_range(con: duckdb.DuckDBPyConnection) -> None:
    assert minutes(con, None, pkt("2025-08-12 10:00")) is None
    assert minutes(con, pkt("2025-08-12 10:00"), None) is None
    assert con.execute("SELECT business_minutes(NULL, NULL)").fetchone()[0] is None
    # The calendar of this connection is 2025 only.
    assert minutes(con, pkt("2019-08-12 10:00"), pkt("2025-08-12 10:00")) is None
    assert minutes(con, pkt("2025-08-12 10:00"), pkt("2027-08-12 10:00")) is None


def test_qualified_and_unqualified(con: duckdb.DuckDBPyConnection) -> None:
    # The evening case again (60), through every name the macros have.
    sql = """
        SELECT business_minutes(a, b), ref.business_minutes(a, b), main.business_minutes(a, b),
               ref.business_cumulative_minutes(b) - business_cumulative_minutes(a)
        FROM (SELECT TIMESTAMPTZ '2025-08-12 16:30:00+05' AS a,
                     TIMESTAMPTZ '2025-08-13 09:30:00+05' AS b)
    """
    assert con.execute(sql).fetchone() == (60, 60, 60, 60)


def test_vectorised_over_a_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE spans AS
        SELECT * FROM (VALUES
            (1, TIMESTAMPTZ '2025-08-12 10:00:00+05', TIMESTAMPTZ '2025-08-12 12:30:00+05'),
            (2, TIMESTAMPTZ '2025-08-12 16:30:00+05', TIMESTAMPTZ '2025-08-13 09:30:00+05'),
            (3, TIMESTAMPTZ '2025-08-22 16:00:00+05', TIMESTAMPTZ '2025-08-25 10:00:00+05'),
            (4, TIMESTAMPTZ '2025-08-13 16:30:00+05', TIMESTAMPTZ '2025-08-15 09:30:00+05'),
            (5, NULL, TIMESTAMPTZ '2025-08-15 09:30:00+05')
        ) AS t(id, a, b)
        """
    )
    rows = con.execute("SELECT id, business_minutes(a, b) FROM spans ORDER BY id").fetchall()
    # The cases above: 150, 60, 600, 60, NULL.
    assert rows == [(1, 150), (2, 60), (3, 600), (4, 60), (5, None)]


# ---------------------------------------------------- add_business_minutes


def test_add_within_hours(con: duckdb.DuckDBPyConnection) -> None:
    # Tue 10:00 + 30 = Tue 10:30 PKT = 05:30 UTC.
    assert add(con, pkt("2025-08-12 10:00"), 30) == datetime(2025, 8, 12, 5, 30, tzinfo=UTC)


def test_add_from_an_evening(con: duckdb.DuckDBPyConnection) -> None:
    # Tue 18:00 (closed): counting starts Wed 09:00; + 120 = Wed 11:00 PKT = 06:00 UTC.
    assert add(con, pkt("2025-08-12 18:00"), 120) == datetime(2025, 8, 13, 6, 0, tzinfo=UTC)
    # Tue 07:00 (before opening) + 60 = Tue 10:00 PKT = 05:00 UTC.
    assert add(con, pkt("2025-08-12 07:00"), 60) == datetime(2025, 8, 12, 5, 0, tzinfo=UTC)


def test_add_across_a_holiday(con: duckdb.DuckDBPyConnection) -> None:
    # Wed 13 16:00 + 120: 60 on Wed, Thu 14 holiday, Fri 15 09:00 + 60 =
    # Fri 10:00 PKT = 05:00 UTC.
    assert add(con, pkt("2025-08-13 16:00"), 120) == datetime(2025, 8, 15, 5, 0, tzinfo=UTC)
    # Wed 13 18:00 + 480 (one working day): Thu holiday, all of Fri 15 =
    # Fri 17:00 PKT = 12:00 UTC.
    assert add(con, pkt("2025-08-13 18:00"), 480) == datetime(2025, 8, 15, 12, 0, tzinfo=UTC)


def test_add_across_a_sunday(con: duckdb.DuckDBPyConnection) -> None:
    # Sat 23 16:00 + 120: 60 on Sat, Sun closed, Mon 25 09:00 + 60 =
    # Mon 10:00 PKT = 05:00 UTC.
    assert add(con, pkt("2025-08-23 16:00"), 120) == datetime(2025, 8, 25, 5, 0, tzinfo=UTC)


def test_add_ending_at_closing_stays_that_day(con: duckdb.DuckDBPyConnection) -> None:
    # Tue 16:00 + 60 = Tue 17:00 PKT (12:00 UTC), not Wed 09:00.
    assert add(con, pkt("2025-08-12 16:00"), 60) == datetime(2025, 8, 12, 12, 0, tzinfo=UTC)


def test_add_edge_values(con: duckdb.DuckDBPyConnection) -> None:
    a = pkt("2025-08-12 18:00")
    assert add(con, a, 0) == a  # zero minutes: the instant itself
    assert add(con, a, -5) is None
    assert add(con, None, 60) is None
    assert add(con, a, None) is None
    # Tue 10:00 + 0.5 = 10:00:30 PKT = 05:00:30 UTC.
    assert add(con, pkt("2025-08-12 10:00"), 0.5) == datetime(2025, 8, 12, 5, 0, 30, tzinfo=UTC)
    # Past the calendar's last working day (Wed 31 Dec 2025 closes 17:00): NULL.
    assert add(con, pkt("2025-12-31 16:00"), 120) is None
    # ... but Wed 31 Dec 16:00 + 60 = 17:00 PKT = 12:00 UTC is inside.
    assert add(con, pkt("2025-12-31 16:00"), 60) == datetime(2025, 12, 31, 12, 0, tzinfo=UTC)


def test_add_then_measure_round_trip(con: duckdb.DuckDBPyConnection) -> None:
    # Whatever the start (in or out of hours), measuring from a to
    # a + n business minutes gives n back. 2000 starts, 97 minutes apart
    # from Mon 3 Mar 2025 (about 4.5 months), n from 1 to 13994.
    sql = """
        SELECT count(*) FILTER (WHERE abs(business_minutes(a, add_business_minutes(a, n)) - n)
                                > 1e-6),
               count(*) FILTER (WHERE add_business_minutes(a, n) IS NULL)
        FROM (
            SELECT TIMESTAMPTZ '2025-03-03 00:00:00+05' + to_minutes(i * 97) AS a, i * 7 + 1 AS n
            FROM range(2000) r(i)
        )
    """
    assert con.execute(sql).fetchone() == (0, 0)


# ---------------------------------------------------- settings corrections


def test_extra_and_not_holidays(tmp_path: Path) -> None:
    settings = write_settings(
        tmp_path,
        extra=(("2025-08-12", "Extra holiday (notified)"),),
        not_holidays=("2025-08-14",),
    )
    frame = calendar_frame(date(2025, 8, 11), date(2025, 8, 15), settings)
    # Tue 12 becomes a holiday, Thu 14 (Independence Day) a working day.
    assert frame["is_working_day"].tolist() == [True, False, True, True, True]
    assert frame["holiday_name"].tolist() == [
        None,
        "Extra holiday (notified)",
        None,
        None,
        None,
    ]
    con = connect(frame)
    # Tue 16:30 -> Wed 09:30: Tue is a holiday now, Wed 09:00-09:30 = 30.
    assert minutes(con, pkt("2025-08-12 16:30"), pkt("2025-08-13 09:30")) == 30
    # Wed 16:30 -> Fri 09:30: 30 + all of Thu 480 + 30 = 540.
    assert minutes(con, pkt("2025-08-13 16:30"), pkt("2025-08-15 09:30")) == 540
    # Mon 11 16:00 + 120: 60 on Mon, Tue holiday, Wed 09:00 + 60 = 10:00 PKT = 05:00 UTC.
    assert add(con, pkt("2025-08-11 16:00"), 120) == datetime(2025, 8, 13, 5, 0, tzinfo=UTC)
    con.close()


def test_extra_on_a_package_holiday_keeps_both_names(tmp_path: Path) -> None:
    settings = write_settings(tmp_path, extra=(("2025-08-14", "Notified again"),))
    frame = calendar_frame(date(2025, 8, 14), date(2025, 8, 14), settings)
    assert frame.loc[0, "holiday_name"] == "Independence Day; Notified again"


def test_date_both_extra_and_not_holiday_is_refused(tmp_path: Path) -> None:
    settings = write_settings(
        tmp_path, extra=(("2025-08-14", "Extra"),), not_holidays=("2025-08-14",)
    )
    with pytest.raises(ValueError, match="both in extra and in not_holidays"):
        calendar_frame(date(2025, 8, 1), date(2025, 8, 31), settings)


def test_short_fridays_and_closed_saturdays(tmp_path: Path) -> None:
    hours = dict(STANDARD_HOURS, fri="09:00-13:00", sat=None)
    con = connect(
        calendar_frame(date(2025, 8, 1), date(2025, 9, 30), write_settings(tmp_path, hours))
    )
    # Thu 21 16:00 -> Mon 25 10:00: Thu 60 + Fri 240 (09-13) + Sat, Sun 0 + Mon 60 = 360.
    assert minutes(con, pkt("2025-08-21 16:00"), pkt("2025-08-25 10:00")) == 360
    # Thu 21 16:30 + 300: Thu 30, Fri 240 (270 so far), Mon 09:00 + 30 =
    # Mon 25 09:30 PKT = 04:30 UTC.
    assert add(con, pkt("2025-08-21 16:30"), 300) == datetime(2025, 8, 25, 4, 30, tzinfo=UTC)
    # Fri 22 12:00 + 60: Fri 12:00-13:00 = 60, ends at Fri 13:00 PKT = 08:00 UTC.
    assert add(con, pkt("2025-08-22 12:00"), 60) == datetime(2025, 8, 22, 8, 0, tzinfo=UTC)
    con.close()


def test_against_a_minute_by_minute_count(standard: Settings) -> None:
    """Compare with an independent count over every minute of two weeks."""
    con = connect(calendar_frame(date(2025, 8, 1), date(2025, 8, 31), standard))
    # Open minutes by hand: Mon-Sat 09:00-17:00 PKT, Sun closed, Thu 14 Aug holiday.
    holidays = {date(2025, 8, 14)}

    def is_open(moment: datetime) -> bool:
        local = moment.astimezone(PKT)
        return (
            local.weekday() != 6
            and local.date() not in holidays
            and 9 * 60 <= local.hour * 60 + local.minute < 17 * 60
        )

    start = pkt("2025-08-09 00:00")
    moments = [start + timedelta(minutes=53 * i) for i in range(0, 16 * 24 * 60 // 53)]
    origin = moments[0]
    # Open minutes from origin up to each moment (all moments are whole minutes).
    expected = []
    count, cursor = 0, origin
    for moment in moments:
        while cursor < moment:
            count += is_open(cursor)
            cursor += timedelta(minutes=1)
        expected.append(count)
    frame = pd.DataFrame({"t": moments})
    con.register("moments", frame)
    got = con.execute(
        "SELECT business_minutes(?::TIMESTAMPTZ, t) FROM moments ORDER BY t", [origin]
    ).fetchall()
    assert [row[0] for row in got] == expected
    con.close()


def test_macros_survive_reopening_the_file(tmp_path: Path, standard: Settings) -> None:
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    install(con, calendar_frame(date(2025, 1, 1), date(2025, 12, 31), standard))
    con.close()
    # A copy under another name, as the ETL swaps files in.
    copy = tmp_path / "warehouse.tmp.duckdb"
    copy.write_bytes(path.read_bytes())
    for file in (path, copy):
        reader = duckdb.connect(str(file), read_only=True)
        reader.execute("SET TimeZone='UTC'")
        # The evening case (60) and the evening add (Wed 11:00 PKT = 06:00 UTC).
        assert minutes(reader, pkt("2025-08-12 16:30"), pkt("2025-08-13 09:30")) == 60
        sql = "SELECT ref.add_business_minutes(TIMESTAMPTZ '2025-08-12 18:00:00+05', 120)"
        assert reader.execute(sql).fetchone()[0] == datetime(2025, 8, 13, 6, 0, tzinfo=UTC)
        reader.close()


def test_install_refuses_a_broken_frame(standard: Settings) -> None:
    frame = calendar_frame(date(2025, 8, 1), date(2025, 8, 31), standard)
    con = duckdb.connect()
    with pytest.raises(ValueError, match="consecutive dates"):
        install(con, frame.drop(index=3))
    broken = frame.copy()
    broken.loc[5, "cumulative_business_minutes"] += 1
    with pytest.raises(ValueError, match="cumulative_business_minutes"):
        install(con, broken)
    con.close()
