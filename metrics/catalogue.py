"""The machine-readable KPI catalogue: every KPI of the strategy, defined once.

Definitions, units, directions, cohorts and disaggregations live here, in
code. Targets, baselines and owners live in ``data/config/kpi_targets.yaml``
(``KP_KPI_TARGETS`` overrides the path), which the Directorate edits. For
the responsiveness KPIs with a function, the definition *is* the first
paragraph of that function's docstring, so the page, the report and the
tests all show the one definition the code implements.
"""

from __future__ import annotations

import inspect
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.config import CONFIG_DIR

DIRECTIONS: tuple[str, ...] = ("higher", "lower", "monitor", "plan", "→ 1.0")

STANDARD_DISAGGREGATIONS: tuple[str, ...] = (
    "month",
    "fiscal_quarter",
    "region",
    "district",
    "merged_vs_settled",
    "channel",
    "category",
    "requester_gender",
    "language",
)
_PERIODS = ("month", "fiscal_quarter")
_MEDIA = (*_PERIODS, "outlet_type")
_SOCIAL = (*_PERIODS, "platform")


@dataclass(frozen=True)
class Kpi:
    """One KPI: what it means (code) and what it aims at (targets file)."""

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


@dataclass(frozen=True)
class _Spec:
    name: str
    unit: str
    direction: str
    cohort: str
    definition: str = ""  # empty: the compute function's docstring
    disaggregations: tuple[str, ...] = STANDARD_DISAGGREGATIONS


_RESPONSIVENESS: dict[str, _Spec] = {
    "R1": _Spec("Items received", "count", "monitor", "received"),
    "R2": _Spec("Items per 100,000 people", "per 100,000", "higher", "received"),
    "R3": _Spec("Response rate", "%", "higher", "received"),
    "R4": _Spec("First response time", "minutes", "lower", "completed"),
    "R5": _Spec(
        "First-response SLA attainment",
        "%",
        "higher",
        "completed + open past target at period end",
    ),
    "R6": _Spec("Referral time", "minutes", "lower", "completed"),
    "R7": _Spec("District acknowledgement within 24 h", "%", "higher", "due"),
    "R8": _Spec("Field report within 3 days", "%", "higher", "due"),
    "R9": _Spec("Resolution time", "hours", "lower", "completed"),
    "R10": _Spec(
        "Resolution SLA attainment",
        "%",
        "higher",
        "completed + open past target at period end",
    ),
    "R11": _Spec("Overdue backlog", "count", "lower", "open at period end"),
    "R12": _Spec("Reopen rate", "%", "lower", "completed"),
    "R13": _Spec("RTI compliance", "%", "higher", "due"),
    "R14": _Spec("Citizen satisfaction", "%", "higher", "completed"),
}

_OTHERS: dict[str, _Spec] = {
    "M1": _Spec(
        "Media query response",
        "hours, %",
        "lower",
        "completed",
        "Journalist query answered − received; P50, and % answered the same business "
        "day or before the journalist's deadline.",
        _MEDIA,
    ),
    "M2": _Spec(
        "Time to first public statement",
        "minutes",
        "lower",
        "per incident",
        "First official statement − incident verified (or first media report), per incident.",
        _PERIODS,
    ),
    "M3": _Spec(
        "Misinformation rebuttal time",
        "minutes",
        "lower",
        "per false claim",
        "Official clarification − false claim detected.",
        _PERIODS,
    ),
    "M4": _Spec(
        "Media mentions",
        "count",
        "monitor",
        "published",
        "Monitored mentions of KP Police (TV, print, online, social, radio).",
        _MEDIA,
    ),
    "M5": _Spec(
        "Net tone",
        "−100..100",
        "higher",
        "published",
        "(Positive − negative) ÷ coded mentions × 100.",
        _MEDIA,
    ),
    "M6": _Spec(
        "Official-line share",
        "%",
        "higher",
        "published",
        "Coverage quoting the police's official line ÷ police-related coverage.",
        _MEDIA,
    ),
    "M7": _Spec(
        "Press releases and outputs",
        "count",
        "plan",
        "published",
        "Press releases, posts and videos published.",
        _MEDIA,
    ),
    "S1": _Spec(
        "Reach / impressions",
        "count",
        "higher",
        "published",
        "Reach and impressions per platform and in total; unique reach is never added "
        "across platforms or days without saying it is a sum of reaches.",
        _SOCIAL,
    ),
    "S2": _Spec(
        "Engagement rate",
        "%",
        "higher",
        "published",
        "Engagements ÷ impressions (÷ reach where a platform gives no impressions), "
        "per post; P50 per platform.",
        _SOCIAL,
    ),
    "S3": _Spec(
        "Follower growth",
        "%",
        "higher",
        "period",
        "Net new followers ÷ followers at period start.",
        _SOCIAL,
    ),
    "S4": _Spec(
        "Posting cadence",
        "count",
        "plan",
        "published",
        "Posts per day per platform; hour-of-week heat map of engagement.",
        _SOCIAL,
    ),
    "S5": _Spec(
        "Top content",
        "list",
        "monitor",
        "published",
        "Best posts by engagement rate, with a minimum impressions floor.",
        _SOCIAL,
    ),
    "S6": _Spec(
        "Public response on social",
        "% / minutes",
        "monitor",
        "received",
        "Comments and messages needing a reply that got one, and how fast (R3 and R4 "
        "for social channels).",
        _SOCIAL,
    ),
    "I1": _Spec(
        "Women's and transgender share of items",
        "%",
        "higher",
        "received",
        "Items from female (transgender) requesters ÷ items with known gender.",
        tuple(d for d in STANDARD_DISAGGREGATIONS if d != "requester_gender"),
    ),
    "I2": _Spec(
        "Responsiveness parity",
        "ratio",
        "→ 1.0",
        "completed",
        "R4 P50 (or R10) for women ÷ the same for men; transgender ÷ men; merged ÷ "
        "settled districts.",
        (*_PERIODS, "region", "channel", "category"),
    ),
    "I3": _Spec(
        "District coverage",
        "count",
        "higher",
        "due",
        "Districts (of 36) meeting the R7 target.",
        (*_PERIODS, "region", "merged_vs_settled"),
    ),
    "I4": _Spec(
        "Outreach events and participants",
        "count",
        "higher",
        "held",
        "Community engagement events (open courts, dispute-resolution council awareness, "
        "women's and transgender consultations) and participants by gender.",
        (*_PERIODS, "region", "district", "merged_vs_settled", "participant_gender"),
    ),
    "C1": _Spec(
        "Responsiveness score",
        "index, 1.0 = on target",
        "higher",
        "as its KPIs",
        "Mean over the selected KPIs of min(actual ÷ target, 1.25), using target ÷ "
        "actual where lower is better (the formula of Boston's CityScore).",
        _PERIODS + ("region", "district", "merged_vs_settled", "channel"),
    ),
}

