"""The demo's media registers: deterministic, loaded by the demo build, and
telling the inquiry demo's crisis story (etl/demo/media.py).

Checked with plain SQL over the marts of the session's demo warehouse
(tests/conftest.py), never through ``metrics``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.demo.calendar import CRISIS_DISTRICTS, crisis_week_start, default_end_date
from etl.demo.media import generate_media
from tests.auth_support import login

APP = Path(__file__).resolve().parent / "media_pages_app.py"


def sql(warehouse: Path, query: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(query, params or []).fetchall()


def test_media_demo_is_deterministic() -> None:
    first = generate_media(end_date=date(2026, 3, 1), months=4)
    again = generate_media(end_date=date(2026, 3, 1), months=4)
    assert first.files.keys() == again.files.keys()
    assert all(first.files[name] == again.files[name] for name in first.files)
    assert first.crisis_start == crisis_week_start(date(2026, 3, 1))


@pytest.fixture(scope="module")
def crisis(demo_warehouse: Path) -> date:
    """The crisis week's Monday of the session's demo (built up to today)."""
    return crisis_week_start(default_end_date())


def test_the_crisis_incident_misses_the_golden_hour_and_is_rebutted(
    demo_warehouse: Path, crisis: date
) -> None:
    rows = sql(
        demo_warehouse,
        "select incident_type, statement_minutes, rebuttal_minutes, n_mentions "
        "from marts.incidents where district = ? and occurred_date = ?",
        [CRISIS_DISTRICTS[0], crisis],
    )
    assert len(rows) == 1
    kind, statement, rebuttal, mentions = rows[0]
    assert kind == "armed clashes"
    assert statement > 60  # the statement came after the golden hour
    assert 0 < rebuttal <= 120  # the fake video was rebutted within two hours
    assert mentions > 20


def test_the_crisis_week_has_the_burst_of_negative_coverage(
    demo_warehouse: Path, crisis: date
) -> None:
    weekly = sql(
        demo_warehouse,
        "select date_trunc('week', published_date) as week, "
        "count(*) filter (where tone = 'negative') from marts.media_mentions "
        "group by week order by 2 desc",
    )
    assert weekly[0][0].date() == crisis  # the week with most negative coverage
    others = sorted(n for week, n in weekly[1:])
    assert weekly[0][1] >= 3 * others[len(others) // 2]


def test_the_crisis_week_has_the_spike_of_journalists_queries(
    demo_warehouse: Path, crisis: date
) -> None:
    weekly = sql(
        demo_warehouse,
        "select date_trunc('week', received_date) as week, count(*) from marts.media_queries "
        "group by week order by 2 desc",
    )
    assert weekly[0][0].date() == crisis
    others = sorted(n for week, n in weekly[1:])
    assert weekly[0][1] >= 3 * others[len(others) // 2]


def test_the_registers_agree_with_the_inquiries_on_the_crisis(
    demo_warehouse: Path, crisis: date
) -> None:
    """The inquiry demo's busiest week in the crisis districts is the media's crisis week."""
    busiest = sql(
        demo_warehouse,
        "select date_trunc('week', received_date) as week from marts.inquiries "
        "where district in (select unnest(?)) group by week order by count(*) desc limit 1",
        [list(CRISIS_DISTRICTS)],
    )
    assert busiest[0][0].date() == crisis
    outputs = sql(
        demo_warehouse,
        "select count(*) from marts.outputs o join marts.incidents i using (incident_id) "
        "where i.district = ? and i.occurred_date = ?",
        [CRISIS_DISTRICTS[0], crisis],
    )
    assert outputs[0][0] >= 4  # statement, rebuttal and updates


def test_demo_quarantine_and_the_incident_still_waiting(demo_warehouse: Path) -> None:
    planted = sql(
        demo_warehouse,
        "select source, reason from meta.quarantine "
        "where source in ('media_log', 'media_queries', 'incidents', 'outputs', "
        "'output_plan', 'outreach_events') order by source",
    )
    assert planted == [
        ("media_log", "tone 'very negative' is not one of: positive, neutral, negative"),
        (
            "outreach_events",
            "district 'Swat Valley' is not one of the 36 districts of Khyber Pakhtunkhwa",
        ),
    ]
    waiting = sql(
        demo_warehouse,
        "select occurred_date from marts.incidents where first_statement_at is null",
    )
    assert waiting == [(default_end_date() - timedelta(days=1),)]


def test_media_page_shows_the_crisis_week(
    demo_warehouse: Path, crisis: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KP_WAREHOUSE", str(demo_warehouse))
    at = login(AppTest.from_file(str(APP), default_timeout=180)).run()
    at.selectbox(key="filters_preset").select("Custom").run()
    at.date_input(key="filters_range").set_value((crisis, crisis + timedelta(days=6))).run()
    assert not at.exception, [e.value for e in at.exception]
    timeline = next(d.value for d in at.dataframe if "awaiting_statement" in d.value.columns)
    clashes = timeline[timeline["incident_type"] == "armed clashes"]
    assert len(clashes) == 1 and not bool(clashes["statement_within_target"].iloc[0])
    tone = next(m.value for m in at.metric if m.label == "M5 · Net tone")
    assert tone.startswith("-")  # the week's coverage is net negative
