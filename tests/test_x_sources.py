"""X exports through the real ETL: content (both spellings), overview, tweet activity."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from etl.load import inspect_file, load_paths, make_context
from tests.etl_helpers import read_warehouse
from tests.social_fixtures_other import (
    write_tweet_activity,
    write_x_content,
    write_x_overview,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
POSTS = "select * from raw.social_post_snapshots order by post_id"
DAILY = "select * from raw.social_account_daily order by metric_date, metric"
QUARANTINE = "select * from meta.quarantine order by source_row"

# A 19-digit id a float would round (to ...682368): it must stay exact text.
ID_A = "1888959709614682283"
ID_B = "1888596657253810355"
ID_C = "1888073842750546320"
ID_D = "1887811638310424885"
LINK = "https://x.com/KPPoliceKP/status/"


def _load(paths, warehouse, **context):
    report = load_paths(paths, warehouse=warehouse, context=make_context(**{"now": NOW, **context}))
    assert not report.rejected, [f.line() for f in report.files]
    return report


@pytest.fixture
def warehouse(tmp_path):
    return tmp_path / "wh" / "warehouse.duckdb"


def content_rows(date_a: str, date_b: str) -> list[list[str]]:
    # Post id, Date, Post text, Link, Impressions, Likes, Engagements, Bookmarks,
    # Share, New follows, Replies, Reposts, Profile visits, Detail expands,
    # Url clicks, Hashtag clicks, Permalink clicks
    return [
        [ID_A, date_a, "Traffic advisory, Peshawar #KPPolice", LINK + ID_A]
        + ["104", "7", "13", "2", "3", "0", "4", "5", "1", "4", "6", "0", "0"],
        [ID_B, date_b, 'Khidmat "Markaz" timings', LINK + ID_B]
        + ["52", "1", "3", "-", "0", "0", "0", "1", "0", "1", "--", "0", "0"],
        [ID_C, date_b, "Bad number row", LINK + ID_C]
        + ["abc", "0", "1", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0"],
        # What Excel shows for a 19-digit id: its last digits are gone.
        ["1.8886E+18", date_b, "Rounded id", LINK + "1888596657253810999"]
        + ["1", "0", "1", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0"],
        # A count kept in extra (Engagements) must be a number too.
        [ID_D, date_b, "Bad engagements", LINK + ID_D]
        + ["9", "0", "n/a?", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0"],
    ]


def test_content_file_maps_counts_and_keeps_ids_exact(tmp_path, warehouse):
    path = write_x_content(
        tmp_path / "account_analytics_content_20250101_20250212.csv",
        content_rows("Mon Feb 10 2025", "Sun Feb 09 2025"),
    )
    report = _load([path], warehouse)
    assert (report.files[0].kind, report.files[0].inserted, report.files[0].quarantined) == (
        "X post analytics",
        2,
        3,
    )
    posts = read_warehouse(warehouse, POSTS).set_index("post_id")
    assert str(int(float(ID_A))) != ID_A  # the id is one a float would damage
    assert sorted(posts.index) == sorted([ID_A, ID_B])
    a = posts.loc[ID_A]
    assert (a["platform"], a["account"], a["source"]) == ("X", "KPPoliceKP", "x_content")
    # impressions, likes, replies, reposts, bookmarks, url clicks of row A.
    assert [a[c] for c in ("impressions", "reactions", "comments", "shares", "saves")] == [
        104,
        7,
        4,
        5,
        2,
    ]
    assert a["link_clicks"] == 6
    assert pd.isna(a["reach"]) and pd.isna(a["video_views"])
    # X's "Share" (share via DM/link) is not a repost: kept aside.
    extra = json.loads(a["extra"])
    assert extra["share_via"] == 3 and extra["engagements"] == 13 and extra["detail_expands"] == 4
    # Date only: 10 Feb 2025 00:00 PKT is 9 Feb 19:00 UTC.
    assert a["published_at"] == pd.Timestamp("2025-02-09 19:00", tz="UTC")
    # Period ends 12 Feb: snapshot at 13 Feb 00:00 PKT = 12 Feb 19:00 UTC.
    assert a["snapshot_at"] == pd.Timestamp("2025-02-12 19:00", tz="UTC")
    # "-" bookmarks and "--" url clicks are not zero: NULL.
    b = posts.loc[ID_B]
    assert pd.isna(b["saves"]) and pd.isna(b["link_clicks"]) and b["impressions"] == 52
    assert b["post_text"] == 'Khidmat "Markaz" timings'
    bad = read_warehouse(warehouse, QUARANTINE)
    # Header row 1, A 2, B 3, C 4, rounded id 5, bad engagements 6.
    assert bad["source_row"].tolist() == [4, 5, 6]
    assert bad["record_id"].tolist() == [ID_C, "1.8886E+18", ID_D]
    assert "impressions 'abc' is not a number" in bad["reason"].iloc[0]
    assert bad["reason"].iloc[1].startswith("post id '1.8886E+18' is not an X post id")
    assert bad["reason"].iloc[2] == "engagements 'n/a?' is not a number"
    assert bad["column_name"].iloc[2] == "extra"


def test_both_header_spellings_and_date_styles_give_the_same_post(tmp_path, warehouse):
    old = write_x_content(
        tmp_path / "account_analytics_content_20250101_20250212.csv",
        content_rows("Mon Feb 10 2025", "Sun Feb 09 2025")[:2],
        spelling=2025,
    )
    new = write_x_content(
        tmp_path / "account_analytics_content_20250101_20250212 (1).csv",
        content_rows("Mon, Feb 10, 2025", "Sun, Feb 09, 2025")[:2],
        spelling=2026,
    )
    assert old.read_bytes() != new.read_bytes()
    report = _load([old, new], warehouse)
    assert report.files[0].inserted == 2
    # Same posts, same snapshot, every value equal: nothing new, nothing updated.
    result = report.files[1]
    assert (result.kind, result.inserted, result.updated, result.unchanged) == (
        "X post analytics",
        0,
        0,
        2,
    )


def test_comma_date_style_and_account_without_links(tmp_path, warehouse):
    rows = content_rows("Thu, Apr 23, 2026", "Wed, Apr 22, 2026")[:2]
    for row in rows:
        row[3] = ""  # no permalink: the account comes from --account
    path = write_x_content(tmp_path / "export.csv", rows, spelling=2026)
    _load([path], warehouse, account="kp_police_x")
    posts = read_warehouse(warehouse, POSTS).set_index("post_id")
    assert set(posts["account"]) == {"kp_police_x"}
    # 23 Apr 2026 00:00 PKT = 22 Apr 19:00 UTC.
    assert posts.loc[ID_A, "published_at"] == pd.Timestamp("2026-04-22 19:00", tz="UTC")
    # No period in the name: the load's clock is the snapshot time.
    assert set(posts["snapshot_at"]) == {pd.Timestamp(NOW)}
    # 2026 spelling: "Shares" is share-via, "Reposts" the shares column.
    assert posts.loc[ID_A, "shares"] == 5 and json.loads(posts.loc[ID_A, "extra"])["share_via"] == 3


def test_notes_say_how_dates_and_snapshot_were_read(tmp_path):
    path = write_x_content(
        tmp_path / "account_analytics_content_20250101_20250212.csv",
        content_rows("Mon Feb 10 2025", "Sun Feb 09 2025")[:1],
    )
    check = inspect_file(path, make_context(now=NOW))
    notes = " | ".join(check.prepared.notes)
    assert "00:00 Asia/Karachi" in notes
    assert "2024-" not in notes and "2025-01-01 to 2025-02-12" in notes


# Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,
# Replies,Reposts,Profile visits,Create Post,Video views,Media views
OVERVIEW_ROWS = [
    ["Mon Feb 10 2025", "1200", "30", "75", "4", "2", "9", "1", "6", "8", "15", "3", "400", "500"],
    ["Tue Feb 11 2025", "900", "-", "50", "0", "0", "3", "2", "1", "2", "5", "1", "--", "0"],
]
BAD_OVERVIEW_ROW = [
    "Wed Feb 12 2025",
    "800",
    "1",
    "5",
    "0",
    "0",
    "1",
    "0",
    "0",
    "0",
    "0",
    "1",
    "abc",
    "0",
]


def test_overview_file_becomes_daily_metrics(tmp_path, warehouse):
    path = write_x_overview(tmp_path / "account_overview_analytics.csv", OVERVIEW_ROWS)
    report = _load([path], warehouse)
    assert (report.files[0].kind, report.files[0].quarantined) == ("X account overview", 0)
    daily = read_warehouse(warehouse, DAILY)
    day1 = daily[daily["metric_date"] == pd.Timestamp("2025-02-10")].set_index("metric")["value"]
    assert day1.to_dict() == {
        "comments": 6,  # Replies
        "engagements": 75,
        "impressions": 1200,
        "likes": 30,
        "new_followers": 9,
        "profile_visits": 15,
        "shares": 8,  # Reposts
        "unfollows": 1,
        "video_views": 400,
    }
    # "-" likes and "--" video views: stored as NULL, not zero, not quarantined.
    day2 = daily[daily["metric_date"] == pd.Timestamp("2025-02-11")].set_index("metric")["value"]
    assert len(day2) == 9 and pd.isna(day2["likes"]) and pd.isna(day2["video_views"])
    assert day2["impressions"] == 900
    assert set(daily["account"]) == {"KP Police"} and set(daily["platform"]) == {"X"}


def test_overview_resaved_by_excel_is_read_day_first(tmp_path):
    rows = [
        [day, *row[1:]]
        for day, row in zip(["12-02-2025", "13-02-2025"], OVERVIEW_ROWS, strict=True)
    ]
    path = write_x_overview(tmp_path / "account_overview_analytics.csv", rows)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # Excel writes CRLF
    check = inspect_file(path, make_context(now=NOW))
    # 13-02-2025 can only be 13 February.
    assert sorted(set(check.prepared.frame["metric_date"])) == [
        pd.Timestamp("2025-02-12"),
        pd.Timestamp("2025-02-13"),
    ]
    assert check.quarantined == 0 and any("day first" in n for n in check.prepared.notes)


def test_overview_bad_number_fails_its_row(tmp_path):
    path = write_x_overview(tmp_path / "overview.csv", [*OVERVIEW_ROWS, BAD_OVERVIEW_ROW])
    check = inspect_file(path, make_context(now=NOW))
    failures = check.validation.failures
    # Header row 1, the 10th row 2, the 11th row 3, the 12th row 4.
    assert set(failures["_source_row"]) == {4}
    assert "'abc' is not a number" in failures["reason"].iloc[0]
    # The whole day is held back: none of its nine metrics loads.
    assert len(check.valid) == 18 and check.quarantined == 1


def test_overview_bad_number_is_quarantined_end_to_end(tmp_path, warehouse):
    path = write_x_overview(tmp_path / "overview.csv", [*OVERVIEW_ROWS, BAD_OVERVIEW_ROW])
    report = load_paths([path], warehouse=warehouse, context=make_context(now=NOW))
    assert report.files[0].quarantined == 1
    bad = read_warehouse(warehouse, QUARANTINE)
    assert bad["source_row"].tolist() == [4] and "'abc'" in bad["reason"].iloc[0]
    days = read_warehouse(warehouse, "select distinct metric_date from raw.social_account_daily")
    assert pd.Timestamp("2025-02-12") not in set(days["metric_date"])


def test_legacy_tweet_activity_with_likes_or_favorites(tmp_path, warehouse):
    first = [
        "649293177409679360",
        "https://twitter.com/KPPoliceKP/status/649293177409679360",
        "Open court in Mardan today",
        "2015-09-30 18:42 +0000",
        "424.0",  # impressions
        "30.0",  # engagements
        "0.07075471698113208",  # engagement rate
        "1.0",  # retweets
        "2.0",  # replies
        "3.0",  # likes
        "4.0",  # user profile clicks
        "5.0",  # url clicks
    ] + ["0"] * 10
    older = [
        "549064976133525504",
        "https://twitter.com/KPPoliceKP/status/549064976133525504",
        "Khuli Kachehri, Swat",
        "2015-05-28 03:35 +0000",
        "411.0",
        "8.0",
        "0.019",
        "0.0",  # retweets
        "0.0",  # replies
        "6.0",  # favorites
        "1.0",
        "4.0",
    ] + ["0"] * 10
    paths = [
        write_tweet_activity(
            tmp_path / "tweet_activity_metrics_KPPoliceKP_20150901_20150930_en.csv", [first]
        ),
        write_tweet_activity(
            tmp_path / "tweet_activity_metrics_KPPoliceKP_20150501_20150531_en.csv",
            [older],
            likes_word="favorites",
        ),
    ]
    assert b'"favorites"' in paths[1].read_bytes() and b'"likes"' in paths[0].read_bytes()
    report = _load(paths, warehouse)
    assert {f.kind for f in report.files} == {"X tweet activity (legacy)"}
    posts = read_warehouse(warehouse, POSTS).set_index("post_id")
    row = posts.loc["649293177409679360"]
    assert row["published_at"] == pd.Timestamp("2015-09-30 18:42", tz="UTC")  # +0000 as it says
    assert [row[c] for c in ("impressions", "shares", "comments", "reactions", "link_clicks")] == [
        424,  # "424.0"
        1,  # retweets
        2,  # replies
        3,  # likes
        5,  # url clicks
    ]
    assert row["account"] == "KPPoliceKP"
    extra = json.loads(row["extra"])
    assert extra["profile_visits"] == 4 and extra["promoted_impressions"] is None  # "-"
    assert posts.loc["549064976133525504", "reactions"] == 6  # favorites


@pytest.mark.skipif(
    not (SAMPLES / "account_analytics_content_20241114_20250212.csv").exists(),
    reason="shared samples not present",
)
def test_conformance_with_the_real_x_content_export(tmp_path, warehouse):
    sample = SAMPLES / "account_analytics_content_20241114_20250212.csv"
    with sample.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {
        "impressions": "Impressions",
        "reactions": "Likes",
        "comments": "Replies",
        "shares": "Reposts",
        "saves": "Bookmarks",
        "link_clicks": "Url clicks",
    }
    expected = {ours: sum(int(r[theirs]) for r in rows) for ours, theirs in columns.items()}
    report = _load([sample], warehouse)
    assert (report.files[0].rows_read, report.files[0].quarantined) == (len(rows), 0)
    sums = ", ".join(f"sum({c}) as {c}" for c in columns)
    got = read_warehouse(
        warehouse,
        f"select count(*) as n, count(distinct post_id) as ids, {sums} "
        "from raw.social_post_snapshots",
    ).iloc[0]
    assert got["n"] == got["ids"] == len(rows)
    assert {c: int(got[c]) for c in columns} == expected
    ids = set(read_warehouse(warehouse, "select post_id from raw.social_post_snapshots")["post_id"])
    assert ids == {r["Post id"] for r in rows}
