"""Definitions: every KPI of the dashboard, what it counts and what it is judged against.

For each KPI of the catalogue: its definition and formula, unit, which way
is better, which items it counts, the target in effect for the chosen
period and area with every entry of the targets file behind it, baseline,
owner, the function that computes it, the warehouse tables that function
reads, and its caveats; and, first, how the Overview judges (statuses, the
responsiveness score C1 and what it leaves out). All of it is generated
from the code and the targets file (``metrics.glossary``), so what this
page says is what the code does. Text is drawn as text.

Thin by design: it reads the sidebar filters (for the period whose targets
it shows), asks ``metrics.glossary`` and writes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import glossary, kpis
from metrics.filters import Filters
from ui import frame
from ui.format import filters_text, period_text

KEY_SEARCH = "definitions_search"


def header(f: Filters) -> None:
    st.title("Definitions", anchor=False)
    st.caption(
        "Every KPI on the dashboard, as the code computes it. Targets are those in effect on "
        f"the last day of the chosen period, **{period_text(f.start, f.end)}**, for "
        f"{filters_text(f).split(' · ')[0]}; each KPI lists every target it has had."
    )


def judging_section(rules: glossary.ScoreRules) -> None:
    st.subheader("How the Overview judges", anchor=False)
    statuses = "\n".join(
        f"- **{kpis.status_text(code)}**{meaning}"
        for code, meaning in (
            (kpis.ON_TARGET, ": at or better than the target."),
            (
                kpis.NEAR_TARGET,
                f": not on target, but no further from it than {rules.within_pct:g}% of the "
                "target (a 95% target: 85.5% or more; a 15-minute target: 16.5 minutes or "
                "less).",
            ),
            (kpis.OFF_TARGET, ": further from the target than that."),
            (
                kpis.N_TOO_SMALL,
                ": a share or a percentile resting on fewer items than this; it is shown "
                "but not judged. Counts are always shown.",
            ),
        )
    )
    st.markdown(
        "**Statuses.** Each KPI's value for the period is compared with the target in effect "
        "on the period's last day, in the area chosen (a district's or region's own target "
        "where the targets file sets one). A change of target never rewrites history: an "
        "earlier period keeps the target it had.\n\n" + statuses
    )
    st.markdown(
        "**The responsiveness score (C1)**, Boston's CityScore: for each of "
        f"{', '.join(rules.score_kpis)}, the ratio actual ÷ target (target ÷ actual where "
        f"lower is better), capped at {rules.cap:g} so that one excellent KPI cannot hide a "
        "poor one; the score is their mean. 1.0 means on target on average. A KPI is left "
        "out of the mean, and the Overview names it, when it has no data in the period, "
        f"rests on fewer than {rules.min_n} items, or has no numeric target in effect. "
        "Durations count by their headline (the median, P50). Each month of the trend, each "
        "district and each region is scored the same way with its own targets."
    )
    st.markdown(
        "**Periods.** Months, fiscal quarters and fiscal years run on Pakistan dates; the "
        "fiscal year runs July to June (FY2025-26 Q1 is July–September 2025). Changes "
        "compare with the period of the same length just before (a whole month with the "
        "month before) and with the same period a year earlier. "
        f"**Headline tiles:** {', '.join(rules.headline_kpis)}."
    )


def _history(entry: glossary.Entry) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "From": h.effective_from,
                "Where": h.where,
                "Target": h.target_text,
                "Baseline": "not set yet" if h.baseline is None else f"{h.baseline:g}",
                "Owner": h.owner,
                "Line in targets.yaml": h.line,
            }
            for h in entry.history
        ]
    )


def kpi_text(entry: glossary.Entry) -> str:
    """One KPI as markdown text."""
    since = f" (in effect since {entry.target_from})" if entry.target_from else ""
    baseline = "not set yet" if entry.baseline is None else f"{entry.baseline:g}"
    computed = (
        f"`{entry.computed_by}`, reading {', '.join(f'`{t}`' for t in entry.source_tables)}"
        if entry.computed_by and entry.source_tables
        else (f"`{entry.computed_by}`" if entry.computed_by else "not computed yet")
    )
    lines = [
        f"{entry.definition}",
        f"- **Formula:** {entry.formula}",
        f"- **Unit:** {entry.unit} · **Better:** {entry.direction}",
        f"- **Counts:** {entry.cohort}",
        f"- **Target:** {entry.target_text}{since} · **Baseline:** {baseline} · "
        f"**Owner:** {entry.owner}",
        f"- **Computed by:** {computed}",
        f"- **Cut by:** {', '.join(d.replace('_', ' ') for d in entry.disaggregations)}",
    ]
    if entry.caveats:
        lines.append("- **Caveats:** " + " ".join(entry.caveats))
    return "\n".join(lines)


def kpi_section(entries: tuple[glossary.Entry, ...], search: str) -> None:
    wanted = search.strip().lower()
    shown = [
        e for e in entries if not wanted or wanted in f"{e.id} {e.name} {e.definition}".lower()
    ]
    if not shown:
        st.info(f"No KPI matches “{search}”.", icon=":material/search_off:")
        return
    for section in dict.fromkeys(e.section for e in shown):
        st.subheader(section, anchor=False)
        for entry in (e for e in shown if e.section == section):
            score = " · in the score" if entry.in_score else ""
            with st.expander(f"**{entry.id} · {entry.name}**{score}", expanded=bool(wanted)):
                st.markdown(kpi_text(entry))
                if entry.history:
                    st.caption("Targets over time (the targets file's entries)")
                    st.dataframe(_history(entry), hide_index=True)


def main() -> None:
    f = frame.page_filters()
    if f is None:
        return
    header(f)
    judging_section(glossary.score_rules())
    search = st.text_input(
        "Find a KPI",
        key=KEY_SEARCH,
        placeholder="An id, a name or a word of its definition",
        width=420,
    )
    kpi_section(glossary.glossary(f), search)


main()
