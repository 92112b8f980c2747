"""The Social engagement page's queries, cold, at 200,000 posts x 3 snapshots.

Synthetic raw rows (200,000 posts on five platforms with three snapshots
each, a year of daily metrics for 5 platforms x 2 accounts x 8 metrics, an
audience snapshot and 100,000 register items) go into a new warehouse
through ``etl.warehouse.new_version``, so the real models build the marts.
Then every query the page makes is run cold (no Streamlit cache) two ways:
each on its own short-lived read-only connection (how the page ran before
``ui.queries.page_run``), and all on one connection for the page run (how
it runs now: one snapshot, one connection opened at the first cache miss).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core import warehouse

POSTS = """
insert into raw.social_post_snapshots
with posts as (
    select
        i,
        ['Facebook', 'Instagram', 'X', 'YouTube', 'TikTok'][1 + i % 5] as platform,
        'account ' || (i % 2) as account,
        cast(1800000000000000000 + i as varchar) as post_id,
        timestamptz '2025-01-01 00:00:00+00' + to_seconds(cast(hash(i) % 31536000 as bigint)) as published_at
    from range(200000) t(i)
), snaps as (
    select p.*, s, published_at + to_days(cast(2 + 10 * s as integer)) as snapshot_at
    from posts p, range(3) u(s)
)
select
    case platform when 'Facebook' then 'meta_content' when 'Instagram' then 'meta_content'
        when 'X' then 'x_content' when 'YouTube' then 'youtube_table' else 'tiktok_content' end,
    platform, account, post_id, snapshot_at, published_at,
    ['photo', 'reel', 'link', 'video', 'text'][1 + i % 5],
    'Post ' || i || ' #tag' || (i % 50) || ' #KPPolice #campaign' || (i % 7),
    'https://example.org/' || post_id,
    case when platform in ('Facebook', 'Instagram', 'X') then 1000 + hash(i) % 5000 * (s + 1) end,
    case when platform <> 'X' then 800 + hash(i) % 4000 * (s + 1) end,
    10 + hash(i + 1) % 200 * (s + 1), hash(i + 2) % 30, hash(i + 3) % 20,
    case when platform in ('Instagram', 'X', 'TikTok') then hash(i + 4) % 15 end,
    hash(i + 5) % 40, case when platform in ('YouTube', 'TikTok') then 5000 + hash(i) % 9000 end,
    '{"other": {"Custom labels": "Campaign ' || (i % 9) || '"}}',
    'h', 'posts.csv', 'sha', 2 + i, 'load-' || s, s + 1, now()
from snaps
"""  # noqa: E501
DAILY = """
insert into raw.social_account_daily
select 'meta_insights', platform, account, d::date, metric,
       case metric when 'followers' then 10000 + day_no * 5 else 10 + hash(day_no, metric) % 500 end,
       'h', 'daily.csv', 'sha', 2 + day_no, 'load-1', 1, now()
from (select unnest(['Facebook', 'Instagram', 'X', 'YouTube', 'TikTok']) as platform),
     (select unnest(['account 0', 'account 1']) as account),
     (select unnest(['followers', 'new_followers', 'unfollows', 'reach', 'impressions',
                     'profile_visits', 'video_views', 'engagements']) as metric),
     (select range as d, row_number() over () as day_no
      from range(date '2025-01-01', date '2026-01-01', interval 1 day))
"""
AUDIENCE = """
insert into raw.social_audience
select 'meta_audience', p, 'account 0', timestamptz '2025-12-31 00:00+00', 'age_gender', a, g, 0.05,
       'h', 'Audience.csv', 'sha', 2, 'load-1', 1, now()
from (select unnest(['Facebook', 'Instagram']) p), (select unnest(['18-24','25-34','35-44','45-54','55-64','65+']) a),
     (select unnest(['female','male']) g)
"""  # noqa: E501
INQUIRIES = """
insert into raw.inquiry_register (source, inquiry_id, received_at, channel, category, district,
    requester_gender, priority, first_response_at, status, _row_hash, _source_file,
    _source_sha256, _source_row, _load_id, _load_seq, _loaded_at)
