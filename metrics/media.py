"""Media and crisis-communication KPIs M1-M7 over the media marts.

Every KPI function takes a DuckDB connection (or cursor) and a ``Filters``,
aggregates in DuckDB and returns a ``KpiResult`` (or a subclass carrying the
KPI's other figures). The first paragraph of each function's docstring is
the KPI's definition. This module knows no targets and imports no
catalogue: a target the KPI is judged by (the golden hour of M2, the two
hours of M3) is passed in by the caller, from ``metrics.kpis``.

How the shared filters apply:

* the period is ``[f.start_at, f.end_at)``; mentions count in the period
  they were **published** in, outputs when published, queries by the
  cohort each KPI names, incidents by when their statement or rebuttal
  went out;
* region and district narrow mentions and incidents by the district they
  name (those naming none count only when no region or district is
  chosen); media queries and outputs name no district, so region and
  district filters do not narrow them;
* the channel filter is about the public's inquiries and does not apply.

The tables behind the Media page's charts live in ``metrics.media_breakdowns``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from metrics.filters import Filters
from metrics.responsiveness import KpiResult
from metrics.scope import fetch_one, pct, scope_params

Connection = duckdb.DuckDBPyConnection

# Mentions and incidents inside the chosen regions and districts.
PLACE_SQL = """(len($regions) = 0 or list_contains($regions, region))
      and (len($districts) = 0 or list_contains($districts, district))"""

MENTIONS_SQL = f"""
with mentions as not materialized (
    select *
    from marts.media_mentions
    where published_at >= $start_at and published_at < $end_at
      and {PLACE_SQL}
      and (len($outlet_types) = 0 or list_contains($outlet_types, outlet_type))
)"""


def media_params(f: Filters, *, now: datetime | None = None, **extra: object) -> dict:
    """Bound parameters of the media queries (``metrics.scope.scope_params``)."""
    extra.setdefault("outlet_types", [])
    return scope_params(f, now=now, **extra)


@dataclass(frozen=True)
class ToneResult(KpiResult):
    """Net tone with the counts behind it."""

    positive: int = 0
    neutral: int = 0
    negative: int = 0
    negative_share_pct: float | None = None


@dataclass(frozen=True)
class QueryResponseResult(KpiResult):
    """M1: same-business-day attainment, with the response time and deadlines."""

    p50_hours: float | None = None
    p90_hours: float | None = None
    answered: int = 0
    open_past_due: int = 0
    deadline_judged: int = 0
    deadline_met: int = 0

    @property
    def deadline_met_pct(self) -> float | None:
        return pct(self.deadline_met, self.deadline_judged)


@dataclass(frozen=True)
class OutputsResult(KpiResult):
    """M7: outputs published, with the plan for the same days."""

    planned: float | None = None


# M1 ---------------------------------------------------------------------------

QUERY_RESPONSE_SQL = """
with queries as not materialized (
    select * from marts.media_queries
),
answered as (
    select
        answered_same_business_day,
        answered_by_deadline,
        deadline_at,
        case when $business then response_business_minutes else response_minutes end
            / 60.0 as hours
    from queries
    where answered_at >= $start_at and answered_at < $end_at
),
open_past_due as (
    select count(*) as n
    from queries
    where (answered_at is null or answered_at >= $as_of)
      and same_day_due_at >= $start_at and same_day_due_at < $as_of
),
open_past_deadline as (
    select count(*) as n
    from queries
    where (answered_at is null or answered_at >= $as_of)
      and deadline_at >= $start_at and deadline_at < $as_of
)
select
    count(*) as n_answered,
    count(*) filter (where answered_same_business_day) as n_same_day,
    (select n from open_past_due) as n_open_past_due,
    quantile_cont(hours, [0.5, 0.9]) as hour_quantiles,
    count(deadline_at) + (select n from open_past_deadline) as n_deadline_judged,
    count(*) filter (where answered_by_deadline) as n_deadline_met
