"""Loading register files: quarantine, idempotence, updates, rejection, lineage."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from etl.load import load_paths
from tests.etl_helpers import file_digest, read_warehouse, register_row, write_register

MART = "select * from marts.inquiries order by inquiry_id"


@pytest.fixture
def warehouse(tmp_path):
    return tmp_path / "wh" / "warehouse.duckdb"


def test_one_bad_row_is_quarantined_with_its_reason(tmp_path, warehouse):
    rows = [
        register_row("K-1", "2025-03-04 10:00", first_response_at="2025-03-04 10:12"),
        register_row("K-2", "2025-03-04 11:00", channel="Facebok"),
        register_row("K-3", "2025-03-04 12:00", district="D.I. Khan"),
    ]
    report = load_paths([write_register(tmp_path / "register.csv", rows)], warehouse=warehouse)
    result = report.files[0]
    assert (result.outcome, result.rows_read, result.inserted, result.quarantined) == (
        "loaded",
        3,
        2,
        1,
    )
    mart = read_warehouse(warehouse, MART)
    assert mart["inquiry_id"].tolist() == ["K-1", "K-3"]
    quarantine = read_warehouse(warehouse, "select * from meta.quarantine")
    assert len(quarantine) == 1
    bad = quarantine.iloc[0]
    # Row 3 of the spreadsheet: header is row 1, K-1 row 2, K-2 row 3.
    assert (bad["record_id"], bad["source_row"], bad["column_name"]) == ("K-2", 3, "channel")
    assert bad["expectation"] == "expect_column_values_to_be_in_set"
    assert "'Facebok'" in bad["reason"]
    assert '"channel":"Facebok"' in bad["original"]


def test_naive_times_are_karachi_and_stored_in_utc(tmp_path, warehouse):
    rows = [register_row("K-1", "2025-03-04 10:00", first_response_at="2025-03-04 10:12")]
    load_paths([write_register(tmp_path / "r.csv", rows)], warehouse=warehouse)
    mart = read_warehouse(warehouse, MART).iloc[0]
    # PKT is UTC+5 all year: 10:00 PKT is 05:00 UTC.
    assert mart["received_at"] == pd.Timestamp("2025-03-04 05:00", tz="UTC")
    assert mart["first_response_minutes"] == 12
    assert str(mart["received_date"])[:10] == "2025-03-04"
    # March is in Q3 of FY2024-25 (Jul 2024 - Jun 2025).
    assert (mart["received_fiscal_year"], mart["received_fiscal_quarter"]) == ("FY2024-25", "Q3")


def test_explicit_offsets_are_respected(tmp_path, warehouse):
    rows = [register_row("K-1", "2025-03-04T05:00:00Z", first_response_at="2025-03-04 10:30")]
    load_paths([write_register(tmp_path / "r.csv", rows)], warehouse=warehouse)
    mart = read_warehouse(warehouse, MART).iloc[0]
    assert mart["received_at"] == pd.Timestamp("2025-03-04 05:00", tz="UTC")
    assert mart["first_response_minutes"] == 30


def test_loading_the_same_file_twice_changes_nothing(tmp_path, warehouse):
    path = write_register(
        tmp_path / "register.csv",
        [register_row("K-1", "2025-03-04 10:00"), register_row("K-2", "2025-03-04 10:05")],
    )
    load_paths([path], warehouse=warehouse)
    before = file_digest(warehouse)
    again = load_paths([path], warehouse=warehouse)
    assert again.files[0].outcome == "already loaded"
    assert not again.swapped
    # Same bytes under another name: still the same file.
    copy = tmp_path / "register (1).csv"
    copy.write_bytes(path.read_bytes())
    assert load_paths([copy], warehouse=warehouse).files[0].outcome == "already loaded"
    assert file_digest(warehouse) == before
    loads = read_warehouse(warehouse, "select count(*) as n from meta.loads")
    assert loads["n"].iloc[0] == 1


def test_same_rows_in_a_new_file_change_no_record(tmp_path, warehouse):
    rows = [register_row("K-1", "2025-03-04 10:00")]
    load_paths([write_register(tmp_path / "a.csv", rows)], warehouse=warehouse)
    before = read_warehouse(warehouse, MART)
    report = load_paths([write_register(tmp_path / "b.csv", rows, bom=False)], warehouse=warehouse)
    assert (report.files[0].inserted, report.files[0].updated, report.files[0].unchanged) == (
        0,
        0,
        1,
    )
    after = read_warehouse(warehouse, MART)
    pd.testing.assert_frame_equal(
        after.drop(columns=["source_file", "load_id"]),
        before.drop(columns=["source_file", "load_id"]),
    )
    # Both files' rows are kept in raw, so either load can be rolled back alone.
    raw = read_warehouse(warehouse, "select _source_file from raw.inquiry_register order by 1")
    assert raw["_source_file"].tolist() == ["a.csv", "b.csv"]


def test_a_newer_export_updates_rows_by_id(tmp_path, warehouse):
    first = [register_row("K-1", "2025-03-04 10:00"), register_row("K-2", "2025-03-04 11:00")]
    load_paths([write_register(tmp_path / "week1.csv", first)], warehouse=warehouse)
    newer = [
        register_row(
            "K-1",
            "2025-03-04 10:00",
            first_response_at="2025-03-04 10:20",
            resolved_at="2025-03-05 09:00",
            status="resolved",
        ),
        register_row("K-2", "2025-03-04 11:00"),
        register_row("K-3", "2025-03-05 12:00"),
    ]
    report = load_paths([write_register(tmp_path / "week2.csv", newer)], warehouse=warehouse)
    result = report.files[0]
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    assert len(mart) == 3
    assert mart.loc["K-1", "status"] == "resolved"
    # 10:00 to next day 09:00 = 23 hours = 1380 calendar minutes.
    assert mart.loc["K-1", "resolution_minutes"] == 1380
    # Lineage names the latest export that carries each row, changed or not.
    assert mart.loc["K-1", "source_file"] == "week2.csv"
    assert mart.loc["K-2", "source_file"] == "week2.csv"
    assert mart.loc["K-2", "source_row"] == 3


def test_a_structurally_broken_file_loads_nothing(tmp_path, warehouse):
    good = write_register(tmp_path / "good.csv", [register_row("K-1", "2025-03-04 10:00")])
    load_paths([good], warehouse=warehouse)
    before = file_digest(warehouse)
    frame = pd.DataFrame([register_row("K-9", "2025-03-04 10:00")]).drop(columns="received_at")
    broken = tmp_path / "broken.csv"
    frame.to_csv(broken, index=False)
    report = load_paths([broken], warehouse=warehouse)
    assert report.files[0].outcome == "rejected"
    assert "broken.csv, row 1, column received_at: required column received_at is missing" in (
        report.files[0].message
    )
    assert file_digest(warehouse) == before


def test_day_first_dates_excel_wrote_are_read_day_first(tmp_path, warehouse):
    # Issue 8: 13/03 .. 15/03 prove the file day-first (no month 13), so
    # 10/03 .. 15/03/2025 are 10 .. 15 March, not 3 October .. 3 December.
    rows = [register_row(f"K-{i}", f"{10 + i:02d}/03/2025 10:00") for i in range(6)]
    report = load_paths([write_register(tmp_path / "resaved.csv", rows)], warehouse=warehouse)
    assert report.files[0].outcome == "loaded", report.files[0].message
    mart = read_warehouse(warehouse, MART)
    # 10:00 PKT is 05:00 UTC.
    assert mart["received_at"].tolist() == [
        pd.Timestamp(f"2025-03-{10 + i:02d} 05:00", tz="UTC") for i in range(6)
    ]


def test_a_column_of_non_dates_rejects_the_file(tmp_path, warehouse):
    rows = [register_row(f"K-{i}", f"kal shaam {i} baje") for i in range(6)]
    report = load_paths([write_register(tmp_path / "resaved.csv", rows)], warehouse=warehouse)
    message = report.files[0].message
    assert report.files[0].outcome == "rejected"
    assert "column received_at" in message and "6 of 6 values are not dates" in message
    assert "'kal shaam 0 baje'" in message
    assert not warehouse.exists()


def test_districts_are_normalised_and_ambiguous_ones_quarantined(tmp_path, warehouse):
    rows = [
        register_row("K-1", "2025-03-04 10:00", district="DI Khan"),
        register_row("K-2", "2025-03-04 10:00", district="dir lower"),
        register_row("K-3", "2025-03-04 10:00", district="South Waziristan"),
        register_row("K-4", "2025-03-04 10:00", district="Gilgit"),
        register_row("K-5", "2025-03-04 10:00", district=""),
    ]
    load_paths([write_register(tmp_path / "r.csv", rows)], warehouse=warehouse)
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    assert mart.loc["K-1", ["district", "region"]].tolist() == ["Dera Ismail Khan", "D.I. Khan"]
    assert mart.loc["K-2", ["district", "region"]].tolist() == ["Lower Dir", "Malakand"]
    assert pd.isna(mart.loc["K-5", "district"])
    reasons = read_warehouse(
        warehouse, "select record_id, reason from meta.quarantine order by record_id"
    )
    assert reasons["record_id"].tolist() == ["K-3", "K-4"]
    assert "ambiguous" in reasons["reason"].iloc[0]
    assert "not one of the 36 districts" in reasons["reason"].iloc[1]


def test_no_personal_data_reaches_the_marts(tmp_path, warehouse):
    load_paths(
        [write_register(tmp_path / "r.csv", [register_row("K-1", "2025-03-04 10:00")])],
        warehouse=warehouse,
    )
    columns = read_warehouse(
        warehouse,
        "select table_name, column_name from information_schema.columns "
        "where table_schema in ('marts', 'staging')",
    )
    personal = {"summary", "requester_name", "requester_phone", "requester_cnic", "requester_email"}
    assert not personal & set(columns["column_name"])
    values = read_warehouse(warehouse, "select * from marts.inquiries").astype(str)
    text = " ".join(str(v) for v in values.to_numpy().ravel())
    for secret in ("Test Person", "0300-0000000", "00000-0000000-0", "person@example.org"):
        assert secret not in text


def test_cli_exit_code_and_one_line_message(tmp_path, warehouse):
    broken = tmp_path / "broken.csv"
    broken.write_text("inquiry_id,channel\nK-1,Facebook\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "etl", "--warehouse", str(warehouse), "-q", "load", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "REJECTED broken.csv" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "etl", "load", "--help"], capture_output=True, text=True, timeout=60
    )
    assert helped.returncode == 0 and "quarantine" in helped.stdout


def test_rollback_removes_a_load_and_only_it(tmp_path, warehouse):
    from etl.rollback import rollback

    first = [register_row("K-1", "2025-03-04 10:00"), register_row("K-2", "2025-03-04 11:00")]
    load_paths([write_register(tmp_path / "week1.csv", first)], warehouse=warehouse)
    second = [
        register_row("K-2", "2025-03-04 11:00", status="resolved", resolved_at="2025-03-05 10:00"),
        register_row("K-3", "2025-03-05 12:00", channel="Facebok"),
    ]
    load_paths([write_register(tmp_path / "week2.csv", second)], warehouse=warehouse)
    load_id = read_warehouse(
        warehouse, "select load_id from meta.loads where file_name = 'week2.csv'"
    )["load_id"].iloc[0]
    assert rollback(load_id, warehouse=warehouse) == "week2.csv"
    mart = read_warehouse(warehouse, MART).set_index("inquiry_id")
    # Back to week 1 alone: K-2 open again, K-3's quarantine gone with its load.
    assert mart.index.tolist() == ["K-1", "K-2"]
    assert mart.loc["K-2", "status"] == "open"
    assert read_warehouse(warehouse, "select count(*) as n from meta.quarantine")["n"][0] == 0
    outcome = read_warehouse(
        warehouse, "select outcome from meta.loads where load_id = ?", [load_id]
    )
    assert outcome["outcome"][0] == "rolled back"
    # The same file can be loaded again after its rollback.
    again = load_paths([tmp_path / "week2.csv"], warehouse=warehouse)
    assert again.files[0].outcome == "loaded"


def test_a_file_loaded_before_is_answered_without_copying_the_warehouse(
    tmp_path, warehouse, monkeypatch
):
    """The live warehouse is asked first (under the writer's lock): a file
    it holds already costs no copy of it, however large it is."""
    path = write_register(tmp_path / "register.csv", [register_row("C-1", "2025-03-04 10:00")])
    load_paths([path], warehouse=warehouse)
    copies = []
    real_copy = shutil.copyfile
    monkeypatch.setattr(
        shutil, "copyfile", lambda src, dst, **kw: copies.append(src) or real_copy(src, dst, **kw)
    )
    again = load_paths([path], warehouse=warehouse)
    assert again.files[0].outcome == "already loaded"
    assert copies == []
    # A new file beside it: the warehouse is copied, and both are reported.
    other = write_register(tmp_path / "other.csv", [register_row("C-2", "2025-03-05 10:00")])
    both = load_paths([path, other], warehouse=warehouse)
    assert [f.outcome for f in both.files] == ["already loaded", "loaded"]
    assert len(copies) == 1
