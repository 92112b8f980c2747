"""Social engagement KPIs S1-S6 over the social marts.

Every function takes a DuckDB connection (or cursor) and a ``Filters``,
aggregates in DuckDB and returns a small DataFrame. The first paragraph of
each KPI function's docstring starts with the KPI catalogue's definition
(``metrics.catalogue``), then says exactly what the code counts. This module
knows no targets and imports no catalogue (``metrics.kpis`` joins them).

How the shared filters apply here:

* the period is Asia/Karachi calendar dates; posts count in the period
  they were **published** in (``published_date``), with their latest
  lifetime counts (``marts.social_posts`` never sums snapshots);
* the channel filter is the platform filter: the platforms are the
  channels Facebook, X, Instagram, YouTube and TikTok. No channel chosen
  means every platform; channels chosen that are not platforms select no
  platform at all (never "all");
* posts and account metrics name no district, so the region and district
  filters do not narrow them; they do narrow S6, which counts register
  items.

Rates are percentages (0-100) and always say their denominator: the
engagement rate's is the platform's ``engagement_rate_basis``
(docs/warehouse.md). The tables behind the page's other charts live in
``metrics.social_breakdowns``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from core.vocab import CHANNELS, SOCIAL_CHANNELS
from metrics import responsiveness
from metrics.filters import KARACHI, Filters
from metrics.scope import fetch_df

Connection = duckdb.DuckDBPyConnection

# The platforms whose exports the ETL reads, in the strategy's channel order
# (etl.sources.social.PLATFORMS, which this module does not import: it would
# pull Great Expectations into every page).
PLATFORMS: tuple[str, ...] = ("Facebook", "X", "Instagram", "YouTube", "TikTok")
ALL_PLATFORMS = "All platforms"
# Channels S6 counts: the platforms and WhatsApp, as marts.inquiries'
# is_social_channel does.
RESPONSE_CHANNELS: tuple[str, ...] = tuple(c for c in CHANNELS if c in SOCIAL_CHANNELS)
DEFAULT_MIN_IMPRESSIONS = 500

BASIS_WORDS: dict[str, str] = {
    "impressions": "impressions",
    "reach": "reach (people reached)",
    "video_views": "video views",
}
PLATFORM_REACH_LABEL = "sum of post reaches (a person reached by two posts counts twice)"
TOTAL_REACH_LABEL = "sum of reaches across posts and platforms (not unique people)"
TOTAL_FOLLOWERS_LABEL = "sum across platforms (a person following two counts twice)"


def platforms_of(f: Filters) -> tuple[str, ...]:
    """The platforms the channel filter selects (possibly none)."""
    if not f.channels:
        return PLATFORMS
    return tuple(p for p in PLATFORMS if p in f.channels)


def response_channels_of(f: Filters) -> tuple[str, ...]:
    """The social channels S6 counts under the channel filter (possibly none)."""
    if not f.channels:
        return RESPONSE_CHANNELS
    return tuple(c for c in RESPONSE_CHANNELS if c in f.channels)


def post_params(f: Filters, **extra: Any) -> dict[str, Any]:
    """Bound parameters of ``POSTS_SQL`` plus a query's own ``extra`` ones."""
    return {
        "platforms": list(platforms_of(f)),
        "start_date": f.start,
        "end_date": f.end,
        "days": f.days,
        "tz": KARACHI.key,
        **extra,
    }


def _platform_order(frame: pd.DataFrame, column: str = "platform") -> pd.DataFrame:
    """Rows in PLATFORMS order, the all-platforms row (platform NULL) last."""
    rank = {p: i for i, p in enumerate(PLATFORMS)}
    order = frame[column].map(lambda p: rank.get(p, len(rank)) if isinstance(p, str) else 99)
    return frame.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")


def _label_total(frame: pd.DataFrame) -> pd.DataFrame:
    frame = _platform_order(frame)
    frame["platform"] = (
        frame["platform"].astype("object").where(frame["platform"].notna(), ALL_PLATFORMS)
    )
    return frame.reset_index(drop=True)


