"""The sidebar's Source filter (issue 8): the cell's own register by default.

A small real warehouse holds two register items and four items of a mapped
helpdesk, all received last month (the page's default period); the R1
card counts two until the helpdesk is chosen too.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.load import load_paths
from tests.etl_helpers import register_row, write_register
from tests.test_app import APP, last_month, pin_navigation_mode, run, today_pkt, value_of

MAPPING = """\
name: helpdesk
id_column: Ticket ID
timestamp_formats: ["%Y-%m-%d %H:%M"]
columns:
  received_at: Created time
constants:
  category: inquiry
  channel: Email
"""


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "helpdesk.yaml").write_text(MAPPING, encoding="utf-8")
    monkeypatch.setenv("KP_MAPPINGS_DIR", str(folder))
    start, _ = last_month(today_pkt())
    day = (start + timedelta(days=2)).isoformat()
    register = write_register(
        tmp_path / "register.csv",
        [register_row("K-1", f"{day} 10:00"), register_row("K-2", f"{day} 11:00")],
    )
    helpdesk = tmp_path / "helpdesk.csv"
    with helpdesk.open("w", encoding="utf-8", newline="") as handle:
        rows = [["Ticket ID", "Created time"]] + [[f"H-{i}", f"{day} 12:0{i}"] for i in range(4)]
        csv.writer(handle).writerows(rows)
    path = tmp_path / "warehouse.duckdb"
    report = load_paths([register, helpdesk], warehouse=path)
    assert [f.outcome for f in report.files] == ["loaded", "loaded"]
    return path


def _logged_in(at: AppTest) -> AppTest:
    """Logged in as the app tests are, once the dashboard has a login."""
    try:
        from tests.auth_support import login
    except ImportError:  # no login yet
        return at
    return login(at)


def test_the_source_filter_starts_at_the_cells_own_register(warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("KP_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("KP_USERS_DB", str(tmp_path / "users.sqlite"))
    pin_navigation_mode(monkeypatch)
    at = run(_logged_in(AppTest.from_file(str(APP), default_timeout=60)))
    (source,) = [m for m in at.sidebar.multiselect if m.label == "Source"]
    assert source.options == ["register", "helpdesk"]
    assert source.value == ["register"]
    assert value_of(at, "R1") == "2"
    source.set_value(["register", "helpdesk"])
    run(at)
    assert value_of(at, "R1") == "6"
