"""Other organisations' systems through a column mapping (issue 8, section 2).

Each test writes its mapping into its own ``KP_MAPPINGS_DIR`` as a new user
would. Line numbers in the expected messages are counted in the YAML texts
below (line 1 = ``name:``); times are Asia/Karachi (UTC+5).
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.__main__ import main as cli
from etl.load import load_paths, make_context
from etl.sources.mapped import load_mappings, mapping_problems
from metrics.filters import Filters
from metrics.responsiveness import first_response_sla, items_received, response_rate
from metrics.scope import inquiry_sources, sources_without_first_response
from tests.etl_helpers import read_warehouse, register_row, write_register

JUNE = datetime(2026, 6, 1, tzinfo=UTC)
CONTEXT = make_context(now=JUNE)
CHANNELS = (
    "Facebook, X, Instagram, YouTube, TikTok, WhatsApp, Helpline phone, SMS 8855, "
    "Toll-free 0800, Email, Web portal, Pakistan Citizen Portal, Walk-in, Letter, "
    "RTI request, Unknown"
)
NOT_KP = "is not one of the 36 districts of Khyber Pakhtunkhwa"


@pytest.fixture
def mappings(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "mappings"
    folder.mkdir()
    monkeypatch.setenv("KP_MAPPINGS_DIR", str(folder))
    return folder


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return tmp_path / "wh" / "warehouse.duckdb"


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# --- several rows per case ---------------------------------------------------------

COMPLAINTS_YAML = """\
name: complaints
id_column: complaint_no
timestamp_formats: ["%Y-%m-%d %H:%M"]
fold:
  received_at: earliest
  resolved_at: latest
  priority: {most_serious: [urgent, high, normal]}
columns:
  received_at: received
  resolved_at: closed
  priority: allegation
values:
  priority: {Bribery: high, Discourtesy: normal}
constants:
  channel: Helpline phone
  category: complaint
"""
COMPLAINTS = [
    ["complaint_no", "allegation_id", "received", "closed", "allegation"],
    ["C-1", "A-1", "2026-01-05 10:00", "2026-01-20 12:00", "Discourtesy"],
    ["C-1", "A-2", "2026-01-05 09:30", "2026-01-28 09:00", "Bribery"],
    ["C-1", "A-3", "2026-01-06 08:00", "", "Discourtesy"],
    ["C-2", "A-4", "2026-02-01 14:00", "2026-02-03 10:00", "Discourtesy"],
    ["C-2", "A-5", "2026-02-01 13:00", "2026-02-02 16:00", "Discourtesy"],
    ["C-2", "A-6", "2026-02-02 09:00", "2026-02-04 11:00", "Discourtesy"],
]


def test_three_rows_per_case_become_one_item_each(tmp_path, mappings, warehouse):
    (mappings / "complaints.yaml").write_text(COMPLAINTS_YAML, encoding="utf-8")
    path = write_csv(tmp_path / "complaints.csv", COMPLAINTS)
    result = load_paths([path], warehouse=warehouse, context=CONTEXT).files[0]
    assert (result.kind, result.outcome, result.inserted, result.quarantined) == (
        "complaints (column mapping)",
        "loaded",
        2,
        0,
    )
    assert result.notes[0].startswith("6 rows read as 2 items, one per complaint_no (")
    mart = read_warehouse(warehouse, "select * from marts.inquiries order by inquiry_id").set_index(
        "inquiry_id"
    )
    assert mart.index.tolist() == ["C-1", "C-2"]
    # C-1: earliest received 5 Jan 09:30 PKT (04:30 UTC); latest resolved
    # 28 Jan 09:00 PKT (04:00 UTC); A-2 is bribery: priority high.
    assert mart.loc["C-1", "received_at"] == utc("2026-01-05 04:30")
    assert mart.loc["C-1", "resolved_at"] == utc("2026-01-28 04:00")
    assert mart.loc["C-1", "priority"] == "high"
    # 5 Jan 09:30 to 28 Jan 09:00: 23 days less 30 minutes = 33,090 minutes.
    assert mart.loc["C-1", "resolution_minutes"] == 23 * 1440 - 30
    # C-2: received 1 Feb 13:00, resolved 4 Feb 11:00: 3 days less 2 hours.
    assert mart.loc["C-2", "received_at"] == utc("2026-02-01 08:00")
    assert mart.loc["C-2", "resolved_at"] == utc("2026-02-04 06:00")
    assert mart.loc["C-2", "resolution_minutes"] == 3 * 1440 - 120
    assert mart.loc["C-2", "priority"] == "normal"
    # The item's lineage is its first row in the file.
    assert mart["source_row"].to_dict() == {"C-1": 2, "C-2": 5}


def test_a_case_with_a_bad_row_is_quarantined_whole(tmp_path, mappings, warehouse):
    (mappings / "complaints.yaml").write_text(COMPLAINTS_YAML, encoding="utf-8")
    rows = [list(r) for r in COMPLAINTS]
    rows[3][2] = "kal shaam"  # A-3's received time cannot be read
    path = write_csv(tmp_path / "complaints.csv", rows)
    result = load_paths([path], warehouse=warehouse, context=CONTEXT).files[0]
    assert (result.inserted, result.quarantined) == (1, 1)
    reason = read_warehouse(warehouse, "select record_id, source_row, reason from meta.quarantine")
    assert reason.to_numpy().tolist() == [
        ["C-1", 2, "received_at 'kal shaam' is not a date and time in the form %Y-%m-%d %H:%M"]
    ]


# --- a corrected mapping, loaded again -----------------------------------------------

HELPDESK_YAML = """\
name: helpdesk
description: A helpdesk export (one row per ticket)
detect:
  headers: [Ticket ID, Created time, Source]
