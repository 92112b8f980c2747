"""Small tables behind the responsiveness page's charts and drill-downs.

Weekly trend, first-response histogram, SLA league, overdue aging and
item lists. Each uses the same cohorts and period-end rule as the KPI
functions (see ``metrics.scope`` and ``metrics.sla``); everything is
aggregated or bounded in DuckDB. Item lists carry lineage (source file and
row) and never personal data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta

import duckdb
import pandas as pd

from metrics.filters import KARACHI, Filters
from metrics.scope import SCOPE_SQL, fetch_all, fetch_df, pct, scope_params
from metrics.sla import Group, PeriodEndCounts, period_end_counts

Connection = duckdb.DuckDBPyConnection

AGING_BUCKETS: tuple[str, ...] = ("0–1 d", "1–3 d", "3–10 d", "> 10 d")
LEAGUE_GROUPS: tuple[str, ...] = ("district", "channel")

# Weekly trend ----------------------------------------------------------------

WEEKLY_TREND_SQL = (
    SCOPE_SQL
    + """,
weeks as (
    -- Asia/Karachi weeks (Monday start) intersecting the period, clipped to
    -- it: [lo, hi) in UTC; judged_at is the week's end for open items
    select
        week_start::date as week_start,
        greatest(timezone($tz, week_start), $start_at) as lo,
        least(timezone($tz, week_start + interval 7 day), $end_at) as hi,
        least(timezone($tz, week_start + interval 7 day), $as_of) as judged_at
    from generate_series(
        date_trunc('week', $start_date::timestamp),
        $end_date::timestamp,
        interval 7 day
    ) as series(week_start)
),
received as (
    -- received_date is the Asia/Karachi date of received_at
    select
        date_trunc('week', received_date)::date as week_start,
        count(*) as items_received
    from items
    where received_at >= $start_at and received_at < $end_at
    group by all
),
replies as (
    select
        case
            when $offset_us is not null then date_trunc(
                'week',
                make_timestamp(epoch_us(first_response_at) + $offset_us)
            )
            else date_trunc('week', timezone($tz, first_response_at))
        end::date as week_start,
        first_response_at,
        first_response_due_at,
        first_response_business_minutes
    from items
    where needs_reply
      and first_response_at >= $start_at and first_response_at < $end_at
),
replies_by_week as (
    select
        week_start,
        quantile_cont(first_response_business_minutes, 0.5) as p50,
        count(*) filter (
            where first_response_due_at is not null
              and first_response_at < $as_of
        ) as n_replied,
        count(*) filter (
            where first_response_at < $as_of
              and first_response_at <= first_response_due_at
        ) as n_on_time
    from replies
    group by week_start
),
overdue_unreplied as (
    -- items whose first-reply target fell in the period, never replied or
    -- replied late: a breach in the week their target fell in if still
    -- unreplied at that week's end (judged_at), as R5 counts them
    select
        case
            when $offset_us is not null then date_trunc(
                'week',
                make_timestamp(epoch_us(first_response_due_at) + $offset_us)
            )
            else date_trunc('week', timezone($tz, first_response_due_at))
        end::date as week_start,
        received_at,
        first_response_at,
        first_response_due_at
    from items
    where needs_reply
      and first_response_due_at >= $start_at
      and first_response_due_at < $as_of
      and (
          first_response_at is null
          or first_response_at > first_response_due_at
      )
),
awaiting as (
    select weeks.week_start, count(*) as n_awaiting
    from overdue_unreplied
    join weeks using (week_start)
    where overdue_unreplied.first_response_due_at < weeks.judged_at
      and overdue_unreplied.received_at < weeks.judged_at
      and (
          overdue_unreplied.first_response_at is null
          or overdue_unreplied.first_response_at >= weeks.judged_at
      )
    group by weeks.week_start
),
final as (
    select
        weeks.week_start,
        coalesce(received.items_received, 0) as items_received,
        replies_by_week.p50 as first_response_p50_business_minutes,
        coalesce(replies_by_week.n_on_time, 0) as n_on_time,
        coalesce(replies_by_week.n_replied, 0)
            + coalesce(awaiting.n_awaiting, 0) as first_response_sla_n,
        date_diff(
            'day',
            greatest(weeks.week_start, $start_date),
            least(weeks.week_start + 6, $end_date)
        ) + 1 as days_in_period
    from weeks
    left join received using (week_start)
    left join replies_by_week using (week_start)
    left join awaiting using (week_start)
)
select
    week_start,
    items_received,
    first_response_p50_business_minutes,
    100.0 * n_on_time / nullif(first_response_sla_n, 0)
        as first_response_sla_pct,
    first_response_sla_n::bigint as first_response_sla_n,
    days_in_period
