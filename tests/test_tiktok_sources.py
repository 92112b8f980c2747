"""TikTok exports through the real ETL: overview, content, followers, year-less overview."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from etl.load import inspect_file, load_paths, make_context
from tests.etl_helpers import read_warehouse
from tests.social_fixtures_other import (
    write_tiktok_content,
    write_tiktok_creator_overview,
    write_tiktok_followers,
    write_tiktok_overview,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
POSTS = "select * from raw.social_post_snapshots order by post_id"
DAILY = "select * from raw.social_account_daily order by source, metric_date, metric"
QUARANTINE = "select * from meta.quarantine order by source_row"
VIDEO_ID = "7567012345678901234"  # 19 digits: a float would round it


def _load(paths, warehouse, **context):
    report = load_paths(paths, warehouse=warehouse, context=make_context(**{"now": NOW, **context}))
    assert not report.rejected, [f.line() for f in report.files]
    return report


@pytest.fixture
def warehouse(tmp_path):
    return tmp_path / "wh" / "warehouse.duckdb"


# Date, Video views, Reached audience, Profile views, Likes, Shares, Comments,
# Phone number clicks , Leads submission, Net growth, New followers, Lost followers
OVERVIEW = [
    ["2025/10/30", "1520", "1100", "45", "230", "12", "18", "NAN", "NAN", "-4", "6", "10"],
    ["2025/10/31", "980", "--", "30", "140", "7", "9", "--", "--", "3", "5", "2"],
]


def test_overview_and_followers_become_daily_metrics(tmp_path, warehouse):
    overview = write_tiktok_overview(tmp_path / "overview.csv", OVERVIEW)
    assert b"Phone number clicks ,Leads" in overview.read_bytes()
    followers = write_tiktok_followers(
        tmp_path / "followers.csv",
        # Date, New followers, Total followers, Reached audience, Engaged audience
        [["2025/10/30", "6", "12040", "1100", "85"], ["2025/10/31", "5", "12043", "NAN", "60"]],
    )
    report = _load([overview, followers], warehouse, account="KP Police TikTok")
    assert [(f.kind, f.quarantined) for f in report.files] == [
        ("TikTok overview", 0),
        ("TikTok followers", 0),
    ]
    daily = read_warehouse(warehouse, DAILY)
    assert set(daily["platform"]) == {"TikTok"} and set(daily["account"]) == {"KP Police TikTok"}
    view = daily[daily["source"] == "tiktok_overview"]
    day1 = view[view["metric_date"] == pd.Timestamp("2025-10-30")].set_index("metric")["value"]
    assert day1.to_dict() == {
        "comments": 18,
        "likes": 230,
        "net_followers": -4,  # Net growth may be negative
        "new_followers": 6,
        "profile_visits": 45,
        "reach": 1100,  # Reached audience
        "shares": 12,
        "unfollows": 10,  # Lost followers
        "video_views": 1520,
    }
    day2 = view[view["metric_date"] == pd.Timestamp("2025-10-31")].set_index("metric")["value"]
    assert pd.isna(day2["reach"]) and day2["video_views"] == 980  # "--" is NULL, not 0
    follow = daily[daily["source"] == "tiktok_followers"].set_index(["metric_date", "metric"])
    values = follow["value"]
    assert values.dropna().to_dict() == {
        (pd.Timestamp("2025-10-30"), "followers"): 12040,  # Total followers
        (pd.Timestamp("2025-10-30"), "new_followers"): 6,
        (pd.Timestamp("2025-10-30"), "reach"): 1100,
        (pd.Timestamp("2025-10-31"), "followers"): 12043,
        (pd.Timestamp("2025-10-31"), "new_followers"): 5,
    }
    # "NAN" reach is stored as NULL; Engaged audience is not stored at all.
    assert len(values) == 6 and pd.isna(values[(pd.Timestamp("2025-10-31"), "reach")])


def test_overview_bad_number_fails_its_row(tmp_path):
    rows = [*OVERVIEW, ["2025/11/01", "abc", "1", "1", "1", "1", "1", "0", "0", "0", "0", "0"]]
    check = inspect_file(write_tiktok_overview(tmp_path / "o.csv", rows), make_context(now=NOW))
    failures = check.validation.failures
    assert set(failures["_source_row"]) == {4}
    assert "'abc' is not a number" in failures["reason"].iloc[0]
    notes = " ".join(check.prepared.notes)
    assert "Phone number clicks" in notes and "Leads submission" in notes


def test_content_file_becomes_post_snapshots(tmp_path, warehouse):
    rows = [
        # Video title, Video link, Post time, Video views, Likes, Comments, Shares, Add to Favorites
        ["Eid security plan, Peshawar", f"https://www.tiktok.com/@kppolice/video/{VIDEO_ID}"]
        + ["2025/10/31 18:19:10", "15000", "900", "45", "30", "12"],
        ["Helpline 15", "https://www.tiktok.com/@kppolice/video/7567000000000000001"]
        + ["2025/10/30 09:00:00", "800", "20", "NAN", "1", "--"],
        ["No id in this link", "https://www.tiktok.com/@kppolice"]
        + ["2025/10/29 09:00:00", "5", "1", "0", "0", "0"],
        ["Bad likes", "https://www.tiktok.com/@kppolice/video/7567000000000000002"]
        + ["2025/10/28 09:00:00", "5", "abc", "0", "0", "0"],
    ]
    path = write_tiktok_content(tmp_path / "content_20251001_20251031.csv", rows)
    report = _load([path], warehouse)
    assert (report.files[0].kind, report.files[0].inserted, report.files[0].quarantined) == (
        "TikTok content",
        2,
        2,
    )
    posts = read_warehouse(warehouse, POSTS).set_index("post_id")
    post = posts.loc[VIDEO_ID]
    assert (post["platform"], post["account"], post["source"]) == (
        "TikTok",
        "KP Police",
        "tiktok_content",
    )
    values = [post[c] for c in ("video_views", "reactions", "comments", "shares", "saves")]
    assert values == [15000, 900, 45, 30, 12]
    # 18:19:10 PKT = 13:19:10 UTC.
    assert post["published_at"] == pd.Timestamp("2025-10-31 13:19:10", tz="UTC")
    # Period ends 31 Oct: 1 Nov 00:00 PKT = 31 Oct 19:00 UTC.
    assert post["snapshot_at"] == pd.Timestamp("2025-10-31 19:00", tz="UTC")
    second = posts.loc["7567000000000000001"]
    assert pd.isna(second["comments"]) and pd.isna(second["saves"]) and second["shares"] == 1
    assert post["post_text"] == "Eid security plan, Peshawar" and pd.isna(post["extra"])
    bad = read_warehouse(warehouse, QUARANTINE)
    assert bad["source_row"].tolist() == [4, 5]
    assert "holds no TikTok video id" in bad["reason"].iloc[0]
    assert "reactions 'abc' is not a number" in bad["reason"].iloc[1]


# "Date","Video Views","Profile Views","Likes","Comments","Shares"
CREATOR = [
    ["August 31", "1441", "52", "31", "2", "11"],
    ["September 1", "2110", "77", "57", "1", "6"],
]


def test_yearless_overview_is_rejected_without_a_year(tmp_path, warehouse):
    path = write_tiktok_creator_overview(tmp_path / "Overview.csv", CREATOR)
    report = load_paths([path], warehouse=warehouse, context=make_context(now=NOW))
    result = report.files[0]
    assert result.outcome == "rejected"
    assert result.message.startswith("Overview.csv, row 2, column Date:")
    assert "'August 31'" in result.message and "--year YYYY" in result.message
    assert not warehouse.exists()


def test_yearless_overview_loads_with_year(tmp_path, warehouse):
    path = write_tiktok_creator_overview(tmp_path / "Overview.csv", CREATOR)
    _load([path], warehouse, year=2024)
    daily = read_warehouse(warehouse, DAILY)
    views = daily[daily["metric"] == "video_views"].set_index("metric_date")["value"]
    assert views.to_dict() == {pd.Timestamp("2024-08-31"): 1441, pd.Timestamp("2024-09-01"): 2110}
    assert set(daily["metric"]) == {"video_views", "profile_visits", "likes", "comments", "shares"}


def test_yearless_overview_takes_the_year_in_its_file_name(tmp_path):
    path = write_tiktok_creator_overview(tmp_path / "Overview_2023.csv", CREATOR)
    check = inspect_file(path, make_context(now=NOW))
    assert check.error is None
    assert sorted(set(check.prepared.frame["metric_date"])) == [
        pd.Timestamp("2023-08-31"),
        pd.Timestamp("2023-09-01"),
    ]
    # The name says 2023, --year says 2024: neither is guessed right.
    clash = inspect_file(path, make_context(now=NOW, year=2024))
    assert clash.error is not None and "--year says 2024" in clash.error.one_line()


def test_yearless_overview_across_new_year_is_rejected(tmp_path):
    rows = [["December 31", "5", "1", "1", "0", "0"], ["January 1", "7", "1", "1", "0", "0"]]
    path = write_tiktok_creator_overview(tmp_path / "Overview.csv", rows)
    check = inspect_file(path, make_context(now=NOW, year=2024))
    assert check.error is not None
    assert check.error.row == 3 and "new year" in check.error.one_line()


def test_post_times_rewritten_by_excel_reject_the_file(tmp_path):
    link = "https://www.tiktok.com/@kppolice/video/75670000000000000"
    rows = [
        [f"Video {n}", f"{link}{n:02d}", f"{n + 10}/10/2025 18:19", "5", "1", "0", "0", "0"]
        for n in range(6)
    ]
    check = inspect_file(
        write_tiktok_content(tmp_path / "content.csv", rows), make_context(now=NOW)
    )
    assert check.error is not None
    message = check.error.one_line()
    assert message.startswith("content.csv, row 2, column Post time: 6 of 6 values")
    assert "'10/10/2025 18:19'" in message
