"""Community outreach: I4 and the tables behind the Outreach page.

Every function takes a DuckDB connection (or cursor) and a ``Filters`` and
aggregates in DuckDB over ``marts.outreach_events``. Events count in the
period they were **held** in (``event_date``, an Asia/Karachi date); region
and district narrow them by the district they were held in (every event
names one); the channel filter does not apply. Participant counts left
blank in the register are "not counted", never zero: totals add the counts
given, and say how many events gave none.

Rates per 100,000 people use the 2023 census population of the census
units in scope, each unit counted once. Upper and Lower South Waziristan
share one census unit (South Waziristan), so they are one area in
``events_per_100k`` and are never split by guess (data/reference/SOURCES.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from core.media_registers import GENDER_COLUMNS
from metrics.filters import Filters
from metrics.responsiveness import KpiResult
from metrics.scope import fetch_df, fetch_one, scope_params

Connection = duckdb.DuckDBPyConnection

EVENTS_SQL = """
with events as not materialized (
    select *
    from marts.outreach_events
    where event_date >= cast($start_date as date) and event_date <= cast($end_date as date)
      and (len($regions) = 0 or list_contains($regions, region))
      and (len($districts) = 0 or list_contains($districts, district))
      and (len($event_types) = 0 or list_contains($event_types, event_type))
)"""

# The districts (and their census units) the filters select.
AREA_SQL = """
districts_in_scope as (
    select district, region, is_merged_district, census_unit
    from ref.districts
    where (len($regions) = 0 or list_contains($regions, region))
      and (len($districts) = 0 or list_contains($districts, district))
)"""


def outreach_params(f: Filters, *, event_types: tuple[str, ...] = (), **extra: object) -> dict:
    return scope_params(f, event_types=list(event_types), **extra)


@dataclass(frozen=True)
class OutreachResult(KpiResult):
    """I4: events held, with participants by gender."""

    participants_female: int = 0
    participants_male: int = 0
    participants_transgender: int = 0
    participants_total: int = 0
    events_without_counts: int = 0


I4_SQL = (
    EVENTS_SQL
    + """
select
    count(*),
    coalesce(sum(participants_female), 0),
    coalesce(sum(participants_male), 0),
    coalesce(sum(participants_transgender), 0),
    cast(coalesce(sum(participants_total), 0) as bigint),
    count(*) filter (where participants_total is null)
from events
"""
)


def outreach_events_held(
    con: Connection, f: Filters, *, event_types: tuple[str, ...] = ()
) -> OutreachResult:
    """Outreach events and participants: community engagement events (open
    courts, dispute resolution council awareness, school visits, women's
    and transgender consultations, others) held in the period (cohort:
    held), and their participants by gender (female, male, transgender),
    adding the counts the register gives. Unit: count.

    ``value`` and ``n`` are the events; the participant totals and the
    number of events with no participant count come with them.
    """
    row = fetch_one(con, I4_SQL, outreach_params(f, event_types=event_types))
    events, female, male, transgender, total, uncounted = (int(v) for v in row)
    return OutreachResult(
        "I4",
        float(events),
        "count",
        events,
        events,
        participants_female=female,
        participants_male=male,
        participants_transgender=transgender,
        participants_total=total,
        events_without_counts=uncounted,
    )


KPI_FUNCTIONS: dict[str, Callable[..., KpiResult]] = {"I4": outreach_events_held}


# The page's tables --------------------------------------------------------------

BY_TYPE_DISTRICT_SQL = (
    EVENTS_SQL
    + """
select district, region, event_type, count(*) as events,
       cast(coalesce(sum(participants_total), 0) as bigint) as participants
from events
group by all
order by district, event_type
"""
)


def events_by_type_and_district(
    con: Connection, f: Filters, *, event_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Events held per district and event type: district, region,
    event_type, events, participants (counted ones)."""
    return fetch_df(con, BY_TYPE_DISTRICT_SQL, outreach_params(f, event_types=event_types))


