"""What needs attention on the IG's scorecard, in plain sentences.

The five districts with the lowest responsiveness scores under 1.0, each
told by its KPI furthest below target ("Kurram: 41% of referrals
acknowledged within 24 h against a 95% target; down 12 points on last
month"), and the five KPIs furthest below target for the filters as a
whole, with the district lowest on each. Scores, ratios and exclusions are
``metrics.scorecard``'s: a KPI left out of a score (no data, "n too small",
no target) is never named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from metrics import score_cells
from metrics.filters import Filters
from metrics.scorecard import (
    Cells,
    Score,
    ScorePart,
    as_number,
    difference,
    judged_cells,
    previous_words,
)

Connection = duckdb.DuckDBPyConnection
ATTENTION_COUNT = 5

# How a KPI's headline reads in a sentence ("41% of referrals acknowledged
# within 24 h"); {value} is the figure with its unit.
PHRASES: dict[str, str] = {
    "R3": "{value} of items needing a reply got one",
    "R4": "median first reply {value} (business time)",
    "R5": "{value} of first replies within target",
    "R6": "median referral {value} (business time)",
    "R7": "{value} of referrals acknowledged within 24 h",
    "R8": "{value} of field reports within 3 days",
    "R9": "median resolution {value}",
    "R10": "{value} of items resolved within target",
    "R12": "{value} of resolved items reopened",
    "R13": "{value} of information requests answered in time",
    "R14": "{value} of survey responses satisfied",
}


@dataclass(frozen=True)
class Attention:
    """Plain sentences: the districts and the KPIs furthest below target."""

    districts: tuple[str, ...]
    kpis: tuple[str, ...]


def quantity(value: float, unit: str) -> str:
    """A figure in a sentence: ``41%``, ``14 min``, ``2.3 h``, ``52 h``."""
    if unit == "%":
        return f"{value:.0f}%"
    if unit == "minutes":
        return f"{value:,.0f} min" if abs(value) < 90 else f"{value / 60:,.1f} h"
    if unit == "hours":
        return f"{value:,.0f} h"
    return f"{value:,.2f}"


def _change_words(delta: float | None, unit: str, before: str) -> str:
    if delta is None:
        return f"no figure for {before}"
    points = round(abs(delta))
    size = quantity(abs(delta), unit) if unit != "%" else f"{points} point{'s' * (points != 1)}"
    if size in {"0 points", "0 min", "0 h", "0.00"}:
        return f"unchanged on {before}"
    return f"{'up' if delta > 0 else 'down'} {size} on {before}"


def _target_words(part: ScorePart) -> str:
    target = quantity(part.target, part.unit)  # type: ignore[arg-type]
    if part.direction == "lower":
        return f"against a target of at most {target}"
    return f"against {_article(target)} {target} target"


def _article(figure: str) -> str:
    """ "an" before a figure said with a vowel sound: 8, 11, 18, 80, 800 ..."""
    digits = re.sub(r"\D", "", re.split(r"[^\d,]", figure, maxsplit=1)[0])
    spoken_an = digits.startswith("8") or (digits[:2] in {"11", "18"} and len(digits) % 3 == 2)
    return "an" if spoken_an else "a"


def sentence(subject: str, part: ScorePart, previous: float | None, before: str) -> str:
    """``Kurram: 41% of referrals acknowledged within 24 h against a 95% target;
    down 12 points on last month``."""
    figure = quantity(part.value, part.unit)  # type: ignore[arg-type]
    phrase = PHRASES.get(part.kpi_id, part.name + " {value}").format(value=figure)
    change = _change_words(difference(part.value, previous), part.unit, before)
    return f"{subject}: {phrase} {_target_words(part)}; {change}"


def _below(score: Score) -> list[ScorePart]:
    """The counted KPIs under target (ratio < 1), furthest first."""
    parts = [p for p in score.included if p.ratio is not None and p.ratio < 1]
    return sorted(parts, key=lambda p: (p.ratio, p.kpi_id))  # type: ignore[arg-type, return-value]


def judge_attention(
    cells: pd.DataFrame | Cells,
    f: Filters,
    *,
    count: int = ATTENTION_COUNT,
    path: Path | None = None,
) -> Attention:
    """The ``count`` districts and KPIs furthest below target, as sentences.

    From ``comparison_cells``. Districts: the lowest C1 scores under 1.0,
    each told by its KPI furthest below target (the lowest ratio), its
    target and its change on the previous period. KPIs: those of
    ``SCORE_KPIS`` furthest below target for the filters as a whole (lowest
    ratio under 1), with the district lowest on it. KPIs left out of a
    score (no data, n too small, no target) are never named.
    """
    before = previous_words(f)
    judged = judged_cells(cells, f, path=path)
    scored = []
    for group in judged.groups("district"):
        score = judged.score("current", "district", group)
        if score.value is not None and score.value < 1 and _below(score):
            scored.append((score.value, group, score))
    scored.sort(key=lambda item: (item[0], item[1]))
    district_lines = []
    for _, group, score in scored[:count]:
        worst = _below(score)[0]
        previous = judged.value("previous", "district", group, worst.kpi_id)
        district_lines.append(sentence(group, worst, previous, before))
    kpi_lines = []
    for part in _below(judged.score("current"))[:count]:
        previous = judged.value("previous", "all", None, part.kpi_id)
        line = sentence(f"{part.name} ({part.kpi_id})", part, previous, before)
        lowest = _lowest_district(judged, part.kpi_id)
        kpi_lines.append(line + (f"; lowest in {lowest}" if lowest else ""))
    return Attention(tuple(district_lines), tuple(kpi_lines))


def _lowest_district(judged: Cells, kpi_id: str) -> str | None:
    """``Kurram (41%)``: the district furthest below target on a KPI, if any is."""
    below = [
        (float(r["ratio"]), group, r)
        for group in judged.groups("district")
        if (r := judged.record("current", "district", group, kpi_id)) is not None
        and as_number(r["ratio"]) is not None
        and float(r["ratio"]) < 1
    ]
    if not below:
        return None
    _, group, row = min(below, key=lambda item: (item[0], item[1]))
    return f"{group} ({quantity(float(row['value']), str(row['unit']))})"


def needs_attention(
    con: Connection,
    f: Filters,
    *,
    now: datetime | None = None,
    path: Path | None = None,
) -> Attention:
    """``judge_attention`` on this period's ``comparison_cells``."""
    return judge_attention(score_cells.comparison_cells(con, f, now=now), f, path=path)