# Opens the CTE chain of every post query: the posts published in the
# period on the chosen platforms. Only constants are concatenated to it;
# user values are bound $name parameters.
POSTS_SQL = """
with posts as not materialized (
    select *
    from marts.social_posts
    where list_contains($platforms, platform)
      and published_date between $start_date and $end_date
),
known_platforms as (
    -- platforms with any post in the warehouse, so that a platform with
    -- no post in the period shows 0, not nothing
    select distinct platform
    from marts.social_posts
    where list_contains($platforms, platform)
)"""


# S1 ------------------------------------------------------------------------

REACH_SQL = (
    POSTS_SQL
    + """,
per_platform as (
    select
        k.platform,
        count(p.post_id) as posts,
        sum(p.impressions) as impressions,
        count(p.impressions) as posts_with_impressions,
        sum(p.reach) as reach,
        count(p.reach) as posts_with_reach,
        sum(p.engagements) as engagements
    from known_platforms as k
    left join posts as p using (platform)
    group by grouping sets ((k.platform), ())
)
select * from per_platform
"""
)


def reach_and_impressions(con: Connection, f: Filters) -> pd.DataFrame:
    """Reach and impressions per platform and in total; unique reach is
    never added across platforms or days without saying it is a sum of
    reaches. Counted here: the lifetime impressions and reach, as of each
    post's latest export, of the posts published in the period (cohort:
    published). Impressions are those the platform reports (Meta's
    "Views", X's and YouTube's impressions); reach is people reached per
    post, so its sum over posts is a sum of reaches, as ``reach_label``
    says on every row. Unit: count.

    One row per platform that has posts in the warehouse, then
    "All platforms". Columns: platform, posts, impressions,
    posts_with_impressions, reach, posts_with_reach, reach_label,
    engagements. A sum is NULL when no post reports the count.
    """
    frame = _label_total(fetch_df(con, REACH_SQL, post_params(f)))
    frame["reach_label"] = [
        TOTAL_REACH_LABEL if p == ALL_PLATFORMS else PLATFORM_REACH_LABEL for p in frame["platform"]
    ]
    columns = [
        "platform",
        "posts",
        "impressions",
        "posts_with_impressions",
        "reach",
        "posts_with_reach",
        "reach_label",
        "engagements",
    ]
    return frame[columns]


# S2 ------------------------------------------------------------------------

ENGAGEMENT_RATE_SQL = (
    POSTS_SQL
    + """,
rated as (
    select
        platform,
        any_value(engagement_rate_basis) as engagement_rate_basis,
        count(*) as posts,
        count(engagement_rate) as posts_rated,
        quantile_cont(
            100 * engagement_rate, [0.05, 0.25, 0.5, 0.75, 0.95]
        ) as quantiles_pct,
        100 * min(engagement_rate) as min_pct,
        100 * max(engagement_rate) as max_pct
    from posts
    group by platform
)
select
    platform,
    engagement_rate_basis,
    posts,
    posts_rated,
    quantiles_pct[3] as p50_pct,
    quantiles_pct[1] as p05_pct,
    quantiles_pct[2] as p25_pct,
    quantiles_pct[4] as p75_pct,
    quantiles_pct[5] as p95_pct,
    min_pct,
    max_pct
from rated
"""
)


def engagement_rate(con: Connection, f: Filters) -> pd.DataFrame:
    """Engagements ÷ impressions (÷ reach where a platform gives no
    impressions), per post; P50 per platform. Counted here: posts published
    in the period (cohort: published), each with its latest lifetime
    counts; engagements as docs/warehouse.md defines them per platform;
    the denominator is the platform's ``engagement_rate_basis``
    (impressions, else reach; YouTube: reach, else video views; TikTok,
    whose content export gives neither, video views). P50 and the other
    percentiles by DuckDB quantile_cont (linear interpolation). Unit: %.

    One row per platform with posts in the period (no all-platform row:
    platforms rate on different bases). Columns: platform,
    engagement_rate_basis, posts, posts_rated (posts with engagements and a
    non-zero denominator), p50_pct, p05_pct, p25_pct, p75_pct, p95_pct,
    min_pct, max_pct.
    """
    frame = fetch_df(con, ENGAGEMENT_RATE_SQL, post_params(f))
    return _platform_order(frame).reset_index(drop=True)


# S3 ------------------------------------------------------------------------

