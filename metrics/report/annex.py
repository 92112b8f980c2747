"""The methodology annex, generated from the catalogue and the settings.

Each KPI's definition, formula, unit, direction, cohort, target and owner
come from ``metrics.kpis.kpi_for`` (the catalogue joined to the function
that computes it and the targets file): for R1-R14 the definition is the
first paragraph of that function's docstring, so the annex says what the
code does. The conventions (periods, clocks, percentiles, SLA
denominators) read the settings the Directorate edits.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.config import load_settings
from metrics import kpis
from metrics.filters import Filters
from metrics.report.model import AnnexEntry


def entries(kpi_ids: Iterable[str], f: Filters) -> tuple[AnnexEntry, ...]:
    """The annex's KPIs, in the order given, with the targets in effect on
    the period's last day in the filters' area."""
    out = []
    for kpi_id in dict.fromkeys(kpi_ids):
        k = kpis.kpi_for(kpi_id, f)
        out.append(
            AnnexEntry(
                kpi_id=k.id,
                name=k.name,
                definition=k.definition,
                unit=k.unit,
                direction=k.direction,
                cohort=k.cohort,
                target_text=k.target_text,
                target_from=f"{k.effective_from:%d %b %Y}" if k.effective_from else "—",
                owner=k.owner,
            )
        )
    return tuple(out)


def _hours() -> str:
    hours = load_settings().business_hours
    open_days = [day.capitalize() for day, span in hours.items() if span]
    spans = {span for span in hours.values() if span}
    span = spans.pop() if len(spans) == 1 else "varying hours"
    return f"{open_days[0]}–{open_days[-1]} {span}" if open_days else "none"


def conventions() -> tuple[str, ...]:
    """How every figure is counted, in plain sentences."""
    settings = load_settings()
    return (
        "Periods are Asia/Karachi calendar dates. The fiscal year runs July to June "
        "(FY2026-27 = 1 July 2026 to 30 June 2027; Q1 = July–September). "
        '"Fiscal year to date" runs from 1 July to the end of the reported period; '
        '"same period last year" is the same month or quarter a year earlier.',
        "An item is any public inquiry, comment needing a reply, information request, "
        "complaint or tip received by the media cell on any channel; spam and duplicates "
        "are not items.",
        "Volume KPIs count items received in the period; duration KPIs count items that "
        "completed the step in the period; SLA KPIs add open items already past target "
        "at the period's end (an open overdue item counts as a breach).",
        "Durations are computed from timestamps. Business time counts the cell's staffed "
        f"hours ({_hours()}, Asia/Karachi) on working days, Pakistan public holidays "
        f"({settings.holiday_country}) excluded; calendar time counts every minute.",
        "Typical durations are the median (P50) and P90, by DuckDB quantile_cont "
        "(linear interpolation); a mean is never shown alone.",
        "Status: on target; within the targets file's band of the target; off target; "
        'or "n too small" when a rate or percentile rests on fewer items than the '
        "file's minimum. Targets come from data/config/targets.yaml, in effect on the "
        "period's last day (a later change never rewrites an earlier month).",
        "Figures are computed by the same functions as the dashboard, on a read-only "
        "copy of the warehouse: the same warehouse gives the same numbers every time.",
    )
