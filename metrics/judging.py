"""What each KPI aims at, and whether a value meets it.

The catalogue's definitions (``metrics.catalogue``) joined to the targets in
effect on a day for an area (``metrics.targets``) and to the functions that
measure single KPIs (responsiveness, social, media, outreach; for R1-R14 the
first paragraph of the function's docstring *is* the definition). ``judge``
turns a value into a status: on target, within the file's band of it, off
target, or "n too small".

The composite KPIs (C1, I1-I3: ``metrics.scorecard``, ``metrics.inclusion``)
are judged with this module, so they cannot be imported by it:
``metrics.kpis`` adds them, and is what pages, reports and tests read.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from core.config import load_settings
from core.formatting import is_missing as _missing
from metrics import media, outreach, responsiveness, social
from metrics.catalogue import DEFINITIONS, KPI_IDS, Definition
from metrics.filters import Filters
from metrics.targets import StatusRules, Target, load_targets, region_of

# The functions that measure one KPI each from the marts.
MEASURED_FUNCTIONS: dict[str, Callable[..., Any]] = {
    **responsiveness.KPI_FUNCTIONS,
    **social.KPI_FUNCTIONS,
    **media.KPI_FUNCTIONS,
    **outreach.KPI_FUNCTIONS,
}

# Status codes (``status`` columns) and how they read.
ON_TARGET = "on_target"
NEAR_TARGET = "near_target"
OFF_TARGET = "off_target"
N_TOO_SMALL = "n_too_small"
STATUSES: tuple[str, ...] = (ON_TARGET, NEAR_TARGET, OFF_TARGET, N_TOO_SMALL)

# Units whose value rests on a sample of items (a share or a percentile):
# below the minimum n they say "n too small". Counts are always shown.
SAMPLED_UNITS: frozenset[str] = frozenset({"%", "minutes", "hours", "ratio", "% / minutes"})
_MINUTES_PER = {"minutes": 1.0, "hours": 60.0}
_KARACHI = ZoneInfo("Asia/Karachi")


@dataclass(frozen=True)
class Kpi:
    """One KPI: what it means (catalogue), how it is computed, what it aims at."""

    id: str
    name: str
    definition: str
    unit: str
    direction: str  # "higher" | "lower" | "monitor" | "plan" | "→ 1.0"
    target: float | None
    target_text: str
    baseline: float | None
    owner: str
    disaggregations: tuple[str, ...]
    cohort: str
    compute: Callable[..., Any] | None = None
    target_p90: float | None = None  # durations: the P90 must also meet this
    target_band: tuple[float, float] | None = None  # "→ 1.0": on target inside
    target_p90_unit: str | None = None  # None: the KPI's unit; or "working days"
    target_minutes: float | None = None  # S6: first reply P50, clock minutes
    effective_from: date | None = None  # of the target entry in effect
    min_n: int | None = None  # the KPI's own "n too small" threshold, if any


def definition_of(function: Callable[..., Any]) -> str:
    """The first paragraph of a function's docstring, on one line."""
    doc = inspect.getdoc(function) or ""
    return " ".join(doc.split("\n\n", 1)[0].split())


def _kpi(
    kpi_id: str,
    spec: Definition,
    target: Target | None,
    functions: Mapping[str, Callable[..., Any]],
) -> Kpi:
    compute = functions.get(kpi_id)
    words = spec.definition or (definition_of(compute) if compute else "")
    t = target or Target(kpi_id, date.min, 0)
    return Kpi(
        id=kpi_id,
        name=spec.name,
        definition=words,
        unit=spec.unit,
        direction=spec.direction,
        target=t.target,
        target_text=t.target_text,
        baseline=t.baseline,
        owner=t.owner,
        disaggregations=spec.disaggregations,
        cohort=spec.cohort,
        compute=compute,
        target_p90=t.target_p90,
        target_band=t.target_band,
        target_p90_unit=t.target_p90_unit,
        target_minutes=t.target_minutes,
        effective_from=target.effective_from if target else None,
        min_n=t.min_n,
    )


