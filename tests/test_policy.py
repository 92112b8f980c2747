"""The role policy: pages per role, personal data, and each role's districts.

Expected districts of a region are read here from the reference file with
pandas, not from ``auth.policy``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from auth import policy
from core.config import REFERENCE_DIR

ROW_LEVEL = {"response_times", "social_engagement", "media", "outreach", "data", "users", "audit"}
DASHBOARDS = {
    "response_times",
    "social_engagement",
    "media",
    "outreach",
    "scorecard",
    "monthly_report",
    "definitions",
}


def reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / "kp_districts.csv", dtype=str)


def test_every_role_has_a_policy_and_unknown_ones_open_nothing() -> None:
    assert set(policy.POLICIES) == set(policy.ROLES)
    for page in policy.PAGES:
        assert not policy.can_open(None, page)
        assert not policy.can_open("superuser", page)
    assert not policy.can_open("admin", "a page nobody made")
    with pytest.raises(policy.UnknownRole):
        policy.policy_of("superuser")


def test_the_row_level_pages_are_the_ones_showing_items() -> None:
    assert {k for k, p in policy.PAGES.items() if p.row_level} == ROW_LEVEL


def test_a_donor_opens_no_row_level_page() -> None:
    opened = {page for page in policy.PAGES if policy.can_open("donor", page)}
    # The overview as published (disclosure control applied), the report, definitions.
    assert opened == {"scorecard", "monthly_report", "definitions"}
    assert not opened & ROW_LEVEL
    assert not policy.sees_row_level("donor")
    assert not policy.sees_personal_data("donor")


def test_only_donors_see_published_figures_and_an_unknown_role_is_treated_as_one() -> None:
    assert {r for r in policy.ROLES if policy.published_only(r)} == {"donor"}
    assert policy.published_only(None)
    assert policy.published_only("superuser")


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("admin", set(policy.PAGES)),
        ("ig_office", DASHBOARDS),
        ("pr_director", DASHBOARDS | {"data"}),
        ("data_officer", DASHBOARDS | {"data"}),
        ("district_officer", {"response_times", "scorecard", "monthly_report", "definitions"}),
    ],
)  # fmt: skip
def test_pages_each_role_opens(role: str, pages: set[str]) -> None:
    assert {page for page in policy.PAGES if policy.can_open(role, page)} == pages


def test_only_data_roles_and_admin_see_personal_data() -> None:
    assert {r for r in policy.ROLES if policy.sees_personal_data(r)} == {
        "admin",
        "pr_director",
        "data_officer",
    }
    assert not policy.sees_personal_data(None)


def test_users_and_audit_are_admin_only() -> None:
    for page in ("users", "audit"):
        assert [r for r in policy.ROLES if policy.can_open(r, page)] == ["admin"]


def test_a_district_officer_sees_their_district_or_region() -> None:
    ref = reference()
    assert policy.scope_districts("district_officer", "district", "Peshawar") == ("Peshawar",)
    mardan = tuple(sorted(ref.loc[ref["police_region"] == "Mardan", "district"]))
    assert len(mardan) >= 2
    assert policy.scope_districts("district_officer", "region", "Mardan") == mardan


def test_a_scope_that_is_missing_or_unknown_sees_nothing_not_everything() -> None:
    assert policy.scope_districts("district_officer", None, None) == ()
    assert policy.scope_districts("district_officer", "district", "Atlantis") == ()
    assert policy.scope_districts("district_officer", "galaxy", "Peshawar") == ()


def test_unscoped_roles_see_all_districts() -> None:
    for role in ("admin", "ig_office", "pr_director", "data_officer", "donor"):
        assert policy.scope_districts(role, None, None) is None


def test_scope_names_are_checked_against_the_reference() -> None:
    assert policy.canonical_scope("district", " peshawar ") == "Peshawar"
    assert policy.canonical_scope("region", "mardan") == "Mardan"
    with pytest.raises(ValueError, match="unknown district 'Lahore'"):
        policy.canonical_scope("district", "Lahore")
