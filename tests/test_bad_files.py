"""The bad-file corpus (``tests/bad_corpus.py``) through the real load.

Three outcomes, each asserted exactly:

- **rejected**: the file loads nothing; the report says so in one line
  (file, row, column, what to do), and the live warehouse is byte for byte
  what it was (sha256 before and after; no temporary file left beside it);
- **quarantined**: the good rows load, each bad row lands in
  ``meta.quarantine`` with its reason;
- **loaded as written**: text that looks dangerous or exotic (formula
  payloads, Urdu, Pashto, emoji) reaches ``raw`` exactly as it was written,
  and damage Excel did that the reader can undo is undone.

Expected messages are written out by hand; the row numbers are spreadsheet
rows (header = row 1) and are worked out in the comments. All loads run
on the corpus' clock (``bad_corpus.NOW``, 1 Dec 2025) so "the future" is
fixed.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from itertools import permutations
from pathlib import Path

import pytest

from core.config import MAX_FILE_BYTES
from core.errors import FileRejected
from etl.__main__ import main as cli
from etl.archives import extract_exports
from etl.load import load_paths, make_context
from tests.bad_corpus import (
    AT_SUM,
    EMOJI,
    FIXTURES,
    HYPERLINK,
    MINUS,
    NOW,
    PASHTO,
    PLUS_CMD,
    RTL_MIX,
    URDU,
    URDU_NAME,
    register_cells,
    register_csv,
    small_cases,
    write_big_case,
)
from tests.etl_helpers import file_digest, read_warehouse

CONTEXT = make_context(now=NOW)
AGAIN = "download the export again and load it without opening it in Excel first"
LIMIT_MB = MAX_FILE_BYTES // 2**20  # 200 MB as configured
# Daily metrics name a metric as the record, not the row: any id will do there.
ANY = "(any)"
NOTHING = " (no row passed its checks, so nothing was loaded: fix the file and load it again)"
# Every value the channel column accepts, in full (issue 8: lists are never cut short).
CHANNELS = (
    "Facebook, X, Instagram, YouTube, TikTok, WhatsApp, Helpline phone, SMS 8855, "
    "Toll-free 0800, Email, Web portal, Pakistan Citizen Portal, Walk-in, Letter, "
    "RTI request, Unknown"
)

# File -> the one line the load reports. Rows: header = row 1.
REJECTED: dict[str, str] = {
    "register_empty.csv": "the file is empty",
    "register_header_only.csv": "the file has a header but no data rows",
    "register_blank_lines_only.csv": "no header row found: the file has no table in it",
    "register_binary_garbage.csv": "the file holds binary data, not text: is it really a CSV?",
    "register_pdf_renamed.xlsx": "this is a PDF, not a CSV or XLSX export",
    "register_truncated.xlsx": "the file is a damaged zip or Excel workbook (cut short while "
    "downloading?); download it again",
    "register_old_excel_or_password.xlsx": "this is an old-format (.xls) or password-protected "
    "Excel file: save it from Excel as an .xlsx workbook without a password, or load the CSV "
    "export instead",
    # Line 2 (MIX-1) holds UTF-8 "Café", line 3 (MIX-2) cp1252 "Café".
    "register_mixed_encodings.csv": "row 3: the file mixes encodings: line 2 is UTF-8 text and "
    f"line 3 is not (rows pasted from another file?); {AGAIN}",
    # Header and PW-1 (row 2) are fine; row 3 is a whole row in one field.
    "register_one_row_in_one_field.csv": "row 3: the whole row is inside one quoted field "
    f"(Excel re-saved the file); {AGAIN}",
    # A file whose only row fails its checks loads nothing (issue 8): refused,
    # with the reason. The clock is 1 Dec 2025: 15 Jan 2026 is in the future.
    "register_received_in_future.csv": "1 of 1 rows: received_at 2026-01-15 10:00 PKT is in "
    "the future" + NOTHING,
    "register_received_1900.csv": "1 of 1 rows: received_at 1900-01-01 00:00 PKT is before "
    "2015-01-01, the earliest plausible date" + NOTHING,
    "register_received_3019.csv": "1 of 1 rows: received_at 3019-03-04 10:00 PKT is in the "
    "future" + NOTHING,
    "register_reply_before_receipt.csv": "1 of 1 rows: first_response_at (2025-03-04 09:15 PKT) "
    "is before received_at (2025-03-04 10:00 PKT)" + NOTHING,
    "register_ids_turned_into_dates.csv": "row 2, column inquiry_id: '1-Mar' is how Excel shows "
    f"a number or code it turned into a date; {AGAIN}",
    # The message shows the first 12 of the 21 headers left.
    "register_missing_received_at.csv": "row 1, column received_at: required column "
    "received_at is missing (the header has: inquiry_id, channel, category, district, "
    "requester_gender, language, summary, requester_name, requester_phone, requester_cnic, "
    "requester_email, priority, …)",
    # XF-2 (row 3) carries a 23rd value, "surplus", under a 22-column header.
    "register_row_with_extra_field.csv": "row 3: the row has 23 values but the header has 22 "
    f"columns (a ',' inside a value that is not in quotes?); {AGAIN}",
    # UQ-2 (row 3) opens a quote in its summary and never closes it.
    "register_unclosed_quote.csv": "row 3: a quoted value is never closed (it runs to the end "
    f"of the file); {AGAIN}",
    # CAT-1 is row 2; the second export's header is row 3.
    "register_two_exports_joined.csv": "row 3: this row is the header again: two exports were "
    "joined into one file; load each export as its own file, as downloaded",
    "register_header_only.xlsx": "the sheet has a header but no data rows",
    "register_single_column.xlsx": "no header row found: no row of the first sheet has more "
    "than one value",
    "register_empty_sheet.xlsx": "the workbook's first sheet is empty",
    # 1.8889597096146801E+18 = 1888959709614680100: 19 digits, the last 4 lost.
    "register_ids_as_numbers.xlsx": "row 2, column inquiry_id: a number of 19 digits: Excel "
    f"keeps 15, so an id typed as a number has lost its last digits; {AGAIN}",
    "events_header_only.csv": "the file has a header but no data rows",
    # The file lacks "source", which the city311 mapping reads as the
    # channel: the message names the column as the file would.
    "city311_mapped_column_missing.csv": "row 1, column source: required column source is "
    "missing (the header has: case_enquiry_id, open_dt, target_dt, closed_dt, ontime, "
    "case_status, closure_reason, case_title, subject, reason, type, queue, …)",
    "x_overview_numbers_turned_into_dates.csv": "row 2, column Impressions: '16-Jan' is how "
    f"Excel shows a number or code it turned into a date; {AGAIN}",
    # One X post (row 2), then the YouTube export's header (row 3) and rows.
    "x_content_with_youtube_rows_appended.csv": "row 3: this row is the header of another "
    "export (YouTube Studio table data: Content, Video title, Video publish time, Duration, …) "
    "inside this X post analytics file; load each export as its own file, as downloaded",
    "youtube_totals_ambiguous_dates.csv": "row 2, column Date: dates such as '01-02-2025' were "
    f"rewritten by Excel and could be day-month or month-day; {AGAIN}",
    "youtube_table_total_row_only.csv": "row 2: the file holds only Studio's Total row: no "
    "videos to load",
    # Row 2 is Studio's Total row; its watch time 30.5 became "30,5".
    "youtube_table_semicolons_decimal_commas.csv": "row 2, column Watch time (hours): the "
    "columns are separated by semicolons (Excel re-saved the file) and numbers have decimal "
    f"commas ('30,5' could be 30.5 or 305); {AGAIN}",
    "youtube_path_traversal.zip": "the archive holds a file with an unsafe path "
    "('../../home/media/Table data.csv'): it is not an export; nothing was extracted",
    "youtube_encrypted.zip": "the archive is password-protected ('Table data.csv'): download "
    "the export again, without a password",
    "youtube_too_many_members.zip": "the archive holds 51 files; at most 50 are read",
    "youtube_nothing_readable.zip": "the zip archive holds no CSV or XLSX file",
    # One Facebook post (row 2), then X's header (row 3) and an X post.
    "meta_fb_with_x_rows_appended.csv": "row 3: this row is the header of another export (X "
    "post analytics: Post id, Date, Post text, Link, …) inside this Meta Facebook posts file; "
    "load each export as its own file, as downloaded",
    # Lines: 1 sep=, 2 title, 3 header, 4 first day, 5 second day (cut inside it).
    "meta_insights_truncated_utf16.csv": "row 5: the text ends in the middle of a character: "
    f"the file was cut short; {AGAIN}",
    "meta_ig_header_only.csv": "the file has a header but no data rows",
    # Both rows are the same post: neither passes, so the file loads nothing (issue 8).
    "meta_fb_duplicate_posts.csv": "2 of 2 rows: post 1052345678901234_122118000000000003 "
    "appears more than once in this file" + NOTHING,
    "tiktok_overview_header_only.csv": "the file has a header but no data rows",
}

BIG_REJECTED: dict[str, str] = {
    # BIG-2 (row 3): a summary of 10 * 1024 * 1024 = 10,485,760 characters.
    "register_10mb_field.csv": "row 3, column summary: a value of 10,485,760 characters (at "
    f"most 1,000,000 are read): probably a quote that is never closed; {AGAIN}",
    "register_million_columns.csv": "the header has 1,000,000 columns; at most 2,000 are read",
    "register_over_size_limit.csv": f"the file is {MAX_FILE_BYTES + 1:,} bytes; the limit is "
    f"{MAX_FILE_BYTES:,} bytes ({LIMIT_MB} MB): export a shorter period",
    # 128 chunks of 16 MiB = 2 GiB = 2,048 MB declared.
    "youtube_zip_bomb_2gb.zip": f"the archive would unpack to 2,048 MB; the limit is {LIMIT_MB} MB",
    "youtube_zip_lying_sizes.zip": "the zip archive is damaged (Bad CRC-32 for file "
    "'Totals.csv'); download it again",
    # The 2 GiB sheet plus about 1.5 KB of other parts: 2,048 MB.
    "register_xlsx_bomb.xlsx": f"the workbook unpacks to 2,048 MB; the limit is {LIMIT_MB} MB: "
    "export a shorter period, or as CSV",
}


# File -> {spreadsheet row: (record id, reasons)} for rows sent to quarantine.
# A row failing several checks is one quarantine record, reasons joined by "; ".
QUARANTINED: dict[str, dict[int, tuple[str | None, set[str]]]] = {
    "register_duplicate_ids.csv": {
        2: ("DUP-1", {"inquiry_id DUP-1 appears more than once in this file"}),
        3: ("DUP-1", {"inquiry_id DUP-1 appears more than once in this file"}),
    },
    "register_districts.csv": {
        2: ("DIST-1", {"district 'Gilgit' is not one of the 36 districts of Khyber Pakhtunkhwa"}),
        3: (
            "DIST-2",
            {
                "district 'Dir' is ambiguous: it could be Lower Dir or Upper Dir; write the "
                "district in full"
            },
        ),
    },
    "register_formula_payloads.csv": {
        4: (
            "FORM-3",
            {f'channel \'=HYPERLINK("x","Facebook")\' is not one of: {CHANNELS}'},
        ),
    },
    "events_bad_rows.csv": {
        3: (
            "EVT-1",
            {
                "event 'called back' is not one of: received, first_response, referred, "
                "field_ack, field_report, resolved, reopened"
            },
        ),
        4: ("EVT-2", {"event_at 3019-03-04 10:00 PKT is in the future"}),
        5: (
            "EVT-3",
            {"event_at 1900-01-01 00:00 PKT is before 2015-01-01, the earliest plausible date"},
        ),
        6: (None, {"inquiry_id is blank; it is required"}),
    },
    # Boston times (America/New_York, EST = UTC-5 in January) shown in PKT
    # (UTC+5): 13:47 EST = 23:47 PKT; 09:00 EST on the 20th = 19:00 PKT.
    # 1900-01-01 00:00 EST = 05:00 UTC; Karachi then kept local mean time,
    # UTC+4:28:12, so 09:28 on the wall clock.
    "city311_sentinels_and_typos.csv": {
        2: (
            "101004110001",
            {
                "resolved_at 1900-01-01 09:28 PKT is before 2015-01-01, the earliest plausible "
                "date",
                "resolved_at (1900-01-01 09:28 PKT) is before received_at (2022-01-21 23:47 PKT)",
            },
        ),
        3: ("101004110002", {"received_at 3019-01-21 23:47 PKT is in the future"}),
        4: (
            "101004110003",
            {"resolved_at (2022-01-20 19:00 PKT) is before received_at (2022-01-21 23:47 PKT)"},
        ),
    },
    "x_content_negative_counts.csv": {
        2: ("1888959709614682283", {"impressions -5.0 is negative; counts cannot be"}),
    },
    "x_content_duplicate_posts.csv": {
        2: (
            "1888959709614682284",
            {"post 1888959709614682284 appears more than once in this file"},
        ),
        3: (
            "1888959709614682284",
            {"post 1888959709614682284 appears more than once in this file"},
        ),
    },
    "x_content_ids_rounded_by_excel.csv": {
        2: (
            "1.88896E+18",
            {
                "post id '1.88896E+18' is not an X post id (digits only); if Excel rounded it, "
                "download the export again"
            },
        ),
    },
    "x_content_year_3019.csv": {
        2: ("1888959709614682288", {"publish time 3019-02-10 00:00 PKT is not plausible"}),
    },
    "x_overview_year_3019.csv": {2: (ANY, {"date 3019-02-10 00:00:00 is not plausible"})},
    # Row 2 is the Total row (skipped); row 4 is the second video.
    "youtube_table_negative_views.csv": {
        4: ("-bX3_k9LmQw", {"video_views -310.0 is negative; counts cannot be"}),
    },
    "meta_fb_negative_reach.csv": {
        2: ("1052345678901234_122118000000000001", {"reach -12.0 is negative; counts cannot be"}),
    },
    # Lines: 1 sep=, 2 title, 3 header, 4 first day, 5 the day in 3019.
    "meta_insights_year_3019.csv": {5: (ANY, {"date 3019-01-02 00:00:00 is not plausible"})},
    "tiktok_content_negative_likes.csv": {
        2: ("7432101234567890123", {"reactions -3.0 is negative; counts cannot be"}),
    },
    "tiktok_overview_year_3019.csv": {2: (ANY, {"date 3019-10-31 00:00:00 is not plausible"})},
    # Header row 1, BL-1 row 2, a blank row 3, BL-2 row 4: lineage counts the blank row.
    "register_blank_line_between_rows.csv": {
        4: (
            "BL-2",
            {f"channel 'Facebok' is not one of: {CHANNELS}"},
        ),
    },
}

LOADED = [
    # DD-MM-YYYY that the file proves day-first (13-03 has no month 13): read
    # so since issue 8, no longer refused.
    "register_dates_day_first.csv",
    "register_rows_in_one_field.csv",
    "register_semicolons_no_sep_line.csv",
    "register_urdu_pashto_emoji.csv",
    "register_formula.xlsx",
    "register_same_id_week1.csv",
    "register_same_id_week2.csv",
    "register_copy_a.csv",
    "register_copy_b.csv",
    "x_content_text_kept.csv",
    "youtube_totals_day_first.csv",
    "youtube_same_name_in_two_folders.zip",
]
# Loaded in the same load as the others: they must leave no row behind.
REJECTED_IN_COMBINED = ["register_unclosed_quote.csv", "youtube_path_traversal.zip"]


def test_the_corpus_is_what_the_generator_writes():
    cases = small_cases()
    committed = {path.name: path.read_bytes() for path in FIXTURES.iterdir()}
    assert committed.keys() == cases.keys()
    changed = [name for name, data in cases.items() if committed[name] != data]
    assert not changed, f"run .venv/bin/python -m tests.bad_corpus: {changed}"
    every = {*REJECTED, *BIG_REJECTED, *QUARANTINED, *LOADED}
    assert every >= cases.keys()  # every committed file has its expectation here
    assert len(every) >= 40


@pytest.fixture(scope="module")
def base_warehouse(tmp_path_factory) -> Path:
    """A small real warehouse: three register rows, loaded once per module."""
    folder = tmp_path_factory.mktemp("base")
    path = folder / "base_register.csv"
    path.write_bytes(
        register_csv([register_cells(f"BASE-{i}", f"2025-03-0{i} 10:00") for i in (1, 2, 3)])
    )
    report = load_paths([path], warehouse=folder / "warehouse.duckdb", context=CONTEXT)
    assert report.swapped, [f.line() for f in report.files]
    return folder / "warehouse.duckdb"


@pytest.fixture
def warehouse(base_warehouse, tmp_path) -> Path:
    copy = tmp_path / "live" / "warehouse.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(base_warehouse, copy)
    return copy


def one_line(name: str, expected: str) -> str:
    """The report's line: ``file, row N, column C: ...`` or ``file: ...``."""
    return f"{name}, {expected}" if expected.startswith("row ") else f"{name}: {expected}"


