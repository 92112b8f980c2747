"""The scorecard's measured part: the score KPIs per period and per group, in one query.

The scorecard (``metrics.scorecard``) compares many cells at once: the
period, the one before it and the same period last year; each month of a
trend; each district, region, merged or settled group, requester gender.
``score_cells`` measures every cell of one table in **one** DuckDB query
(never one query per district or month), and returns one row per cell and
KPI. It knows no targets: the scorecard judges the rows against the targets
in effect for each cell, read from the targets file on every run.

Each KPI here is measured exactly as ``metrics.responsiveness`` measures it
for a single ``Filters`` (same cohorts, same period-end rule, same
``quantile_cont``); the query only swaps the one period for a list of
periods, judged each at its own end, min(end of period, now).
``tests/test_scorecard.py`` checks every cell against
``responsiveness.compute_kpis`` for that cell's filters.

What a row holds (``CELL_COLUMNS``): period (a key: ``current``,
``previous``, ``last_year`` or ``YYYY-MM``), period_start and period_end
(Pakistan dates), group (district, region, ``merged``/``settled``, a
requester gender, or None for everything), kpi_id, value, n, numerator,
p90 (the headline clock's), business_p90 (R9: business hours, for its
working-days P90 target), population (R2's census population of the
group's area; for genders that gender's census population).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from metrics.filters import Filters
from metrics.scope import SCOPE_SQL, fetch_df, pct, period_end, scope_params

Connection = duckdb.DuckDBPyConnection

# The KPIs measured per cell: R1 and R2 for volume and access, and the
# responsiveness KPIs the score can use.
CELL_KPIS: tuple[str, ...] = (
    "R1",
    "R2",
    "R3",
    "R4",
    "R5",
    "R6",
    "R7",
    "R8",
    "R9",
    "R10",
    "R12",
    "R13",
    "R14",
)
UNITS: dict[str, str] = {
    "R1": "count",
    "R2": "per 100,000",
    "R4": "minutes",
    "R6": "minutes",
    "R9": "hours",
}
GROUPINGS: tuple[str, ...] = ("all", "district", "region", "merged", "gender")
CELL_COLUMNS: tuple[str, ...] = (
    "period",
    "period_start",
    "period_end",
    "grouping",
    "group",
    "kpi_id",
    "unit",
    "value",
    "n",
    "numerator",
    "p90",
    "business_p90",
    "population",
)
MAX_TREND_MONTHS = 36
# The comparison periods whose districts, regions and groups are measured:
# the areas compare with the period before, not with a year back.
AREA_PERIODS: tuple[str, ...] = ("current", "previous")

_PAIRS_SQL = (
    SCOPE_SQL
    + """,
