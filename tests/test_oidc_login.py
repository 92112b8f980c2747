"""Single sign-on (issue 13): an OpenID Connect identity mapped to our users.

No provider can be reached here, so the provider's side is what Streamlit's
AppTest lets a test state: the secrets' ``[auth]`` section and the claims
``st.user`` holds after a provider sent the visitor back. Everything after
that is real: the users database (a SQLite file per test), the mapping in
``auth.oidc``, the audit log, the login page and the sessions of the app.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from auth import audit, cli, db, oidc, sessions, users
from auth.clock import utc_now
from tests.auth_support import FakeClock
from tests.test_app import pin_navigation_mode, run
from ui.login import KEY_SESSION

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard.py"
PASSWORD = "a right password 42"
SECRETS = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret-that-is-long-enough-0123456789",
        "google": {
            "client_id": "kp-dashboard",
            "client_secret": "not-a-real-secret",
            "server_metadata_url": "https://accounts.example.org/.well-known/openid-configuration",
        },
    }
}


@pytest.fixture
def users_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "users.sqlite"
    monkeypatch.setenv("KP_USERS_DB", str(path))
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def claims(clock: FakeClock, **extra: object) -> dict[str, object]:
    """What ``st.user`` holds after a provider sent someone back: logged in,
    the provider's name and the token's claims."""
    return {
        "is_logged_in": True,
        "provider": "google",
        "iat": int(clock().timestamp()),
        **extra,
    }


def identity(clock: FakeClock, **extra: object) -> oidc.Identity:
    found = oidc.identity_from_claims(claims(clock, **extra))
    assert found is not None
    return found


def audit_rows(path: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(path) as con:
        return con.execute(
            "select username, action, what, scope from audit_log order by id"
        ).fetchall()


# The mapping (auth.oidc), without Streamlit ------------------------------------


def test_a_linked_enabled_user_gets_role_and_scope_from_our_database(
    users_db: Path, clock: FakeClock
) -> None:
    users.add_user(
        "officer",
        None,
        "district_officer",
        district="Peshawar",
        oidc_email="Officer@Police.Example",
        path=users_db,
        now=clock,
    )
    # The provider's claims say admin and another district: they count for nothing.
    who = identity(clock, email="OFFICER@police.example", role="admin", district="Swat")
    result = oidc.authenticate_identity(who, address="10.0.0.7", path=users_db, now=clock)
    assert result.ok and result.user is not None
    assert (result.user.username, result.user.role) == ("officer", "district_officer")
    assert (result.user.scope_kind, result.user.scope_value) == ("district", "Peshawar")
    assert users.get_user("officer", path=users_db).last_login_at == clock()
    assert audit_rows(users_db)[-1] == (
        "officer",
        audit.LOGIN,
        "single sign-on (google)",
        "district Peshawar",
    )


def test_the_subject_maps_too_and_wins_over_the_email(users_db: Path, clock: FakeClock) -> None:
    users.add_user("by-sub", None, "ig_office", oidc_subject="1234567890", path=users_db)
    users.add_user("by-mail", None, "donor", oidc_email="shared@police.example", path=users_db)
    who = identity(clock, sub="1234567890", email="shared@police.example")
    result = oidc.authenticate_identity(who, path=users_db, now=clock)
    assert result.ok and result.user is not None and result.user.username == "by-sub"


def test_an_unknown_identity_is_refused_and_audited_without_its_email(
    users_db: Path, clock: FakeClock
) -> None:
    users.add_user("officer", PASSWORD, "ig_office", oidc_email="a@police.example", path=users_db)
    result = oidc.authenticate_identity(
        identity(clock, email="stranger@elsewhere.example", sub="x-1"),
        address="10.0.0.9",
        path=users_db,
        now=clock,
    )
    assert not result.ok and result.user is None and result.outcome == oidc.UNLINKED
    assert "no dashboard account is linked" in result.message
    username, action, what, _ = audit_rows(users_db)[-1]
    assert action == audit.LOGIN_FAILED
    assert username.startswith("unknown identity #")
    assert what == "single sign-on (google): unlinked"
    with sqlite3.connect(users_db) as con:
        stored = " ".join(str(v) for row in con.execute("select * from audit_log") for v in row)
    assert "stranger" not in stored and "elsewhere" not in stored


def test_a_disabled_user_is_refused_and_audited(users_db: Path, clock: FakeClock) -> None:
    users.add_user("officer", None, "ig_office", oidc_email="a@police.example", path=users_db)
    users.set_disabled("officer", path=users_db)
    result = oidc.authenticate_identity(
        identity(clock, email="a@police.example"), path=users_db, now=clock
    )
    assert not result.ok and result.outcome == oidc.DISABLED
    assert result.message == "Your dashboard account is disabled. Ask an administrator."
    assert audit_rows(users_db)[-1][:3] == (
        "officer",
        audit.LOGIN_FAILED,
        "single sign-on (google): disabled",
    )


def test_an_email_the_provider_has_not_verified_opens_nothing(
    users_db: Path, clock: FakeClock
) -> None:
    users.add_user("officer", None, "ig_office", oidc_email="a@police.example", path=users_db)
    for flag in (False, "false"):
        result = oidc.authenticate_identity(
            identity(clock, email="a@police.example", email_verified=flag),
            path=users_db,
            now=clock,
        )
        assert result.outcome == oidc.UNVERIFIED
    verified = identity(clock, email="a@police.example", email_verified=True)
    assert oidc.authenticate_identity(verified, path=users_db, now=clock).ok


def test_a_sign_in_older_than_a_login_may_last_is_refused(users_db: Path, clock: FakeClock) -> None:
    users.add_user("officer", None, "ig_office", oidc_email="a@police.example", path=users_db)
    who = identity(clock, email="a@police.example")
    clock.advance(hours=11, minutes=59)
    assert oidc.authenticate_identity(who, path=users_db, now=clock).ok
    clock.advance(minutes=2)  # 12 hours and a minute after the provider issued it
    assert oidc.authenticate_identity(who, path=users_db, now=clock).outcome == oidc.EXPIRED


def test_claims_that_are_not_a_login_are_no_identity() -> None:
    assert oidc.identity_from_claims({}) is None
    assert oidc.identity_from_claims({"email": "test@example.com"}) is None
    assert oidc.identity_from_claims({"is_logged_in": False, "email": "a@b.example"}) is None


def test_providers_come_from_complete_auth_sections_only() -> None:
    section = SECRETS["auth"]
    assert oidc.providers_from_secrets(section) == (oidc.Provider("google", "Google"),)
    default = {**section, "client_id": "c", "client_secret": "s", "server_metadata_url": "u"}
    assert [p.button for p in oidc.providers_from_secrets(default)] == [
        "Log in with single sign-on",
        "Log in with Google",
    ]
    assert oidc.providers_from_secrets(None) == ()
    assert oidc.providers_from_secrets({**section, "cookie_secret": ""}) == ()
    incomplete = {**section, "okta": {"client_id": "c"}, "bad_name": section["google"]}
    assert oidc.providers_from_secrets(incomplete) == (oidc.Provider("google", "Google"),)


def test_a_sso_session_ends_when_its_user_is_unlinked(users_db: Path, clock: FakeClock) -> None:
    user = users.add_user(
        "officer", PASSWORD, "ig_office", oidc_email="a@police.example", path=users_db, now=clock
    )
    session = sessions.start(user, clock, method=sessions.SSO)
    assert sessions.resume(session, now=clock, path=users_db).session is not None
    users.link_identity("officer", unlink=True, path=users_db)
    assert sessions.resume(session, now=clock, path=users_db).ended == sessions.REVOKED
    # A password session of the same user goes on.
    password_session = sessions.start(users.get_user("officer", path=users_db), clock)
    assert sessions.resume(password_session, now=clock, path=users_db).session is not None


# The users database: the migration, the command ----------------------------------


def test_a_version_1_users_database_is_migrated_keeping_its_users(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite"
    with sqlite3.connect(path) as con:
        con.executescript(db.SCHEMA)  # the schema as version 1 shipped it
        con.execute("pragma user_version = 1")
        con.execute(
            "insert into users (username, role, password_hash, created_at, password_changed_at)"
            " values ('old-admin', 'admin', 'x', '2026-01-01T00:00:00+00:00',"
            " '2026-01-01T00:00:00+00:00')"
        )
    user = users.get_user("old-admin", path=path)
    assert user is not None and user.role == "admin" and not user.sso_linked
    with sqlite3.connect(path) as con:
        assert con.execute("pragma user_version").fetchone()[0] == db.SCHEMA_VERSION == 2
        columns = {row[1] for row in con.execute("pragma table_info(users)")}
    assert {"oidc_email", "oidc_subject"} <= columns
    users.link_identity("old-admin", oidc_email="admin@police.example", path=path)
    assert users.get_user("old-admin", path=path).oidc_email == "admin@police.example"


def test_the_command_adds_links_and_lists_single_sign_on_users(
    users_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ["--db", str(users_db), "add", "sso-officer", "--role", "district_officer"]
    assert cli.main([*add, "--district", "Peshawar", "--oidc-email", "SSO@Police.example"]) == 0
    assert "single sign-on only" in capsys.readouterr().out
    user = users.get_user("sso-officer", path=users_db)
    assert user is not None and user.oidc_email == "sso@police.example"
    assert not user.has_password
    for password in ("", PASSWORD, users.NO_PASSWORD):
        assert not users.authenticate("sso-officer", password, path=users_db).ok

    # One identity, one user.
    assert cli.main(["--db", str(users_db), "add", "other", "--role", "donor",
                     "--oidc-email", "sso@police.example"]) == 1  # fmt: skip
    assert "already linked to another user" in capsys.readouterr().err
    assert users.get_user("other", path=users_db) is None

    # Linking and unlinking; a user without a password cannot be unlinked.
    assert cli.main(["--db", str(users_db), "link", "sso-officer", "--oidc-subject", "s-1"]) == 0
    linked = users.get_user("sso-officer", path=users_db)
    assert (linked.oidc_email, linked.oidc_subject) == ("sso@police.example", "s-1")
    assert cli.main(["--db", str(users_db), "link", "sso-officer", "--unlink"]) == 1
    assert "reset-password" in capsys.readouterr().err
    assert cli.main(["--db", str(users_db), "link", "sso-officer", "--oidc-email", "bad"]) == 1

    assert cli.main(["--db", str(users_db), "list"]) == 0
    listing = capsys.readouterr().out
    assert "sign-in" in listing.splitlines()[0]
    assert listing.splitlines()[1].endswith(" sso sso@police.example, s-1")
    actions = [row[1] for row in audit_rows(users_db)]
    assert actions.count(audit.USER_ADDED) == 1 and actions.count(audit.USER_LINKED) == 1


# The login page and the app (AppTest) --------------------------------------------


def settings_with_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """The project's settings with ``login: <mode>`` added."""
    source = ROOT / "data" / "config" / "settings.yaml"
    target = tmp_path / "settings.yaml"
    target.write_text(source.read_text(encoding="utf-8") + f"\nlogin: {mode}\n", encoding="utf-8")
    monkeypatch.setenv("KP_SETTINGS", str(target))


