"""Users, login, throttling, sessions and the audit log, on a real SQLite file.

Every rule that depends on time reads an injected clock (``FakeClock``):
nothing here sleeps or measures a duration.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from auth import audit, cli, sessions, throttle, users
from tests.auth_support import DEMO_PASSWORD, FakeClock

ROOT = Path(__file__).resolve().parent.parent
RIGHT = "a right password 42"
WRONG = "a wrong password 42"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KP_SECRET_DIR", str(tmp_path / "secret"))
    path = tmp_path / "users.sqlite"
    monkeypatch.setenv("KP_USERS_DB", str(path))
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def add(
    db: Path, name: str = "amina", role: str = "ig_office", now: FakeClock | None = None
) -> users.User:
    return users.add_user(name, RIGHT, role, path=db, now=now or FakeClock())


# Users and passwords ---------------------------------------------------------


def test_a_new_install_has_no_users_and_no_default_password(db: Path) -> None:
    assert users.list_users(path=db) == []
    for name, password in [("admin", "admin"), ("admin", ""), ("admin", "password"), ("root", "")]:
        assert not users.authenticate(name, password, path=db).ok


def test_passwords_are_stored_only_as_argon2id_hashes(db: Path) -> None:
    add(db)
    with sqlite3.connect(db) as con:
        stored = con.execute("select password_hash from users").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert RIGHT not in stored
    for file in db.parent.glob("users.sqlite*"):
        assert RIGHT.encode() not in file.read_bytes()
    assert db.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_right_password_logs_in_and_wrong_one_is_refused(db: Path, clock: FakeClock) -> None:
    add(db)
    refused = users.authenticate("amina", WRONG, address="10.0.0.1", path=db, now=clock)
    assert not refused.ok and refused.user is None
    assert refused.message == "Wrong username or password."
    accepted = users.authenticate("Amina ", RIGHT, address="10.0.0.1", path=db, now=clock)
    assert accepted.ok and accepted.user is not None
    assert accepted.user.username == "amina" and accepted.user.role == "ig_office"
    assert users.get_user("amina", path=db).last_login_at == clock()


def test_unknown_and_disabled_users_look_like_a_wrong_password(db: Path) -> None:
    add(db)
    users.set_disabled("amina", path=db)
    disabled = users.authenticate("amina", RIGHT, path=db)
    unknown = users.authenticate("nobody", RIGHT, path=db)
    wrong = users.authenticate("amina", WRONG, path=db)
    assert not disabled.ok and not unknown.ok and not wrong.ok
    assert disabled.message == unknown.message == wrong.message
    users.set_disabled("amina", False, path=db)
    assert users.authenticate("amina", RIGHT, path=db).ok


def test_the_sixth_rapid_attempt_is_throttled_even_with_the_right_password(
    db: Path, clock: FakeClock
) -> None:
    add(db)
    first = clock()
    for _ in range(5):
        result = users.authenticate("amina", WRONG, address="10.0.0.1", path=db, now=clock)
        assert result.outcome == users.WRONG
        clock.advance(seconds=2)
    sixth = users.authenticate("amina", RIGHT, address="10.0.0.1", path=db, now=clock)
    assert sixth.outcome == users.THROTTLED and not sixth.ok
    assert sixth.retry_at == first + throttle.DEFAULT_LIMITS.window
    assert "Too many failed attempts" in sixth.message
    # From another address too: the limit is per user.
    assert not users.authenticate("amina", RIGHT, address="10.9.9.9", path=db, now=clock).ok
    clock.at = first + throttle.DEFAULT_LIMITS.window - timedelta(seconds=1)
    assert not users.authenticate("amina", RIGHT, path=db, now=clock).ok
    clock.at = first + throttle.DEFAULT_LIMITS.window + timedelta(seconds=1)
    assert users.authenticate("amina", RIGHT, address="10.0.0.1", path=db, now=clock).ok


def test_a_successful_login_clears_the_users_failures(db: Path, clock: FakeClock) -> None:
    add(db)
    for _ in range(2):
        for _ in range(4):
            assert not users.authenticate("amina", WRONG, path=db, now=clock).ok
            clock.advance(seconds=1)
        # 8 failures in all, but never 5 without a success between.
        assert users.authenticate("amina", RIGHT, path=db, now=clock).ok


def test_one_address_is_throttled_across_usernames(db: Path, clock: FakeClock) -> None:
    add(db)
    limit = throttle.DEFAULT_LIMITS.per_address
    for n in range(limit):
        # A different username each time: no single user reaches its limit.
        users.authenticate(f"guess{n}", WRONG, address="203.0.113.7", path=db, now=clock)
        clock.advance(seconds=1)
    assert not users.authenticate("amina", RIGHT, address="203.0.113.7", path=db, now=clock).ok
    assert users.authenticate("amina", RIGHT, address="198.51.100.2", path=db, now=clock).ok


def test_a_password_typed_as_username_is_never_stored_readable(db: Path) -> None:
    add(db)
    secret = "MyOwnSecretPassphrase99"
    users.authenticate(secret, "whatever", address="10.0.0.1", path=db)
    entry = audit.entries(action=audit.LOGIN_FAILED, path=db)[0]
    assert secret.lower() not in entry.username.lower()
    assert entry.username.startswith("unknown user #")
    for file in db.parent.glob("users.sqlite*"):
        assert secret.lower().encode() not in file.read_bytes().lower()


def test_bad_requests_are_refused_in_one_line(db: Path) -> None:
    add(db)
    with pytest.raises(users.UserError, match="already exists"):
        add(db)
    with pytest.raises(users.UserError, match="at least 12"):
        users.add_user("bilal", "short", "donor", path=db)
    with pytest.raises(users.UserError, match="must not be the username"):
        users.add_user("bilal.khan.1", "Bilal.Khan.1", "donor", path=db)
    with pytest.raises(users.UserError, match="unknown role"):
        users.add_user("bilal", RIGHT, "superuser", path=db)
    with pytest.raises(users.UserError, match="needs exactly one of --district or --region"):
        users.add_user("bilal", RIGHT, "district_officer", path=db)
    with pytest.raises(users.UserError, match="unknown district 'Atlantis'"):
        users.add_user("bilal", RIGHT, "district_officer", district="Atlantis", path=db)
    with pytest.raises(users.UserError, match="not limited to a district"):
        users.add_user("bilal", RIGHT, "donor", district="Peshawar", path=db)
    with pytest.raises(users.UserError, match="username is 2-40"):
        users.add_user("x y", RIGHT, "donor", path=db)
    with pytest.raises(users.UserError, match="no user ghost"):
        users.reset_password("ghost", RIGHT, path=db)
    assert [u.username for u in users.list_users(path=db)] == ["amina"]


def test_scopes_are_stored_in_the_reference_spelling(db: Path) -> None:
    officer = users.add_user("dpo", RIGHT, "district_officer", district="peshawar", path=db)
    rpo = users.add_user("rpo", RIGHT, "district_officer", region="MARDAN", path=db)
    assert (officer.scope_kind, officer.scope_value) == ("district", "Peshawar")
    assert (rpo.scope_kind, rpo.scope_value) == ("region", "Mardan")
    assert officer.scope_text == "district Peshawar"


def test_reset_password_replaces_the_old_one(db: Path) -> None:
    add(db)
    users.reset_password("amina", "a brand new password", path=db)
    assert not users.authenticate("amina", RIGHT, path=db).ok
    assert users.authenticate("amina", "a brand new password", path=db).ok


# Sessions -----------------------------------------------------------------------


def test_a_session_expires_after_inactivity(db: Path, clock: FakeClock) -> None:
    user = add(db)
    session = sessions.start(user, now=clock)
    idle = timedelta(minutes=30)
    clock.advance(minutes=29)
    resumed = sessions.resume(session, now=clock, idle=idle, path=db)
    assert resumed.session is not None and resumed.session.last_seen_at == clock()
    clock.advance(minutes=29)  # active 29 minutes ago: still on
    resumed = sessions.resume(resumed.session, now=clock, idle=idle, path=db)
    assert resumed.session is not None
    clock.advance(minutes=31)
    ended = sessions.resume(resumed.session, now=clock, idle=idle, path=db)
    assert ended.session is None and ended.ended == sessions.EXPIRED


def test_a_session_ends_after_twelve_hours_however_active(db: Path, clock: FakeClock) -> None:
    session = sessions.start(add(db), now=clock)
    for _ in range(12 * 4):
        clock.advance(minutes=15)
        session = sessions.resume(session, now=clock, path=db).session
        assert session is not None
    clock.advance(minutes=1)
    assert sessions.resume(session, now=clock, path=db).ended == sessions.EXPIRED


def test_the_idle_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KP_SESSION_IDLE_MINUTES", "5")
    assert sessions.idle_timeout() == timedelta(minutes=5)
    monkeypatch.setenv("KP_SESSION_IDLE_MINUTES", "0")
    with pytest.raises(ValueError, match="KP_SESSION_IDLE_MINUTES"):
        sessions.idle_timeout()


def test_disabling_or_a_new_password_ends_open_sessions(db: Path, clock: FakeClock) -> None:
    user = add(db)
    session = sessions.start(user, now=clock)
    clock.advance(minutes=1)
    users.set_disabled("amina", path=db)
    assert sessions.resume(session, now=clock, path=db).ended == sessions.REVOKED
    users.set_disabled("amina", False, path=db)
    session = sessions.start(user, now=clock)
    clock.advance(minutes=1)
    users.reset_password("amina", "another good password", path=db, now=clock)
    assert sessions.resume(session, now=clock, path=db).ended == sessions.REVOKED


# Audit ----------------------------------------------------------------------------


def test_logins_and_failures_are_audited(db: Path, clock: FakeClock) -> None:
    add(db)
    users.authenticate("amina", WRONG, address="10.0.0.1", path=db, now=clock)
    clock.advance(seconds=5)
    users.authenticate("amina", RIGHT, address="10.0.0.1", path=db, now=clock)
    latest, failed, added = audit.entries(limit=3, path=db)
    assert (latest.action, latest.username, latest.address) == ("login", "amina", "10.0.0.1")
    assert latest.at == clock() and latest.scope == "all districts"
    assert (failed.action, failed.username) == ("login_failed", "amina")
    assert added.action == "user_added" and added.what == "amina as ig_office"


def test_the_audit_log_is_append_only(db: Path) -> None:
    audit.record(audit.DOWNLOAD, username="amina", what="overdue.csv (12 rows)", path=db)
    with sqlite3.connect(db) as con:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("update audit_log set username = 'someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("delete from audit_log")
    assert [e.username for e in audit.entries(path=db)] == ["amina"]


def test_audit_entries_never_hold_personal_numbers(db: Path) -> None:
    audit.record(
        audit.VIEW_PERSONAL,
        username="amina",
        what="row 7: Ali 0300-1234567 17301-1234567-1 ali@example.pk",
        path=db,
    )
    what = audit.entries(path=db)[0].what
    assert "1234567" not in what and "@" not in what
    assert what.startswith("row 7: Ali ")
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record("delete_everything", username="amina", path=db)


def test_audit_entries_filter_by_user_and_action(db: Path, clock: FakeClock) -> None:
    for name, action in [("a", audit.LOAD), ("b", audit.DOWNLOAD), ("a", audit.DOWNLOAD)]:
        audit.record(action, username=name, path=db, now=clock)
        clock.advance(minutes=1)
    assert [e.action for e in audit.entries(username="a", path=db)] == ["download", "load"]
    assert [e.username for e in audit.entries(action="download", path=db)] == ["a", "b"]
    assert len(audit.entries(since=clock() - timedelta(minutes=2), path=db)) == 2


# The command -----------------------------------------------------------------------


def test_the_command_manages_users(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(DEMO_PASSWORD + "\n"))
    assert cli.main(["add", "dpo.peshawar", "--role", "district_officer", "--district",
                     "Peshawar", "--password-stdin"]) == 0  # fmt: skip
    assert "Added dpo.peshawar (district_officer, district Peshawar)" in capsys.readouterr().out
    assert users.authenticate("dpo.peshawar", DEMO_PASSWORD, path=db).ok

    assert cli.main(["reset-password", "dpo.peshawar", "--generate"]) == 0
    generated = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
    assert len(generated) == cli.GENERATED_LENGTH
    assert users.authenticate("dpo.peshawar", generated, path=db).ok
    assert not users.authenticate("dpo.peshawar", DEMO_PASSWORD, path=db).ok

    assert cli.main(["disable", "dpo.peshawar"]) == 0
    assert not users.authenticate("dpo.peshawar", generated, path=db).ok
    capsys.readouterr()
    assert cli.main(["list"]) == 0
    listing = capsys.readouterr().out
    assert "dpo.peshawar" in listing and "disabled" in listing
    assert cli.main(["audit", "--action", "user_disabled"]) == 0
    assert "dpo.peshawar" in capsys.readouterr().out


def test_the_command_never_invents_a_password_without_being_asked(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal, no option
    assert cli.main(["add", "root", "--role", "admin"]) == 1
    assert "use --password-stdin or --generate" in capsys.readouterr().err
    assert users.list_users(path=db) == []


def test_the_command_has_help_for_every_subcommand(db: Path) -> None:
    for args in ([], ["add"], ["reset-password"], ["disable"], ["enable"], ["list"], ["audit"]):
        done = subprocess.run(
            [sys.executable, "-m", "auth", *args, "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("usage: python -m auth")
