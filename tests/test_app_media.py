"""The Media and Outreach pages in Streamlit's AppTest, and the quick-add form.

The pages read the hand-checkable fixture (tests/media_fixture.py) loaded by
the real ETL, through ``tests/media_pages_app.py`` (the pages framed as
``dashboard.py`` frames them). Expected figures are worked out by hand from
the fixture's rows. Quick-add entries go through the real loader into a copy
of the warehouse; an invalid one must leave the warehouse file and the inbox
exactly as they were.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from core import warehouse as live_warehouse
from tests import media_fixture as fx
from tests.auth_support import login, role_under_test

APP = Path(__file__).resolve().parent / "media_pages_app.py"
ROOT = APP.parent.parent
MEDIA = str(ROOT / "pages" / "media.py")
OUTREACH = str(ROOT / "pages" / "outreach.py")
PERSONAL = ("Asma Khan", "Bilal Shah", "Sana Gul", "Imran Ali", "Noor Jan", "0300-")
# Entries are recorded as the logged-in user (tests.auth_support.login).
WHO = role_under_test()


@pytest.fixture(scope="module")
def fixture_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fx.build(tmp_path_factory.mktemp("media_app"))


@dataclass
class Live:
    warehouse: Path
    inbox: Path


@pytest.fixture
def live(fixture_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Live:
    """A private copy of the warehouse and an empty inbox for one test."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(fixture_warehouse, copy)
    inbox = tmp_path / "inbox"
    monkeypatch.setenv("KP_WAREHOUSE", str(copy))
    monkeypatch.setenv("KP_INBOX", str(inbox))
    return Live(copy, inbox)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(page: str) -> AppTest:
    """The app on ``page``, with the period set to March 2025."""
    at = run(login(AppTest.from_file(str(APP), default_timeout=180)))
    if page != MEDIA:
        at.switch_page(page)
        run(at)
    at.selectbox(key="filters_preset").select("Custom")
    run(at)
    at.date_input(key="filters_range").set_value((date(2025, 3, 1), date(2025, 3, 31)))
    return run(at)


def metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no card {label!r}: {[m.label for m in at.metric]}")


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def csv_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.csv")) if folder.exists() else []


# The pages ---------------------------------------------------------------------------


def test_media_page_renders_with_filters(live: Live) -> None:
    at = open_page(MEDIA)
    assert [t.value for t in at.title] == ["Media"]
    assert metric(at, "M4 · Media mentions") == "12"
    assert metric(at, "M5 · Net tone") == "+20"  # (5 - 3) / 10 coded x 100
    assert metric(at, "M6 · Official-line share") == "55.6%"  # 5 of 9 coded
    # Today every unanswered March query is past its target: Q1, Q3, Q4 of
    # Q1-Q5 answered + Q6, Q7 open = 3 / 7.
    assert metric(at, "M1 · Queries answered same business day") == "42.9%"
    assert metric(at, "M2 · Time to first statement (P50)") == "45 min"
    assert metric(at, "M7 · Outputs published") == "5"
    assert any("1 incident(s) with no public statement yet" in e.value for e in at.error)
    tables = [d.value for d in at.dataframe]
    timeline = next(t for t in tables if "awaiting_statement" in t.columns)
    assert list(timeline["incident_id"])[0] == "INC-4"
    for table in tables:
        text = " ".join(str(v) for v in table.to_numpy().ravel())
        assert not any(p in text for p in PERSONAL)

    at.multiselect(key="filters_districts").select("Peshawar")
    run(at)
    assert metric(at, "M4 · Media mentions") == "4"  # MM-01, 02, 06, 11
    at.multiselect(key="filters_districts").set_value([])
    at.multiselect(key="filters_regions").select("Kohat")
    run(at)
    assert metric(at, "M4 · Media mentions") == "4"  # Kurram x2, Orakzai, Hangu
    assert any("no public statement yet" in e.value for e in at.error)  # INC-4, Kurram
    at.multiselect(key="filters_regions").set_value([])
    at.multiselect(key="media_outlet_types").select("tv")
    run(at)
    assert metric(at, "M4 · Media mentions") == "4"  # Geo x2, Khyber News x2
    assert metric(at, "M5 · Net tone") == "+25"  # (2 - 1) / 4


def test_outreach_page_renders_with_filters(live: Live) -> None:
    at = open_page(OUTREACH)
    assert [t.value for t in at.title] == ["Outreach"]
    assert metric(at, "I4 · Outreach events held") == "6"
    assert metric(at, "I4 · Participants") == "233"
    assert metric(at, "Transgender participants") == "13"
    at.multiselect(key="filters_regions").select("Malakand")
    run(at)
    assert metric(at, "I4 · Outreach events held") == "3"  # Swat
    with duckdb.connect(str(live.warehouse), read_only=True) as con:
        malakand = {
            d
            for (d,) in con.execute(
                "select district from ref.districts where region = 'Malakand'"
            ).fetchall()
        }
    missing = next(
        d.value
        for d in at.dataframe
        if list(d.value.columns) == ["district", "region", "is_merged_district"]
    )
    assert set(missing["district"]) == malakand - {"Swat"}
    at.multiselect(key="outreach_event_types").select("school visit")
    run(at)
    assert metric(at, "I4 · Outreach events held") == "1"