def assert_rejected_alone(path: Path, expected: str, warehouse: Path) -> None:
    before = file_digest(warehouse)
    report = load_paths([path], warehouse=warehouse, context=CONTEXT)
    got = [(f.file_name, f.outcome, f.message) for f in report.files]
    assert got == [(path.name, "rejected", one_line(path.name, expected))]
    assert not report.swapped
    assert file_digest(warehouse) == before
    beside = {p.name for p in warehouse.parent.iterdir()}
    assert beside <= {"warehouse.duckdb", "warehouse.duckdb.lock"}


@pytest.mark.parametrize("name", list(REJECTED))
def test_a_bad_file_is_rejected_and_changes_nothing(name, warehouse):
    assert_rejected_alone(FIXTURES / name, REJECTED[name], warehouse)


@pytest.mark.parametrize("name", list(BIG_REJECTED))
def test_a_big_bad_file_is_rejected_and_changes_nothing(name, warehouse, tmp_path):
    path = write_big_case(name, tmp_path)
    assert_rejected_alone(path, BIG_REJECTED[name], warehouse)


@pytest.mark.parametrize("name", ["youtube_zip_bomb_2gb.zip", "youtube_zip_lying_sizes.zip"])
def test_a_bad_archive_leaves_nothing_extracted(name, tmp_path):
    bomb = write_big_case(name, tmp_path)
    out = tmp_path / "out"
    with pytest.raises(FileRejected):
        extract_exports(bomb, out)
    assert not out.exists() or not list(out.iterdir())