periods as (
    select
        unnest($period_keys) as period,
        unnest($period_starts) as p_start,
        unnest($period_ends) as p_end,
        unnest($period_as_of) as p_as_of
),
spans as (
    -- the first and last instant at which an item can count in any KPI:
    -- a cheap interval test picks its periods (a range join, not a scan of
    -- every item against every period); the flags below then apply each
    -- KPI's own window exactly
    select
        *,
        least(
            received_at, first_response_at, first_response_due_at,
            referred_at, field_ack_due_at, field_report_due_at, resolved_at,
            resolution_due_at
        ) as first_at,
        greatest(
            received_at, first_response_at, first_response_due_at,
            referred_at, field_ack_due_at, field_report_due_at, resolved_at,
            resolution_due_at
        ) as last_at
    from items
),
pairs as (
    select
        periods.period,
        district,
        region,
        case is_merged_district
            when true then 'merged' when false then 'settled'
        end as merged,
        requester_gender,
        p_start,
        p_end,
        p_as_of,
        received_at,
        needs_reply,
        first_response_recorded,
        first_response_at,
        first_response_due_at,
        first_response_business_minutes,
        needs_field_action,
        referred_at,
        referral_business_minutes,
        field_ack_at,
        field_ack_due_at,
        field_report_at,
        field_report_due_at,
        resolved_at,
        reopened_at,
        resolution_due_at,
        resolution_minutes,
        resolution_business_minutes,
        satisfaction,
        category
    from spans
    join periods
        on spans.last_at >= periods.p_start and spans.first_at < periods.p_end
),
states as (
    -- the item's state at its period's end, as metrics.scope defines it
    select
        *,
        coalesce(resolved_at < p_as_of, false)
            and not coalesce(
                reopened_at > resolved_at and reopened_at < p_as_of, false
            ) as is_resolved_by_end,
        needs_reply
            and received_at < p_as_of
            and (first_response_at is null or first_response_at >= p_as_of)
            as is_awaiting_by_end
    from pairs
),
flags as (
    select
        *,
        received_at >= p_start and received_at < p_end as is_received,
        needs_reply and received_at < p_as_of and not is_resolved_by_end
            as is_open_by_end,
        -- R5 and R10 as metrics.sla judges them
        received_at < p_end
            and needs_reply
            and first_response_due_at is not null
            and (
                (first_response_at >= p_start and first_response_at < p_as_of)
                or (
                    is_awaiting_by_end
                    and first_response_due_at >= p_start
                    and first_response_due_at < p_as_of
                )
            ) as is_reply_judged,
        not is_awaiting_by_end
            and first_response_at <= first_response_due_at as is_reply_on_time,
        needs_reply and first_response_at >= p_start and first_response_at < p_end
            as is_first_reply,
        needs_field_action and referred_at >= p_start and referred_at < p_end
            as is_referral,
        needs_field_action
            and field_ack_due_at >= p_start and field_ack_due_at < p_as_of
            as is_ack_due,
        needs_field_action
            and field_report_due_at >= p_start and field_report_due_at < p_as_of
            as is_report_due,
        resolved_at >= p_start and resolved_at < p_end as is_resolution,
        category = 'information_request'
            and resolution_due_at >= p_start and resolution_due_at < p_as_of
            as is_rti_due
    from states
),
judged as (
    select
        *,
        received_at < p_end
            and resolution_due_at is not null
            and (
                (is_resolved_by_end and resolved_at >= p_start)
                or (
                    is_open_by_end
                    and resolution_due_at >= p_start
                    and resolution_due_at < p_as_of
                )
            ) as is_resolution_judged,
        is_resolved_by_end and resolved_at <= resolution_due_at
            as is_resolution_on_time
    from flags
),
"""
)

# Every KPI's counts, the same in both queries below (count_if: DuckDB adds
# these up faster than count(*) filter (...)).
_COUNTS = """
        count_if(is_received) as n_received,
        count_if(is_received and needs_reply and first_response_recorded)
            as r3_n,
        count_if(
            is_received and needs_reply and first_response_recorded
            and first_response_at is not null
        ) as r3_num,
        count_if(is_first_reply and first_response_business_minutes is not null)
            as r4_n,
        count_if(is_reply_judged) as r5_n,
        count_if(is_reply_judged and is_reply_on_time) as r5_num,
        count_if(is_referral and referral_business_minutes is not null)
            as r6_n,
        count_if(is_ack_due) as r7_n,
        count_if(is_ack_due and field_ack_at <= field_ack_due_at) as r7_num,
        count_if(is_report_due) as r8_n,
        count_if(is_report_due and field_report_at <= field_report_due_at)
            as r8_num,
        count_if(is_resolution and resolution_minutes is not null) as r9_n,
        count_if(is_resolution_judged) as r10_n,
        count_if(is_resolution_judged and is_resolution_on_time) as r10_num,
        count_if(is_resolution) as r12_n,
        count_if(is_resolution and reopened_at is not null) as r12_num,
        count_if(is_rti_due) as r13_n,
        count_if(is_rti_due and resolved_at <= resolution_due_at) as r13_num,
        count_if(is_resolution and satisfaction is not null) as r14_n,
        count_if(is_resolution and satisfaction = 'satisfied') as r14_num,"""

_COUNT_NAMES = (
    "n_received",
    "r3_n",
    "r3_num",
    "r4_n",
    "r5_n",
    "r5_num",
    "r6_n",
    "r7_n",
    "r7_num",
    "r8_n",
    "r8_num",
    "r9_n",
    "r10_n",
    "r10_num",
    "r12_n",
    "r12_num",
    "r13_n",
    "r13_num",
    "r14_n",
    "r14_num",
)

# Pass one of ``comparison_cells``: every count at the finest grain (period,
# district, requester gender; region and merged follow from the district),
# and the durations behind R4, R6 and R9 as lists, so that pass two can
# take exact percentiles (quantile_cont) of any grouping from them.
_FINEST_SQL = (
    """