KPI_IDS: tuple[str, ...] = (*_RESPONSIVENESS, *_OTHERS)


def targets_path() -> Path:
    """``KP_KPI_TARGETS`` or ``data/config/kpi_targets.yaml``."""
    return Path(os.environ.get("KP_KPI_TARGETS", CONFIG_DIR / "kpi_targets.yaml"))


def definition_of(function: Callable[..., Any]) -> str:
    """The first paragraph of a function's docstring, on one line."""
    doc = inspect.getdoc(function) or ""
    return " ".join(doc.split("\n\n", 1)[0].split())


def _number(kpi_id: str, key: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError(
            f"{targets_path()}: {kpi_id}.{key} must be a number or null, not {value!r}"
        )
    return float(value)


def _band(kpi_id: str, value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"{targets_path()}: {kpi_id}.target_band must be [low, high]")
    low, high = (_number(kpi_id, "target_band", v) for v in value)
    if low is None or high is None or low > high:
        raise ValueError(f"{targets_path()}: {kpi_id}.target_band must be [low, high]")
    return (low, high)


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> dict[str, Kpi]:
    from metrics import responsiveness, social

    functions = {**responsiveness.KPI_FUNCTIONS, **social.KPI_FUNCTIONS}
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    entries: dict[str, Any] = raw.get("kpis") or {}
    unknown = sorted(set(entries) - set(KPI_IDS))
    if unknown:
        raise ValueError(f"{path}: unknown KPI ids {', '.join(unknown)}")
    kpis: dict[str, Kpi] = {}
    for kpi_id, spec in {**_RESPONSIVENESS, **_OTHERS}.items():
        entry = entries.get(kpi_id) or {}
        compute = functions.get(kpi_id)
        kpis[kpi_id] = Kpi(
            id=kpi_id,
            name=spec.name,
            definition=spec.definition or definition_of(compute),
            unit=spec.unit,
            direction=spec.direction,
            target=_number(kpi_id, "target", entry.get("target")),
            target_text=str(entry.get("target_text") or "—"),
            baseline=_number(kpi_id, "baseline", entry.get("baseline")),
            owner=str(entry.get("owner") or "Not assigned"),
            disaggregations=spec.disaggregations,
            cohort=spec.cohort,
            compute=compute,
            target_p90=_number(kpi_id, "target_p90", entry.get("target_p90")),
            target_band=_band(kpi_id, entry.get("target_band")),
        )
    return kpis


def catalogue(path: Path | None = None) -> dict[str, Kpi]:
    """Every KPI by id (R1-R14, M1-M7, S1-S6, I1-I4, C1), in catalogue order.

    Re-reads the targets file when it changes on disk. Raises ``ValueError``
    naming the file and key when a target is not a number.
    """
    target = path or targets_path()
    return dict(_load(str(target), target.stat().st_mtime_ns))


def meets_target(kpi: Kpi, value: float | None, *, p90: float | None = None) -> bool | None:
    """Whether ``value`` (the KPI's headline) meets the KPI's target.

    None when there is no value or no numeric target, and for "monitor"
    KPIs. "higher" and "plan": value ≥ target; "lower": value ≤ target (and,
    when the KPI has a P90 target and ``p90`` is given, p90 ≤ that too);
    "→ 1.0": value inside the target band (± 0.1 around the target without
    one).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if kpi.direction == "monitor" or kpi.target is None:
        return None
    if kpi.direction in ("higher", "plan"):
        return bool(value >= kpi.target)
    if kpi.direction == "lower":
        ok = value <= kpi.target
        if kpi.target_p90 is not None and p90 is not None:
            ok = ok and p90 <= kpi.target_p90
        return bool(ok)
    if kpi.direction == "→ 1.0":
        low, high = kpi.target_band or (kpi.target - 0.1, kpi.target + 0.1)
        return bool(low <= value <= high)
    raise ValueError(f"unknown direction {kpi.direction!r} for {kpi.id}")
