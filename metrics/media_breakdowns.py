"""The tables behind the Media page's charts, aggregated in DuckDB.

Same filters and cohorts as ``metrics.media`` (see its docstring): mentions
by publication time and the district they name, queries by when they
arrived or were answered, incidents by when they occurred. Weeks start on
Monday (Asia/Karachi dates). Every function returns a small DataFrame; none
returns a journalist's name or who typed an entry (the marts hold neither).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from metrics.filters import Filters
from metrics.media import MENTIONS_SQL, PLACE_SQL, media_params
from metrics.scope import fetch_df

Connection = duckdb.DuckDBPyConnection

MENTION_GROUPS: tuple[str, ...] = ("outlet_type", "language", "topic")
OTHER = "Other topics"
NOT_RECORDED = "(not recorded)"

# Net tone and the shares, per group of mentions (one place for the formulas).
_TONE_COLUMNS = """
    count(*) as mentions,
    count(tone) as coded,
    count(*) filter (where tone = 'positive') as positive,
    count(*) filter (where tone = 'neutral') as neutral,
    count(*) filter (where tone = 'negative') as negative,
    100.0 * (count(*) filter (where tone = 'positive')
             - count(*) filter (where tone = 'negative')) / nullif(count(tone), 0) as net_tone,
    100.0 * count(*) filter (where tone = 'negative') / nullif(count(tone), 0)
        as negative_share_pct,
    100.0 * count(*) filter (where quotes_official_line) / nullif(count(quotes_official_line), 0)
        as official_line_share_pct"""


def _week(column: str) -> str:
    return f"cast(date_trunc('week', {column}) as date)"


# Mentions ---------------------------------------------------------------------

MENTIONS_OVER_TIME_SQL = (
    MENTIONS_SQL
    + f""",
grouped as (
    select
        {_week("published_date")} as week_start,
        coalesce(case $by
            when 'outlet_type' then outlet_type
            when 'language' then language
            when 'topic' then lower(topic)
        end, '{NOT_RECORDED}') as grp
    from mentions
),
top as (
    select grp from grouped group by grp order by count(*) desc, grp limit $top_n
)
select
    week_start,
    case when $by <> 'topic' or grp in (select grp from top) then grp else '{OTHER}' end
        as "group",
    count(*) as mentions
from grouped
group by all
order by week_start, "group"
"""
)


def mentions_over_time(
    con: Connection,
    f: Filters,
    *,
    by: str = "outlet_type",
    outlet_types: tuple[str, ...] = (),
    top_topics: int = 8,
) -> pd.DataFrame:
    """Mentions per week by outlet type, language or topic.

    Columns: week_start, group, mentions. Topics are compared in lower case;
    beyond the ``top_topics`` most frequent they are "Other topics". A blank
    value is "(not recorded)".
    """
    if by not in MENTION_GROUPS:
        raise ValueError(f"cannot group mentions by {by!r}; choose one of {MENTION_GROUPS}")
    params = media_params(f, outlet_types=list(outlet_types), by=by, top_n=top_topics)
    return fetch_df(con, MENTIONS_OVER_TIME_SQL, params)


TONE_TREND_SQL = (
    MENTIONS_SQL
    + f"""
select {_week("published_date")} as week_start, {_TONE_COLUMNS}
from mentions
group by all
order by week_start
"""
)


def tone_trend(con: Connection, f: Filters, *, outlet_types: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per week: mentions, coded, positive, neutral, negative, net_tone (M5),
    negative_share_pct (negative ÷ coded) and official_line_share_pct (M6)."""
    return fetch_df(con, TONE_TREND_SQL, media_params(f, outlet_types=list(outlet_types)))


TOP_OUTLETS_SQL = (
    MENTIONS_SQL
    + f"""
select outlet, mode(outlet_type) as outlet_type, {_TONE_COLUMNS}
from mentions
group by outlet
order by mentions desc, outlet
limit $limit
"""
)


