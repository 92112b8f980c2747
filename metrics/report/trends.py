"""The report's trends: the fiscal year to date by month, and the period by week.

Monthly figures come from ``compute_kpis`` per month; the weekly trend is
the Response times page's ``weekly_trend``. Both after disclosure control:
months (and weeks) that add up to a published total are protected as a
column with that total, so a withheld month cannot be recovered from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from metrics import responsiveness
from metrics.disclosure import RULE, suppress_counts
from metrics.filters import Filters
from metrics.report.groups import TOTAL, counts_frame, parts_of
from metrics.report.indicators import Shape
from metrics.report.period import ReportPeriod, add_months
from metrics.responsiveness import KpiResult

Connection = duckdb.DuckDBPyConnection

MONTHLY: tuple[str, ...] = ("R1", "R3", "R5", "R7", "R10")


def _months(period: ReportPeriod) -> list[tuple[date, date]]:
    """(first, last day) of each month of the fiscal year up to the period's end."""
    start, end = period.fiscal_year_to_date()
    months = []
    while start <= end:
        following = add_months(start, 1)
        months.append((start, min(following - timedelta(days=1), end)))
        start = following
    return months


# KPIs whose months add up exactly to the fiscal year to date (cohort:
# received), so a hidden month could be recovered from the year's total.
ADDITIVE: tuple[str, ...] = ("R1", "R3")


def monthly_table(
    con: Connection,
    period: ReportPeriod,
    f: Filters,
    now: datetime | None,
    fiscal_ytd: Mapping[str, KpiResult],
) -> tuple[pd.DataFrame, set[str]]:
    """The fiscal year to date by month: month, then per ``MONTHLY`` KPI its
    value (NaN where the disclosure rule hides it), and the KPIs whose
    fiscal-year-to-date figure must be hidden too.

    R1 and R3 count items received, so the months add up to the fiscal year
    to date: their counts are protected as a column with that total. The
    other KPIs judge items at each month's end (a month's overdue item is
    judged again when it completes later), so no month is a difference of
    published figures; they get the primary rule only.
    """
    results = {
        start: responsiveness.compute_kpis(con, MONTHLY, replace(f, start=start, end=end), now=now)
        for start, end in _months(period)
    }
    counts = counts_frame(results, ADDITIVE)
    totals = counts_frame({TOTAL: fiscal_ytd}, ADDITIVE).loc[TOTAL]
    exact = bool((counts.sum(axis=0) == totals).all())
    protected = {
        k: suppress_counts(
            counts[[f"{k}:{p}" for p in parts_of(k)]],
            sensitive=(),
            column_totals=totals[[f"{k}:{p}" for p in parts_of(k)]] if exact else False,
        )
        for k in ADDITIVE
    }
    rows = []
    for start, by_kpi in results.items():
        row: dict[str, object] = {"month": start}
        for k in MONTHLY:
            hidden = (
                bool(protected[k].hidden.loc[start].any())
                if k in protected
                else bool(Shape.of(k).flag(by_kpi[k]))
            )
            row[k] = None if hidden else by_kpi[k].value
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["month", *MONTHLY])
    for k in MONTHLY:
        frame[k] = frame[k].astype("float64")
    hide_total = {
        k for k, p in protected.items() if TOTAL in p.hidden.index and p.hidden.loc[TOTAL].any()
    }
    return frame, hide_total


def weekly_table(
    con: Connection, f: Filters, now: datetime | None, received: int
) -> tuple[pd.DataFrame, bool]:
    """The Response times page's weekly trend with small counts hidden, and
    whether the period's item count must be hidden too.

    Weeks (clipped to the period) add up to the period's items received, so
    the weekly items are protected as a column with that total; a week's
    first-response P50 and SLA are hidden when fewer than 5 replies were
    judged in it.
    """
    trend = responsiveness.weekly_trend(con, f, now=now).copy()
    items = trend[["items_received"]].astype("int64")
    items.index = trend["week_start"].astype(str)
    exact = int(items["items_received"].sum()) == received
    protected = suppress_counts(
        items,
        sensitive=(),
        column_totals=pd.Series({"items_received": received}) if exact else False,
    )
    hidden_weeks = protected.hidden.loc[items.index, "items_received"].to_numpy()
    trend["items_received"] = trend["items_received"].astype("float64").mask(hidden_weeks)
    small_replies = trend["first_response_sla_n"].between(1, RULE.min_count - 1)
    for column in ("first_response_p50_business_minutes", "first_response_sla_pct"):
        trend[column] = trend[column].astype("float64").mask(small_replies)
    hide_total = exact and bool(protected.hidden.at[TOTAL, "items_received"])
    return trend, hide_total
