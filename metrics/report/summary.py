"""The executive summary: plain sentences written from the report's figures.

Only published figures are used (a value the disclosure rule hides is
never described, not even as "fell" or "rose"). The sentences say the
volume, how many indicators are on target, the biggest changes against
the previous period, the indicators furthest from target, and the gaps
between women and men and between merged and settled districts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from metrics.report.model import delta_text, is_missing, value_text

if TYPE_CHECKING:
    from metrics.report.model import PublishedTable, ReportData

TOP = 3
_JUDGED = ("higher", "lower")


def _name(row: pd.Series) -> str:
    return f"{row['indicator']} ({row['kpi_id']})"


def _better(direction: str, delta: float) -> bool:
    return delta > 0 if direction == "higher" else delta < 0


def volume(data: ReportData) -> str | None:
    rows = data.indicators[data.indicators["row_id"] == "R1"]
    if rows.empty:
        return None
    r1 = rows.iloc[0]
    this = value_text(r1["this_period"], "count", r1["this_period_flag"])
    text = f"In {data.period.label} the media cell received {this} items"
    compared = []
    if not is_missing(r1["previous"]) and not is_missing(r1["this_period"]) and r1["previous"]:
        change = 100.0 * (float(r1["this_period"]) - float(r1["previous"])) / float(r1["previous"])
        compared.append(
            f"{abs(change):.0f}% {'more' if change >= 0 else 'fewer'} than the "
            f"{value_text(r1['previous'], 'count')} of {data.period.previous().short_label}"
        )
    if not is_missing(r1["last_year"]):
        compared.append(f"{value_text(r1['last_year'], 'count')} a year earlier")
    if compared:
        text += f" ({'; '.join(compared)})"
    text += "."
    if (
        not is_missing(r1["fiscal_ytd"])
        and data.period.fiscal_year_to_date()[0] < data.period.start
    ):
        text += (
            f" {value_text(r1['fiscal_ytd'], 'count')} items so far in {data.period.fiscal_year}."
        )
    return text


def on_target(data: ReportData) -> str | None:
    judged = data.indicators[
        data.indicators["status"].isin(["on_target", "near_target", "off_target"])
    ]
    if judged.empty:
        return None
    counts = judged["status"].value_counts()
    small = int((data.indicators["status"] == "n_too_small").sum())
    text = (
        f"Of the {len(judged)} indicators judged against a target, "
        f"{counts.get('on_target', 0)} were on target, {counts.get('near_target', 0)} within "
        f"the tolerance band and {counts.get('off_target', 0)} off target"
    )
    if small:
        text += f"; {small} rested on too few items to judge"
    return text + "."


def biggest_changes(data: ReportData) -> list[str]:
    """The largest relative changes against the previous period, either way."""
    rows = data.indicators[
        data.indicators["direction"].isin(_JUDGED)
        & (data.indicators["kpi_id"] != "I1")  # said in the inclusion sentences
        & data.indicators["this_period"].notna()
        & data.indicators["previous"].notna()
        & (data.indicators["previous"] != 0)
    ].copy()
    if rows.empty:
        return []
    rows["relative"] = (rows["delta"] / rows["previous"].abs()).abs()
    rows = rows[rows["relative"] >= 0.05].sort_values(
        ["relative", "kpi_id"], ascending=[False, True]
    )
    previous = data.period.previous().short_label
    out = []
    for _, row in rows.head(TOP).iterrows():
        verb = "improved" if _better(str(row["direction"]), float(row["delta"])) else "worsened"
        out.append(
            f"{_name(row)} {verb} from {value_text(row['previous'], row['unit'])} in {previous} "
            f"to {value_text(row['this_period'], row['unit'])} "
            f"({delta_text(row['delta'], row['unit'])})."
        )
    return out


def furthest_from_target(data: ReportData) -> list[str]:
    """Indicators off or near target, furthest from it first."""
    rows = data.indicators[
        data.indicators["status"].isin(["off_target", "near_target"])
        & data.indicators["target"].notna()
        & (data.indicators["target"] != 0)
    ].copy()
    if rows.empty:
        return []
    gap = (rows["this_period"] - rows["target"]) / rows["target"].abs()
    rows["gap"] = [-g if d == "higher" else g for g, d in zip(gap, rows["direction"], strict=True)]
    rows = rows.sort_values(["gap", "kpi_id"], ascending=[False, True])
    out = []
    for _, row in rows.head(TOP).iterrows():
        out.append(
            f"{_name(row)} was {value_text(row['this_period'], row['unit'])}, "
            f"{row['status_text']}: the target is {row['target_text']}."
        )
    return out


def _pair(data: ReportData, key: str, a: str, b: str, kpi_id: str) -> str | None:
    """``x in a against y in b`` for one KPI of a table, both published."""
    table: PublishedTable | None = data.table(key)
    if table is None or a not in table.values.index or b not in table.values.index:
        return None
    first, second = table.values.at[a, kpi_id], table.values.at[b, kpi_id]
    if is_missing(first) or is_missing(second):
        return None
    unit = table.units[kpi_id]
    who = {"Female": "women", "Male": "men"}
    names = data.indicators.loc[data.indicators["row_id"] == kpi_id, "indicator"]
    name = f"{names.iloc[0]} ({kpi_id})" if not names.empty else table.labels[kpi_id]
    return (
        f"{name} was {value_text(first, unit)} for {who.get(a, a.lower())} "
        f"against {value_text(second, unit)} for {who.get(b, b.lower())}"
    )


def inclusion(data: ReportData) -> list[str]:
    out = []
    women = data.indicators[data.indicators["row_id"] == "I1_female"]
    if not women.empty and not is_missing(women.iloc[0]["this_period"]):
        row = women.iloc[0]
        text = f"Women sent {value_text(row['this_period'], '%')} of the items whose sender's gender is known"
        if not is_missing(row["previous"]):
            text += f" ({value_text(row['previous'], '%')} the period before)"
        out.append(text + ".")
    for key, a, b, kpi_id in (
        ("gender", "Female", "Male", "R5"),
        ("merged", "Merged districts", "Settled districts", "R5"),
        ("merged", "Merged districts", "Settled districts", "R7"),
    ):
        sentence = _pair(data, key, a, b, kpi_id)
        if sentence:
            out.append(sentence[0].upper() + sentence[1:] + ".")
    return out


def withheld(data: ReportData) -> str | None:
    cells = sum(t.hidden_cells for t in data.disaggregations)
    flags = [c for c in data.indicators.columns if c.endswith("_flag")]
    cells += int((data.indicators[flags] != "").sum().sum())
    if not cells:
        return None
    return (
        f"{cells} figures are withheld under the disclosure rule (small counts, and the "
        "cells that would reveal them); see the methodology annex."
    )


def sentences(data: ReportData) -> tuple[str, ...]:
    """The executive summary, in reading order."""
    out: list[str | None] = [volume(data), on_target(data)]
    out.extend(biggest_changes(data))
    out.extend(furthest_from_target(data))
    out.extend(inclusion(data))
    out.append(withheld(data))
    if not data.complete:
        out.append(f"{data.period.label} has not ended: the figures will change as data arrive.")
    return tuple(s for s in out if s)