@pytest.fixture
def app(users_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    pin_navigation_mode(monkeypatch)
    return AppTest.from_file(str(APP), default_timeout=90)


def labels(at: AppTest) -> tuple[set[str], set[str]]:
    return {b.label for b in at.button}, {t.label for t in at.text_input}


def test_login_oidc_offers_only_the_provider(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_with_login(tmp_path, monkeypatch, "oidc")
    app.secrets = SECRETS
    run(app)
    buttons, inputs = labels(app)
    assert "Log in with Google" in buttons
    assert "Password" not in inputs and "Username" not in inputs and "Log in" not in buttons


def test_login_both_offers_the_provider_beside_the_form(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_with_login(tmp_path, monkeypatch, "both")
    app.secrets = SECRETS
    run(app)
    buttons, inputs = labels(app)
    assert {"Log in with Google", "Log in"} <= buttons
    assert {"Username", "Password"} <= inputs


def test_no_provider_configured_means_the_plain_form(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_with_login(tmp_path, monkeypatch, "password")
    app.secrets = SECRETS  # configured, but the settings say password
    run(app)
    buttons, inputs = labels(app)
    assert not any(b.startswith("Log in with") for b in buttons)
    assert {"Username", "Password"} <= inputs


def test_an_identity_back_from_the_provider_opens_the_app_as_our_user(
    app: AppTest,
    users_db: Path,
    demo_warehouse: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KP_WAREHOUSE", str(demo_warehouse))
    settings_with_login(tmp_path, monkeypatch, "oidc")
    users.add_user(
        "sso-officer",
        None,
        "district_officer",
        district="Peshawar",
        oidc_email="sso.officer@police.example",
        path=users_db,
    )
    app.secrets = SECRETS
    app.user = claims(FakeClock(utc_now()), email="sso.officer@police.example")
    run(app)
    session = app.session_state[KEY_SESSION]
    assert (session.username, session.role, session.scope_value, session.method) == (
        "sso-officer",
        "district_officer",
        "Peshawar",
        sessions.SSO,
    )
    assert "Password" not in labels(app)[1]
    assert any(b.label == "Log out" for b in app.sidebar.button)
    assert ("sso-officer", audit.LOGIN) in [row[:2] for row in audit_rows(users_db)]

    # Idle too long: the session ends, and Streamlit's identity cookie goes
    # too (st.logout), so the next run does not log the same person in again.
    app.session_state[KEY_SESSION] = replace(
        session, last_seen_at=session.last_seen_at - timedelta(hours=1)
    )
    run(app)
    assert app.user.get("is_logged_in") is False
    run(app)
    assert KEY_SESSION not in app.session_state
    assert ("sso-officer", audit.SESSION_EXPIRED) in [row[:2] for row in audit_rows(users_db)]
    assert "Log in with Google" in labels(app)[0]


def test_an_unlinked_identity_gets_the_login_page_and_a_reason(
    app: AppTest, users_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_with_login(tmp_path, monkeypatch, "oidc")
    app.secrets = SECRETS
    app.user = claims(FakeClock(utc_now()), email="nobody@elsewhere.example")
    run(app)
    assert KEY_SESSION not in app.session_state
    assert any("no dashboard account is linked" in e.value for e in app.error)
    assert {"Log in with Google", "Sign out of the provider"} <= labels(app)[0]
    run(app)  # not tried (nor audited) again in the same session
    refusals = [row for row in audit_rows(users_db) if row[1] == audit.LOGIN_FAILED]
    assert len(refusals) == 1 and refusals[0][0].startswith("unknown identity #")


def test_logging_out_of_a_sso_session_drops_the_providers_identity(
    app: AppTest,
    users_db: Path,
    demo_warehouse: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KP_WAREHOUSE", str(demo_warehouse))
    settings_with_login(tmp_path, monkeypatch, "both")
    users.add_user("sso-ig", None, "ig_office", oidc_subject="sub-42", path=users_db)
    app.secrets = SECRETS
    app.user = claims(FakeClock(utc_now()), sub="sub-42")
    run(app)
    assert app.session_state[KEY_SESSION].username == "sso-ig"
    next(b for b in app.sidebar.button if b.label == "Log out").click()
    run(app)
    assert app.user.get("is_logged_in") is False
    assert KEY_SESSION not in app.session_state
    assert {"Username", "Password"} <= labels(app)[1]
    assert ("sso-ig", audit.LOGOUT) in [row[:2] for row in audit_rows(users_db)]
