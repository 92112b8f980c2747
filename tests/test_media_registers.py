"""The media registers through the real ETL: detection, checks, quarantine, marts.

Each register's bad rows (a tone that is not a tone, an answer before the
query, an unknown district, a statement before the incident) go to
``meta.quarantine`` with their reason, and the good rows of the same file
load. Files are written as staff would type them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from core.media_registers import REGISTERS, header_of
from etl.load import inspect_file, load_paths, make_context
from etl.sources.registers_media.templates import template_files
from tests.media_fixture import write_register

CONTEXT_NOW = datetime(2025, 4, 15, tzinfo=UTC)
TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "templates"


def context():
    return make_context(now=CONTEXT_NOW)


def load(warehouse: Path, *paths: Path):
    report = load_paths(list(paths), warehouse=warehouse, loaded_by="test", context=context())
    return report


def sql(warehouse: Path, query: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(query, params or []).fetchall()


def quarantined(warehouse: Path, source: str) -> dict[str, tuple[int, str]]:
    rows = sql(
        warehouse,
        "select record_id, source_row, reason from meta.quarantine where source = ? "
        "and cleared_by_load_id is null",
        [source],
    )
    return {record: (row, reason) for record, row, reason in rows}


# Templates and detection --------------------------------------------------------


def test_templates_on_disk_are_the_registers_columns() -> None:
    files = template_files()
    for register, (stem, _, columns) in REGISTERS.items():
        expected = [header_of(c) for c in columns]
        csv_header = (TEMPLATES / f"{stem}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        assert csv_header.split(",") == expected, stem
        book = load_workbook(TEMPLATES / f"{stem}.xlsx", read_only=True)
        first = next(book["Register"].iter_rows(max_row=1, values_only=True))
        assert list(first) == expected, stem
        described = [row for row in book["Columns"].iter_rows(min_row=2, values_only=True)]
        described = {name: text for name, text in described if name}
        for column in columns:
            assert described.get(header_of(column)), f"{stem}: {column} has no description"
        assert (TEMPLATES / f"{stem}.csv").read_bytes() == files[f"{stem}.csv"], register


@pytest.mark.parametrize("register", list(REGISTERS))
def test_each_register_is_recognised_from_its_content(tmp_path: Path, register: str) -> None:
    """A filled-in copy of each template, under a name that says nothing."""
    rows = {
        "mentions": {
            "mention_id": "M-1",
            "published_at": "2025-03-01 10:00",
            "outlet": "Dawn",
            "outlet_type": "print",
        },
        "queries": {"query_id": "Q-1", "received_at": "2025-03-01 10:00", "outlet": "Dawn"},
        "incidents": {
            "incident_id": "I-1",
            "incident_type": "protest",
            "occurred_at": "2025-03-01 10:00",
        },
        "outputs": {
            "output_id": "O-1",
            "published_at": "2025-03-01 10:00",
            "output_type": "press release",
        },
        "plan": {"week_start": "2025-03-03", "output_type": "post", "planned": "10"},
        "outreach": {
            "event_id": "E-1",
            "event_date": "2025-03-01",
            "district": "Swat",
            "event_type": "open court",
        },
    }[register]
    path = write_register(tmp_path / "export (3).csv", register, [rows])
    check = inspect_file(path, context())
    assert check.error is None, check.error
    kinds = {
        "mentions": "media monitoring log",
        "queries": "media queries",
        "incidents": "incidents",
        "outputs": "outputs",
        "plan": "output plan",
        "outreach": "outreach events",
    }
    assert check.kind == kinds[register]
    assert check.quarantined == 0


def test_a_filled_xlsx_template_loads(tmp_path: Path) -> None:
    book = load_workbook(TEMPLATES / "media_monitoring_log.xlsx")
    sheet = book["Register"]
    headers = [c.value for c in sheet[1]]
    values = {
        "mention_id": "MM-X1",
        "published_at": datetime(2025, 3, 1, 10, 30),  # a real Excel date-time
        "outlet": "Dawn",
        "outlet_type": "Newspaper",  # a spelling staff type
        "tone": "Negative",
        "district": "D.I. Khan",
        "quotes_official_line": "Yes",
    }
    sheet.append([values.get(h) for h in headers])
    path = tmp_path / "log.xlsx"
    book.save(path)
    warehouse = tmp_path / "w.duckdb"
    report = load(warehouse, path)
    assert [f.outcome for f in report.files] == ["loaded"], [f.line() for f in report.files]
    row = sql(
        warehouse,
        "select outlet_type, tone, district, quotes_official_line, published_at "
        "from marts.media_mentions",
    )
    assert row == [
        ("print", "negative", "Dera Ismail Khan", True, datetime(2025, 3, 1, 5, 30, tzinfo=UTC))
    ]


def test_register_rules_for_hand_typed_files(tmp_path: Path) -> None:
    """Day-first dates, placeholders for "nothing", words around a district."""
    rows = [
        {
            "mention_id": "MM-D1",
            "published_at": "25/03/2025 14:00",  # no month 25: the file is day-first
            "outlet": "Dawn",
            "outlet_type": "print",
            "tone": "N/A",  # not coded
            "district": "District Swat",
            "quotes_official_line": "-",
        },
        {
            "mention_id": "MM-D2",
            "published_at": "03/04/2025 09:15",  # read day-first: 3 April
            "outlet": "Geo",
            "outlet_type": "tv",
            "tone": "positive",
            "district": "Peshawar District",
        },
    ]
    warehouse = tmp_path / "w.duckdb"
    report = load(warehouse, write_register(tmp_path / "log.csv", "mentions", rows))
    assert report.files[0].quarantined == 0, report.files[0].line()
    got = sql(
        warehouse,
        "select mention_id, published_at, tone, district, quotes_official_line "
        "from marts.media_mentions order by mention_id",
    )
    assert got == [
        ("MM-D1", datetime(2025, 3, 25, 9, 0, tzinfo=UTC), None, "Swat", None),
        ("MM-D2", datetime(2025, 4, 3, 4, 15, tzinfo=UTC), "positive", "Peshawar", None),
    ]


# Each register's checks -----------------------------------------------------------


def test_monitoring_log_quarantines_bad_tone_and_unknown_district(tmp_path: Path) -> None:
    good = {
        "mention_id": "MM-1",
        "published_at": "2025-03-01 10:00",
        "outlet": "Dawn",
        "outlet_type": "print",
        "tone": "positive",
        "district": "Peshawar",
    }
    rows = [
        good,
        {**good, "mention_id": "MM-2", "tone": "very bad"},
        {**good, "mention_id": "MM-3", "district": "Gotham"},
        {**good, "mention_id": "MM-4", "quotes_official_line": "maybe"},
        {**good, "mention_id": "MM-5", "outlet_type": "carrier pigeon"},
        {**good, "mention_id": "MM-6", "district": "Dir"},
    ]
    warehouse = tmp_path / "w.duckdb"
    report = load(warehouse, write_register(tmp_path / "log.csv", "mentions", rows))
    assert report.files[0].quarantined == 5
    reasons = quarantined(warehouse, "media_log")
    assert reasons["MM-2"] == (3, "tone 'very bad' is not one of: positive, neutral, negative")
    assert reasons["MM-3"] == (
        4,
        "district 'Gotham' is not one of the 36 districts of Khyber Pakhtunkhwa",
    )
    assert reasons["MM-4"] == (5, "quotes_official_line 'maybe' is not yes or no")
    assert reasons["MM-5"][0] == 6 and "outlet_type 'carrier pigeon'" in reasons["MM-5"][1]
    assert reasons["MM-6"][0] == 7 and "ambiguous" in reasons["MM-6"][1]
    assert sql(warehouse, "select mention_id from marts.media_mentions") == [("MM-1",)]


def test_media_queries_quarantine_an_answer_before_the_query(tmp_path: Path) -> None:
    rows = [
        {"query_id": "Q-1", "received_at": "2025-03-01 10:00", "outlet": "Dawn",
         "journalist": "Asma Khan", "answered_at": "2025-03-01 12:00"},
        {"query_id": "Q-2", "received_at": "2025-03-01 10:00", "outlet": "Dawn",
         "answered_at": "2025-03-01 09:00"},
        {"query_id": "Q-3", "received_at": "2025-03-01 10:00", "outlet": "Dawn",
         "deadline_at": "2025-02-28 10:00"},
        {"query_id": "Q-4", "received_at": "2025-03-01 10:00", "outlet": ""},
        {"query_id": "Q-5", "received_at": "yesterday", "outlet": "Geo"},
    ]  # fmt: skip
    warehouse = tmp_path / "w.duckdb"
    load(warehouse, write_register(tmp_path / "queries.csv", "queries", rows))
    reasons = quarantined(warehouse, "media_queries")
    assert reasons["Q-2"] == (
        3,
        "answered_at (2025-03-01 09:00 PKT) is before received_at (2025-03-01 10:00 PKT)",
    )
    assert reasons["Q-3"] == (
        4,
        "deadline_at (2025-02-28 10:00 PKT) is before received_at (2025-03-01 10:00 PKT)",
    )
    assert reasons["Q-4"] == (5, "outlet is blank; it is required")
    assert reasons["Q-5"][0] == 6 and reasons["Q-5"][1].startswith(
        "received_at 'yesterday' is not a date and time in the form YYYY-MM-DD HH:MM"
    )
    assert sql(warehouse, "select query_id from marts.media_queries") == [("Q-1",)]


def test_incidents_quarantine_a_statement_before_the_incident(tmp_path: Path) -> None:
    base = {"incident_type": "protest", "district": "Kurram", "occurred_at": "2025-03-05 08:00"}
    rows = [
        {**base, "incident_id": "I-1", "first_statement_at": "2025-03-05 09:00"},
        {**base, "incident_id": "I-2", "first_statement_at": "2025-03-05 07:00"},
        {**base, "incident_id": "I-3", "rebuttal_at": "2025-03-05 10:00"},
        {**base, "incident_id": "I-4", "misinformation_detected_at": "2025-03-05 11:00",
         "rebuttal_at": "2025-03-05 10:30"},
        {**base, "incident_id": "I-5", "district": "Atlantis"},
    ]  # fmt: skip
    warehouse = tmp_path / "w.duckdb"
    load(warehouse, write_register(tmp_path / "incidents.csv", "incidents", rows))
    reasons = quarantined(warehouse, "incidents")
    assert reasons["I-2"] == (
        3,
        "first_statement_at (2025-03-05 07:00 PKT) is before occurred_at (2025-03-05 08:00 PKT)",
    )
    assert reasons["I-3"] == (
        4,
        "rebuttal_at is given but misinformation_detected_at is blank; "
        "fill in misinformation_detected_at",
    )
    assert (
        reasons["I-4"][0] == 5
        and "rebuttal_at (2025-03-05 10:30 PKT) is before" in (reasons["I-4"][1])
    )
    assert reasons["I-5"][1] == (
        "district 'Atlantis' is not one of the 36 districts of Khyber Pakhtunkhwa"
    )
    assert sql(warehouse, "select incident_id from marts.incidents") == [("I-1",)]


def test_outreach_and_plan_checks(tmp_path: Path) -> None:
    base = {"event_date": "2025-03-03", "district": "Swat", "event_type": "open court"}
    events = [
        {**base, "event_id": "E-1", "participants_female": "12"},
        {**base, "event_id": "E-2", "district": "Narnia"},
        {**base, "event_id": "E-3", "participants_male": "twelve"},
        {**base, "event_id": "E-4", "participants_transgender": "-3"},
        {**base, "event_id": "E-5", "event_type": "cricket match"},
        {**base, "event_id": "E-6", "district": ""},
    ]
    plan = [
        {"week_start": "2025-03-03", "output_type": "post", "planned": "10"},
        {"week_start": "2025-03-05", "output_type": "post", "planned": "12"},  # same week
        {"week_start": "2025-03-10", "output_type": "post", "planned": "-1"},
        {"week_start": "2025-03-17", "output_type": "video", "planned": "2"},
    ]
    warehouse = tmp_path / "w.duckdb"
    load(
        warehouse,
        write_register(tmp_path / "events.csv", "outreach", events),
        write_register(tmp_path / "plan.csv", "plan", plan),
    )
    reasons = quarantined(warehouse, "outreach_events")
    assert set(reasons) == {"E-2", "E-3", "E-4", "E-5", "E-6"}
    assert reasons["E-2"][1] == (
        "district 'Narnia' is not one of the 36 districts of Khyber Pakhtunkhwa"
    )
    assert reasons["E-3"][1] == "participants_male 'twelve' is not a whole number"
    assert reasons["E-4"][1] == "participants_transgender -3 is negative"
    assert "event_type 'cricket match' is not one of" in reasons["E-5"][1]
    assert reasons["E-6"][1] == "district is blank; it is required"
    plan_reasons = quarantined(warehouse, "output_plan")
    assert plan_reasons["2025-W11 post"][1] == "planned -1 is negative"
    duplicated = sql(
        warehouse,
        "select source_row, reason from meta.quarantine where source = 'output_plan' "
        "and record_id = '2025-W10 post' order by source_row",
    )
    # Both rows of week 10 (3 and 5 March) name the same week and type.
    assert duplicated == [
        (2, "plan_id 2025-W10 post appears more than once in this file"),
        (3, "plan_id 2025-W10 post appears more than once in this file"),
    ]
    assert sql(warehouse, "select event_id, participants_total from marts.outreach_events") == [
        ("E-1", 12)
    ]
    assert sql(warehouse, "select week_start, output_type, planned from marts.output_plan") == [
        (date(2025, 3, 17), "video", 2)
    ]


# Layers, lineage, privacy, updates ------------------------------------------------


def test_marts_hold_no_personal_data_and_keep_lineage(tmp_path: Path) -> None:
    rows = [
        {"query_id": "Q-1", "received_at": "2025-03-01 10:00", "outlet": "Dawn",
         "journalist": "Asma Khan", "journalist_phone": "0300-1234567",
         "logged_by": "Officer Zeb", "logged_at": "2025-03-01 10:05"},
    ]  # fmt: skip
    warehouse = tmp_path / "w.duckdb"
    load(warehouse, write_register(tmp_path / "queries.csv", "queries", rows))
    raw = sql(warehouse, "select journalist, journalist_phone, logged_by from raw.media_queries")
    assert raw == [("Asma Khan", "0300-1234567", "Officer Zeb")]
    for mart in (
        "media_mentions",
        "media_queries",
        "incidents",
        "outputs",
        "output_plan",
        "outreach_events",
    ):
        columns = {
            name
            for (name,) in sql(
                warehouse,
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ?",
                [mart],
            )
        }
        assert {"source_file", "source_row", "load_id"} <= columns, mart
        assert not columns & {"journalist", "journalist_phone", "logged_by"}, mart
    everything = sql(warehouse, "select * from marts.media_queries")
    assert not any("Asma" in str(v) or "0300" in str(v) for row in everything for v in row)
    lineage = sql(warehouse, "select source_file, source_row from marts.media_queries")
    assert lineage == [("queries.csv", 2)]


def test_a_later_row_of_an_incident_fills_its_timeline(tmp_path: Path) -> None:
    first = [{"incident_id": "I-9", "incident_type": "protest", "district": "Kurram",
              "occurred_at": "2025-03-05 08:00", "verified_at": "2025-03-05 08:20"}]  # fmt: skip
    later = [{**first[0], "first_statement_at": "2025-03-05 09:05"}]
    warehouse = tmp_path / "w.duckdb"
    load(warehouse, write_register(tmp_path / "a.csv", "incidents", first))
    assert sql(warehouse, "select first_statement_at from marts.incidents") == [(None,)]
    report = load(warehouse, write_register(tmp_path / "b.csv", "incidents", later))
    assert (report.files[0].inserted, report.files[0].updated) == (0, 1)
    assert sql(warehouse, "select statement_minutes, source_file from marts.incidents") == [
        (45.0, "b.csv")
    ]
    again = load(warehouse, tmp_path / "b.csv")
    assert again.files[0].outcome == "already loaded"
    assert sql(warehouse, "select count(*) from marts.incidents") == [(1,)]


def test_templates_readme_describes_every_column() -> None:
    text = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    for stem, _, columns in REGISTERS.values():
        assert f"### `{stem}.csv` / `{stem}.xlsx`" in text, stem
        section = text.split(f"### `{stem}.csv`", 1)[1].split("\n### ", 1)[0]
        for column, description in columns.items():
            assert f"| `{header_of(column)}` | {description} |" in section, (stem, column)


def test_rolling_back_a_media_load_removes_its_rows(tmp_path: Path) -> None:
    from etl.rollback import RAW_TABLES, rollback

    warehouse = tmp_path / "w.duckdb"
    base = {"event_date": "2025-03-03", "district": "Swat", "event_type": "open court"}
    load(warehouse, write_register(tmp_path / "a.csv", "outreach", [{**base, "event_id": "E-1"}]))
    load(warehouse, write_register(tmp_path / "b.csv", "outreach", [{**base, "event_id": "E-2"}]))
    (load_id,) = sql(warehouse, "select load_id from meta.loads where file_name = 'b.csv'")[0]
    rollback(load_id, warehouse=warehouse)
    assert sql(warehouse, "select event_id from marts.outreach_events") == [("E-1",)]
    raw = {
        f"raw.{name}"
        for (name,) in sql(
            warehouse,
            "select table_name from information_schema.tables where table_schema = 'raw'",
        )
    }
    assert raw <= set(RAW_TABLES)  # every raw table is rolled back with its load
