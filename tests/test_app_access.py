"""The login gate and the role policy in the running app (Streamlit's AppTest).

Users are the test users of tests/auth_support.py in the run's temporary
users database. Figures a district officer sees are checked against plain
SQL over ``marts.inquiries``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.proto.TextInput_pb2 import TextInput as TextInputProto
from streamlit.testing.v1 import AppTest

from auth import audit
from tests.auth_support import DEMO_PASSWORD, ensure_test_users, login
from tests.test_app import (
    as_int,
    count_received,
    last_month,
    metrics_by_id,
    pin_navigation_mode,
    run,
    today_pkt,
    value_of,
)
from ui.login import KEY_SESSION

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard.py"
ROW_LEVEL_PAGES = [
    "pages/response_times.py",
    "pages/social_engagement.py",
    "pages/media.py",
    "pages/outreach.py",
    "pages/data_operations.py",
    "pages/audit_log.py",
]


@pytest.fixture
def app(demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The dashboard, not yet run, nobody logged in."""
    monkeypatch.setenv("KP_WAREHOUSE", str(demo_warehouse))
    pin_navigation_mode(monkeypatch)
    ensure_test_users()
    return AppTest.from_file(str(APP), default_timeout=90)


def fill_login(at: AppTest, username: str, password: str) -> AppTest:
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input(username)
    inputs["Password"].input(password)
    next(b for b in at.button if b.label == "Log in").click()
    return run(at)


def shows_login_form(at: AppTest) -> bool:
    return {"Username", "Password"} <= {t.label for t in at.text_input}


def test_nobody_logged_in_sees_only_the_login_form(app: AppTest) -> None:
    run(app)
    assert shows_login_form(app)
    assert not app.metric and not app.dataframe
    assert not app.sidebar.selectbox  # no filters, no menu content
    password = next(t for t in app.text_input if t.label == "Password")
    assert password.proto.type == TextInputProto.PASSWORD  # typed text is not shown


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_app(app: AppTest) -> None:
    run(app)
    fill_login(app, "ig_office", "not the password")
    assert shows_login_form(app)
    assert [e.value for e in app.error] == ["Wrong username or password."]
    assert not app.metric
    fill_login(app, "ig_office", DEMO_PASSWORD)
    assert not shows_login_form(app)
    assert "R1" in metrics_by_id(app)
    assert app.session_state[KEY_SESSION].username == "ig_office"
    assert audit.entries(limit=1, username="ig_office")[0].action in {"login", "view_rows"}


def test_an_expired_session_must_log_in_again(app: AppTest) -> None:
    run(login(app, "ig_office"))
    assert "R1" in metrics_by_id(app)
    session = app.session_state[KEY_SESSION]
    # As if the last page run was 31 minutes ago (the default idle limit is 30).
    app.session_state[KEY_SESSION] = replace(
        session,
        started_at=session.started_at - timedelta(minutes=31),
        last_seen_at=session.last_seen_at - timedelta(minutes=31),
    )
    run(app)
    assert shows_login_form(app)
    assert not app.metric
    assert any("session expired" in i.value for i in app.info)
    assert KEY_SESSION not in app.session_state


def test_logout_ends_the_session(app: AppTest) -> None:
    run(login(app, "ig_office"))
    next(b for b in app.sidebar.button if b.label == "Log out").click()
    run(app)
    assert shows_login_form(app) and not app.metric


def test_a_donor_reaches_no_row_level_page_by_the_menu(app: AppTest) -> None:
    run(login(app, "donor"))
    # The donor's first page is the overview as published (disclosure
    # control applied: tests/test_donor_scorecard.py), never a page of items.
    titles = {t.value for t in app.title}
    assert titles == {"Overview"}
    assert not any(s.value == "District drill-down" for s in app.subheader)
    for script in ROW_LEVEL_PAGES:
        # st.navigation never registered the page for this session: no way to it.
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(script)


@pytest.mark.parametrize("script", ROW_LEVEL_PAGES)
def test_a_donor_opening_a_row_level_page_file_directly_is_refused(
    script: str, demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KP_WAREHOUSE", str(demo_warehouse))
    at = run(login(AppTest.from_file(str(ROOT / script), default_timeout=90), "donor"))
    assert [e.value for e in at.error] == ["This page is not available to your account."]
    assert not at.metric and not at.dataframe
    refused = audit.entries(limit=1, username="donor")[0]
    assert refused.action == "page_refused"


def test_a_page_file_alone_asks_for_a_login(
    demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KP_WAREHOUSE", str(demo_warehouse))
    at = run(AppTest.from_file(str(ROOT / "pages/response_times.py"), default_timeout=90))
    assert shows_login_form(at) and not at.metric


def test_a_district_officer_sees_only_their_district(app: AppTest, demo_warehouse: Path) -> None:
    run(login(app, "district_officer"))  # Peshawar
    start, end = last_month(today_pkt())
    assert as_int(value_of(app, "R1")) == count_received(
        demo_warehouse, start, end, district="Peshawar"
    )
    districts = app.multiselect(key="filters_districts")
    assert list(districts.options) == ["Peshawar"]
    # Another district forced into the widget's state never shows: Streamlit
    # drops a value the widget does not offer, and the scope would refuse it.
    mine = count_received(demo_warehouse, start, end, district="Peshawar")
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        other = con.execute(
            "select district from marts.inquiries where district <> 'Peshawar'"
            " and received_date between ? and ? group by 1 having count(*) <> ?"
            " order by count(*) desc limit 1",
            [start, end, mine],
        ).fetchone()[0]
    app.session_state["filters_districts"] = [other]
    run(app)
    shown = as_int(value_of(app, "R1"))
    assert shown != count_received(demo_warehouse, start, end, district=other)
    assert shown in (0, mine)


def test_admins_review_the_audit_log_and_nobody_else_can(app: AppTest) -> None:
    run(login(app, "admin"))
    app.switch_page("pages/response_times.py")  # a row-level page: its view is audited
    run(app)
    app.switch_page("pages/audit_log.py")
    run(app)
    assert any(t.value == "Audit log" for t in app.title)
    table = app.dataframe[0].value
    mine = table[table["username"] == "admin"]
    assert "view_rows" in set(mine["action"])
    assert "page Response times" in set(mine["what"])

    other = run(login(AppTest.from_file(str(APP), default_timeout=90), "ig_office"))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        other.switch_page("pages/audit_log.py")
