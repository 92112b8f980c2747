"""The Data page's read model (metrics.loads, .quarantine, .freshness, .validation),
masking (core.masking), upload staging and previews (etl.uploads, etl.previews),
on warehouses built by the real ETL.

Two register files are loaded as staff would: ``week1.csv`` with four bad
rows full of personal data, formula payloads and Urdu text, then
``week2.csv`` carrying two of those rows fixed. Expected figures are worked
out by hand in the comments, or read with plain SQL, never with the code
under test.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import stat
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core import csv_safety, masking, sources
from core.errors import FileRejected
from core.warehouse import reading
from etl import uploads
from etl.load import load_paths, make_context
from etl.previews import preview_files
from etl.rollback import rollback
from metrics import freshness, loads, quarantine, validation
from tests.etl_helpers import read_warehouse, register_row, write_register

HYPERLINK = '=HYPERLINK("http://evil.example/?x","click")'

PEOPLE = {
    # inquiry_id: personal values that must never leave raw
    "K-4": {
        "requester_name": "Ayesha Khan",
        "requester_phone": "0300-1234567",
        "requester_cnic": "17301-1234567-1",
        "requester_email": "ayesha.khan@example.org",
        "summary": "Threatening calls from a neighbour in Hayatabad",
    },
    "K-5": {
        "requester_name": "محمد علی",
        "requester_phone": "+92 321 7654321",
        "requester_cnic": "1730198765432",
        "requester_email": "m.ali@example.pk",
        "summary": "گمشدہ بچہ، فوری مدد 😢",
    },
    "K-6": {
        "requester_name": "Zarmina Bibi",
        "requester_phone": "03451112223",
        "requester_cnic": "42101-7654321-2",
        "requester_email": "zarmina@example.com",
        "summary": "@SUM(1+1) land dispute",
    },
    "K-7": {
        "requester_name": "Gul Khan Afridi",
        "requester_phone": "0091-555-123-4567",
        "requester_cnic": "61101-2223334-5",
        "requester_email": "gul.afridi@example.net",
        "summary": "Stolen motorcycle, FIR not registered",
    },
}
URDU_CHANNEL = "فیس بک"  # "Facebook" in Urdu script: not an accepted spelling
URDU_OFFICE = "ڈی پی او مردان 👮"  # free text, Urdu and an emoji


def week1_rows() -> list[dict[str, str]]:
    return [
        register_row("K-1", "2025-03-03 09:00"),
        register_row("K-2", "2025-03-03 10:00"),
        register_row("K-3", "2025-03-04 11:00"),
        # Unknown channel (a formula), a formula in a free-text column.
        register_row(
            "K-4", "2025-03-04 12:00", channel=HYPERLINK, referred_to="@cmd", **PEOPLE["K-4"]
        ),
        # Channel in Urdu script; the office in Urdu with an emoji.
        register_row(
            "K-5",
            "2025-03-07 02:00",
            channel=URDU_CHANNEL,
            referred_to=URDU_OFFICE,
            **PEOPLE["K-5"],
        ),
        # Not a district of Khyber Pakhtunkhwa; a leading minus.
        register_row(
            "K-6", "2025-03-05 09:00", district="Gilgit", referred_to="-2+3", **PEOPLE["K-6"]
        ),
        # Unreadable time; a leading tab and a phone number inside free text.
        register_row("K-7", "kal shaam", referred_to="\tSHO, call 0333-7654321", **PEOPLE["K-7"]),
    ]


def week2_rows() -> list[dict[str, str]]:
    return [
        register_row(
            "K-1",
            "2025-03-03 09:00",
            status="resolved",
            resolved_at="2025-03-04 09:00",
        ),
        register_row("K-2", "2025-03-03 10:00"),
        register_row("K-3", "2025-03-04 11:00"),
        register_row("K-4", "2025-03-04 12:00", channel="Facebook", **PEOPLE["K-4"]),
        register_row(
            "K-5", "2025-03-07 02:00", channel="Facebook", referred_to=URDU_OFFICE, **PEOPLE["K-5"]
        ),
    ]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``first``: after week1.csv; ``second``: after week1.csv then week2.csv."""
    folder = tmp_path_factory.mktemp("ops")
    week1 = write_register(folder / "week1.csv", week1_rows())
    week2 = write_register(folder / "week2.csv", week2_rows())
    second = folder / "second" / "warehouse.duckdb"
    report = load_paths([week1], warehouse=second, loaded_by="Test Loader")
    assert report.swapped, [f.line() for f in report.files]
    first = folder / "first" / "warehouse.duckdb"
    first.parent.mkdir()
    shutil.copy(second, first)
    report = load_paths([week2], warehouse=second, loaded_by="Second Loader")
    assert report.swapped, [f.line() for f in report.files]
    return {"first": first, "second": second, "week1": week1, "week2": week2, "folder": folder}


