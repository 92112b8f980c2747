"""The user store and logging in.

A user has a username (lower case, ``a-z 0-9 . _ -``), a role
(``auth.policy.ROLES``), for a district officer a scope (one district, or
a police region for an RPO), an argon2 password hash, and may be disabled.
There is no default user and no default password: a new install has no
users until ``python -m auth add`` creates the first admin.

``authenticate`` is the one way in with a password: it applies the throttle,
verifies the hash, and records the outcome in the audit log. A user may also
be linked to a single sign-on identity (an email address or an OpenID Connect
subject, ``link_identity``); ``auth.oidc`` logs them in by it. A user added
with an identity and no password (``NO_PASSWORD``) can only sign in that way.
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
from core.sql import quote_literal

USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")
DISPLAY_NAME_MAX = 80
# An email address as a provider asserts it: one @, no spaces, a dot in the domain.
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
SUBJECT_MAX = 255
# The stored "hash" of a user who has no password (single sign-on only): not
# an argon2 hash, so no password ever verifies against it.
NO_PASSWORD = "!no-password: single sign-on only"
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
    oidc_email: str | None = None
    oidc_subject: str | None = None
    has_password: bool = True

    @property
    def sso_linked(self) -> bool:
        """Linked to a single sign-on identity (email or subject)."""
        return bool(self.oidc_email or self.oidc_subject)

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
    " password_changed_at, last_login_at, oidc_email, oidc_subject,"
    f" password_hash <> {quote_literal(NO_PASSWORD)}"
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
        oidc_email=row[9],
        oidc_subject=row[10],
        has_password=bool(row[11]),
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


def normalise_email(email: str) -> str:
    return str(email).strip().lower()


def _valid_email(email: str | None) -> str | None:
    if email is None:
        return None
    value = normalise_email(email)
    if not EMAIL_RE.match(value):
        raise UserError("--oidc-email must be one email address, like name@police.example")
    return value


def _valid_subject(subject: str | None) -> str | None:
    if subject is None:
        return None
    value = str(subject).strip()
    if not value or len(value) > SUBJECT_MAX or any(c.isspace() for c in value):
        raise UserError(
            f"--oidc-subject must be the provider's subject id: 1-{SUBJECT_MAX} characters, "
            "no spaces"
        )
    return value


def _identity_taken(error: sqlite3.IntegrityError, name: str) -> UserError:
    """The message for a unique-constraint failure on insert or update."""
    text = str(error)
    if "oidc_email" in text:
        return UserError("that email address is already linked to another user")
    if "oidc_subject" in text:
        return UserError("that subject is already linked to another user")
    return UserError(f"user {name} already exists")


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
    password: str | None,
    role: str,
    *,
    district: str | None = None,
    region: str | None = None,
    display_name: str = "",
    oidc_email: str | None = None,
    oidc_subject: str | None = None,
    by: str = "command line",
    path: Path | None = None,
    now: Clock = utc_now,
) -> User:
    """Create a user; raises ``UserError`` (username taken, weak password,
    unknown role, a scope missing or not allowed, an identity malformed or
    linked to someone else). ``password`` None: single sign-on only, which
    needs ``oidc_email`` or ``oidc_subject``."""
    name = _valid_username(username)
    scope_kind, scope_value = _scope(role, district, region)
    display = " ".join(str(display_name).split())[:DISPLAY_NAME_MAX]
    email, subject = _valid_email(oidc_email), _valid_subject(oidc_subject)
    if password is None:
        if not (email or subject):
            raise UserError("a user without a password needs --oidc-email or --oidc-subject")
        password_hash = NO_PASSWORD
    else:
        password_hash = _checked_password(password, name)
    at = as_text(now())
    with connect(path) as con, transaction(con):
        try:
            con.execute(
                "insert into users (username, display_name, role, scope_kind, scope_value,"
                " password_hash, created_at, password_changed_at, oidc_email, oidc_subject)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    name,
                    display,
                    role,
                    scope_kind,
                    scope_value,
                    password_hash,
                    at,
                    at,
                    email,
                    subject,
                ],
            )
        except sqlite3.IntegrityError as error:
            raise _identity_taken(error, name) from None
        scope = f"{scope_kind} {scope_value}" if scope_kind else "all districts"
        how = " (single sign-on)" if email or subject else ""
        audit.record_in(
            con,
            audit.USER_ADDED,
            username=by,
            what=f"{name} as {role}{how}",
            scope=scope,
            at=now(),
        )
    user = get_user(name, path=path)
    assert user is not None
    return user


def link_identity(
    username: str,
    *,
    oidc_email: str | None = None,
    oidc_subject: str | None = None,
    unlink: bool = False,
    by: str = "command line",
    path: Path | None = None,
    now: Clock = utc_now,
) -> User:
    """Link a user to a single sign-on identity: the email, the subject or
    both given replace what was linked (what is not given stays). ``unlink``
    removes both. A user with no password cannot be unlinked (they could
    never log in again): reset their password first."""
    name = normalise_username(username)
    email, subject = _valid_email(oidc_email), _valid_subject(oidc_subject)
    if unlink == bool(email or subject):
        raise UserError("give --oidc-email and/or --oidc-subject, or --unlink alone")
    with connect(path) as con, transaction(con):
        _require(con, name)
        if unlink:
            (stored,) = con.execute(
                "select password_hash from users where username = ?", [name]
            ).fetchone()
            if stored == NO_PASSWORD:
                raise UserError(
                    f"{name} has no password: give them one with reset-password before unlinking"
                )
        try:
            con.execute(
                "update users set oidc_email = case when ? then ? else oidc_email end,"
                " oidc_subject = case when ? then ? else oidc_subject end where username = ?",
                [unlink or email is not None, email, unlink or subject is not None, subject, name],
            )
        except sqlite3.IntegrityError as error:
            raise _identity_taken(error, name) from None
        what = f"{name} unlinked from single sign-on" if unlink else f"{name} to single sign-on"
        audit.record_in(con, audit.USER_LINKED, username=by, what=what, at=now())
    user = get_user(name, path=path)
    assert user is not None
    return user


def find_by_identity(
    con: sqlite3.Connection, *, email: str | None, subject: str | None
) -> User | None:
    """The user linked to ``subject`` (tried first: it never changes), else
    to ``email`` (compared in lower case); None when neither is linked."""
    if subject:
        row = con.execute(
            f"select {_COLUMNS} from users where oidc_subject = ?", [str(subject)]
        ).fetchone()
        if row is not None:
            return _user(row)
    if email:
        row = con.execute(
            f"select {_COLUMNS} from users where oidc_email = ?", [normalise_email(email)]
        ).fetchone()
        if row is not None:
            return _user(row)
    return None


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