id_column: Ticket ID
timezone: Asia/Karachi
timestamp_formats: ["%Y-%m-%d %H:%M"]
columns:
  received_at: Created time
  resolved_at: Resolved time
  channel: Source
  district: District
constants:
  category: inquiry
"""
HELPDESK_FIX = """\
values:
  channel:
    Phone Call: Helpline phone
"""
HELPDESK = [
    ["Ticket ID", "Created time", "Resolved time", "Source", "District"],
    ["H-1", "2026-03-02 10:00", "2026-03-02 12:00", "Phone Call", "Peshawar"],
    ["H-2", "2026-03-03 10:00", "", "Phone Call", "Mardan"],
    ["H-3", "2026-03-04 10:00", "2026-03-05 10:00", "Email", "Swat"],
    ["H-4", "2026-03-05 10:00", "", "Phone Call", "Peshawar"],
]


def test_a_corrected_mapping_reapplied_replaces_the_quarantine(tmp_path, mappings, warehouse):
    mapping = mappings / "helpdesk.yaml"
    mapping.write_text(HELPDESK_YAML, encoding="utf-8")
    path = write_csv(tmp_path / "helpdesk.csv", HELPDESK)
    first = load_paths([path], warehouse=warehouse, context=CONTEXT).files[0]
    assert (first.outcome, first.inserted, first.quarantined) == ("loaded", 1, 3)
    reasons = read_warehouse(
        warehouse, "select record_id, reason from meta.quarantine order by record_id"
    )
    # "channel: Source" is line 11 of the mapping.
    expected = (
        f"channel 'Phone Call' is not one of: {CHANNELS}; map it under values: channel in "
        "helpdesk.yaml (the column is read at helpdesk.yaml, line 11)"
    )
    assert reasons.to_numpy().tolist() == [["H-1", expected], ["H-2", expected], ["H-4", expected]]
    # Unchanged mapping: the same file is already loaded.
    assert load_paths([path], warehouse=warehouse, context=CONTEXT).files[0].outcome == (
        "already loaded"
    )

    mapping.write_text(HELPDESK_YAML + HELPDESK_FIX, encoding="utf-8")  # no restart, no wait
    again = load_paths([path], warehouse=warehouse, context=CONTEXT).files[0]
    assert (again.outcome, again.inserted, again.unchanged, again.quarantined) == (
        "loaded",
        3,
        1,
        0,
    )
    waiting = read_warehouse(
        warehouse, "select count(*) as n from meta.quarantine where cleared_by_load_id is null"
    )
    assert waiting["n"][0] == 0
    loads = read_warehouse(warehouse, "select outcome from meta.loads order by load_seq")
    assert loads["outcome"].tolist() == ["replaced", "loaded"]
    mart = read_warehouse(warehouse, "select inquiry_id, channel from marts.inquiries order by 1")
    assert mart.to_numpy().tolist() == [
        ["H-1", "Helpline phone"],
        ["H-2", "Helpline phone"],
        ["H-3", "Email"],
        ["H-4", "Helpline phone"],
    ]
    # One copy of each row in raw: the first reading's H-3 is gone.
    raw = read_warehouse(warehouse, "select count(*) as n from raw.inquiry_register")
    assert raw["n"][0] == 4
    assert load_paths([path], warehouse=warehouse, context=CONTEXT).files[0].outcome == (
        "already loaded"
    )


def test_an_edited_mapping_is_read_again_without_a_restart(mappings):
    path = mappings / "alpha.yaml"
    path.write_text(HELPDESK_YAML.replace("name: helpdesk", "name: alpha"), encoding="utf-8")
    assert "alpha" in [m.name for m in load_mappings()]
    path.write_text(HELPDESK_YAML.replace("name: helpdesk", "name: beta"), encoding="utf-8")
    names = [m.name for m in load_mappings()]
    assert "beta" in names and "alpha" not in names


# --- a file whose every row fails ---------------------------------------------------

BORO_YAML = """\
name: boro311
id_column: id
timestamp_formats: ["%Y-%m-%d %H:%M"]
columns:
  received_at: opened
  district: borough
  channel: via
