"""The landing page is computed before its first visitor (``ui.warm_cache``).

What is checked: after ``warm_landing``, the whole dashboard (``dashboard.py``,
logged in as an administrator, who lands on the Overview) draws its first
page without a single query reaching the warehouse; without it, the same run
queries (so the check can fail); the warm-up runs again only when the live
warehouse, the day or the cache's age says so; a district officer's scoped
queries are never answered from the warm-up's entries.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.auth_support import login
from ui import queries, warm_cache
from ui.filters import today_pkt

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(ROOT / "dashboard.py")


@pytest.fixture
def warehouse(demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo warehouse, live for this test, and an empty cache."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, path)
    monkeypatch.setenv("KP_WAREHOUSE", str(path))
    st.cache_data.clear()
    yield path
    st.cache_data.clear()


@contextmanager
def warehouse_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The cached queries that missed the cache (each opens a reader)."""
    misses: list[str] = []
    reader = queries._reader

    @contextmanager
    def counted(path: str):  # noqa: ANN202
        misses.append(path)
        with reader(path) as con:
            yield con

    monkeypatch.setattr(queries, "_reader", counted)
    yield misses


def first_page(role: str = "admin") -> AppTest:
    at = login(AppTest.from_file(DASHBOARD, default_timeout=90), role)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_after_the_warm_up_the_first_page_reads_nothing(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_cache.warm_landing(today_pkt())
    with warehouse_reads(monkeypatch) as misses:
        at = first_page()
    assert "Overview" in titles(at)
    assert misses == []


def test_without_it_the_first_page_queries(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with warehouse_reads(monkeypatch) as misses:
        at = first_page()
    assert "Overview" in titles(at)
    assert len(misses) >= 2  # the sidebar's and the scorecard's queries


def test_a_district_officer_computes_their_own(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up's entries are the whole province's: a scoped user's
    queries are keyed on their districts, so none of them is served from it."""
    warm_cache.warm_landing(today_pkt())
    with warehouse_reads(monkeypatch) as misses:
        at = first_page("district_officer")
    assert not at.exception
    assert misses, "a district officer's page was served from the province's entries"


def test_it_warms_again_only_when_something_changed(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed: list[date] = []
    monkeypatch.setattr(warm_cache, "warm_landing", warmed.append)

    first = warm_cache.warm_if_due(warm_cache.Warmed())
    assert len(warmed) == 1 and first.snapshot_id
    assert warm_cache.warm_if_due(first) == first  # nothing changed
    assert len(warmed) == 1

    # A load swaps in a new file (os.replace): a new snapshot.
    staged = warehouse.with_name("staged.duckdb")
    shutil.copyfile(warehouse, staged)
    os.replace(staged, warehouse)
    second = warm_cache.warm_if_due(first)
    assert len(warmed) == 2 and second.snapshot_id != first.snapshot_id


def test_when_it_is_due() -> None:
    day = date(2026, 12, 6)
    last = warm_cache.Warmed("a", day, 100.0)
    assert not warm_cache.due(last, "a", day, 100.0 + queries.TTL_SECONDS)
    assert warm_cache.due(last, "b", day, 101.0)  # a new warehouse
    assert warm_cache.due(last, "a", date(2026, 12, 7), 101.0)  # a new day
    assert warm_cache.due(last, "a", day, 101.0 + queries.TTL_SECONDS)  # entries expired
    assert not warm_cache.due(warm_cache.Warmed(), "", day, 0.0)  # no warehouse yet


def test_a_failed_warm_up_is_logged_not_raised(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(today: date) -> None:
        raise RuntimeError("the warehouse is being replaced")

    monkeypatch.setattr(warm_cache, "warm_landing", broken)
    warmed = warm_cache.warm_if_due(warm_cache.Warmed())
    assert warmed.snapshot_id  # not retried before something changes
    assert "could not warm the landing page" in caplog.text


def test_it_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warm_cache.ENV_SWITCH, "0")
    assert warm_cache.start(ready=lambda: True) is None
    monkeypatch.setenv(warm_cache.ENV_SWITCH, "1")
    stop = warm_cache.start(ready=lambda: False)
    assert stop is not None
    stop.set()
