"""S1-S6 and the social page's tables against hand calculations and plain pandas.

The warehouse is tests/social_fixture.py built by the real ETL models;
March 2025 (PKT) is the period, February the previous one. Every expected
value is worked out by hand in a comment or computed with pandas from the
fixture's literal rows (``expected_posts``), never with ``metrics``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.sources.social import PLATFORMS as ETL_PLATFORMS
from metrics import social, social_breakdowns
from metrics.kpis import catalogue, judge_social_response
from metrics.responsiveness import response_rate
from tests.social_fixture import FEBRUARY, MARCH, expected_posts, shared_social_warehouse

FACEBOOK_ONLY = replace(MARCH, channels=("Facebook",))


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    path = shared_social_warehouse(tmp_path_factory)
    connection = duckdb.connect(str(path), read_only=True)
    connection.execute("set TimeZone = 'UTC'")
    yield connection
    connection.close()


def march_posts() -> pd.DataFrame:
    posts = expected_posts()
    in_march = posts["published_date"].between(MARCH.start, MARCH.end)
    return posts[in_march]


def by_platform(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["platform"]: row for row in frame.to_dict("records")}


def test_platforms_are_the_etl_platforms() -> None:
    assert set(social.PLATFORMS) == set(ETL_PLATFORMS)


@pytest.mark.parametrize("kpi_id", ["S1", "S2", "S3", "S4", "S5", "S6"])
def test_docstring_carries_the_catalogue_definition(kpi_id: str) -> None:
    doc = " ".join((social.KPI_FUNCTIONS[kpi_id].__doc__ or "").split())
    assert doc.startswith(catalogue()[kpi_id].definition)


def test_s1_reach_and_impressions(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_platform(social.reach_and_impressions(con, MARCH))
    # Facebook in March: FB1 1000 + FB2 2000 + FB3 400 + FB5 600 impressions;
    # reach 600 + 1500 + 350 + 400. FB1's earlier snapshot (500) never adds.
    assert rows["Facebook"]["impressions"] == 4000
    assert rows["Facebook"]["reach"] == 2850
    assert rows["Facebook"]["posts"] == 4
    # X reports no reach; Instagram no impressions: NULL, not 0.
    assert pd.isna(rows["X"]["reach"])
    assert pd.isna(rows["Instagram"]["impressions"])
    # YouTube has a post in the warehouse (January) but none in March.
    assert rows["YouTube"]["posts"] == 0
    total = rows[social.ALL_PLATFORMS]
    assert total["impressions"] == 4000 + 6300  # Facebook + X
    assert total["reach"] == 2850 + 1500  # Facebook + Instagram
    assert "sum of reaches" in total["reach_label"]
    assert all("sum of" in row["reach_label"] for row in rows.values())
    posts = march_posts()
    for platform in ("Facebook", "X", "Instagram", "TikTok"):
        mine = posts[posts["platform"] == platform]
        assert rows[platform]["posts"] == len(mine)
        assert rows[platform]["engagements"] == mine["engagements"].sum()


def test_s2_engagement_rate_p50_per_platform(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_platform(social.engagement_rate(con, MARCH))
    # Facebook rates 3%, 6%, 7.5%, 10%: P50 = (6 + 7.5) / 2
    assert rows["Facebook"]["p50_pct"] == pytest.approx(6.75)
    assert rows["X"]["p50_pct"] == pytest.approx(2.0)  # 2%, 2%, 10%
    assert rows["Instagram"]["p50_pct"] == pytest.approx(5.5)  # (8 + 3) / 2, ÷ reach
    assert rows["TikTok"]["engagement_rate_basis"] == "video_views"
    assert social.ALL_PLATFORMS not in rows  # different bases are never pooled
    posts = march_posts()
    for platform, row in rows.items():
        rates = 100 * posts.loc[posts["platform"] == platform, "engagement_rate"]
        assert row["posts_rated"] == rates.notna().sum()
        for column, q in (("p25_pct", 0.25), ("p50_pct", 0.5), ("p75_pct", 0.75)):
            assert row[column] == pytest.approx(rates.quantile(q)), (platform, column)


def test_s3_follower_growth(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_platform(social.follower_growth(con, MARCH))
    # Facebook: start 10,000 (28 Feb); nets 10-1, 20-2, 35-5 (load 2 wins), 40-4 = 93
    assert rows["Facebook"]["followers_at_start"] == 10000
    assert rows["Facebook"]["net_new_followers"] == 93
    assert rows["Facebook"]["growth_pct"] == pytest.approx(100 * 93 / 10000)
    assert rows["Facebook"]["net_basis"] == "daily net follows"
    # Instagram: counts only, 5,000 (27 Feb) -> 5,100 (30 Mar)
    assert rows["Instagram"]["net_new_followers"] == 100
    assert rows["Instagram"]["growth_pct"] == pytest.approx(2.0)
    assert rows["Instagram"]["net_basis"] == "change in follower count"
    # TikTok: first count 2,000 on 9 March; nets after it: 50 - 5 (9 March's 7 is before it)
    assert rows["TikTok"]["start_count_date"] == pd.Timestamp("2025-03-09")
    assert rows["TikTok"]["net_new_followers"] == 45
    assert rows["TikTok"]["growth_pct"] == pytest.approx(2.25)
    # X: 12 - 2 new, but no follower count: growth unknown, never a guess
    assert rows["X"]["net_new_followers"] == 10
    assert pd.isna(rows["X"]["growth_pct"])
    # Total over accounts with both: (93 + 100 + 45) / (10,000 + 5,000 + 2,000)
    assert rows[social.ALL_PLATFORMS]["growth_pct"] == pytest.approx(100 * 238 / 17000)


def test_s3_without_a_later_count_has_no_growth(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_platform(social.follower_growth(con, FEBRUARY))
    # February: Facebook's only count is on 28 Feb itself (no day after it).
    assert pd.isna(rows["Facebook"]["growth_pct"])
    assert pd.isna(rows["Facebook"]["net_new_followers"])


def test_s4_posting_cadence(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_platform(social.posting_cadence(con, MARCH))
    assert rows["Facebook"]["posts_per_day"] == pytest.approx(4 / 31)
    assert rows["YouTube"]["posts_per_day"] == 0
    assert rows[social.ALL_PLATFORMS]["posts_per_day"] == pytest.approx(10 / 31)
    daily = social_breakdowns.daily_posts(con, MARCH)
    assert len(daily) == 31 * 5  # every day, every platform with posts in the warehouse
    counts = daily[daily["posts"] > 0].groupby("platform")["posts"].sum().to_dict()
    assert counts == march_posts().groupby("platform").size().to_dict()
    # FB5 (28 Feb 19:30 UTC) is a 1 March post in Karachi.
    first = daily[(daily["day"] == date(2025, 3, 1)) & (daily["platform"] == "Facebook")]
    assert first["posts"].iloc[0] == 1


def test_s4_hour_of_week_in_karachi_time(con: duckdb.DuckDBPyConnection) -> None:
    cells = social_breakdowns.hour_of_week(con, MARCH, platform="Facebook")
    assert len(cells) == 7 * 24
    filled = cells[cells["posts"] > 0]
    # FB1 Mon 3 Mar 10:00, FB2 Wed 5 Mar 18:30, FB3 Thu 20 Mar 09:00, FB5 Sat 1 Mar 00:30 PKT
    assert set(zip(filled["weekday_name"], filled["hour"], strict=True)) == {
        ("Mon", 10),
        ("Wed", 18),
        ("Thu", 9),
        ("Sat", 0),
    }
    monday = filled[filled["weekday_name"] == "Mon"]
    assert monday["engagement_rate_p50_pct"].iloc[0] == pytest.approx(6.0)
    x_cells = social_breakdowns.hour_of_week(con, MARCH, platform="X")
    # X1 and X3 come from the content file (a date, no time): only X2 counts.
    assert x_cells["posts"].sum() == 1
    expected = march_posts()
    timed = expected[
        expected["source"].isin(["meta_content", "x_tweet_activity", "tiktok_content"])
    ]
    everything = social_breakdowns.hour_of_week(con, MARCH)
    assert everything["posts"].sum() == len(timed)
    pkt = timed["published_pkt"]
    assert sorted(zip(pkt.dt.dayofweek + 1, pkt.dt.hour, strict=True)) == sorted(
        (int(w), int(h))
        for w, h, n in zip(
            everything["weekday"], everything["hour"], everything["posts"], strict=True
        )
        for _ in range(n)
    )


def test_s5_top_posts_are_ranked_within_each_platform(con: duckdb.DuckDBPyConnection) -> None:
    top = social.top_posts(con, MARCH)
    # The March posts with at least 500 in the denominator; FB3 (400
    # impressions) and X3 (300) fall below the floor. Ranked within each
    # platform (their rates have different denominators), platforms in the
    # strategy's order. Ties: larger denominator first (X2 5000 before X1 1000).
    assert list(zip(top["platform"], top["platform_rank"], top["post_id"], strict=True)) == [
        ("Facebook", 1, "1002"),  # 7.5% of impressions
        ("Facebook", 2, "1001"),  # 6%
        ("Facebook", 3, "1005"),  # 3%
        ("X", 1, "1888000000000000002"),  # 2%, 5000 impressions
        ("X", 2, "1888000000000000001"),  # 2%, 1000 impressions
        ("Instagram", 1, "1790001"),  # 8% of reach
        ("Instagram", 2, "1790002"),  # 3%
        ("TikTok", 1, "7480000000000000001"),  # 7% of video views
    ]
    assert top["permalink"].iloc[5] == "https://instagram.com/reel/1790001"
    assert top["engagement_rate_pct"].iloc[5] == pytest.approx(8.0)

    # The same ranking from the fixture's rows in plain pandas.
    posts = march_posts()
    posts = posts[posts["denominator"] >= 500].sort_values(
        ["engagement_rate", "denominator", "account", "post_id"],
        ascending=[False, False, True, True],
    )
    posts["rank"] = posts.groupby("platform").cumcount() + 1
    order = {p: i for i, p in enumerate(social.PLATFORMS)}
    posts = posts.assign(order=posts["platform"].map(order)).sort_values(["order", "rank"])
    assert list(top["post_id"]) == list(posts["post_id"].astype(str))
    assert list(top["platform_rank"]) == list(posts["rank"])
    assert list(top["engagement_rate_pct"]) == pytest.approx(list(100 * posts["engagement_rate"]))

    # limit is per platform: the best one of each.
    best = social.top_posts(con, MARCH, limit=1)
    assert list(best["post_id"]) == [
        "1002",
        "1888000000000000002",
        "1790001",
        "7480000000000000001",
    ]
    assert set(best["platform_rank"]) == {1}
    no_floor = social.top_posts(con, MARCH, min_impressions=0, limit=1)
    # Without the floor FB3 (10% of 400) and X3 (10% of 300) top their platforms.
    assert list(no_floor["post_id"][:2]) == ["1003", "1888000000000000003"]
    with pytest.raises(ValueError, match="limit"):
        social.top_posts(con, MARCH, limit=-1)


def test_s6_is_r3_r4_on_social_channels(con: duckdb.DuckDBPyConnection) -> None:
    frame = social.public_response(con, MARCH).set_index("measure")
    # Needing a reply: Q1, Q2, Q3 (replied) and Q4 (not); Q5 is email, Q6 needs none.
    assert frame.loc["response_rate", "value"] == pytest.approx(75.0)
    assert frame.loc["response_rate", "n"] == 4
    # Business minutes 20, 60, 60 -> P50 60; calendar 20, 60, 1020 -> P50 60
    assert frame.loc["first_response_p50_business", "value"] == pytest.approx(60)
    assert frame.loc["first_response_p50_calendar", "value"] == pytest.approx(60)
    # P90 calendar: 60 + 0.8 * (1020 - 60)
    assert frame.loc["first_response_p50_calendar", "p90"] == pytest.approx(828)
    # Over every channel R3 would be 4 of 5 (the email counts): S6 leaves it out.
    assert response_rate(con, MARCH).value == pytest.approx(80.0)

    facebook = social.public_response(con, FACEBOOK_ONLY).set_index("measure")
    assert facebook.loc["response_rate", "value"] == pytest.approx(50.0)  # Q1 of Q1, Q4
    assert facebook.loc["first_response_p50_business", "value"] == pytest.approx(20)

    email = social.public_response(con, replace(MARCH, channels=("Email",)))
    assert email["value"].isna().all() and (email["n"] == 0).all()


def test_s6_is_judged_against_metas_badge(con: duckdb.DuckDBPyConnection, tmp_path, monkeypatch):
    # Targets from the file (no number in page code): >= 90 % replied, first
    # reply P50 <= 15 clock minutes. March: 75 % (3 of 4), P50 clock 60 min.
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "status:\n  within_pct: 10\n  min_n: 1\nkpis:\n  S6:\n"
        "    - effective_from: 2024-07-01\n      target: 90\n      target_minutes: 15\n"
        '      target_text: "badge"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KP_KPI_TARGETS", str(targets))
    judged = judge_social_response(social.public_response(con, MARCH), MARCH).set_index("measure")
    assert judged.loc["response_rate", "target"] == 90.0
    assert judged.loc["response_rate", "status"] == "off_target"  # 75 < 81
    assert judged.loc["first_response_p50_calendar", "target"] == 15.0
    assert judged.loc["first_response_p50_calendar", "status"] == "off_target"  # 60 > 16.5
    # Business time is shown, not judged: Meta counts clock time.
    assert pd.isna(judged.loc["first_response_p50_business", "status"])
    assert (judged["target_text"] == "badge").all()
    # With the shipped minimum n (10), 4 items are too few to judge.
    monkeypatch.delenv("KP_KPI_TARGETS")
    shipped = judge_social_response(social.public_response(con, MARCH), MARCH)
    assert set(shipped["status"]) == {"n_too_small"}


def test_channel_filter_is_the_platform_filter(con: duckdb.DuckDBPyConnection) -> None:
    rows = social.reach_and_impressions(con, FACEBOOK_ONLY)
    assert list(rows["platform"]) == ["Facebook", social.ALL_PLATFORMS]
    assert rows["impressions"].iloc[-1] == 4000
    nothing = social.reach_and_impressions(con, replace(MARCH, channels=("Email",)))
    assert list(nothing["platform"]) == [social.ALL_PLATFORMS]
    assert nothing["posts"].iloc[0] == 0


def test_platform_summary_compares_with_the_previous_period(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = by_platform(social.platform_summary(con, MARCH))
    # Facebook: 4 posts in March, 1 in February (FB4)
    assert rows["Facebook"]["posts"] == 4
    assert rows["Facebook"]["previous_posts"] == 1
    assert rows["Facebook"]["delta_posts"] == 3
    # Impressions 4000 vs 800; P50 rate 6.75% vs 3%
    assert rows["Facebook"]["delta_impressions"] == 3200
    assert rows["Facebook"]["delta_engagement_rate_p50_pct"] == pytest.approx(3.75)
    assert rows["Facebook"]["engagement_rate_basis"] == "impressions"
    assert pd.isna(rows[social.ALL_PLATFORMS]["engagement_rate_p50_pct"])
    assert list(rows)[-1] == social.ALL_PLATFORMS


def test_weekly_trend_adds_up_to_the_period(con: duckdb.DuckDBPyConnection) -> None:
    trend = social_breakdowns.weekly_trend(con, MARCH)
    posts = march_posts()
    assert trend.groupby("platform")["posts"].sum().to_dict() == (
        posts.groupby("platform").size().to_dict()
    )
    # Weeks start on Monday: FB5 (Sat 1 March) is in the week of 24 February,
    # which has 2 days in the period (1-2 March).
    first = trend.iloc[0]
    assert (first["week_start"], first["days_in_period"]) == (date(2025, 2, 24), 2)


def test_content_types(con: duckdb.DuckDBPyConnection) -> None:
    types = social_breakdowns.content_types(con, MARCH)
    photo = types[(types["platform"] == "Facebook") & (types["content_type"] == "photo")]
    # FB1 6% and FB5 3%
    assert photo["posts"].iloc[0] == 2
    assert photo["engagement_rate_p50_pct"].iloc[0] == pytest.approx(4.5)
    posts = march_posts()
    assert types["posts"].sum() == len(posts)


def test_hashtag_and_campaign_comparison(con: duckdb.DuckDBPyConnection) -> None:
    tags = social_breakdowns.tag_comparison(con, MARCH)
    posts = march_posts()
    with_tag = posts[posts["post_text"].str.lower().str.contains("#kppolice")]
    kppolice = tags[tags["tag"] == "kppolice"]
    assert kppolice["posts_all"].iloc[0] == len(with_tag) == 5
    assert kppolice.set_index("platform")["posts"].to_dict() == (
        with_tag.groupby("platform").size().to_dict()
    )
    # Most-used tag first: kppolice (5 posts), then roadsafety (4)
    assert list(dict.fromkeys(tags["tag"]))[:2] == ["kppolice", "roadsafety"]
    campaigns = social_breakdowns.tag_comparison(con, MARCH, kind="campaign")
    road = campaigns[campaigns["tag"] == "Road Safety"]
    # FB1 6% and FB2 7.5%
    assert road["posts"].iloc[0] == 2
    assert road["engagement_rate_p50_pct"].iloc[0] == pytest.approx(6.75)
    with pytest.raises(ValueError, match="kind"):
        social_breakdowns.tag_comparison(con, MARCH, kind="mentions")


def test_audience_and_growth_curve(con: duckdb.DuckDBPyConnection) -> None:
    people = social_breakdowns.audience(con, MARCH)
    assert people["share_pct"].sum() == pytest.approx(100.0)
    assert set(people["age"]) == {"18-24", "25-34"}
    curve = social_breakdowns.post_snapshots(con, "Facebook", "KP Police", "1001")
    assert list(curve["impressions"]) == [500, 1000]
    assert list(curve["engagements"]) == [30, 60]


def test_status_of_a_warehouse_without_social_marts(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as old:
        old.execute("create schema marts; create table marts.inquiries (inquiry_id varchar)")
    with duckdb.connect(str(path), read_only=True) as old:
        status = social_breakdowns.social_status(old)
    assert status.loc[0, "posts"] == 0 and status.loc[0, "account_days"] == 0


def test_status_of_the_fixture(con: duckdb.DuckDBPyConnection) -> None:
    status = social_breakdowns.social_status(con).iloc[0]
    assert status["posts"] == 13
    assert list(status["platforms"]) == sorted(social.PLATFORMS)