constants:
  category: complaint
"""


def test_a_file_whose_every_row_fails_exits_non_zero(tmp_path, mappings, warehouse, capsys):
    (mappings / "boro.yaml").write_text(BORO_YAML, encoding="utf-8")
    rows = [["id", "opened", "borough", "via"]]
    rows += [[f"B-{i}", "2026-03-02 10:00", "BROOKLYN", "Phone"] for i in (1, 2, 3)]
    rows += [["B-4", "2026-03-02 11:00", "QUEENS", "Phone"]]
    path = write_csv(tmp_path / "boro.csv", rows)
    code = cli(["--warehouse", str(warehouse), "-q", "load", str(path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 2
    # "district: borough" is line 6 of the mapping. Most common reason first.
    hint = (
        "map it under values: district in boro.yaml (the column is read at boro.yaml, line 6); "
        "a value meaning 'no district' may be mapped to unknown"
    )
    assert out == [
        f"REJECTED boro.csv: 3 of 4 rows: district 'BROOKLYN' {NOT_KP}; {hint}; "
        f"1 of 4 rows: district 'QUEENS' {NOT_KP}; {hint} (no row passed its checks, so "
        "nothing was loaded: fix the file or its column mapping and load it again)",
        "the warehouse is unchanged",
    ]
    assert not warehouse.exists()


def test_unknown_districts_mapped_load_and_count(tmp_path, mappings, warehouse):
    text = BORO_YAML + "values:\n  district: {BROOKLYN: unknown, QUEENS: unknown}\n"
    (mappings / "boro.yaml").write_text(text, encoding="utf-8")
    rows = [["id", "opened", "borough", "via"]]
    rows += [[f"B-{i}", "2026-03-02 10:00", "BROOKLYN", "Phone"] for i in (1, 2, 3)]
    path = write_csv(tmp_path / "boro.csv", rows)
    result = load_paths([path], warehouse=warehouse, context=CONTEXT).files[0]
    assert (result.outcome, result.inserted) == ("loaded", 3)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        march = Filters(date(2026, 3, 1), date(2026, 3, 31))
        assert items_received(con, march).value == 3  # the province counts them
        assert items_received(con, march.with_district("Peshawar")).value == 0
    finally:
        con.close()


def test_an_empty_district_constant_is_blank_not_none(tmp_path, mappings, warehouse):
    (mappings / "nodistrict.yaml").write_text(
        "name: nodistrict\nid_column: id\ntimestamp_formats: ['%Y-%m-%d %H:%M']\n"
        "columns:\n  received_at: opened\n"
        "constants:\n  category: inquiry\n  channel: unknown\n  district:\n",
        encoding="utf-8",
    )
    path = write_csv(tmp_path / "n.csv", [["id", "opened"], ["N-1", "2026-03-02 10:00"]])
    result = load_paths([path], warehouse=warehouse, context=CONTEXT).files[0]
    assert (result.outcome, result.inserted, result.quarantined) == ("loaded", 1, 0)
    raw = read_warehouse(
        warehouse, "select district, district_original, channel from raw.inquiry_register"
    )
    assert raw.iloc[0].tolist()[2] == "Unknown"
    assert raw[["district", "district_original"]].isna().all(axis=None)


# --- a broken mapping ------------------------------------------------------------------

BROKEN_YAML = """\
name: complaints
id_column: complaint_no
columns:
  received_at: received_date
values:
  channel:
    Phone: Helpline phon
