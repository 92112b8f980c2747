"""Plotly figures of the social engagement page, in one palette.

Each platform has its own brand-like colour, the same in every chart; a
target is a dashed red line (as in ``ui.charts``). Engagement rates are
drawn per platform, never pooled: platforms rate on different
denominators. Sizes suit a laptop screen. Figures only: the page asks
``metrics`` for the tables and passes them in.

Every label that comes from data (content types, hashtags, campaigns,
custom labels, platforms, audience bands) goes through ``ui.format.plain``
(HTML-escaped) before it reaches a figure: Plotly draws ``<b>`` and
``<a href>`` in labels and hover text, and a post's hashtag must not.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import TARGET
from ui.format import PKT_LABEL, plain, plains

COLOURS: dict[str, str] = {
    "Facebook": "#1877F2",
    "X": "#14171A",
    "Instagram": "#C13584",
    "YouTube": "#E62117",
    "TikTok": "#00A3A3",
}
GENDER_COLOURS = {"female": "#B5487A", "male": "#1F4E79"}
OTHER = "#999999"
# The growth curve's counts, each in its own colour.
GROWTH_COLOURS: tuple[tuple[str, str], ...] = (
    ("impressions", "#1F4E79"),
    ("reach", "#6C8EBF"),
    ("video_views", "#8E44AD"),
    ("engagements", "#E07B00"),
)
HEIGHT = 340
CONFIG = {"displaylogo": False}  # st.plotly_chart(config=...)


def _template_text(value: object) -> str:
    """A data value written into a hover template: HTML-escaped, and ``%{``
    broken apart (Plotly has no escape for it and would read a variable)."""
    return plain(value).replace("%{", "% {")


def layout(fig: go.Figure, *, height: int = HEIGHT) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"size": 13},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return fig


def platform_lines(frame: pd.DataFrame, x: str, y: str, title: str, hover: str) -> go.Figure:
    """One line per ``platform`` value of ``frame``: ``y`` against ``x``."""
    fig = go.Figure()
    for platform, rows in frame.groupby("platform", sort=False):
        fig.add_trace(
            go.Scatter(
                x=rows[x],
                y=rows[y],
                name=plain(platform),
                mode="lines+markers",
                line={"color": COLOURS.get(str(platform)), "width": 3},
                hovertemplate=f"{_template_text(platform)}: {hover}<extra></extra>",
            )
        )
    fig.update_yaxes(title_text=title, rangemode="tozero")
    return layout(fig)


def cadence(posts: pd.DataFrame, *, target: float | None) -> go.Figure:
    """Posts published per day and platform (S4), the target as a dashed line."""
    fig = platform_lines(
        posts.assign(day=pd.to_datetime(posts["day"])),
        "day",
        "posts",
        "Posts published",
        "%{y} posts",
    )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": TARGET, "dash": "dash"},
            annotation_text=f"target {target:g} a day",
            annotation_position="top left",
            annotation_font_color=TARGET,
        )
    return fig


def engagement_distribution(rated: pd.DataFrame) -> go.Figure:
    """S2 per platform as boxes: P25-P75 with the P50, whiskers P5-P95."""
    fig = go.Figure()
    for row in rated.to_dict("records"):
        fig.add_trace(
            go.Box(
                x=[f"{plain(row['platform'])} (n {row['posts_rated']:,})"],
                q1=[row["p25_pct"]],
                median=[row["p50_pct"]],
                q3=[row["p75_pct"]],
                lowerfence=[row["p05_pct"]],
                upperfence=[row["p95_pct"]],
                name=plain(row["platform"]),
                marker_color=COLOURS.get(row["platform"]),
                showlegend=False,
            )
        )
    fig.update_yaxes(title_text="Engagement rate (%)", rangemode="tozero")
    return layout(fig)


def hour_of_week(cells: pd.DataFrame, weekdays: tuple[str, ...]) -> go.Figure:
    """S4's heat map: P50 engagement rate by weekday and hour, posts as labels."""
    grid = cells.pivot(index="weekday", columns="hour", values="engagement_rate_p50_pct")
    counts = cells.pivot(index="weekday", columns="hour", values="posts")
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[f"{h:02d}" for h in grid.columns],
            y=list(weekdays),
            text=[[f"{int(n)}" if n else "" for n in row] for row in counts.to_numpy()],
            texttemplate="%{text}",
            colorscale="Blues",
            colorbar={"title": {"text": "P50 %"}},
            hovertemplate="%{y} %{x}:00 · P50 %{z:.2f}% · %{text} posts<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=f"Hour ({PKT_LABEL})")
    return layout(fig, height=320)


def post_growth(snapshots: pd.DataFrame, when: pd.Series) -> go.Figure:
    """One post's lifetime counts at each export (``when``: the exports' times)."""
    fig = go.Figure()
    for column, colour in GROWTH_COLOURS:
        if snapshots[column].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=when,
                    y=snapshots[column],
                    name=column.replace("_", " ").capitalize(),
                    mode="lines+markers",
                    line={"color": colour, "width": 3},
                    customdata=snapshots["hours_since_published"],
                    hovertemplate="%{y:,} · %{customdata:,.0f} h after publishing<extra></extra>",
                )
            )
    fig.update_xaxes(title_text=f"Export taken ({PKT_LABEL})", type="date")
    if len(snapshots) == 1:
        # One point: a few days either side, so it is not alone on an empty axis.
        moment = when.iloc[0]
        fig.update_xaxes(range=[moment - pd.Timedelta(days=2), moment + pd.Timedelta(days=2)])
    fig.update_yaxes(title_text="Lifetime count", rangemode="tozero")
    return layout(fig, height=300)


