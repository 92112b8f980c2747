"""Tables behind the social engagement page's charts.

Weekly trends, daily posts, the hour-of-week heat map, daily account
metrics, content types, hashtags and campaigns, the audience, and one
post's growth over its snapshots. Same filters and cohorts as the KPIs in
``metrics.social`` (posts count in the period they were published in,
with their latest lifetime counts); everything is aggregated or bounded in
DuckDB. Engagement rates are percentages of each platform's
``engagement_rate_basis``, so rates are compared within a platform, never
pooled across platforms with different bases.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.filters import Filters
from metrics.scope import fetch_df
from metrics.social import POSTS_SQL, platforms_of, post_params

Connection = duckdb.DuckDBPyConnection

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LIST_COLUMNS: dict[str, str] = {"hashtag": "hashtags", "campaign": "campaigns"}

# What the warehouse holds ---------------------------------------------------

_TABLES = (
    "social_posts",
    "social_post_snapshots",
    "social_account_daily",
    "social_audience",
)

STATUS_SQL = """
select
    (select count(*) from marts.social_posts) as posts,
    (select count(*) from marts.social_post_snapshots) as snapshots,
    (select count(*) from marts.social_account_daily) as account_days,
    (select count(*) from marts.social_audience) as audience_rows,
    (select max(snapshot_at) from marts.social_post_snapshots)
        as latest_snapshot_at,
    (select max(date) from marts.social_account_daily) as latest_daily_date,
    (
        select list_sort(list_distinct(list(platform)))
        from (
            select platform from marts.social_posts
            union all
            select platform from marts.social_account_daily
            union all
            select platform from marts.social_audience
        )
    ) as platforms
"""


def social_status(con: Connection) -> pd.DataFrame:
    """One row: what social data the warehouse holds.

    Columns: posts, snapshots, account_days, audience_rows,
    latest_snapshot_at, latest_daily_date, platforms (list). All counts 0
    (and the rest NULL) when nothing is loaded, or when the warehouse was
    built before the social marts existed.
    """
    present = con.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = current_database() and table_schema = 'marts' "
        "and table_name in (select unnest(?))",
        [list(_TABLES)],
    ).fetchall()[0][0]
    if present < len(_TABLES):
        return pd.DataFrame(
            [
                {
                    "posts": 0,
                    "snapshots": 0,
                    "account_days": 0,
                    "audience_rows": 0,
                    "latest_snapshot_at": None,
                    "latest_daily_date": None,
                    "platforms": [],
                }
            ]
        )
    return con.execute(STATUS_SQL).df()


def has_social_data(status: pd.DataFrame) -> bool:
    """Whether ``social_status`` found any post, daily account metric or audience row."""
    row = status.iloc[0]
    return bool(row["posts"] or row["account_days"] or row["audience_rows"])


# Weekly trend ---------------------------------------------------------------

WEEKLY_SQL = (
    POSTS_SQL
    + """,
weekly as (
    -- Asia/Karachi weeks, Monday start, by the publish date
    select
        date_trunc('week', published_date)::date as week_start,
        platform,
        count(*) as posts,
        sum(impressions) as impressions,
        sum(reach) as reach,
        sum(engagements) as engagements,
        100 * quantile_cont(engagement_rate, 0.5) as engagement_rate_p50_pct
    from posts
    group by all
)
select
    *,
    date_diff(
        'day',
        greatest(week_start, $start_date),
        least(week_start + 6, $end_date)
    ) + 1 as days_in_period
from weekly
order by week_start, platform
"""
)


def weekly_trend(con: Connection, f: Filters) -> pd.DataFrame:
    """Per Asia/Karachi week (Monday start) and platform, the posts published.

    Columns: week_start (date), platform, posts, impressions, reach (a sum
    of post reaches), engagements, engagement_rate_p50_pct (P50 of the
    posts' engagement rates, quantile_cont), days_in_period (the first and
    last weeks may be partial). Weeks without posts have no row.
    """
    frame = fetch_df(con, WEEKLY_SQL, post_params(f))
    frame["week_start"] = pd.to_datetime(frame["week_start"]).dt.date
    return frame


# Posting cadence (S4): posts per day, hour of week ----------------------------

DAILY_POSTS_SQL = (
    POSTS_SQL
    + """,