@pytest.fixture(scope="module")
def combined(base_warehouse, tmp_path_factory):
    """Every quarantine and load-as-written case (and two rejected files) in one load."""
    folder = tmp_path_factory.mktemp("combined")
    warehouse = folder / "warehouse.duckdb"
    shutil.copyfile(base_warehouse, warehouse)
    names = [*QUARANTINED, *LOADED, *REJECTED_IN_COMBINED]
    report = load_paths([FIXTURES / n for n in names], warehouse=warehouse, context=CONTEXT)
    return report, warehouse


def results(report, name: str) -> list:
    return [f for f in report.files if f.file_name == name or f.file_name.startswith(name + " »")]


def raw_table_of(name: str) -> str:
    """Where a corpus file's valid rows land, by the kind its name says."""
    if name.startswith(("register_", "city311_")):
        return "raw.inquiry_register"
    if name.startswith("events_"):
        return "raw.response_events"
    if "overview" in name or "insights" in name:
        return "raw.social_account_daily"
    return "raw.social_post_snapshots"


def raw_rows(warehouse: Path, table: str, file_name: str, columns: str):
    return read_warehouse(
        warehouse,
        f"select {columns} from {table} where _source_file = ? order by _source_row",
        [file_name],
    )


@pytest.mark.parametrize("name", list(QUARANTINED))
def test_bad_rows_are_quarantined_with_their_reason(name, combined):
    report, warehouse = combined
    (result,) = results(report, name)
    expected = QUARANTINED[name]
    assert (result.outcome, result.quarantined) == ("loaded", len(expected)), result.line()
    rows = read_warehouse(
        warehouse,
        "select source_row, record_id, reason from meta.quarantine where source_file = ? "
        "order by source_row",
        [name],
    )
    got = {}
    for r in rows.itertuples():
        record, reasons = expected.get(int(r.source_row), (None, set()))
        joined = {"; ".join(order) for order in permutations(sorted(reasons))}
        got[int(r.source_row)] = (
            ANY if record == ANY else r.record_id if isinstance(r.record_id, str) else None,
            reasons if r.reason in joined else {r.reason},
        )
    assert got == expected
    # The other rows loaded; no quarantined row did.
    table = raw_table_of(name)
    loaded = set(raw_rows(warehouse, table, name, "_source_row")["_source_row"])
    assert not loaded & set(expected)
    if table != "raw.social_account_daily":  # daily files hold several rows per source row
        assert len(loaded) == result.rows_read - result.quarantined


