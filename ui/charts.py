"""Plotly figures for the dashboard, in one palette.

Colours mean the same everywhere: navy is a volume of items, orange a
response time, red a target, and the overdue aging buckets run from amber
to dark red as items get older. Sizes suit a laptop screen.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

ITEMS = "#1F4E79"  # navy: volumes of items
ITEMS_LATE = "#E0A458"  # muted orange: items beyond a target
RESPONSE = "#E07B00"  # orange: response times
TARGET = "#C62828"  # red: targets
AGING = ("#F4C542", "#F08C2E", "#D9481C", "#8E1B10")  # young -> old

HEIGHT = 340
_FONT = {"size": 13}


def _layout(fig: go.Figure, *, height: int = HEIGHT) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=_FONT,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        bargap=0.15,
    )
    return fig


def weekly_trend(trend: pd.DataFrame) -> go.Figure:
    """Items received per week (bars) and P50 first response, business minutes (line)."""
    weeks = pd.to_datetime(trend["week_start"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=weeks,
            y=trend["items_received"],
            name="Items received",
            marker_color=ITEMS,
            hovertemplate="%{y:,} items<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=weeks,
            y=trend["first_response_p50_business_minutes"],
            name="First response P50 (business min)",
            mode="lines+markers",
            line={"color": RESPONSE, "width": 3},
            hovertemplate="P50 %{y:,.0f} business min<extra></extra>",
        ),
        secondary_y=True,
    )
    # One tick per bar, on the Monday the week starts (Plotly's own ticks fall on Sundays).
    fig.update_xaxes(title_text="Week starting (Monday)", tickvals=weeks, tickformat="%d %b")
    fig.update_yaxes(title_text="Items received", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(
        title_text="P50 business minutes",
        secondary_y=True,
        rangemode="tozero",
        showgrid=False,
        tickmode="auto",
        tickformat=",.0f",
    )
    fig.update_layout(hovermode="x unified")
    return _layout(fig)


def first_response_histogram(
    bins: pd.DataFrame,
    *,
    sla_minutes: float | None,
    p50_target: float | None,
    cap_minutes: int,
) -> go.Figure:
    """Items by first-response time with the targets drawn as vertical lines."""
    start = bins["bin_start_minutes"].astype(float)
    step = float(start.diff().dropna().min()) if len(start) > 1 else 15.0
    # The last bin is open-ended (no end): draw it one bin wide.
    end = bins["bin_end_minutes"].astype("Float64").fillna(start + step).astype(float)
    width = end - start
    late = start >= (sla_minutes if sla_minutes is not None else float("inf"))
    labels = [
        f"{a:,.0f}+ min" if a >= cap_minutes else f"{a:,.0f}–{b:,.0f} min"
        for a, b in zip(start, end, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=start + width / 2,
            y=bins["items"],
            width=width * 0.95,
            marker_color=[ITEMS_LATE if is_late else ITEMS for is_late in late],
            customdata=labels,
            hovertemplate="%{customdata}: %{y:,} items<extra></extra>",
            showlegend=False,
        )
    )
    # Labels at different heights so that close targets never overlap.
    for minutes, text, dash, height in (
        (sla_minutes, "SLA", "dash", 1.0),
        (p50_target, "P50 target", "dot", 0.88),
    ):
        if minutes is not None:
            fig.add_vline(
                x=minutes,
                line={"color": TARGET, "dash": dash, "width": 2},
                annotation={
                    "text": f"{text} {minutes:,.0f} min",
                    "y": height,
                    "yref": "paper",
                    "yanchor": "top",
                    "xanchor": "left",
                    "showarrow": False,
                    "font": {"color": TARGET},
                    "bgcolor": "rgba(255,255,255,0.85)",
                },
            )
    fig.update_xaxes(
        title_text=f"Business minutes to first reply (last bar: {cap_minutes:,}+)",
        range=[0, float(end.max()) if len(end) else cap_minutes + step],
    )
    fig.update_yaxes(title_text="Items", rangemode="tozero")
    return _layout(fig)


def overdue_aging(aging: pd.DataFrame) -> go.Figure:
    """Open items past target at the period end, by calendar days past their target."""
    colours = [AGING[min(i, len(AGING) - 1)] for i in range(len(aging))]
    fig = go.Figure(
        go.Bar(
            x=aging["bucket"].astype(str),
            y=aging["items"],
            marker_color=colours,
            text=aging["items"],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,} items<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="Days past target", type="category")
    top = float(aging["items"].max()) if len(aging) else 0.0
    # Headroom for the count printed above the tallest bar.
    fig.update_yaxes(title_text="Open items past target", range=[0, max(top * 1.15, 1)])
    return _layout(fig, height=300)