def top_outlets(
    con: Connection, f: Filters, *, limit: int = 10, outlet_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The outlets with most mentions, with their tone: outlet, outlet_type
    (the most frequent), mentions, coded, positive, neutral, negative,
    net_tone, negative_share_pct, official_line_share_pct."""
    params = media_params(f, outlet_types=list(outlet_types), limit=limit)
    return fetch_df(con, TOP_OUTLETS_SQL, params)


MENTIONS_BY_DISTRICT_SQL = (
    MENTIONS_SQL
    + f"""
select district, region, is_merged_district, {_TONE_COLUMNS}
from mentions
where district is not null
group by all
order by mentions desc, district
"""
)


def mentions_by_district(
    con: Connection, f: Filters, *, outlet_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Mentions naming a district, per district, with tone: district, region,
    is_merged_district, mentions, coded, …, net_tone, negative_share_pct."""
    return fetch_df(con, MENTIONS_BY_DISTRICT_SQL, media_params(f, outlet_types=list(outlet_types)))


# Media queries ----------------------------------------------------------------

QUERY_WEEKLY_SQL = f"""
with received as (
    select {_week("received_date")} as week_start, count(*) as received
    from marts.media_queries
    where received_at >= $start_at and received_at < $end_at
    group by all
),
answered as (
    select
        {_week("cast(answered_at at time zone 'Asia/Karachi' as date)")} as week_start,
        count(*) as answered,
        100.0 * count(*) filter (where answered_same_business_day) / count(*)
            as answered_same_day_pct,
        quantile_cont(response_business_minutes / 60.0, 0.5) as p50_business_hours
    from marts.media_queries
    where answered_at >= $start_at and answered_at < $end_at
    group by all
)
select
    week_start,
    coalesce(r.received, 0) as received,
    coalesce(a.answered, 0) as answered,
    a.answered_same_day_pct,
    a.p50_business_hours
from received as r
full join answered as a using (week_start)
order by week_start
"""


def query_weekly(con: Connection, f: Filters) -> pd.DataFrame:
    """Per week: queries received, queries answered, % of those answered the
    same business day (answered cohort) and their P50 business hours."""
    return fetch_df(con, QUERY_WEEKLY_SQL, media_params(f))


QUERY_RESPONSE_BANDS: tuple[str, ...] = (
    "Same business day",
    "Next working day",
    "Later",
    "Open, past same-day target",
)

QUERY_BANDS_SQL = """
with answered as (
    select
        case
            when answered_same_business_day then 'Same business day'
            when answered_at <= next_day_due_at then 'Next working day'
            else 'Later'
        end as band
    from marts.media_queries
    where answered_at >= $start_at and answered_at < $end_at
),
open_past_due as (
    select 'Open, past same-day target' as band
    from marts.media_queries
    where (answered_at is null or answered_at >= $as_of)
      and same_day_due_at >= $start_at and same_day_due_at < $as_of
)
select band, count(*) as queries
from (select * from answered union all select * from open_past_due)
group by band
"""


def query_response_bands(
    con: Connection, f: Filters, *, now: datetime | None = None
) -> pd.DataFrame:
    """M1's denominator split by how the answer went: answered the same
    business day, by the close of the next working day, later, or still
    open past the same-day target. Columns: band (in ``QUERY_RESPONSE_BANDS``
    order, every band present), queries."""
    params = media_params(f, now=now)
    counts = fetch_df(con, QUERY_BANDS_SQL, params).set_index("band")["queries"]
    bands = pd.DataFrame({"band": list(QUERY_RESPONSE_BANDS)})
    bands["queries"] = bands["band"].map(counts).fillna(0).astype("int64")
    return bands


OPEN_QUERIES_SQL = """
select
    query_id,
    received_at,
    outlet,
    topic,
    deadline_at,
    same_day_due_at,
    (epoch(cast($as_of as timestamptz)) - epoch(received_at)) / 3600.0 as hours_open,
    same_day_due_at < $as_of as is_past_same_day,
    deadline_at < $as_of as is_past_deadline
from marts.media_queries
where received_at < $as_of
  and (answered_at is null or answered_at >= $as_of)
order by is_past_same_day desc, received_at
limit $limit
"""


def open_queries(
    con: Connection, f: Filters, *, now: datetime | None = None, limit: int = 500
) -> pd.DataFrame:
    """Queries still unanswered at min(end of period, now), whenever they
    arrived, those past their same-day target first: query_id,
    received_at, outlet, topic, deadline_at, same_day_due_at, hours_open,
    is_past_same_day, is_past_deadline."""
    return fetch_df(con, OPEN_QUERIES_SQL, media_params(f, now=now, limit=limit))


# Incidents --------------------------------------------------------------------

INCIDENT_TIMELINE_SQL = f"""
with incidents as (
    select * from marts.incidents
    where {PLACE_SQL}
      and occurred_at < $as_of
      and (
          (occurred_at >= $start_at and occurred_at < $end_at)
          or first_statement_at is null or first_statement_at >= $as_of
      )
)
select
    incident_id,
    incident_type,
    district,
    region,
    occurred_at,
    verified_at,
    first_media_report_at,
    statement_clock_start_at,
    statement_clock_basis,
    case when first_statement_at < $as_of then first_statement_at end as first_statement_at,
    case when misinformation_detected_at < $as_of then misinformation_detected_at end
        as misinformation_detected_at,
    case when rebuttal_at < $as_of then rebuttal_at end as rebuttal_at,
    case when first_statement_at < $as_of then statement_minutes end as statement_minutes,
    case when rebuttal_at < $as_of then rebuttal_minutes end as rebuttal_minutes,
    first_statement_at is null or first_statement_at >= $as_of as awaiting_statement,
    case when first_statement_at is null or first_statement_at >= $as_of
        then (epoch(cast($as_of as timestamptz)) - epoch(statement_clock_start_at)) / 60.0
    end as minutes_without_statement,
    misinformation_detected_at < $as_of
        and (rebuttal_at is null or rebuttal_at >= $as_of) as awaiting_rebuttal,
    case when first_statement_at < $as_of then statement_minutes <= $statement_target
        when statement_clock_start_at is not null
            then (epoch(cast($as_of as timestamptz)) - epoch(statement_clock_start_at)) / 60.0
                <= $statement_target
    end as statement_within_target,
    case when rebuttal_at < $as_of then rebuttal_minutes <= $rebuttal_target
        when misinformation_detected_at < $as_of
            then (epoch(cast($as_of as timestamptz)) - epoch(misinformation_detected_at)) / 60.0
                <= $rebuttal_target
    end as rebuttal_within_target,
    n_mentions
from incidents
order by awaiting_statement desc, occurred_at desc
limit $limit
"""


def incident_timeline(
    con: Connection,
    f: Filters,
    *,
    statement_target_minutes: float | None = None,
    rebuttal_target_minutes: float | None = None,
    now: datetime | None = None,
    limit: int = 200,
) -> pd.DataFrame:
    """One row per incident that occurred in the period, plus any earlier one
    still without a statement at min(end of period, now); incidents awaiting
    a statement first, then newest first. Times after that instant are not
    shown (the page sees the timeline as it stood then).

    Columns: incident_id, incident_type, district, region, occurred_at,
    verified_at, first_media_report_at, statement_clock_start_at,
    statement_clock_basis, first_statement_at, misinformation_detected_at,
    rebuttal_at, statement_minutes (M2), rebuttal_minutes (M3),
    awaiting_statement, minutes_without_statement (since the clock
    started), awaiting_rebuttal, statement_within_target and
    rebuttal_within_target (None without a target or a start; for an
    incident still waiting, whether the wait so far is within target),
    n_mentions.
    """
    params = media_params(
        f,
        now=now,
        statement_target=statement_target_minutes,
        rebuttal_target=rebuttal_target_minutes,
        limit=limit,
    )
    return fetch_df(con, INCIDENT_TIMELINE_SQL, params)


TONE_AFTER_INCIDENTS_SQL = f"""
with incidents as (
    select incident_id, occurred_date
    from marts.incidents
    where {PLACE_SQL}
      and occurred_at >= $start_at and occurred_at < $end_at
),
days as (
    select i.incident_id, i.occurred_date, d.day
    from incidents as i
    cross join range(0, $days + 1) as d(day)
),
coverage as (
    select
        m.incident_id,
        date_diff('day', i.occurred_date, m.published_date) as day,
        m.tone
    from marts.media_mentions as m
    join incidents as i using (incident_id)
)
select
    d.incident_id,
    d.day,
    d.occurred_date + cast(d.day as integer) as date,
    count(c.day) as mentions,
    count(c.tone) as coded,
    count(*) filter (where c.tone = 'negative') as negative,
    100.0 * (count(*) filter (where c.tone = 'positive')
             - count(*) filter (where c.tone = 'negative')) / nullif(count(c.tone), 0)
        as net_tone
from days as d
left join coverage as c on c.incident_id = d.incident_id and c.day = d.day
group by all
order by d.incident_id, d.day
"""


def tone_after_incidents(con: Connection, f: Filters, *, days: int = 7) -> pd.DataFrame:
    """Coverage of each incident that occurred in the period, per day since
    it occurred (day 0 = the day itself, to ``days``): the mentions that
    name the incident (incident_id), coded ones, negative ones and net
    tone. Columns: incident_id, day, date, mentions, coded, negative,
    net_tone (None on a day without coded coverage)."""
    return fetch_df(con, TONE_AFTER_INCIDENTS_SQL, media_params(f, days=days))


# Outputs ----------------------------------------------------------------------

OUTPUTS_WEEKLY_SQL = f"""
with published as (
    select week_start, output_type, count(*) as published
    from marts.outputs
    where published_at >= $start_at and published_at < $end_at
    group by all
),
planned as (
    select week_start, output_type, sum(planned) as planned
    from marts.output_plan
    where week_start <= cast($end_date as date)
      and week_start + 6 >= cast($start_date as date)
    group by all
)
select
    week_start,
    output_type,
    coalesce(p.published, 0) as published,
    l.planned
from published as p
full join planned as l using (week_start, output_type)
where week_start >= {_week("cast($start_date as date)")}
order by week_start, output_type
"""


def outputs_weekly(con: Connection, f: Filters) -> pd.DataFrame:
    """Per week and output type: outputs published in the period and the
    plan's count for that whole week (NULL where the plan says nothing).
    The first and last weeks may be partial: published counts only the
    period's days, the plan is the week's."""
    return fetch_df(con, OUTPUTS_WEEKLY_SQL, media_params(f))


RECENT_INCIDENTS_SQL = """
select
    incident_id,
    incident_type,
    district,
    occurred_at,
    verified_at,
    first_statement_at,
    misinformation_detected_at,
    rebuttal_at
from marts.incidents
order by occurred_at desc, incident_id
limit $limit
"""


def recent_incidents(con: Connection, *, limit: int = 50) -> pd.DataFrame:
    """The latest incidents whatever the filters (the quick-add form records
    their next steps): incident_id, incident_type, district and the five
    timeline times."""
    return fetch_df(con, RECENT_INCIDENTS_SQL, {"limit": limit})