finest as (
    select
        period,
        district,
        region,
        merged,
        requester_gender,"""
    + _COUNTS
    + """
        list(first_response_business_minutes) filter (
            where is_first_reply and first_response_business_minutes is not null
        ) as r4_values,
        list(referral_business_minutes) filter (
            where is_referral and referral_business_minutes is not null
        ) as r6_values,
        list(resolution_minutes / 60.0) filter (
            where is_resolution and resolution_minutes is not null
        ) as r9_values,
        list(resolution_business_minutes / 60.0) filter (
            where is_resolution and resolution_business_minutes is not null
        ) as r9_business_values
    from judged
    group by all
),"""
)

# The sums and exact percentiles of pass two, over any grouping of pass one.
_ROLLED_UP = (
    ",".join(f"\n        sum({name})::bigint as {name}" for name in _COUNT_NAMES)
    + """,
        list_aggregate(flatten(list(r4_values)), 'quantile_cont', [0.5, 0.9])
            as r4_q,
        list_aggregate(flatten(list(r6_values)), 'quantile_cont', [0.5, 0.9])
            as r6_q,
        list_aggregate(flatten(list(r9_values)), 'quantile_cont', [0.5, 0.9])
            as r9_q,
        list_aggregate(
            flatten(list(r9_business_values)), 'quantile_cont', 0.9
        ) as r9_business_p90"""
)

# Pass two, on pass one's few rows: everything, per period; and, for the
# periods in $area_periods only (the areas are compared this period and the
# last, not a year back), per district, region, merged/settled and requester
# gender (DuckDB grouping sets).
_MEASURED_SQL = (
    """
measured as (
    select
        period,
        'all' as grouping,
        null::varchar as cell,"""
    + _ROLLED_UP
    + """
    from finest
    group by period
    union all
    select
        period,
        case
            when grouping(district) = 0 then 'district'
            when grouping(region) = 0 then 'region'
            when grouping(merged) = 0 then 'merged'
            else 'gender'
        end as grouping,
        case
            when grouping(district) = 0 then district
            when grouping(region) = 0 then region
            when grouping(merged) = 0 then merged
            else requester_gender
        end as cell,"""
    + _ROLLED_UP
    + """
    from finest
    where list_contains($area_periods, period)
    group by grouping sets (
        (period, district),
        (period, region),
        (period, merged),
        (period, requester_gender)
    )
),"""
)

# ``month_cells``: everything together, per period, in one pass with the
# percentiles taken directly.
_MEASURED_ALL_SQL = (
    """
measured as (
    select
        period,
        'all' as grouping,
        null::varchar as cell,"""
    + _COUNTS
    + """
        quantile_cont(
            case when is_first_reply then first_response_business_minutes end,
            [0.5, 0.9]
        ) as r4_q,
        quantile_cont(
            case when is_referral then referral_business_minutes end, [0.5, 0.9]
        ) as r6_q,
        quantile_cont(
            case when is_resolution then resolution_minutes / 60.0 end, [0.5, 0.9]
        ) as r9_q,
        quantile_cont(
            case when is_resolution then resolution_business_minutes / 60.0 end,
            0.9
        ) as r9_business_p90
    from judged
    group by period
),"""
)

_CELLS_SQL = """
areas as (
    -- R2's census units per area of the filters, each unit counted once
    select distinct
        unnest(['all', 'district', 'region', 'merged']) as grouping,
        unnest([
            null,
            district,
            region,
            case is_merged_district
                when true then 'merged' when false then 'settled'
            end
        ]) as cell,
        census_unit
    from ref.districts
    where (len($regions) = 0 or list_contains($regions, region))
      and (len($districts) = 0 or list_contains($districts, district))
),
population as (
    select
        areas.grouping,
        areas.cell,
        sum(census.population) as population,
        sum(census.female) as female,
        sum(census.male) as male,
        sum(census.transgender) as transgender
    from areas
    join ref.census as census using (census_unit)
    group by all
),
cells as (
    -- every area of the filters (no data: zeros), every group with data,
    -- and the three recorded genders
    select grouping, cell from population
    union
    select grouping, cell from measured
    union
    select 'gender', unnest(['female', 'male', 'transgender'])
)
select
    periods.period,
    cells.grouping,
    cells.cell,
    coalesce(measured.n_received, 0) as n_received,
    case cells.grouping
        when 'gender' then case cells.cell
            when 'female' then whole.female
            when 'male' then whole.male
            when 'transgender' then whole.transgender
        end
        else own.population
    end as population,
    measured.* exclude (period, grouping, cell, n_received)
from cells
cross join periods
left join measured
    on measured.period = periods.period
    and measured.grouping = cells.grouping
    and measured.cell is not distinct from cells.cell
left join population as own
    on own.grouping = cells.grouping and own.cell is not distinct from cells.cell
