"""The social marts, built by the real model SQL from raw rows (tests/social_fixture.py).

Expected values are written by hand (with the sum in a comment) or
computed from the fixture's literal rows with plain pandas, never with the
models or metrics under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.sources.social import hashtags as python_hashtags
from etl.warehouse import new_version
from tests.etl_helpers import read_warehouse
from tests.social_fixture import (
    AUDIENCE,
    POSTS,
    RATE_BASIS,
    daily_frame,
    expected_posts,
    shared_social_warehouse,
)

PERSONAL = {"name", "requester_name", "phone", "mobile", "cnic", "email", "summary", "address"}
MARTS = ("social_posts", "social_post_snapshots", "social_account_daily", "social_audience")


@pytest.fixture(scope="module")
def warehouse_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_social_warehouse(tmp_path_factory)


@pytest.fixture(scope="module")
def warehouse(warehouse_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """One read-only connection to the fixture warehouse for the module."""
    con = duckdb.connect(str(warehouse_file), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    yield con
    con.close()


def query(source: Path | duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    if isinstance(source, Path):
        return read_warehouse(source, sql, params)
    return source.execute(sql, params or []).df()


def post(con: duckdb.DuckDBPyConnection, post_id: str) -> dict:
    frame = query(con, "select * from marts.social_posts where post_id = ?", [post_id])
    assert len(frame) == 1, f"post {post_id} appears {len(frame)} times"
    return frame.iloc[0].to_dict()


def test_one_row_per_post(warehouse: duckdb.DuckDBPyConnection) -> None:
    posts = query(warehouse, "select platform, account, post_id from marts.social_posts")
    distinct_in_fixture = {(row[2], row[3], row[4]) for row in POSTS}
    assert len(posts) == len(distinct_in_fixture) == 13
    assert not posts.duplicated().any()


def test_latest_snapshot_wins_never_summed(warehouse: duckdb.DuckDBPyConnection) -> None:
    fb1 = post(warehouse, "1001")
    # Snapshots of 10 March (500 impressions) and 1 April (1000): the latest only.
    assert fb1["impressions"] == 1000  # not 1500, not 500
    assert fb1["reach"] == 600
    assert fb1["engagements"] == 40 + 10 + 10
    assert fb1["n_snapshots"] == 2
    assert fb1["snapshot_at"] == pd.Timestamp("2025-03-31 19:00", tz="UTC")
    assert fb1["source_file"] == "posts-2.csv"


def test_a_re_downloaded_snapshot_takes_the_later_load(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    x2 = post(warehouse, "1888000000000000002")
    # Same snapshot time in loads 2 (4000 impressions) and 3 (5000): load 3 wins.
    assert x2["impressions"] == 5000
    assert x2["engagements"] == 50 + 10 + 20 + 20
    assert x2["n_snapshots"] == 1
    assert x2["load_id"] == "load-3"
    snapshots = query(
        warehouse,
        "select * from marts.social_post_snapshots where post_id = ?",
        ["1888000000000000002"],
    )
    assert len(snapshots) == 1


def test_engagements_per_platform_as_documented(warehouse: duckdb.DuckDBPyConnection) -> None:
    # Facebook: reactions + comments + shares; its 999 saves do not count.
    assert post(warehouse, "1002")["engagements"] == 100 + 30 + 20
    # X: likes + replies + reposts + bookmarks; link clicks (20) do not count.
    assert post(warehouse, "1888000000000000001")["engagements"] == 10 + 2 + 3 + 5
    # Instagram: likes + comments + shares + saves.
    assert post(warehouse, "1790001")["engagements"] == 50 + 10 + 5 + 15
    # YouTube: likes + comments + shares; 30,331 views do not count.
    assert post(warehouse, "UWQNrpakgcA")["engagements"] == 300 + 20 + 10
    # TikTok: likes + comments + shares + add-to-favorites.
    assert post(warehouse, "7480000000000000001")["engagements"] == 500 + 50 + 100 + 50


def test_rate_basis_per_platform(warehouse: duckdb.DuckDBPyConnection) -> None:
    bases = query(
        warehouse,
        "select distinct platform, engagement_rate_basis from marts.social_posts",
    )
    assert dict(zip(bases["platform"], bases["engagement_rate_basis"], strict=True)) == RATE_BASIS
    # Instagram gives no impressions: ÷ reach. 80 / 1000
    assert post(warehouse, "1790001")["engagement_rate"] == pytest.approx(0.08)
    # YouTube: ÷ unique viewers (2000), never ÷ thumbnail impressions (456).
    youtube = post(warehouse, "UWQNrpakgcA")
    assert youtube["engagement_rate"] == pytest.approx(330 / 2000)
    assert youtube["engagement_rate_denominator"] == 2000
    # TikTok gives only video views. 700 / 10000
    assert post(warehouse, "7480000000000000001")["engagement_rate"] == pytest.approx(0.07)


def test_every_post_matches_a_plain_pandas_reading(warehouse: duckdb.DuckDBPyConnection) -> None:
    mart = query(warehouse, "select * from marts.social_posts").set_index("post_id").sort_index()
    expected = expected_posts().set_index("post_id").sort_index()
    assert list(mart.index) == list(expected.index)
    for column in ("impressions", "reach", "reactions", "comments", "shares", "saves"):
        pd.testing.assert_series_equal(
            mart[column].astype("Float64"), expected[column].astype("Float64"), check_names=False
        )
    pd.testing.assert_series_equal(
        mart["engagements"].astype(float), expected["engagements"], check_names=False
    )
    pd.testing.assert_series_equal(
        mart["engagement_rate"], expected["engagement_rate"], check_names=False
    )
    assert list(mart["engagement_rate_basis"]) == list(expected["engagement_rate_basis"])
    assert list(mart["n_snapshots"]) == list(expected["n_snapshots"])
    assert list(mart["published_date"].dt.date) == list(expected["published_date"])


def test_published_date_is_the_karachi_date(warehouse: duckdb.DuckDBPyConnection) -> None:
    # 2025-02-28 19:30 UTC is 1 March 00:30 PKT.
    assert post(warehouse, "1005")["published_date"].date() == date(2025, 3, 1)


def test_publish_time_known_only_where_the_export_gives_it(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    frame = query(warehouse, "select post_id, has_publish_time from marts.social_posts")
    date_only = {row[4] for row in POSTS if row[1] in ("x_content", "youtube_table")}
    assert date_only == {
        "1888000000000000001",
        "1888000000000000003",
        "1888000000000000004",
        "UWQNrpakgcA",
    }
    for post_id, known in zip(frame["post_id"], frame["has_publish_time"], strict=True):
        assert known == (post_id not in date_only), post_id


def test_hashtags_match_the_python_definition(warehouse: duckdb.DuckDBPyConnection) -> None:
    frame = query(warehouse, "select post_text, hashtags from marts.social_posts")
    for text, tags in zip(frame["post_text"], frame["hashtags"], strict=True):
        assert list(tags) == python_hashtags(text), text
    assert list(post(warehouse, "1001")["hashtags"]) == ["roadsafety", "kppolice"]
    assert list(post(warehouse, "7480000000000000001")["hashtags"]) == ["roadsafety", "ٹریفک"]


def test_campaigns_from_meta_custom_labels(warehouse: duckdb.DuckDBPyConnection) -> None:
    assert list(post(warehouse, "1002")["campaigns"]) == ["Eid", "Road Safety"]
    assert list(post(warehouse, "1001")["campaigns"]) == ["Road Safety"]
    assert list(post(warehouse, "1003")["campaigns"]) == []


def test_content_type(warehouse: duckdb.DuckDBPyConnection) -> None:
    assert post(warehouse, "1002")["content_type"] == "reel"
    assert post(warehouse, "UWQNrpakgcA")["content_type"] == "video"
    assert post(warehouse, "1888000000000000001")["content_type"] == "unspecified"


def test_snapshot_mart_keeps_every_snapshot(warehouse: duckdb.DuckDBPyConnection) -> None:
    snapshots = query(
        warehouse,
        "select * from marts.social_post_snapshots where post_id = '1001' order by snapshot_at",
    )
    assert list(snapshots["impressions"]) == [500, 1000]
    assert list(snapshots["engagements"]) == [20 + 5 + 5, 40 + 10 + 10]
    # 10 March 00:00 PKT - 3 March 10:00 PKT = 6 days 14 hours
    assert snapshots["hours_since_published"].iloc[0] == pytest.approx(6 * 24 + 14)
    everything = query(warehouse, "select count(*) as n from marts.social_post_snapshots")
    distinct = {(r[2], r[3], r[4], r[5]) for r in POSTS}
    assert everything["n"].iloc[0] == len(distinct) == 14


def test_overlapping_daily_files_give_one_value(warehouse: duckdb.DuckDBPyConnection) -> None:
    daily = query(warehouse, "select * from marts.social_account_daily")
    assert not daily.duplicated(["platform", "account", "date"]).any()
    fb = daily[daily["platform"] == "Facebook"].set_index("date")
    march_3 = fb.loc[pd.Timestamp("2025-03-03")]
    # Load 1 said 30 new, 3 lost, reach 500; load 2 said 35, 5, 700: load 2 wins.
    assert (march_3["new_followers"], march_3["unfollows"], march_3["reach"]) == (35, 5, 700)
    # Followers only where reported: not carried from 28 Feb into March.
    assert pd.isna(fb.loc[pd.Timestamp("2025-03-01"), "followers"])
    assert fb.loc[pd.Timestamp("2025-02-28"), "followers"] == 10000
    youtube = daily[daily["platform"] == "YouTube"]
    # Totals.csv (900, load 1) beats Chart data.csv (400, load 2).
    assert list(youtube["video_views"]) == [900]


def test_daily_mart_matches_a_plain_pandas_reading(warehouse: duckdb.DuckDBPyConnection) -> None:
    raw = daily_frame()
    raw["is_chart"] = raw["source"] == "youtube_chart"
    ordered = raw.sort_values(
        ["is_chart", "load_seq", "_source_row"], ascending=[False, True, True]
    )
    chosen = ordered.drop_duplicates(["platform", "account", "metric_date", "metric"], keep="last")
    expected = chosen.pivot_table(
        index=["platform", "account", "metric_date"], columns="metric", values="value"
    )
    mart = query(warehouse, "select * from marts.social_account_daily")
    mart["metric_date"] = mart["date"].dt.date
    mart = mart.set_index(["platform", "account", "metric_date"])
    assert sorted(mart.index) == sorted(expected.index)
    for metric in expected.columns:
        merged = expected[metric].to_frame("expected").join(mart[metric].rename("mart"))
        pd.testing.assert_series_equal(
            merged["mart"].astype(float), merged["expected"], check_names=False
        )


def test_audience_latest_snapshot_only(warehouse: duckdb.DuckDBPyConnection) -> None:
    audience = query(warehouse, "select * from marts.social_audience")
    ages = audience[audience["dimension"] == "age_gender"]
    latest = max(row[3] for row in AUDIENCE if row[4] == "age_gender")
    assert set(ages["snapshot_at"]) == {pd.Timestamp(latest)}
    assert len(ages) == 4
    assert ages["share"].sum() == pytest.approx(0.1 + 0.3 + 0.2 + 0.4)
    countries = audience[audience["dimension"] == "country"]
    assert list(countries["category"]) == ["Pakistan"]


def test_marts_hold_no_personal_data(warehouse: duckdb.DuckDBPyConnection) -> None:
    for mart in MARTS:
        columns = query(warehouse, f"select * from marts.{mart} limit 0").columns
        assert not PERSONAL & {c.lower() for c in columns}, mart


def test_rebuilding_changes_nothing(
    warehouse: duckdb.DuckDBPyConnection, warehouse_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "again.duckdb"
    copy.write_bytes(warehouse_file.read_bytes())
    with new_version(copy):
        pass  # a load of nothing: models rebuilt from the same raw rows
    for mart in MARTS:
        sql = f"select * from marts.{mart} order by all"
        pd.testing.assert_frame_equal(query(copy, sql), query(warehouse, sql))


def test_empty_raw_tables_give_empty_marts(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    with new_version(path):
        pass
    for mart in MARTS:
        assert query(path, f"select count(*) as n from marts.{mart}")["n"].iloc[0] == 0


def test_reply_handles_stay_out_of_the_marts(tmp_path: Path) -> None:
    # A reply names the members of the public it answers: their handles stay
    # in raw, the mart shows "@…" instead.
    from etl.load import load_paths
    from tests.etl_helpers import read_warehouse
    from tests.social_fixtures_other import write_x_content

    row = [
        "1888959709614682283",
        "Mon Feb 10 2025",
        "@citizen_one @another_person Thank you, forwarded to DPO Swat. #KPPolice",
        "https://x.com/KPPoliceOfficial/status/1888959709614682283",
        "104", "7", "13", "0", "0", "0", "1", "1", "0", "4", "1", "0", "0",
    ]  # fmt: skip
    path = write_x_content(tmp_path / "account_analytics_content_20250201_20250212.csv", [row])
    warehouse = tmp_path / "warehouse.duckdb"
    load_paths([path], warehouse=warehouse)
    text = read_warehouse(warehouse, "select post_text, hashtags from marts.social_posts")
    assert text["post_text"][0] == "@… Thank you, forwarded to DPO Swat. #KPPolice"
    assert list(text["hashtags"][0]) == ["kppolice"]
    raw = read_warehouse(warehouse, "select post_text from raw.social_post_snapshots")
    assert raw["post_text"][0].startswith("@citizen_one @another_person")