FOLLOWER_GROWTH_SQL = """
with daily as not materialized (
    select
        platform,
        account,
        date,
        followers,
        -- a day's net change: reported as such, else gained − lost
        coalesce(net_followers, new_followers - unfollows) as net_new
    from marts.social_account_daily
    where list_contains($platforms, platform)
      and date <= $end_date
),
counts_before as (
    -- the last follower count reported before the period
    select
        platform,
        account,
        arg_max(followers, date) as followers,
        max(date) as count_date
    from daily
    where followers is not null and date < $start_date
    group by all
),
counts_in as (
    select
        platform,
        account,
        arg_min(followers, date) as first_followers,
        min(date) as first_date,
        arg_max(followers, date) as last_followers,
        max(date) as last_date
    from daily
    where followers is not null and date >= $start_date
    group by all
),
accounts as (
    select distinct platform, account
    from daily
    where date >= $start_date
),
starts as (
    select
        a.platform,
        a.account,
        coalesce(b.followers, c.first_followers) as followers_at_start,
        coalesce(b.count_date, c.first_date) as start_count_date,
        c.last_followers as followers_at_end,
        c.last_date as end_count_date
    from accounts as a
    left join counts_before as b using (platform, account)
    left join counts_in as c using (platform, account)
),
flows as (
    -- net changes on the days after the start count, inside the period
    select
        d.platform,
        d.account,
        sum(d.net_new) as net_new,
        count(d.net_new) as flow_days
    from daily as d
    join starts as s using (platform, account)
    where d.date >= $start_date
      and (s.start_count_date is null or d.date > s.start_count_date)
    group by all
),
per_account as (
    select
        s.*,
        case
            when fl.flow_days > 0 then fl.net_new
            when s.end_count_date > s.start_count_date
                then s.followers_at_end - s.followers_at_start
        end as net_new_followers,
        case
            when fl.flow_days > 0 then 'daily net follows'
            when s.end_count_date > s.start_count_date
                then 'change in follower count'
        end as net_basis,
        coalesce(fl.flow_days, 0) as flow_days
    from starts as s
    left join flows as fl using (platform, account)
),
final as (
    select
        platform,
        count(*) as accounts,
        sum(followers_at_start) as followers_at_start,
        min(start_count_date) as start_count_date,
        sum(net_new_followers) as net_new_followers,
        count(*) filter (
            where followers_at_start > 0 and net_new_followers is not null
        ) as accounts_with_growth,
        100 * sum(net_new_followers) filter (
            where followers_at_start > 0 and net_new_followers is not null
        ) / sum(followers_at_start) filter (
            where followers_at_start > 0 and net_new_followers is not null
        ) as growth_pct,
        string_agg(distinct net_basis, ', ' order by net_basis)
            as net_basis,
        sum(flow_days) as flow_days
    from per_account
    group by grouping sets ((platform), ())
)
select * from final
"""


def follower_growth(con: Connection, f: Filters) -> pd.DataFrame:
    """Net new followers ÷ followers at period start. Counted here, per
    account, from ``marts.social_account_daily``: followers at period start
    = the last follower count reported before the period (or, when there
    is none, the first count inside it, and then only the days after that
    count add to the growth: ``start_count_date`` says which day); net new
    followers = the sum of each day's net change (the reported net, else
    new followers − unfollows), or, when no day in the period reports a
    change, the change in the follower count from that start to the last
    count in the period (``net_basis`` says which). Accounts add up within
    a platform and across platforms (the total is a sum of follower counts:
    a person following two platforms counts twice). Unit: %.

    One row per platform with daily data in the period, then "All
    platforms". Columns: platform, accounts, followers_at_start,
    start_count_date, net_new_followers, accounts_with_growth, growth_pct
    (over the accounts with both a start count and a net change), net_basis,
    flow_days. growth_pct is NULL when no account has both.
    """
    params = post_params(f)
    frame = _label_total(fetch_df(con, FOLLOWER_GROWTH_SQL, params))
    if len(frame) == 1 and frame.loc[0, "accounts"] == 0:
        return frame.iloc[0:0]
    return frame


# S4 ------------------------------------------------------------------------

CADENCE_SQL = (
    POSTS_SQL
    + """,
per_platform as (
    select k.platform, count(p.post_id) as posts
    from known_platforms as k
    left join posts as p using (platform)
    group by grouping sets ((k.platform), ())
)
select platform, posts, $days as days, posts / $days as posts_per_day
from per_platform
"""
)


