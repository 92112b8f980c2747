"""KPI cards: one bordered ``st.metric`` per KPI, in a wrapping horizontal row.

A card shows the value in its unit, the change against the previous period
(green when it is an improvement: ``inverse`` where lower is better), an
icon for its status (on target, within the band around it, off target, or
"n too small": then the card shows those words instead of a confident
figure), beside a duration's value its P50 in the other clock (clock time
beside business time, and the reverse), and under the change the figure's
base: P90 and n for durations, the denominator for rates, the items needing
a reply beside the items received. The tooltip holds the
definition, the target and the cohort. Statuses come from ``metrics.kpis``;
nothing is judged here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from ui.format import delta_color, format_delta, format_value, is_missing, unit_kind

ON_TARGET = ":material/check_circle:"
NEAR_TARGET = ":material/warning:"
OFF_TARGET = ":material/error:"
N_TOO_SMALL = ":material/hourglass_empty:"
STATUS_ICONS = {
    "on_target": ON_TARGET,
    "near_target": NEAR_TARGET,
    "off_target": OFF_TARGET,
    "n_too_small": N_TOO_SMALL,
}
TOO_SMALL_TEXT = "n too small"
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


def _status(row: Mapping[str, object]) -> str | None:
    """The row's status code; rows without one fall back to ``meets_target``."""
    status = row.get("status")
    if not is_missing(status) and status:
        return str(status)
    meets = row.get("meets_target")
    if is_missing(meets):
        return None
    return "on_target" if bool(meets) else "off_target"


def target_status(row: Mapping[str, object]) -> str:
    """The status in words, as ``metrics.kpis`` wrote it."""
    text = row.get("status_text")
    if not is_missing(text) and text:
        return str(text)
    return {
        "on_target": "on target",
        "near_target": "near target",
        "off_target": "not on target",
        "n_too_small": TOO_SMALL_TEXT,
    }.get(_status(row) or "", "no target to compare with")


def _icon(row: Mapping[str, object]) -> str | None:
    return STATUS_ICONS.get(_status(row) or "")


def _count(value: object) -> str | None:
    return None if is_missing(value) else f"{int(value):,}"  # type: ignore[arg-type]


def _flag(row: Mapping[str, object], column: str) -> str:
    """How a figure withheld under the disclosure rule reads ("<5", "suppressed"),
    from a published row's ``<column>_flag``; "" when it is shown."""
    flag = row.get(f"{column}_flag")
    return str(flag) if isinstance(flag, str) else ""


def _count_text(row: Mapping[str, object], column: str) -> str | None:
    """A count of the row, or its flag when it is withheld."""
    return _flag(row, column) or _count(row.get(column))


def _too_small(row: Mapping[str, object]) -> bool:
    return _status(row) == "n_too_small"


def _working_days(row: Mapping[str, object]) -> str | None:
    """``4.7 working days`` where a P90 target is judged in working days (R9)."""
    if row.get("target_p90_unit") != "working days" or is_missing(row.get("p90_for_target")):
        return None
    return f"{float(row['p90_for_target']):,.1f} working days"  # type: ignore[arg-type]


def other_clock(row: Mapping[str, object]) -> str | None:
    """The P50 in the clock the headline is not in: ``clock 1.3 h`` beside business
    time (R4, R6), ``business 9.3 h`` beside clock time (R9); None for other KPIs."""
    clock, unit = row.get("clock"), str(row.get("unit"))
    other = {"business": ("clock", "calendar_p50"), "calendar": ("business", "business_p50")}
    if clock not in other:
        return None
    word, column = other[str(clock)]
    value = row.get(column)
    return None if is_missing(value) else f"{word} {format_value(value, unit)}"


def value_text(row: Mapping[str, object]) -> str:
    """The card's value: the headline, with the other clock's P50 small beside it."""
    if _too_small(row):
        return TOO_SMALL_TEXT
    if _flag(row, "value"):
        return _flag(row, "value")
    shown = format_value(row.get("value"), str(row.get("unit")))
    beside = other_clock(row) if not is_missing(row.get("value")) else None
    return f"{shown} :small[:gray[· {beside}]]" if beside else shown


def base_text(row: Mapping[str, object]) -> str | None:
    """What the figure rests on: ``P90 2.1 h · n 812``, ``712 of 740``,
    ``6,033 need a reply``."""
    unit = str(row.get("unit"))
    kind = unit_kind(unit)
    n = _count_text(row, "n")
    if kind in {"minutes", "hours"}:
        parts: list[str] = []
        if not is_missing(row.get("p90")):
            days = _working_days(row)
            p90 = f"P90 {format_value(row.get('p90'), unit)}"
            parts.append(f"{p90} ({days})" if days else p90)
        if n:
            parts.append(f"n {n}")
        return " · ".join(parts) or None
    numerator = _count_text(row, "numerator")
    if kind == "pct":
        if numerator and n:
            return f"{numerator} of {n}"
        return f"n = {n}" if n else None
    if row.get("cohort") == "open at period end" and numerator is not None and n:
        return f"of {n} open"
    needing = _count(row.get("needing_reply"))
    if needing is not None:
        return f"{needing} need a reply"
    return None


def _both_clocks(row: Mapping[str, object]) -> str | None:
    unit = str(row.get("unit"))
    if any(is_missing(row.get(c)) for c in ("business_p50", "calendar_p50")):
        return None
    business = f"P50 {format_value(row['business_p50'], unit)}"
    calendar = f"P50 {format_value(row['calendar_p50'], unit)}"
    if not is_missing(row.get("business_p90")):
        business += f", P90 {format_value(row['business_p90'], unit)}"
    if not is_missing(row.get("calendar_p90")):
        calendar += f", P90 {format_value(row['calendar_p90'], unit)}"
    return (
        f"**Business time** (the cell's staffed hours): {business}. "
        f"**Clock time** (calendar): {calendar}."
    )


def help_text(row: Mapping[str, object]) -> str:
    unit = str(row.get("unit"))
    target = row.get("target_text") or row.get("target")
    lines = [str(row.get("definition") or "").strip()]
    if _too_small(row):
        lines.append(
            f"**{target_status(row).capitalize()}:** the figure, "
            f"{format_value(row.get('value'), unit)} ({base_text(row)}), is not judged."
        )
    lines.append(_both_clocks(row) or "")
    needing = _count(row.get("needing_reply"))
    if needing is not None:
        lines.append(f"Of these items, {needing} need a human reply (R3's denominator).")
    if not is_missing(target) and str(target).strip():
        since = row.get("target_from")
        since_text = "" if is_missing(since) or not since else f", in effect since {since}"
        lines.append(f"**Target:** {target} ({target_status(row)}{since_text}).")
    cohort = str(row.get("cohort") or "").strip()
    if cohort:
        lines.append(f"**Counts:** {COHORT_WORDS.get(cohort, cohort)}.")
    previous = row.get("previous_value")
    if not is_missing(previous):
        lines.append(f"Previous period: {format_value(previous, unit)}.")
    return "\n\n".join(line for line in lines if line)


def kpi_card(row: Mapping[str, object], spark: Sequence[float] | None = None) -> None:
    unit = str(row.get("unit"))
    too_small = _too_small(row)
    st.metric(
        f"{row['kpi_id']} · {row['name']}",
        value_text(row),
        delta=None if too_small else format_delta(row.get("delta"), unit),
        delta_color=delta_color(str(row.get("direction"))),
        delta_description=base_text(row),
        help=help_text(row),
        icon=_icon(row),
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
