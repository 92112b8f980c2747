"""Plotly figures of the Media and Outreach pages.

Text that comes from registers (outlet names, topics, incident types and
ids) is HTML-escaped before it becomes a label or hover text: Plotly draws
a little HTML in labels (``<b>``, ``<a href>``), and a register typed by
hand must never inject any. Colours: navy for volumes, teal positive,
grey neutral, red negative, orange for durations and the targets in red
dashes, as in ``ui.charts``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.charts import ITEMS, RESPONSE, TARGET
from ui.format import plain, plains

POSITIVE = "#2E8B57"
NEUTRAL = "#9E9E9E"
NEGATIVE = "#C62828"
MERGED = "#8E5EA2"
SETTLED = "#1F4E79"
GENDERS = {"female": "#B5487A", "male": "#1F4E79", "transgender": "#E0A458"}
SEQUENCE = ("#1F4E79", "#E07B00", "#2E8B57", "#8E5EA2", "#C62828", "#00A3A3", "#7F7F7F", "#B5487A")
HEIGHT = 340
PLOTLY = {"displaylogo": False}


def _layout(fig: go.Figure, *, height: int = HEIGHT) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"size": 13},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        bargap=0.15,
    )
    return fig


def _weeks(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values)


def _week_axis(fig: go.Figure, weeks: pd.Series) -> None:
    """One tick per week, on the Monday it starts (Plotly's own fall on Sundays)."""
    ticks = sorted(pd.to_datetime(weeks).dropna().unique())
    if len(ticks) > 14:  # a long period: let Plotly thin them out
        fig.update_xaxes(title_text="Week starting (Monday)", tickformat="%d %b")
        return
    fig.update_xaxes(title_text="Week starting (Monday)", tickvals=ticks, tickformat="%d %b")


# Monitoring ---------------------------------------------------------------------


def mentions_over_time(frame: pd.DataFrame, group_label: str) -> go.Figure:
    """Mentions per week, stacked by the group (outlet type, language, topic)."""
    fig = go.Figure()
    groups = frame.groupby("group", sort=False)["mentions"].sum().sort_values(ascending=False)
    for index, group in enumerate(groups.index):
        rows = frame[frame["group"] == group]
        name = plain(group)
        fig.add_trace(
            go.Bar(
                x=_weeks(rows["week_start"]),
                y=rows["mentions"],
                name=name,
                marker_color=SEQUENCE[index % len(SEQUENCE)],
                hovertemplate=f"{name}: %{{y:,}} mentions<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_title_text=plain(group_label))
    _week_axis(fig, frame["week_start"])
    fig.update_yaxes(title_text="Mentions", rangemode="tozero")
    return _layout(fig)


def tone_trend(frame: pd.DataFrame) -> go.Figure:
    """Net tone per week (line, −100..100) and the share of negative coverage (bars, %)."""
    weeks = _weeks(frame["week_start"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=weeks,
            y=frame["negative_share_pct"],
            name="Negative share of coded mentions (%)",
            marker_color=NEGATIVE,
            opacity=0.35,
            customdata=frame[["negative", "coded"]],
            hovertemplate="%{y:.0f}% negative (%{customdata[0]:,} of %{customdata[1]:,})"
            "<extra></extra>",
        ),
        secondary_y=True,
    )
    fig.add_trace(
        go.Scatter(
            x=weeks,
            y=frame["net_tone"],
            name="Net tone (M5)",
            mode="lines+markers",
            line={"color": ITEMS, "width": 3},
            hovertemplate="Net tone %{y:+.0f}<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.add_hline(y=0, line={"color": NEUTRAL, "width": 1})
    _week_axis(fig, frame["week_start"])
    fig.update_yaxes(
        title_text="Net tone (−100..100)",
        range=[-100, 100],
        tickvals=[-100, -50, 0, 50, 100],
        secondary_y=False,
    )
    fig.update_yaxes(
        title_text="Negative share (%)",
        range=[0, 100],
        tickvals=[0, 25, 50, 75, 100],
        secondary_y=True,
        showgrid=False,
    )
    return _layout(fig)


def official_line_trend(frame: pd.DataFrame, target_pct: float | None) -> go.Figure:
    """Official-line share (M6) per week, with the target."""
    fig = go.Figure(
        go.Scatter(
            x=_weeks(frame["week_start"]),
            y=frame["official_line_share_pct"],
            mode="lines+markers",
            line={"color": POSITIVE, "width": 3},
            name="Official-line share (M6)",
            hovertemplate="%{y:.0f}% quote the official line<extra></extra>",
        )
    )
    if target_pct is not None:
        fig.add_hline(
            y=target_pct,
            line={"color": TARGET, "dash": "dash", "width": 2},
            annotation={"text": f"Target {target_pct:.0f}%", "font": {"color": TARGET}},
        )
    _week_axis(fig, frame["week_start"])
    fig.update_yaxes(title_text="% of coded mentions", range=[0, 100])
    return _layout(fig)


def top_outlets(frame: pd.DataFrame) -> go.Figure:
    """Mentions per outlet, split by tone (most mentioned at the top)."""
    frame = frame.iloc[::-1]
    outlets = plains(frame["outlet"])
    fig = go.Figure()
    uncoded = frame["mentions"] - frame["coded"]
    for name, colour, values in (
        ("Positive", POSITIVE, frame["positive"]),
        ("Neutral", NEUTRAL, frame["neutral"]),
        ("Negative", NEGATIVE, frame["negative"]),
        ("Not coded", "#D9D9D9", uncoded),
    ):
        fig.add_trace(
            go.Bar(
                y=outlets,
                x=values,
                orientation="h",
                name=name,
                marker_color=colour,
                customdata=frame["net_tone"],
                hovertemplate=f"%{{y}}: %{{x:,}} {name.lower()} (net tone %{{customdata:+.0f}})"
                "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Mentions", rangemode="tozero")
    return _layout(fig, height=max(HEIGHT, 40 + 28 * len(frame)))


def mentions_by_district(frame: pd.DataFrame) -> go.Figure:
    """Mentions naming each district, coloured by net tone."""
    frame = frame.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            y=plains(frame["district"]),
            x=frame["mentions"],
            orientation="h",
            marker={
                "color": frame["net_tone"].fillna(0),
                "colorscale": [[0, NEGATIVE], [0.5, "#F0F0F0"], [1, POSITIVE]],
                "cmin": -100,
                "cmax": 100,
                "colorbar": {"title": {"text": "Net tone"}},
            },
            customdata=frame["net_tone"],
            hovertemplate="%{y}: %{x:,} mentions, net tone %{customdata:+.0f}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="Mentions", rangemode="tozero")
    return _layout(fig, height=max(HEIGHT, 40 + 22 * len(frame)))


# Media relations ----------------------------------------------------------------


def queries_weekly(frame: pd.DataFrame, target_pct: float | None) -> go.Figure:
    """Queries received and answered per week (bars), % answered the same business day (line)."""
    weeks = _weeks(frame["week_start"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(x=weeks, y=frame["received"], name="Received", marker_color=ITEMS),
        secondary_y=False,
    )
    fig.add_trace(
        go.Bar(x=weeks, y=frame["answered"], name="Answered", marker_color="#7FA7C9"),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=weeks,
            y=frame["answered_same_day_pct"],
            name="Answered the same business day (%)",
            mode="lines+markers",
            line={"color": RESPONSE, "width": 3},
            hovertemplate="%{y:.0f}% the same business day<extra></extra>",
        ),
        secondary_y=True,
    )
    if target_pct is not None:
        fig.add_hline(
            y=target_pct,
            line={"color": TARGET, "dash": "dash", "width": 2},
            secondary_y=True,
            annotation={"text": f"Target {target_pct:.0f}%", "font": {"color": TARGET}},
        )
    fig.update_layout(barmode="group")
    _week_axis(fig, frame["week_start"])
    fig.update_yaxes(title_text="Queries", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(
        title_text="%",
        range=[0, 105],
        tickvals=[0, 25, 50, 75, 100],
        secondary_y=True,
        showgrid=False,
    )
    return _layout(fig)


def response_bands(frame: pd.DataFrame) -> go.Figure:
    """Queries by how their answer went against the same-business-day target."""
    colours = [POSITIVE, "#E0A458", NEGATIVE, "#8E1B10"]
    fig = go.Figure(
        go.Bar(
            x=frame["band"],
            y=frame["queries"],
            marker_color=colours[: len(frame)],
            text=frame["queries"],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,} queries<extra></extra>",
        )
    )
    top = float(frame["queries"].max()) if len(frame) else 0.0
    fig.update_yaxes(title_text="Queries", range=[0, max(top * 1.2, 1)])
    return _layout(fig, height=300)


# Crisis communication -----------------------------------------------------------

_MILESTONES = (
    ("occurred_at", "Occurred", "#555555", "circle"),
    ("verified_at", "Verified", ITEMS, "diamond"),
    ("first_statement_at", "First statement", POSITIVE, "star"),
    ("misinformation_detected_at", "Misinformation detected", NEGATIVE, "x"),
    ("rebuttal_at", "Rebuttal", "#00A3A3", "triangle-up"),
)


def incident_timeline(
    frame: pd.DataFrame,
    *,
    statement_target: float | None,
    rebuttal_target: float | None,
) -> go.Figure:
    """One row per incident: its milestones in hours since it occurred, the
    golden-hour window after verification and the rebuttal window after the
    false claim was detected (shaded), and a red bar for the time an
    incident has waited so far without a statement. Incidents awaiting a
    statement are at the top."""
    rows = frame.iloc[::-1].reset_index(drop=True)
    labels = [
        f"{plain(i)} · {plain(t)} · {plain(d)}"
        for i, t, d in zip(
            rows["incident_id"], rows["incident_type"], rows["district"], strict=True
        )
    ]
    occurred = pd.to_datetime(rows["occurred_at"], utc=True)

    def hours(column: str) -> pd.Series:
        return (pd.to_datetime(rows[column], utc=True) - occurred).dt.total_seconds() / 3600

    fig = go.Figure()
    start = hours("statement_clock_start_at")
    if statement_target is not None:
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[statement_target / 60] * len(rows),
                base=start,
                orientation="h",
                marker_color="rgba(46,139,87,0.18)",
                name=f"Golden hour ({statement_target:.0f} min from verification)",
                hoverinfo="skip",
            )
        )
    detected = hours("misinformation_detected_at")
    if rebuttal_target is not None and detected.notna().any():
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[rebuttal_target / 60] * len(rows),
                base=detected,
                orientation="h",
                marker_color="rgba(0,163,163,0.15)",
                name=f"Rebuttal window ({rebuttal_target:.0f} min)",
                hoverinfo="skip",
            )
        )
    # The chart spans the milestones (at least 12 hours); a long wait for a
    # statement is drawn to the edge, its length in the hover text.
    marks = pd.concat([hours(c) for c, *_ in _MILESTONES], ignore_index=True)
    span = max(12.0, float(marks.max()) * 1.15 if marks.notna().any() else 12.0)
    waiting = rows["minutes_without_statement"] / 60
    if waiting.notna().any():
        fig.add_trace(
            go.Bar(
                y=labels,
                x=(waiting.clip(upper=(span - start).clip(lower=0))),
                base=start,
                orientation="h",
                marker_color="rgba(198,40,40,0.55)",
                name="No statement yet (waiting so far)",
                customdata=waiting,
                hovertemplate="No statement for %{customdata:,.1f} h<extra></extra>",
            )
        )
    for column, name, colour, symbol in _MILESTONES:
        x = hours(column)
        if x.notna().any():
            fig.add_trace(
                go.Scatter(
                    y=labels,
                    x=x,
                    mode="markers",
                    name=name,
                    marker={"color": colour, "symbol": symbol, "size": 12},
                    hovertemplate=f"{name}: %{{x:.1f}} h after it occurred<extra></extra>",
                )
            )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text="Hours since the incident occurred", range=[0, span])
    fig.update_yaxes(type="category")
    return _layout(fig, height=max(HEIGHT, 80 + 34 * len(rows)))


def tone_after_incidents(frame: pd.DataFrame) -> go.Figure:
    """Coverage of each incident by day since it occurred: mentions (bars) and
    net tone (line, where coverage was coded)."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for index, (incident, rows) in enumerate(frame.groupby("incident_id", sort=False)):
        colour = SEQUENCE[index % len(SEQUENCE)]
        name = plain(incident)
        fig.add_trace(
            go.Bar(
                x=rows["day"],
                y=rows["mentions"],
                name=f"{name}: mentions",
                marker_color=colour,
                opacity=0.35,
                hovertemplate=f"{name}, day %{{x}}: %{{y:,}} mentions<extra></extra>",
            ),
            secondary_y=False,
        )
        fig.add_trace(
            go.Scatter(
                x=rows["day"],
                y=rows["net_tone"],
                name=f"{name}: net tone",
                mode="lines+markers",
                line={"color": colour, "width": 2},
                connectgaps=False,
                hovertemplate=f"{name}, day %{{x}}: net tone %{{y:+.0f}}<extra></extra>",
            ),
            secondary_y=True,
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="Days since the incident occurred (0 = that day)", dtick=1)
    fig.update_yaxes(title_text="Mentions", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(
        title_text="Net tone",
        range=[-105, 105],
        tickvals=[-100, -50, 0, 50, 100],
        secondary_y=True,
        showgrid=False,
    )
    return _layout(fig)


# Outputs ------------------------------------------------------------------------


def outputs_weekly(frame: pd.DataFrame) -> go.Figure:
    """Outputs published per week, stacked by type, with the plan's total as a line."""
    fig = go.Figure()
    for index, (kind, rows) in enumerate(frame.groupby("output_type", sort=True)):
        name = plain(kind)
        fig.add_trace(
            go.Bar(
                x=_weeks(rows["week_start"]),
                y=rows["published"],
                name=name,
                marker_color=SEQUENCE[index % len(SEQUENCE)],
                hovertemplate=f"{name}: %{{y:,}}<extra></extra>",
            )
        )
    plan = frame.groupby("week_start", as_index=False)["planned"].sum(min_count=1)
    if plan["planned"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=_weeks(plan["week_start"]),
                y=plan["planned"],
                name="Plan (all types)",
                mode="lines+markers",
                line={"color": TARGET, "dash": "dash", "width": 2},
                hovertemplate="Plan: %{y:,.0f}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    _week_axis(fig, frame["week_start"])
    fig.update_yaxes(title_text="Outputs published", rangemode="tozero")
    return _layout(fig)


# Outreach -----------------------------------------------------------------------


def events_by_district(frame: pd.DataFrame) -> go.Figure:
    """Events per district, stacked by event type."""
    totals = frame.groupby("district")["events"].sum().sort_values()
    fig = go.Figure()
    for index, (kind, rows) in enumerate(frame.groupby("event_type", sort=True)):
        rows = rows.set_index("district").reindex(totals.index)
        name = plain(kind)
        fig.add_trace(
            go.Bar(
                y=plains(totals.index),
                x=rows["events"].fillna(0),
                orientation="h",
                name=name,
                marker_color=SEQUENCE[index % len(SEQUENCE)],
                hovertemplate=f"%{{y}}, {name}: %{{x:,}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Events", rangemode="tozero")
    return _layout(fig, height=max(HEIGHT, 60 + 22 * len(totals)))


def participants_by_gender(frame: pd.DataFrame) -> go.Figure:
    """Participants per event type, one bar per gender."""
    fig = go.Figure()
    for gender, colour in GENDERS.items():
        rows = frame[frame["gender"] == gender]
        fig.add_trace(
            go.Bar(
                x=plains(rows["event_type"]),
                y=rows["participants"],
                name=gender.capitalize(),
                marker_color=colour,
                hovertemplate=f"%{{x}}, {gender}: %{{y:,}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="Participants (counted)", rangemode="tozero")
    return _layout(fig)


def events_per_100k(frame: pd.DataFrame) -> go.Figure:
    """Events per 100,000 people per area, merged districts in purple."""
    frame = frame.sort_values("events_per_100k")
    colours = [MERGED if m else SETTLED for m in frame["is_merged_district"]]
    fig = go.Figure(
        go.Bar(
            y=plains(frame["area"]),
            x=frame["events_per_100k"],
            orientation="h",
            marker_color=colours,
            customdata=frame[["events", "population"]],
            hovertemplate="%{y}: %{x:.2f} per 100,000 (%{customdata[0]:,} events, "
            "population %{customdata[1]:,})<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(title_text="Events per 100,000 people (census 2023)", rangemode="tozero")
    return _layout(fig, height=max(HEIGHT, 60 + 20 * len(frame)))


def merged_vs_settled(frame: pd.DataFrame) -> go.Figure:
    colours = [MERGED if m else SETTLED for m in frame["is_merged_district"]]
    fig = go.Figure(
        go.Bar(
            x=frame["district_group"],
            y=frame["events_per_100k"],
            marker_color=colours,
            text=[f"{v:.2f}" if pd.notna(v) else "—" for v in frame["events_per_100k"]],
            textposition="outside",
            cliponaxis=False,
            customdata=frame[["events", "population"]],
            hovertemplate="%{x}: %{y:.2f} per 100,000 (%{customdata[0]:,} events)<extra></extra>",
        )
    )
    top = float(frame["events_per_100k"].max()) if len(frame) else 0.0
    fig.update_yaxes(title_text="Events per 100,000 people", range=[0, max(top * 1.25, 0.01)])
    return _layout(fig, height=300)
