"""Role policy: which pages each role opens, personal data, and data scope.

One table (``POLICIES``) says it all; the frame asks ``can_open`` before it
lists or runs a page, pages ask ``sees_personal_data`` before they show an
unmasked value, and every metrics query gets its ``Filters`` through
``scoped_filters`` (``ui.queries`` applies it), which ``metrics.scope``
then enforces in SQL.

Roles (issue 13):

* ``admin``: everything, including users, targets and the audit log;
* ``ig_office``: every dashboard page, all districts, no personal data;
* ``pr_director``: every dashboard page and data operations, all districts;
* ``data_officer``: data operations and the dashboard pages, all districts;
* ``district_officer``: the responsiveness pages of their own district (or
  region, for an RPO), nothing of any other;
* ``donor``: the scorecard's aggregate views and the monthly report only,
  published: every count after disclosure control
  (``metrics.published_scorecard``, ``metrics.report``), never a row-level
  table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from core.config import REFERENCE_DIR
from metrics.filters import Filters

ADMIN = "admin"
IG_OFFICE = "ig_office"
PR_DIRECTOR = "pr_director"
DATA_OFFICER = "data_officer"
DISTRICT_OFFICER = "district_officer"
DONOR = "donor"
ROLES: tuple[str, ...] = (ADMIN, IG_OFFICE, PR_DIRECTOR, DATA_OFFICER, DISTRICT_OFFICER, DONOR)

DISTRICT, REGION = "district", "region"


@dataclass(frozen=True)
class PageRule:
    """A page the policy knows. ``row_level``: it shows individual items
    (inquiries, posts, loads), not only aggregates."""

    key: str
    title: str
    row_level: bool


# Keys are the pages' url paths. Pages still to come are listed so the
# policy for them is decided here, before they exist.
PAGES: dict[str, PageRule] = {
    p.key: p
    for p in (
        PageRule("response_times", "Response times", row_level=True),
        PageRule("social_engagement", "Social engagement", row_level=True),
        PageRule("media", "Media", row_level=True),
        PageRule("outreach", "Outreach", row_level=True),
        PageRule("data", "Data", row_level=True),
        PageRule("scorecard", "Scorecard", row_level=False),
        PageRule("definitions", "Definitions", row_level=False),
        PageRule("monthly_report", "Monthly report", row_level=False),
        PageRule("users", "Users", row_level=True),
        PageRule("audit", "Audit log", row_level=True),
    )
}
DASHBOARD_PAGES = frozenset(
    {
        "response_times",
        "social_engagement",
        "media",
        "outreach",
        "scorecard",
        "monthly_report",
        "definitions",
    }
)
DISTRICT_PAGES = frozenset({"response_times", "scorecard", "monthly_report", "definitions"})
# The Overview as published (``RolePolicy.published``: the page asks
# ``metrics.published_scorecard`` for its figures after disclosure control),
# the monthly report (disclosure-controlled itself) and the definitions.
DONOR_PAGES = frozenset({"scorecard", "monthly_report", "definitions"})


@dataclass(frozen=True)
class RolePolicy:
    """What one role may do.

    ``personal_data``: may see personal values unmasked (quarantined rows);
    ``scoped``: sees only the districts of the user's scope (a role without
    a scope sees all districts); ``published``: sees figures only as
    published outside the police, after disclosure control (small counts
    and what rests on them withheld), on pages showing aggregates only.
    """

    role: str
    label: str
    pages: frozenset[str]
    personal_data: bool
    scoped: bool
    published: bool = False


POLICIES: dict[str, RolePolicy] = {
    p.role: p
    for p in (
        RolePolicy(ADMIN, "Administrator", frozenset(PAGES), personal_data=True, scoped=False),
        RolePolicy(IG_OFFICE, "IG office", DASHBOARD_PAGES, personal_data=False, scoped=False),
        RolePolicy(
            PR_DIRECTOR, "PR director", DASHBOARD_PAGES | {"data"}, personal_data=True, scoped=False
        ),
        RolePolicy(
            DATA_OFFICER,
            "Data officer",
            DASHBOARD_PAGES | {"data"},
            personal_data=True,
            scoped=False,
        ),
        RolePolicy(
            DISTRICT_OFFICER, "District officer", DISTRICT_PAGES, personal_data=False, scoped=True
        ),
        RolePolicy(DONOR, "Donor", DONOR_PAGES, personal_data=False, scoped=False, published=True),
    )
}
assert set(POLICIES) == set(ROLES)
assert all(p.pages <= set(PAGES) for p in POLICIES.values())
# A role seeing published figures only never opens a page of rows.
assert not any(PAGES[page].row_level for p in POLICIES.values() if p.published for page in p.pages)


class UnknownRole(ValueError):
    """A role the policy does not know."""


def policy_of(role: str) -> RolePolicy:
    try:
        return POLICIES[role]
    except KeyError:
        raise UnknownRole(f"unknown role {role!r}; roles are {', '.join(ROLES)}") from None


def can_open(role: str | None, page: str) -> bool:
    """True when ``role`` may open ``page``; no role (not logged in) opens nothing.

    An unknown role or page is refused, never allowed."""
    if role not in POLICIES:
        return False
    return page in POLICIES[role].pages


def sees_personal_data(role: str | None) -> bool:
    return role in POLICIES and POLICIES[role].personal_data


def published_only(role: str | None) -> bool:
    """True when ``role`` sees figures only after disclosure control (donors).

    No role, or one the policy does not know, is treated as published only:
    a page never shows unprotected counts to it."""
    return role not in POLICIES or POLICIES[role].published


def sees_row_level(role: str | None) -> bool:
    """True when ``role`` opens any row-level page."""
    return role in POLICIES and any(PAGES[p].row_level for p in POLICIES[role].pages)


# ---------------------------------------------------------------------------
# Scope: the districts a user may see
# ---------------------------------------------------------------------------


def districts_file() -> Path:
    return REFERENCE_DIR / "kp_districts.csv"


@lru_cache(maxsize=4)
def _districts(path: str, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple((row["district"], row["police_region"]) for row in csv.DictReader(handle))


def district_regions(path: Path | None = None) -> tuple[tuple[str, str], ...]:
    """(district, police region) for every district of the reference file
    (the one the ETL builds ``ref.districts`` from)."""
    target = path or districts_file()
    return _districts(str(target), target.stat().st_mtime_ns)


def canonical_scope(kind: str, value: str, path: Path | None = None) -> str:
    """The reference spelling of a district or region (case-insensitive);
    raises ``ValueError`` naming the choices when there is none."""
    rows = district_regions(path)
    names = sorted({d for d, _ in rows} if kind == DISTRICT else {r for _, r in rows})
    if kind not in (DISTRICT, REGION):
        raise ValueError(f"scope kind must be {DISTRICT!r} or {REGION!r}, not {kind!r}")
    wanted = value.strip().casefold()
    for name in names:
        if name.casefold() == wanted:
            return name
    raise ValueError(f"unknown {kind} {value!r}; {kind}s are: {', '.join(names)}")


def scope_districts(
    role: str, scope_kind: str | None, scope_value: str | None, path: Path | None = None
) -> tuple[str, ...] | None:
    """The districts a user may see: None for "all"; a tuple (possibly
    empty, meaning none) for a scoped role.

    A scoped role without a valid scope sees nothing (never everything)."""
    if not policy_of(role).scoped:
        return None
    if scope_kind is None or not scope_value:
        return ()
    rows = district_regions(path)
    if scope_kind == DISTRICT:
        return tuple(sorted(d for d, _ in rows if d == scope_value))
    if scope_kind == REGION:
        return tuple(sorted(d for d, r in rows if r == scope_value))
    return ()


def narrow(f: Filters, allowed: tuple[str, ...] | None) -> Filters:
    """``f`` restricted to the districts in ``allowed`` (None: unrestricted).

    The result's ``scope`` is what ``metrics.scope`` enforces in SQL: only
    items of those districts (none at all when it is empty), whatever the
    region, district or channel filters say. A district filter is
    intersected with it; a district filter wholly outside the scope leaves an
    empty scope, so the page shows nothing rather than everything."""
    if allowed is None:
        return f
    scope = set(allowed) if f.scope is None else set(allowed) & set(f.scope)
    if f.districts:
        scope &= set(f.districts)
    # The district filter becomes the districts in scope too, so code that
    # reads it in Python (targets of an area, report groups, a page's list
    # of districts) sees the same; when none is left it stays as asked.
    districts = tuple(sorted(scope)) or f.districts
    return replace(f, districts=districts, scope=tuple(sorted(scope)))


def scoped_filters(user: object, f: Filters, path: Path | None = None) -> Filters:
    """``f`` narrowed to what ``user`` may see.

    ``user`` is anything with ``role``, ``scope_kind`` and ``scope_value``
    (``auth.users.User``, ``auth.sessions.LoginSession``). No user (None)
    sees nothing: the result has an empty scope."""
    if user is None:
        return replace(f, scope=())
    role = getattr(user, "role", None)
    if role not in POLICIES:
        return replace(f, scope=())
    allowed = scope_districts(
        role, getattr(user, "scope_kind", None), getattr(user, "scope_value", None), path
    )
    return narrow(f, allowed)
