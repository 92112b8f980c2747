"""The sidebar's "N items in the warehouse" respects the user's districts
(issue 13): a district officer never learns the province's count."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.load import load_paths
from metrics import reference
from metrics.filters import Filters
from tests.auth_support import login
from tests.etl_helpers import register_row, write_register
from tests.test_app import APP, pin_navigation_mode

# 2 in Peshawar (the test district officer's), 3 elsewhere; the latest elsewhere.
ROWS = [
    register_row("S-1", "2025-03-03 09:00", district="Peshawar"),
    register_row("S-2", "2025-03-04 09:00", district="Peshawar"),
    register_row("S-3", "2025-03-05 09:00", district="Swat"),
    register_row("S-4", "2025-03-06 09:00", district="Mardan"),
    register_row("S-5", "2025-03-07 09:00", district="Kohat"),
]


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "wh" / "warehouse.duckdb"
    report = load_paths([write_register(tmp_path / "r.csv", ROWS)], warehouse=path)
    assert report.files[0].inserted == len(ROWS)
    monkeypatch.setenv("KP_WAREHOUSE", str(path))
    pin_navigation_mode(monkeypatch)
    return path


def test_freshness_counts_only_the_districts_in_scope(warehouse: Path) -> None:
    f = Filters(date(2025, 3, 1), date(2025, 3, 31))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        everything = reference.inquiry_freshness(con, f)
        peshawar = reference.inquiry_freshness(con, Filters(f.start, f.end, scope=("Peshawar",)))
        nothing = reference.inquiry_freshness(con, Filters(f.start, f.end, scope=()))
    assert int(everything.loc[0, "n_items"]) == 5
    assert int(peshawar.loc[0, "n_items"]) == 2
    assert str(peshawar.loc[0, "latest_received_at"].tz_convert("Asia/Karachi"))[:10] == (
        "2025-03-04"
    )
    assert int(nothing.loc[0, "n_items"]) == 0


@pytest.mark.parametrize(("user", "expected"), [("district_officer", 2), ("admin", 5)])
def test_the_sidebar_count_is_the_users_own(warehouse: Path, user: str, expected: int) -> None:
    at = login(AppTest.from_file(str(APP), default_timeout=90), user)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    counts = [c.value for c in at.sidebar.caption if "items in the warehouse" in c.value]
    assert counts and f"{expected:,} items in the warehouse" in counts[0], counts
