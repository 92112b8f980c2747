"""Inclusion on the IG's scorecard: who reaches the police and whether all are
answered alike (I1-I3).

* I1, women's and transgender share of items: items from female
  (transgender) requesters ÷ items with a known requester gender, beside
  that group's share of the 2023 census population;
* I2, responsiveness parity: R4's P50 (and R10) of women ÷ men,
  transgender ÷ men, merged ÷ settled districts; 1.0 is parity;
* I3, district coverage: districts meeting their R7 (acknowledgement within
  24 h) target.

Measured by ``metrics.score_cells`` (its gender, merged and district cells),
judged here against the targets file with ``metrics.judging`` and
``metrics.scorecard`` (statuses, "n too small").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from metrics import judging, score_cells
from metrics.filters import Filters
from metrics.scorecard import Cells, as_number, as_text, difference, frame_of, judged_cells

Connection = duckdb.DuckDBPyConnection

KNOWN_GENDERS: tuple[str, ...] = ("female", "male", "transgender")
INCLUSION_COLUMNS: tuple[str, ...] = (
    "group",
    "items",
    "known",
    "share_pct",
    "previous_share_pct",
    "change",
    "census_share_pct",
    "status",
    "status_text",
    "target_text",
)


def judge_inclusion(
    cells: pd.DataFrame | Cells, f: Filters, *, path: Path | None = None
) -> pd.DataFrame:
    """I1 from ``comparison_cells``: women's and transgender people's share of the
    items with a known requester gender (female, male or transgender), received
    in the period.

    One row each for "female" and "transgender" (``INCLUSION_COLUMNS``):
    items, known (the denominator), share_pct, previous_share_pct, change
    (points), census_share_pct (that group's share of the 2023 census
    population of the area, the catalogue's yardstick), status and
    status_text (``judging.judge`` of I1: "n too small" when known < min_n).
    """
    frame = frame_of(cells)
    genders = frame[(frame["grouping"] == "gender") & (frame["kpi_id"] == "R1")]
    k = judging.kpi_for("I1", f, path=path)
    rules = judging.status_rules(path)

    def counts(period: str) -> dict[str, int]:
        rows = genders[genders["period"] == period]
        return {str(g): int(n) for g, n in zip(rows["group"], rows["n"], strict=True)}

    def populations() -> dict[str, float]:
        rows = genders[genders["period"] == "current"]
        return {
            str(g): float(p)
            for g, p in zip(rows["group"], rows["population"], strict=True)
            if g in KNOWN_GENDERS and not pd.isna(p)
        }

    now, before, people = counts("current"), counts("previous"), populations()
    known, known_before = (sum(c.get(g, 0) for g in KNOWN_GENDERS) for c in (now, before))
    census = sum(people.values())
    rows = []
    for group in ("female", "transgender"):
        share = 100.0 * now.get(group, 0) / known if known else None
        earlier = 100.0 * before.get(group, 0) / known_before if known_before else None
        status = judging.judge(k, share, n=known, rules=rules)
        rows.append(
            {
                "group": group,
                "items": now.get(group, 0),
                "known": known,
                "share_pct": share,
                "previous_share_pct": earlier,
                "change": difference(share, earlier),
                "census_share_pct": 100.0 * people[group] / census if group in people else None,
                "status": status,
                "status_text": judging._status_words(k, share, status, rules),
                "target_text": k.target_text,
            }
        )
    frame = pd.DataFrame(rows, columns=list(INCLUSION_COLUMNS))
    for column in ("share_pct", "previous_share_pct", "change", "census_share_pct"):
        frame[column] = frame[column].astype("float64")
    return frame


def inclusion_share(
    con: Connection, f: Filters, *, now: datetime | None = None, path: Path | None = None
) -> pd.DataFrame:
    """Women's and transgender share of items (I1): items from female
    (transgender) requesters ÷ items with known gender (female, male or
    transgender), received in the period, beside the group's share of the 2023
    census population.

    Items whose requester's gender was not recorded ("unknown") are left out
    of the denominator, so the share says nothing about them. See
    ``judge_inclusion``.
    """
    return judge_inclusion(score_cells.comparison_cells(con, f, now=now), f, path=path)


PARITY_COLUMNS: tuple[str, ...] = (
    "comparison",
    "measure",
    "kpi_id",
    "group",
    "reference",
    "group_value",
    "reference_value",
    "group_n",
    "reference_n",
    "ratio",
    "status",
    "status_text",
    "target_text",
)
# (comparison, grouping, group, reference group)
PARITY_PAIRS: tuple[tuple[str, str, str, str], ...] = (
    ("Women ÷ men", "gender", "female", "male"),
    ("Transgender ÷ men", "gender", "transgender", "male"),
    ("Merged ÷ settled districts", "merged", "merged", "settled"),
)
PARITY_MEASURES: tuple[tuple[str, str], ...] = (
    ("R4", "First response time, P50 (business minutes)"),
    ("R10", "Resolution SLA attainment (%)"),
)


def judge_parity(
    cells: pd.DataFrame | Cells, f: Filters, *, path: Path | None = None
) -> pd.DataFrame:
    """I2 from ``comparison_cells``: R4's P50 (and R10) of one group ÷ the same of
    another, this period: women ÷ men, transgender ÷ men, merged ÷ settled.

    1.0 is parity. For R4 (a time) above 1 means the group waits longer; for
    R10 (a share) below 1 means fewer of its items resolved in time. Columns
    ``PARITY_COLUMNS``; status is ``judging.judge`` of I2 (inside the target
    band, e.g. 0.9–1.1, is on target), "n too small" when either side rests
    on fewer than min_n items, none when either side has no value.
    """
    frame = frame_of(cells)
    current = frame[frame["period"] == "current"]
    k = judging.kpi_for("I2", f, path=path)
    rules = judging.status_rules(path)
    rows = []
    for kpi_id, measure in PARITY_MEASURES:
        for comparison, grouping, group, reference in PARITY_PAIRS:
            sides = current[(current["grouping"] == grouping) & (current["kpi_id"] == kpi_id)]
            values = sides.set_index("group")
            a, b = (_side(values, g) for g in (group, reference))
            both = a[0] is not None and b[0] is not None and b[0] != 0
            value = a[0] / b[0] if both else None  # type: ignore[operator]
            status = judging.judge(k, value, n=min(a[1], b[1]), rules=rules)
            rows.append(
                {
                    "comparison": comparison,
                    "measure": measure,
                    "kpi_id": kpi_id,
                    "group": group,
                    "reference": reference,
                    "group_value": a[0],
                    "reference_value": b[0],
                    "group_n": a[1],
                    "reference_n": b[1],
                    "ratio": value,
                    "status": status,
                    "status_text": judging._status_words(k, value, status, rules),
                    "target_text": k.target_text,
                }
            )
    frame = pd.DataFrame(rows, columns=list(PARITY_COLUMNS))
    for column in ("group_value", "reference_value", "ratio"):
        frame[column] = frame[column].astype("float64")
    return frame


def _side(values: pd.DataFrame, group: str) -> tuple[float | None, int]:
    if group not in values.index:
        return None, 0
    return as_number(values.loc[group, "value"]), int(values.loc[group, "n"])


def parity(
    con: Connection, f: Filters, *, now: datetime | None = None, path: Path | None = None
) -> pd.DataFrame:
    """Responsiveness parity (I2): R4's P50 (and R10) for women ÷ the same for
    men; transgender ÷ men; merged ÷ settled districts. 1.0 is parity; the
    target is a band around it.

    For R4, a time, above 1 means the first group waits longer; for R10, a
    share, below 1 means fewer of its items are resolved in time. A ratio
    whose smaller side rests on fewer than min_n items is "n too small": few
    transgender requesters make their ratio unreliable in most months. See
    ``judge_parity``.
    """
    return judge_parity(score_cells.comparison_cells(con, f, now=now), f, path=path)


@dataclass(frozen=True)
class Coverage:
    """I3: the districts meeting their R7 target this period."""

    meeting: tuple[str, ...]  # R7 on target (enough referrals to judge)
    below: tuple[str, ...]  # judged and not on target (near or off)
    too_small: tuple[str, ...]  # fewer referrals due than min_n: not judged
    no_data: tuple[str, ...]  # no referral due in the period (or no R7 target)
    target: float | None
    target_text: str
    status: str | None  # against I3's target, only for the whole province
    status_text: str
    # R7 withheld under the disclosure rule (a published scorecard only):
    # counted as neither meeting nor below.
    withheld: tuple[str, ...] = ()

    @property
    def value(self) -> int:
        return len(self.meeting)

    @property
    def of(self) -> int:
        """Districts in scope (36 for the whole province)."""
        groups = (self.meeting, self.below, self.too_small, self.no_data, self.withheld)
        return sum(len(g) for g in groups)


def judge_coverage(
    cells: pd.DataFrame | Cells, f: Filters, *, path: Path | None = None
) -> Coverage:
    """I3 from ``comparison_cells``: districts (of those in scope, 36 for the
    province) whose R7, district acknowledgement within 24 h, is on their R7
    target this period. A district with fewer referrals due than min_n is "n
    too small", one with none "no data": neither counts as meeting. The I3
    target (36/36) is judged only when the filters cover the whole province.
    """
    judged = judged_cells(cells, f, path=path)
    r7 = {g: judged.record("current", "district", g, "R7") for g in judged.groups("district")}

    def named(*statuses: str) -> tuple[str, ...]:
        return tuple(
            g
            for g, r in r7.items()
            if r is not None and int(r["n"]) > 0 and r["status"] in statuses
        )

    # No referral due, or no R7 target to judge against: not meeting, not below.
    no_data = tuple(
        g for g, r in r7.items() if r is None or int(r["n"]) == 0 or not as_text(r["status"])
    )
    k = judging.kpi_for("I3", f, path=path)
    coverage = Coverage(
        meeting=named(judging.ON_TARGET),
        below=named(judging.NEAR_TARGET, judging.OFF_TARGET),
        too_small=named(judging.N_TOO_SMALL),
        no_data=no_data,
        target=k.target,
        target_text=k.target_text,
        status=None,
        status_text="",
    )
    rules = judging.status_rules(path)
    if f.regions or f.districts:
        return replace(
            coverage,
            status_text=f"the {k.target_text} target is for the whole province",
        )
    judged_status = judging.judge(k, float(coverage.value), rules=rules)
    return replace(
        coverage,
        status=judged_status,
        status_text=judging._status_words(k, coverage.value, judged_status, rules),
    )


def district_coverage(
    con: Connection, f: Filters, *, now: datetime | None = None, path: Path | None = None
) -> Coverage:
    """District coverage (I3): districts (of 36) whose R7, district
    acknowledgement within 24 h, meets its target in the period.

    A district with fewer referrals due than min_n ("n too small"), or none,
    does not count as meeting it. The 36/36 target is judged only when the
    filters cover the whole province. See ``judge_coverage``.
    """
    return judge_coverage(score_cells.comparison_cells(con, f, now=now), f, path=path)