def test_rejected_files_in_a_load_leave_no_row_behind(combined):
    report, warehouse = combined
    for name in REJECTED_IN_COMBINED:
        (result,) = results(report, name)
        assert result.outcome == "rejected"
    tables = ["raw.inquiry_register", "raw.social_post_snapshots", "raw.social_account_daily"]
    for table in tables:
        files = read_warehouse(warehouse, f"select distinct _source_file as f from {table}")["f"]
        assert not any(f.startswith(tuple(REJECTED_IN_COMBINED)) for f in files)
    quarantined = read_warehouse(warehouse, "select distinct source_file as f from meta.quarantine")
    assert not set(quarantined["f"]) & set(REJECTED_IN_COMBINED)


def test_formula_payloads_are_stored_as_text_never_run(combined):
    _, warehouse = combined
    raw = raw_rows(
        warehouse,
        "raw.inquiry_register",
        "register_formula_payloads.csv",
        "inquiry_id, summary, requester_name, referred_to",
    ).set_index("inquiry_id")
    assert raw.loc["FORM-1"].tolist() == [HYPERLINK, PLUS_CMD, AT_SUM]
    assert raw.loc["FORM-2", "summary"] == MINUS
    assert raw.loc["FORM-2", "requester_name"] == "=1+1"
    # The quarantined row keeps the payload as text in its original too.
    original = read_warehouse(
        warehouse,
        "select original from meta.quarantine where source_file = ? and record_id = 'FORM-3'",
        ["register_formula_payloads.csv"],
    )["original"].iloc[0]
    assert json.loads(original)["channel"] == '=HYPERLINK("x","Facebook")'
    # A workbook's formula cell is kept as its formula, not its cached result.
    xlsx = raw_rows(
        warehouse,
        "raw.inquiry_register",
        "register_formula.xlsx",
        "inquiry_id, summary, requester_name",
    ).set_index("inquiry_id")
    assert xlsx.loc["XL-1", "summary"] == '=HYPERLINK("http://evil.example/","Click me")'
    assert xlsx.loc["XL-2"].tolist() == [PLUS_CMD, AT_SUM]
    assert xlsx.loc["XL-3", "summary"] == URDU