def posting_cadence(con: Connection, f: Filters) -> pd.DataFrame:
    """Posts per day per platform; hour-of-week heat map of engagement.
    Counted here: posts published in the period ÷ its days (Asia/Karachi
    calendar days, both ends included), per platform with posts in the
    warehouse (0 when it posted nothing in the period) and for all
    platforms together. The heat map is
    ``metrics.social_breakdowns.hour_of_week``. Unit: count per day.

    Columns: platform, posts, days, posts_per_day.
    """
    return _label_total(fetch_df(con, CADENCE_SQL, post_params(f)))


# S5 ------------------------------------------------------------------------

TOP_POSTS_SQL = (
    POSTS_SQL
    + """,
ranked as (
    select
        *,
        row_number() over (
            partition by platform
            order by
                engagement_rate desc,
                engagement_rate_denominator desc,
                account,
                post_id
        ) as platform_rank
    from posts
    where engagement_rate is not null
      and engagement_rate_denominator >= $min_impressions
)
select
    platform,
    platform_rank,
    account,
    post_id,
    published_at,
    content_type,
    left(post_text, 200) as post_text,
    permalink,
    impressions,
    reach,
    video_views,
    engagements,
    100 * engagement_rate as engagement_rate_pct,
    engagement_rate_basis,
    engagement_rate_denominator,
    snapshot_at,
    n_snapshots,
    source_file,
    source_row
from ranked
where platform_rank <= $limit
order by list_position($platforms, platform), platform_rank
"""
)