def query(path: Path, function, *args, **kwargs):
    with reading(path) as con:
        return function(con, *args, **kwargs)


def load_id_of(path: Path, file_name: str) -> str:
    found = read_warehouse(path, "select load_id from meta.loads where file_name = ?", [file_name])
    return found["load_id"].iloc[0]


# ---------------------------------------------------------------------------
# Load history
# ---------------------------------------------------------------------------


def test_history_counts_each_load(built: dict[str, Path]) -> None:
    history = query(built["second"], loads.load_history)
    assert history["file_name"].tolist() == ["week2.csv", "week1.csv"]  # newest first
    week2, week1 = (history.iloc[i] for i in range(2))
    # week1: 7 rows; K-4..K-7 fail a check; K-1..K-3 are new.
    assert (
        week1["rows_read"],
        week1["rows_inserted"],
        week1["rows_updated"],
        week1["rows_unchanged"],
        week1["rows_quarantined"],
    ) == (7, 3, 0, 0, 4)
    # week2: K-1 changed (resolved), K-2/K-3 the same, K-4/K-5 new (never loaded before).
    assert (
        week2["rows_read"],
        week2["rows_inserted"],
        week2["rows_updated"],
        week2["rows_unchanged"],
        week2["rows_quarantined"],
    ) == (5, 2, 1, 2, 0)
    # week2 fixed K-4 and K-5: of week1's four, K-6 and K-7 still wait.
    assert (week1["rows_still_quarantined"], week2["rows_still_quarantined"]) == (2, 0)
    assert week1["sha256_short"] == sha256(built["week1"])[:12]
    assert (week1["loaded_by"], week2["loaded_by"]) == ("Test Loader", "Second Loader")
    assert set(history["outcome"]) == {"loaded"}
    assert (history["duration_seconds"] >= 0).all()
    assert history["kind"].tolist() == ["inquiry register"] * 2


# ---------------------------------------------------------------------------
# Quarantine: browse, mask, download
# ---------------------------------------------------------------------------


def test_quarantine_summary_and_filters(built: dict[str, Path]) -> None:
    summary = query(built["first"], quarantine.quarantine_summary)
    counts = dict(zip(summary["check"], summary["n_rows"], strict=True))
    assert counts == {
        "channel is one of the accepted values": 2,  # K-4, K-5
        "district is one of the 36 districts, named unambiguously": 1,  # K-6
        # K-7: received_at unreadable, so also blank once parsed: two checks, one row.
        "several checks failed (received_at)": 1,
    }
    channel_key = summary.loc[summary["column_name"] == "channel", "check_key"].item()
    rows = query(built["first"], quarantine.quarantine_rows, checks=[channel_key])
    assert sorted(rows["record_id"]) == ["K-4", "K-5"]
    assert query(built["first"], quarantine.quarantine_rows, sources=["city311"]).empty
    everything = query(built["first"], quarantine.quarantine_rows, sources=["register"])
    assert sorted(everything["record_id"]) == ["K-4", "K-5", "K-6", "K-7"]
    # Spreadsheet rows: header is row 1, K-1 row 2, ... K-7 row 8.
    assert dict(zip(everything["record_id"], everything["source_row"], strict=True)) == {
        "K-4": 5,
        "K-5": 6,
        "K-6": 7,
        "K-7": 8,
    }
    assert query(built["first"], quarantine.quarantine_rows, limit=1).shape[0] == 1


def test_fixed_rows_leave_quarantine_end_to_end(built: dict[str, Path]) -> None:
    still = query(built["second"], quarantine.quarantine_rows)
    assert sorted(still["record_id"]) == ["K-6", "K-7"]
    with_fixed = query(built["second"], quarantine.quarantine_rows, include_cleared=True)
    cleared = with_fixed.dropna(subset=["cleared_by_load_id"])
    assert sorted(cleared["record_id"]) == ["K-4", "K-5"]
    assert set(cleared["cleared_by_load_id"]) == {load_id_of(built["second"], "week2.csv")}
    mart = read_warehouse(
        built["second"],
        "select inquiry_id, channel from marts.inquiries where inquiry_id in ('K-4', 'K-5')",
    )
    assert dict(zip(mart["inquiry_id"], mart["channel"], strict=True)) == {
        "K-4": "Facebook",
        "K-5": "Facebook",
    }


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())  # BOM: Excel reads Urdu correctly
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_quarantine_csv_masks_personal_data(built: dict[str, Path]) -> None:
    data = query(built["first"], quarantine.quarantine_csv)
    text = data.decode("utf-8-sig")
    for person in PEOPLE.values():
        for column, value in person.items():
            assert value not in text, (column, value)
    # Digits of phones and CNICs in any spelling, and mail addresses, are gone too.
    for fragment in ("1234567", "7654321", "1730198765432", "@example", "0333-7654321"):
        assert fragment not in text, fragment
    rows = {row["record_id"]: row for row in csv_rows(data)}
    assert set(rows) == {"K-4", "K-5", "K-6", "K-7"}
    k4 = rows["K-4"]
    assert k4["requester_name"] == "A. K."  # initials
    assert k4["summary"] == masking.REMOVED
    assert k4["requester_cnic"] == "•••••-•••••••-•"
    assert k4["requester_phone"] == "••••-•••••67"  # last two digits kept
    assert k4["requester_email"] == "a•••@•••"
    assert rows["K-5"]["requester_name"] == "م. ع."
    # Where each row is and what is wrong with it.
    assert (k4["source_file"], k4["source_row"]) == ("week1.csv", "5")
    assert "is not one of" in k4["problem"]


def test_every_csv_cell_is_formula_safe_and_urdu_is_kept(built: dict[str, Path]) -> None:
    rows = {r["record_id"]: r for r in csv_rows(query(built["first"], quarantine.quarantine_csv))}
    for row in rows.values():
        for header, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (header, cell)
    assert rows["K-4"]["channel"] == "'" + HYPERLINK
    assert rows["K-4"]["referred_to"] == "'@cmd"
    assert rows["K-6"]["referred_to"] == "'-2+3"
    assert rows["K-7"]["referred_to"] == "'\tSHO, call •••"
    assert rows["K-5"]["channel"] == URDU_CHANNEL
    assert rows["K-5"]["referred_to"] == URDU_OFFICE
    assert URDU_CHANNEL in rows["K-5"]["problem"]


def test_safe_csv_cells() -> None:
    frame = pd.DataFrame(
        {
            "=header": ["+92 300", "\rx", "plain", None, "پشتو ✊"],
            "n": [1, -2, 3, 4, 5],
        }
    )
    rows = list(csv.reader(io.StringIO(csv_safety.safe_csv(frame).decode("utf-8-sig"))))
    assert rows[0] == ["'=header", "n"]
    assert [r[0] for r in rows[1:]] == ["'+92 300", "'\rx", "plain", "", "پشتو ✊"]
    assert [r[1] for r in rows[1:]] == ["1", "'-2", "3", "4", "5"]


def test_tables_shown_are_formula_safe_too() -> None:
    # Streamlit's own "Download as CSV" on a table writes cells as they are.
    frame = pd.DataFrame({"@name": ["=1+2", "ok", None], "n": [-1, 2, 3]})
    safe = csv_safety.formula_safe(frame)
    assert list(safe.columns) == ["'@name", "n"]
    assert safe["'@name"].tolist()[:2] == ["'=1+2", "ok"]
    assert pd.isna(safe["'@name"].iloc[2])
    assert safe["n"].tolist() == [-1, 2, 3]  # numbers are not formulas


def test_browse_rows_are_masked(built: dict[str, Path]) -> None:
    rows = query(built["first"], quarantine.quarantine_rows)
    shown = " ".join(rows["row_as_read"]) + " ".join(rows["reason"])
    for person in PEOPLE.values():
        for value in person.values():
            assert value not in shown
    k4 = rows.set_index("record_id").loc["K-4", "original"]
    assert k4["requester_name"] == "A. K." and k4["district"] == "Peshawar"


# ---------------------------------------------------------------------------
# Personal columns and masking rules
# ---------------------------------------------------------------------------


