"""A tiny, hand-checkable social warehouse, built through the real models.

Rows go straight into the raw tables of ``etl/sql/migrations/0002_social.sql``
(and a few register rows into ``raw.inquiry_register`` for S6) inside
``etl.warehouse.new_version``, which then builds staging and marts with
the project's own SQL. Tests compute what to expect from the literal rows
below with plain pandas or by hand, never with the code under test.

Times are UTC; Asia/Karachi (PKT) is UTC+5. March 2025 (PKT dates) is the
main period, February the previous one. What the rows are for:

* FB1 has two snapshots (10 March and 1 April): only the later one counts,
  never their sum. FB2 reports saves: Facebook does not count them.
* FB5 is published 2025-02-28 19:30 UTC = 1 March 00:30 PKT: a March post.
* FB3 and X3 have fewer than 500 impressions: below S5's default floor.
* X2's snapshot was loaded twice (load 2, then a re-download in load 3
  with higher counts): the later load wins. X1 and X3 come from X's
  content file (a date without a time): no hour-of-week.
* Instagram posts give reach but no impressions (rate basis reach);
  TikTok gives only video views (rate basis video_views).
* Daily rows: Facebook's 3 March comes in loads 1 and 2 (load 2 wins);
  YouTube's 2 March video views come from Totals (load 1) and Chart data
  (load 2): Totals wins despite the later load.
* Audience: two Facebook age & gender snapshots (only the later counts)
  and one country snapshot (the latest of its dimension).
* Register: social items Q1-Q4 and Q6 and an email item Q5 (S6 joins
  R3/R4 for social channels only).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from etl.sources.inquiries import REGISTER_COLUMNS
from etl.sources.social import AUDIENCE_COLUMNS, DAILY_COLUMNS, POST_COLUMNS
from etl.warehouse import new_version
from metrics.filters import Filters

MARCH = Filters(date(2025, 3, 1), date(2025, 3, 31))
FEBRUARY = Filters(date(2025, 2, 1), date(2025, 2, 28))
NOW = datetime(2025, 4, 15, 12, 0, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


SNAP_MID = utc("2025-03-09 19:00")  # 10 March 00:00 PKT
SNAP_END = utc("2025-03-31 19:00")  # 1 April 00:00 PKT

# (load_seq, source, platform, account, post_id, snapshot_at, published_at,
#  post_type, post_text, permalink, impressions, reach, reactions, comments,
#  shares, saves, link_clicks, video_views, extra)
# fmt: off
POSTS: list[tuple[Any, ...]] = [
    # Facebook: basis impressions; engagements = reactions + comments + shares
    (1, "meta_content", "Facebook", "KP Police", "1001", SNAP_MID, utc("2025-03-03 05:00"),
     "photo", "Road safety week #RoadSafety #KPPolice", "https://facebook.com/p/1001",
     500, 300, 20, 5, 5, None, 7, None, '{"other": {"Custom labels": "Road Safety"}}'),
    (2, "meta_content", "Facebook", "KP Police", "1001", SNAP_END, utc("2025-03-03 05:00"),
     "photo", "Road safety week #RoadSafety #KPPolice", "https://facebook.com/p/1001",
     1000, 600, 40, 10, 10, None, 12, None, '{"other": {"Custom labels": "Road Safety"}}'),
    (2, "meta_content", "Facebook", "KP Police", "1002", SNAP_END, utc("2025-03-05 13:30"),
     "reel", "Eid security plan #kppolice", "https://facebook.com/r/1002",
     2000, 1500, 100, 30, 20, 999, None, 1800,
     '{"other": {"Custom labels": "Eid, Road Safety"}}'),
    (2, "meta_content", "Facebook", "KP Police", "1003", SNAP_END, utc("2025-03-20 04:00"),
     "link", "Apply for a character certificate online", "https://facebook.com/p/1003",
     400, 350, 30, 6, 4, None, 50, None, None),
    (2, "meta_content", "Facebook", "KP Police", "1004", SNAP_END, utc("2025-02-10 07:00"),
     "photo", "February post #KPPolice", "https://facebook.com/p/1004",
     800, 500, 20, 4, 0, None, None, None, None),
    (2, "meta_content", "Facebook", "KP Police", "1005", SNAP_END, utc("2025-02-28 19:30"),
     "photo", "#RoadSafety night patrol", "https://facebook.com/p/1005",
     600, 400, 12, 3, 3, None, None, None, None),
    # X: basis impressions; engagements = likes + replies + reposts + bookmarks
    (2, "x_content", "X", "KPPolice", "1888000000000000001", SNAP_END,
     utc("2025-03-02 19:00"), None, "Helpline 15 #KPPolice",
     "https://x.com/KPPolice/status/1888000000000000001",
     1000, None, 10, 2, 3, 5, 20, None, None),
    (2, "x_tweet_activity", "X", "KPPolice", "1888000000000000002", SNAP_END,
     utc("2025-03-10 09:15"), None, "#RoadSafety reminders #KPPolice",
     "https://x.com/KPPolice/status/1888000000000000002",
     4000, None, 40, 8, 16, 16, 30, None, None),
    (3, "x_tweet_activity", "X", "KPPolice", "1888000000000000002", SNAP_END,
     utc("2025-03-10 09:15"), None, "#RoadSafety reminders #KPPolice",
     "https://x.com/KPPolice/status/1888000000000000002",
     5000, None, 50, 10, 20, 20, 40, None, None),
    (2, "x_content", "X", "KPPolice", "1888000000000000003", SNAP_END,
     utc("2025-03-24 19:00"), None, "Thank you Peshawar",
     "https://x.com/KPPolice/status/1888000000000000003",
     300, None, 30, 0, 0, 0, 0, None, None),
    (2, "x_content", "X", "KPPolice", "1888000000000000004", SNAP_END,
     utc("2025-02-14 19:00"), None, "February #KPPolice",
     "https://x.com/KPPolice/status/1888000000000000004",
     2000, None, 30, 5, 5, 0, 1, None, None),
    # Instagram: reach only; engagements = likes + comments + shares + saves
    (2, "meta_content", "Instagram", "kppolice.official", "1790001", SNAP_END,
     utc("2025-03-12 15:00"), "reel", "Women's help desk #WomenSafety",
     "https://instagram.com/reel/1790001", None, 1000, 50, 10, 5, 15, None, 900, None),
    (2, "meta_content", "Instagram", "kppolice.official", "1790002", SNAP_END,
     utc("2025-03-14 06:00"), "photo", "Open court in Mardan #KPPolice",
     "https://instagram.com/p/1790002", None, 500, 10, 2, 0, 3, None, None, None),
    # YouTube (January: outside both periods): rate basis reach (unique
    # viewers), never its thumbnail impressions; a date without a time
    (2, "youtube_table", "YouTube", "KP Police", "UWQNrpakgcA", SNAP_END,
     utc("2025-01-19 19:00"), None, "Consistency is the key #Shorts",
     "https://www.youtube.com/watch?v=UWQNrpakgcA", 456, 2000, 300, 20, 10, None, None,
     30331, None),
    # TikTok: video views only; engagements = likes + comments + shares + favorites
    (2, "tiktok_content", "TikTok", "KP Police", "7480000000000000001", SNAP_END,
     utc("2025-03-18 14:19:10"), None, "Traffic tips #RoadSafety #ٹریفک",
     "https://www.tiktok.com/@kppolice/video/7480000000000000001",
     None, None, 500, 50, 100, 50, None, 10000, None),
]

# (load_seq, source, platform, account, metric_date, metric, value, source_row)
DAILY: list[tuple[Any, ...]] = [
    # Facebook: file A (load 1) covers 1-3 March, file B (load 2) 3-4 March.
    (1, "meta_insights", "Facebook", "KP Police", "2025-02-28", "followers", 10000, 2),
    (1, "meta_insights", "Facebook", "KP Police", "2025-03-01", "new_followers", 10, 3),
    (1, "meta_insights", "Facebook", "KP Police", "2025-03-02", "new_followers", 20, 4),
    (1, "meta_insights", "Facebook", "KP Police", "2025-03-03", "new_followers", 30, 5),
    (1, "meta_insights", "Facebook", "KP Police", "2025-03-01", "unfollows", 1, 6),
    (1, "meta_insights", "Facebook", "KP Police", "2025-03-02", "unfollows", 2, 7),
    (1, "meta_insights", "Facebook", "KP Police", "2025-03-03", "unfollows", 3, 8),
    (1, "meta_insights", "Facebook", "KP Police", "2025-03-03", "reach", 500, 9),
    (2, "meta_insights", "Facebook", "KP Police", "2025-03-03", "new_followers", 35, 2),
    (2, "meta_insights", "Facebook", "KP Police", "2025-03-03", "unfollows", 5, 3),
    (2, "meta_insights", "Facebook", "KP Police", "2025-03-03", "reach", 700, 4),
    (2, "meta_insights", "Facebook", "KP Police", "2025-03-04", "new_followers", 40, 5),
    (2, "meta_insights", "Facebook", "KP Police", "2025-03-04", "unfollows", 4, 6),
    (2, "meta_insights", "Facebook", "KP Police", "2025-03-04", "reach", 800, 7),
    (2, "meta_insights", "Facebook", "KP Police", "2025-03-31", "followers", 10150, 8),
    # X: flows, but no follower count: growth unknown
    (2, "x_overview", "X", "KPPolice", "2025-03-05", "new_followers", 12, 2),
    (2, "x_overview", "X", "KPPolice", "2025-03-05", "unfollows", 2, 3),
    (2, "x_overview", "X", "KPPolice", "2025-03-05", "impressions", 3000, 4),
    # Instagram: follower counts only: growth from their change
    (2, "meta_insights", "Instagram", "kppolice.official", "2025-02-27", "followers", 5000, 2),
    (2, "meta_insights", "Instagram", "kppolice.official", "2025-03-30", "followers", 5100, 3),
    # TikTok: first count inside the period (9 March); nets after it count
    (2, "tiktok_followers", "TikTok", "KP Police", "2025-03-09", "followers", 2000, 2),
    (2, "tiktok_overview", "TikTok", "KP Police", "2025-03-09", "net_followers", 7, 2),
    (2, "tiktok_overview", "TikTok", "KP Police", "2025-03-10", "net_followers", 50, 3),
    (2, "tiktok_overview", "TikTok", "KP Police", "2025-03-11", "net_followers", -5, 4),
    # YouTube: Totals (load 1) beats Chart data (load 2) for the same day
    (1, "youtube_totals", "YouTube", "KP Police", "2025-03-02", "video_views", 900, 2),
    (2, "youtube_chart", "YouTube", "KP Police", "2025-03-02", "video_views", 400, 2),
]

# (load_seq, platform, account, snapshot_at, dimension, category, gender, share)
AUDIENCE: list[tuple[Any, ...]] = [
    (1, "Facebook", "KP Police", utc("2025-03-01 00:00"), "age_gender", "18-24", "male", 0.6),
    (1, "Facebook", "KP Police", utc("2025-03-01 00:00"), "age_gender", "18-24", "female", 0.4),
    (1, "Facebook", "KP Police", utc("2025-03-01 00:00"), "country", "Pakistan", None, 0.9),
    (2, "Facebook", "KP Police", utc("2025-04-01 00:00"), "age_gender", "18-24", "female", 0.1),
    (2, "Facebook", "KP Police", utc("2025-04-01 00:00"), "age_gender", "18-24", "male", 0.3),
    (2, "Facebook", "KP Police", utc("2025-04-01 00:00"), "age_gender", "25-34", "female", 0.2),
    (2, "Facebook", "KP Police", utc("2025-04-01 00:00"), "age_gender", "25-34", "male", 0.4),
]

# Register items (PKT = UTC+5; business hours Mon-Sat 09:00-17:00 PKT; no
# Pakistani holiday falls on 4-7 March 2025).
# (inquiry_id, channel, received_at, first_response_at, status)
INQUIRIES: list[tuple[Any, ...]] = [
    # Tue 4 Mar 10:00 -> 10:20 PKT: 20 business = 20 calendar minutes
    ("Q1", "Facebook", utc("2025-03-04 05:00"), utc("2025-03-04 05:20"), "resolved"),
    # Wed 5 Mar 11:00 -> 12:00 PKT: 60 = 60
    ("Q2", "X", utc("2025-03-05 06:00"), utc("2025-03-05 07:00"), "resolved"),
    # Thu 6 Mar 16:30 -> Fri 7 Mar 09:30 PKT: 30 + 30 = 60 business, 1020 calendar
    ("Q3", "WhatsApp", utc("2025-03-06 11:30"), utc("2025-03-07 04:30"), "resolved"),
    # Thu 6 Mar 12:00 PKT, never answered
    ("Q4", "Facebook", utc("2025-03-06 07:00"), None, "open"),
    # Tue 4 Mar 10:00 -> 10:05 PKT by email: not social
    ("Q5", "Email", utc("2025-03-04 05:00"), utc("2025-03-04 05:05"), "resolved"),
    # needs no reply
    ("Q6", "Facebook", utc("2025-03-05 06:00"), None, "no_reply_needed"),
]
# fmt: on


def _lineage(frame: pd.DataFrame, file_stem: str) -> pd.DataFrame:
    frame = frame.copy()
    seq = frame.pop("load_seq")
    frame["_row_hash"] = [f"hash-{i}" for i in range(len(frame))]
    frame["_source_file"] = [f"{file_stem}-{s}.csv" for s in seq]
    frame["_source_sha256"] = [f"sha-{s}" for s in seq]
    if "_source_row" not in frame:
        frame["_source_row"] = range(2, len(frame) + 2)
    frame["_load_id"] = [f"load-{s}" for s in seq]
    frame["_load_seq"] = seq
    frame["_loaded_at"] = [utc("2025-04-02 00:00")] * len(frame)
    return frame


def posts_frame() -> pd.DataFrame:
    """``POSTS`` as raw.social_post_snapshots rows (without lineage)."""
    return pd.DataFrame(POSTS, columns=["load_seq", "source", *POST_COLUMNS])


def daily_frame() -> pd.DataFrame:
    columns = ["load_seq", "source", *DAILY_COLUMNS, "_source_row"]
    frame = pd.DataFrame(DAILY, columns=columns)
    frame["metric_date"] = pd.to_datetime(frame["metric_date"]).dt.date
    frame["value"] = frame["value"].astype(float)
    return frame


def audience_frame() -> pd.DataFrame:
    return pd.DataFrame(AUDIENCE, columns=["load_seq", *AUDIENCE_COLUMNS])


def register_frame() -> pd.DataFrame:
    rows = []
    for inquiry_id, channel, received, replied, status in INQUIRIES:
        row: dict[str, Any] = dict.fromkeys(REGISTER_COLUMNS)
        row.update(
            inquiry_id=inquiry_id,
            received_at=received,
            channel=channel,
            category="inquiry",
            district="Peshawar",
            requester_gender="female",
            language="Urdu",
            priority="normal",
            first_response_at=replied,
            resolved_at=replied if status == "resolved" else None,
            status=status,
        )
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))
    for column in REGISTER_COLUMNS:
        if column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
    frame.insert(0, "load_seq", 1)
    return frame


def _insert(con, table: str, frame: pd.DataFrame, source: str | None = None) -> None:
    if source is not None:
        frame.insert(0, "source", source)
    con.register("rows", frame)
    columns = ", ".join(frame.columns)
    con.execute(f"insert into {table} ({columns}) select {columns} from rows")
    con.unregister("rows")


def _shifted(frame: pd.DataFrame, shift: timedelta) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if column.endswith("_at") and column != "_loaded_at":
            frame[column] = pd.to_datetime(frame[column], utc=True) + shift
        elif column == "metric_date":
            frame[column] = [d + shift for d in frame[column]]
    return frame


def build_social_warehouse(path: Path, *, shift: timedelta = timedelta(0)) -> Path:
    """Write the fixture into a new warehouse at ``path``; marts built by the real SQL.

    ``shift`` moves every date and time by whole days (the browser test
    moves March 2025 to last month, the dashboard's default period).
    """
    frames = {
        "raw.social_post_snapshots": (posts_frame(), "posts", None),
        "raw.social_account_daily": (daily_frame(), "daily", None),
        "raw.social_audience": (audience_frame(), "audience", "meta_audience"),
        "raw.inquiry_register": (register_frame(), "register", "register"),
    }
    with new_version(path) as con:
        for table, (frame, stem, source) in frames.items():
            _insert(con, table, _lineage(_shifted(frame, shift), stem), source)
    return path


def shift_to_month_before(today: date) -> timedelta:
    """Whole days that move 1 March 2025 to the first day of the month before ``today``."""
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return first - MARCH.start


# Engagements as docs/warehouse.md defines them, written out here for the
# tests: reactions + comments + shares, plus saves on these platforms.
COUNTS_SAVES = {"Facebook": False, "Instagram": True, "X": True, "YouTube": False, "TikTok": True}
RATE_BASIS = {
    "Facebook": "impressions",
    "X": "impressions",
    "Instagram": "reach",
    "YouTube": "reach",
    "TikTok": "video_views",
}


def expected_posts() -> pd.DataFrame:
    """One row per post from ``POSTS`` in plain pandas: the latest snapshot
    (latest load of it), engagements and rate as documented."""
    frame = posts_frame().sort_values(["snapshot_at", "load_seq"])
    frame["n_snapshots"] = frame.groupby(["platform", "account", "post_id"])[
        "snapshot_at"
    ].transform("nunique")
    keys = ["platform", "account", "post_id"]
    latest = frame.drop_duplicates(keys, keep="last").reset_index(drop=True)
    parts = latest[["reactions", "comments", "shares"]].astype(float)
    saves = latest["saves"].astype(float).where(latest["platform"].map(COUNTS_SAVES), 0.0)
    latest["engagements"] = parts.fillna(0).sum(axis=1) + saves.fillna(0)
    latest["engagement_rate_basis"] = latest["platform"].map(RATE_BASIS)
    denominators = [row[row["engagement_rate_basis"]] for _, row in latest.iterrows()]
    latest["denominator"] = pd.Series(denominators, dtype=float).values
    latest["engagement_rate"] = latest["engagements"] / latest["denominator"]
    pkt = pd.to_datetime(latest["published_at"], utc=True).dt.tz_convert("Asia/Karachi")
    latest["published_date"] = pkt.dt.date
    latest["published_pkt"] = pkt
    return latest


def shared_social_warehouse(tmp_path_factory: Any) -> Path:
    """The fixture warehouse, built once per test session and shared read-only.

    Test modules that only read it call this from their module fixture (the
    project's conftest.py is not this fixture's to extend); a module that
    changes a warehouse builds or copies its own.
    """
    path = tmp_path_factory.getbasetemp() / "social_fixture" / "warehouse.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_social_warehouse(path)
    return path
