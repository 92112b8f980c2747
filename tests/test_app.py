"""The dashboard end to end in Streamlit's AppTest (no browser).

The app reads the warehouse from the ``warehouse_path`` fixture (through
``KP_WAREHOUSE``). Figures on the page are checked against plain SQL over
``marts.inquiries`` written here, never against ``metrics``.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.auth_support import login


@pytest.fixture(scope="module")
def warehouse_path(demo_warehouse: Path) -> Path:
    """The session's demo warehouse, built by the real ETL (tests/conftest.py)."""
    return demo_warehouse


APP = Path(__file__).resolve().parent.parent / "dashboard.py"
PAGE_KPIS = ("R1", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14")
PERSONAL = {"name", "requester_name", "phone", "mobile", "cnic", "email", "summary", "address"}


def today_pkt() -> date:
    return datetime.now(ZoneInfo("Asia/Karachi")).date()


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def fiscal_year_to_date(today: date) -> tuple[date, date]:
    return date(today.year if today.month >= 7 else today.year - 1, 7, 1), today


def count_received(path: Path, start: date, end: date, **where: str) -> int:
    """Items received between two Pakistan dates, optionally in a column's value."""
    sql = "select count(*) from marts.inquiries where received_date between ? and ?"
    params: list[object] = [start, end]
    for column, value in where.items():
        assert column in {"district", "region", "channel"}
        sql += f" and {column} = ?"
        params.append(value)
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchone()[0]


def karachi_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end] in Pakistan dates as a UTC instant range [lo, hi)."""
    zone = ZoneInfo("Asia/Karachi")
    lo = datetime(start.year, start.month, start.day, tzinfo=zone)
    after = end + timedelta(days=1)
    hi = datetime(after.year, after.month, after.day, tzinfo=zone)
    return lo.astimezone(ZoneInfo("UTC")), hi.astimezone(ZoneInfo("UTC"))


def clock_p50(path: Path, minutes: str, at: str, cohort: str, start: date, end: date) -> float:
    """P50 (quantile_cont) of a calendar-minutes column over a completed cohort."""
    assert minutes in {"first_response_minutes", "referral_minutes"}
    assert at in {"first_response_at", "referred_at"}
    assert cohort in {"needs_reply", "needs_field_action"}
    sql = (
        f"select quantile_cont({minutes}, 0.5) from marts.inquiries"
        f" where {cohort} and {at} >= ? and {at} < ?"
    )
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(karachi_bounds(start, end))).fetchone()[0]


def minutes_shown(minutes: float) -> str:
    """How the page writes a duration: minutes under 1.5 h, else hours."""
    return f"{minutes:,.0f} min" if minutes < 90 else f"{minutes / 60:,.1f} h"


def busiest(path: Path, column: str, start: date, end: date) -> str:
    """The value of ``column`` with the most items in the period (never empty)."""
    sql = (
        f"select {column} from marts.inquiries where received_date between ? and ?"
        f" and {column} is not null group by 1 order by count(*) desc, 1 limit 1"
    )
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, [start, end]).fetchone()[0]


def metrics_by_id(at: AppTest) -> dict[str, object]:
    return {m.label.split(" · ")[0]: m for m in at.metric}


def value_of(at: AppTest, kpi_id: str) -> str:
    return metrics_by_id(at)[kpi_id].value


def as_int(text: str) -> int:
    return int(text.replace(",", ""))


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_response_times(at: AppTest) -> AppTest:
    """The app as a user opens it (the Overview lands first), then Response times."""
    run(at)
    at.switch_page("pages/response_times.py")
    return run(at)


def pin_navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every AppTest rerun the way a live server runs it after its first run.

    AppTest resets ``PagesManager.uses_pages_directory`` before each run, and
    with a ``pages/`` folder present that puts every rerun in Streamlit's
    legacy multipage mode, which runs the page file alone (without
    dashboard.py, and with widget ids of another script). A live server
    leaves that mode for good the first time ``st.navigation`` runs.
    ``test_page_alone_draws_its_frame`` covers the legacy path itself.
    """
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def app(warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("KP_WAREHOUSE", str(warehouse_path))
    pin_navigation_mode(monkeypatch)
    return open_response_times(login(AppTest.from_file(str(APP), default_timeout=60)))


def test_page_renders_every_kpi_card(app: AppTest) -> None:
    assert list(metrics_by_id(app)) == list(PAGE_KPIS)
    assert app.selectbox(key="filters_preset").value == "Last month"
    texts = [e.value for e in [*app.subheader, *app.markdown]]
    for section in ("Weekly trend", "SLA attainment", "Overdue backlog", "District drill-down"):
        assert any(section in text for text in texts), section


def test_cards_show_needing_reply_and_clock_time(app: AppTest, warehouse_path: Path) -> None:
    start, end = last_month(today_pkt())
    cards = metrics_by_id(app)
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        needing = con.execute(
            "select count(*) from marts.inquiries"
            " where needs_reply and received_date between ? and ?",
            [start, end],
        ).fetchone()[0]
    # R1 counts every item; beside it, those needing a reply.
    assert cards["R1"].proto.delta_description == f"{needing:,} need a reply"
    assert needing < as_int(cards["R1"].value)
    # R4 and R6 are business time, with clock time beside them.
    r4 = clock_p50(
        warehouse_path, "first_response_minutes", "first_response_at", "needs_reply", start, end
    )
    r6 = clock_p50(
        warehouse_path, "referral_minutes", "referred_at", "needs_field_action", start, end
    )
    assert cards["R4"].value.endswith(f" :small[:gray[· clock {minutes_shown(r4)}]]")
    assert cards["R6"].value.endswith(f" :small[:gray[· clock {minutes_shown(r6)}]]")
    assert cards["R4"].proto.delta_description.startswith("P90 ")
    assert "**Clock time** (calendar): P50" in cards["R4"].help
    # R9 is clock time, with business time beside it, and its P90 also in working
    # days, the unit of its second target.
    assert ":small[:gray[· business " in cards["R9"].value
    assert "working days)" in cards["R9"].proto.delta_description
    # Every card with a target has a status icon; monitored R1 and R11 none.
    assert not cards["R1"].proto.icon and not cards["R11"].proto.icon
    assert all(cards[k].proto.icon for k in PAGE_KPIS if k not in ("R1", "R11"))


def test_items_received_matches_sql(app: AppTest, warehouse_path: Path) -> None:
    start, end = last_month(today_pkt())
    assert as_int(value_of(app, "R1")) == count_received(warehouse_path, start, end)

    app.selectbox(key="filters_preset").select("Fiscal year to date")
    run(app)
    start, end = fiscal_year_to_date(today_pkt())
    assert as_int(value_of(app, "R1")) == count_received(warehouse_path, start, end)


def test_region_district_and_channel_filters(app: AppTest, warehouse_path: Path) -> None:
    path = warehouse_path
    start, end = last_month(today_pkt())
    everything = as_int(value_of(app, "R1"))

    region = busiest(path, "region", start, end)
    app.multiselect(key="filters_regions").select(region)
    run(app)
    in_region = as_int(value_of(app, "R1"))
    assert in_region == count_received(path, start, end, region=region)
    assert 0 < in_region < everything
    with duckdb.connect(str(path), read_only=True) as con:
        expected = con.execute(
            "select district from ref.districts where region = ? order by district", [region]
        ).fetchall()
    assert app.multiselect(key="filters_districts").options == [d for (d,) in expected]

    district = app.multiselect(key="filters_districts").options[0]
    app.multiselect(key="filters_districts").select(district)
    run(app)
    assert as_int(value_of(app, "R1")) == count_received(path, start, end, district=district)

    # Another region: the district chosen in the first one no longer applies.
    other = next(r for r in app.multiselect(key="filters_regions").options if r != region)
    app.multiselect(key="filters_regions").set_value([other])
    run(app)
    assert app.multiselect(key="filters_districts").value == []
    assert as_int(value_of(app, "R1")) == count_received(path, start, end, region=other)

    app.multiselect(key="filters_regions").set_value([])
    channel = busiest(path, "channel", start, end)
    app.multiselect(key="filters_channels").select(channel)
    run(app)
    assert as_int(value_of(app, "R1")) == count_received(path, start, end, channel=channel)


def test_filters_survive_a_rerun_and_custom_period(app: AppTest, warehouse_path: Path) -> None:
    app.selectbox(key="filters_preset").select("Custom")
    run(app)
    start, end = fiscal_year_to_date(today_pkt())
    app.date_input(key="filters_range").set_value((start, end))
    run(app)
    expected = count_received(warehouse_path, start, end)
    assert as_int(value_of(app, "R1")) == expected
    run(app)  # nothing changed: same figure, still Custom
    assert app.selectbox(key="filters_preset").value == "Custom"
    assert as_int(value_of(app, "R1")) == expected


def test_empty_period_says_so(app: AppTest) -> None:
    app.selectbox(key="filters_preset").select("Custom")
    run(app)
    app.date_input(key="filters_range").set_value((date(2016, 1, 1), date(2016, 1, 31)))
    run(app)
    assert as_int(value_of(app, "R1")) == 0
    assert value_of(app, "R4") == "—"
    assert any("No items in this period for these filters" in i.value for i in app.info)
    assert app.success, "an empty backlog should say there is nothing overdue"


def test_overdue_list_and_download(app: AppTest) -> None:
    tables = [df.value for df in app.dataframe]
    overdue = [t for t in tables if "overdue_days" in t.columns]
    assert overdue, "overdue list not shown"
    assert (overdue[0]["overdue_days"] > 0).all()
    assert [b.label for b in app.download_button] == ["Download overdue list (CSV)"]
    for table in tables:
        assert not PERSONAL & {str(c).lower() for c in table.columns}


def test_district_drilldown(app: AppTest, warehouse_path: Path) -> None:
    start, end = last_month(today_pkt())
    district = busiest(warehouse_path, "district", start, end)
    app.selectbox(key="response_times_district").select(district)
    run(app)
    tables = [df.value for df in app.dataframe]
    items = next(t for t in tables if {"inquiry_id", "is_overdue"} <= set(t.columns))
    assert len(items) == count_received(warehouse_path, start, end, district=district)
    comparison = next(t for t in tables if "Province" in t.columns)
    assert list(comparison["KPI"].str.split(" · ").str[0]) == list(PAGE_KPIS)


def test_page_alone_draws_its_frame(
    warehouse_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A deep link on a fresh server runs pages/response_times.py without dashboard.py."""
    monkeypatch.setenv("KP_WAREHOUSE", str(warehouse_path))
    at = open_response_times(login(AppTest.from_file(str(APP), default_timeout=60)))
    run(at)  # unpinned: this rerun is Streamlit's legacy mode, the page file alone
    assert list(metrics_by_id(at)) == list(PAGE_KPIS)
    assert at.sidebar.selectbox(key="filters_preset").value == "Last month"
    start, end = last_month(today_pkt())
    assert as_int(value_of(at, "R1")) == count_received(warehouse_path, start, end)


def test_new_load_shows_without_restart(
    warehouse_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    live = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse_path, live)
    monkeypatch.setenv("KP_WAREHOUSE", str(live))
    pin_navigation_mode(monkeypatch)
    at = open_response_times(login(AppTest.from_file(str(APP), default_timeout=60)))
    start, end = last_month(today_pkt())
    before = as_int(value_of(at, "R1"))
    assert before == count_received(live, start, end)

    # A "load" the way the ETL does it: a new file beside the live one, swapped in.
    staged = tmp_path / "warehouse.duckdb.tmp"
    shutil.copy(live, staged)
    with duckdb.connect(str(staged)) as con:
        con.execute(
            "delete from marts.inquiries where rowid in (select rowid"
            " from marts.inquiries where received_date between ? and ? limit 7)",
            [start, end],
        )
    os.replace(staged, live)
    run(at)
    assert as_int(value_of(at, "R1")) == before - 7