def test_personal_columns_by_meaning_not_just_words() -> None:
    headers = [
        "Complaint No",
        "Complainant Name",
        "Mobile",
        "CNIC No",
        "E Mail",
        "Details",
        "District Name",
        "Gender",
        "Requester",
        "Home address",
        "Phone number clicks",
        "Views",
    ]
    assert masking.personal_columns(headers, "register") == {
        "Complainant Name": "name",
        "Mobile": "phone",
        "CNIC No": "cnic",
        "E Mail": "email",
        "Details": "text",
        "Requester": "name",
        "Home address": "text",
    }
    # The city311 mapping reads its case_title as the register's summary.
    assert masking.personal_columns(["case_title", "open_dt"], "city311") == {"case_title": "text"}
    assert masking.personal_columns(["inquiry_id", "event", "at", "actor"], "events") == {
        "actor": "name"
    }


def test_platform_exports_keep_their_public_text() -> None:
    headers = ["Post ID", "Page name", "Title", "Description", "Phone number clicks", "Email"]
    # The cell's own posts are public: only a column named like contact data is masked.
    assert masking.personal_columns(headers, "meta_content") == {"Email": "email"}


def test_scrub_text_finds_numbers_and_mail_in_free_text() -> None:
    text = "call 0300 1234567 or +92-91-5551234, cnic 17301-1234567-1, a@b.pk; post 1896545432123456789"
    assert masking.scrub_text(text) == (
        "call ••• or •••, cnic •••••-•••••••-•, •••@•••; post 1896545432123456789"
    )


# ---------------------------------------------------------------------------
# Freshness
# ---------------------------------------------------------------------------


def test_freshness_and_stale_message(built: dict[str, Path], tmp_path: Path) -> None:
    # Latest valid received_at over both loads: K-5, 2025-03-07 02:00 PKT
    # (2025-03-06 21:00 UTC, so the Pakistan date is the 7th). 16 March - 7 March = 9 days.
    fresh = query(built["second"], freshness.freshness, date(2025, 3, 16))
    row = fresh.set_index("source").loc["register"]
    assert pd.Timestamp(row["latest_covered_date"]).date() == date(2025, 3, 7)
    assert row["latest_covered_at"] == pd.Timestamp("2025-03-06 21:00", tz="UTC")
    assert (row["days_behind"], row["n_loads"], row["n_quarantined"]) == (9, 2, 2)
    loaded = read_warehouse(built["second"], "select max(started_at) as t from meta.loads")
    assert row["last_loaded_at"] == loaded["t"].iloc[0]

    config = tmp_path / "freshness.yaml"
    config.write_text("default_days: 7\nsources:\n  events: 3\n", encoding="utf-8")
    stale = freshness.stale_sources(fresh, freshness.load_thresholds(config), "inquiries")
    assert freshness.stale_message(stale.iloc[0]) == (
        "Inquiry register data ends 9 days ago (7 Mar 2025; stale after 7 days)."
    )
    # A page about social data only: the register is none of its business.
    assert freshness.stale_sources(fresh, freshness.load_thresholds(config), "social").empty
    config.write_text("default_days: 7\nsources:\n  inquiry register: 10\n", encoding="utf-8")
    assert freshness.stale_sources(fresh, freshness.load_thresholds(config)).empty
    config.write_text("sources:\n  register: null\n", encoding="utf-8")
    assert freshness.stale_sources(fresh, freshness.load_thresholds(config)).empty


def test_shipped_thresholds_are_read() -> None:
    thresholds = freshness.load_thresholds()
    assert thresholds.days_for("register") == 7
    assert thresholds.days_for("x_tweet_activity") is None
    assert thresholds.days_for("some_new_source") == thresholds.default_days


def test_rolled_back_load_leaves_history_quarantine_and_freshness(
    built: dict[str, Path], tmp_path: Path
) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(built["second"], copy)
    rollback(load_id_of(copy, "week2.csv"), warehouse=copy, by="Tester")
    history = query(copy, loads.load_history).set_index("file_name")
    assert history.loc["week2.csv", "outcome"] == "rolled back"
    assert "by Tester" in history.loc["week2.csv", "message"]
    # K-4 and K-5 are back in quarantine.
    assert sorted(query(copy, quarantine.quarantine_rows)["record_id"]) == [
        "K-4",
        "K-5",
        "K-6",
        "K-7",
    ]
    # Only week1 is in effect: its latest valid row is K-3, 2025-03-04 11:00 PKT.
    fresh = query(copy, freshness.freshness, date(2025, 3, 16)).set_index("source")
    assert pd.Timestamp(fresh.loc["register", "latest_covered_date"]).date() == date(2025, 3, 4)
    assert (fresh.loc["register", "days_behind"], fresh.loc["register", "n_loads"]) == (12, 1)