select 'register', 'Q' || i, r, ['Facebook','X','Instagram','WhatsApp','Email','Helpline phone'][1 + i % 6],
       'inquiry', 'Peshawar', 'female', 'normal',
       case when i % 10 <> 0 then r + to_minutes(cast(5 + hash(i) % 300 as bigint)) end,
       case when i % 10 <> 0 then 'resolved' else 'open' end,
       'h', 'register.csv', 'sha', 2 + i, 'load-1', 1, now()
from (select i, timestamptz '2025-01-01 04:00+00' + to_minutes(cast(hash(i) % 525600 as bigint)) as r
      from range(100000) t(i))
"""  # noqa: E501


def build(path: Path) -> float:
    """The social benchmark's warehouse at ``path``; seconds it took."""
    from etl.warehouse import new_version  # the write side: only to build the fixture

    started = time.perf_counter()
    with new_version(path) as con:
        for sql in (POSTS, DAILY, AUDIENCE, INQUIRIES):
            con.execute(sql)
    return time.perf_counter() - started


def page_calls(f) -> list[tuple[str, Callable]]:  # noqa: ANN001 (Filters)
    """Every query the page makes on a first visit (both tag kinds)."""
    from metrics import social as s
    from metrics import social_breakdowns as b

    return [
        ("status", lambda con: b.social_status(con)),
        ("platform_summary", lambda con: s.platform_summary(con, f)),
        ("public_response", lambda con: s.public_response(con, f)),
        ("weekly_trend", lambda con: b.weekly_trend(con, f)),
        ("engagement_rate", lambda con: s.engagement_rate(con, f)),
        ("follower_growth", lambda con: s.follower_growth(con, f)),
        ("account_daily", lambda con: b.account_daily(con, f)),
        ("daily_posts", lambda con: b.daily_posts(con, f)),
        ("hour_of_week", lambda con: b.hour_of_week(con, f, platform="Facebook")),
        ("top_posts", lambda con: s.top_posts(con, f, min_impressions=500)),
        ("post_snapshots", lambda con: b.post_snapshots(con, "Facebook", "account 0", "1")),
        ("content_types", lambda con: b.content_types(con, f)),
        ("hashtags", lambda con: b.tag_comparison(con, f, kind="hashtag", limit=15)),
        ("campaigns", lambda con: b.tag_comparison(con, f, kind="campaign", limit=15)),
        ("audience", lambda con: b.audience(con, f)),
    ]


@dataclass
class PageQueries:
    period: str
    separate: list[tuple[str, float]]  # each on its own connection
    shared: float  # all on one connection, opening it included

    @property
    def separate_total(self) -> float:
        return sum(seconds for _, seconds in self.separate)


def time_calls(path: Path, calls: list[tuple[str, Callable]]) -> tuple[list, float]:
    """Each call on its own connection (timed with opening it), then all on one."""
    separate = []
    for name, call in calls:
        began = time.perf_counter()
        with warehouse.reading(path) as con:
            call(con)
        separate.append((name, time.perf_counter() - began))
    began = time.perf_counter()
    with warehouse.reading(path) as con:
        for _, call in calls:
            call(con)
    return separate, time.perf_counter() - began


def measure(path: Path, repeats: int = 3) -> list[PageQueries]:
    """Each way ``repeats`` times (every time cold: new connections), the
    fastest kept: on a shared machine the slowest runs measure the others."""
    from metrics.filters import Filters

    results = []
    for label, f in (
        ("one month", Filters(date(2025, 6, 1), date(2025, 6, 30))),
        ("a full year", Filters(date(2025, 1, 1), date(2025, 12, 31))),
    ):
        runs = [time_calls(path, page_calls(f)) for _ in range(repeats)]
        separate = min((run[0] for run in runs), key=lambda t: sum(s for _, s in t))
        shared = min(run[1] for run in runs)
        results.append(PageQueries(label, separate, shared))
    return results
