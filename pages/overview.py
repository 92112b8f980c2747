"""Overview: the Inspector General's scorecard, the IG office's landing page.

Is the Directorate on target, where is it not, which districts need
attention: the responsiveness score C1 with its monthly trend and its
change on the previous period and the same period last year; a tile per
headline KPI (status, change, sparkline, a link to the page that explains
it, with the same filters); what needs attention, in sentences; league
tables of districts, regions and merged vs settled districts; inclusion
(I1-I3). Every definition is on the Definitions page.

A donor (``auth.policy.published_only``) sees the same page as published
outside the police: ``metrics.published_scorecard`` applies the monthly
report's disclosure control on the server before anything is drawn (small
counts read "<5" or "<10", what rests on them is withheld).

Thin by design: it reads the sidebar filters, asks ``metrics`` through the
cached ``ui.queries`` (one query, ``published_scorecard.overview_cells``:
the period, the one before, the same period last year and the 12 months of
the trend, with disclosure flags for a published view), has
``metrics.published_scorecard`` judge it against the targets file (``board``
or ``published_board``), and draws (``ui.scorecard_view``,
``ui.scorecard_charts``). No SQL, no business rules.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from auth import policy
from metrics import attention, inclusion, kpis, published_scorecard, scorecard
from metrics.filters import Filters
from ui import frame, freshness, login
from ui import scorecard_charts as charts
from ui import scorecard_view as view
from ui.format import filters_text, format_delta, period_text, quarter_text
from ui.queries import query


def header(f: Filters) -> None:
    st.title("Overview", anchor=False)
    previous, last_year = f.previous(), f.same_period_last_year()
    st.caption(
        f"**{period_text(f.start, f.end)}** ({quarter_text(f.start, f.end)}) · "
        f"{filters_text(f)} · compared with {period_text(previous.start, previous.end)} "
        f"and with the same period last year, {period_text(last_year.start, last_year.end)}"
    )


def score_section(
    summary: scorecard.ScoreSummary, trend: pd.DataFrame, parts: pd.DataFrame
) -> None:
    left, right = st.columns([1, 2])
    with left, st.container(border=True, height="stretch"):
        view.score_metric(summary, trend)
        year = summary.last_year.value
        change = format_delta(summary.delta_year, None)  # 0: rounds to nothing
        st.caption(
            "Same period last year: "
            + ("no score" if year is None else f"{year:.2f}")
            + ("" if change is None else f" ({'no change' if change == 0 else change})")
        )
        st.caption(
            f"Scored on {len(summary.current.included)} of {len(summary.current.parts)} KPIs."
            + (f" Left out: {summary.current.excluded_text}." if summary.current.excluded else "")
        )
        with st.expander("The KPIs behind the score"):
            st.dataframe(
                parts,
                hide_index=True,
                column_config={
                    "Value": st.column_config.NumberColumn(format="%.1f"),
                    "Target": st.column_config.NumberColumn(format="%.1f"),
                    "Ratio": st.column_config.NumberColumn(format="%.2f"),
                    "Counted as": st.column_config.NumberColumn(format="%.2f"),
                },
            )
        view.link("definitions.py", "How the score is worked out")
    with right, st.container(border=True, height="stretch"):
        st.markdown("**Responsiveness score by month**")
        st.caption(
            "Each month judged against the targets in effect that month; a gap is a month "
            "with nothing to score."
        )
        st.plotly_chart(charts.score_trend(trend), config=charts.CONFIG)


def attention_section(found: attention.Attention) -> None:
    st.subheader("Needs attention", anchor=False)
    st.caption(
        "The districts with the lowest scores under 1.0, each with its KPI furthest below "
        "target; and the KPIs furthest below target for these filters. KPIs with too few "
        "items to judge are never named."
    )
    districts, measures = st.columns(2)
    with districts, st.container(border=True, height="stretch"):
        st.markdown("**Districts**")
        view.sentences(found.districts, "No district is below target on its score.")
    with measures, st.container(border=True, height="stretch"):
        st.markdown("**KPIs**")
        view.sentences(found.kpis, "No KPI is below target.")


def league_section(leagues: dict[str, pd.DataFrame]) -> None:
    st.subheader("League tables, worst first", anchor=False)
    st.caption(
        "Each area's responsiveness score (C1) with its own targets, the items it "
        "received (R1) and items per 100,000 people of its 2023 census population (R2). "
        "A KPI on too few items in an area is left out of that area's score."
    )
    districts, regions, merged = st.tabs(["Districts", "Regions", "Merged vs settled"])
    with districts:
        table = leagues["district"]
        view.league(table, by="district")
        if table["score"].notna().any():
            st.plotly_chart(charts.district_scores(table), config=charts.CONFIG)
    with regions:
        view.league(leagues["region"], by="region")
    with merged:
        st.caption(
            "The merged districts (the former tribal areas) beside the settled ones, "
            "on the same KPIs and targets."
        )
        view.league(leagues["merged"], by="merged")


def inclusion_section(
    shares: pd.DataFrame, coverage: inclusion.Coverage, parity: pd.DataFrame
) -> None:
    st.subheader("Inclusion", anchor=False)
    st.caption(
        "Who reaches the police (I1), whether they are answered as fast (I2), and how many "
        "districts acknowledge referrals within 24 h (I3)."
    )
    left, right = st.columns([2, 1])
    with left:
        view.inclusion_shares(shares)
    with right:
        view.coverage(coverage)
    st.markdown("**I2 · Responsiveness parity**")
    st.caption(
        "One group's median first-response time (or resolution SLA) ÷ another's: 1.0 is "
        "parity. Above 1 on first response means the group waits longer."
    )
    view.parity_table(parity)


def main() -> None:
    f = frame.page_filters()
    if f is None:  # no warehouse to read, or not allowed: the frame has said why
        return
    published = policy.published_only(login.current_role())
    header(f)
    freshness.stale_notice("inquiries")
    # One query (cached with the warehouse), judged against the targets file
    # on every run, so an edited target shows at once.
    measured = query(published_scorecard.overview_cells, f, published=published)
    if published:
        board = published_scorecard.published_board(measured, f)
    else:
        board = published_scorecard.board(measured, f)
    if board.rule:
        st.caption(f"**Published view.** {board.rule}")
    score_section(board.summary, board.trend, board.parts)
    st.subheader("Headline KPIs", anchor=False)
    view.tiles(board.tiles, board.sparks)
    st.caption(
        "Change on the previous period; the line is the last 12 months. "
        f"Green: {kpis.status_text(kpis.ON_TARGET)} · orange: "
        f"{kpis.status_text(kpis.NEAR_TARGET)} · red: {kpis.status_text(kpis.OFF_TARGET)} · "
        f"grey: {kpis.status_text(kpis.N_TOO_SMALL)}, or no target."
    )
    attention_section(board.attention)
    league_section(board.leagues)
    inclusion_section(board.inclusion, board.coverage, board.parity)


main()