# ---------------------------------------------------------------------------
# Validation report
# ---------------------------------------------------------------------------


def test_validation_report_in_plain_words(built: dict[str, Path]) -> None:
    report = query(
        built["second"], validation.validation_report, load_id_of(built["second"], "week1.csv")
    )
    failing = report[~report["passed"]]
    assert dict(zip(failing["check"], failing["rows_failing"], strict=True)) == {
        "channel is one of the accepted values": 2,
        "district is one of the 36 districts, named unambiguously": 1,
        "received_at is filled in": 1,
        "received_at can be read as a date": 1,
    }
    assert failing.index.tolist() == report.index[: len(failing)].tolist()  # failures first
    channel = failing.set_index("check").loc["channel is one of the accepted values"]
    assert HYPERLINK in channel["examples"] and URDU_CHANNEL in channel["examples"]
    assert report["passed"].sum() == len(report) - 4
    clean = query(
        built["second"], validation.validation_report, load_id_of(built["second"], "week2.csv")
    )
    assert clean["passed"].all() and (clean["rows_failing"] == 0).all()
    stored = read_warehouse(
        built["second"],
        "select count(*) as n from meta.validation_results where load_id = ?",
        [load_id_of(built["second"], "week2.csv")],
    )
    assert len(clean) == stored["n"].iloc[0]


@pytest.mark.parametrize(
    ("expectation", "column", "words"),
    [
        ("expect_column_values_to_not_be_null", "inquiry_id", "inquiry_id is filled in"),
        (
            "expect_column_pair_values_a_to_be_greater_than_b",
            "resolved_at, received_at",
            "resolved_at is not before received_at",
        ),
        ("expect_column_values_to_be_between", "reach", "reach is not negative"),
        ("expect_column_values_to_be_null", "metric_date", "metric_date can be read as a date"),
        ("expect_something_new", "x", "x: something new"),
    ],
)
def test_expectation_words(expectation: str, column: str, words: str) -> None:
    assert validation.expectation_words(expectation, column) == words


# ---------------------------------------------------------------------------
# Files about to be loaded
# ---------------------------------------------------------------------------


def test_preview_files_tells_what_loading_would_do(built: dict[str, Path], tmp_path: Path) -> None:
    week3 = write_register(
        tmp_path / "week3.csv",
        [
            register_row(
                "K-2", "2025-03-03 10:00", status="resolved", resolved_at="2025-03-05 10:00"
            ),
            register_row("K-3", "2025-03-04 11:00"),
            register_row("K-8", "2025-03-08 10:00"),
            register_row("K-9", "2025-03-08 11:00", category="gossip", **PEOPLE["K-6"]),
        ],
    )
    archive = tmp_path / "exports.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(week3, "Registers/week3 copy.csv")
        zipped.writestr("readme.pdf", b"%PDF-1.4")
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4 not a table")
    worklist = tmp_path / "quarantine.csv"
    worklist.write_bytes(query(built["first"], quarantine.quarantine_csv))
    resaved = tmp_path / "quarantine fixed.xlsx"  # the same, opened and saved by Excel
    pd.read_csv(worklist, encoding="utf-8-sig", dtype=str).to_excel(resaved, index=False)

    paths = [week3, built["week1"], archive, pdf, worklist, resaved]
    previews = preview_files(
        paths, warehouse=built["second"], context=make_context(), workdir=tmp_path / "work"
    )
    by_name = {p.name: p for p in previews}
    assert set(by_name) == {
        "week3.csv",
        "week1.csv",
        "exports.zip » week3 copy.csv",
        "scan.pdf",
        "quarantine.csv",
        "quarantine fixed.xlsx",
    }
    plan = by_name["week3.csv"]
    # K-2 changed, K-3 the same, K-8 new; K-9's category is not accepted.
    assert plan.plan == {"insert": 1, "update": 1, "same": 1, "already_loaded": 0}
    assert (plan.kind, plan.rows_read, plan.quarantined) == ("inquiry register", 4, 1)
    # Valid rows only: K-2 (3 Mar 10:00 PKT) to K-8 (8 Mar 10:00 PKT).
    assert plan.covers_from == pd.Timestamp("2025-03-03 05:00", tz="UTC")
    assert plan.covers_to == pd.Timestamp("2025-03-08 05:00", tz="UTC")
    results = validation.results_frame(plan.results)
    assert "category is one of the accepted values" in set(results.loc[~results["passed"], "check"])
    assert plan.preview.index.tolist() == [2, 3, 4, 5]  # spreadsheet rows
    preview_text = plan.preview.to_csv()
    for value in PEOPLE["K-6"].values():
        assert value not in preview_text
    assert plan.preview.loc[5, "requester_name"] == "Z. B."

    member = by_name["exports.zip » week3 copy.csv"]
    assert member.upload == archive and member.plan == plan.plan
    assert by_name["week1.csv"].already_loaded
    assert by_name["scan.pdf"].error == "scan.pdf: this is a PDF, not a CSV or XLSX export"
    assert by_name["scan.pdf"].advice == "The wrong file was picked."
    for name in ("quarantine.csv", "quarantine fixed.xlsx"):
        assert "quarantine download" in by_name[name].error
        assert not by_name[name].loadable


SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


def test_youtube_studio_zip_is_previewed_member_by_member(tmp_path: Path) -> None:
    sample = SAMPLES / "youtube_Table data.csv"
    if not sample.exists():
        pytest.skip(f"{sample} not found (real exports live outside the project)")
    archive = tmp_path / "Content 2025-01-01_2025-03-31 KP Police.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(sample, "Table data.csv")
    (preview,) = preview_files(
        [archive], warehouse=tmp_path / "none.duckdb", context=make_context(), workdir=tmp_path
    )
    with sample.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    # Every data row but YouTube's leading "Total" row; header is row 1.
    assert rows[1][0] == "Total"
    expected = len(rows) - 2
    assert (preview.name, preview.upload) == (f"{archive.name} » Table data.csv", archive)
    assert (preview.kind, preview.error, preview.rows_read) == (
        "YouTube Studio table data",
        None,
        expected,
    )
    # No warehouse yet: every valid row would be new.
    assert preview.plan == {
        "insert": expected - preview.quarantined,
        "update": 0,
        "same": 0,
        "already_loaded": 0,
    }
    assert preview.preview["Video title"].iloc[1] == rows[2][1]  # public titles kept


def test_stage_upload_stays_in_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = uploads.stage_upload(tmp_path, 0, "../../etc/register.csv", b"a,b\n1,2\n")
    assert path == tmp_path / "000" / "register.csv"
    assert path.read_bytes() == b"a,b\n1,2\n"
    urdu = uploads.stage_upload(tmp_path, 1, "رجسٹر مارچ.csv", b"x")
    assert urdu.name == "رجسٹر مارچ.csv"
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 4)
    with pytest.raises(FileRejected, match="the file is 5 bytes; the limit is 4 bytes"):
        uploads.stage_upload(tmp_path, 2, "big.csv", b"12345")


def test_upload_folders_are_private_and_do_not_pile_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    old = tmp_path / "kp-upload-left-behind"
    recent = tmp_path / "kp-upload-in-use"
    for folder in (old, recent):
        (folder / "000").mkdir(parents=True)
        (folder / "000" / "register.csv").write_text("personal data")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    folder = uploads.upload_folder()
    assert folder.parent == tmp_path and folder.name.startswith("kp-upload-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not old.exists() and recent.exists()
    staged = uploads.stage_upload(folder, 0, "r.csv", b"x")
    assert stat.S_IMODE(staged.stat().st_mode) == 0o600


def test_advice_follows_operations_doc() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "operations.md").read_text("utf-8")
    doc = doc.replace("`", "").lower()
    # The advice for the messages the doc lists is the doc's own wording.
    for needle in (
        "required column",
        "match no export",
        "separated by semicolons",
        "are not dates in the form",
        "the file is empty",
        "binary data",
        "mixes encodings",
        "the limit is",
        "another load is running",
    ):
        advice = dict(uploads.ADVICE)[needle]
        assert advice.rstrip(".").split(":")[0].lower() in doc, needle
    assert uploads.advice_for("x.csv: the zip archive is damaged (bad CRC); download it again") == (
        "The download was interrupted: download it again."
    )
    assert uploads.advice_for("x.csv: something new").startswith("Check that this is")