def top_posts(
    con: Connection,
    f: Filters,
    *,
    min_impressions: int = DEFAULT_MIN_IMPRESSIONS,
    limit: int = 10,
) -> pd.DataFrame:
    """Best posts by engagement rate, with a minimum impressions floor,
    ranked within each platform (platforms rate on different denominators,
    so their rates are never ranked against each other). Counted here:
    posts published in the period (cohort: published) whose rate
    denominator (impressions, or the platform's other
    ``engagement_rate_basis``) is at least ``min_impressions`` (default
    500), best engagement rate first within each platform; ties go to the
    larger denominator. Unit: list.

    The best ``limit`` posts of each platform (default 10), platforms in
    the strategy's order (Facebook, X, Instagram, YouTube, TikTok), each
    by its ``platform_rank`` (1 = best on that platform). Columns:
    platform, platform_rank, account, post_id, published_at (UTC),
    content_type, post_text (first 200 characters), permalink,
    impressions, reach, video_views, engagements, engagement_rate_pct,
    engagement_rate_basis, engagement_rate_denominator, snapshot_at,
    n_snapshots, source_file, source_row.
    """
    for name, value in (("min_impressions", min_impressions), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number >= 0, not {value!r}")
    params = post_params(f, min_impressions=min_impressions, limit=limit)
    return fetch_df(con, TOP_POSTS_SQL, params)


# S6 ------------------------------------------------------------------------

_S6_MEASURES: tuple[tuple[str, str, Callable[..., Any]], ...] = (
    ("response_rate", "%", responsiveness.response_rate),
    (
        "first_response_p50_business",
        "minutes",
        lambda con, f: responsiveness.first_response_time(con, f, business=True),
    ),
    (
        "first_response_p50_calendar",
        "minutes",
        lambda con, f: responsiveness.first_response_time(con, f, business=False),
    ),
)


def _s6_values(con: Connection, f: Filters) -> list[dict[str, Any]]:
    channels = response_channels_of(f)
    rows = []
    for measure, unit, function in _S6_MEASURES:
        # No social channel chosen: nothing to count (never "all channels").
        result = function(con, replace(f, channels=channels)) if channels else None
        rows.append(
            {
                "measure": measure,
                "unit": unit,
                "value": result.value if result else None,
                "n": result.n if result else 0,
                "numerator": result.numerator if result else None,
                "p90": result.p90 if result else None,
            }
        )
    return rows


def public_response(con: Connection, f: Filters, *, now: datetime | None = None) -> pd.DataFrame:
    """Comments and messages needing a reply that got one, and how fast
    (R3 and R4 for social channels). Counted here by the responsiveness
    KPIs themselves (``metrics.responsiveness.response_rate`` and
    ``first_response_time``) with the channel filter narrowed to the
    social channels (Facebook, X, Instagram, YouTube, TikTok, WhatsApp: the
    register's ``is_social_channel``), or to those of the chosen channels
    that are social; the region and district filters still apply. R3:
    items received in the period (cohort: received); R4: first replies in
    the period (cohort: completed), P50 with P90, in business minutes and
    in calendar minutes (Meta's "very responsive" badge counts clock time).
    Unit: % / minutes.

    Rows: response_rate, first_response_p50_business,
    first_response_p50_calendar. Columns: measure, unit, value, n,
    numerator, p90, previous_value (the same over ``f.previous()``), delta,
    channels. ``now`` is accepted for a uniform signature; R3 and R4 need
    no clock.
    """
    current = pd.DataFrame(_s6_values(con, f))
    before = pd.DataFrame(_s6_values(con, f.previous()))
    frame = current.assign(previous_value=before["value"].to_numpy())
    for column in ("value", "previous_value", "p90"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["numerator"] = pd.to_numeric(frame["numerator"], errors="coerce").astype("Int64")
    frame["n"] = frame["n"].astype("int64")
    frame["delta"] = frame["value"] - frame["previous_value"]
    frame["channels"] = ", ".join(response_channels_of(f)) or "none"
    columns = [
        "measure",
        "unit",
        "value",
        "n",
        "numerator",
        "p90",
        "previous_value",
        "delta",
        "channels",
    ]
    return frame[columns]


KPI_FUNCTIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "S1": reach_and_impressions,
    "S2": engagement_rate,
    "S3": follower_growth,
    "S4": posting_cadence,
    "S5": top_posts,
    "S6": public_response,
}


# The page's cards: S1-S4 per platform, this period and the previous one ------


def platform_summary(con: Connection, f: Filters) -> pd.DataFrame:
    """S1-S4 per platform for this period and the previous one (``f.previous()``).

    One row per platform with social data (posts or daily metrics), then
    "All platforms". Columns: platform, posts, posts_per_day, impressions,
    reach, reach_label, engagements, engagement_rate_basis,
    engagement_rate_p50_pct (NULL on the all-platforms row: bases differ),
    posts_rated, followers_at_start, net_new_followers, follower_growth_pct,
    and for each measure ``previous_<measure>`` and ``delta_<measure>``.
    """
    current = _summary(con, f)
    before = _summary(con, f.previous())
    measures = [
        "posts",
        "posts_per_day",
        "impressions",
        "reach",
        "engagements",
        "engagement_rate_p50_pct",
        "net_new_followers",
        "follower_growth_pct",
    ]
    previous = before[["platform", *measures]].rename(
        columns={m: f"previous_{m}" for m in measures}
    )
    frame = current.merge(previous, on="platform", how="left")
    for measure in measures:
        frame[f"delta_{measure}"] = frame[measure].astype("float64") - frame[
            f"previous_{measure}"
        ].astype("float64")
    return frame


def _summary(con: Connection, f: Filters) -> pd.DataFrame:
    reach = reach_and_impressions(con, f)
    cadence = posting_cadence(con, f)[["platform", "posts_per_day"]]
    rates = engagement_rate(con, f).rename(columns={"p50_pct": "engagement_rate_p50_pct"})[
        ["platform", "engagement_rate_basis", "engagement_rate_p50_pct", "posts_rated"]
    ]
    growth = follower_growth(con, f).rename(columns={"growth_pct": "follower_growth_pct"})[
        ["platform", "followers_at_start", "net_new_followers", "follower_growth_pct"]
    ]
    frame = reach.merge(cadence, on="platform", how="outer")
    frame = frame.merge(rates, on="platform", how="left").merge(growth, on="platform", how="outer")
    present = frame["platform"] != ALL_PLATFORMS
    if not present.any():
        return frame.iloc[0:0].reset_index(drop=True)
    frame = pd.concat([_platform_order(frame[present]), frame[~present]], ignore_index=True)
    frame["reach_label"] = [
        TOTAL_REACH_LABEL if p == ALL_PLATFORMS else PLATFORM_REACH_LABEL for p in frame["platform"]
    ]
    for column in ("posts", "posts_rated"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame
