"""Refusing rapid failed logins, per username and per address.

Rule: when a username has had ``per_user`` failed logins (default 5) within
the last ``window`` (default 15 minutes), the next attempt for it is refused
without checking the password, until the oldest of those failures is older
than the window. The same for one address with ``per_address`` (default 20,
higher because an office shares one address). So the sixth rapid attempt
at one account is refused, right password or not, for up to 15 minutes.

Refused attempts are not counted as failures: an attacker can keep an
account locked by retrying, but cannot lock it longer than the window after
their last counted failure. A successful login clears its username's
failures (not its address's).

Usernames and addresses are stored as keyed hashes (``core.privacy``): a
password typed into the username field never sits in the table readable.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from auth.clock import as_text, from_text
from core.privacy import keyed_hash

USER, ADDRESS = "user", "address"


@dataclass(frozen=True)
class Limits:
    per_user: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


DEFAULT_LIMITS = Limits()


def _key(kind: str, value: str) -> str:
    return keyed_hash(value.strip().casefold() or "(empty)", f"login-{kind}")


def _keys(username: str, address: str | None) -> list[tuple[str, str, int]]:
    keys = [(USER, _key(USER, username), 0)]
    if address:
        keys.append((ADDRESS, _key(ADDRESS, address), 1))
    return keys


def refused_until(
    con: sqlite3.Connection,
    username: str,
    address: str | None,
    now: datetime,
    limits: Limits = DEFAULT_LIMITS,
) -> datetime | None:
    """When attempts for ``username`` from ``address`` are allowed again, or
    None when they are allowed now."""
    since = as_text(now - limits.window)
    until: datetime | None = None
    for kind, key, which in _keys(username, address):
        limit = (limits.per_user, limits.per_address)[which]
        row = con.execute(
            "select at from login_failures where kind = ? and key = ? and at > ?"
            " order by at desc limit 1 offset ?",
            [kind, key, since, limit - 1],
        ).fetchone()
        if row is not None:
            # The ``limit``-th most recent failure: once it leaves the window,
            # fewer than ``limit`` remain in it.
            free_at = from_text(row[0]) + limits.window
            until = free_at if until is None else max(until, free_at)
    return until


def record_failure(
    con: sqlite3.Connection,
    username: str,
    address: str | None,
    now: datetime,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Count one failed login for the username and the address; drop old ones."""
    con.executemany(
        "insert into login_failures (kind, key, at) values (?, ?, ?)",
        [(kind, key, as_text(now)) for kind, key, _ in _keys(username, address)],
    )
    con.execute("delete from login_failures where at <= ?", [as_text(now - limits.window)])


def forget_user(con: sqlite3.Connection, username: str) -> None:
    """Clear a username's failures (after it logs in, or an admin resets it)."""
    con.execute(
        "delete from login_failures where kind = ? and key = ?", [USER, _key(USER, username)]
    )