from answered
"""


def media_query_response(
    con: Connection, f: Filters, *, now: datetime | None = None, business: bool = True
) -> QueryResponseResult:
    """Media query response: journalists' queries answered the same business
    day ÷ (queries answered in the period + queries still unanswered whose
    same-business-day target fell in the period, up to min(end of period,
    now)). The target is the close of the working day the query arrived
    on, or of the next working day when it arrived after hours or on a day
    off (business hours and holidays of settings.yaml). Also: answered −
    received, P50 and P90 by DuckDB quantile_cont over queries answered in
    the period, in business hours (calendar hours with business=False), and
    the share answered by the journalist's deadline where one was given.
    Unit: %.

    ``n`` is the denominator, ``numerator`` the same-day answers. Queries
    name no district: region and district filters do not narrow them.
    """
    params = media_params(f, now=now, business=business)
    answered, same_day, open_due, quantiles, judged, met = fetch_one(
        con, QUERY_RESPONSE_SQL, params
    )
    p50, p90 = quantiles if quantiles is not None else (None, None)
    n = int(answered) + int(open_due)
    return QueryResponseResult(
        "M1",
        pct(int(same_day), n),
        "%",
        n,
        int(same_day),
        p50_hours=p50,
        p90_hours=p90,
        answered=int(answered),
        open_past_due=int(open_due),
        deadline_judged=int(judged),
        deadline_met=int(met),
    )


# M2, M3 -----------------------------------------------------------------------

INCIDENT_DURATION_SQL = f"""
with incidents as not materialized (
    select * from marts.incidents
    where {PLACE_SQL}
),
timed as (
    select
        case $step
            when 'statement' then statement_minutes
            when 'rebuttal' then rebuttal_minutes
        end as minutes
    from incidents
    where case $step
            when 'statement' then first_statement_at
            when 'rebuttal' then rebuttal_at
        end >= $start_at
      and case $step
            when 'statement' then first_statement_at
            when 'rebuttal' then rebuttal_at
        end < $end_at
)
select
    count(minutes),
    quantile_cont(minutes, [0.5, 0.9]),
    count(*) filter (where minutes <= $target)
from timed
"""


def _incident_duration(
    con: Connection, f: Filters, kpi_id: str, step: str, target: float | None
) -> KpiResult:
    params = media_params(f, step=step, target=target)
    n, quantiles, within = fetch_one(con, INCIDENT_DURATION_SQL, params)
    p50, p90 = quantiles if quantiles is not None else (None, None)
    return KpiResult(
        kpi_id, p50, "minutes", int(n), int(within) if target is not None else None, p90
    )


def time_to_first_statement(
    con: Connection, f: Filters, *, target_minutes: float | None = None
) -> KpiResult:
    """Time to first public statement: first official statement − incident
    verified, or − the first monitored media report of the incident where
    no verification time is recorded, per incident, for incidents whose
    first statement went out in the period (cohort: completed). A
    statement issued before that start counts as 0 minutes. Headline P50,
    with P90, by DuckDB quantile_cont. Unit: minutes.

    ``n`` is the incidents timed; with ``target_minutes`` (the golden hour,
    60 in the targets file) ``numerator`` counts those within it.
    Incidents with no statement yet are listed by ``incident_timeline``.
    """
    return _incident_duration(con, f, "M2", "statement", target_minutes)


def rebuttal_time(con: Connection, f: Filters, *, target_minutes: float | None = None) -> KpiResult:
    """Misinformation rebuttal time: official clarification − false claim
    detected, per incident with a detected false claim, for rebuttals
    issued in the period (cohort: completed). Headline P50, with P90, by
    DuckDB quantile_cont. Unit: minutes.

    ``n`` is the rebuttals timed; with ``target_minutes`` (two hours, 120
    in the targets file) ``numerator`` counts those within it.
    """
    return _incident_duration(con, f, "M3", "rebuttal", target_minutes)


# M4, M5, M6 -------------------------------------------------------------------

MENTION_TOTALS_SQL = (
    MENTIONS_SQL
    + """
select
    count(*) as n_mentions,
    count(tone) as n_coded,
    count(*) filter (where tone = 'positive') as n_positive,
    count(*) filter (where tone = 'neutral') as n_neutral,
    count(*) filter (where tone = 'negative') as n_negative,
    count(quotes_official_line) filter (where not $incidents_only or incident_id is not null)
        as n_line_coded,
    count(*) filter (
        where quotes_official_line and (not $incidents_only or incident_id is not null)
    ) as n_line
