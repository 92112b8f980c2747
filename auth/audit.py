"""The audit log: who did what, when, within which scope.

Recorded: logins (by password or single sign-on), failed, refused and
throttled logins, logouts and expired sessions, views of row-level data,
downloads, data loads and rollbacks, and every change to users. Entries
live in ``audit_log`` of the users database (``auth.db``), which refuses
any update or delete: the log only grows.

``what`` describes the action (a page, a file name, a row count) and must
never carry personal data; as a second line of defence it is passed
through ``core.privacy.redact`` (CNIC, phone numbers, emails removed) and
cut to ``WHAT_MAX`` characters before it is stored.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from auth.clock import Clock, as_text, from_text, utc_now
from auth.db import connect
from core.privacy import redact

LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGIN_THROTTLED = "login_throttled"
LOGOUT = "logout"
SESSION_EXPIRED = "session_expired"
VIEW_ROWS = "view_rows"
VIEW_PERSONAL = "view_personal"
DOWNLOAD = "download"
LOAD = "load"
ROLLBACK = "rollback"
PURGE = "purge"  # retention: raw personal data blanked (python -m etl purge-personal)
PAGE_REFUSED = "page_refused"
USER_ADDED = "user_added"
USER_DISABLED = "user_disabled"
USER_ENABLED = "user_enabled"
PASSWORD_RESET = "password_reset"
USER_LINKED = "user_linked"  # linked to (or unlinked from) a single sign-on identity
ACTIONS: frozenset[str] = frozenset(
    {
        LOGIN,
        LOGIN_FAILED,
        LOGIN_THROTTLED,
        LOGOUT,
        SESSION_EXPIRED,
        VIEW_ROWS,
        VIEW_PERSONAL,
        DOWNLOAD,
        LOAD,
        ROLLBACK,
        PURGE,
        PAGE_REFUSED,
        USER_ADDED,
        USER_DISABLED,
        USER_ENABLED,
        PASSWORD_RESET,
        USER_LINKED,
    }
)
WHAT_MAX = 500


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    username: str
    action: str
    what: str
    scope: str
    address: str


def _clean(text: object, limit: int) -> str:
    return redact(" ".join(str(text or "").split()))[:limit]


def record_in(
    con: sqlite3.Connection,
    action: str,
    *,
    username: str,
    what: str = "",
    scope: str = "",
    address: str | None = None,
    at: datetime,
) -> None:
    """Append one entry on an open users-database connection (inside the
    caller's transaction, so a change and its audit entry commit together)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    con.execute(
        "insert into audit_log (at, username, action, what, scope, address)"
        " values (?, ?, ?, ?, ?, ?)",
        [
            as_text(at),
            _clean(username, 80) or "(nobody)",
            action,
            _clean(what, WHAT_MAX),
            _clean(scope, 200),
            _clean(address, 64),
        ],
    )


def record(
    action: str,
    *,
    username: str,
    what: str = "",
    scope: str = "",
    address: str | None = None,
    path: Path | None = None,
    now: Clock = utc_now,
) -> None:
    """Append one entry to the audit log."""
    with connect(path) as con:
        record_in(con, action, username=username, what=what, scope=scope, address=address, at=now())


def entries(
    *,
    limit: int = 500,
    username: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    path: Path | None = None,
) -> list[Entry]:
    """The latest entries, newest first, optionally of one user or action
    or since an instant."""
    sql = "select id, at, username, action, what, scope, address from audit_log where true"
    params: list[object] = []
    if username is not None:
        sql += " and username = ?"
        params.append(username)
    if action is not None:
        sql += " and action = ?"
        params.append(action)
    if since is not None:
        sql += " and at >= ?"
        params.append(as_text(since))
    sql += " order by id desc limit ?"
    params.append(int(limit))
    with connect(path) as con:
        rows = con.execute(sql, params).fetchall()
    return [Entry(r[0], from_text(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in rows]