days as (
    select cast(range as date) as day
    from range(
        $start_date::timestamp,
        $end_date::timestamp + interval 1 day,
        interval 1 day
    )
),
counted as (
    select published_date as day, platform, count(*) as posts
    from posts
    group by all
)
select d.day, k.platform, coalesce(c.posts, 0) as posts
from days as d
cross join known_platforms as k
left join counted as c on c.day = d.day and c.platform = k.platform
order by d.day, k.platform
"""
)


def daily_posts(con: Connection, f: Filters) -> pd.DataFrame:
    """Posts published per Asia/Karachi day and platform, every day of the
    period (0 on days without posts) for each platform with posts in the
    warehouse. Columns: day, platform, posts."""
    frame = fetch_df(con, DAILY_POSTS_SQL, post_params(f))
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    return frame


HOUR_OF_WEEK_SQL = (
    POSTS_SQL
    + """,
timed as (
    select
        isodow(timezone($tz, published_at)) as weekday,
        hour(timezone($tz, published_at)) as hour,
        engagement_rate,
        engagements
    from posts
    where has_publish_time
      and ($platform is null or platform = $platform)
),
cells as (
    select
        weekday,
        hour,
        count(*) as posts,
        100 * quantile_cont(engagement_rate, 0.5) as engagement_rate_p50_pct,
        quantile_cont(engagements, 0.5) as engagements_p50
    from timed
    group by all
),
grid as (
    select w.weekday, h.hour
    from range(1, 8) as w (weekday)
    cross join range(0, 24) as h (hour)
)
select
    grid.weekday,
    grid.hour,
    coalesce(cells.posts, 0) as posts,
    cells.engagement_rate_p50_pct,
    cells.engagements_p50
from grid
left join cells using (weekday, hour)
order by grid.weekday, grid.hour
"""
)


def hour_of_week(con: Connection, f: Filters, *, platform: str | None = None) -> pd.DataFrame:
    """S4's heat map: posts published in the period by Asia/Karachi weekday
    and hour, with the P50 engagement rate (%, quantile_cont) and P50
    engagements of the posts in each cell.

    ``platform`` narrows to one platform (rates of different platforms
    have different bases: pass one). Posts whose export gives only a date
    (X's content file, YouTube's table) have no hour and are left out.
    Always 168 rows, weekday 1 (Monday) to 7, hour 0 to 23. Columns:
    weekday, weekday_name, hour, posts, engagement_rate_p50_pct,
    engagements_p50.
    """
    frame = fetch_df(con, HOUR_OF_WEEK_SQL, post_params(f, platform=platform))
    frame.insert(1, "weekday_name", [WEEKDAYS[int(d) - 1] for d in frame["weekday"]])
    return frame


# Account metrics per day (S3's chart) ----------------------------------------

ACCOUNT_DAILY_SQL = """
select
    date,
    platform,
    account,
    followers,
    coalesce(net_followers, new_followers - unfollows) as net_new_followers,
    new_followers,
    unfollows,
    reach,
    impressions,
    video_views,
    profile_visits
from marts.social_account_daily
where list_contains($platforms, platform)
  and date between $start_date and $end_date
