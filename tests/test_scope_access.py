"""A district officer's every metric sees only their district (or region).

On the hand-checkable fixture warehouse (tests/metrics_fixture.py). Counts
are checked against plain pandas over the fixture's rows; for every other
metric function the scoped result must equal the same function asked for
that district alone, and asking for another district must give exactly
what asking for a district with no items gives: nothing.
"""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import pytest

from auth import policy
from metrics import breakdowns, kpis, responsiveness, score_cells, sla
from metrics.filters import Filters
from metrics.scope import scope_params
from tests.metrics_fixture import MARCH, NOW, fixture_connection, inquiries_frame

MODULES = (responsiveness, breakdowns, sla, kpis, score_cells)
NOWHERE = "No Such District"


@dataclass(frozen=True)
class Officer:
    role: str = "district_officer"
    scope_kind: str | None = "district"
    scope_value: str | None = "Peshawar"


DPO = Officer()
RPO = Officer(scope_kind="region", scope_value="Mardan")


@pytest.fixture(scope="module")
def con():
    connection = fixture_connection()
    yield connection
    connection.close()


def received_in(f: Filters, districts: set[str]) -> int:
    """Items received in the period in ``districts``, by pandas."""
    frame = inquiries_frame()
    at = pd.to_datetime(frame["received_at"], utc=True)
    inside = (at >= pd.Timestamp(f.start_at)) & (at < pd.Timestamp(f.end_at))
    return int((inside & frame["district"].isin(districts)).sum())


def metric_functions() -> list:
    """Every public function of the inquiry metrics taking ``(con, f)`` and
    nothing else it requires."""
    found = []
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            params = list(inspect.signature(function).parameters.values())
            if len(params) < 2 or params[0].name != "con":
                continue
            if params[1].annotation not in (Filters, "Filters"):
                continue
            if any(p.default is inspect.Parameter.empty for p in params[2:]):
                continue
            found.append(function)
    return found


def call(function, con, f: Filters):  # noqa: ANN001, ANN202
    kwargs = {"now": NOW} if "now" in inspect.signature(function).parameters else {}
    return function(con, f, **kwargs)


def same(a: object, b: object) -> bool:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
        return True
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            same(getattr(a, field.name), getattr(b, field.name)) for field in dataclasses.fields(a)
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def test_there_are_metric_functions_to_check() -> None:
    names = {f.__name__ for f in metric_functions()}
    assert {"items_received", "overdue_items", "kpi_summary", "weekly_trend"} <= names


def test_scope_params_never_name_another_district() -> None:
    districts = [d for d, _ in policy.district_regions()]
    for officer in (DPO, RPO):
        allowed = set(policy.scope_districts(officer.role, officer.scope_kind, officer.scope_value))
        for asked in [(), *((d,) for d in districts), tuple(districts[:5])]:
            f = policy.scoped_filters(officer, Filters(MARCH.start, MARCH.end, districts=asked))
            bound = set(scope_params(f)["districts"])
            assert bound, "an empty list would mean every district"
            assert not (bound & set(districts)) - allowed, (officer, asked, bound)


def test_no_user_and_a_user_without_scope_see_nothing() -> None:
    for user in (None, Officer(scope_kind=None, scope_value=None), Officer(role="superuser")):
        f = policy.scoped_filters(user, MARCH)
        assert f.scope == ()
        assert not set(scope_params(f)["districts"]) & {d for d, _ in policy.district_regions()}


def test_unscoped_roles_are_left_as_they_are() -> None:
    f = replace(MARCH, districts=("Mardan",))
    assert policy.scoped_filters(Officer(role="ig_office"), f) == f


def test_items_received_is_the_officers_district_alone(con) -> None:
    mine = responsiveness.items_received(con, policy.scoped_filters(DPO, MARCH))
    assert mine.numerator == received_in(MARCH, {"Peshawar"}) > 0
    everything = responsiveness.items_received(con, MARCH)
    assert everything.numerator > mine.numerator


def test_an_rpo_sees_the_districts_of_their_region(con) -> None:
    ref = pd.DataFrame(policy.district_regions(), columns=["district", "region"])
    region = set(ref.loc[ref["region"] == "Mardan", "district"])
    result = responsiveness.items_received(con, policy.scoped_filters(RPO, MARCH))
    assert result.numerator == received_in(MARCH, region) > 0


def test_asking_for_another_district_gives_nothing(con) -> None:
    asked = policy.scoped_filters(DPO, replace(MARCH, districts=("Mardan",)))
    assert received_in(MARCH, {"Mardan"}) > 0
    assert responsiveness.items_received(con, asked).numerator == 0
    region = policy.scoped_filters(DPO, replace(MARCH, regions=("Mardan",)))
    assert responsiveness.items_received(con, region).numerator == 0


@pytest.mark.parametrize("function", metric_functions(), ids=lambda f: f.__name__)
def test_every_metric_sees_only_the_officers_district(con, function) -> None:
    alone = call(function, con, replace(MARCH, districts=("Peshawar",)))
    assert same(call(function, con, policy.scoped_filters(DPO, MARCH)), alone)
    nothing = call(function, con, replace(MARCH, districts=(NOWHERE,)))
    for other in (("Mardan",), ("Mardan", "Swabi"), ("Mardan", NOWHERE)):
        asked = policy.scoped_filters(DPO, replace(MARCH, districts=other))
        assert same(call(function, con, asked), nothing), other


def test_row_level_lists_hold_only_the_officers_district(con) -> None:
    f = policy.scoped_filters(DPO, Filters(date(2024, 1, 1), date(2025, 4, 15)))
    overdue = breakdowns.overdue_items(con, f, now=NOW)
    assert not overdue.empty and set(overdue["district"]) == {"Peshawar"}
    # The drill-down names its district itself: another one shows nothing.
    assert breakdowns.district_items(con, f, "Mardan", now=NOW).empty
    assert not breakdowns.district_items(con, f, "Peshawar", now=NOW).empty
