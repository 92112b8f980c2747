"""Plotly figures of the IG's scorecard (the Overview page), in the dashboard's palette.

The responsiveness score C1 by month against its target (a dashed red line
at 1.0, as every target in ``ui.charts``), and the districts' scores as
bars, merged districts in one colour and settled in another so the two can
be compared at a glance. Figures only: the page asks ``metrics.scorecard``
for the tables and passes them in.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import ITEMS, TARGET

MERGED = "#8E44AD"  # violet: the merged (former FATA) districts
SETTLED = ITEMS  # navy: the settled districts
NO_SCORE = "#BBBBBB"
HEIGHT = 320
CONFIG = {"displaylogo": False}  # st.plotly_chart(config=...)


def _layout(fig: go.Figure, *, height: int = HEIGHT) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font={"size": 13},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        showlegend=True,
    )
    return fig


def score_trend(trend: pd.DataFrame) -> go.Figure:
    """C1 per month (line, gaps where no KPI could be scored) and its target."""
    months = pd.to_datetime(trend["period_start"])
    hover = [
        f"{m:%b %Y}: no score ({excluded or 'nothing to score'})"
        if pd.isna(score)
        else f"{m:%b %Y}: {score:.2f} on {n} KPIs"
        for m, score, n, excluded in zip(
            months, trend["score"], trend["n_scored"], trend["excluded"], strict=True
        )
    ]
    fig = go.Figure(
        go.Scatter(
            x=months,
            y=trend["score"],
            mode="lines+markers",
            name="Responsiveness score (C1)",
            line={"color": ITEMS, "width": 3},
            connectgaps=False,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    targets = trend["target"].dropna()
    if not targets.empty:
        fig.add_trace(
            go.Scatter(
                x=months,
                y=trend["target"],
                mode="lines",
                name="Target",
                line={"color": TARGET, "dash": "dash", "width": 2, "shape": "hv"},
                hovertemplate="target %{y:.2f}<extra></extra>",
            )
        )
    top = max([1.3, *trend["score"].dropna().tolist()])
    fig.update_yaxes(title_text="Score (1.0 = on target)", range=[0, top * 1.05])
    fig.update_xaxes(title_text="Month", tickformat="%b %Y", dtick="M1")
    return _layout(fig)


def district_scores(league: pd.DataFrame) -> go.Figure:
    """Each district's C1 as a horizontal bar, worst at the top; merged vs settled
    in two colours; districts without a score drawn as an empty grey stub."""
    rows = league.iloc[::-1]  # Plotly draws the first row at the bottom
    colours = [
        NO_SCORE if pd.isna(s) else (MERGED if m == "merged" else SETTLED)
        for s, m in zip(rows["score"], rows["merged"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=rows["group"],
            x=rows["score"].fillna(0),
            orientation="h",
            marker_color=colours,
            customdata=[
                "no score: " + (e or "nothing to score") if pd.isna(s) else f"{s:.2f} ({m})"
                for s, m, e in zip(rows["score"], rows["merged"], rows["excluded"], strict=True)
            ],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    # Legend entries for the two colours.
    for name, colour in (("Settled district", SETTLED), ("Merged district", MERGED)):
        fig.add_trace(go.Bar(y=[None], x=[None], orientation="h", marker_color=colour, name=name))
    fig.add_vline(x=1.0, line={"color": TARGET, "dash": "dash", "width": 2})
    fig.update_xaxes(title_text="Responsiveness score (C1)", range=[0, 1.3])
    fig.update_yaxes(type="category", automargin=True)
    return _layout(fig, height=max(HEIGHT, 22 * len(rows) + 80))
