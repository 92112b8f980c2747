"""YouTube Studio exports through the real ETL: table, chart, totals and the zip."""

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
    write_excel_resaved_totals,
    write_youtube_zip,
    youtube_chart_text,
    youtube_table_text,
    youtube_totals_text,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
POSTS = "select * from raw.social_post_snapshots order by post_id"
DAILY = "select * from raw.social_account_daily order by source, metric_date, metric"
QUARANTINE = "select * from meta.quarantine order by source_row"

# Content, Video title, Video publish time, Duration, Views, Watch time (hours),
# Subscribers, Impressions, Impressions click-through rate (%)
VIDEOS = [
    ["UWQNrpakgcA", "Road safety week, Peshawar", "Aug 28, 2025", "9", "30331", "45.8772", "14"]
    + ["456", "3.51"],
    ["-i5vAKwX_bY", "Khidmat Markaz: how to get a certificate", "Aug 5, 2025", "54", "4717"]
    + ["26.2948", "-3", "173", "1.16"],
    ["_hVP92r3z3I", "Open court, Swat", "Aug 29, 2025", "15", "--", "0", "0", "-", "0"],
]
TOTAL = ["", "", "", "35048", "72.1720", "11", "629", "2.11"]


def _load(paths, warehouse, **context):
    report = load_paths(paths, warehouse=warehouse, context=make_context(**{"now": NOW, **context}))
    assert not report.rejected, [f.line() for f in report.files]
    return report


@pytest.fixture
def warehouse(tmp_path):
    return tmp_path / "wh" / "warehouse.duckdb"


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_table_data_drops_total_keeps_ids_and_negative_subscribers(tmp_path, warehouse):
    bad = ["bCDnDtsTHAk", "Bad row", "Aug 30, 2025", "10", "abc", "1", "0", "5", "1"]
    # Excel shows "-abc..." without Studio's leading space as a broken formula.
    name = ["#NAME?", "Lost id", "Aug 30, 2025", "10", "5", "1", "0", "5", "1"]
    path = _write(tmp_path / "Table data.csv", youtube_table_text([*VIDEOS, bad, name], TOTAL))
    assert b"\n -i5vAKwX_bY," in path.read_bytes()  # Studio's leading space
    report = _load([path], warehouse, account="KP Police YouTube")
    result = report.files[0]
    # 5 videos read (the Total row is not a row), 3 loaded, 2 quarantined.
    assert (result.kind, result.rows_read, result.inserted, result.quarantined) == (
        "YouTube Studio table data",
        5,
        3,
        2,
    )
    posts = read_warehouse(warehouse, POSTS).set_index("post_id")
    assert sorted(posts.index) == sorted(["UWQNrpakgcA", "-i5vAKwX_bY", "_hVP92r3z3I"])
    assert "Total" not in posts.index
    first = posts.loc["UWQNrpakgcA"]
    assert (first["platform"], first["account"], first["source"]) == (
        "YouTube",
        "KP Police YouTube",
        "youtube_table",
    )
    assert (first["video_views"], first["impressions"]) == (30331, 456)
    assert first["permalink"] == "https://www.youtube.com/watch?v=UWQNrpakgcA"
    # Aug 28, 2025 00:00 PKT = Aug 27 19:00 UTC.
    assert first["published_at"] == pd.Timestamp("2025-08-27 19:00", tz="UTC")
    extra = json.loads(first["extra"])
    assert extra["watch_hours"] == pytest.approx(45.8772) and extra["duration_seconds"] == 9
    dash = posts.loc["-i5vAKwX_bY"]
    assert json.loads(dash["extra"])["subscribers"] == -3  # negative kept, aside
    assert dash["video_views"] == 4717
    placeholders = posts.loc["_hVP92r3z3I"]
    assert pd.isna(placeholders["video_views"]) and pd.isna(placeholders["impressions"])
    quarantine = read_warehouse(warehouse, QUARANTINE)
    # Header row 1, Total row 2, three videos rows 3-5, "abc" row 6, "#NAME?" row 7.
    assert quarantine["source_row"].tolist() == [6, 7]
    assert quarantine["record_id"].tolist() == ["bCDnDtsTHAk", "#NAME?"]
    assert "video_views 'abc' is not a number" in quarantine["reason"].iloc[0]
    assert "content '#NAME?' is not a YouTube video id" in quarantine["reason"].iloc[1]