# The quick-add form ------------------------------------------------------------------


def test_a_valid_mention_appears_on_the_page_after_the_load(live: Live) -> None:
    at = open_page(MEDIA)
    at.datetime_input(key="media_quick_add_m_published").set_value(datetime(2025, 3, 10, 10, 0))
    at.text_input(key="media_quick_add_m_outlet").input("Express Tribune")
    at.selectbox(key="media_quick_add_m_outlet_type").select("print")
    at.selectbox(key="media_quick_add_m_tone").select("negative")
    at.selectbox(key="media_quick_add_m_district").select("Swat")
    at.button(key="media_quick_add_m_submit").click()
    run(at)
    assert any("saved and loaded" in s.value for s in at.success), [e.value for e in at.error]
    assert metric(at, "M4 · Media mentions") == "13"
    assert metric(at, "M5 · Net tone") == "+9"  # (5 - 4) / 11 coded x 100 = 9.1
    [entry] = csv_files(live.inbox)
    with duckdb.connect(str(live.warehouse), read_only=True) as con:
        logged = con.execute(
            "select logged_by, logged_at is not null, outlet from raw.media_mentions "
            "where outlet = 'Express Tribune'"
        ).fetchall()
        loads = con.execute(
            "select loaded_by from meta.loads where file_name = ?", [entry.name]
        ).fetchall()
    assert logged == [(WHO, True, "Express Tribune")]
    assert loads == [(WHO,)]


def test_an_invalid_query_shows_its_error_and_changes_nothing(live: Live) -> None:
    at = open_page(MEDIA)
    before = live_warehouse.snapshot_id(live.warehouse)
    m1 = metric(at, "M1 · Queries answered same business day")
    at.datetime_input(key="media_quick_add_q_received").set_value(datetime(2025, 3, 5, 10, 0))
    at.text_input(key="media_quick_add_q_outlet").input("Dawn")
    at.datetime_input(key="media_quick_add_q_answered").set_value(datetime(2025, 3, 5, 9, 0))
    at.button(key="media_quick_add_q_submit").click()
    run(at)
    assert any("Not saved" in e.value for e in at.error)
    assert (
        "• answered_at (2025-03-05 09:00 PKT) is before received_at (2025-03-05 10:00 PKT)"
        in texts(at)
    )
    assert live_warehouse.snapshot_id(live.warehouse) == before
    assert csv_files(live.inbox) == []
    assert metric(at, "M1 · Queries answered same business day") == m1


def test_an_incident_statement_before_it_occurred_is_refused(live: Live) -> None:
    at = open_page(MEDIA)
    before = live_warehouse.snapshot_id(live.warehouse)
    at.text_input(key="media_quick_add_i_type_new").input("protest")
    at.selectbox(key="media_quick_add_i_district_new").select("Kurram")
    at.datetime_input(key="media_quick_add_i_occurred_at_new").set_value(
        datetime(2025, 3, 10, 10, 0)
    )
    at.datetime_input(key="media_quick_add_i_first_statement_at_new").set_value(
        datetime(2025, 3, 10, 9, 0)
    )
    at.button(key="media_quick_add_i_submit").click()
    run(at)
    assert (
        "• first_statement_at (2025-03-10 09:00 PKT) is before occurred_at (2025-03-10 10:00 PKT)"
        in texts(at)
    )
    assert live_warehouse.snapshot_id(live.warehouse) == before
    assert csv_files(live.inbox) == []


def test_entries_are_recorded_as_the_logged_in_user_not_a_typed_name(live: Live) -> None:
    at = open_page(MEDIA)
    assert not [t for t in at.text_input if t.key == "media_quick_add_who"]
    assert f"Entries are recorded as made by {WHO}." in texts(at)


def test_the_next_step_of_an_incident_updates_its_timeline(live: Live) -> None:
    at = open_page(MEDIA)
    assert any("no public statement yet" in e.value for e in at.error)
    at.selectbox(key="media_quick_add_i_pick").select("INC-4")
    run(at)
    # The form starts from INC-4's row: only the statement is new.
    assert at.text_input(key="media_quick_add_i_type_INC_4").value == "protest"
    at.datetime_input(key="media_quick_add_i_first_statement_at_INC_4").set_value(
        datetime(2025, 3, 3, 13, 0)
    )
    at.button(key="media_quick_add_i_submit").click()
    run(at)
    assert any("saved and loaded" in s.value for s in at.success), texts(at)
    assert not any("no public statement yet" in e.value for e in at.error)
    # M2 now also times INC-4: 30 minutes after its verification at 12:30.
    with duckdb.connect(str(live.warehouse), read_only=True) as con:
        row = con.execute(
            "select statement_minutes, verified_at is not null from marts.incidents "
            "where incident_id = 'INC-4'"
        ).fetchall()
    assert row == [(30.0, True)]
