"""What the Definitions page says about every KPI, generated from the code.

One ``Entry`` per KPI of the catalogue (``metrics.kpis.catalogue``), in
catalogue order: its definition (for R1-R14 the first paragraph of the
docstring of the function that computes it), the formula read from that
definition, unit, direction, cohort, the target in effect for the chosen
period and area with every entry of the targets file behind it (when each
took effect, where it applies, its line in the file), baseline, owner, the
function that computes it, the warehouse tables that function's SQL reads
(found in its code, not written down a second time) and the caveats: the
rest of that function's docstring, the "n too small" rule, whether the KPI
counts in the responsiveness score C1. Nothing here is typed twice: change
the code or the targets file and the page changes with it.
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from metrics import kpis, scorecard
from metrics.filters import Filters
from metrics.targets import load_targets

SECTIONS: dict[str, str] = {
    "R": "Responsiveness",
    "M": "Media and crisis communication",
    "S": "Social engagement",
    "I": "Inclusion and reach",
    "C": "Composite",
}
DIRECTION_WORDS: dict[str, str] = {
    "higher": "higher is better",
    "lower": "lower is better",
    "monitor": "monitored: no better direction, watched against its trend",
    "plan": "against the plan: at least the planned number",
    "→ 1.0": "closer to 1.0 is better (parity)",
}
COHORT_WORDS: dict[str, str] = {
    "received": "items received in the period",
    "completed": "items that completed the step in the period",
    "completed + open past target at period end": (
        "items completed in the period, plus open items already past target at its end "
        "(an open overdue item counts as a breach)"
    ),
    "due": "items falling due in the period",
    "open at period end": "items open at the end of the period",
    "published": "what was published in the period",
}
_TABLE = re.compile(r"\b(?:marts|ref|raw)\.[a-z_]+\b")


@dataclass(frozen=True)
class TargetEntry:
    """One entry of the targets file for a KPI, as in effect from its date."""

    effective_from: date
    where: str  # "whole province", "Mardan region", "Kurram district"
    target_text: str
    baseline: float | None
    owner: str
    line: int  # in the targets file


@dataclass(frozen=True)
class Entry:
    """Everything the Definitions page says about one KPI."""

    id: str
    name: str
    section: str
    definition: str
    formula: str
    unit: str
    direction: str
    cohort: str
    target_text: str  # in effect for the chosen period and area
    target_from: date | None
    history: tuple[TargetEntry, ...]
    baseline: float | None
    owner: str
    disaggregations: tuple[str, ...]
    computed_by: str | None  # module.function, None when not computed yet
    source_tables: tuple[str, ...]
    caveats: tuple[str, ...]
    in_score: bool


def formula_of(definition: str, name: str) -> str:
    """The definition's formula: its first clause, without the name before it."""
    text = definition.strip()
    if text.lower().startswith(name.lower() + ":"):
        text = text[len(name) + 1 :].strip()
    clause = re.split(r" \(cohort|\. (?=[A-Z`])", text, maxsplit=1)[0].rstrip(". ")
    return clause[:1].upper() + clause[1:]


def _walk(function: Callable[..., Any], seen: set[int]) -> Iterator[str]:
    """Every string the function's code can reach: its constants, the module
    constants and metrics functions it names (followed), nested code too."""
    if id(function) in seen or not isinstance(function, types.FunctionType):
        return
    seen.add(id(function))
    namespace = function.__globals__
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        for const in code.co_consts:
            if isinstance(const, str):
                yield const
            elif isinstance(const, types.CodeType):
                codes.append(const)
        modules = [
            value
            for name in code.co_names
            if isinstance(value := namespace.get(name), types.ModuleType)
            and value.__name__.startswith("metrics.")
        ]
        for name in code.co_names:
            candidates = [namespace.get(name), *(getattr(m, name, None) for m in modules)]
            for value in candidates:
                yield from _follow(value, seen)