def today_pkt() -> date:
    return datetime.now(_KARACHI).date()


def kpi(
    kpi_id: str,
    on: date | None = None,
    region: str | None = None,
    district: str | None = None,
    *,
    path: Path | None = None,
    functions: Mapping[str, Callable[..., Any]] = MEASURED_FUNCTIONS,
) -> Kpi:
    """One KPI with the target in effect on ``on`` (default today) in an area."""
    spec = DEFINITIONS.get(kpi_id)
    if spec is None:
        raise KeyError(f"no KPI {kpi_id!r} in the catalogue")
    day = on if on is not None else today_pkt()
    return _kpi(
        kpi_id, spec, load_targets(path).target_for(kpi_id, day, region, district), functions
    )


def catalogue(
    path: Path | None = None,
    *,
    on: date | None = None,
    functions: Mapping[str, Callable[..., Any]] = MEASURED_FUNCTIONS,
) -> dict[str, Kpi]:
    """Every KPI by id (R1-R14, M1-M7, S1-S6, I1-I4, C1), in catalogue order.

    Each with its province-wide target in effect on ``on`` (default: today
    in Pakistan). ``path`` reads another targets file (default
    ``metrics.targets.targets_path()``). Raises ``TargetsFileError`` naming
    the file and line of a mistake in it.
    """
    day = on if on is not None else today_pkt()
    targets = load_targets(path)
    return {
        kpi_id: _kpi(kpi_id, DEFINITIONS[kpi_id], targets.target_for(kpi_id, day), functions)
        for kpi_id in KPI_IDS
    }


def area_of(f: Filters) -> tuple[str | None, str | None]:
    """(region, district) whose own targets apply under ``f``.

    One district chosen: that district (and its region); else one region
    chosen: that region; else the province (None, None).
    """
    if len(f.districts) == 1:
        district = f.districts[0]
        return region_of(district), district
    if len(f.regions) == 1 and not f.districts:
        return f.regions[0], None
    return None, None


def kpi_for(
    kpi_id: str,
    f: Filters,
    *,
    path: Path | None = None,
    functions: Mapping[str, Callable[..., Any]] = MEASURED_FUNCTIONS,
) -> Kpi:
    """A KPI with the target in effect on the period's last day, in its area.

    A month keeps the target it had then, whatever changed later.
    """
    region, district = area_of(f)
    return kpi(kpi_id, f.end, region, district, path=path, functions=functions)


# Judging a value -------------------------------------------------------------


def status_rules(path: Path | None = None) -> StatusRules:
    """The targets file's status rules (within band, minimum n)."""
    return load_targets(path).rules


def status_text(status: str | None, rules: StatusRules | None = None) -> str:
    """A status code in words: ``within 10% of target`` and so on."""
    rules = rules or status_rules()
    return {
        ON_TARGET: "on target",
        NEAR_TARGET: f"within {rules.within_pct:g}% of target",
        OFF_TARGET: "off target",
        N_TOO_SMALL: f"n too small (fewer than {rules.min_n} items)",
        None: "no target to compare with",
    }.get(status, str(status))


def _has_target(kpi: Kpi) -> bool:
    return kpi.direction != "monitor" and any(
        t is not None for t in (kpi.target, kpi.target_band, kpi.target_p90, kpi.target_minutes)
    )


def _status_words(kpi: Kpi, value: object, status: str | None, rules: StatusRules) -> str:
    """``status_text``, but "no value in this period" where a target waits for data."""
    if status is None and _missing(value) and _has_target(kpi):
        return "no value in this period"
    return status_text(status, rules)


