"""Registers as district offices type them in Excel (issue 8, section 1).

Day-first dates, placeholders meaning "empty", district names with
"District" around them, and an honest "unknown". Expected values are worked
out by hand in the comments: PKT is UTC+5 all year.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import duckdb
import pandas as pd
import pytest

from core.config import load_settings
from etl.__main__ import main as cli
from etl.load import load_paths, make_context
from metrics.filters import Filters
from metrics.responsiveness import items_received
from tests.etl_helpers import read_warehouse, register_row, write_register

MART = "select * from marts.inquiries order by inquiry_id"
SETTING = "date_order in data/config/settings.yaml"
# The loads' clock: early June 2026, so March and April 2026 are in the past.
JUNE = make_context(now=datetime(2026, 6, 1, tzinfo=UTC))


def context(date_order: str | None = "day-first", now: datetime | None = None):
    settings = replace(load_settings(), date_order=date_order)
    return make_context(settings, now=now or datetime(2026, 6, 1, tzinfo=UTC))


@pytest.fixture
def warehouse(tmp_path):
    return tmp_path / "wh" / "warehouse.duckdb"


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# --- day and month ---------------------------------------------------------------


def test_a_day_first_register_loads_with_3_april(tmp_path, warehouse):
    rows = [
        register_row("K-1", "25/03/2026 09:00"),  # no month 25: the file is day-first
        register_row("K-2", "03/04/2026"),  # 3 April, midnight PKT
        register_row("K-3", "03/04/2026 14:30", first_response_at="03/04/2026 15:00"),
    ]
    path = write_register(tmp_path / "register.csv", rows)
    report = load_paths([path], warehouse=warehouse, context=JUNE)
    result = report.files[0]
    assert (result.outcome, result.inserted, result.quarantined) == ("loaded", 3, 0)
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    # 09:00 PKT = 04:00 UTC; 3 April 00:00 PKT = 2 April 19:00 UTC.
    assert mart.loc["K-1", "received_at"] == utc("2026-03-25 04:00")
    assert mart.loc["K-2", "received_at"] == utc("2026-04-02 19:00")
    assert str(mart.loc["K-2", "received_date"])[:10] == "2026-04-03"
    assert mart.loc["K-3", "received_at"] == utc("2026-04-03 09:30")
    assert mart.loc["K-3", "first_response_minutes"] == 30


def test_a_file_that_proves_month_first_is_read_so_and_says_so(tmp_path, warehouse):
    rows = [
        register_row("M-1", "03/25/2026 09:00"),  # no month 25: month-first
        register_row("M-2", "04/01/2026 10:00"),  # so 1 April, not 4 January
    ]
    path = write_register(tmp_path / "us.csv", rows)
    result = load_paths([path], warehouse=warehouse, context=JUNE).files[0]
    assert result.outcome == "loaded"
    assert result.notes[0] == (
        "dates read month-first, as the file proves ('03/25/2026 09:00', row 2: there is no "
        f"month 25); not day-first as {SETTING} says"
    )
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    assert mart.loc["M-1", "received_at"] == utc("2026-03-25 04:00")
    assert mart.loc["M-2", "received_at"] == utc("2026-04-01 05:00")


def test_an_ambiguous_file_with_no_order_set_is_refused_in_one_line(tmp_path, warehouse):
    rows = [register_row("A-1", "03/04/2026 10:00"), register_row("A-2", "02/03/2026 11:00")]
    path = write_register(tmp_path / "r.csv", rows)
    report = load_paths([path], warehouse=warehouse, context=context(None))
    assert [(f.outcome, f.message) for f in report.files] == [
        (
            "rejected",
            "r.csv, row 2, column received_at: '03/04/2026 10:00' could be 3 April 2026 "
            "(day-first) or 4 March 2026 (month-first), no date in the file settles which, and "
            f"{SETTING} is not set: set it (or load with --date-order), or write dates as "
            "YYYY-MM-DD HH:MM",
        )
    ]
    assert "\n" not in report.files[0].message
    assert not warehouse.exists()


def test_an_ambiguous_file_the_default_order_puts_in_the_future_is_refused(tmp_path, warehouse):
    # On 20 March 2026, 03/04/2026 read day-first is 3 April: in the future;
    # month-first it is 4 March. Nothing in the file proves either order.
    rows = [register_row("A-1", "03/04/2026 10:00"), register_row("A-2", "02/03/2026 11:00")]
    path = write_register(tmp_path / "r.csv", rows)
    march = context("day-first", now=datetime(2026, 3, 20, tzinfo=UTC))
    report = load_paths([path], warehouse=warehouse, context=march)
    assert [(f.outcome, f.message) for f in report.files] == [
        (
            "rejected",
            f"r.csv, row 2, column received_at: read day-first ({SETTING}), '03/04/2026 10:00' "
            "is 3 April 2026, in the future; month-first it would be 4 March 2026: the file "
            "does not prove its order, so it is not loaded; if it is month-first, load it "
            "with --date-order month-first, or write dates as YYYY-MM-DD HH:MM",
        )
    ]
    assert not warehouse.exists()


def test_the_date_order_option_loads_it_month_first(tmp_path, warehouse, capsys):
    rows = [register_row("A-1", "03/04/2026 10:00"), register_row("A-2", "02/03/2026 11:00")]
    path = write_register(tmp_path / "r.csv", rows)
    code = cli(
        ["--warehouse", str(warehouse), "-q", "load", "--date-order", "month-first", str(path)]
    )
    assert code == 0, capsys.readouterr()
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    # Month-first: 4 March 10:00 and 3 February 11:00 PKT.
    assert mart.loc["A-1", "received_at"] == utc("2026-03-04 05:00")
    assert mart.loc["A-2", "received_at"] == utc("2026-02-03 06:00")


def test_a_file_that_proves_nothing_is_read_in_the_settings_order_with_a_note(tmp_path, warehouse):
    rows = [register_row("A-1", "03/04/2026 10:00"), register_row("A-2", "02/03/2026 11:00")]
    path = write_register(tmp_path / "r.csv", rows)
    result = load_paths([path], warehouse=warehouse, context=JUNE).files[0]
    assert result.outcome == "loaded"
    assert result.notes[0] == (
        f"numeric dates read day-first, as {SETTING} says ('03/04/2026 10:00' is 3 April "
        "2026); no date in the file proves the order"
    )
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    assert mart.loc["A-1", "received_at"] == utc("2026-04-03 05:00")
    assert mart.loc["A-2", "received_at"] == utc("2026-03-02 06:00")


def test_dates_typed_both_ways_are_refused(tmp_path, warehouse):
    rows = [register_row("B-1", "25/03/2026 09:00"), register_row("B-2", "03/26/2026 10:00")]
    path = write_register(tmp_path / "both.csv", rows)
    report = load_paths([path], warehouse=warehouse, context=JUNE)
    assert [(f.outcome, f.message) for f in report.files] == [
        (
            "rejected",
            "both.csv, row 3, column received_at: '03/26/2026 10:00' is month-first (there is "
            "no month 26) but '25/03/2026 09:00' (row 2, received_at) is day-first (there is "
            "no month 25): the dates were typed both ways, so none can be trusted; write them "
            "one way (YYYY-MM-DD HH:MM is never ambiguous)",
        )
    ]


def test_changed_settings_make_the_same_register_loadable_again(tmp_path, warehouse):
    rows = [register_row("A-1", "03/04/2026 10:00"), register_row("A-2", "02/03/2026 11:00")]
    path = write_register(tmp_path / "r.csv", rows)
    first = load_paths([path], warehouse=warehouse, context=JUNE).files[0]
    assert first.outcome == "loaded"
    same = load_paths([path], warehouse=warehouse, context=JUNE).files[0]
    assert same.outcome == "already loaded"
    again = load_paths([path], warehouse=warehouse, context=context("month-first")).files[0]
    assert (again.outcome, again.inserted, again.updated) == ("loaded", 0, 2)
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    assert mart.loc["A-1", "received_at"] == utc("2026-03-04 05:00")  # 4 March, not 3 April
    loads = read_warehouse(warehouse, "select outcome from meta.loads order by load_seq")
    assert loads["outcome"].tolist() == ["replaced", "loaded"]
    raw = read_warehouse(warehouse, "select count(*) as n from raw.inquiry_register")
    assert raw["n"][0] == 2  # the earlier reading's rows are gone


def test_the_events_log_reads_day_first_dates_too(tmp_path, warehouse):
    register = write_register(tmp_path / "r.csv", [register_row("K-1", "2026-03-04 10:00")])
    events = tmp_path / "events.csv"
    events.write_text(
        "inquiry_id,event,at,actor\nK-1,first_response,04/03/2026 10:20,cell\n"
        "K-1,resolved,13/03/2026 09:00,cell\n",
        encoding="utf-8",
    )
    report = load_paths([register, events], warehouse=warehouse, context=JUNE)
    assert [f.outcome for f in report.files] == ["loaded", "loaded"]
    mart = read_warehouse(warehouse, MART).iloc[0]
    # 13/03 proves day-first: 4 March 10:20 PKT and 13 March 09:00 PKT.
    assert mart["first_response_at"] == utc("2026-03-04 05:20")
    assert mart["resolved_at"] == utc("2026-03-13 04:00")


# --- empty cells, districts, unknown ----------------------------------------------

PLACEHOLDERS = ["N/A", "n/a", "-", "--", "\u2014", "null", "none", "nil", "not applicable", "   "]


def test_placeholders_in_optional_date_columns_mean_empty(tmp_path, warehouse):
    rows = [
        register_row(
            f"P-{i}",
            "2026-03-04 10:00",
            first_response_at=text,
            resolved_at=text,
            referred_at=text,
            status="",
        )
        for i, text in enumerate(PLACEHOLDERS)
    ]
    path = write_register(tmp_path / "r.csv", rows)
    result = load_paths([path], warehouse=warehouse, context=JUNE).files[0]
    assert (result.outcome, result.inserted, result.quarantined) == ("loaded", 10, 0)
    mart = read_warehouse(warehouse, MART)
    assert mart["first_response_at"].isna().all()
    assert mart["resolved_at"].isna().all()
    # A blank status with no resolution is an open item.
    assert set(mart["status"]) == {"open"}


def test_placeholders_in_value_columns_and_the_district_mean_empty(tmp_path, warehouse):
    rows = [
        register_row(
            "V-1",
            "2026-03-04 10:00",
            status="N/A",
            satisfaction="-",
            district="\u2014",
            language="none",
            requester_gender="n/a",
            priority="--",
        )
    ]
    path = write_register(tmp_path / "r.csv", rows)
    result = load_paths([path], warehouse=warehouse, context=JUNE).files[0]
    assert (result.outcome, result.inserted, result.quarantined) == ("loaded", 1, 0)
    mart = read_warehouse(warehouse, MART).iloc[0]
    # Blank status without a resolution: open; blank gender and priority
    # take their defaults; the others stay blank.
    assert (mart["status"], mart["requester_gender"], mart["priority"]) == (
        "open",
        "unknown",
        "normal",
    )
    assert mart[["satisfaction", "district", "language"]].isna().all()


def test_an_open_item_whose_first_response_is_na_is_valid(tmp_path, warehouse):
    rows = [register_row("K-1", "2026-03-04 10:00", first_response_at="N/A", status="open")]
    path = write_register(tmp_path / "r.csv", rows)
    result = load_paths([path], warehouse=warehouse, context=JUNE).files[0]
    assert (result.outcome, result.inserted) == ("loaded", 1)
    mart = read_warehouse(warehouse, MART).iloc[0]
    assert pd.isna(mart["first_response_at"]) and mart["status"] == "open"


def test_district_spellings_with_district_around_them(tmp_path, warehouse):
    rows = [
        register_row("D-1", "2026-03-04 10:00", district="Peshawar District"),
        register_row("D-2", "2026-03-04 10:00", district="District Swat"),
        register_row("D-3", "2026-03-04 10:00", district="Distt. Mardan"),
        register_row("D-4", "2026-03-04 10:00", district="District Dir"),  # still ambiguous
        register_row("D-5", "2026-03-04 10:00", district="Lahore District"),  # not in KP
    ]
    path = write_register(tmp_path / "r.csv", rows)
    load_paths([path], warehouse=warehouse, context=JUNE)
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    assert mart["district"].to_dict() == {"D-1": "Peshawar", "D-2": "Swat", "D-3": "Mardan"}
    reasons = read_warehouse(
        warehouse, "select record_id, reason from meta.quarantine order by record_id"
    )
    assert reasons.to_numpy().tolist() == [
        [
            "D-4",
            "district 'District Dir' is ambiguous: it could be Lower Dir or Upper Dir; write "
            "the district in full",
        ],
        ["D-5", "district 'Lahore District' is not one of the 36 districts of Khyber Pakhtunkhwa"],
    ]


def test_unknown_district_and_channel_count_in_the_province(tmp_path, warehouse):
    rows = [
        register_row("U-1", "2026-03-04 10:00", district="unknown"),
        register_row("U-2", "2026-03-04 11:00", district="N/A", channel="unknown"),
        register_row("U-3", "2026-03-04 12:00", district="Peshawar"),
        register_row("U-4", "2026-03-04 13:00", district="Not known", channel="Unknown"),
    ]
    path = write_register(tmp_path / "r.csv", rows)
    result = load_paths([path], warehouse=warehouse, context=JUNE).files[0]
    assert (result.outcome, result.inserted, result.quarantined) == ("loaded", 4, 0)
    assert (
        "3 of 4 items name no district (blank or 'unknown'): they count in the province's "
        "totals, not in any district's"
    ) in result.notes
    assert (
        "2 of 4 items have channel Unknown: they count in every total, and under that channel"
    ) in result.notes
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    assert mart["district"].isna().tolist() == [True, True, False, True]
    assert mart["channel"].tolist() == ["Facebook", "Unknown", "Facebook", "Unknown"]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        march = Filters(date(2026, 3, 1), date(2026, 3, 31))
        # The province: all four; Peshawar: one.
        assert items_received(con, march).value == 4
        assert items_received(con, march.with_district("Peshawar")).value == 1
    finally:
        con.close()