def test_who_loads() -> None:
    assert uploads.who_loads("  Sana   Gul ") == "Sana Gul"
    assert uploads.who_loads("") == uploads.who_loads(None) != ""


def test_masked_original_handles_json_text() -> None:
    record = json.dumps({"_source_row": 3, "Name": "Bilal Ahmad", "channel": "X"})
    assert quarantine.masked_original(record, "register") == {"Name": "B. A.", "channel": "X"}


# ---------------------------------------------------------------------------
# Facts the read side keeps without importing the ETL (core.sources)
# ---------------------------------------------------------------------------


def test_groups_agree_with_the_sources_the_etl_reads() -> None:
    from etl.detect import known_sources
    from etl.sources import meta, tiktok, x_twitter, youtube
    from etl.sources.mapped import load_mappings

    exports = [*meta.SOURCES, *x_twitter.SOURCES, *youtube.SOURCES, *tiktok.SOURCES]
    platforms = {s.source for s in exports}
    mapped = [m.name for m in load_mappings()]
    assert sources.inquiry_sources() == ("events", "register", *mapped)
    for source in {s.source for s in known_sources()}:
        if source in {"register", "events", *mapped}:
            expected = "inquiries"
        elif source in platforms:
            expected = "social"
        else:
            expected = None  # e.g. a media register: neither page's business
        assert sources.source_group(source) == expected, source


def test_header_spellings_agree_with_the_etl() -> None:
    from etl.detect import WORKLIST_COLUMNS
    from etl.sources import events, inquiries

    def items(aliases: dict) -> list:
        return [(column, tuple(names)) for column, names in aliases.items()]

    assert items(sources.REGISTER_HEADER_ALIASES) == items(inquiries.HEADER_ALIASES)
    assert items(sources.EVENT_HEADER_ALIASES) == items(events.HEADER_ALIASES)
    assert sources.WORKLIST_COLUMNS == WORKLIST_COLUMNS


def test_a_deployment_mapping_is_known_to_masking_and_freshness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "helpdesk.yaml").write_text(
        "name: helpdesk\n"
        "id_column: Ticket\n"
        "columns:\n"
        "  received_at: Opened\n"
        "  requester_name: Customer\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KP_MAPPINGS_DIR", str(tmp_path))
    from etl.sources.mapped import load_mappings

    assert sources.column_mappings() == [
        (m.name, {"inquiry_id": m.id_column, **m.columns}) for m in load_mappings()
    ]
    assert sources.source_group("helpdesk") == "inquiries"
    headers = ["Ticket", "Opened", "Customer", "District name", "Agent notes"]
    # "Customer" is personal only because the mapping says it is the requester's name.
    assert masking.personal_columns(headers, "helpdesk") == {
        "Customer": "name",
        "Agent notes": "text",
    }


def test_a_register_that_is_no_platform_export_keeps_full_masking() -> None:
    headers = ["Outlet", "Journalist name", "Mobile", "Question"]
    assert masking.personal_columns(headers, "media_queries") == {
        "Journalist name": "name",
        "Mobile": "phone",
    }
    # A platform export's columns: only contact data is masked.
    assert masking.personal_columns(headers, "x_content") == {"Mobile": "phone"}


def test_read_side_sees_an_edited_mapping_without_a_restart(tmp_path, monkeypatch):
    from core import sources

    monkeypatch.setenv("KP_MAPPINGS_DIR", str(tmp_path))
    mapping = tmp_path / "helpline.yaml"
    mapping.write_text("name: helpline\nid_column: Case\ncolumns:\n  district: Area\n")
    assert dict(sources.column_mappings())["helpline"] == {"inquiry_id": "Case", "district": "Area"}
    mapping.write_text("name: helpline\nid_column: Case No\ncolumns:\n  district: Tehsil\n")
    # A different size and modification time, as any edit gives.
    os.utime(mapping, ns=(1_000_000_000, 1_000_000_000))
    assert dict(sources.column_mappings())["helpline"] == {
        "inquiry_id": "Case No",
        "district": "Tehsil",
    }
    assert "helpline" in sources.inquiry_sources()