def _grade(direction: str, goal: float | tuple[float, float], actual: float, within: float) -> str:
    """One comparison: on, near (within ``within`` of the goal) or off target."""
    if direction == "→ 1.0":
        low, high = goal if isinstance(goal, tuple) else (goal - 0.1, goal + 0.1)
        if low <= actual <= high:
            return ON_TARGET
        return NEAR_TARGET if low * (1 - within) <= actual <= high * (1 + within) else OFF_TARGET
    assert not isinstance(goal, tuple)
    if direction == "lower":
        if actual <= goal:
            return ON_TARGET
        return NEAR_TARGET if actual <= goal * (1 + within) else OFF_TARGET
    # "higher" and "plan": at least the target
    if actual >= goal:
        return ON_TARGET
    return NEAR_TARGET if actual >= goal * (1 - within) else OFF_TARGET


def judge(
    kpi: Kpi,
    value: float | None,
    *,
    n: int | None = None,
    p90: float | None = None,
    minutes: float | None = None,
    rules: StatusRules | None = None,
) -> str | None:
    """The status of ``value`` against the KPI's target: one of ``STATUSES`` or None.

    None: no value, or nothing to judge against (a "monitor" KPI, or no
    numeric target). ``n_too_small``: a share or percentile resting on
    fewer than the minimum n items (the KPI's ``min_n``, else the file's).
    Otherwise every target the KPI has is checked, and the worst grade
    wins: the headline against ``target`` (or inside ``target_band``),
    ``p90`` against ``target_p90`` (give it in ``target_p90_unit``: see
    ``p90_for_target``), ``minutes`` against ``target_minutes``. A grade is
    on target, within ``rules.within_pct`` % of the target (near), or off.
    """
    rules = rules or status_rules()
    if _missing(value):
        return None
    min_n = kpi.min_n if kpi.min_n is not None else rules.min_n
    if kpi.unit in SAMPLED_UNITS and n is not None and n < min_n:
        return N_TOO_SMALL
    if kpi.direction == "monitor":
        return None
    within = rules.within_pct / 100.0
    direction = kpi.direction
    grades: list[str] = []
    if direction == "→ 1.0" and (kpi.target_band is not None or kpi.target is not None):
        goal: Any = kpi.target_band if kpi.target_band is not None else kpi.target
        grades.append(_grade(direction, goal, float(value), within))  # type: ignore[arg-type]
    elif kpi.target is not None:
        grades.append(_grade(direction, kpi.target, float(value), within))  # type: ignore[arg-type]
    if kpi.target_p90 is not None and not _missing(p90):
        grades.append(_grade("lower", kpi.target_p90, float(p90), within))  # type: ignore[arg-type]
    if kpi.target_minutes is not None and not _missing(minutes):
        grades.append(_grade("lower", kpi.target_minutes, float(minutes), within))  # type: ignore[arg-type]
    if not grades:
        return None
    return max(grades, key=STATUSES.index)


def meets_target(kpi: Kpi, value: float | None, *, p90: float | None = None) -> bool | None:
    """Whether ``value`` (the KPI's headline) is on target, whatever its n.

    None when there is no value or nothing to judge against; ``p90`` (in
    the KPI's ``target_p90_unit``) must meet the P90 target too.
    """
    status = judge(kpi, value, p90=p90, rules=StatusRules(min_n=0))
    return None if status is None else status == ON_TARGET


def working_day_minutes() -> float:
    """Business minutes in one working day (settings: sla.working_day_business_minutes)."""
    return float(load_settings().sla.get("working_day_business_minutes", 480))


def p90_for_target(kpi: Kpi, row: dict[str, Any] | pd.Series) -> float | None:
    """The P90 the KPI's P90 target is judged on, in the target's unit.

    The headline's own P90 when the target is in the KPI's unit; the
    business-time P90 in working days when ``target_p90_unit`` is "working
    days" (R9: resolution P90 ≤ 10 working days).
    """
    if kpi.target_p90 is None:
        return None
    if kpi.target_p90_unit == "working days":
        business = row.get("business_p90")
        if _missing(business) or kpi.unit not in _MINUTES_PER:
            return None
        return float(business) * _MINUTES_PER[kpi.unit] / working_day_minutes()
    p90 = row.get("p90")
    return None if _missing(p90) else float(p90)
