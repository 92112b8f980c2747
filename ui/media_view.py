"""Small drawing helpers the Media and Outreach pages share: KPI cards and tables.

Cards are bordered ``st.metric`` with fixed, code-written labels; any text
from a register is shown only through ``st.dataframe`` or ``st.text`` (never
rendered as Markdown). Statuses come from ``metrics.kpis.judge``; nothing is
judged here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ui.format import is_missing, minutes_text

STATUS_ICONS = {
    "on_target": ":material/check_circle:",
    "near_target": ":material/warning:",
    "off_target": ":material/error:",
    "n_too_small": ":material/hourglass_empty:",
}


def value_text(value: object, unit: str) -> str:
    """A KPI value in its unit: ``1,204``, ``62.5%``, ``+14``, ``48 min``, ``3.2 h``."""
    if is_missing(value):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if unit == "%":
        return f"{number:.1f}%"
    if unit == "points":
        return f"{number:+.0f}"
    if unit == "minutes":
        return minutes_text(number)
    if unit == "hours":
        return f"{number:,.1f} h"
    return f"{number:,.0f}"


def delta_text(value: object, previous: object, unit: str) -> str | int | None:
    """The change against the previous period in the KPI's unit (0 when none)."""
    if is_missing(value) or is_missing(previous):
        return None
    change = float(value) - float(previous)  # type: ignore[arg-type]
    if abs(change) < 0.05:
        return 0
    if unit == "%":
        return f"{change:+.1f} pp"
    if unit == "minutes":
        return ("+" if change >= 0 else "-") + minutes_text(abs(change))
    if unit == "hours":
        return f"{change:+,.1f} h"
    return f"{change:+,.0f}"


def card(
    label: str,
    value: object,
    unit: str,
    *,
    previous: object = None,
    lower_is_better: bool = False,
    monitor: bool = False,
    base: str | None = None,
    help: str | None = None,
    status: str | None = None,
) -> None:
    """One KPI card. ``label`` and ``help`` are the code's own words."""
    st.metric(
        label,
        value_text(value, unit),
        delta=delta_text(value, previous, unit),
        delta_color="off" if monitor else ("inverse" if lower_is_better else "normal"),
        delta_description=base,
        help=help,
        icon=STATUS_ICONS.get(status or ""),
        border=True,
        width="stretch",
        height="stretch",
    )


def cards_row() -> st.delta_generator.DeltaGenerator:
    """A wrapping horizontal row for cards."""
    return st.container(horizontal=True, gap="small", vertical_alignment="distribute")


def table(
    frame: pd.DataFrame,
    columns: dict[str, object],
    *,
    height: int | str = "auto",
    order: Sequence[str] | None = None,
) -> None:
    """A read-only table of the named columns (text shown as text)."""
    st.dataframe(
        frame,
        hide_index=True,
        height=height,
        column_config=columns,
        column_order=tuple(order or columns),
    )


def empty(message: str) -> None:
    st.info(message, icon=":material/info:")