from final
order by week_start
"""
)


def _fixed_offset_us(f: Filters) -> int | None:
    """Asia/Karachi's UTC offset in microseconds if it is one offset across
    the weeks of the period (true since 2009), else None.

    With one offset, a timestamp's local week is plain arithmetic, several
    times faster than a time-zone conversion per row; the SQL falls back to
    the conversion when the offset changes (daylight saving, 2008-2009).
    """
    first = f.start - timedelta(days=f.start.weekday())
    last = f.end + timedelta(days=7 - f.end.weekday())
    offsets = {
        datetime.combine(first + timedelta(days=i), time(0), KARACHI).utcoffset()
        for i in range((last - first).days + 1)
    }
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return None if offset is None else offset // timedelta(microseconds=1)


def weekly_trend(con: Connection, f: Filters, *, now: datetime | None = None) -> pd.DataFrame:
    """R1, R4 P50 (business minutes) and R5 per Asia/Karachi week (Monday start).

    One row per week intersecting the period, oldest first, each week
    clipped to the period (so ``items_received`` sums to R1; the first and
    last weeks may be partial: ``days_in_period`` < 7). Columns: week_start
    (date, Monday), items_received, first_response_p50_business_minutes,
    first_response_sla_pct (R5 with the week as period, judged at
    min(week end, now)), first_response_sla_n, days_in_period.
    """
    params = scope_params(f, now=now, offset_us=_fixed_offset_us(f))
    frame = fetch_df(con, WEEKLY_TREND_SQL, params)
    frame["week_start"] = pd.to_datetime(frame["week_start"]).dt.date
    return frame


# First-response histogram ----------------------------------------------------

FIRST_RESPONSE_HISTOGRAM_SQL = (
    SCOPE_SQL
    + """,
replied as (
    select greatest(first_response_business_minutes, 0) as minutes
    from items
    where needs_reply
      and first_response_at >= $start_at and first_response_at < $end_at
      and first_response_business_minutes is not null
),
binned as (
    select
        case
            when minutes >= $cap then $cap
            else floor(minutes / $bin)::bigint * $bin
        end as bin_start,
        count(*) as items
    from replied
    group by all
),
bins as (
    select bin_start from range(0, $cap, $bin) as series(bin_start)
    union all
    select $cap
)
select
    bins.bin_start as bin_start_minutes,
    case
        when bins.bin_start < $cap then least(bins.bin_start + $bin, $cap)
    end as bin_end_minutes,
    coalesce(binned.items, 0) as items
from bins
left join binned using (bin_start)
order by bins.bin_start
"""
)


def first_response_histogram(
    con: Connection, f: Filters, *, bin_minutes: int = 15, cap_minutes: int = 480
) -> pd.DataFrame:
    """R4's distribution: replies in the period by first-response business minutes.

    Same cohort as R4 (items needing a reply, first reply in the period).
    Every bin is present, in order: ``[start, end)`` bins of ``bin_minutes``
    up to ``cap_minutes``, then one last bin ``>= cap`` (bin_end_minutes
    NULL). Columns: bin_start_minutes, bin_end_minutes, items, label. Items
    sum to R4's n.
    """
    for name, value in (("bin_minutes", bin_minutes), ("cap_minutes", cap_minutes)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive whole number of minutes, not {value!r}")
    params = scope_params(f, bin=bin_minutes, cap=cap_minutes)
    frame = fetch_df(con, FIRST_RESPONSE_HISTOGRAM_SQL, params)
    frame["bin_end_minutes"] = frame["bin_end_minutes"].astype("Int64")
    frame["label"] = [
        f"≥ {start}" if pd.isna(end) else f"{start}–{end}"
        for start, end in zip(frame["bin_start_minutes"], frame["bin_end_minutes"], strict=True)
    ]
    return frame


# SLA league ----------------------------------------------------------------


def sla_league(
    con: Connection, f: Filters, *, by: str, now: datetime | None = None
) -> pd.DataFrame:
    """R1, R5, R10 and R11's overdue count per district or channel, worst first.

    ``by`` is "district" or "channel". Columns: group, items_received,
    first_response_sla_pct, first_response_sla_n, resolution_sla_pct,
    resolution_sla_n, overdue. Same definitions as the headline KPIs, so a
    column's counts add up to the headline's. Ordered by lowest
    first_response_sla_pct first (no value last), then most items. Items
    naming no district form a group whose name is None.
    """
    if by not in LEAGUE_GROUPS:
        raise ValueError(f"sla_league by must be one of {', '.join(LEAGUE_GROUPS)}, not {by!r}")
    return league_of(period_end_counts(con, f, group_by=by, now=now))


def league_of(counts: Mapping[Group, PeriodEndCounts]) -> pd.DataFrame:
    """``sla_league``'s table from one grouping's period-end counts."""
    rows = [
        {
            "group": group,
            "items_received": c.received,
            "first_response_sla_pct": pct(c.reply_on_time, c.reply_judged),
            "first_response_sla_n": c.reply_judged,
            "resolution_sla_pct": pct(c.resolution_on_time, c.resolution_judged),
            "resolution_sla_n": c.resolution_judged,
            "overdue": c.overdue_at_end,
        }
        for group, c in counts.items()
        if c.received or c.reply_judged or c.resolution_judged or c.overdue_at_end
    ]
    columns = [
        "group",
        "items_received",
        "first_response_sla_pct",
        "first_response_sla_n",
        "resolution_sla_pct",
        "resolution_sla_n",
        "overdue",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("first_response_sla_pct", "resolution_sla_pct"):
        frame[column] = frame[column].astype("float64")
    for column in ("items_received", "first_response_sla_n", "resolution_sla_n", "overdue"):
        frame[column] = frame[column].astype("int64")
    named = frame["group"].notna()
    frame["group"] = frame["group"].astype("object").where(named, None)
    frame["_unnamed"], frame["_name"] = ~named, frame["group"].fillna("")
    frame = frame.sort_values(
        ["first_response_sla_pct", "items_received", "_unnamed", "_name"],
        ascending=[True, False, True, True],
        na_position="last",
        kind="stable",
    )
    return frame.drop(columns=["_unnamed", "_name"]).reset_index(drop=True)


# Overdue aging -------------------------------------------------------------

OVERDUE_AGING_SQL = (
    SCOPE_SQL
    + """,
