"""The donor report end to end on the demo warehouse (tests/conftest.py).

The report's figures are checked against the dashboard's own table
(``metrics.kpis.kpi_summary``, what the Response times page shows) for the
same periods and filters, and its counts against plain SQL over
``marts.inquiries`` written here. The files are read back as a reader
would: the PDF's text with ``pdftotext`` (poppler-utils), the XLSX with
openpyxl; the command line runs in a subprocess.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import openpyxl
import pandas as pd
import pytest

from core.warehouse import reading
from metrics import kpis
from metrics.filters import Filters
from metrics.report.build import build_files, write_files
from metrics.report.data import gather
from metrics.report.groups import NO_DISTRICT, TOTAL
from metrics.report.model import ReportData
from metrics.report.period import month
from metrics.report.xlsx import render_xlsx

PROJECT = Path(__file__).resolve().parent.parent
NOW = datetime.now(UTC)
GENDERS = ("female", "male", "transgender", "unknown")


def today_pkt() -> date:
    return NOW.astimezone(ZoneInfo("Asia/Karachi")).date()


def whole_month_before(day: date):
    """The last whole month before ``day``'s month."""
    end = day.replace(day=1) - timedelta(days=1)
    return month(end.year, end.month)


PERIOD = whole_month_before(today_pkt())


def sql_count(path: Path, start: date, end: date, **where: object) -> int:
    """Items received between two Pakistan dates (plain SQL, not metrics)."""
    sql = "select count(*) from marts.inquiries where received_date between ? and ?"
    params: list[object] = [start, end]
    for column, value in where.items():
        assert column in {"requester_gender", "region", "is_merged_district"}
        sql += f" and {column} = ?"
        params.append(value)
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchone()[0]


@pytest.fixture(scope="module")
def report(demo_warehouse: Path) -> ReportData:
    with reading(demo_warehouse) as con:
        return gather(con, PERIOD, now=NOW)


def dashboard(path: Path, f: Filters) -> pd.DataFrame:
    """The Response times page's KPI table for ``f``."""
    with reading(path) as con:
        return kpis.kpi_summary(con, f, now=NOW).set_index("kpi_id")


