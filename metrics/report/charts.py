"""The report's charts: Plotly figures, and static PNG images of them.

The weekly trend is the Response times page's own figure
(``ui.charts.weekly_trend``: plotly and pandas only, no streamlit, so the
report draws exactly what the dashboard draws). The fiscal-year trend and
the group comparisons exist only in the report and are built here with
plotly alone. Every figure is drawn from ``ReportData``, after disclosure
control: a hidden figure has no bar or point.

Images come from kaleido, which drives a headless Chromium (Debian's
``/usr/bin/chromium``, found on PATH or through ``BROWSER_PATH``). Starting
the browser costs seconds and a figure about a third of one, so
``render_png`` starts kaleido's server once for all the report's figures
and stops it after; a lock keeps two reports made at once (two people on
the page) from stopping each other's server.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from metrics.report.model import PublishedTable, ReportData
from ui import charts as dashboard_charts

WIDTH, HEIGHT, SCALE = 900, 400, 2
_FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 13, "color": "#222"}
ITEMS = dashboard_charts.ITEMS
TARGET = dashboard_charts.TARGET
SERIES = {"R3": "#2E7D32", "R5": "#E07B00", "R7": "#6A1B9A", "R10": "#00838F"}
COMPARED: tuple[str, ...] = ("R5", "R7", "R10")
_LOCK = threading.Lock()


def _static(fig: go.Figure, *, height: int = HEIGHT) -> go.Figure:
    """Print-friendly layout: white background, the legend above the plot.

    No title in the image: the PDF and the page print the figure's caption
    above it, as text a reader can search and copy.
    """
    fig.update_layout(
        title=None,
        width=WIDTH,
        height=height,
        font=_FONT,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 70, "r": 70, "t": 20, "b": 70},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    fig.update_xaxes(showline=True, linecolor="#888", gridcolor="#eee")
    fig.update_yaxes(showline=True, linecolor="#888", gridcolor="#eee")
    return fig


WITHHELD_MARK = "†"


def weekly_figure(data: ReportData) -> go.Figure | None:
    """The dashboard's weekly trend over the period (small counts hidden)."""
    if data.weekly.empty:
        return None
    fig = dashboard_charts.weekly_trend(data.weekly)
    if len(data.weekly) > 8:  # a quarter's 14 weeks: slant the dates so they never touch
        fig.update_xaxes(tickangle=-45)
    return _static(fig)


def monthly_figure(data: ReportData) -> go.Figure | None:
    """Items received per month of the fiscal year (bars) and the share KPIs (lines)."""
    frame = data.monthly
    if frame.empty:
        return None
    months = pd.to_datetime(frame["month"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(x=months, y=frame["R1"], name="Items received", marker_color=ITEMS, opacity=0.8),
        secondary_y=False,
    )
    names = {k: _label(data, k) for k in SERIES}
    for k, colour in SERIES.items():
        if k in frame:
            fig.add_trace(
                go.Scatter(
                    x=months,
                    y=frame[k],
                    name=names[k],
                    mode="lines+markers",
                    line={"color": colour, "width": 3},
                ),
                secondary_y=True,
            )
    fig.update_xaxes(title_text="Month", tickvals=months, tickformat="%b %Y")
    fig.update_yaxes(title_text="Items received", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(
        title_text="% of items (lines)",
        secondary_y=True,
        range=[0, 105],
        tickvals=[0, 20, 40, 60, 80, 100],
        showgrid=False,
        ticksuffix="%",
    )
    fig.update_yaxes(title_text="Items received (bars)", secondary_y=False)
    return _static(fig, height=430)


def _label(data: ReportData, kpi_id: str) -> str:
    rows = data.indicators[data.indicators["row_id"] == kpi_id]
    return str(rows.iloc[0]["indicator"]) if not rows.empty else kpi_id


def group_figure(table: PublishedTable, data: ReportData) -> go.Figure | None:
    """The SLA KPIs per group of a disaggregation table, the total as a line."""
    kpi_ids = [k for k in COMPARED if k in table.values.columns]
    groups = [g for g in table.values.index if g != "Total"]
    if not kpi_ids or not groups:
        return None
    # A group with a withheld figure is marked on the axis; the caption says why.
    withheld = table.flags.loc[groups, kpi_ids].ne("").any(axis=1)
    names = [f"{g} {WITHHELD_MARK}" if withheld[g] else str(g) for g in groups]
    fig = go.Figure()
    for k in kpi_ids:
        target = data.indicators.loc[data.indicators["row_id"] == k, "target_text"]
        suffix = (
            f" (target {target.iloc[0]})" if not target.empty and len(target.iloc[0]) < 12 else ""
        )
        values = table.values.loc[groups, k]
        fig.add_trace(
            go.Bar(
                x=names,
                y=values,
                name=table.labels[k] + suffix,
                marker_color=SERIES[k],
                text=[f"{v:.0f}%" if pd.notna(v) else "" for v in values],
                textposition="outside",
                textfont={"size": 10},
                cliponaxis=False,
            )
        )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(title_text=table.index_label, type="category")
    fig.update_yaxes(title_text="% of items judged", range=[0, 110], ticksuffix="%")
    return _static(fig, height=430)


def captions(data: ReportData) -> dict[str, str]:
    """What each figure shows, printed above it."""
    out = {
        "monthly": f"{data.period.fiscal_year} to date, by month: items received (bars) and the "
        "share KPIs (lines)",
        "weekly": f"Items received and first response (P50, business minutes) by week, "
        f"{data.period.short_label} (the dashboard's weekly trend; weeks cut at the period's ends)",
    }
    for key in ("gender", "region", "merged"):
        table = data.table(key)
        if table is not None:
            out[f"group_{key}"] = (
                f"SLA KPIs by {table.index_label.lower()}; {WITHHELD_MARK} marks a group with a "
                "figure withheld under the disclosure rule (no bar)"
            )
    return out


def figures(data: ReportData) -> dict[str, go.Figure]:
    """Every chart of the report, by name, in reading order."""
    out: dict[str, go.Figure | None] = {
        "monthly": monthly_figure(data),
        "weekly": weekly_figure(data),
    }
    for key in ("gender", "region", "merged"):
        table = data.table(key)
        if table is not None:
            out[f"group_{key}"] = group_figure(table, data)
    return {name: fig for name, fig in out.items() if fig is not None}


def render_png(figs: Mapping[str, go.Figure], *, scale: int = SCALE) -> dict[str, bytes]:
    """PNG bytes of each figure, with one kaleido browser for all of them."""
    import kaleido  # heavy (a browser driver): loaded only when images are made

    if not figs:
        return {}
    with _LOCK:
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        try:
            return {
                name: kaleido.calc_fig_sync(
                    fig,
                    opts={
                        "format": "png",
                        "width": fig.layout.width or WIDTH,
                        "height": fig.layout.height or HEIGHT,
                        "scale": scale,
                    },
                )
                for name, fig in figs.items()
            }
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
