"""The KPIs as pages, reports and tests read them: definition + function + target.

Three sources meet here and nowhere else, so none of them imports another:

* ``metrics.catalogue``: what each KPI means (name, unit, direction, cohort,
  disaggregations);
* the functions that compute them (``metrics.responsiveness``,
  ``metrics.social``); for R1-R14 the first paragraph of the function's
  docstring *is* the definition, so the words shown are what the code does;
* ``metrics.targets``: the targets in effect on a day, for an area, from the
  file the Directorate edits.

``catalogue()`` gives every KPI with the target in effect today
(province-wide); ``kpi_for(kpi_id, f)`` the one for a filter's period and
area. ``judge`` turns a value into a status: on target, within the file's
band of it (e.g. "within 10%"), off target, or "n too small" when a rate or
percentile rests on fewer items than the file's minimum. ``kpi_summary`` is
the responsiveness page's table: the measured part (``kpi_values``, which a
page caches with the warehouse) and the targets (``with_targets``, read from
the file on every run, so an edited target shows at once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from metrics import composite, judging, responsiveness, sla
from metrics.catalogue import DEFINITIONS
from metrics.filters import Filters

# Re-exported: pages, reports and tests read every KPI fact through this module.
from metrics.judging import (  # noqa: F401
    N_TOO_SMALL,
    NEAR_TARGET,
    OFF_TARGET,
    ON_TARGET,
    SAMPLED_UNITS,
    STATUSES,
    Kpi,
    _missing,
    _status_words,
    area_of,
    definition_of,
    judge,
    meets_target,
    p90_for_target,
    status_rules,
    status_text,
    today_pkt,
    working_day_minutes,
)

Connection = duckdb.DuckDBPyConnection

# Every KPI's function: the measured ones and the composites built on them.
KPI_FUNCTIONS: dict[str, Callable[..., Any]] = {
    **judging.MEASURED_FUNCTIONS,
    **composite.KPI_FUNCTIONS,
}
PAGE_KPIS: tuple[str, ...] = responsiveness.PAGE_KPIS


def kpi(
    kpi_id: str,
    on: date | None = None,
    region: str | None = None,
    district: str | None = None,
    *,
    path: Path | None = None,
) -> Kpi:
    """One KPI with the target in effect on ``on`` (default today) in an area."""
    return judging.kpi(kpi_id, on, region, district, path=path, functions=KPI_FUNCTIONS)


def catalogue(path: Path | None = None, *, on: date | None = None) -> dict[str, Kpi]:
    """Every KPI by id (R1-R14, M1-M7, S1-S6, I1-I4, C1), in catalogue order,
    each with its function and its province-wide target in effect on ``on``
    (default: today in Pakistan). Raises ``TargetsFileError`` naming the file
    and line of a mistake in the targets file."""
    return judging.catalogue(path, on=on, functions=KPI_FUNCTIONS)


def kpi_for(kpi_id: str, f: Filters, *, path: Path | None = None) -> Kpi:
    """A KPI with the target in effect on the period's last day, in its area.

    A month keeps the target it had then, whatever changed later.
    """
    return judging.kpi_for(kpi_id, f, path=path, functions=KPI_FUNCTIONS)


# The responsiveness page's KPI table -------------------------------------------

VALUE_COLUMNS: tuple[str, ...] = (
    "kpi_id",
    "name",
    "unit",
    "value",
    "previous_value",
    "delta",
    "n",
    "numerator",
    "p90",
    "direction",
    "cohort",
    "definition",
    "needing_reply",
    "clock",
    "business_p50",
    "business_p90",
    "calendar_p50",
    "calendar_p90",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
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
    "direction",
    "meets_target",
    "cohort",
    "definition",
    # added to the first fifteen, in this order
    "needing_reply",
    "clock",
    "business_p50",
    "business_p90",
    "calendar_p50",
    "calendar_p90",
    "target_p90",
    "target_p90_unit",
    "p90_for_target",
    "target_from",
    "status",
    "status_text",
)


def kpi_values(
    con: Connection,
    f: Filters,
    *,
    now: datetime | None = None,
    period_end: sla.PeriodEndCounts | None = None,
) -> pd.DataFrame:
    """The measured part of ``kpi_summary``: one row per ``PAGE_KPIS`` KPI.

    Columns: kpi_id, name, unit, value, previous_value, delta (value −
    previous_value, over ``f.previous()``), n, numerator, p90, direction,
    cohort, definition, needing_reply (R1 only: of the items received,
    those needing a reply, R3's denominator), and for the duration KPIs R4,
    R6 and R9 the headline's clock ("business" for R4 and R6, "calendar"
    for R9) and their P50 and P90 in both clocks, in the KPI's unit:
    business_p50, business_p90 (staffed hours), calendar_p50, calendar_p90
    (clock time). No targets: ``with_targets`` adds them. ``period_end``:
    the period's ``sla.totals``, when the caller has read them already.
    """
    currents = responsiveness.compute_kpis(con, PAGE_KPIS, f, now=now, period_end=period_end)
    befores = responsiveness.compute_kpis(con, PAGE_KPIS, f.previous(), now=now)
    rows: list[dict[str, Any]] = []
    for kpi_id in PAGE_KPIS:
        spec, current, before = DEFINITIONS[kpi_id], currents[kpi_id], befores[kpi_id]
        both = current.value is not None and before.value is not None
        rows.append(
            {
                "kpi_id": kpi_id,
                "name": spec.name,
                "unit": current.unit,
                "value": current.value,
                "previous_value": before.value,
                "delta": current.value - before.value if both else None,
                "n": current.n,
                "numerator": current.numerator,
                "p90": current.p90,
                "direction": spec.direction,
                "cohort": spec.cohort,
                "definition": spec.definition or definition_of(KPI_FUNCTIONS[kpi_id]),
                # R3's denominator is R1's items that need a reply (same scan).
                "needing_reply": currents["R3"].n if kpi_id == "R1" else None,
                "clock": current.clock,
                "business_p50": current.business_p50,
                "business_p90": current.business_p90,
                "calendar_p50": current.calendar_p50,
                "calendar_p90": current.calendar_p90,
            }
        )
    frame = pd.DataFrame(rows, columns=list(VALUE_COLUMNS))
    floats = ("value", "previous_value", "delta", "p90")
    for column in (*floats, "business_p50", "business_p90", "calendar_p50", "calendar_p90"):
        frame[column] = frame[column].astype("float64")
    frame["n"] = frame["n"].astype("int64")
    frame["numerator"] = frame["numerator"].astype("Int64")
    frame["needing_reply"] = frame["needing_reply"].astype("Int64")
    return frame


def with_targets(values: pd.DataFrame, f: Filters, *, path: Path | None = None) -> pd.DataFrame:
    """``kpi_values`` with each KPI's target in effect for ``f`` and its status.

    The target is the one in effect on the period's last day in the
    filter's area (``kpi_for``). Adds: target, target_text, meets_target
    (on target, whatever n; None with no target or no value), target_p90,
    target_p90_unit, p90_for_target (the P90 in that unit: R9's business
    P90 in working days), target_from (the target's effective_from),
    status (``STATUSES`` or None) and status_text. Columns in
    ``SUMMARY_COLUMNS`` order.
    """
    rules = status_rules(path)
    frame = values.copy()
    added: dict[str, list[Any]] = {
        key: []
        for key in (
            "target",
            "target_text",
            "meets_target",
            "target_p90",
            "target_p90_unit",
            "p90_for_target",
            "target_from",
            "status",
            "status_text",
        )
    }
    for row in frame.to_dict("records"):
        k = kpi_for(str(row["kpi_id"]), f, path=path)
        p90 = p90_for_target(k, row)
        n = None if _missing(row.get("n")) else int(row["n"])
        status = judge(k, row["value"], n=n, p90=p90, rules=rules)
        added["target"].append(k.target)
        added["target_text"].append(k.target_text)
        added["meets_target"].append(meets_target(k, row["value"], p90=p90))
        added["target_p90"].append(k.target_p90)
        added["target_p90_unit"].append(k.target_p90_unit)
        added["p90_for_target"].append(p90)
        added["target_from"].append(k.effective_from)
        added["status"].append(status)
        added["status_text"].append(_status_words(k, row["value"], status, rules))
    for key, column in added.items():
        frame[key] = column
    for column in ("target", "target_p90", "p90_for_target"):
        frame[column] = frame[column].astype("float64")
    frame["meets_target"] = frame["meets_target"].astype("boolean")
    return frame[list(SUMMARY_COLUMNS)]


def kpi_summary(con: Connection, f: Filters, *, now: datetime | None = None) -> pd.DataFrame:
    """One row per ``PAGE_KPIS`` KPI: this period, the previous one, the target.

    ``with_targets(kpi_values(con, f, now=now), f)``: columns
    ``SUMMARY_COLUMNS``: kpi_id, name, unit, value, previous_value, delta
    (value − previous_value), n, numerator, p90, target, target_text,
    direction, meets_target, cohort, definition, then needing_reply (R1),
    clock, business_p50, business_p90, calendar_p50, calendar_p90 (R4, R6, R9),
    target_p90, target_p90_unit, p90_for_target, target_from, status,
    status_text. The previous period is ``f.previous()``.
    """
    return with_targets(kpi_values(con, f, now=now), f)


@dataclass(frozen=True)
class CardsAndLeagues:
    """The Response times page's cards and SLA leagues, read together."""

    values: pd.DataFrame  # kpi_values(con, f)
    leagues: dict[str, pd.DataFrame]  # responsiveness.sla_league(con, f, by=...) by LEAGUE_GROUPS


def cards_and_leagues(
    con: Connection, f: Filters, *, now: datetime | None = None
) -> CardsAndLeagues:
    """``kpi_values(con, f)`` and ``sla_league(con, f, by=…)`` for every
    league grouping, equal to those functions, with the period's end-of-period
    counts (R1, R3, R5, R10, R11) read in one scan for the whole and for each
    league (``sla.period_end_counts_by``) instead of one scan each."""
    counts = sla.period_end_counts_by(con, f, ("all", *responsiveness.LEAGUE_GROUPS), now=now)
    whole = counts["all"].get(None, sla.PeriodEndCounts())
    return CardsAndLeagues(
        values=kpi_values(con, f, now=now, period_end=whole),
        leagues={by: responsiveness.league_of(counts[by]) for by in responsiveness.LEAGUE_GROUPS},
    )


# S6: the social response figures against Meta's badge ------------------------


def judge_social_response(response: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """``social.public_response`` with S6's targets (Meta's "very responsive" badge).

    Adds target (the reply-rate target, in %, on the response_rate row;
    the first-reply minutes target on the clock-time row, as Meta counts
    clock time; none on the business-time row), target_text and status
    (``STATUSES`` or None) with status_text. The target is S6's in effect
    on the period's last day.
    """
    k = kpi_for("S6", f)
    rules = status_rules()
    frame = response.copy()
    goals = {
        "response_rate": ("higher", k.target),
        "first_response_p50_calendar": ("lower", k.target_minutes),
    }
    targets, statuses, words = [], [], []
    for row in frame.to_dict("records"):
        direction, goal = goals.get(str(row["measure"]), ("monitor", None))
        probe = Kpi(
            id="S6",
            name=k.name,
            definition=k.definition,
            unit=str(row["unit"]),
            direction=direction,
            target=goal,
            target_text=k.target_text,
            baseline=None,
            owner=k.owner,
            disaggregations=k.disaggregations,
            cohort=k.cohort,
            min_n=k.min_n,
        )
        n = None if _missing(row.get("n")) else int(row["n"])
        status = judge(probe, row["value"], n=n, rules=rules)
        targets.append(goal)
        statuses.append(status)
        words.append(_status_words(probe, row["value"], status, rules))
    frame["target"] = pd.Series(targets, index=frame.index, dtype="float64")
    frame["target_text"] = k.target_text
    frame["status"] = statuses
    frame["status_text"] = words
    return frame