"""


def test_a_broken_mapping_does_not_stop_an_unrelated_load(tmp_path, mappings, warehouse, capsys):
    (mappings / "broken.yaml").write_text(BROKEN_YAML, encoding="utf-8")
    (mappings / "bad.yaml").write_text("name: x\nid_column: a: b\n", encoding="utf-8")
    (mappings / "helpdesk.yaml").write_text(HELPDESK_YAML + HELPDESK_FIX, encoding="utf-8")
    register = write_register(tmp_path / "register.csv", [register_row("K-1", "2026-03-04 10:00")])
    helpdesk = write_csv(tmp_path / "helpdesk.csv", HELPDESK)
    complaints = write_csv(
        tmp_path / "c.csv", [["complaint_no", "received_date"], ["C-1", "2026-03-04 10:00:00"]]
    )
    broken = (
        "broken.yaml, line 7: 'Helpline phon' is not a channel value; the channel values are: "
        f"{CHANNELS}"
    )
    expected_warnings = [
        "column mapping bad.yaml, line 2: not valid YAML: mapping values are not allowed here "
        "(files of that kind are refused until it is fixed)",
        f"column mapping {broken} (files of that kind are refused until it is fixed)",
    ]
    assert mapping_problems() == expected_warnings
    code = cli(
        [
            "--warehouse",
            str(warehouse),
            "-q",
            "load",
            str(register),
            str(helpdesk),
            str(complaints),
        ]
    )
    out = capsys.readouterr()
    assert code == 2  # the complaints file is refused; the others load
    # Each broken mapping said once, not once per file.
    assert out.err.splitlines() == [f"warning: {w}" for w in expected_warnings]
    lines = out.out.splitlines()
    assert (
        "REJECTED c.csv, row 1: its columns match the column mapping broken.yaml, which has an "
        f"error ({broken}); fix the mapping, then load the file again"
    ) in lines
    assert "Traceback" not in out.out + out.err
    mart = read_warehouse(warehouse, "select source, count(*) as n from marts.inquiries group by 1")
    assert dict(mart.to_numpy().tolist()) == {"register": 1, "helpdesk": 4}


def test_messages_name_the_mapping_line_of_a_bad_key(mappings):
    (mappings / "typo.yaml").write_text(
        "name: typo\nid_column: id\ncolumns:\n  received_at: opened\n  statu: state\n",
        encoding="utf-8",
    )
    (problem,) = mapping_problems()
    assert problem.startswith(
        "column mapping typo.yaml, line 5: 'statu' is not a register column; the register "
        "columns are: inquiry_id, received_at, channel,"
    )


# --- day and month the wrong way round -----------------------------------------------

DMY_YAML = """\
name: dmy
id_column: id
timezone: Asia/Karachi
timestamp_formats: ["%d/%m/%Y %H:%M"]
columns:
  received_at: opened
constants:
  category: inquiry
  channel: Email
