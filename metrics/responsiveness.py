"""Responsiveness KPIs R1-R14 over ``marts.inquiries``, and the page's tables.

Every KPI function takes a DuckDB connection (or cursor) and a ``Filters``,
aggregates in DuckDB and returns a ``KpiResult``. The first paragraph of
each KPI function's docstring is the KPI's definition: the catalogue, the
page, the report and the tests all read it from there.

Conventions (KPI catalogue): volume KPIs use items *received* in the period;
duration KPIs use items that *completed* the step in the period; SLA KPIs
add open items already past target at the period end; percentiles are P50
and P90 by DuckDB ``quantile_cont`` (linear interpolation). The period is
``[f.start_at, f.end_at)`` in UTC; open-item logic is judged at
``min(f.end_at, now)``; pass ``now`` (timezone-aware) to fix the clock.

KPIs over the same items share one query (R1, R3, R5, R10 and R11 in
``metrics.sla``; R7 and R8; R9, R12 and R14), and each duration KPI (R4,
R6, R9) gets its business and calendar percentiles from one scan, so
``compute_kpis`` scans the mart six times per period for the page's
thirteen KPIs. The tables behind the page's charts live in
``metrics.breakdowns`` and are re-exported here.

This module knows no targets and imports no catalogue: ``metrics.kpis``
joins the KPI functions to the catalogue's definitions and the targets
file (and builds the page's ``kpi_summary``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from metrics.breakdowns import (
    AGING_BUCKETS,
    LEAGUE_GROUPS,
    district_items,
    first_response_histogram,
    league_of,
    overdue_aging,
    overdue_items,
    sla_league,
    weekly_trend,
)
from metrics.filters import Filters
from metrics.scope import SCOPE_SQL, fetch_one, pct, scope_params
from metrics.sla import PeriodEndCounts, totals

__all__ = [
    "AGING_BUCKETS",
    "LEAGUE_GROUPS",
    "PAGE_KPIS",
    "KpiResult",
    "compute_kpi",
    "compute_kpis",
    "district_items",
    "field_ack_within_24h",
    "field_report_within_3_days",
    "first_response_histogram",
    "first_response_sla",
    "first_response_time",
    "items_per_100k",
    "items_received",
    "overdue_aging",
    "overdue_backlog",
    "overdue_items",
    "reopen_rate",
    "referral_time",
    "resolution_sla",
    "resolution_time",
    "response_rate",
    "rti_compliance",
    "satisfaction",
    "league_of",
    "sla_league",
    "weekly_trend",
]

Connection = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class KpiResult:
    """One KPI over one set of filters.

    Duration KPIs (R4, R6, R9) carry their percentiles in both clocks as
    well: business time (the cell's staffed hours) and calendar (clock)
    time, in the KPI's unit; the headline ``value`` and ``p90`` are one of
    the two (R4 and R6 business, R9 calendar, unless asked otherwise).
    """

    kpi_id: str
    value: float | None  # headline: count, % (0-100), or P50 in the KPI's unit
    unit: str  # "count", "%", "minutes", "hours", "per 100,000"
    n: int  # rows behind the value (denominator, or cohort size for percentiles)
    numerator: int | None = None
    p90: float | None = None
    business_p50: float | None = None
    business_p90: float | None = None
    calendar_p50: float | None = None
    calendar_p90: float | None = None
    clock: str | None = None  # durations: the headline's clock, "business" or "calendar"


def _share(kpi_id: str, n: int, numerator: int) -> KpiResult:
    return KpiResult(kpi_id, pct(numerator, n), "%", n, numerator)


@dataclass(frozen=True)
class _Clocks:
    """A duration's cohort size and [P50, P90] in business and calendar time."""

    business_n: int
    business: list[float] | None
    calendar_n: int
    calendar: list[float] | None

    @classmethod
    def of(cls, row: tuple) -> _Clocks:
        business_n, business, calendar_n, calendar = row
        return cls(int(business_n), business, int(calendar_n), calendar)


def _timed(kpi_id: str, unit: str, clocks: _Clocks, *, business: bool) -> KpiResult:
    """The duration KPI with ``business`` (or calendar) time as its headline."""
    n, quantiles = (
        (clocks.business_n, clocks.business) if business else (clocks.calendar_n, clocks.calendar)
    )
    p50, p90 = quantiles if quantiles is not None else (None, None)
    business_p50, business_p90 = clocks.business if clocks.business is not None else (None, None)
    calendar_p50, calendar_p90 = clocks.calendar if clocks.calendar is not None else (None, None)
    return KpiResult(
        kpi_id,
        p50,
        unit,
        n,
        None,
        p90,
        business_p50=business_p50,
        business_p90=business_p90,
        calendar_p50=calendar_p50,
        calendar_p90=calendar_p90,
        clock="business" if business else "calendar",
    )


# R1, R3, R5, R10, R11: one scan (metrics.sla) --------------------------------


def items_received(con: Connection, f: Filters) -> KpiResult:
    """Items received: the count of items received in the period (cohort:
    received): every inquiry, comment, information request, complaint and
    tip on the register, those needing no reply (status no_reply_needed)
    included; spam and duplicates are not items and never reach the mart.
    Unit: count.

    Items needing a reply (R3's denominator) are the part of these that
    ``metrics.kpis.kpi_summary`` shows beside R1. Items naming no district
    count only when no region or district filter is set.
    """
    return _r1(totals(con, f))


def _r1(counts: PeriodEndCounts) -> KpiResult:
    return KpiResult("R1", float(counts.received), "count", counts.received, counts.received)


def response_rate(con: Connection, f: Filters) -> KpiResult:
    """Response rate: items with at least one human reply ÷ items needing a
    reply, both over items received in the period (cohort: received). A
    reply recorded at any time up to the latest load counts, so a recent
    period's rate can still rise as replies arrive. Unit: %.

    ``n`` is the items needing a reply, ``numerator`` the replied ones.
    """
    return _r3(totals(con, f))


def _r3(counts: PeriodEndCounts) -> KpiResult:
    return _share("R3", counts.needing_reply, counts.replied)


def first_response_sla(con: Connection, f: Filters, *, now: datetime | None = None) -> KpiResult:
    """First-response SLA attainment: items first replied within target ÷
    (items first replied in the period + items whose target fell in the
    period and still unreplied at its end; cohort: completed + open past
    target at the period end). The target is first_response_due_at; an
    open overdue item counts as a breach, in the period its target passed.
    The period end is min(end of period, now). Unit: %.

    ``n`` is the denominator, ``numerator`` the replies within target. An
    item overdue since an earlier period is not counted again while it
    stays unreplied (see ``metrics.sla``).
    """
    return _r5(totals(con, f, now=now))


def _r5(counts: PeriodEndCounts) -> KpiResult:
    return _share("R5", counts.reply_judged, counts.reply_on_time)


def resolution_sla(con: Connection, f: Filters, *, now: datetime | None = None) -> KpiResult:
    """Resolution SLA attainment: items resolved within their category's
    target ÷ (items resolved in the period + items whose target fell in the
    period and still open at its end; cohort: completed + open past target
    at the period end). The target is resolution_due_at; an open overdue
    item counts as a breach, in the period its target passed, and an item
    reopened before the period end counts as open. The period end is
    min(end of period, now). Unit: %.

    ``n`` is the denominator, ``numerator`` the resolutions within target.
    Items overdue since an earlier period are the overdue backlog (R11).
    """
    return _r10(totals(con, f, now=now))


def _r10(counts: PeriodEndCounts) -> KpiResult:
    return _share("R10", counts.resolution_judged, counts.resolution_on_time)


def overdue_backlog(con: Connection, f: Filters, *, now: datetime | None = None) -> KpiResult:
    """Overdue backlog: items open at the period end, min(end of period,
    now), whose resolution target (resolution_due_at) has passed, whenever
    they were received (cohort: open at the period end). Value and
    numerator: the overdue count; n: all items open at the period end, so
    % of open = numerator ÷ n. Unit: count.

    Items needing no reply (status no_reply_needed) are never open. An item
    reopened after its latest resolution is open from the reopening on.
    Aging buckets by calendar days past target: ``overdue_aging``.
    """
    return _r11(totals(con, f, now=now))


def _r11(counts: PeriodEndCounts) -> KpiResult:
    overdue = counts.overdue_at_end
    return KpiResult("R11", float(overdue), "count", counts.open_at_end, overdue)


# R2 ------------------------------------------------------------------------

ITEMS_PER_100K_SQL = (
    SCOPE_SQL
    + """,
received as (
    select count(*) as n_items
    from items
    where received_at >= $start_at and received_at < $end_at
),
units as (
    select distinct census_unit
    from ref.districts
    where (len($regions) = 0 or list_contains($regions, region))
      and (len($districts) = 0 or list_contains($districts, district))
),
population as (
    select sum(census.population) as population
    from units
    join ref.census as census using (census_unit)
)
select received.n_items, population.population
from received, population
"""
)


def items_per_100k(con: Connection, f: Filters) -> KpiResult:
    """Items per 100,000 people: items received in the period ÷ 2023 census
    population of the selected area × 100,000. The population is that of
    the census units of the filtered regions and districts, each unit
    counted once (two districts sharing a census unit count it once); with
    no region or district filter it is all of Khyber Pakhtunkhwa (every
    unit in ref.districts), and only then do items naming no district
    count. The channel filter narrows the items, not the population.
    Cohort: received in the period. Unit: per 100,000.

    ``n`` and ``numerator`` are the items; ``value`` is None when the area
    has no census population.
    """
    n_items, population = fetch_one(con, ITEMS_PER_100K_SQL, scope_params(f))
    rate = 100_000.0 * n_items / float(population) if population else None
    return KpiResult("R2", rate, "per 100,000", int(n_items), int(n_items))


# R4 ------------------------------------------------------------------------

FIRST_RESPONSE_TIME_SQL = (
    SCOPE_SQL
    + """,
replied as (
    select
        first_response_business_minutes as business_minutes,
        first_response_minutes as calendar_minutes
    from items
    where needs_reply
      and first_response_at >= $start_at and first_response_at < $end_at
)
select
    count(business_minutes),
    quantile_cont(business_minutes, [0.5, 0.9]),
    count(calendar_minutes),
    quantile_cont(calendar_minutes, [0.5, 0.9])
from replied
"""
)


def first_response_time(con: Connection, f: Filters, *, business: bool = True) -> KpiResult:
    """First response time: first human reply − received, for items needing
    a reply whose first reply came in the period (cohort: completed).
    Headline P50, with P90, by DuckDB quantile_cont (linear interpolation);
    in business minutes of the cell's staffed hours, or calendar minutes
    with business=False. Unit: minutes.

    ``n`` is the replies behind the percentiles; the result carries both
    clocks' P50 and P90 (business_p50 ... calendar_p90).
    """
    return _r4(_first_response_clocks(con, f), business=business)


def _first_response_clocks(con: Connection, f: Filters) -> _Clocks:
    return _Clocks.of(fetch_one(con, FIRST_RESPONSE_TIME_SQL, scope_params(f)))


def _r4(clocks: _Clocks, *, business: bool = True) -> KpiResult:
    return _timed("R4", "minutes", clocks, business=business)


# R6 ------------------------------------------------------------------------

REFERRAL_TIME_SQL = (
    SCOPE_SQL
    + """,
referred as (
    select
        referral_business_minutes as business_minutes,
        referral_minutes as calendar_minutes
    from items
    where needs_field_action
      and referred_at >= $start_at and referred_at < $end_at
)
select
    count(business_minutes),
    quantile_cont(business_minutes, [0.5, 0.9]),
    count(calendar_minutes),
    quantile_cont(calendar_minutes, [0.5, 0.9])
from referred
"""
)


def referral_time(con: Connection, f: Filters, *, business: bool = True) -> KpiResult:
    """Referral time: referred to the RPO/DPO − received, for items needing
    field action referred in the period (cohort: completed). Headline P50,
    with P90, by DuckDB quantile_cont (linear interpolation); in business
    minutes, or calendar minutes with business=False. Unit: minutes.

    ``n`` is the referrals behind the percentiles; the result carries both
    clocks' P50 and P90.
    """
    return _r6(_referral_clocks(con, f), business=business)


def _referral_clocks(con: Connection, f: Filters) -> _Clocks:
    return _Clocks.of(fetch_one(con, REFERRAL_TIME_SQL, scope_params(f)))


def _r6(clocks: _Clocks, *, business: bool = True) -> KpiResult:
    return _timed("R6", "minutes", clocks, business=business)


# R7, R8 --------------------------------------------------------------------

REFERRALS_DUE_SQL = (
    SCOPE_SQL
    + """,
referrals as (
    select
        field_ack_due_at >= $start_at and field_ack_due_at < $as_of
            as is_ack_due,
        field_ack_at <= field_ack_due_at as is_ack_on_time,
        field_report_due_at >= $start_at and field_report_due_at < $as_of
            as is_report_due,
        field_report_at <= field_report_due_at as is_report_on_time
    from items
    where needs_field_action
),
due as (
    select *
    from referrals
    where is_ack_due or is_report_due
)
select
    count(*) filter (where is_ack_due) as n_ack_due,
    count(*) filter (where is_ack_due and is_ack_on_time) as n_ack_on_time,
    count(*) filter (where is_report_due) as n_report_due,
    count(*) filter (
        where is_report_due and is_report_on_time
    ) as n_report_on_time
from due
"""
)


@dataclass(frozen=True)
class _ReferralsDue:
    ack_due: int
    ack_on_time: int
    report_due: int
    report_on_time: int


def _referrals_due(con: Connection, f: Filters, *, now: datetime | None = None) -> _ReferralsDue:
    row = fetch_one(con, REFERRALS_DUE_SQL, scope_params(f, now=now))
    return _ReferralsDue(*(int(v) for v in row))


def field_ack_within_24h(con: Connection, f: Filters, *, now: datetime | None = None) -> KpiResult:
    """District acknowledgement within 24 h: referrals the district
    acknowledged (contacted the complainant) by field_ack_due_at, 24
    calendar hours after referral ÷ referrals whose acknowledgement fell
    due in the period, up to min(end of period, now) (cohort: due). Unit: %.

    ``n`` is the referrals due, ``numerator`` those acknowledged in time.
    """
    return _r7(_referrals_due(con, f, now=now))


def _r7(due: _ReferralsDue) -> KpiResult:
    return _share("R7", due.ack_due, due.ack_on_time)


def field_report_within_3_days(
    con: Connection, f: Filters, *, now: datetime | None = None
) -> KpiResult:
    """Field report within 3 days: referrals with a field action report by
    field_report_due_at, 3 calendar days after referral ÷ referrals whose
    report fell due in the period, up to min(end of period, now) (cohort:
    due). Unit: %.

    ``n`` is the referrals due, ``numerator`` those reported in time.
    """
    return _r8(_referrals_due(con, f, now=now))


def _r8(due: _ReferralsDue) -> KpiResult:
    return _share("R8", due.report_due, due.report_on_time)


# R9, R12, R14 --------------------------------------------------------------

RESOLUTIONS_SQL = (
    SCOPE_SQL
    + """,
resolved as (
    select
        resolution_business_minutes / 60.0 as business_hours,
        resolution_minutes / 60.0 as calendar_hours,
        reopened_at is not null as is_reopened,
        satisfaction
    from items
    where resolved_at >= $start_at and resolved_at < $end_at
)
select
    count(business_hours) as n_business,
    quantile_cont(business_hours, [0.5, 0.9]) as business_quantiles,
    count(calendar_hours) as n_calendar,
    quantile_cont(calendar_hours, [0.5, 0.9]) as calendar_quantiles,
    count(*) as n_resolved,
    count(*) filter (where is_reopened) as n_reopened,
    count(satisfaction) as n_surveyed,
    count(*) filter (where satisfaction = 'satisfied') as n_satisfied
from resolved
"""
)


@dataclass(frozen=True)
class _Resolutions:
    clocks: _Clocks  # resolution hours
    resolved: int
    reopened: int
    surveyed: int
    satisfied: int


def _resolutions(con: Connection, f: Filters) -> _Resolutions:
    row = fetch_one(con, RESOLUTIONS_SQL, scope_params(f))
    clocks, counts = _Clocks.of(row[:4]), row[4:]
    return _Resolutions(clocks, *(int(v) for v in counts))


def resolution_time(con: Connection, f: Filters, *, business: bool = False) -> KpiResult:
    """Resolution time: resolved (latest resolution) − received, for items
    resolved in the period (cohort: completed), including items reopened
    later. Headline P50, with P90, by DuckDB quantile_cont (linear
    interpolation); in calendar hours, or business hours with
    business=True. Unit: hours.

    ``n`` is the resolutions behind the percentiles; the result carries
    both clocks' P50 and P90 (the P90 target is in working days, business
    time).
    """
    return _r9(_resolutions(con, f), business=business)


def _r9(resolutions: _Resolutions, *, business: bool = False) -> KpiResult:
    return _timed("R9", "hours", resolutions.clocks, business=business)


def reopen_rate(con: Connection, f: Filters) -> KpiResult:
    """Reopen rate: items reopened after a resolution ÷ items resolved in
    the period (cohort: completed, by latest resolution). A reopening
    recorded at any time up to the latest load counts, before or after
    that resolution. Unit: %.

    ``n`` is the items resolved, ``numerator`` the reopened ones.
    """
    return _r12(_resolutions(con, f))


def _r12(resolutions: _Resolutions) -> KpiResult:
    return _share("R12", resolutions.resolved, resolutions.reopened)


def satisfaction(con: Connection, f: Filters) -> KpiResult:
    """Citizen satisfaction: survey answers "satisfied" ÷ survey responses,
    on items resolved in the period (cohort: completed); always show n, the
    number of responses. Unit: %.

    ``n`` is the responses, ``numerator`` the satisfied ones.
    """
    return _r14(_resolutions(con, f))


def _r14(resolutions: _Resolutions) -> KpiResult:
    return _share("R14", resolutions.surveyed, resolutions.satisfied)


# R13 -----------------------------------------------------------------------

RTI_COMPLIANCE_SQL = (
    SCOPE_SQL
    + """,
due as (
    select resolved_at <= resolution_due_at as is_on_time
    from items
    where category = 'information_request'
      and resolution_due_at >= $start_at and resolution_due_at < $as_of
)
select count(*), count(*) filter (where is_on_time)
from due
"""
)


def rti_compliance(con: Connection, f: Filters, *, now: datetime | None = None) -> KpiResult:
    """RTI compliance: information requests answered (resolved) within 10
    working days, or 2 where life or liberty is at stake (priority urgent),
    as the KP RTI Act 2013 requires, by resolution_due_at ÷ information
    requests falling due in the period, up to min(end of period, now)
    (cohort: due). Unit: %.

    ``n`` is the requests due, ``numerator`` those answered in time.
    """
    n, on_time = fetch_one(con, RTI_COMPLIANCE_SQL, scope_params(f, now=now))
    return _share("R13", int(n), int(on_time))


# Several KPIs at once --------------------------------------------------------

PAGE_KPIS: tuple[str, ...] = (
    "R1",
    "R3",
    "R4",
    "R5",
    "R6",
    "R7",
    "R8",
    "R9",
    "R10",
    "R11",
    "R12",
    "R13",
    "R14",
)

KPI_FUNCTIONS: dict[str, Callable[..., KpiResult]] = {
    "R1": items_received,
    "R2": items_per_100k,
    "R3": response_rate,
    "R4": first_response_time,
    "R5": first_response_sla,
    "R6": referral_time,
    "R7": field_ack_within_24h,
    "R8": field_report_within_3_days,
    "R9": resolution_time,
    "R10": resolution_sla,
    "R11": overdue_backlog,
    "R12": reopen_rate,
    "R13": rti_compliance,
    "R14": satisfaction,
}

# KPIs judged at the period end, which take the clock as ``now``.
JUDGED_AT_PERIOD_END: frozenset[str] = frozenset({"R5", "R7", "R8", "R10", "R11", "R13"})

# KPIs computed from a shared query: family -> (query, {kpi: builder}).
_FAMILIES: dict[str, tuple[Callable[..., Any], dict[str, Callable[[Any], KpiResult]]]] = {
    "period_end": (
        lambda con, f, now: totals(con, f, now=now),
        {"R1": _r1, "R3": _r3, "R5": _r5, "R10": _r10, "R11": _r11},
    ),
    "referrals_due": (
        lambda con, f, now: _referrals_due(con, f, now=now),
        {"R7": _r7, "R8": _r8},
    ),
    "resolutions": (
        lambda con, f, now: _resolutions(con, f),
        {"R9": _r9, "R12": _r12, "R14": _r14},
    ),
    "first_response": (lambda con, f, now: _first_response_clocks(con, f), {"R4": _r4}),
    "referral": (lambda con, f, now: _referral_clocks(con, f), {"R6": _r6}),
}


def compute_kpi(
    con: Connection, kpi_id: str, f: Filters, *, now: datetime | None = None
) -> KpiResult:
    """One KPI by id, with its default options (R4/R6 business, R9 calendar)."""
    function = KPI_FUNCTIONS[kpi_id]
    if kpi_id in JUDGED_AT_PERIOD_END:
        return function(con, f, now=now)
    return function(con, f)


def compute_kpis(
    con: Connection,
    kpi_ids: tuple[str, ...],
    f: Filters,
    *,
    now: datetime | None = None,
    period_end: PeriodEndCounts | None = None,
) -> dict[str, KpiResult]:
    """Several KPIs by id, equal to ``compute_kpi`` for each, in fewer scans.

    ``period_end``: ``sla.totals(con, f, now=now)`` when the caller has it
    already (read with other groupings in one scan), so it is not read again.
    """
    results: dict[str, KpiResult] = {}
    for family, (fetch, builders) in _FAMILIES.items():
        wanted = [k for k in kpi_ids if k in builders]
        if wanted:
            given = family == "period_end" and period_end is not None
            shared = period_end if given else fetch(con, f, now)
            results.update({k: builders[k](shared) for k in wanted})
    for kpi_id in kpi_ids:
        if kpi_id not in results:
            results[kpi_id] = compute_kpi(con, kpi_id, f, now=now)
    return {k: results[k] for k in kpi_ids}
