"""The user store and logging in.

A user has a username (lower case, ``a-z 0-9 . _ -``), a role
(``auth.policy.ROLES``), for a district officer a scope (one district, or
a police region for an RPO), an argon2 password hash, and may be disabled.
There is no default user and no default password: a new install has no
users until ``python -m auth add`` creates the first admin.

``authenticate`` is the one way in: it applies the throttle, verifies the
hash, and records the outcome in the audit log.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from auth import audit, passwords, policy, throttle
from auth.clock import Clock, as_text, from_text, utc_now
from auth.db import connect, transaction
from core.privacy import keyed_hash

USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")
DISPLAY_NAME_MAX = 80
_KARACHI = ZoneInfo("Asia/Karachi")


class UserError(ValueError):
    """A user-store request that cannot be done, in one line."""


@dataclass(frozen=True)
class User:
    """A user as stored, without the password hash."""

    username: str
    role: str
    scope_kind: str | None
    scope_value: str | None
    display_name: str
    disabled: bool
    created_at: datetime
    password_changed_at: datetime
    last_login_at: datetime | None

    @property
    def scope_text(self) -> str:
        """``district Peshawar``, ``region Mardan`` or ``all districts``."""
        if not policy.policy_of(self.role).scoped:
            return "all districts"
        if self.scope_kind and self.scope_value:
            return f"{self.scope_kind} {self.scope_value}"
        return "no district (scope missing)"

    @property
    def label(self) -> str:
        return self.display_name or self.username


_COLUMNS = (
    "username, role, scope_kind, scope_value, display_name, disabled, created_at,"
    " password_changed_at, last_login_at"
)


def _user(row: tuple) -> User:
    return User(
        username=row[0],
        role=row[1],
        scope_kind=row[2],
        scope_value=row[3],
        display_name=row[4],
        disabled=bool(row[5]),
        created_at=from_text(row[6]),
        password_changed_at=from_text(row[7]),
        last_login_at=from_text(row[8]),
    )


def normalise_username(username: str) -> str:
    return str(username).strip().lower()


def _valid_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise UserError(
            "a username is 2-40 characters: a letter, then letters, digits, '.', '_' or '-'"
        )
    return name


def _scope(role: str, district: str | None, region: str | None) -> tuple[str | None, str | None]:
    try:
        rules = policy.policy_of(role)
    except policy.UnknownRole as error:
        raise UserError(str(error)) from None
    if not rules.scoped:
        if district or region:
            raise UserError(
                f"role {role} is not limited to a district; give no --district or --region"
            )
        return None, None
    if bool(district) == bool(region):
        raise UserError(f"role {role} needs exactly one of --district or --region")
    kind, value = (policy.DISTRICT, district) if district else (policy.REGION, region)
    try:
        return kind, policy.canonical_scope(kind, str(value))
    except ValueError as error:
        raise UserError(str(error)) from None


def _checked_password(password: str, username: str) -> str:
    try:
        passwords.check_strength(password, username)
    except passwords.WeakPassword as error:
        raise UserError(str(error)) from None
    return passwords.hash_password(password)


def get_user(username: str, *, path: Path | None = None) -> User | None:
    with connect(path) as con:
        row = con.execute(
            f"select {_COLUMNS} from users where username = ?", [normalise_username(username)]
        ).fetchone()
    return _user(row) if row else None


def list_users(*, path: Path | None = None) -> list[User]:
    with connect(path) as con:
        rows = con.execute(f"select {_COLUMNS} from users order by username").fetchall()
    return [_user(row) for row in rows]


def add_user(
    username: str,
    password: str,
    role: str,
    *,
    district: str | None = None,
    region: str | None = None,
    display_name: str = "",
    by: str = "command line",
    path: Path | None = None,
    now: Clock = utc_now,
) -> User:
    """Create a user; raises ``UserError`` (username taken, weak password,
    unknown role, a scope missing or not allowed)."""
    name = _valid_username(username)
    scope_kind, scope_value = _scope(role, district, region)
    display = " ".join(str(display_name).split())[:DISPLAY_NAME_MAX]
    password_hash = _checked_password(password, name)
    at = as_text(now())
    with connect(path) as con, transaction(con):
        try:
            con.execute(
                "insert into users (username, display_name, role, scope_kind, scope_value,"
                " password_hash, created_at, password_changed_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                [name, display, role, scope_kind, scope_value, password_hash, at, at],
            )
        except sqlite3.IntegrityError:
            raise UserError(f"user {name} already exists") from None
        scope = f"{scope_kind} {scope_value}" if scope_kind else "all districts"
        audit.record_in(
            con, audit.USER_ADDED, username=by, what=f"{name} as {role}", scope=scope, at=now()
        )
    user = get_user(name, path=path)
    assert user is not None
    return user


def _require(con: sqlite3.Connection, name: str) -> None:
    if con.execute("select 1 from users where username = ?", [name]).fetchone() is None:
        raise UserError(f"no user {name}")


def set_disabled(
    username: str,
    disabled: bool = True,
    *,
    by: str = "command line",
    path: Path | None = None,
    now: Clock = utc_now,
) -> None:
    """Disable (or enable again) a user; a disabled user cannot log in, and a
    session already open ends at its next page run."""
    name = normalise_username(username)
    with connect(path) as con, transaction(con):
        _require(con, name)
        con.execute("update users set disabled = ? where username = ?", [int(disabled), name])
        action = audit.USER_DISABLED if disabled else audit.USER_ENABLED
        audit.record_in(con, action, username=by, what=name, at=now())


def reset_password(
    username: str,
    password: str,
    *,
    by: str = "command line",
    path: Path | None = None,
    now: Clock = utc_now,
) -> None:
    """Give a user a new password (and clear their failed-login count)."""
    name = normalise_username(username)
    password_hash = _checked_password(password, name)
    with connect(path) as con, transaction(con):
        _require(con, name)
        con.execute(
            "update users set password_hash = ?, password_changed_at = ? where username = ?",
            [password_hash, as_text(now()), name],
        )
        throttle.forget_user(con, name)
        audit.record_in(con, audit.PASSWORD_RESET, username=by, what=name, at=now())


# ---------------------------------------------------------------------------
# Logging in
# ---------------------------------------------------------------------------

OK, WRONG, THROTTLED = "ok", "wrong", "throttled"


@dataclass(frozen=True)
class LoginResult:
    """The outcome of one attempt. ``message`` is what the form shows: the
    same for an unknown user, a disabled one and a wrong password, so the
    form never says which usernames exist."""

    outcome: str
    user: User | None = None
    retry_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == OK

    @property
    def message(self) -> str:
        if self.outcome == OK:
            return ""
        if self.outcome == THROTTLED and self.retry_at is not None:
            return (
                "Too many failed attempts. Try again after "
                f"{self.retry_at.astimezone(_KARACHI):%H:%M} (Pakistan time)."
            )
        return "Wrong username or password."


def _audit_name(con: sqlite3.Connection, typed: str) -> str:
    """How a failed attempt's username goes into the audit log: as typed when
    it is a real user, else as a keyed hash (a password typed into the
    username field must not be stored)."""
    name = normalise_username(typed)
    if con.execute("select 1 from users where username = ?", [name]).fetchone():
        return name
    return f"unknown user #{keyed_hash(name, 'audit-username')[:12]}"


def authenticate(
    username: str,
    password: str,
    *,
    address: str | None = None,
    path: Path | None = None,
    now: Clock = utc_now,
    limits: throttle.Limits = throttle.DEFAULT_LIMITS,
) -> LoginResult:
    """Check a login attempt. Throttled attempts are refused before the
    password is looked at; every attempt is audited (login, login_failed,
    login_throttled)."""
    name = normalise_username(username)
    at = now()
    with connect(path) as con:
        until = throttle.refused_until(con, name, address, at, limits)
        if until is not None:
            audit.record_in(
                con, audit.LOGIN_THROTTLED, username=_audit_name(con, name), address=address, at=at
            )
            return LoginResult(THROTTLED, retry_at=until)
        row = con.execute(
            f"select {_COLUMNS}, password_hash from users where username = ?", [name]
        ).fetchone()
        # Verify even for an unknown user, so timing does not tell them apart.
        matches = passwords.verify(row[-1] if row else passwords.dummy_hash(), password)
        if row is None or not matches or bool(row[5]):
            with transaction(con):
                throttle.record_failure(con, name, address, at, limits)
                what = "account disabled" if row is not None and matches else ""
                audit.record_in(
                    con,
                    audit.LOGIN_FAILED,
                    username=_audit_name(con, name),
                    what=what,
                    address=address,
                    at=at,
                )
            return LoginResult(WRONG)
        user = _user(row[:-1])
        with transaction(con):
            if passwords.needs_rehash(row[-1]):
                con.execute(
                    "update users set password_hash = ? where username = ?",
                    [passwords.hash_password(password), name],
                )
            con.execute(
                "update users set last_login_at = ? where username = ?", [as_text(at), name]
            )
            throttle.forget_user(con, name)
            audit.record_in(
                con, audit.LOGIN, username=name, scope=user.scope_text, address=address, at=at
            )
    return LoginResult(OK, user=user)
