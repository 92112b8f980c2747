"""Meta Business Suite loaders: every variant recognised from its content and
loaded with the right values; snapshots, daily files, audience, legacy export.

Most tests read one warehouse built by a single load of many fixture files
(``bulk``): a load is the slow part (a new warehouse version and a Great
Expectations run per kind), and rejected files do not stop the others.
Expected values are worked out by hand from the fixture rows, in comments.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from core.config import load_settings
from etl.load import load_paths, make_context
from etl.readers import read_table
from etl.sources import meta
from tests.etl_helpers import file_digest, read_warehouse
from tests.social_fixtures_meta import (
    FB_POSTS_31,
    FB_POSTS_38,
    IG_POSTS_A,
    IG_POSTS_B,
    fb_posts_304,
    fb_videos_212,
    write_audience,
    write_content,
    write_insights_daily,
    write_legacy_insights,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
POSTS = "select * from raw.social_post_snapshots"
DAILY = "select * from raw.social_account_daily"

ID_19 = "1234567890123456789"
ID_18 = "123456789012345678"
CAPTION = 'Road safety week, day 1.\n\n"Drive slow" #KPPolice'


def fb_row(post_id: str, **values: str) -> dict[str, str]:
    row = {
        "Post ID": post_id,
        "Page ID": "100066300057039",
        "Page name": "KP Police",
        "Duration (sec)": "0",
        "Caption type": "N/A",
        "Permalink": f"https://www.facebook.com/KPPolice/posts/{post_id}",
        "Is crosspost": "0",
        "Is share": "0",
        "Post type": "Photos",
        "Date": "Lifetime",
        "Publish time": "03/01/2025 10:00",
    }
    row.update(values)
    return row


def ig_row(post_id: str, **values: str) -> dict[str, str]:
    row = {
        "Post ID": post_id,
        "Account ID": "17841446494080465",
        "Account username": "kp_police_official",
        "Account name": "KP Police",
        "Duration (sec)": "0",
        "Permalink": "https://www.instagram.com/p/DHX59q4MjC_/",
        "Post type": "IG image",
        "Date": "Lifetime",
        "Publish time": "03/19/2025 01:03",
    }
    row.update(values)
    return row


def write_bulk_files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {}
    files["fb31"] = write_content(
        folder / "Jan-01-2025_Mar-31-2025_1396269028466733.csv",
        FB_POSTS_31,
        [
            # row 2: 19-digit id; 05:14 PKT is 00:14 UTC
            fb_row(ID_19, Title=CAPTION, **{"Publish time": "03/01/2025 05:14"},
                   Views="40", Reach="15", **{"Reactions, Comments and Shares": "3"},
                   Reactions="2", Comments="1", Shares="0", **{"Total clicks": "0"}),
            # row 3: 18-digit id, a reel: video_views = Views
            fb_row(ID_18, **{"Post type": "Reels", "Publish time": "03/02/2025 23:30"},
                   Views="243", Reach="121", Reactions="5", Comments="2", Shares="1",
                   **{"Seconds viewed": "3499.947"}),
            # row 4: a link post of another page in the same file
            fb_row("222222222222222222", **{"Post type": "Links", "Page name": "KP Police Mardan",
                   "Link Clicks": "7"}, Views="47", Reach="19", Reactions="1"),
            # row 5: ragged, 27 of 31 fields (the last four missing)
            fb_row("333333333333333333", Views="20", Reach="9", Reactions="0",
                   **{"Seconds viewed": "5.5", "_fields": "27"}),
            # row 6: Reach unreadable -> quarantined
            fb_row("444444444444444444", Views="10", Reach="abc"),
            # row 7: not lifetime totals -> quarantined
            fb_row("555555555555555555", Date="03/05/2025", Views="10", Reach="5"),
        ],
    )  # fmt: skip
    # The same post (row 2 above) in the next month's export.
    files["fb31_april"] = write_content(
        folder / "Apr-01-2025_Apr-30-2025_1396269028466733.csv",
        FB_POSTS_31,
        [fb_row(ID_19, Title=CAPTION, Views="55", Reach="20", Reactions="4")],
    )
    files["fb38"] = write_content(
        folder / "Feb-01-2025_Feb-28-2025_1111111111111111.csv",
        FB_POSTS_38,
        [
            fb_row("9876543210987654321", **{"Post type": "Text", "Views#2": "0",
                   "Reach from Organic posts": "80"}, Views="120", Reach="80", Reactions="4"),
        ],
    )  # fmt: skip
    intervals = {
        f"Percentage of total views at interval {n}": str(100 - 2.5 * n) for n in range(41)
    }
    files["video212"] = write_content(
        folder / "videos.csv",
        fb_videos_212(),
        [
            # row 2: a reel, Views given: video_views = 1500
            fb_row("", **{"Video asset ID": "1122334455667788", "Universal video ID": "987654321",
                   "Post type": "Reels", "Publish time": "03/10/2025 14:00",
                   "Reactions, comments and shares": "60", "3-second video views": "700",
                   "3-second video views by country (Pakistan (PK))": "500",
                   "3-second video views by country (United Arab Emirates (AE))": "100",
                   **intervals}, Views="1500", Reach="900", Reactions="40", Comments="12",
                   Shares="8"),
            # row 3: no post type, no Views: a video; video_views = 3-second views
            fb_row("", **{"Video asset ID": "1122334455667799", "Post type": "",
                   "3-second video views": "300"}, Reach="250"),
        ],
    )  # fmt: skip
    files["fb304"] = write_content(
        folder / "Mar-01-2025_Mar-31-2025_2222222222222222.csv",
        fb_posts_304(),
        [
            fb_row("5555555555555555555", **{"Post type": "Videos",
                   "3-second video views by country (Pakistan (PK))": "400"},
                   Reach="300", Views="650", Reactions="30"),
        ],
    )  # fmt: skip
    files["ig_a"] = write_content(
        folder / "Mar-01-2025_Mar-31-2025_3333333333333333.csv",
        IG_POSTS_A,
        [
            ig_row("18355151116178767", **{"Post type": "IG carousel"}, Views="100",
                   Reach="80", Likes="30", Shares="2", Comments="3", Saves="4", Follows="2"),
            ig_row("18068710030723886", **{"Post type": "IG reel",
                   "Account username": "kp_traffic", "Account ID": "17841400000000001"},
                   Views="166", Reach="152", Likes="1", Shares="0", Comments="0", Saves="0"),
        ],
    )  # fmt: skip
    files["ig_b"] = write_content(
        folder / "Apr-01-2025_Apr-30-2025_3333333333333333.csv",
        IG_POSTS_B,
        [ig_row("18080349922642130", Reach="56", Likes="4", Shares="1", Follows="", Comments="5",
                Saves="6", Views="72")],
    )  # fmt: skip
    # T00/T01 flip inside one file.
    files["reach"] = write_insights_daily(
        folder / "Reach.csv",
        "Facebook reach",
        [
            ("2025-01-01T01:00:00", "16"),
            ("2025-01-02T01:00:00", "20"),
            ("2025-01-03T00:00:00", "31"),
            ("2025-01-04T00:00:00", "12"),
            ("2025-01-05T01:00:00", "9"),
        ],
    )
    files["visits"] = write_insights_daily(
        folder / "Visits.csv",
        "Instagram profile visits",
        [("2025-01-01T00:00:00", "3"), ("2025-01-02T01:00:00", "7")],
    )
    files["views_no_platform"] = write_insights_daily(
        folder / "Views.csv", "Views", [("2025-01-01T01:00:00", "50")]
    )
    files["no_post_id"] = write_content(
        folder / "no post id.csv",
        [h for h in FB_POSTS_31 if h != "Post ID"],
        [fb_row("", Views="1", Reach="1")],
    )
    files["excel_ids"] = write_content(
        folder / "excel.csv",
        FB_POSTS_31,
        [fb_row("1.23457E+18", Views="1", Reach="1")],
    )
    files["audience"] = write_audience(
        folder / "Audience.csv",
        [("18-24", "12.5", "30.1")],
        [("Pakistan", "85.2"), ("Qatar", "2")],
        [("Peshawar, Khyber Pakhtunkhwa, Pakistan", "30.1"), ("Mardan", "9")],
    )
    files["legacy"] = write_legacy_insights(
        folder / "Facebook Insights Data Export - KP Police - 2019-03-02.csv",
        [
            # date, lifetime likes, new likes, unlikes, engaged d/w/28, reach d/w/28,
            # impressions d/w, link clicks (unique users), link clicks (total count)
            ["2019-03-01", "5000", "12", "3", "150", "900", "3000", "2000", "9000", "30000",
             "4500", "20000", "40", "55"],
            ["2019-03-02", "5009", "10", "1", "140", "910", "3010", "2100", "9100", "30100",
             "4600", "20100", "41", "57"],
        ],
    )  # fmt: skip
    return files


@pytest.fixture(scope="module")
def bulk(tmp_path_factory):
    """One warehouse, one load of every fixture file above."""
    root = tmp_path_factory.mktemp("meta")
    files = write_bulk_files(root / "exports")
    warehouse = root / "wh" / "warehouse.duckdb"
    report = load_paths(list(files.values()), warehouse=warehouse, context=make_context(now=NOW))
    return {"files": files, "warehouse": warehouse, "report": report}


def results(bulk) -> dict[str, object]:
    return {f.file_name: f for f in bulk["report"].files}


def post(bulk, post_id: str, snapshot: str | None = None) -> pd.Series:
    sql = POSTS + " where post_id = ?" + (" and snapshot_at = ?" if snapshot else "")
    params = [post_id, pd.Timestamp(snapshot)] if snapshot else [post_id]
    rows = read_warehouse(bulk["warehouse"], sql, params)
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_fixture_headers_have_the_spec_widths():
    assert (len(FB_POSTS_31), len(FB_POSTS_38), len(IG_POSTS_A), len(IG_POSTS_B)) == (
        31,
        38,
        18,
        18,
    )
    assert (len(fb_videos_212()), len(fb_posts_304())) == (212, 304)
    assert Counter(FB_POSTS_38)["Views"] == 2


def test_each_variant_is_recognised_from_its_content(bulk):
    kinds = {name: r.kind for name, r in results(bulk).items()}
    files = bulk["files"]
    assert kinds[files["fb31"].name] == "Meta Facebook posts"
    assert kinds[files["fb38"].name] == "Meta Facebook posts"
    assert kinds[files["fb304"].name] == "Meta Facebook posts"
    # Named videos.csv: nothing in the name says Meta; the header does.
    assert kinds[files["video212"].name] == "Meta Facebook videos"
    assert kinds[files["ig_a"].name] == "Meta Instagram posts"
    assert kinds[files["ig_b"].name] == "Meta Instagram posts"
    assert kinds[files["reach"].name] == "Meta Insights daily metric"
    assert kinds[files["legacy"].name] == "Facebook Page Insights (legacy)"
    loaded = {r.file_name: (r.rows_read, r.quarantined) for r in bulk["report"].files}
    # fb31: 6 rows, rows 6 (Reach abc) and 7 (Date not Lifetime) quarantined.
    assert loaded[files["fb31"].name] == (6, 2)
    assert loaded[files["video212"].name] == (2, 0)
    assert loaded[files["reach"].name] == (5, 0)


def test_facebook_posts_values_ids_and_times(bulk):
    first = post(bulk, ID_19, "2025-03-31 19:00")
    assert (first["platform"], first["account"], first["source"]) == (
        "Facebook",
        "KP Police",
        "meta_content",
    )
    # 03/01/2025 05:14 in Karachi (UTC+5) is 00:14 UTC.
    assert first["published_at"] == pd.Timestamp("2025-03-01 00:14", tz="UTC")
    assert first["post_type"] == "photo"
    assert first["post_text"] == CAPTION
    # Views -> impressions; Reactions -> reactions; a photo has no video views.
    assert (first["impressions"], first["reach"], first["reactions"], first["comments"]) == (
        40,
        15,
        2,
        1,
    )
    assert pd.isna(first["video_views"])
    reel = post(bulk, ID_18)
    # 23:30 PKT on 2 March is 18:30 UTC the same day.
    assert reel["published_at"] == pd.Timestamp("2025-03-02 18:30", tz="UTC")
    assert (reel["post_type"], reel["video_views"], reel["impressions"]) == ("reel", 243, 243)
    assert json.loads(reel["extra"])["other"]["Seconds viewed"] == 3499.947
    link = post(bulk, "222222222222222222")
    assert (link["account"], link["post_type"], link["link_clicks"]) == (
        "KP Police Mardan",
        "link",
        7,
    )
    ids = set(
        read_warehouse(bulk["warehouse"], "select post_id from raw.social_post_snapshots")[
            "post_id"
        ]
    )
    assert {ID_19, ID_18, "9876543210987654321", "5555555555555555555"} <= ids


def test_ragged_row_is_loaded_with_blanks(bulk):
    ragged = post(bulk, "333333333333333333")
    assert (ragged["impressions"], ragged["reach"], ragged["_source_row"]) == (20, 9, 5)
    # "Seconds viewed" is field 28 of 31: cut off, so it is not in extra.
    assert "Seconds viewed" not in json.loads(ragged["extra"])["other"]


def test_views_twice_first_is_impressions_second_kept_aside(bulk):
    row = post(bulk, "9876543210987654321")
    assert (row["impressions"], row["reach"], row["post_type"]) == (120, 80, "text")
    other = json.loads(row["extra"])["other"]
    assert other["Views (2)"] == 0
    assert other["Reach from Organic posts"] == 80


def test_video_export_retention_and_countries_in_extra(bulk):
    reel = post(bulk, "1122334455667788")
    assert (reel["source"], reel["post_type"], reel["video_views"], reel["impressions"]) == (
        "meta_video",
        "reel",
        1500,
        1500,
    )
    # No period in the name "videos.csv": the snapshot is the load's clock.
    assert reel["snapshot_at"] == pd.Timestamp(NOW)
    extra = json.loads(reel["extra"])
    # Interval n holds 100 - 2.5 n: 0 -> 100, 40 -> 0.
    assert len(extra["retention"]) == 41
    assert (extra["retention"]["0"], extra["retention"]["40"]) == (100.0, 0.0)
    assert extra["by_country"] == {"3-second video views": {"PK": 500.0, "AE": 100.0}}
    assert extra["other"]["Universal video ID"] == "987654321"
    plain = post(bulk, "1122334455667799")
    assert (plain["post_type"], plain["video_views"]) == ("video", 300)
    assert pd.isna(plain["impressions"])


def test_wide_export_in_another_order(bulk):
    row = post(bulk, "5555555555555555555")
    assert (row["reach"], row["impressions"], row["video_views"], row["reactions"]) == (
        300,
        650,
        650,
        30,
    )
    assert json.loads(row["extra"])["by_country"]["3-second video views"] == {"PK": 400.0}


def test_instagram_both_orders_and_several_accounts(bulk):
    carousel = post(bulk, "18355151116178767")
    # Likes -> reactions, Saves -> saves, Views -> impressions.
    assert (carousel["account"], carousel["post_type"]) == ("kp_police_official", "carousel")
    assert (carousel["reactions"], carousel["saves"], carousel["impressions"]) == (30, 4, 100)
    assert json.loads(carousel["extra"])["other"]["Follows"] == 2
    # Account IDs are 17 digits: kept as text, not a rounded number.
    assert json.loads(carousel["extra"])["other"]["Account ID"] == "17841446494080465"
    reel = post(bulk, "18068710030723886")
    assert (reel["account"], reel["post_type"], reel["video_views"]) == ("kp_traffic", "reel", 166)
    other_order = post(bulk, "18080349922642130")
    assert (other_order["reach"], other_order["comments"], other_order["saves"]) == (56, 5, 6)
    assert other_order["impressions"] == 72
    # Apr-30 export: midnight after 30 April in Karachi is 19:00 UTC on the 30th.
    assert other_order["snapshot_at"] == pd.Timestamp("2025-04-30 19:00", tz="UTC")


def test_same_post_in_two_exports_is_two_snapshots(bulk):
    rows = read_warehouse(
        bulk["warehouse"], POSTS + " where post_id = ? order by snapshot_at", [ID_19]
    )
    assert rows["snapshot_at"].tolist() == [
        pd.Timestamp("2025-03-31 19:00", tz="UTC"),
        pd.Timestamp("2025-04-30 19:00", tz="UTC"),
    ]
    assert rows["impressions"].tolist() == [40, 55]


def test_reloading_a_file_changes_nothing(bulk, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(bulk["warehouse"], warehouse)
    before = file_digest(warehouse)
    report = load_paths([bulk["files"]["fb31"]], warehouse=warehouse, context=make_context(now=NOW))
    assert report.files[0].outcome == "already loaded"
    assert file_digest(warehouse) == before


def test_bad_rows_are_quarantined_with_their_reason(bulk):
    quarantine = read_warehouse(
        bulk["warehouse"],
        "select record_id, source_row, column_name, reason from meta.quarantine "
        "where source_file = ? order by source_row",
        [bulk["files"]["fb31"].name],
    )
    assert quarantine["record_id"].tolist() == ["444444444444444444", "555555555555555555"]
    assert quarantine["source_row"].tolist() == [6, 7]
    assert quarantine.loc[0, "column_name"] == "reach"
    assert "reach 'abc' is not a number" in quarantine.loc[0, "reason"]
    assert "Date is '03/05/2025', not 'Lifetime'" in quarantine.loc[1, "reason"]
    stored = read_warehouse(
        bulk["warehouse"], POSTS + " where post_id in (?, ?)", ["444444444444444444", ID_18]
    )
    assert stored["post_id"].tolist() == [ID_18]


def test_rejected_files_name_what_is_wrong(bulk):
    by_name = results(bulk)
    files = bulk["files"]
    missing = by_name[files["no_post_id"].name]
    assert missing.outcome == "rejected"
    assert "column Post ID" in missing.message and "Post ID is missing" in missing.message
    excel = by_name[files["excel_ids"].name]
    assert excel.outcome == "rejected"
    assert "'1.23457E+18'" in excel.message and "row 2" in excel.message
    views = by_name[files["views_no_platform"].name]
    assert views.outcome == "rejected"
    # Line 2 of the file is the title "Views".
    assert "row 2" in views.message and "'Views'" in views.message
    assert "no platform (Facebook or Instagram) is named in the title" in views.message
    audience = by_name[files["audience"].name]
    assert audience.outcome == "rejected" and "row 2" in audience.message
    for result in (missing, excel, views, audience):
        assert "\n" not in result.message and "Traceback" not in result.message


def test_insights_daily_reads_calendar_dates(bulk):
    rows = read_warehouse(
        bulk["warehouse"],
        DAILY + " where source = 'meta_insights' and platform = 'Facebook' order by metric_date",
    )
    assert rows["metric_date"].dt.date.tolist() == [date(2025, 1, d) for d in range(1, 6)]
    assert rows["value"].tolist() == [16, 20, 31, 12, 9]
    assert set(rows["metric"]) == {"reach"}
    # No --account: the settings' default account.
    assert set(rows["account"]) == {load_settings().social["default_account"]}
    visits = read_warehouse(
        bulk["warehouse"], DAILY + " where platform = 'Instagram' order by metric_date"
    )
    assert visits["metric"].tolist() == ["profile_visits", "profile_visits"]
    assert visits["value"].tolist() == [3, 7]


def test_overlapping_insights_files_keep_both_rows_in_load_order(bulk, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(bulk["warehouse"], warehouse)
    later = write_insights_daily(
        tmp_path / "Reach (1).csv",
        "Facebook reach",
        # 5 January revised from 9 to 11 by Meta; 6 January new.
        [("2025-01-05T00:00:00", "11"), ("2025-01-06T01:00:00", "30")],
    )
    load_paths([later], warehouse=warehouse, context=make_context(now=NOW))
    jan5 = read_warehouse(
        warehouse,
        DAILY + " where metric = 'reach' and platform = 'Facebook' and metric_date = ? "
        "order by _load_seq",
        [date(2025, 1, 5)],
    )
    assert jan5["value"].tolist() == [9, 11]
    assert jan5["_source_file"].tolist() == ["Reach.csv", "Reach (1).csv"]
    assert jan5["_load_seq"].is_monotonic_increasing and jan5["_load_seq"].nunique() == 2


def test_legacy_page_insights_maps_daily_columns_only(bulk):
    rows = read_warehouse(
        bulk["warehouse"],
        DAILY + " where source = 'meta_page_insights' order by metric_date, metric",
    )
    first = rows[rows["metric_date"].dt.date == date(2019, 3, 1)].set_index("metric")["value"]
    # Daily columns and the lifetime likes; link clicks from the Total Count column (55,
    # not the Unique Users column's 40); no weekly/28-day or engaged-users values.
    assert first.to_dict() == {
        "followers": 5000,
        "impressions": 4500,
        "link_clicks": 55,
        "new_followers": 12,
        "reach": 2000,
        "unfollows": 3,
    }
    # Row 2 (descriptions) is not data: day rows are 3 and 4.
    assert sorted(set(rows["_source_row"])) == [3, 4]
    assert len(rows) == 12


def test_legacy_notes_list_what_is_kept_aside(bulk):
    table = read_table(bulk["files"]["legacy"])
    prepared = meta.MetaPageInsightsLegacy().prepare(table, make_context(now=NOW))
    notes = " | ".join(prepared.notes)
    assert "row 2 holds column descriptions" in notes
    for header in ("Weekly Page Engaged Users", "28 Days Total Reach", "Weekly Total Impressions"):
        assert header in notes
    assert "Daily Page Engaged Users" in notes


def test_stated_platform_loads_titles_without_one(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    views = write_insights_daily(folder / "Views.csv", "Views", [("2025-01-01T01:00:00", "50")])
    audience = write_audience(
        folder / "Audience.csv",
        [("18-24", "12.5", "30.1"), ("25-34", "8", "20")],
        [("Pakistan", "85.2"), ("United Arab Emirates", "5.1")],
        [("Peshawar, Khyber Pakhtunkhwa, Pakistan", "30.1"), ("Mardan, KP, Pakistan", "9.5")],
    )
    context = make_context(now=NOW, platform="Facebook")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    report = load_paths([views, audience], warehouse=warehouse, context=context)
    assert [f.outcome for f in report.files] == ["loaded", "loaded"], [
        f.line() for f in report.files
    ]
    daily = read_warehouse(warehouse, DAILY).iloc[0]
    # Title "Views" is Meta's 2025 name for impressions.
    assert (daily["platform"], daily["metric"], daily["value"]) == ("Facebook", "impressions", 50)
    shares = read_warehouse(
        warehouse,
        "select dimension, category, gender, share, _source_row as source_row "
        "from raw.social_audience order by _source_row, gender",
    )
    # Lines: 1 sep=, 2 title, 3 header, 4 18-24, 5 25-34, 6 blank, 7 "Top countries",
    # 8 names, 9 percentages, 10 blank, 11 "Top cities", 12 names, 13 percentages.
    expected = [
        ("age_gender", "18-24", "female", 0.125, 4),
        ("age_gender", "18-24", "male", 0.301, 4),
        ("age_gender", "25-34", "female", 0.08, 5),
        ("age_gender", "25-34", "male", 0.2, 5),
        ("country", "Pakistan", None, 0.852, 9),
        ("country", "United Arab Emirates", None, 0.051, 9),
        ("city", "Peshawar, Khyber Pakhtunkhwa, Pakistan", None, 0.301, 13),
        ("city", "Mardan, KP, Pakistan", None, 0.095, 13),
    ]
    got = [
        (r.dimension, r.category, None if pd.isna(r.gender) else r.gender, r.share, r.source_row)
        for r in shares.itertuples()
    ]
    assert [g[:3] + g[4:] for g in got] == [e[:3] + e[4:] for e in expected]
    assert [g[3] for g in got] == pytest.approx([e[3] for e in expected])
    assert set(
        read_warehouse(warehouse, "select platform from raw.social_audience")["platform"]
    ) == {"Facebook"}


def test_legacy_bad_value_is_quarantined(tmp_path):
    # A good day beside the bad one: a file none of whose rows pass loads nothing.
    bad = write_legacy_insights(
        tmp_path / "legacy.csv",
        [["2019-03-01", "5000", "12", "3", "150", "900", "3000", "abc", "9000", "30000",
          "4500", "20000", "40", "55"],
         ["2019-03-02", "5009", "10", "1", "140", "910", "3010", "2100", "9100", "30100",
          "4600", "20100", "41", "57"]],
    )  # fmt: skip
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    load_paths([bad], warehouse=warehouse, context=make_context(now=NOW))
    quarantine = read_warehouse(warehouse, "select source_row, reason from meta.quarantine")
    assert quarantine["source_row"].tolist() == [3]
    assert "'abc'" in quarantine.loc[0, "reason"]


def test_audience_bad_share_is_quarantined(tmp_path):
    audience = write_audience(
        tmp_path / "Audience.csv", [("18-24", "abc", "30.1")], [("Pakistan", "85")], []
    )
    context = make_context(now=NOW, platform="Instagram")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    load_paths([audience], warehouse=warehouse, context=context)
    quarantine = read_warehouse(warehouse, "select source_row, reason from meta.quarantine")
    assert quarantine["source_row"].tolist() == [4]
    assert "'abc' is not a percentage" in quarantine.loc[0, "reason"]


def test_audience_with_ten_countries_and_cities(tmp_path):
    # Meta lists about ten countries and cities: rows far wider than the
    # three-column age & gender table above them. The file must still be read.
    countries = [(f"Country {n}", str(n)) for n in range(1, 11)]
    cities = [(f"City {n}, Khyber Pakhtunkhwa, Pakistan", str(n)) for n in range(1, 11)]
    path = write_audience(tmp_path / "Audience.csv", [("18-24", "40", "60")], countries, cities)
    context = make_context(now=NOW, platform="Facebook")
    frame = meta.MetaAudience().prepare(read_table(path), context).frame
    pairs = frame[frame["dimension"] != "age_gender"]
    # Country n and city n hold n percent: shares n / 100, 1..10 for each dimension.
    assert Counter(pairs["dimension"]) == {"country": 10, "city": 10}
    assert pairs["share"].sum() == pytest.approx(2 * sum(range(1, 11)) / 100)
    assert pairs[pairs["dimension"] == "city"]["category"].iloc[9] == cities[9][0]


def test_audience_tables_of_one_city_and_unknown_sections(tmp_path):
    # A top-cities table of one city has one-cell rows; they are data, not titles.
    # Lines: 1 sep=, 2 title, 3 header, 4 18-24, 5 blank, 6 "Top countries",
    # 7 names, 8 percentages, 9 blank, 10 "Top cities", 11 city, 12 "100",
    # 13 "Top languages" (unknown: kept aside), 14 "Urdu".
    path = write_audience(tmp_path / "Audience.csv", [("18-24", "40", "60")],
                          [("Pakistan", "99.5")], [("Peshawar", "100")])  # fmt: skip
    path.write_bytes(path.read_bytes() + '"Top languages"\n"Urdu"\n'.encode("utf-16-le"))
    context = make_context(now=NOW, platform="Instagram")
    prepared = meta.MetaAudience().prepare(read_table(path), context)
    frame = prepared.frame
    got = list(zip(frame["dimension"], frame["category"], frame["share"], frame["_source_row"],
                   strict=True))  # fmt: skip
    assert got == [
        ("age_gender", "18-24", 0.4, 4),
        ("age_gender", "18-24", 0.6, 4),
        ("country", "Pakistan", 0.995, 8),
        ("city", "Peshawar", 1.0, 12),
    ]
    assert set(frame["platform"]) == {"Instagram"}
    assert any("Top languages" in note and "row 13" in note for note in prepared.notes)


# --- Pure helpers -------------------------------------------------------


def test_period_in_meta_file_names():
    assert meta.meta_period("Jan-14-2025_Apr-14-2025_1396269028466733.csv") == (
        date(2025, 1, 14),
        date(2025, 4, 14),
    )
    # Inside a zip: "<zip> » <member>"; a browser's " (1)" suffix.
    assert meta.meta_period("export.zip » Mar-18-2025_Apr-14-2025_1019826952924933 (1).csv") == (
        date(2025, 3, 18),
        date(2025, 4, 14),
    )
    assert meta.meta_period("Reach.csv") is None
    assert meta.meta_period("Feb-30-2025_Mar-01-2025_1.csv") is None


def test_snapshot_is_capped_at_the_load_clock():
    context = make_context(now=datetime(2025, 4, 14, 10, 0, tzinfo=UTC))
    when, note = meta.meta_snapshot("Jan-14-2025_Apr-14-2025_1.csv", context)
    # Midnight after 14 April in Karachi is 19:00 UTC on the 14th: later than now.
    assert when == datetime(2025, 4, 14, 10, 0, tzinfo=UTC)
    assert "end of the export period" in note


def test_insights_titles():
    assert meta.insights_metric("Facebook reach") == "reach"
    assert meta.insights_metric("Instagram profile visits") == "profile_visits"
    assert meta.insights_metric("Content interactions") == "engagements"
    assert meta.insights_metric("Facebook follows") == "new_followers"
    assert meta.insights_metric("Facebook Page likes") is None
    assert meta.platform_in(["Instagram profile visits"]) == "Instagram"
    assert meta.platform_in(["Content interactions"]) is None
    assert meta.platform_in(["Facebook and Instagram reach"]) is None


# --- Conformance on the real samples ---------------------------------------

FB_SAMPLE = "meta_facebook_posts_Jan-14-2025_Apr-14-2025_1396269028466733.csv"
IG_SAMPLE = "meta_instagram_posts_Mar-18-2025_Apr-14-2025_1019826952924933.csv"
REACH_SAMPLE = "meta_insights_Reach.csv"


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    paths = [SAMPLES / name for name in (FB_SAMPLE, IG_SAMPLE, REACH_SAMPLE)]
    if not all(p.exists() for p in paths):
        pytest.skip("the shared Meta samples are not here")
    warehouse = tmp_path_factory.mktemp("samples") / "warehouse.duckdb"
    report = load_paths(paths, warehouse=warehouse, context=make_context(now=NOW))
    return {"warehouse": warehouse, "report": report}


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _total(rows: list[dict[str, str]], column: str) -> float:
    return sum(float(r[column]) for r in rows if r.get(column) not in (None, ""))


def test_conformance_facebook_sample(samples):
    rows = _csv_rows(FB_SAMPLE)
    stored = read_warehouse(samples["warehouse"], POSTS + " where platform = 'Facebook'")
    assert len(stored) == len(rows)
    assert set(stored["post_id"]) == {r["Post ID"] for r in rows}
    for column, vendor in (
        ("reach", "Reach"),
        ("impressions", "Views"),
        ("reactions", "Reactions"),
        ("comments", "Comments"),
        ("shares", "Shares"),
        ("link_clicks", "Link Clicks"),
    ):
        assert stored[column].sum() == _total(rows, vendor), column
    reels = [r for r in rows if r["Post type"] in ("Reels", "Videos")]
    assert stored["video_views"].sum() == _total(reels, "Views")
    assert Counter(stored["post_type"]) == Counter(
        {"Photos": "photo", "Reels": "reel", "Links": "link"}[r["Post type"]] for r in rows
    )


def test_conformance_instagram_sample(samples):
    rows = _csv_rows(IG_SAMPLE)
    stored = read_warehouse(samples["warehouse"], POSTS + " where platform = 'Instagram'")
    assert len(stored) == len(rows)
    assert set(stored["post_id"]) == {r["Post ID"] for r in rows}
    for column, vendor in (
        ("reach", "Reach"),
        ("impressions", "Views"),
        ("reactions", "Likes"),
        ("saves", "Saves"),
        ("comments", "Comments"),
    ):
        assert stored[column].sum() == _total(rows, vendor), column
    assert set(stored["account"]) == {r["Account username"] for r in rows}


def test_conformance_insights_sample(samples):
    with (SAMPLES / REACH_SAMPLE).open(encoding="utf-16", newline="") as handle:
        lines = list(csv.reader(handle))
    # Line 1 sep=, line 2 the title, line 3 the header; blank lines carry nothing.
    title, data = lines[1][0], [r for r in lines[3:] if r]
    stored = read_warehouse(samples["warehouse"], DAILY + " order by metric_date")
    assert title == "Facebook reach"
    assert len(stored) == len(data)
    assert stored["value"].sum() == sum(float(v) for _, v in data)
    assert [d.isoformat() for d in stored["metric_date"].dt.date] == [d[:10] for d, _ in data]
    assert set(stored["metric"]) == {"reach"} and set(stored["platform"]) == {"Facebook"}
    assert not samples["report"].rejected
