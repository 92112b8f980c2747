"""What the access-control tests share: a users database, a clock, demo users.

``KP_TEST_ROLE`` (or the ``role`` argument) chooses who the app tests are logged
in as; ``DEMO_PASSWORD`` is the password every test user gets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEMO_PASSWORD = "test-password-not-for-production"

# One user per role (district officers in Peshawar and in the Mardan region).
TEST_USERS: dict[str, dict[str, str | None]] = {
    "admin": {"role": "admin"},
    "ig_office": {"role": "ig_office"},
    "pr_director": {"role": "pr_director"},
    "data_officer": {"role": "data_officer"},
    "district_officer": {"role": "district_officer", "district": "Peshawar"},
    "rpo_mardan": {"role": "district_officer", "region": "Mardan"},
    "donor": {"role": "donor"},
}


@dataclass
class FakeClock:
    """A clock tests move by hand: ``clock()`` is now, ``clock.advance(minutes=5)``."""

    at: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


def make_users(path: Path) -> None:
    """Create ``TEST_USERS`` in the users database at ``path``."""
    from auth import users

    for name, spec in TEST_USERS.items():
        users.add_user(
            name,
            DEMO_PASSWORD,
            str(spec["role"]),
            district=spec.get("district"),
            region=spec.get("region"),
            path=path,
        )


def role_under_test() -> str:
    """The user app tests run as: ``KP_TEST_ROLE`` (a ``TEST_USERS`` name), else admin."""
    return os.environ.get("KP_TEST_ROLE", "admin")


def ensure_test_users() -> Path:
    """The test users in the users database ``KP_USERS_DB`` points at (made
    once; tests/conftest.py points it at a temporary file)."""
    from auth import users
    from auth.db import users_db_path

    path = users_db_path()
    if users.get_user("admin", path=path) is None:
        make_users(path)
    return path


def login(at, role: str | None = None):  # noqa: ANN001, ANN201  (AppTest in, AppTest out)
    """``at`` (a Streamlit ``AppTest`` not yet run) with a logged-in session for
    ``role`` (a ``TEST_USERS`` name; default ``KP_TEST_ROLE``, else admin).

    The session is put where the login form puts it (``ui.login.KEY_SESSION``),
    for a user that exists in the users database, so the app's own checks
    (expiry, disabled user, role policy) all still run."""
    from auth import sessions, users
    from ui.login import KEY_SESSION

    name = role or role_under_test()
    ensure_test_users()
    user = users.get_user(name)
    if user is None:
        raise KeyError(f"no test user {name!r}; choose one of {', '.join(TEST_USERS)}")
    at.session_state[KEY_SESSION] = sessions.start(user)
    return at