def test_total_row_is_noted_not_quarantined(tmp_path):
    path = _write(tmp_path / "Table data.csv", youtube_table_text(VIDEOS, TOTAL))
    check = inspect_file(path, make_context(now=NOW))
    assert check.quarantined == 0 and check.rows_read == 3
    assert 2 not in set(check.prepared.frame["_source_row"])
    assert any("row 2" in note and "Total" in note for note in check.prepared.notes)
    only_total = _write(tmp_path / "empty.csv", youtube_table_text([], TOTAL))
    error = inspect_file(only_total, make_context(now=NOW)).error
    assert error is not None and error.one_line() == (
        "empty.csv, row 2: the file holds only Studio's Total row: no videos to load"
    )


def test_columns_are_matched_by_name_in_any_choice(tmp_path):
    header = ("Content", "Views", "Likes", "Comments added", "Average view duration")
    rows = [["UWQNrpakgcA", "100", "7", "2", "0:00:15"]]
    text = youtube_table_text(rows, ["100", "7", "2", ""], header)
    check = inspect_file(_write(tmp_path / "Table data.csv", text), make_context(now=NOW))
    assert check.quarantined == 0
    post = check.valid.iloc[0]
    assert (post["video_views"], post["reactions"], post["comments"]) == (100, 7, 2)
    assert pd.isna(post["published_at"])
    assert json.loads(post["extra"]) == {"Average view duration": "0:00:15"}


CHART = [
    # Date, Content, Video title, Video publish time, Duration, Views
    ["2025-08-28", "UWQNrpakgcA", "Road safety week, Peshawar", "Aug 28, 2025", "9", "1200"],
    ["2025-08-28", "-i5vAKwX_bY", "Khidmat Markaz", "Aug 5, 2025", "54", "300"],
    ["2025-08-29", "UWQNrpakgcA", "Road safety week, Peshawar", "Aug 28, 2025", "9", "800"],
    ["2025-08-29", "-i5vAKwX_bY", "Khidmat Markaz", "Aug 5, 2025", "54", "-"],
]
TOTALS = [["2025-08-28", "2000"], ["2025-08-29", "1500"]]


def test_studio_zip_loads_all_three_files(tmp_path, warehouse):
    archive = write_youtube_zip(
        tmp_path / "Content 2025-08-01_2025-08-31 KP Police.zip",
        {
            "Table data.csv": youtube_table_text(VIDEOS, TOTAL),
            "Chart data.csv": youtube_chart_text(CHART),
            "Totals.csv": youtube_totals_text(TOTALS),
        },
    )
    report = _load([archive], warehouse)
    kinds = {f.file_name.split(" » ")[-1]: (f.kind, f.outcome) for f in report.files}
    assert kinds == {
        "Table data.csv": ("YouTube Studio table data", "loaded"),
        "Chart data.csv": ("YouTube Studio chart data", "loaded"),
        "Totals.csv": ("YouTube Studio totals", "loaded"),
    }
    posts = read_warehouse(warehouse, POSTS)
    assert len(posts) == 3
    # The zip's period ends 31 Aug: 1 Sep 00:00 PKT = 31 Aug 19:00 UTC.
    assert set(posts["snapshot_at"]) == {pd.Timestamp("2025-08-31 19:00", tz="UTC")}
    assert set(posts["_source_file"]) == {
        "Content 2025-08-01_2025-08-31 KP Police.zip » Table data.csv"
    }
    daily = read_warehouse(warehouse, DAILY)
    chart = daily[daily["source"] == "youtube_chart"].set_index("metric_date")["value"]
    # 28 Aug: 1200 + 300; 29 Aug: 800 + (placeholder, not counted).
    assert chart.to_dict() == {pd.Timestamp("2025-08-28"): 1500, pd.Timestamp("2025-08-29"): 800}
    totals = daily[daily["source"] == "youtube_totals"].set_index("metric_date")["value"]
    assert totals.to_dict() == {pd.Timestamp("2025-08-28"): 2000, pd.Timestamp("2025-08-29"): 1500}
    assert set(daily["metric"]) == {"video_views"} and set(daily["account"]) == {"KP Police"}


