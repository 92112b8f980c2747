"""What a donor report holds: publishable figures only, ready to draw.

Every table here has already been through disclosure control
(``metrics.disclosure``): a hidden cell has no number (NaN) and a flag
saying how it reads ("<5", "<10", "suppressed"), so the suppressed value
never travels further than ``metrics.report.data``. The PDF, the XLSX and
the page draw these objects and compute nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from core.formatting import is_missing, minutes_text  # noqa: F401  (re-exported)
from metrics.report.period import ReportPeriod

KARACHI = ZoneInfo("Asia/Karachi")
DASH = "—"
SUPPRESSED = "suppressed"

# Columns of ``ReportData.indicators``, the donors' shape first.
INDICATOR_COLUMNS: tuple[str, ...] = (
    "row_id",  # the KPI id, or I1_female, I1_transgender, I4_events, I4_participants
    "kpi_id",
    "indicator",
    "unit",
    "baseline",
    "target",
    "target_text",
    "target_from",  # the effective_from of the target in effect on the period's last day
    "this_period",
    "this_period_flag",
    "fiscal_ytd",
    "fiscal_ytd_flag",
    "last_year",
    "last_year_flag",
    "previous",
    "previous_flag",
    "delta",
    "n",
    "p90",
    "direction",
    "status",
    "status_text",
)
# The three periods the indicator table shows, besides the previous one.
PERIOD_COLUMNS: tuple[str, ...] = ("this_period", "fiscal_ytd", "last_year", "previous")


@dataclass(frozen=True)
class PublishedTable:
    """A disaggregation table after disclosure control.

    ``values``: rows = groups then ``Total``, columns = measure keys; NaN
    where hidden or where there is nothing to measure. ``flags``: same
    shape, "" or how a hidden cell reads. ``units`` and ``labels`` per
    column; ``notes`` say what the reader needs to read it right.
    """

    key: str
    title: str
    index_label: str
    values: pd.DataFrame
    flags: pd.DataFrame
    units: dict[str, str]
    labels: dict[str, str]
    notes: tuple[str, ...] = ()

    @property
    def hidden_cells(self) -> int:
        return int((self.flags != "").sum().sum())


@dataclass(frozen=True)
class DataQuality:
    """Which sources cover the period, how completely, and what is missing.

    ``sources``: one row per source with a load in effect that covers part
    of the period (source, kind, files, covers_from, covers_to (Pakistan
    dates), days_covered, days_in_period, rows_read, rows_quarantined,
    still_quarantined, days_behind). ``loads``: every load in effect in the
    warehouse the report was built from (load_id, source, file_name,
    sha256_short, covers_from, covers_to, finished_at, covers_period).
    ``completeness``: measure, value (%), n (items), note. ``quarantine``:
    rows still in quarantine by source and check (counts only). ``gaps``:
    plain sentences.
    """

    sources: pd.DataFrame
    loads: pd.DataFrame
    completeness: pd.DataFrame
    quarantine: pd.DataFrame
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class AnnexEntry:
    """One KPI of the methodology annex, as the catalogue defines it."""

    kpi_id: str
    name: str
    definition: str
    unit: str
    direction: str
    cohort: str
    target_text: str
    target_from: str
    owner: str


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, for one period and one set of filters."""

    period: ReportPeriod
    scope_text: str  # the filters in words ("All of Khyber Pakhtunkhwa", ...)
    complete: bool  # the period has ended
    judged_at: datetime  # UTC: open items are judged at min(period end, this)
    warehouse_snapshot: str
    indicators: pd.DataFrame  # INDICATOR_COLUMNS, publishable values only
    disaggregations: tuple[PublishedTable, ...]
    monthly: pd.DataFrame  # fiscal year to date by month, publishable values only
    weekly: pd.DataFrame  # the dashboard's weekly trend over the period, small counts hidden
    social: pd.DataFrame  # platform summary (the cell's own posts; no disclosure issue)
    outreach_note: str  # why outreach is or is not in the report
    quality: DataQuality
    annex: tuple[AnnexEntry, ...]
    conventions: tuple[str, ...]
    disclosure_rule: str
    summary: tuple[str, ...] = field(default=())

    def table(self, key: str) -> PublishedTable | None:
        return next((t for t in self.disaggregations if t.key == key), None)


def value_text(value: object, unit: str, flag: str = "") -> str:
    """A figure as a reader sees it: ``95.2%``, ``14 min``, ``1,204``,
    the flag of a hidden cell, or a dash when there is nothing."""
    if flag:
        return flag
    if is_missing(value):
        return DASH
    number = float(value)  # type: ignore[arg-type]
    if unit == "%":
        return f"{number:.1f}%"
    if unit == "minutes":
        return minutes_text(number)
    if unit == "hours":
        return f"{number:,.1f} h"
    if unit in ("count", "events", "people"):
        return f"{number:,.0f}"
    if unit == "per 100,000":
        return f"{number:,.1f}"
    return f"{number:,.2f}"


def delta_text(delta: object, unit: str) -> str:
    """A change in the figure's unit: ``+2.1 pp``, ``−3 min``, ``+120``."""
    if is_missing(delta):
        return DASH
    number = float(delta)  # type: ignore[arg-type]
    sign = "+" if number > 0 else "−" if number < 0 else "±"
    size = abs(number)
    if unit == "%":
        return f"{sign}{size:.1f} pp"
    if unit == "minutes":
        return sign + minutes_text(size)
    if unit == "hours":
        return f"{sign}{size:,.1f} h"
    if unit == "count":
        return f"{sign}{size:,.0f}"
    if unit == "per 100,000":
        return f"{sign}{size:,.1f}"
    return f"{sign}{size:,.2f}"


def pkt(moment: datetime) -> str:
    """A UTC moment as Pakistan time: ``06 Dec 2026 10:15``."""
    return f"{moment.astimezone(KARACHI):%d %b %Y %H:%M}"


# Tables as a reader sees them (the page shows these; the PDF builds the same) --


def indicator_display(data: ReportData) -> pd.DataFrame:
    """The indicator table in the donors' shape, every figure as text."""
    rows = []
    for row in data.indicators.to_dict("records"):
        unit = str(row["unit"])
        rows.append(
            {
                "Indicator": f"{row['kpi_id']} · {row['indicator']}",
                "Baseline": value_text(row["baseline"], unit),
                "Target": str(row["target_text"]),
                "This period": value_text(row["this_period"], unit, row["this_period_flag"]),
                "Fiscal year to date": value_text(row["fiscal_ytd"], unit, row["fiscal_ytd_flag"]),
                "Same period last year": value_text(row["last_year"], unit, row["last_year_flag"]),
                "Previous period": value_text(row["previous"], unit, row["previous_flag"]),
                "Status": str(row["status_text"]),
            }
        )
    return pd.DataFrame(rows)


def table_display(table: PublishedTable) -> pd.DataFrame:
    """A disaggregation table with every figure as text ("<5", "suppressed")."""
    columns = list(table.values.columns)
    out = pd.DataFrame(index=table.values.index)
    for c in columns:
        out[table.labels[c]] = [
            value_text(table.values.at[g, c], table.units[c], table.flags.at[g, c])
            for g in table.values.index
        ]
    return out.reset_index()
