"""The Overview (the IG's scorecard) and Definitions pages in Streamlit's AppTest.

The pages run framed as ``dashboard.py`` frames every page (``st.navigation``,
``frame.draw()``, ``frame.page_context()``), logged in as a test user
(tests/auth_support.py), on the demo warehouse built by the real ETL. Figures
on the page are checked against plain SQL over ``marts.inquiries`` written
here, and the overview's tiles against the Response times page's cards and
the catalogue's own functions for the same filters: one definition of each
KPI, whichever page shows it.
"""

from __future__ import annotations

import shutil
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from core.warehouse import reading
from metrics import kpis
from metrics.filters import Filters
from tests.auth_support import login
from ui.format import format_value

ROOT = Path(__file__).resolve().parent.parent
OVERVIEW = str(ROOT / "pages" / "overview.py")
DEFINITIONS = str(ROOT / "pages" / "definitions.py")
RESPONSE_TIMES = str(ROOT / "pages" / "response_times.py")
HEADLINE = ("R1", "R3", "R4", "R5", "R7", "R10", "R13", "R14")

# The pages as dashboard.py frames them (ui/frame.py's PAGES is another
# module's; this app lists the three pages the tests open).
APP = textwrap.dedent(
    f"""
    import streamlit as st
    from ui import frame

    page = st.navigation(
        [
            st.Page({OVERVIEW!r}, title="Overview", url_path="scorecard", default=True),
            st.Page({DEFINITIONS!r}, title="Definitions", url_path="definitions"),
            st.Page({RESPONSE_TIMES!r}, title="Response times", url_path="response_times"),
        ]
    )
    filters = frame.draw()
    if filters is not None:
        with frame.page_context():
            page.run()
    """
)


@pytest.fixture(scope="module")
def warehouse_path(demo_warehouse: Path) -> Path:
    return demo_warehouse


@pytest.fixture
def app(warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("KP_WAREHOUSE", str(warehouse_path))
    return run(login(AppTest.from_string(APP, default_timeout=90)))


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def today_pkt() -> date:
    return datetime.now(ZoneInfo("Asia/Karachi")).date()


def last_fiscal_quarter(today: date) -> tuple[date, date]:
    """By hand: the fiscal quarter (Jul-Sep, Oct-Dec, Jan-Mar, Apr-Jun) before today's."""
    starts = [date(today.year - 1, m, 1) for m in (1, 4, 7, 10)]
    starts += [date(today.year, m, 1) for m in (1, 4, 7, 10)]
    current = max(s for s in starts if s <= today)
    previous = max(s for s in starts if s < current)
    return previous, current - timedelta(days=1)


def metrics_by_id(at: AppTest) -> dict[str, object]:
    return {m.label.split(" · ")[0]: m for m in at.metric}


def headline(text: str) -> str:
    """A card's value without what is written small beside it (the other clock)."""
    return text.split(" :small[")[0]


def count_received(path: Path, start: date, end: date, region: str | None = None) -> int:
    sql = "select count(*) from marts.inquiries where received_date between ? and ?"
    params: list[object] = [start, end]
    if region is not None:
        sql += " and region = ?"
        params.append(region)
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchone()[0]


def busiest_region(path: Path, start: date, end: date) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select region from marts.inquiries where received_date between ? and ?"
            " and region is not null group by 1 order by count(*) desc, 1 limit 1",
            [start, end],
        ).fetchone()[0]


def texts(at: AppTest) -> list[str]:
    return [e.value for e in (*at.title, *at.subheader, *at.markdown, *at.caption)]


def test_overview_renders_with_filters_applied(app: AppTest, warehouse_path: Path) -> None:
    ids = metrics_by_id(app)
    assert "C1" in ids and set(HEADLINE) <= set(ids)
    for section in ("Overview", "Needs attention", "League tables", "Inclusion"):
        assert any(section in text for text in texts(app)), section

    app.selectbox(key="filters_preset").select("Last fiscal quarter")
    run(app)
    start, end = last_fiscal_quarter(today_pkt())
    region = busiest_region(warehouse_path, start, end)
    app.multiselect(key="filters_regions").select(region)
    run(app)
    ids = metrics_by_id(app)
    received = int(ids["R1"].value.replace(",", ""))
    assert received == count_received(warehouse_path, start, end, region)
    assert 0 < received < count_received(warehouse_path, start, end)
    # The league table of districts lists the region's districts, worst first.
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        rows = con.execute("select district from ref.districts where region = ?", [region])
        districts = {d for (d,) in rows.fetchall()}
    tables = [t.value for t in app.dataframe]
    league = next(t for t in tables if "items_per_100k" in t.columns and "merged" in t.columns)
    assert set(league["group"]) == districts
    scores = league["score"].dropna().tolist()
    assert scores == sorted(scores)


def test_tile_card_and_catalogue_give_the_same_value(app: AppTest, warehouse_path: Path) -> None:
    app.selectbox(key="filters_preset").select("Last month")
    run(app)
    end = today_pkt().replace(day=1) - timedelta(days=1)
    region = busiest_region(warehouse_path, end.replace(day=1), end)
    app.multiselect(key="filters_regions").select(region)
    run(app)
    tiles = {k: headline(m.value) for k, m in metrics_by_id(app).items() if k in HEADLINE}
    f = app.session_state["filters_current"]
    assert isinstance(f, Filters)
    assert (f.start, f.end, f.regions) == (end.replace(day=1), end, (region,))

    # The same filters carry over to the Response times page.
    app.switch_page(RESPONSE_TIMES)
    run(app)
    assert app.selectbox(key="filters_preset").value == "Last month"
    assert app.multiselect(key="filters_regions").value == [region]
    cards = {k: headline(m.value) for k, m in metrics_by_id(app).items() if k in HEADLINE}
    assert cards == tiles

    # ... and the catalogue's own function for each KPI says the same.
    catalogue = kpis.catalogue()
    with reading(warehouse_path) as con:
        for kpi_id in HEADLINE:
            result = catalogue[kpi_id].compute(con, f)
            k = kpis.kpi_for(kpi_id, f)
            status = kpis.judge(k, result.value, n=result.n)
            if status == kpis.N_TOO_SMALL:
                assert tiles[kpi_id] == "n too small", kpi_id
                continue
            assert tiles[kpi_id] == format_value(result.value, result.unit), kpi_id


def test_definitions_page_says_what_the_code_does(app: AppTest) -> None:
    app.switch_page(DEFINITIONS)
    run(app)
    labels = [e.label for e in app.expander]
    catalogue = kpis.catalogue()
    for kpi_id, kpi in catalogue.items():
        assert any(label.startswith(f"**{kpi_id} · {kpi.name}**") for label in labels), kpi_id
    words = "\n".join(texts(app))
    # Definitions as the code has them (R3: the docstring of the function computing it).
    for kpi_id in ("R3", "R4", "C1", "I2"):
        assert catalogue[kpi_id].definition in words, kpi_id
    assert "capped at 1.25" in words
    assert "`marts.inquiries`" in words and "`ref.census`" in words
    assert "`metrics.scorecard.responsiveness_score`" in words
    assert "R3, R4, R5, R6, R7, R8, R9, R10, R12, R13, R14" in words
    # Each KPI's target history, from the targets file.
    assert any("Line in targets.yaml" in t.value.columns for t in app.dataframe)

    app.text_input(key="definitions_search").input("parity")
    run(app)
    assert [e.label.split(" · ")[0] for e in app.expander] == ["**I2"]


def test_a_warehouse_built_before_an_upgrade_is_said_in_words(
    warehouse_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marts from before a column the Overview's query reads (here:
    resolution_due_at, dropped to stand for one added later) give a clear
    message and how to rebuild, not a traceback."""
    older = tmp_path / "older.duckdb"
    shutil.copyfile(warehouse_path, older)
    with duckdb.connect(str(older)) as con:
        con.execute("alter table marts.inquiries drop column resolution_due_at")
    monkeypatch.setenv("KP_WAREHOUSE", str(older))
    at = login(AppTest.from_string(APP, default_timeout=90))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any("python -m etl rebuild" in e for e in errors), errors
    assert not at.metric  # no half-drawn scorecard