from mentions
"""
)


def _mention_totals(
    con: Connection, f: Filters, outlet_types: tuple[str, ...], incidents_only: bool = False
) -> tuple[int, ...]:
    params = media_params(f, outlet_types=list(outlet_types), incidents_only=incidents_only)
    return tuple(int(v) for v in fetch_one(con, MENTION_TOTALS_SQL, params))


def media_mentions(con: Connection, f: Filters, *, outlet_types: tuple[str, ...] = ()) -> KpiResult:
    """Media mentions: monitored mentions of KP Police (TV, print, online,
    social, radio) published in the period, from the media monitoring log
    (cohort: published). Unit: count.

    ``outlet_types`` narrows to some outlet types (all when empty).
    """
    n = _mention_totals(con, f, outlet_types)[0]
    return KpiResult("M4", float(n), "count", n, n)


def net_tone(con: Connection, f: Filters, *, outlet_types: tuple[str, ...] = ()) -> ToneResult:
    """Net tone: (positive − negative mentions) ÷ mentions coded for tone ×
    100, over mentions published in the period (cohort: published);
    mentions not yet coded (tone blank) are left out of both. From −100
    (all negative) to 100 (all positive). Unit: points.

    ``n`` is the coded mentions, ``numerator`` positive − negative; the
    result also carries the counts and the share of negative coverage
    (negative ÷ coded, %).
    """
    _, coded, positive, neutral, negative, _, _ = _mention_totals(con, f, outlet_types)
    value = 100.0 * (positive - negative) / coded if coded else None
    return ToneResult(
        "M5",
        value,
        "points",
        coded,
        positive - negative,
        positive=positive,
        neutral=neutral,
        negative=negative,
        negative_share_pct=pct(negative, coded),
    )


def official_line_share(
    con: Connection,
    f: Filters,
    *,
    outlet_types: tuple[str, ...] = (),
    incidents_only: bool = False,
) -> KpiResult:
    """Official-line share: mentions quoting the police's official line
    (spokesperson, press release, statement) ÷ police-related mentions
    coded for it (quotes_official_line yes or no), over mentions published
    in the period (cohort: published). Every mention in the monitoring log
    is police-related coverage. Unit: %.

    ``incidents_only`` counts only coverage of an incident (a mention
    naming an incident id): the "major stories" the ≥ 60% target is about.
    ``n`` is the coded mentions, ``numerator`` those quoting the line.
    """
    totals = _mention_totals(con, f, outlet_types, incidents_only)
    coded, quoting = totals[5], totals[6]
    return KpiResult("M6", pct(quoting, coded), "%", coded, quoting)


# M7 ---------------------------------------------------------------------------

OUTPUTS_SQL = """
with published as (
    select count(*) as n
    from marts.outputs
    where published_at >= $start_at and published_at < $end_at
      and (len($output_types) = 0 or list_contains($output_types, output_type))
),
planned as (
    -- A week's plan counts for the days of that week inside the period.
    select sum(
        planned
        * (date_diff('day',
                     greatest(week_start, cast($start_date as date)),
                     least(week_start + 6, cast($end_date as date))) + 1)
        / 7.0
    ) as n,
    count(*) as n_rows
    from marts.output_plan
    where week_start <= cast($end_date as date)
      and week_start + 6 >= cast($start_date as date)
      and (len($output_types) = 0 or list_contains($output_types, output_type))
)
select published.n, planned.n, planned.n_rows
from published, planned
"""


def outputs_published(
    con: Connection, f: Filters, *, output_types: tuple[str, ...] = ()
) -> OutputsResult:
    """Press releases and outputs: press releases, posts, videos, press
    conferences and interviews published in the period (cohort:
    published), against the communication plan for the same days: each
    week's planned count (weeks run Monday to Sunday) counts in proportion
    to its days inside the period. Unit: count.

    ``planned`` is None when no plan covers the period. Outputs name no
    district: region and district filters do not narrow them.
    """
    params = media_params(f, output_types=list(output_types))
    published, planned, plan_rows = fetch_one(con, OUTPUTS_SQL, params)
    n = int(published)
    return OutputsResult(
        "M7",
        float(n),
        "count",
        n,
        n,
        planned=float(planned) if plan_rows else None,
    )


KPI_FUNCTIONS: dict[str, Callable[..., KpiResult]] = {
    "M1": media_query_response,
    "M2": time_to_first_statement,
    "M3": rebuttal_time,
    "M4": media_mentions,
    "M5": net_tone,
    "M6": official_line_share,
    "M7": outputs_published,
}
