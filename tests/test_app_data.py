"""The Data page end to end in Streamlit's AppTest (no browser).

A small warehouse is built by the real ETL from one register file; the page
then uploads files through ``st.file_uploader``, loads them, shows the
history, the quarantine and freshness, and rolls a load back. What the page
shows is checked against plain SQL on the warehouse and figures worked out
by hand, never against ``metrics`` (the read model the page asks).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl.load import load_paths
from etl.rollback import rollback
from tests.auth_support import login
from tests.etl_helpers import register_row, write_register
from tests.test_app import APP, pin_navigation_mode

PERSON = {
    "requester_name": "Ayesha Khan",
    "requester_phone": "0300-1234567",
    "requester_cnic": "17301-1234567-1",
    "requester_email": "ayesha.khan@example.org",
    "summary": "Threatening calls from a neighbour",
}
# base.csv's latest row: K-3, received 4 March 2025 (PKT).
BASE_LATEST = date(2025, 3, 4)


def base_rows() -> list[dict[str, str]]:
    return [
        register_row("K-1", "2025-03-03 09:00"),
        register_row("K-2", "2025-03-03 10:00"),
        register_row("K-3", "2025-03-04 11:00"),
    ]


@pytest.fixture(scope="module")
def base_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data-page")
    path = folder / "warehouse.duckdb"
    report = load_paths(
        [write_register(folder / "base.csv", base_rows())], warehouse=path, loaded_by="Setup"
    )
    assert report.swapped, [f.line() for f in report.files]
    return path


@pytest.fixture
def live(base_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "live" / "warehouse.duckdb"
    path.parent.mkdir()
    shutil.copy(base_warehouse, path)
    monkeypatch.setenv("KP_WAREHOUSE", str(path))
    pin_navigation_mode(monkeypatch)
    return path


# Loads and rollbacks are recorded as the logged-in user (the Data page has
# no name field).
LOADER = "data_officer"


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_data_page() -> AppTest:
    at = run(login(AppTest.from_file(str(APP), default_timeout=90), LOADER))
    at.switch_page("pages/data_operations.py")
    return run(at)


def sql(path: Path, query: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


def texts(at: AppTest) -> list[str]:
    return [e.value for e in [*at.markdown, *at.caption]]


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with {columns}")


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_upload_check_load_and_fix(live: Path, tmp_path: Path) -> None:
    at = open_data_page()
    assert [t.value for t in at.title] == ["Data"]
    assert table_with(at, "file_name", "outcome")["file_name"].tolist() == ["base.csv"]

    week1 = write_register(
        tmp_path / "week1.csv",
        [
            register_row(
                "K-1", "2025-03-03 09:00", status="resolved", resolved_at="2025-03-04 09:00"
            ),
            register_row("K-2", "2025-03-03 10:00"),
            register_row("K-4", "2025-03-05 12:00", channel="Facebok", **PERSON),
            register_row("K-5", "2025-03-06 12:00"),
        ],
    )
    broken = tmp_path / "broken.csv"
    pd.DataFrame([register_row("K-9", "2025-03-04 10:00")]).drop(columns="received_at").to_csv(
        broken, index=False
    )
    at.file_uploader[0].set_value(
        [
            ("week1.csv", week1.read_bytes(), "text/csv"),
            ("broken.csv", broken.read_bytes(), "text/csv"),
        ]
    )
    run(at)

    # What loading would do, before anything is loaded.
    assert "**week1.csv** · inquiry register" in texts(at)
    # K-5 is new, K-1 changed, K-2 the same, K-4's channel is misspelt.
    assert metrics(at) == {
        "New rows": "1",
        "Updated rows": "1",
        "Unchanged rows": "1",
        "To quarantine": "1",
    }
    checks = table_with(at, "check", "passed", "rows_failing")
    failing = checks[~checks["passed"]]
    assert failing[["column", "rows_failing"]].values.tolist() == [["channel", 1]]
    assert "'Facebok'" in failing["examples"].iloc[0]
    preview = table_with(at, "requester_name", "channel")
    # Initials: "Test Person" (register_row's default) and "Ayesha Khan".
    assert preview["requester_name"].tolist() == ["T. P.", "T. P.", "A. K.", "T. P."]
    assert not any(value in preview.to_csv() for value in PERSON.values())
    # Shown as Markdown with the file's text escaped (received\_at renders received_at).
    assert [e.value.replace("\\", "") for e in at.error] == [
        "broken.csv, row 1, column received_at: required column received_at is missing "
        "(the header has: inquiry_id, channel, category, district, requester_gender, language, "
        "summary, requester_name, requester_phone, requester_cnic, requester_email, priority, …)"
    ]
    assert "**What to do:** The header row lost a column: use the template in data/templates/." in (
        texts(at)
    )
    assert sql(live, "select count(*) from meta.loads") == [(1,)]  # nothing loaded yet

    at.button(key="data_load").click()
    run(at)
    assert any("Loaded in" in s.value for s in at.success)
    assert (
        "- week1.csv (inquiry register): 4 rows read, 1 new, 1 updated, 1 unchanged, "
        "1 quarantined" in texts(at)
    )
    assert sql(live, "select file_name, loaded_by from meta.loads order by load_seq") == [
        ("base.csv", "Setup"),
        ("week1.csv", LOADER),
    ]
    assert not at.file_uploader[0].value  # emptied for the next files
    history = table_with(at, "file_name", "outcome")
    assert history["file_name"].tolist() == ["week1.csv", "base.csv"]
    assert history.iloc[0][["rows_read", "rows_inserted", "rows_quarantined"]].tolist() == [4, 1, 1]

    # Quarantine: K-4 waits, masked; a CSV can be downloaded.
    assert "**1 row waits in quarantine**" in texts(at)
    waiting = table_with(at, "record_id", "row_as_read")
    assert waiting["record_id"].tolist() == ["K-4"]
    assert not any(value in waiting.to_csv() for value in PERSON.values())
    assert [b.label for b in at.get("download_button")] == [
        "Download these rows (CSV, personal data masked)"
    ]

    # The fix: K-4 with its channel corrected, in a new export of the register.
    fixed = write_register(
        tmp_path / "week1_fixed.csv",
        [register_row("K-4", "2025-03-05 12:00", channel="Facebook", **PERSON)],
    )
    at.file_uploader[0].set_value(("week1_fixed.csv", fixed.read_bytes(), "text/csv"))
    run(at)
    assert metrics(at)["New rows"] == "1" and metrics(at)["To quarantine"] == "0"
    at.button(key="data_load").click()
    run(at)
    assert "**0 rows wait in quarantine**" in texts(at)
    assert sql(
        live,
        "select q.record_id, l.file_name from meta.quarantine q "
        "join meta.loads l on l.load_id = q.cleared_by_load_id",
    ) == [("K-4", "week1_fixed.csv")]
    assert sql(live, "select channel from marts.inquiries where inquiry_id = 'K-4'") == [
        ("Facebook",)
    ]


def test_history_shows_a_change_made_elsewhere_on_the_next_rerun(live: Path) -> None:
    at = open_data_page()
    history = table_with(at, "file_name", "outcome")
    assert history["outcome"].tolist() == ["loaded"]
    (load_id,) = sql(live, "select load_id from meta.loads")[0]
    rollback(load_id, warehouse=live, by="CLI user")  # e.g. `python -m etl rollback`
    run(at)
    history = table_with(at, "file_name", "outcome")
    assert history["outcome"].tolist() == ["rolled back"]
    assert "by CLI user" in history["message"].iloc[0]


def test_rollback_asks_first(live: Path) -> None:
    at = open_data_page()
    (load_id,) = sql(live, "select load_id from meta.loads")[0]
    at.selectbox(key="data_rollback_choice").select(load_id)
    run(at)
    at.button(key="data_rollback").click()
    run(at)
    assert any("Roll back **base.csv**" in w.value for w in at.warning)
    assert sql(live, "select outcome from meta.loads") == [("loaded",)]  # not yet

    at.button(key="data_rollback_no").click()
    run(at)
    assert not any("Roll back **base.csv**" in w.value for w in at.warning)
    assert sql(live, "select outcome from meta.loads") == [("loaded",)]

    at.selectbox(key="data_rollback_choice").select(load_id)
    run(at)
    at.button(key="data_rollback").click()
    run(at)
    at.button(key="data_rollback_yes").click()
    run(at)
    assert f"Rolled back base.csv ({load_id})." in [s.value for s in at.success]
    ((outcome, message),) = sql(live, "select outcome, message from meta.loads")
    assert outcome == "rolled back" and message.startswith(f"rolled back by {LOADER}")
    assert sql(live, "select count(*) from marts.inquiries") == [(0,)]


def test_pages_warn_when_a_source_is_stale(live: Path) -> None:
    today = datetime.now(ZoneInfo("Asia/Karachi")).date()
    days = (today - BASE_LATEST).days  # base.csv ends on 4 March 2025
    expected = f"Inquiry register data ends {days} days ago (4 Mar 2025; stale after 7 days)."
    at = run(
        login(AppTest.from_file(str(APP), default_timeout=90), LOADER)
    )  # Response times, the default
    assert any(expected in w.value for w in at.warning), [w.value for w in at.warning]
    at.switch_page("pages/data_operations.py")
    run(at)
    assert any(expected in w.value for w in at.warning)
    fresh = table_with(at, "days_behind", "stale")
    assert fresh[["source", "days_behind", "threshold_days", "stale"]].values.tolist() == [
        ["register", days, 7, True]
    ]