def content_types(types: pd.DataFrame) -> go.Figure:
    """P50 engagement rate by content type, grouped per platform; labels are posts."""
    fig = go.Figure()
    for platform, rows in types.groupby("platform", sort=False):
        fig.add_trace(
            go.Bar(
                x=plains(rows["content_type"]),
                y=rows["engagement_rate_p50_pct"],
                name=plain(platform),
                marker_color=COLOURS.get(str(platform)),
                text=rows["posts"],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{_template_text(platform)} %{{x}}: P50 %{{y:.2f}}% · %{{text}} posts"
                "<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="P50 engagement rate (%)", rangemode="tozero")
    return layout(fig)


def tags(tags: pd.DataFrame) -> go.Figure:
    """Hashtags or campaigns: P50 engagement rate per tag and platform, most-used first."""
    fig = go.Figure()
    for platform, rows in tags.groupby("platform", sort=False):
        fig.add_trace(
            go.Bar(
                y=plains(rows["tag"]),
                x=rows["engagement_rate_p50_pct"],
                orientation="h",
                name=plain(platform),
                marker_color=COLOURS.get(str(platform)),
                text=rows["posts"],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{_template_text(platform)} %{{y}}: P50 %{{x:.2f}}% · %{{text}} posts"
                "<extra></extra>",
            )
        )
    order = list(dict.fromkeys(plains(tags["tag"])))
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    fig.update_xaxes(title_text="P50 engagement rate (%)", rangemode="tozero")
    fig.update_layout(barmode="group")
    return layout(fig, height=max(HEIGHT, 28 * len(order) + 120))


def audience(rows: pd.DataFrame) -> go.Figure:
    """One account's audience: share by age band, a bar per gender."""
    fig = go.Figure()
    for gender, part in rows.groupby("gender", sort=True, dropna=False):
        fig.add_trace(
            go.Bar(
                x=plains(part["age"]),
                y=part["share_pct"],
                name=plain(str(gender).capitalize()),
                marker_color=GENDER_COLOURS.get(str(gender), OTHER),
                hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="% of audience", rangemode="tozero")
    return layout(fig, height=300)