def test_urdu_pashto_and_emoji_reach_raw_byte_for_byte(combined):
    _, warehouse = combined
    raw = raw_rows(
        warehouse,
        "raw.inquiry_register",
        "register_urdu_pashto_emoji.csv",
        "inquiry_id, summary, requester_name",
    )
    got = [
        (s.encode("utf-8"), n.encode("utf-8"))
        for s, n in zip(raw["summary"], raw["requester_name"], strict=True)
    ]
    want = [
        (text.encode("utf-8"), name.encode("utf-8"))
        for text, name in [
            (URDU, URDU_NAME),
            (PASHTO, "Test Person"),
            (EMOJI, "Test Person"),
            (RTL_MIX, "Test Person"),
        ]
    ]
    assert got == want
    posts = raw_rows(
        warehouse, "raw.social_post_snapshots", "x_content_text_kept.csv", "post_text"
    )["post_text"].tolist()
    assert [p.encode("utf-8") for p in posts] == [
        (URDU + " " + EMOJI).encode("utf-8"),
        PASHTO.encode("utf-8"),
        HYPERLINK.encode("utf-8"),
    ]


def test_no_personal_text_reaches_a_mart(combined):
    _, warehouse = combined
    marts = read_warehouse(
        warehouse,
        "select table_name from information_schema.tables where table_schema = 'marts'",
    )["table_name"]
    text = "".join(
        read_warehouse(warehouse, f"select * from marts.{table}").to_csv() for table in marts
    )
    assert "ACROSS-1" in text and "BASE-1" in text  # the marts were read
    # Values only the register's personal columns hold (summaries, names,
    # phones); posts' own text is public and may be shown.
    personal = (URDU_NAME, RTL_MIX, PLUS_CMD, MINUS, "Test Person", "0300-0000000")
    assert [secret for secret in personal if secret in text] == []