def test_chart_bad_number_fails_its_row_and_holds_back_its_day(tmp_path):
    rows = [*CHART[:3], [*CHART[3][:5], "abc"]]
    check = inspect_file(
        _write(tmp_path / "Chart data.csv", youtube_chart_text(rows)), make_context(now=NOW)
    )
    failures = check.validation.failures
    assert failures["_source_row"].tolist() == [5]  # the "abc" row, not the day's first
    assert "'abc' is not a number" in failures["reason"].iloc[0]
    assert check.valid["metric_date"].tolist() == [pd.Timestamp("2025-08-28")]


def test_excel_resaved_totals_read_day_first(tmp_path, warehouse):
    path = write_excel_resaved_totals(
        tmp_path / "Totals.csv",
        [["12-08-2025", "100"], ["13-08-2025", "NAN"], ["14-08-2025", "90"]],
    )
    assert b"\r\n" in path.read_bytes()
    _load([path], warehouse)
    daily = read_warehouse(warehouse, DAILY).set_index("metric_date")["value"]
    # 13-08-2025 can only be 13 August: day first.
    assert list(daily.index) == [pd.Timestamp(f"2025-08-{d}") for d in (12, 13, 14)]
    assert daily.iloc[0] == 100 and pd.isna(daily.iloc[1]) and daily.iloc[2] == 90


def test_excel_resaved_totals_settled_by_consecutive_days(tmp_path):
    path = write_excel_resaved_totals(
        tmp_path / "Totals.csv", [["01-08-2025", "5"], ["02-08-2025", "6"], ["03-08-2025", "7"]]
    )
    prepared = inspect_file(path, make_context(now=NOW)).prepared
    # Day first gives 1-3 Aug (consecutive); month first would give 8 Jan, 8 Feb, 8 Mar.
    dates = prepared.frame["metric_date"].tolist()
    assert dates == [pd.Timestamp(f"2025-08-0{d}") for d in (1, 2, 3)]
    assert any("read day first" in note for note in prepared.notes)


def test_ambiguous_excel_dates_are_rejected_not_guessed(tmp_path, warehouse):
    path = write_excel_resaved_totals(tmp_path / "Totals.csv", [["05-06-2025", "5"]])
    report = load_paths([path], warehouse=warehouse, context=make_context(now=NOW))
    result = report.files[0]
    assert result.outcome == "rejected"
    assert "Totals.csv, row 2, column Date:" in result.message
    assert "'05-06-2025'" in result.message and "download the export again" in result.message
    assert not warehouse.exists()


@pytest.mark.skipif(
    not (SAMPLES / "youtube_Table data.csv").exists(), reason="shared samples not present"
)
def test_conformance_with_the_real_table_data_export(tmp_path, warehouse):
    sample = SAMPLES / "youtube_Table data.csv"
    with sample.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    videos = [r for r in rows if r["Content"] != "Total"]
    assert len(videos) == len(rows) - 1
    # The sample was exported in June 2026 (latest publish date 11 Jun 2026).
    report = _load([sample], warehouse, now=datetime(2026, 7, 1, tzinfo=UTC))
    assert (report.files[0].rows_read, report.files[0].quarantined) == (len(videos), 0)
    got = read_warehouse(
        warehouse,
        "select count(*) as n, count(distinct post_id) as ids, sum(video_views) as views, "
        "sum(impressions) as impressions, "
        "sum(cast(json_extract(extra, '$.subscribers') as double)) as subscribers, "
        "sum(cast(json_extract(extra, '$.watch_hours') as double)) as hours "
        "from raw.social_post_snapshots",
    ).iloc[0]
    assert got["n"] == got["ids"] == len(videos)
    assert got["views"] == sum(int(r["Views"]) for r in videos)
    assert got["impressions"] == sum(int(r["Impressions"]) for r in videos)
    assert got["subscribers"] == sum(int(r["Subscribers"]) for r in videos)
    assert got["hours"] == pytest.approx(sum(float(r["Watch time (hours)"]) for r in videos))
    ids = set(read_warehouse(warehouse, "select post_id from raw.social_post_snapshots")["post_id"])
    assert ids == {r["Content"].strip() for r in videos}