"""


def test_a_month_first_file_read_as_day_first_is_refused(tmp_path, mappings, warehouse):
    (mappings / "dmy.yaml").write_text(DMY_YAML, encoding="utf-8")
    path = write_csv(
        tmp_path / "us.csv",
        [["id", "opened"], ["U-1", "03/25/2026 10:00"], ["U-2", "04/01/2026 09:00"]],
    )
    report = load_paths([path], warehouse=warehouse, context=CONTEXT)
    # timestamp_formats is line 4.
    assert [(f.outcome, f.message) for f in report.files] == [
        (
            "rejected",
            "us.csv, row 2, column opened: '03/25/2026 10:00' cannot be read as %d/%m/%Y %H:%M "
            "but can as %m/%d/%Y %H:%M (25 March 2026): day and month are the other way round "
            "in this file; change timestamp_formats (dmy.yaml, line 4) to %m/%d/%Y %H:%M",
        )
    ]
    assert not warehouse.exists()


def test_dates_in_the_future_prove_the_format_wrong(tmp_path, mappings, warehouse):
    (mappings / "dmy.yaml").write_text(DMY_YAML, encoding="utf-8")
    path = write_csv(
        tmp_path / "us.csv",
        [["id", "opened"], ["U-1", "03/04/2026 10:00"], ["U-2", "02/03/2026 09:00"]],
    )
    march = make_context(now=datetime(2026, 3, 20, tzinfo=UTC))
    report = load_paths([path], warehouse=warehouse, context=march)
    # Read day-first, 03/04/2026 is 3 April: after 20 March. Month-first: 4 March.
    assert [(f.outcome, f.message) for f in report.files] == [
        (
            "rejected",
            "us.csv, row 2, column opened: read as %d/%m/%Y %H:%M (dmy.yaml, line 4), "
            "'03/04/2026 10:00' is 3 April 2026, in the future (1 such date); as "
            "%m/%d/%Y %H:%M it is 4 March 2026: day and month are probably the other way "
            "round; check the export and change timestamp_formats",
        )
    ]


def test_a_day_first_file_proving_its_format_loads(tmp_path, mappings, warehouse):
    (mappings / "dmy.yaml").write_text(DMY_YAML, encoding="utf-8")
    path = write_csv(
        tmp_path / "pk.csv",
        [["id", "opened"], ["P-1", "25/03/2026 10:00"], ["P-2", "03/04/2026 09:00"]],
    )
    result = load_paths([path], warehouse=warehouse, context=CONTEXT).files[0]
    assert (result.outcome, result.inserted) == ("loaded", 2)
    mart = read_warehouse(
        warehouse, "select inquiry_id, received_at from marts.inquiries order by 1"
    )
    assert mart["received_at"].tolist() == [utc("2026-03-25 05:00"), utc("2026-04-03 04:00")]


# --- a source without first responses; the source dimension ---------------------------


@pytest.fixture
def two_sources(tmp_path, mappings, warehouse) -> Path:
    (mappings / "helpdesk.yaml").write_text(HELPDESK_YAML + HELPDESK_FIX, encoding="utf-8")
    register = write_register(
        tmp_path / "register.csv",
        [
            # Wednesday 4 March 2026: replied in 10 minutes; the other never.
            register_row("K-1", "2026-03-04 10:00", first_response_at="2026-03-04 10:10"),
            register_row("K-2", "2026-03-04 11:00"),
        ],
    )
    helpdesk = write_csv(tmp_path / "helpdesk.csv", HELPDESK)
    report = load_paths([register, helpdesk], warehouse=warehouse, context=CONTEXT)
    assert [f.outcome for f in report.files] == ["loaded", "loaded"]
    assert (
        "this source records no first response: R3 (response rate) and R5 (first-response "
        "SLA) leave its items out ('not recorded by this source')"
    ) in report.files[1].notes
    return warehouse


MARCH = Filters(date(2026, 3, 1), date(2026, 3, 31))


def test_a_source_without_first_responses_is_left_out_of_r3_and_r5(two_sources):
    con = duckdb.connect(str(two_sources), read_only=True)
    try:
        # R3 over both sources: the register's two items only (one replied).
        r3 = response_rate(con, MARCH)
        assert (r3.n, r3.numerator, r3.value) == (2, 1, 50.0)
        # K-1 replied in 10 minutes (on time); K-2's target (2 business hours)
        # passed unanswered: 1 of 2. The helpdesk's four items are not judged.
        r5 = first_response_sla(con, MARCH, now=JUNE)
        assert (r5.n, r5.numerator) == (2, 1)
        helpdesk = Filters(MARCH.start, MARCH.end, sources=("helpdesk",))
        assert response_rate(con, helpdesk).value is None  # not recorded, not 0 %
        assert first_response_sla(con, helpdesk, now=JUNE).value is None
        assert sources_without_first_response(con, MARCH) == ("helpdesk",)
        assert (
            sources_without_first_response(
                con, Filters(MARCH.start, MARCH.end, sources=("register",))
            )
            == ()
        )
        flags = con.execute(
            "select source, bool_and(first_response_recorded), count(first_response_due_at) "
            "from marts.inquiries group by 1 order by 1"
        ).fetchall()
        assert flags == [("helpdesk", False, 0), ("register", True, 2)]
    finally:
        con.close()


def test_the_source_filter_tells_the_sources_apart(two_sources):
    con = duckdb.connect(str(two_sources), read_only=True)
    try:
        assert items_received(con, MARCH).value == 6
        own = Filters(MARCH.start, MARCH.end, sources=("register",))
        other = Filters(MARCH.start, MARCH.end, sources=("helpdesk",))
        assert items_received(con, own).value == 2
        assert items_received(con, other).value == 4
        assert inquiry_sources(con).to_numpy().tolist() == [["register", 2], ["helpdesk", 4]]
        own_flags = con.execute(
            "select source, bool_and(is_own_source) from marts.inquiries group by 1 order by 1"
        ).fetchall()
        assert own_flags == [("helpdesk", False), ("register", True)]
    finally:
        con.close()