def _follow(value: object, seen: set[int]) -> Iterator[str]:
    """A string, a metrics function (walked), or a table of them (a tuple of
    (measure, function) pairs, a dict of builders)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, types.FunctionType):
        if value.__module__.startswith("metrics.") and value.__module__ != "metrics.kpis":
            yield from _walk(value, seen)
    elif isinstance(value, dict | tuple | list) and id(value) not in seen:
        seen.add(id(value))
        for item in value.values() if isinstance(value, dict) else value:
            yield from _follow(item, seen)


def source_tables(function: Callable[..., Any] | None) -> tuple[str, ...]:
    """The warehouse tables (``marts.*``, ``ref.*``, ``raw.*``) named in the SQL
    that ``function`` runs, found by following its code; sorted."""
    if function is None:
        return ()
    found = {match for text in _walk(function, set()) for match in _TABLE.findall(text)}
    return tuple(sorted(found))


def _where(scope: str, area: str | None) -> str:
    if scope == "region":
        return f"{area} region"
    if scope == "district":
        return f"{area} district"
    return "whole province"


def target_history(kpi_id: str, path: Path | None = None) -> tuple[TargetEntry, ...]:
    """Every entry of the targets file for a KPI, oldest first, each read as the
    target in effect from its date in its area (fields it leaves out inherited)."""
    targets = load_targets(path)
    rows = []
    for entry in targets.entries.get(kpi_id, ()):
        region = entry.area if entry.scope == "region" else None
        district = entry.area if entry.scope == "district" else None
        target = targets.target_for(kpi_id, entry.effective_from, region, district)
        if target is None:
            continue
        rows.append(
            TargetEntry(
                effective_from=entry.effective_from,
                where=_where(entry.scope, entry.area),
                target_text=target.target_text,
                baseline=target.baseline,
                owner=target.owner,
                line=entry.line,
            )
        )
    return tuple(rows)


def _rest_of_docstring(function: Callable[..., Any] | None) -> str:
    doc = inspect.getdoc(function) if function is not None else None
    if not doc or "\n\n" not in doc:
        return ""
    return " ".join(doc.split("\n\n", 1)[1].split())


def caveats(kpi: kpis.Kpi, path: Path | None = None) -> tuple[str, ...]:
    """What to keep in mind reading the KPI, from its code and the targets file."""
    notes: list[str] = []
    if kpi.compute is None:
        notes.append("Not computed on the dashboard yet: no register or export feeds it.")
    rest = _rest_of_docstring(kpi.compute)
    if rest:
        notes.append(rest)
    if kpi.unit in kpis.SAMPLED_UNITS:
        rules = kpis.status_rules(path)
        min_n = kpi.min_n if kpi.min_n is not None else rules.min_n
        score = (
            ", and is left out of the responsiveness score"
            if kpi.id in scorecard.SCORE_KPIS
            else ""
        )
        notes.append(
            f'A figure resting on fewer than {min_n} items shows "n too small" instead of a '
            f"status{score}."
        )
    if kpi.target_p90 is not None:
        unit = kpi.target_p90_unit or kpi.unit
        notes.append(
            f"Judged on its P90 too (at most {kpi.target_p90:g} {unit}); the worse of the "
            "two grades is its status. The responsiveness score uses the headline (P50) only."
        )
    if kpi.id in scorecard.SCORE_KPIS:
        notes.append(
            "Counts in the responsiveness score C1 when it has a value, enough items and a "
            "numeric target."
        )
    return tuple(notes)


def entry(kpi: kpis.Kpi, *, path: Path | None = None) -> Entry:
    compute = kpi.compute
    return Entry(
        id=kpi.id,
        name=kpi.name,
        section=SECTIONS.get(kpi.id[0], "Other"),
        definition=kpi.definition,
        formula=formula_of(kpi.definition, kpi.name),
        unit=kpi.unit,
        direction=DIRECTION_WORDS.get(kpi.direction, kpi.direction),
        cohort=COHORT_WORDS.get(kpi.cohort, kpi.cohort),
        target_text=kpi.target_text,
        target_from=kpi.effective_from,
        history=target_history(kpi.id, path),
        baseline=kpi.baseline,
        owner=kpi.owner,
        disaggregations=kpi.disaggregations,
        computed_by=f"{compute.__module__}.{compute.__name__}" if compute else None,
        source_tables=source_tables(compute),
        caveats=caveats(kpi, path),
        in_score=kpi.id in scorecard.SCORE_KPIS,
    )


def glossary(f: Filters, *, path: Path | None = None) -> tuple[Entry, ...]:
    """Every KPI of the catalogue, in its order, with the targets in effect for
    ``f`` (on its last day, in its area)."""
    return tuple(
        entry(kpis.kpi_for(kpi_id, f, path=path), path=path) for kpi_id in kpis.catalogue(path)
    )


@dataclass(frozen=True)
class ScoreRules:
    """How the overview judges: the score's KPIs and cap, the statuses."""

    score_kpis: tuple[str, ...]
    cap: float
    within_pct: float
    min_n: int
    headline_kpis: tuple[str, ...]


def score_rules(path: Path | None = None) -> ScoreRules:
    rules = kpis.status_rules(path)
    return ScoreRules(
        score_kpis=scorecard.SCORE_KPIS,
        cap=scorecard.CAP,
        within_pct=rules.within_pct,
        min_n=rules.min_n,
        headline_kpis=scorecard.HEADLINE_KPIS,
    )
