"""Demo users for the demo install: clearly named, passwords printed.

``python -m auth demo`` (run by ``scripts/dashboard.sh``, the first Quick
start command) creates one user per role, all named ``demo-…``, or gives
existing demo users a new password. Each password is made up on the spot
and printed, unless ``KP_DEMO_PASSWORD`` gives one password for all of them
(for automated checks). Nothing else creates users: a real install starts
with none, and ``python -m auth disable demo-admin`` (and the others) takes
the demo users out of a server that is no longer a demo.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from auth import users
from auth.passwords import generate_password


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    display_name: str
    district: str | None = None
    region: str | None = None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-admin", "admin", "Demo administrator"),
    DemoUser("demo-ig-office", "ig_office", "Demo IG office"),
    DemoUser("demo-pr-director", "pr_director", "Demo PR director"),
    DemoUser("demo-data-officer", "data_officer", "Demo data officer"),
    DemoUser("demo-dpo-peshawar", "district_officer", "Demo DPO Peshawar", district="Peshawar"),
    DemoUser("demo-rpo-mardan", "district_officer", "Demo RPO Mardan", region="Mardan"),
    DemoUser("demo-donor", "donor", "Demo donor"),
)


def ensure_demo_users(
    password: str | None = None, *, path: Path | None = None
) -> list[tuple[DemoUser, str]]:
    """Create (or re-enable with a new password) every demo user.

    ``password`` (else ``KP_DEMO_PASSWORD``) is used for all; without one,
    each gets a new random password. Returns (user, password) pairs."""
    shared = password or os.environ.get("KP_DEMO_PASSWORD") or None
    made: list[tuple[DemoUser, str]] = []
    for demo in DEMO_USERS:
        secret = shared or generate_password()
        existing = users.get_user(demo.username, path=path)
        if existing is None:
            users.add_user(
                demo.username,
                secret,
                demo.role,
                district=demo.district,
                region=demo.region,
                display_name=demo.display_name,
                by="demo setup",
                path=path,
            )
        else:
            users.reset_password(demo.username, secret, by="demo setup", path=path)
            if existing.disabled:
                users.set_disabled(demo.username, False, by="demo setup", path=path)
        made.append((demo, secret))
    return made


def demo_text(made: list[tuple[DemoUser, str]]) -> str:
    """The lines ``python -m auth demo`` prints."""
    lines = ["Demo users (for the demo only; a real install has none):"]
    for demo, secret in made:
        place = demo.district or demo.region
        who = f"{demo.role} ({place})" if place else demo.role
        lines.append(f"  {demo.username:<19} {who:<28} password: {secret}")
    return "\n".join(lines)