order by date, platform, account
"""


def account_daily(con: Connection, f: Filters) -> pd.DataFrame:
    """Daily account metrics in the period, per platform and account.

    Columns: date, platform, account, followers (only where reported),
    net_new_followers (the reported net, else new − unfollows), new_followers,
    unfollows, reach (that day's people reached), impressions, video_views,
    profile_visits. One row per account and day with data.
    """
    frame = fetch_df(con, ACCOUNT_DAILY_SQL, post_params(f))
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame


# Content types ------------------------------------------------------------------

CONTENT_TYPES_SQL = (
    POSTS_SQL
    + """
select
    platform,
    content_type,
    any_value(engagement_rate_basis) as engagement_rate_basis,
    count(*) as posts,
    count(engagement_rate) as posts_rated,
    100 * quantile_cont(engagement_rate, 0.5) as engagement_rate_p50_pct,
    quantile_cont(engagements, 0.5) as engagements_p50,
    quantile_cont(engagement_rate_denominator, 0.5) as denominator_p50
from posts
group by all
order by platform, posts desc, content_type
"""
)


def content_types(con: Connection, f: Filters) -> pd.DataFrame:
    """Posts published in the period by platform and content type (reel,
    photo, link, video, carousel, text; X's exports name none:
    "unspecified").

    Columns: platform, content_type, engagement_rate_basis, posts,
    posts_rated, engagement_rate_p50_pct, engagements_p50, denominator_p50
    (P50 of the rate's denominator: impressions, reach or views).
    """
    return fetch_df(con, CONTENT_TYPES_SQL, post_params(f))


# Hashtags and campaigns -----------------------------------------------------------

_TAGS_SQL = (
    POSTS_SQL
    + """,
tagged as (
    select unnest({column}) as tag, platform, engagement_rate, engagements
    from posts
),
chosen as (
    select tag, count(*) as posts_all
    from tagged
    group by tag
    having count(*) >= $min_posts
    order by posts_all desc, tag
    limit $limit
)
select
    t.tag,
    t.platform,
    c.posts_all,
    count(*) as posts,
    count(t.engagement_rate) as posts_rated,
    100 * quantile_cont(t.engagement_rate, 0.5) as engagement_rate_p50_pct,
    sum(t.engagements) as engagements
from tagged as t
join chosen as c using (tag)
group by all
order by c.posts_all desc, t.tag, t.platform
"""
)
# One statement per list column; only these constants are ever formatted in.
TAGS_SQL: dict[str, str] = {
    kind: _TAGS_SQL.replace("{column}", column) for kind, column in LIST_COLUMNS.items()
}


def tag_comparison(
    con: Connection,
    f: Filters,
    *,
    kind: str = "hashtag",
    min_posts: int = 1,
    limit: int = 20,
) -> pd.DataFrame:
    """Hashtags (``kind="hashtag"``, lower-case, from the post text) or
    campaigns (``kind="campaign"``: Meta's custom labels) of the posts
    published in the period.

    The ``limit`` tags on most posts (at least ``min_posts``), one row per
    tag and platform. Columns: tag, platform, posts_all (the tag's posts on
    all chosen platforms), posts, posts_rated, engagement_rate_p50_pct (P50
    of the posts' rates on that platform's basis), engagements.
    """
    if kind not in TAGS_SQL:
        raise ValueError(f"kind must be one of {', '.join(TAGS_SQL)}, not {kind!r}")
    for name, value in (("min_posts", min_posts), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, not {value!r}")
    params = post_params(f, min_posts=min_posts, limit=limit)
    return fetch_df(con, TAGS_SQL[kind], params)


# Audience ---------------------------------------------------------------------------

AUDIENCE_SQL = """
select
    platform,
    account,
    snapshot_at,
    category as age,
    gender,
    100 * share as share_pct
from marts.social_audience
where dimension = 'age_gender'
  and list_contains($platforms, platform)
order by platform, account, age, gender
"""


def audience(con: Connection, f: Filters) -> pd.DataFrame:
    """Audience by age band and gender as each platform last reported it
    (Meta's Audience export), for the chosen platforms.

    Not cut by the period: the platforms report the audience as of the
    export (``snapshot_at``). Columns: platform, account, snapshot_at, age,
    gender, share_pct (% of that account's audience).
    """
    return fetch_df(con, AUDIENCE_SQL, {"platforms": list(platforms_of(f))})


# One post's growth --------------------------------------------------------------------

POST_SNAPSHOTS_SQL = """
select
    snapshot_at,
    hours_since_published,
    impressions,
    reach,
    reactions,
    comments,
    shares,
    saves,
    video_views,
    engagements
from marts.social_post_snapshots
where platform = $platform and account = $account and post_id = $post_id
order by snapshot_at
"""


def post_snapshots(con: Connection, platform: str, account: str, post_id: str) -> pd.DataFrame:
    """Every snapshot of one post, oldest first: its lifetime counts as each
    export saw them (the growth curve).

    Columns: snapshot_at, hours_since_published, impressions, reach,
    reactions, comments, shares, saves, video_views, engagements.
    """
    params = {"platform": platform, "account": account, "post_id": str(post_id)}
    return fetch_df(con, POST_SNAPSHOTS_SQL, params)