def test_excel_damage_that_leaves_no_doubt_is_repaired(combined):
    report, warehouse = combined
    # Rows wrapped in one field: read as the original rows would have been.
    wrapped = (FIXTURES / "register_rows_in_one_field.csv").read_text("utf-8")
    original = [next(csv.reader([cells[0]])) for cells in csv.reader(io.StringIO(wrapped))]
    raw = raw_rows(warehouse, "raw.inquiry_register", "register_rows_in_one_field.csv",
                   "inquiry_id, summary, channel")  # fmt: skip
    header = original[0]
    expected = [
        [
            row[header.index("inquiry_id")],
            row[header.index("summary")],
            row[header.index("channel")],
        ]
        for row in original[1:]
    ]
    assert raw.to_numpy().tolist() == expected
    assert expected[1][1] == 'He said "help"'
    # Semicolons, same number of values in every row, no decimal commas: read with ';'.
    semi = (FIXTURES / "register_semicolons_no_sep_line.csv").read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(semi), delimiter=";"))
    raw = raw_rows(warehouse, "raw.inquiry_register", "register_semicolons_no_sep_line.csv",
                   "inquiry_id, summary")  # fmt: skip
    assert raw.to_numpy().tolist() == [[r[0], r[7]] for r in rows[1:]]
    assert raw["summary"].iloc[1] == "Lost CNIC, help"
    # A register's DD-MM-YYYY settled by 13-03-2025 (no month 13): 11 to 16
    # March 2025, 10:00 PKT = 05:00 UTC.
    register = raw_rows(warehouse, "raw.inquiry_register", "register_dates_day_first.csv",
                        "inquiry_id, strftime(received_at, '%Y-%m-%d %H:%M') as t")  # fmt: skip
    assert register.to_numpy().tolist() == [
        [f"DMY-{i}", f"2025-03-{10 + i:02d} 05:00"] for i in range(1, 7)
    ]
    # DD-MM-YYYY settled by 13-08-2025 (no month 13): 12 and 13 August.
    days = raw_rows(warehouse, "raw.social_account_daily", "youtube_totals_day_first.csv",
                    "cast(metric_date as varchar) as d, value")  # fmt: skip
    assert days.to_numpy().tolist() == [["2025-08-12", 41.0], ["2025-08-13", 52.0]]


def test_same_names_in_two_folders_of_a_zip_are_both_loaded(combined):
    report, warehouse = combined
    zip_name = "youtube_same_name_in_two_folders.zip"
    loaded = sorted(f.file_name for f in results(report, zip_name))
    assert loaded == [f"{zip_name} » 2025-08 » Totals.csv", f"{zip_name} » 2025-09 » Totals.csv"]
    days = read_warehouse(
        warehouse,
        "select cast(metric_date as varchar) as d, value from raw.social_account_daily "
        "where _source_file like ? order by 1",
        [zip_name + "%"],
    )
    assert days.to_numpy().tolist() == [
        ["2025-08-01", 10.0],
        ["2025-08-02", 12.0],
        ["2025-09-01", 20.0],
        ["2025-09-02", 22.0],
    ]


def test_duplicates_across_files_and_the_same_file_twice(combined):
    report, warehouse = combined
    by_name = {f.file_name: f for f in report.files}
    week1, week2 = by_name["register_same_id_week1.csv"], by_name["register_same_id_week2.csv"]
    assert (week1.inserted, week2.inserted, week2.updated) == (1, 0, 1)
    mart = read_warehouse(
        warehouse,
        "select status, source_file, resolution_minutes from marts.inquiries "
        "where inquiry_id = 'ACROSS-1'",
    )
    # 10:00 on the 4th to 09:00 on the 5th: 23 h = 1380 minutes.
    assert mart.to_numpy().tolist() == [["resolved", "register_same_id_week2.csv", 1380.0]]
    assert (by_name["register_copy_a.csv"].outcome, by_name["register_copy_b.csv"].outcome) == (
        "loaded",
        "already loaded",
    )
    copies = read_warehouse(
        warehouse, "select count(*) as n from raw.inquiry_register where inquiry_id = 'COPY-1'"
    )
    assert copies["n"].iloc[0] == 1


def test_the_command_line_reports_each_bad_file_on_one_line(warehouse, capsys):
    # The CLI's own entry point, in process (a subprocess would spend its
    # time importing Great Expectations); an exception would fail the test.
    # The command line runs on the real clock: a file that is refused only
    # because of the corpus' clock (a date in its future) is left out.
    names = [n for n in REJECTED if n != "register_received_in_future.csv"]
    before = file_digest(warehouse)
    code = cli(["--warehouse", str(warehouse), "-q", "load", *[str(FIXTURES / n) for n in names]])
    out = capsys.readouterr()
    assert code == 2
    lines = out.out.splitlines()
    # One line a file (archives are unpacked, so reported, first), then the outcome.
    assert sorted(lines[:-1]) == sorted(f"REJECTED {one_line(n, REJECTED[n])}" for n in names)
    assert lines[-1] == "the warehouse is unchanged"
    assert out.err == ""
    assert file_digest(warehouse) == before