overdue as (
    select (epoch($as_of) - epoch(resolution_due_at)) / 86400.0 as overdue_days
    from items
    where is_open_at_end and resolution_due_at < $as_of
)
select
    case
        when overdue_days < 1 then 0
        when overdue_days < 3 then 1
        when overdue_days < 10 then 2
        else 3
    end as bucket_no,
    count(*) as items
from overdue
group by all
"""
)


def overdue_aging(con: Connection, f: Filters, *, now: datetime | None = None) -> pd.DataFrame:
    """R11's aging buckets: the overdue items at the period end by calendar
    days past their resolution target (resolution_due_at), as the KPI
    catalogue phrases them (0–1 d, 1–3 d, 3–10 d, > 10 d).

    Columns: bucket, items. All four ``AGING_BUCKETS`` rows, always, in
    order: [0, 1), [1, 3), [3, 10) and 10 or more days past target,
    measured at min(end of period, now), the ``overdue_days`` of
    ``overdue_items``. Items sum to R11's value.
    """
    counts = dict(fetch_all(con, OVERDUE_AGING_SQL, scope_params(f, now=now)))
    return pd.DataFrame(
        {
            "bucket": list(AGING_BUCKETS),
            "items": [int(counts.get(i, 0)) for i in range(len(AGING_BUCKETS))],
        }
    )


# Item lists ----------------------------------------------------------------

OVERDUE_ITEMS_SQL = (
    SCOPE_SQL
    + """,
overdue as (
    select
        inquiry_id,
        source,
        district,
        region,
        channel,
        category,
        priority,
        received_at,
        resolution_due_at,
        round((epoch($as_of) - epoch(received_at)) / 86400.0, 2) as age_days,
        round((epoch($as_of) - epoch(resolution_due_at)) / 86400.0, 2)
            as overdue_days,
        source_file,
        source_row
    from items
    where is_open_at_end and resolution_due_at < $as_of
)
select *
from overdue
order by received_at, source, inquiry_id
limit $limit
"""
)


def _check_limit(limit: int | None) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit must be a whole number >= 0 or None, not {limit!r}")


def overdue_items(
    con: Connection,
    f: Filters,
    *,
    limit: int | None = None,
    now: datetime | None = None,
) -> pd.DataFrame:
    """R11's overdue items, oldest first, with lineage and no personal data.

    Columns: inquiry_id, source, district, region, channel, category,
    priority, received_at, resolution_due_at, age_days (calendar days since
    received), overdue_days (since resolution_due_at), source_file,
    source_row; days measured at min(end of period, now).
    """
    _check_limit(limit)
    return fetch_df(con, OVERDUE_ITEMS_SQL, scope_params(f, now=now, limit=limit))


DISTRICT_ITEMS_SQL = (
    SCOPE_SQL
    + """,
received as (
    select
        inquiry_id,
        source,
        received_at,
        channel,
        category,
        status,
        first_response_minutes,
        first_response_business_minutes,
        resolution_minutes,
        coalesce(is_open_at_end and resolution_due_at < $as_of, false)
            as is_overdue,
        source_file,
        source_row
    from items
    where received_at >= $start_at and received_at < $end_at
)
select *
from received
order by received_at desc, source, inquiry_id
limit $limit
"""
)


def district_items(
    con: Connection,
    f: Filters,
    district: str,
    *,
    limit: int = 5000,
    now: datetime | None = None,
) -> pd.DataFrame:
    """Items received in the period in one district, newest first, for a drill-down.

    The other filters (regions, channels) still apply. Columns: inquiry_id,
    source, received_at, channel, category, status, first_response_minutes,
    first_response_business_minutes, resolution_minutes, is_overdue (open
    and past resolution target at min(end of period, now)), source_file,
    source_row. No personal data.
    """
    _check_limit(limit)
    params = scope_params(f.with_district(district), now=now, limit=limit)
    return fetch_df(con, DISTRICT_ITEMS_SQL, params)
