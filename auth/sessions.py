"""A logged-in session and when it ends.

The session lives on the server (Streamlit's session state), never in the
browser: a browser refresh or a new tab starts a new Streamlit session,
which must log in again. It ends

* after ``KP_SESSION_IDLE_MINUTES`` (default 30) without a page run;
* ``MAX_AGE`` (12 hours) after login, however active;
* at the next page run after the user is disabled, deleted, given another
  role or scope, or a new password, or (for a single sign-on session)
  unlinked from their identity (each run re-reads the user);
* at logout.

A session records how it began (``method``: a password, or single sign-on
through ``auth.oidc``); the rules above are the same for both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from auth.clock import Clock, utc_now
from auth.users import User, get_user

DEFAULT_IDLE_MINUTES = 30
MAX_AGE = timedelta(hours=12)

EXPIRED, REVOKED = "expired", "revoked"
PASSWORD, SSO = "password", "sso"


def idle_timeout() -> timedelta:
    """``KP_SESSION_IDLE_MINUTES`` (a whole number >= 1), default 30 minutes."""
    raw = os.environ.get("KP_SESSION_IDLE_MINUTES", "").strip()
    if not raw:
        return timedelta(minutes=DEFAULT_IDLE_MINUTES)
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(
            f"KP_SESSION_IDLE_MINUTES must be a whole number of minutes >= 1, not {raw!r}"
        )
    return timedelta(minutes=int(raw))


@dataclass(frozen=True)
class LoginSession:
    """Who is logged in on this Streamlit session, and since when."""

    username: str
    role: str
    scope_kind: str | None
    scope_value: str | None
    scope_text: str
    label: str
    started_at: datetime
    last_seen_at: datetime
    method: str = PASSWORD

    def idle_expired(self, at: datetime, idle: timedelta) -> bool:
        return at - self.last_seen_at > idle or at - self.started_at > MAX_AGE


def start(user: User, now: Clock = utc_now, *, method: str = PASSWORD) -> LoginSession:
    """A new session for a user who just logged in (by ``method``)."""
    at = now()
    return LoginSession(
        username=user.username,
        role=user.role,
        scope_kind=user.scope_kind,
        scope_value=user.scope_value,
        scope_text=user.scope_text,
        label=user.label,
        started_at=at,
        last_seen_at=at,
        method=method,
    )


@dataclass(frozen=True)
class Resumed:
    """``session`` (touched) when it goes on; otherwise None and why it ended."""

    session: LoginSession | None
    ended: str | None = None


def resume(
    session: LoginSession,
    *,
    now: Clock = utc_now,
    idle: timedelta | None = None,
    path: Path | None = None,
) -> Resumed:
    """The session at the start of a page run: touched, or ended (expired or
    revoked). Checks the clock first, then the user as stored now."""
    at = now()
    if session.idle_expired(at, idle if idle is not None else idle_timeout()):
        return Resumed(None, EXPIRED)
    user = get_user(session.username, path=path)
    if (
        user is None
        or user.disabled
        or user.password_changed_at > session.started_at
        or (user.role, user.scope_kind, user.scope_value)
        != (session.role, session.scope_kind, session.scope_value)
        or (session.method == SSO and not user.sso_linked)
    ):
        return Resumed(None, REVOKED)
    return Resumed(replace(session, last_seen_at=at))