_GENDER_UNION = " union all ".join(
    f"select event_type, '{gender}' as gender, {column} as participants from events"
    for gender, column in GENDER_COLUMNS.items()
)

BY_GENDER_SQL = (
    EVENTS_SQL
    + f""",
long as ({_GENDER_UNION})
select event_type, gender, cast(coalesce(sum(participants), 0) as bigint) as participants,
       count(participants) as events_counted
from long
group by all
order by event_type, gender
"""
)


def participants_by_gender(
    con: Connection, f: Filters, *, event_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Participants per event type and gender (female, male, transgender):
    event_type, gender, participants, events_counted (events that gave
    that gender's count)."""
    return fetch_df(con, BY_GENDER_SQL, outreach_params(f, event_types=event_types))


PER_100K_SQL = (
    EVENTS_SQL
    + ","
    + AREA_SQL
    + """,
units as (
    select
        census_unit,
        string_agg(district, ', ' order by district) as districts,
        count(*) as n_districts,
        min(region) as region,
        bool_and(is_merged_district) as is_merged_district
    from districts_in_scope
    group by census_unit
),
held as (
    select census_unit, count(*) as events, cast(coalesce(sum(participants_total), 0) as bigint) as participants
    from events
    group by census_unit
)
select
    case when u.n_districts = 1 then u.districts
         else u.census_unit || ' (' || u.districts || ')' end as area,
    u.census_unit,
    u.districts,
    u.region,
    u.is_merged_district,
    c.population,
    coalesce(h.events, 0) as events,
    coalesce(h.participants, 0) as participants,
    100000.0 * coalesce(h.events, 0) / nullif(c.population, 0) as events_per_100k
from units as u
join ref.census as c using (census_unit)
left join held as h using (census_unit)
order by events_per_100k desc, area
"""
)


def events_per_100k(
    con: Connection, f: Filters, *, event_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Events held per 100,000 people, per area in scope: a district, or a
    census unit holding several districts (South Waziristan). Columns:
    area, census_unit, districts, region, is_merged_district, population
    (census 2023), events, participants, events_per_100k (= events ÷
    population × 100,000). Areas with no event are listed with 0."""
    return fetch_df(con, PER_100K_SQL, outreach_params(f, event_types=event_types))


MERGED_SQL = (
    EVENTS_SQL
    + ","
    + AREA_SQL
    + """,
units as (
    select distinct census_unit, is_merged_district from districts_in_scope
),
population as (
    select u.is_merged_district, sum(c.population) as population
    from units as u join ref.census as c using (census_unit)
    group by all
),
held as (
    select is_merged_district, count(*) as events,
           cast(coalesce(sum(participants_total), 0) as bigint) as participants
    from events
    group by all
)
select
    case when p.is_merged_district then 'Merged districts' else 'Settled districts' end
        as district_group,
    p.is_merged_district,
    p.population,
    coalesce(h.events, 0) as events,
    coalesce(h.participants, 0) as participants,
    100000.0 * coalesce(h.events, 0) / nullif(p.population, 0) as events_per_100k
from population as p
left join held as h using (is_merged_district)
order by p.is_merged_district desc
"""
)


def merged_vs_settled(
    con: Connection, f: Filters, *, event_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Events per 100,000 people in the merged (former FATA) districts and
    in the settled ones, within the filters' area: district_group,
    is_merged_district, population, events, participants, events_per_100k."""
    return fetch_df(con, MERGED_SQL, outreach_params(f, event_types=event_types))


WITHOUT_EVENTS_SQL = (
    EVENTS_SQL
    + ","
    + AREA_SQL
    + """
select d.district, d.region, d.is_merged_district
from districts_in_scope as d
where d.district not in (select district from events)
order by d.region, d.district
"""
)


def districts_without_events(
    con: Connection, f: Filters, *, event_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Districts in the filters' area with no event held in the period:
    district, region, is_merged_district."""
    return fetch_df(con, WITHOUT_EVENTS_SQL, outreach_params(f, event_types=event_types))
