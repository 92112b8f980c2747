"""Every download the pages offer is recorded in the audit log (issue 13):
the overdue CSV on Response times, the monthly report's PDF and XLSX."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from auth import audit
from etl.load import load_paths
from tests.auth_support import login
from tests.etl_helpers import register_row, write_register
from tests.test_app import APP, pin_navigation_mode

ROOT = Path(__file__).resolve().parent.parent


def _last_month() -> tuple[date, date]:
    today = datetime.now(ZoneInfo("Asia/Karachi")).date()
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    start, _ = _last_month()
    # Open items received last month: overdue now.
    rows = [
        register_row(f"D-{i}", f"{start + timedelta(days=i):%Y-%m-%d} 10:00", district="Peshawar")
        for i in range(1, 8)
    ]
    path = tmp_path / "wh" / "warehouse.duckdb"
    load_paths([write_register(tmp_path / "r.csv", rows)], warehouse=path)
    monkeypatch.setenv("KP_WAREHOUSE", str(path))
    pin_navigation_mode(monkeypatch)
    return path


@pytest.fixture
def wrapped(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """What the pages hand ``audited_download`` (the real one still runs)."""
    from ui import login as ui_login

    seen: list[tuple[str, object]] = []
    real = ui_login.audited_download

    def spy(what, build):  # noqa: ANN001, ANN202
        audited = real(what, build)
        seen.append((what, audited))
        return audited

    monkeypatch.setattr(ui_login, "audited_download", spy)
    return seen


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _downloads_audited(wrapped: list[tuple[str, object]], word: str) -> list[audit.Entry]:
    # Each page run wraps its buttons again: the last run's are on the page.
    chosen = list({what: build for what, build in wrapped if word in what}.items())
    assert chosen, [what for what, _ in wrapped]
    before = len(audit.entries(action=audit.DOWNLOAD, username="admin"))
    for _, build in chosen:
        assert build()  # the file is built, and the click recorded
    after = audit.entries(action=audit.DOWNLOAD, username="admin")
    assert len(after) == before + len(chosen)
    return after[: len(chosen)]


def test_the_overdue_csv_is_audited(live: Path, wrapped: list) -> None:
    start, end = _last_month()
    at = _run(login(AppTest.from_file(str(APP), default_timeout=120), "admin"))
    at.switch_page(str(ROOT / "pages" / "response_times.py"))
    _run(at)
    at.selectbox(key="filters_preset").select("Custom")
    _run(at)
    at.date_input(key="filters_range").set_value((start, end))
    _run(at)
    [entry] = _downloads_audited(wrapped, "overdue")
    assert entry.what == "overdue list CSV"


def test_the_monthly_report_files_are_audited(live: Path, wrapped: list) -> None:
    at = _run(login(AppTest.from_file(str(APP), default_timeout=180), "admin"))
    at.switch_page(str(ROOT / "pages" / "monthly_report.py"))
    _run(at)
    entries = _downloads_audited(wrapped, "monthly report")
    assert {e.what.split()[2] for e in entries} == {"PDF", "XLSX"}
