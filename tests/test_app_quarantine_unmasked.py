"""The Data page's unmasked view of one quarantined row (issue 13/14): shown
only on request to a role with personal-data rights, and audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from auth import audit
from etl.load import load_paths
from tests.auth_support import login
from tests.etl_helpers import register_row, write_register
from tests.test_app import APP, pin_navigation_mode

PHONE = "0345-7654321"
NAME = "Nasreen Akhtar"


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "live" / "warehouse.duckdb"
    rows = [
        register_row("Q-1", "2025-03-03 09:00"),
        register_row(
            "Q-2", "2025-03-03 10:00", channel="Facebok", requester_name=NAME, requester_phone=PHONE
        ),
    ]
    load_paths([write_register(tmp_path / "q.csv", rows)], warehouse=path, loaded_by="Setup")
    monkeypatch.setenv("KP_WAREHOUSE", str(path))
    pin_navigation_mode(monkeypatch)
    return path


def _cells(at: AppTest) -> str:
    return " ".join(frame.value.astype(str).to_string() for frame in at.dataframe)


def test_a_data_officer_sees_one_row_unmasked_on_request_and_it_is_audited(live: Path) -> None:
    at = login(AppTest.from_file(str(APP), default_timeout=90), "data_officer")
    at.run()
    at.switch_page("pages/data_operations.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert PHONE not in _cells(at) and NAME not in _cells(at)  # masked until asked
    before = len(audit.entries(action=audit.VIEW_PERSONAL, username="data_officer"))
    at.button(key="data_quarantine_unmask").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert PHONE in _cells(at) and NAME in _cells(at)
    logged = audit.entries(action=audit.VIEW_PERSONAL, username="data_officer")
    assert len(logged) == before + 1
    assert "q.csv row" in logged[0].what and PHONE not in logged[0].what
