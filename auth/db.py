"""The users database: a small SQLite file beside the warehouse.

It holds the users (with argon2 password hashes), recent failed logins (for
throttling) and the audit log. It is NOT the warehouse: every load builds a
new warehouse file and swaps it in, which would wipe users and audit alike.

Path: ``KP_USERS_DB``, else ``data/users.sqlite`` (gitignored). The file is
created readable by its owner only (0600). WAL mode lets the dashboard's
sessions read while one of them writes (a login, an audit entry); writes
are short, and ``busy_timeout`` makes a second writer wait instead of fail.

The audit table is append-only in the database itself: triggers abort any
``update`` or ``delete`` on it, whoever issues them.

Schema changes are migrations: ``SCHEMA`` is version 1 as first released
(``create ... if not exists``), and ``MIGRATIONS[n]`` takes a database from
version n-1 to n. ``pragma user_version`` records the version reached; a
database of a newer version than the code knows is refused.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.config import DATA_DIR

SCHEMA_VERSION = 2

SCHEMA = """
create table if not exists users (
    username text primary key,
    display_name text not null default '',
    role text not null,
    scope_kind text check (scope_kind in ('district', 'region')),
    scope_value text,
    password_hash text not null,
    disabled integer not null default 0 check (disabled in (0, 1)),
    created_at text not null,
    password_changed_at text not null,
    last_login_at text
);

-- Failed logins, for throttling. ``key`` is a keyed hash of the username
-- typed or of the address, never the text itself (a password typed into the
-- username field must not sit here readable). Rows older than the window
-- are pruned.
create table if not exists login_failures (
    kind text not null check (kind in ('user', 'address')),
    key text not null,
    at text not null
);
create index if not exists login_failures_by_key on login_failures (kind, key, at);

create table if not exists audit_log (
    id integer primary key autoincrement,
    at text not null,
    username text not null,
    action text not null,
    what text not null default '',
    scope text not null default '',
    address text not null default ''
);
create index if not exists audit_log_by_time on audit_log (at);

create trigger if not exists audit_log_no_update before update on audit_log
begin
    select raise(abort, 'the audit log is append-only');
end;

create trigger if not exists audit_log_no_delete before delete on audit_log
begin
    select raise(abort, 'the audit log is append-only');
end;
"""

# Each migration, run once, in order, inside one write transaction with the
# version it reaches (so two processes starting at once never both run it).
MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 2: single sign-on (auth/oidc.py). A user may be linked to the email
    # address or the subject (``sub``) an OpenID Connect provider asserts;
    # each identity belongs to at most one user.
    2: (
        "alter table users add column oidc_email text",
        "alter table users add column oidc_subject text",
        "create unique index users_by_oidc_email on users (oidc_email)",
        "create unique index users_by_oidc_subject on users (oidc_subject)",
    ),
}

_ready: set[str] = set()
_ready_lock = threading.Lock()


def users_db_path() -> Path:
    """``KP_USERS_DB`` or ``data/users.sqlite``."""
    return Path(os.environ.get("KP_USERS_DB", DATA_DIR / "users.sqlite")).resolve()


def _create_private(path: Path) -> None:
    """Create the empty database file readable by its owner only.

    SQLite gives its ``-wal`` and ``-shm`` files the database file's mode, so
    they are private too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _ensure_schema(con: sqlite3.Connection, path: Path) -> None:
    key = str(path)
    with _ready_lock:
        if key in _ready and path.exists():
            return
        con.executescript(SCHEMA)
        with transaction(con):
            version = con.execute("pragma user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{path} was written by a newer version of the dashboard "
                    f"(schema {version}, this one knows {SCHEMA_VERSION}); upgrade the code."
                )
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS.get(step, ()):
                    con.execute(statement)
            if version != SCHEMA_VERSION:
                con.execute(f"pragma user_version = {SCHEMA_VERSION}")
        _ready.add(key)


@contextmanager
def connect(path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A short-lived connection to the users database (created on first use).

    Autocommit: each statement commits by itself; wrap several in
    ``with transaction(con):`` to make them one.
    """
    target = Path(path) if path is not None else users_db_path()
    _create_private(target)
    con = sqlite3.connect(target, timeout=10.0, isolation_level=None)
    try:
        con.execute("pragma journal_mode = wal")
        con.execute("pragma busy_timeout = 10000")
        con.execute("pragma foreign_keys = on")
        _ensure_schema(con, target)
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (``begin immediate``: takes the write lock first,
    so two logins never interleave a count and an insert)."""
    con.execute("begin immediate")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
