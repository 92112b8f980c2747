"""KPI cards: one bordered ``st.metric`` per KPI, in a wrapping horizontal row.

A card shows the value in its unit, the change against the previous period
(green when it is an improvement: ``inverse`` where lower is better), an
icon for on or off target, and under the change the figure's base: P90 and
n for durations, the denominator for rates. The tooltip holds the
definition, the target and the cohort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from ui.format import delta_color, format_delta, format_value, is_missing, unit_kind

ON_TARGET = ":material/check_circle:"
OFF_TARGET = ":material/error:"
CARD_WIDTH = "stretch"

# The catalogue's cohort codes in words a reader can act on.
COHORT_WORDS = {
    "received": "items received in the period",
    "completed": "items that completed the step in the period",
    "completed + open past target at period end": (
        "items completed in the period + open items already past target"
    ),
    "due": "items falling due in the period",
    "open at period end": "items open at the period end",
}


def target_status(meets_target: object) -> str:
    if is_missing(meets_target):
        return "no target to compare with"
    return "on target" if bool(meets_target) else "not on target"


def _icon(meets_target: object) -> str | None:
    if is_missing(meets_target):
        return None
    return ON_TARGET if bool(meets_target) else OFF_TARGET


def _count(value: object) -> str | None:
    return None if is_missing(value) else f"{int(value):,}"  # type: ignore[arg-type]


def base_text(row: Mapping[str, object]) -> str | None:
    """What the figure rests on: ``P90 2.1 h · n 812`` or ``712 of 740``."""
    kind = unit_kind(str(row.get("unit")))
    n = _count(row.get("n"))
    if kind in {"minutes", "hours"}:
        parts = []
        if not is_missing(row.get("p90")):
            parts.append(f"P90 {format_value(row.get('p90'), str(row.get('unit')))}")
        if n:
            parts.append(f"n {n}")
        return " · ".join(parts) or None
    numerator = _count(row.get("numerator"))
    if kind == "pct":
        if numerator and n:
            return f"{numerator} of {n}"
        return f"n = {n}" if n else None
    if row.get("cohort") == "open at period end" and numerator is not None and n:
        return f"of {n} open"
    return None


def help_text(row: Mapping[str, object]) -> str:
    target = row.get("target_text") or row.get("target")
    lines = [str(row.get("definition") or "").strip()]
    if not is_missing(target) and str(target).strip():
        lines.append(f"**Target:** {target} ({target_status(row.get('meets_target'))}).")
    cohort = str(row.get("cohort") or "").strip()
    if cohort:
        lines.append(f"**Counts:** {COHORT_WORDS.get(cohort, cohort)}.")
    previous = row.get("previous_value")
    if not is_missing(previous):
        lines.append(f"Previous period: {format_value(previous, str(row.get('unit')))}.")
    return "\n\n".join(line for line in lines if line)


def kpi_card(row: Mapping[str, object], spark: Sequence[float] | None = None) -> None:
    unit = str(row.get("unit"))
    st.metric(
        f"{row['kpi_id']} · {row['name']}",
        format_value(row.get("value"), unit),
        delta=format_delta(row.get("delta"), unit),
        delta_color=delta_color(str(row.get("direction"))),
        delta_description=base_text(row),
        help=help_text(row),
        icon=_icon(row.get("meets_target")),
        border=True,
        width=CARD_WIDTH,
        height="stretch",
        chart_data=list(spark) if spark is not None and len(spark) > 1 else None,
    )


def kpi_row(summary: pd.DataFrame, sparks: Mapping[str, Sequence[float]] | None = None) -> None:
    """All KPI cards of ``summary`` in one wrapping row."""
    sparks = sparks or {}
    with st.container(horizontal=True, gap="small", vertical_alignment="distribute"):
        for row in summary.to_dict("records"):
            kpi_card(row, sparks.get(str(row["kpi_id"])))


def cohort_caption(summary: pd.DataFrame) -> str:
    """Which KPIs count which items, e.g. ``Received in period: R1, R3 · ...``."""
    if "cohort" not in summary:
        return ""
    groups = summary.groupby(summary["cohort"].fillna("other"), sort=False)["kpi_id"]
    parts = [
        f"**{COHORT_WORDS.get(str(cohort), str(cohort)).capitalize()}:** {', '.join(ids)}"
        for cohort, ids in groups
    ]
    return " · ".join(parts)