left join population as whole on whole.grouping = 'all'
where list_contains($groupings, cells.grouping)
  and (cells.grouping = 'all' or list_contains($area_periods, periods.period))
order by periods.period, cells.grouping, cells.cell
"""

# Every grouping (``comparison_cells``), and everything only (``month_cells``).
SCORE_CELLS_SQL = _PAIRS_SQL + _FINEST_SQL + _MEASURED_SQL + _CELLS_SQL
SCORE_CELLS_ALL_SQL = _PAIRS_SQL + _MEASURED_ALL_SQL + _CELLS_SQL


@dataclass(frozen=True)
class Period:
    """One period a table measures: its key and its filters."""

    key: str
    f: Filters


def comparison_periods(f: Filters) -> tuple[Period, ...]:
    """The period, the one before it (``Filters.previous``) and the same period
    a year earlier (``Filters.same_period_last_year``)."""
    return (
        Period("current", f),
        Period("previous", f.previous()),
        Period("last_year", f.same_period_last_year()),
    )


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def trend_periods(f: Filters, months: int = 12) -> tuple[Period, ...]:
    """The calendar months of the trend, oldest first, keyed ``YYYY-MM``.

    The ``months`` months ending with the month of ``f.end`` (reaching back to
    the month of ``f.start`` when the period is longer; at most
    ``MAX_TREND_MONTHS``); the last month is cut at ``f.end``, so a month in
    progress is the part of it so far, judged as of then.
    """
    first = min(_month_start(f.end, months - 1), _month_start(f.start))
    first = max(first, _month_start(f.end, MAX_TREND_MONTHS - 1))
    periods: list[Period] = []
    start = first
    while start <= f.end:
        following = _month_start(start, -1)
        end = min(following - timedelta(days=1), f.end)
        periods.append(Period(f"{start:%Y-%m}", replace(f, start=start, end=end)))
        start = following
    return tuple(periods)


def _params(
    f: Filters,
    periods: Sequence[Period],
    groupings: Sequence[str],
    now: datetime | None,
    area_periods: Sequence[str] | None = None,
) -> dict[str, Any]:
    unknown = [g for g in groupings if g not in GROUPINGS]
    if unknown or not groupings:
        raise ValueError(
            f"cannot measure by {unknown or 'nothing'}; choose from {', '.join(GROUPINGS)}"
        )
    return scope_params(
        f,
        now=now,
        groupings=list(groupings),
        area_periods=[p.key for p in periods] if area_periods is None else list(area_periods),
        period_keys=[p.key for p in periods],
        period_starts=[p.f.start_at for p in periods],
        period_ends=[p.f.end_at for p in periods],
        period_as_of=[period_end(p.f, now) for p in periods],
    )


def _quantiles(values: object) -> tuple[float | None, float | None]:
    if values is None or (isinstance(values, float) and pd.isna(values)):
        return None, None
    p50, p90 = list(values)  # type: ignore[call-overload]
    return p50, p90


def _rows(cell: dict[str, Any], period: Period) -> list[dict[str, Any]]:
    """One wide row of the query as one row per KPI."""
    received, population = int(cell["n_received"]), cell["population"]
    population = None if population is None or pd.isna(population) else float(population)
    base = {
        "period": period.key,
        "period_start": period.f.start,
        "period_end": period.f.end,
        "grouping": cell["grouping"],
        "group": cell["cell"],
        "population": population,
    }

    def count(name: str) -> int:
        value = cell[name]
        return 0 if value is None or pd.isna(value) else int(value)

    def share(kpi_id: str) -> dict[str, Any]:
        n, numerator = count(f"{kpi_id.lower()}_n"), count(f"{kpi_id.lower()}_num")
        return {"kpi_id": kpi_id, "value": pct(numerator, n), "n": n, "numerator": numerator}

    def timed(kpi_id: str) -> dict[str, Any]:
        p50, p90 = _quantiles(cell[f"{kpi_id.lower()}_q"])
        return {"kpi_id": kpi_id, "value": p50, "n": count(f"{kpi_id.lower()}_n"), "p90": p90}

    r2 = 100_000.0 * received / population if population else None
    business_p90 = cell["r9_business_p90"]
    rows = [
        {"kpi_id": "R1", "value": float(received), "n": received, "numerator": received},
        {"kpi_id": "R2", "value": r2, "n": received, "numerator": received},
        share("R3"),
        timed("R4"),
        share("R5"),
        timed("R6"),
        share("R7"),
        share("R8"),
        {
            **timed("R9"),
            "business_p90": None if pd.isna(business_p90) else float(business_p90),
        },
        share("R10"),
        share("R12"),
        share("R13"),
        share("R14"),
    ]
    return [{**base, "unit": UNITS.get(row["kpi_id"], "%"), **row} for row in rows]


def score_cells(
    con: Connection,
    f: Filters,
    periods: Sequence[Period],
    *,
    groupings: Sequence[str] = ("all",),
    area_periods: Sequence[str] | None = None,
    now: datetime | None = None,
) -> pd.DataFrame:
    """``CELL_KPIS`` for every period of ``periods`` in every grouping, in one query.

    ``groupings`` (``GROUPINGS``): "all" (one group, None), "district" and
    "region" (every area the filters select, with zeros where nothing
    happened, plus a None group for items naming no district), "merged"
    (``merged`` / ``settled`` districts), "gender" (requester gender as
    recorded; female, male and transgender always present); the groupings
    other than "all" only for the periods keyed in ``area_periods`` (default:
    every period). ``f`` gives the
    filters other than the period (regions, districts, channels, sources,
    genders); each period is judged at min(its end, ``now``). Columns
    ``CELL_COLUMNS``, ordered by period, grouping and group.
    """
    if not periods:
        raise ValueError("score_cells needs at least one period")
    if len({p.key for p in periods}) != len(periods):
        raise ValueError("period keys must be unique")
    # Two keys for the same dates (a fiscal year's previous period is the
    # same period last year) are measured once.
    distinct = {(p.f.start, p.f.end): p for p in reversed(periods)}
    measured = [p for p in periods if distinct[(p.f.start, p.f.end)] is p]
    if area_periods is not None:
        keys = {p.key: distinct[(p.f.start, p.f.end)].key for p in periods}
        area_periods = [keys[k] for k in area_periods]
    sql = SCORE_CELLS_ALL_SQL if tuple(groupings) == ("all",) else SCORE_CELLS_SQL
    wide = fetch_df(con, sql, _params(f, measured, groupings, now, area_periods))
    wide = wide.astype("object").where(wide.notna(), None)
    by_key = {p.key: p for p in measured}
    rows = [
        row
        for cell in wide.to_dict("records")
        for period in periods
        if distinct[(period.f.start, period.f.end)] is by_key[str(cell["period"])]
        for row in _rows(cell, period)
    ]
    frame = pd.DataFrame(rows).reindex(columns=list(CELL_COLUMNS))
    for column in ("value", "p90", "business_p90", "population"):
        frame[column] = frame[column].astype("float64")
    frame["n"] = frame["n"].astype("int64")
    frame["numerator"] = frame["numerator"].astype("Int64")
    frame["group"] = frame["group"].astype("object").where(frame["group"].notna(), None)
    return frame


def comparison_cells(con: Connection, f: Filters, *, now: datetime | None = None) -> pd.DataFrame:
    """``score_cells`` in every grouping for the period, the previous one and the
    same period last year (``comparison_periods``): one query."""
    periods = comparison_periods(f)
    return score_cells(con, f, periods, groupings=GROUPINGS, area_periods=AREA_PERIODS, now=now)


def month_cells(
    con: Connection, f: Filters, *, months: int = 12, now: datetime | None = None
) -> pd.DataFrame:
    """``score_cells`` by calendar month for the trend (``trend_periods``), everything."""
    return score_cells(con, f, trend_periods(f, months), now=now)


COMPARISON_KEYS: tuple[str, ...] = ("current", "previous", "last_year")


def overview_cells(
    con: Connection, f: Filters, *, months: int = 12, now: datetime | None = None
) -> pd.DataFrame:
    """``comparison_cells`` and ``month_cells`` together, in one query (one scan
    of the mart instead of two; a month both need, such as the period itself
    when it is a whole month, is measured once). Split with ``comparisons_of``
    and ``months_of``; each part equals the function it stands for."""
    periods = (*comparison_periods(f), *trend_periods(f, months))
    return score_cells(con, f, periods, groupings=GROUPINGS, area_periods=AREA_PERIODS, now=now)


def comparisons_of(cells: pd.DataFrame) -> pd.DataFrame:
    """The ``comparison_cells`` part of ``overview_cells``."""
    return cells[cells["period"].isin(COMPARISON_KEYS)].reset_index(drop=True)


def months_of(cells: pd.DataFrame) -> pd.DataFrame:
    """The ``month_cells`` part of ``overview_cells``."""
    rows = cells[~cells["period"].isin(COMPARISON_KEYS) & (cells["grouping"] == "all")]
    return rows.reset_index(drop=True)