def shown(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows of a KPI of the indicator table whose ``column`` is published."""
    rows = frame[frame["row_id"].isin(kpis.PAGE_KPIS)].set_index("row_id")
    return rows[rows[f"{column}_flag"] == ""]


# The report's numbers are the dashboard's ---------------------------------------


def test_this_period_equals_the_dashboard(report: ReportData, demo_warehouse: Path):
    page = dashboard(demo_warehouse, Filters(PERIOD.start, PERIOD.end))
    mine = shown(report.indicators, "this_period")
    assert len(mine) >= 10  # the demo's province-wide month hides almost nothing
    for kpi_id, row in mine.iterrows():
        assert row["this_period"] == pytest.approx(page.at[kpi_id, "value"]), kpi_id
        assert row["n"] == page.at[kpi_id, "n"], kpi_id
        assert row["target_text"] == page.at[kpi_id, "target_text"], kpi_id
        expected = page.at[kpi_id, "status"]
        status = row["status"] if isinstance(row["status"], str) else None
        assert status == (expected if isinstance(expected, str) else None), kpi_id
    previous = shown(report.indicators, "previous")
    for kpi_id, row in previous.iterrows():
        assert row["previous"] == pytest.approx(page.at[kpi_id, "previous_value"]), kpi_id
    # R1 also against plain SQL.
    assert mine.at["R1", "this_period"] == sql_count(demo_warehouse, PERIOD.start, PERIOD.end)


def test_fiscal_year_and_last_year_equal_the_dashboard(report: ReportData, demo_warehouse: Path):
    start, end = PERIOD.fiscal_year_to_date()
    ytd = dashboard(demo_warehouse, Filters(start, end))
    last = PERIOD.last_year()
    year_before = dashboard(demo_warehouse, Filters(last.start, last.end))
    for kpi_id, row in shown(report.indicators, "fiscal_ytd").iterrows():
        assert row["fiscal_ytd"] == pytest.approx(ytd.at[kpi_id, "value"]), kpi_id
    for kpi_id, row in shown(report.indicators, "last_year").iterrows():
        assert row["last_year"] == pytest.approx(year_before.at[kpi_id, "value"]), kpi_id
    assert shown(report.indicators, "last_year").at["R1", "last_year"] == sql_count(
        demo_warehouse, last.start, last.end
    )


def test_each_region_equals_the_dashboard_filtered_to_it(report: ReportData, demo_warehouse: Path):
    table = report.table("region")
    assert table is not None
    regions = [r for r in table.values.index if r not in (TOTAL, NO_DISTRICT)]
    assert len(regions) == 7
    for region in regions:
        page = dashboard(demo_warehouse, Filters(PERIOD.start, PERIOD.end, regions=(region,)))
        for kpi_id in table.values.columns:
            if table.flags.at[region, kpi_id]:
                continue
            assert table.values.at[region, kpi_id] == pytest.approx(
                page.at[kpi_id, "value"], nan_ok=True
            ), (region, kpi_id)
        if not table.flags.at[region, "R1"]:
            assert table.values.at[region, "R1"] == sql_count(
                demo_warehouse, PERIOD.start, PERIOD.end, region=region
            )


def test_a_filtered_report_equals_the_filtered_dashboard(demo_warehouse: Path):
    f = Filters(PERIOD.start, PERIOD.end, regions=("Kohat",), channels=("WhatsApp", "Facebook"))
    with reading(demo_warehouse) as con:
        data = gather(con, PERIOD, f, now=NOW)
    page = dashboard(demo_warehouse, f)
    mine = shown(data.indicators, "this_period")
    assert "R1" in mine.index
    for kpi_id, row in mine.iterrows():
        assert row["this_period"] == pytest.approx(page.at[kpi_id, "value"]), kpi_id
    assert "Kohat" in data.scope_text and "WhatsApp" in data.scope_text
    assert list(data.table("region").values.index) == ["Kohat", TOTAL]


# Disclosure control on the real report -------------------------------------------


def test_gender_counts_are_published_or_withheld_by_the_rule(
    report: ReportData, demo_warehouse: Path
):
    table = report.table("gender")
    assert table is not None
    counts = {
        g: sql_count(demo_warehouse, PERIOD.start, PERIOD.end, requester_gender=g) for g in GENDERS
    }
    for gender, n in counts.items():
        label = gender.capitalize()
        flag, value = table.flags.at[label, "R1"], table.values.at[label, "R1"]
        small = 0 < n < (10 if gender == "transgender" else 5)
        if small:
            assert flag == ("<10" if gender == "transgender" else "<5") and pd.isna(value)
        elif not flag:
            assert value == n
    # When exactly one group's count is withheld, a second one is too.
    withheld = [g for g in GENDERS if table.flags.at[g.capitalize(), "R1"]]
    assert len(withheld) != 1
    assert table.values.at[TOTAL, "R1"] == sum(counts.values())


def test_no_small_count_is_published_anywhere(report: ReportData):
    for table in report.disaggregations:
        for column, unit in table.units.items():
            if unit != "count":
                continue
            for group, value in table.values[column].items():
                if pd.isna(value):
                    continue
                sensitive = "transgender" in (str(group).lower(), column.lower())
                assert not 0 < value < (10 if sensitive else 5), (table.key, group, column)
    counts = report.indicators[report.indicators["unit"] == "count"]
    for column in ("this_period", "fiscal_ytd", "last_year", "previous"):
        values = counts[column].dropna()
        assert not values.between(1, 4).any(), column


def test_no_total_reveals_a_single_withheld_count(report: ReportData):
    for table in report.disaggregations:
        for column in table.flags.columns:
            if table.units[column] != "count" or table.flags.at[TOTAL, column]:
                continue
            hidden = (table.flags[column].drop(TOTAL) != "").sum()
            assert hidden != 1, (table.key, column)


def test_same_warehouse_same_numbers(report: ReportData, demo_warehouse: Path):
    with reading(demo_warehouse) as con:
        again = gather(con, PERIOD, now=NOW)
    pd.testing.assert_frame_equal(report.indicators, again.indicators)
    for first, second in zip(report.disaggregations, again.disaggregations, strict=True):
        pd.testing.assert_frame_equal(first.values, second.values)
        pd.testing.assert_frame_equal(first.flags, second.flags)
    pd.testing.assert_frame_equal(report.monthly, again.monthly)
    assert report.summary == again.summary


# The files -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files(report: ReportData, tmp_path_factory) -> tuple[Path, Path]:
    built = build_files(report)
    return write_files(built, report, tmp_path_factory.mktemp("report"))


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def personal_values(path: Path) -> list[str]:
    """A few requester names and summaries from raw (personal data)."""
    sql = """
        select requester_name, summary from raw.inquiry_register
        where requester_name is not null and length(requester_name) > 6
          and summary is not null and length(summary) > 20
        limit 20
    """
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(sql).fetchall()
    return [value for row in rows for value in row]


def test_the_pdf_holds_the_indicator_table(files, report: ReportData, demo_warehouse: Path):
    text = pdf_text(files[0])
    assert "2. Indicators" in text and "Same period last year" in text
    for name in ("R1 · Items received", "R3 · Response rate", "R13 · RTI compliance"):
        assert name in text
    assert f"{sql_count(demo_warehouse, PERIOD.start, PERIOD.end):,}" in text
    r3 = dashboard(demo_warehouse, Filters(PERIOD.start, PERIOD.end)).at["R3", "value"]
    assert f"{r3:.1f}%" in text
    pages = text.count("\f")
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Annex: methodology" in text and '"<10"' in text
    for value in personal_values(demo_warehouse):
        assert value not in text


def test_the_xlsx_holds_the_indicator_table(files, report: ReportData, demo_warehouse: Path):
    book = openpyxl.load_workbook(files[1])
    assert {
        "About",
        "Summary",
        "Indicators",
        "By gender",
        "Sources",
        "Loads",
        "Methodology",
    } <= set(book.sheetnames)
    sheet = book["Indicators"]
    assert sheet.freeze_panes == "C2"  # header row and the KPI's name stay in view
    header = [c.value for c in sheet[1]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    this = header.index("This period")
    assert rows["R1"][this].value == sql_count(demo_warehouse, PERIOD.start, PERIOD.end)
    page = dashboard(demo_warehouse, Filters(PERIOD.start, PERIOD.end))
    r3 = rows["R3"][this]
    assert r3.data_type == "n" and "%" in r3.number_format
    assert r3.value == pytest.approx(page.at["R3", "value"] / 100)
    r4 = rows["R4"][this]
    assert r4.number_format == "[h]:mm"
    assert r4.value == pytest.approx(
        timedelta(minutes=page.at["R4", "value"]), abs=timedelta(seconds=1)
    )
    about = {r[0].value: r[1].value for r in book["About"].iter_rows(min_row=2) if r[0].value}
    assert isinstance(about["Generated (PKT)"], datetime)
    assert about["Period code"] == PERIOD.code
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        loaded = con.execute("select load_id, source from meta.loads where outcome = 'loaded'")
        load_ids = dict(loaded.fetchall())
    listed = {r[0].value for r in book["Loads"].iter_rows(min_row=2)}
    assert listed <= set(load_ids)
    assert {i for i, source in load_ids.items() if source in ("register", "events")} <= listed
    assert "register" in {r[0].value for r in book["Sources"].iter_rows(min_row=2)}
    for name in book.sheetnames:
        for row in book[name].iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, cell.coordinate)
                if isinstance(cell.value, str):
                    for value in personal_values(demo_warehouse)[:4]:
                        assert value not in cell.value


def test_the_xlsx_never_runs_text_as_a_formula(report: ReportData):
    tricky = ('=HYPERLINK("http://x","x")', "+92 300 1234567", "-1", "@SUM(A1:A2)", "\tx", "\rx")
    data = replace(report, summary=tricky, scope_text="=1+1")
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))
    cells = [row[0] for row in book["Summary"].iter_rows(min_row=2)]
    # (xlsxwriter stores a carriage return as the escape _x000D_, which openpyxl keeps.)
    assert [c.value.replace("_x000D_", "\r") for c in cells] == ["'" + t for t in tricky]
    assert all(c.data_type == "s" for c in cells)
    scope = {r[0].value: r[1] for r in book["About"].iter_rows(min_row=2) if r[0].value}
    assert scope["Scope (filters)"].value == "'=1+1"


# The command line ----------------------------------------------------------------


def run_cli(args: list[str], warehouse: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KP_WAREHOUSE": str(warehouse), "GX_ANALYTICS_ENABLED": "false"}
    return subprocess.run(
        [sys.executable, "-m", "metrics.report", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_the_command_line_writes_both_files(demo_warehouse: Path, tmp_path: Path):
    done = run_cli(["--month", PERIOD.code, "--out", str(tmp_path / "reports")], demo_warehouse)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert written == [
        f"kp-police-outreach-report-{PERIOD.code}.pdf",
        f"kp-police-outreach-report-{PERIOD.code}.xlsx",
    ]
    assert "PDF" in done.stderr and "done:" in done.stderr  # progress lines
    book = openpyxl.load_workbook(tmp_path / "reports" / written[1])
    assert "Indicators" in book.sheetnames


def test_the_command_line_refuses_a_month_with_no_data(demo_warehouse: Path, tmp_path: Path):
    done = run_cli(["--month", "2019-01", "--out", str(tmp_path)], demo_warehouse)
    assert done.returncode == 1
    assert "No data for January 2019" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
    bad = run_cli(["--month", "2026-13"], demo_warehouse)
    assert bad.returncode == 2 and "month 13 is not 01-12" in bad.stderr
    helped = run_cli(["--help"], demo_warehouse)
    assert helped.returncode == 0 and "--quarter" in helped.stdout


def test_the_command_line_reports_a_fiscal_quarter(demo_warehouse: Path, tmp_path: Path):
    today = today_pkt()
    first = today.year - 1 if today.month >= 7 else today.year - 2  # last year's FY: complete
    code = f"FY{first}-{(first + 1) % 100:02d}Q4"
    done = run_cli(["--quarter", code, "--out", str(tmp_path)], demo_warehouse)
    assert done.returncode == 0, done.stderr
    text = pdf_text(tmp_path / f"kp-police-outreach-report-{code}.pdf")
    assert f"FY{first}-{(first + 1) % 100:02d} Q4 (April–June {first + 1})" in text


# The page -----------------------------------------------------------------------------


def render_page(warehouse: Path, monkeypatch: pytest.MonkeyPatch, role: str):
    from streamlit.testing.v1 import AppTest

    from tests.auth_support import login

    monkeypatch.setenv("KP_WAREHOUSE", str(warehouse))
    page = AppTest.from_file(str(PROJECT / "pages" / "monthly_report.py"), default_timeout=180)
    at = login(page, role).run()
    assert not at.exception, [str(e.value) for e in at.exception]
    return at


def test_the_page_renders_for_a_donor(demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    at = render_page(demo_warehouse, monkeypatch, "donor")
    assert at.title[0].value == "Monthly report"
    indicators = at.dataframe[0].value
    r1 = indicators[indicators["Indicator"] == "R1 · Items received"].iloc[0]
    assert r1["This period"] == f"{sql_count(demo_warehouse, PERIOD.start, PERIOD.end):,}"
    gender = at.dataframe[1].value.set_index("Requester gender")
    n = sql_count(demo_warehouse, PERIOD.start, PERIOD.end, requester_gender="transgender")
    if 0 < n < 10:
        assert gender.at["Transgender", "R1 Items received"] == "<10"
    else:
        assert gender.at["Transgender", "R1 Items received"] in (f"{n:,}", "suppressed")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download PDF", "Download XLSX"]


def test_a_district_officer_gets_the_report_of_their_district(
    demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch
):
    at = render_page(demo_warehouse, monkeypatch, "district_officer")  # Peshawar
    indicators = at.dataframe[0].value
    r1 = indicators[indicators["Indicator"] == "R1 · Items received"].iloc[0]
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        n = con.execute(
            "select count(*) from marts.inquiries where received_date between ? and ?"
            " and district = 'Peshawar'",
            [PERIOD.start, PERIOD.end],
        ).fetchone()[0]
    assert r1["This period"] == (f"{n:,}" if n == 0 or n >= 5 else "<5")
