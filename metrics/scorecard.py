"""The Inspector General's scorecard: the responsiveness score C1, its trend, the
headline tiles and the league tables of districts and regions.

**C1, the responsiveness score** (Boston's CityScore): for each KPI of
``SCORE_KPIS`` that has a value in the period and a numeric target in
effect, the ratio actual ÷ target (target ÷ actual where lower is better),
capped at ``CAP`` (1.25) so one excellent KPI cannot hide a poor one; the
score is the mean of those ratios. 1.0 means on target on average. A KPI
is left out of the mean, and the result says which and why, when it has no
data in the period (nothing in its cohort), rests on fewer items than the
targets file's ``min_n`` ("n too small"), or has no numeric target in
effect. Each KPI is measured on its headline (the P50 for durations) and
compared with the target in effect on the period's last day in the area
(``judging.kpi_for``): a month before a target changed keeps its old target.

The measured part is ``metrics.score_cells`` (one DuckDB query per table,
never per district or month; no targets); this module judges its rows
against the targets file, read on every call so an edited target shows at
once. A page caches the measured part
(``ui.queries.query(score_cells.overview_cells, f)``), judges it once
(``judged_cells``) and hands the result to the ``judge_*``/``summarise``
functions here. The functions
taking a connection (``responsiveness_score``, ``score_trend``,
``league_table``) do both, for tests, reports and the catalogue.
Inclusion (I1-I3) is ``metrics.inclusion``, the sentences of what needs
attention ``metrics.attention``; both judge with this module.

Statuses are ``judging.judge``'s: on target, within the file's band of it,
off target, or "n too small".
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from core.config import REFERENCE_DIR
from metrics import judging, score_cells
from metrics.filters import Filters, fiscal_year_start
from metrics.targets import StatusRules, Target, load_targets, region_of

Connection = duckdb.DuckDBPyConnection

# The KPIs the score averages: the responsiveness KPIs with a numeric target
# a higher or lower value moves towards (R1 is monitored; R2 and R11 have no
# numeric target).
SCORE_KPIS: tuple[str, ...] = (
    "R3",
    "R4",
    "R5",
    "R6",
    "R7",
    "R8",
    "R9",
    "R10",
    "R12",
    "R13",
    "R14",
)
# The overview's tiles: volume, then what the IG office reviews first.
HEADLINE_KPIS: tuple[str, ...] = ("R1", "R3", "R4", "R5", "R7", "R10", "R13", "R14")
CAP = 1.25

# Why a KPI is left out of the score.
NO_DATA = "no data in the period"
NO_TARGET = "no numeric target in effect"
TOO_SMALL = "n too small"

GROUPING_WORDS = {
    "district": "District",
    "region": "Region",
    "merged": "Merged or settled",
}

Record = dict[str, Any]  # one row of a cells table, as a dict

JUDGED_COLUMNS: tuple[str, ...] = (
    *score_cells.CELL_COLUMNS,
    "name",
    "direction",
    "target",
    "target_text",
    "target_from",
    "status",
    "status_text",
    "ratio",
    "capped",
    "excluded",
)


# The score of one set of KPI values --------------------------------------------


def ratio(direction: str, actual: float, target: float) -> float | None:
    """actual ÷ target, or target ÷ actual where lower is better; uncapped.

    A lower-is-better KPI at 0 has met any target of 0 or more: its ratio
    is ``CAP``. None where the ratio means nothing (a higher-is-better
    target of 0 or less).
    """
    if direction == "lower":
        if actual <= 0:
            return CAP if target >= 0 else None
        return max(target, 0.0) / actual
    if target <= 0:
        return None
    return max(actual, 0.0) / target


@dataclass(frozen=True)
class ScorePart:
    """One KPI in a score: its value, target and ratio, or why it was left out."""

    kpi_id: str
    name: str
    unit: str
    direction: str
    value: float | None
    n: int
    target: float | None
    ratio: float | None  # uncapped: how far from target
    capped: float | None  # min(ratio, CAP): what the mean takes
    status: str | None
    excluded: str | None  # None: counted; else the reason, in words


@dataclass(frozen=True)
class Score:
    """C1 for one cell (a period, and a district, region, ... or everything)."""

    value: float | None  # None when no KPI could be counted
    parts: tuple[ScorePart, ...]

    @property
    def included(self) -> tuple[ScorePart, ...]:
        return tuple(p for p in self.parts if p.excluded is None)

    @property
    def excluded(self) -> tuple[ScorePart, ...]:
        return tuple(p for p in self.parts if p.excluded is not None)

    @property
    def excluded_text(self) -> str:
        """``R13 (n too small: 3 items, fewer than 10); R8 (no data in the period)``."""
        return "; ".join(f"{p.kpi_id} ({p.excluded})" for p in self.excluded)


def score_of(parts: Iterable[ScorePart]) -> Score:
    """The mean of the capped ratios of the parts not excluded (None if none)."""
    parts = tuple(parts)
    counted = [p.capped for p in parts if p.excluded is None and p.capped is not None]
    return Score(sum(counted) / len(counted) if counted else None, parts)


# Judging measured cells against their targets ----------------------------------


def as_number(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def records(frame: pd.DataFrame) -> list[Record]:
    """A frame's rows as dicts (``DataFrame.to_dict("records")``, several times
    faster on Arrow-backed text columns)."""
    columns = list(frame.columns)
    return [
        dict(zip(columns, row, strict=True))
        for row in zip(*(frame[c].tolist() for c in columns), strict=True)
    ]


def as_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def cell_filters(f: Filters, start: date, end: date, grouping: str, group: object) -> Filters:
    """The filters a cell stands for: its period, narrowed to its district or
    region (so that area's own targets apply)."""
    period = replace(f, start=start, end=end)
    if grouping == "district" and isinstance(group, str):
        return period.with_district(group)
    if grouping == "region" and isinstance(group, str):
        return replace(period, regions=(group,), districts=())
    return period


class _Targets:
    """``judging.kpi_for`` for many cells: the targets file is read once, and a KPI
    is built once for each target entry in effect (most cells share one)."""

    def __init__(self, f: Filters, path: Path | None) -> None:
        self.f = f
        self.path = path
        self.file = load_targets(path)
        self.rules = self.file.rules
        self._province = judging.area_of(f)
        self._seen: dict[tuple[str, Target | None], judging.Kpi] = {}

    def kpi(self, kpi_id: str, row: Record) -> judging.Kpi:
        grouping, group = row["grouping"], as_text(row["group"])
        if grouping == "district" and group is not None:
            region, district = region_of(group), group
        elif grouping == "region" and group is not None:
            region, district = group, None
        else:
            region, district = self._province
        target = self.file.target_for(kpi_id, row["period_end"], region, district)
        key = (kpi_id, target)
        if key not in self._seen:
            cell = cell_filters(self.f, row["period_start"], row["period_end"], grouping, group)
            self._seen[key] = judging.kpi_for(kpi_id, cell, path=self.path)
        return self._seen[key]


def _exclusion(k: judging.Kpi, value: float | None, n: int, status: str | None, rules: StatusRules):
    if value is None or n == 0:
        return NO_DATA
    if k.target is None:
        return NO_TARGET
    if status == judging.N_TOO_SMALL:
        min_n = k.min_n if k.min_n is not None else rules.min_n
        return f"{TOO_SMALL}: {n} items, fewer than {min_n}"
    return None


def judge_cells(cells: pd.DataFrame, f: Filters, *, path: Path | None = None) -> pd.DataFrame:
    """``score_cells`` rows with each cell's target, status and score ratio.

    Adds (``JUDGED_COLUMNS``): name, direction, target, target_text,
    target_from (the target's effective_from), status and status_text
    (``judging.judge``, with the P90 targets too), ratio (uncapped) and capped
    (min(ratio, CAP)), and excluded: why a ``SCORE_KPIS`` KPI is left out
    of its cell's score (None: counted; other KPIs: None too, never scored).
    """
    targets = _Targets(f, path)
    rules = targets.rules
    added: dict[str, list[Any]] = {
        key: [] for key in JUDGED_COLUMNS if key not in score_cells.CELL_COLUMNS
    }
    for row in records(cells):
        k = targets.kpi(str(row["kpi_id"]), row)
        value, n = as_number(row["value"]), int(row["n"])
        p90 = judging.p90_for_target(k, row)
        status = judging.judge(k, value, n=n, p90=p90, rules=rules)
        excluded = None
        part_ratio = None
        if row["kpi_id"] in SCORE_KPIS:
            excluded = _exclusion(k, value, n, status, rules)
            if excluded is None:
                part_ratio = ratio(k.direction, value, k.target)  # type: ignore[arg-type]
                excluded = None if part_ratio is not None else NO_TARGET
        added["name"].append(k.name)
        added["direction"].append(k.direction)
        added["target"].append(k.target)
        added["target_text"].append(k.target_text)
        added["target_from"].append(k.effective_from)
        added["status"].append(status)
        added["status_text"].append(judging._status_words(k, value, status, rules))
        added["ratio"].append(part_ratio)
        added["capped"].append(None if part_ratio is None else min(part_ratio, CAP))
        added["excluded"].append(excluded)
    frame = cells.copy()
    for key, column in added.items():
        frame[key] = column
    for column in ("target", "ratio", "capped"):
        frame[column] = frame[column].astype("float64")
    return frame[list(JUDGED_COLUMNS)]


_SCORE_ORDER = {k: i for i, k in enumerate(SCORE_KPIS)}


def _parts(records: Iterable[Record]) -> tuple[ScorePart, ...]:
    rows = sorted(
        (r for r in records if r["kpi_id"] in _SCORE_ORDER),
        key=lambda r: _SCORE_ORDER[r["kpi_id"]],
    )
    return tuple(
        ScorePart(
            kpi_id=str(r["kpi_id"]),
            name=str(r["name"]),
            unit=str(r["unit"]),
            direction=str(r["direction"]),
            value=as_number(r["value"]),
            n=int(r["n"]),
            target=as_number(r["target"]),
            ratio=as_number(r["ratio"]),
            capped=as_number(r["capped"]),
            status=as_text(r["status"]),
            excluded=as_text(r["excluded"]),
        )
        for r in rows
    )


class Cells:
    """``judge_cells``' rows by cell (period, grouping, group), read once: the
    scorecard looks cells up many times, never by filtering the frame again."""

    def __init__(self, judged: pd.DataFrame) -> None:
        self.frame = judged
        self._rows: dict[tuple[str, str, str | None], list[Record]] = {}
        for record in records(judged):
            key = (str(record["period"]), str(record["grouping"]), as_text(record["group"]))
            self._rows.setdefault(key, []).append(record)

    def rows(self, period: str, grouping: str = "all", group: str | None = None) -> list[Record]:
        return self._rows.get((period, grouping, group), [])

    def groups(self, grouping: str) -> list[str]:
        """The named groups of a grouping, sorted."""
        return sorted({g for (_, by, g) in self._rows if by == grouping and g is not None})

    def score(self, period: str, grouping: str = "all", group: str | None = None) -> Score:
        return score_of(_parts(self.rows(period, grouping, group)))

    def record(self, period: str, grouping: str, group: str | None, kpi_id: str) -> Record | None:
        return next((r for r in self.rows(period, grouping, group) if r["kpi_id"] == kpi_id), None)

    def value(self, period: str, grouping: str, group: str | None, kpi_id: str) -> float | None:
        record = self.record(period, grouping, group, kpi_id)
        return None if record is None else as_number(record["value"])


def judged_cells(cells: pd.DataFrame | Cells, f: Filters, *, path: Path | None = None) -> Cells:
    """``cells`` judged (``judge_cells``) and indexed, once: a page judges its
    ``comparison_cells`` once and passes the result to every ``judge_*``."""
    if isinstance(cells, Cells):
        return cells
    if "excluded" in cells.columns:
        return Cells(cells)
    return Cells(judge_cells(cells, f, path=path))


def frame_of(cells: pd.DataFrame | Cells) -> pd.DataFrame:
    """The rows of ``cells``, as a frame, judged or not."""
    return cells.frame if isinstance(cells, Cells) else cells


def cell_score(
    judged: pd.DataFrame, period: str, grouping: str = "all", group: str | None = None
) -> Score:
    """The score of one cell of ``judge_cells``' output."""
    return Cells(judged).score(period, grouping, group)


# C1 for the period, with its comparisons ------------------------------------------


@dataclass(frozen=True)
class ScoreSummary:
    """C1 for the period, the previous period and the same period last year."""

    current: Score
    previous: Score
    last_year: Score
    target: float | None
    target_text: str
    status: str | None
    status_text: str
    previous_words: str  # "last month", "the previous quarter", ...

    @property
    def value(self) -> float | None:
        return self.current.value

    @property
    def delta(self) -> float | None:
        """Change on the previous period (None without both scores)."""
        return difference(self.current.value, self.previous.value)

    @property
    def delta_year(self) -> float | None:
        """Change on the same period last year (None without both scores)."""
        return difference(self.current.value, self.last_year.value)


def difference(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


def summarise(cells: pd.DataFrame | Cells, f: Filters, *, path: Path | None = None) -> ScoreSummary:
    """C1 from ``score_cells.comparison_cells`` (its "all" rows) for ``f``."""
    judged = judged_cells(cells, f, path=path)
    current = judged.score("current")
    c1 = judging.kpi_for("C1", f, path=path)
    rules = judging.status_rules(path)
    status = judging.judge(c1, current.value, rules=rules)
    return ScoreSummary(
        current=current,
        previous=judged.score("previous"),
        last_year=judged.score("last_year"),
        target=c1.target,
        target_text=c1.target_text,
        status=status,
        status_text=judging._status_words(c1, current.value, status, rules),
        previous_words=previous_words(f),
    )


def responsiveness_score(
    con: Connection, f: Filters, *, now: datetime | None = None, path: Path | None = None
) -> ScoreSummary:
    """Responsiveness score (C1): the mean over R3-R10, R12-R14 of min(actual
    ÷ target, 1.25), using target ÷ actual where lower is better (Boston's
    CityScore), for the period, the previous period and the same period last
    year. Unit: index, 1.0 = on target.

    A KPI is left out of the mean, and named with the reason, when it has no
    data in the period, rests on fewer items than the targets file's min_n
    ("n too small"), or has no numeric target in effect. Each KPI counts by
    its headline (the P50 for a duration) against the target in effect on
    the period's last day in the area chosen; its P90 target, if any, is
    not part of the score. The cap keeps one KPI far above target from
    hiding others below it. A district's or region's score uses its own
    targets where the targets file sets them.
    """
    periods = score_cells.comparison_periods(f)
    cells = score_cells.score_cells(con, f, periods, now=now)
    return summarise(cells, f, path=path)


# The monthly trend ----------------------------------------------------------------

TREND_COLUMNS: tuple[str, ...] = (
    "period",
    "period_start",
    "period_end",
    "score",
    "n_scored",
    "excluded",
    "target",
)


def judge_trend(
    months: pd.DataFrame | Cells, f: Filters, *, path: Path | None = None
) -> pd.DataFrame:
    """C1 per month from ``score_cells.month_cells``, oldest first.

    Columns ``TREND_COLUMNS``: period (``YYYY-MM``), period_start,
    period_end, score (None when nothing could be scored), n_scored (KPIs
    counted), excluded (``Score.excluded_text``), target (C1's, in effect
    on the month's last day). Each month's KPIs are judged against the
    targets in effect then.
    """
    judged = judged_cells(months, f, path=path)
    periods = judged.frame[["period", "period_start", "period_end"]].drop_duplicates()
    rows = []
    for period, start, end in sorted(periods.itertuples(index=False, name=None)):
        score = judged.score(str(period))
        c1 = judging.kpi_for("C1", replace(f, start=start, end=end), path=path)
        rows.append(
            {
                "period": period,
                "period_start": start,
                "period_end": end,
                "score": score.value,
                "n_scored": len(score.included),
                "excluded": score.excluded_text,
                "target": c1.target,
            }
        )
    frame = pd.DataFrame(rows, columns=list(TREND_COLUMNS))
    frame["score"] = frame["score"].astype("float64")
    frame["target"] = frame["target"].astype("float64")
    return frame


def score_trend(
    con: Connection, f: Filters, *, now: datetime | None = None, path: Path | None = None
) -> pd.DataFrame:
    """C1 by calendar month over the 12 months to the period's end (``judge_trend``)."""
    return judge_trend(score_cells.month_cells(con, f, now=now), f, path=path)


def sparklines(months: pd.DataFrame, kpi_ids: Iterable[str]) -> dict[str, list[float]]:
    """Each KPI's monthly values from ``month_cells`` (months without a value left out)."""
    rows = months[months["grouping"] == "all"].sort_values("period")
    return {k: [float(v) for v in rows.loc[rows["kpi_id"] == k, "value"].dropna()] for k in kpi_ids}


# The headline tiles ---------------------------------------------------------------

TILE_COLUMNS: tuple[str, ...] = (
    "kpi_id",
    "name",
    "unit",
    "value",
    "previous_value",
    "delta",
    "n",
    "numerator",
    "p90",
    "target",
    "target_text",
    "target_from",
    "direction",
    "status",
    "status_text",
    "cohort",
    "definition",
)


def judge_tiles(
    cells: pd.DataFrame | Cells,
    f: Filters,
    kpi_ids: Iterable[str] = HEADLINE_KPIS,
    *,
    path: Path | None = None,
) -> pd.DataFrame:
    """One row per headline KPI for ``f`` from ``comparison_cells``: the value,
    the previous period's, the change, n, the target in effect and the status
    (``TILE_COLUMNS``, the columns ``ui.cards`` reads)."""
    judged = judged_cells(cells, f, path=path)
    rows = []
    for kpi_id in kpi_ids:
        row = judged.record("current", "all", None, kpi_id)
        if row is None:
            continue
        k = judging.kpi_for(kpi_id, f, path=path)
        value, previous = as_number(row["value"]), judged.value("previous", "all", None, kpi_id)
        rows.append(
            {
                **{key: row[key] for key in TILE_COLUMNS if key in row},
                "previous_value": previous,
                "delta": difference(value, previous),
                "cohort": k.cohort,
                "definition": k.definition,
            }
        )
    frame = pd.DataFrame(rows, columns=list(TILE_COLUMNS))
    for column in ("value", "previous_value", "delta", "p90", "target"):
        frame[column] = frame[column].astype("float64")
    return frame


# League tables ----------------------------------------------------------------------

LEAGUE_COLUMNS: tuple[str, ...] = (
    "group",
    "region",
    "merged",
    "score",
    "previous_score",
    "change",
    "status",
    "n_scored",
    "excluded",
    "items_received",
    "items_per_100k",
    "population",
)


def judge_league(
    cells: pd.DataFrame | Cells, f: Filters, *, by: str, path: Path | None = None
) -> pd.DataFrame:
    """Districts, regions or merged/settled districts by C1, worst first.

    From ``comparison_cells``; ``by`` is "district", "region" or "merged".
    Columns ``LEAGUE_COLUMNS``: group, region and merged ("merged" /
    "settled"; district rows only), score, previous_score, change, status
    (C1's against its target), n_scored, excluded (which KPIs were left out
    and why), items_received (R1), items_per_100k (R2: items ÷ the 2023
    census population of the area × 100,000) and population. Sorted by
    score, lowest first; areas with no score last. Items naming no district
    are not an area and are left out (they count in the province's figures).
    """
    if by not in GROUPING_WORDS:
        raise ValueError(f"league by must be one of {', '.join(GROUPING_WORDS)}, not {by!r}")
    judged = judged_cells(cells, f, path=path)
    c1 = judging.kpi_for("C1", f, path=path)
    rules = judging.status_rules(path)
    areas = _area_facts() if by == "district" else {}
    rows = []
    for group in judged.groups(by):
        now, before = (judged.score(p, by, group) for p in ("current", "previous"))
        r1 = judged.record("current", by, group, "R1") or {}
        r2 = judged.record("current", by, group, "R2") or {}
        region, merged = areas.get(group, (None, None))
        rows.append(
            {
                "group": group,
                "region": region,
                "merged": merged,
                "score": now.value,
                "previous_score": before.value,
                "change": difference(now.value, before.value),
                "status": judging.judge(c1, now.value, rules=rules),
                "n_scored": len(now.included),
                "excluded": now.excluded_text,
                "items_received": int(r1.get("n", 0)),
                "items_per_100k": as_number(r2.get("value")),
                "population": as_number(r2.get("population")),
            }
        )
    frame = pd.DataFrame(rows, columns=list(LEAGUE_COLUMNS))
    for column in ("score", "previous_score", "change", "items_per_100k", "population"):
        frame[column] = frame[column].astype("float64")
    frame["items_received"] = frame["items_received"].astype("int64")
    frame["n_scored"] = frame["n_scored"].astype("int64")
    return frame.sort_values(
        ["score", "group"], ascending=[True, True], na_position="last", kind="stable"
    ).reset_index(drop=True)


def area_facts() -> dict[str, tuple[str, str]]:
    """District -> (police region, "merged"/"settled"), from the reference list."""
    return dict(_area_facts())


@lru_cache(maxsize=1)
def _area_facts() -> dict[str, tuple[str, str]]:
    """District -> (police region, "merged"/"settled"), from the reference list."""
    with (REFERENCE_DIR / "kp_districts.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["district"]: (
                row["police_region"],
                "merged" if row["merged_district"].strip().lower() == "yes" else "settled",
            )
            for row in csv.DictReader(handle)
        }


def league_table(
    con: Connection,
    f: Filters,
    *,
    by: str = "district",
    now: datetime | None = None,
    path: Path | None = None,
) -> pd.DataFrame:
    """``judge_league`` on this period's ``comparison_cells``."""
    return judge_league(score_cells.comparison_cells(con, f, now=now), f, by=by, path=path)


def previous_words(f: Filters) -> str:
    """How the previous period reads: "last month", "the previous quarter", ..."""
    whole_months = f.start.day == 1 and (f.end + timedelta(days=1)).day == 1
    months = (f.end.year - f.start.year) * 12 + f.end.month - f.start.month + 1
    if whole_months and months == 1:
        return "last month"
    if whole_months and months == 3 and (f.start.month - 7) % 3 == 0:
        return "the previous quarter"
    if whole_months and months == 12 and f.start == fiscal_year_start(f.start):
        return "the previous fiscal year"
    return f"the previous {f.days} days"
