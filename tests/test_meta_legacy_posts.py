"""The legacy Facebook Insights post-level export ("Export data → Post data"):
recognised from its content, loaded as post snapshots into the social marts.

Expected values come from the fixture files themselves, read with the
``csv`` module (never with the project's code), or are worked out by hand
in comments. Posted times are Pacific time, as Facebook wrote them:
PST is UTC-8, PDT (from 12 March 2017) UTC-7.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from etl.load import inspect_file, load_paths, make_context
from tests.etl_helpers import read_warehouse
from tests.social_fixtures_meta import LEGACY_POST_COLUMNS, legacy_post_row, write_legacy_posts

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
KIND = "Facebook Page Insights posts (legacy)"
NAME = "Facebook Insights Data Export (Post Level) - KP Police - {} - {}.csv"
PAGE = "100200300400500"
CAPTION = 'Road safety week, day 1.\n"Drive slow" — سڑک پر احتیاط کریں #KPPolice #RoadSafety'
REACH = "Lifetime Post Total Reach"
IMPRESSIONS = "Lifetime Post Total Impressions"
STORIES = "Lifetime Post Stories by action type - {}"
TALKING = "Lifetime Talking About This (Post) by action type - {}"
# Facebook's Type -> the canonical post type, by hand.
TYPES = {
    "Photo": "photo",
    "Video": "video",
    "Shared Video": "video",
    "Link": "link",
    "Status": "text",
}


def pid(n: int) -> str:
    return f"{PAGE}_{n}"


def counts(reach: int, impressions: int, like: str, comment: str, share: str) -> dict[str, str]:
    """Reach, impressions and Post Stories by action type ('' = none); Talking
    About This is given lower on purpose: the loader must read the Stories."""
    values = {REACH: str(reach), IMPRESSIONS: str(impressions)}
    for action, value in (("like", like), ("comment", comment), ("share", share)):
        values[STORIES.format(action)] = value
        values[TALKING.format(action)] = str(int(value) - 1) if value and int(value) > 1 else value
    return values


def first_half_rows(grown: int = 0) -> list[list[str]]:
    """January to June 2017 (and one post of December 2016 seen in it)."""
    return [
        legacy_post_row(pid(1001), **{"Post Message": CAPTION, "Type": "Photo",
                        "Permalink": f"https://www.facebook.com/KPPolice/posts/{1001}",
                        "Posted": "3/14/2017 9:05"},
                        **counts(12000 + grown, 25000 + grown, "400", "35", "60")),
        legacy_post_row(pid(1002), **{"Post Message": "Eid security plan", "Type": "Video",
                        "Posted": "1/5/2017 18:30", "Lifetime Organic Video Views": "15000",
                        "Lifetime Organic Video Views#2": "11000",
                        "Lifetime Average time video viewed": "21000"},
                        **counts(30000, 52000, "900", "120", "300")),
        legacy_post_row(pid(1003), **{"Post Message": "Apply online: https://kp.example/cc",
                        "Type": "Link", "Posted": "6/29/2017 23:59",
                        "Lifetime Post Consumptions by type - link clicks": "320",
                        "Lifetime Post consumers by type - link clicks": "280"},
                        **counts(5000, 8000, "50", "4", "")),
        legacy_post_row(pid(1004), **{"Post Message": "Helpline 15 is open", "Type": "Status",
                        "Posted": "12/1/2016 21:00"}, **counts(800, 950, "", "", "")),
        legacy_post_row(pid(1005), **{"Post Message": "Shared from KP Traffic",
                        "Type": "Shared Video", "Posted": "2/20/2017 7:00"},
                        **counts(2200, 3100, "20", "1", "2")),
        legacy_post_row(pid(1006), **{"Type": "Photo", "Posted": "4/2/2017 12:00"},
                        **counts(1500, 2100, "30", "", "1")),
    ]  # fmt: skip


def file_posts(path: Path) -> list[dict[str, str]]:
    """The file's posts as the csv module reads them: row 1 names, row 2
    descriptions, then one row per post."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:8] == [""] * 8 and rows[1][8].startswith("Lifetime:")
    return [dict(zip(rows[0], row, strict=True)) for row in rows[2:]]


def number(text: str) -> int:
    return int(text) if text.strip() else 0


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("legacy_posts")
    path = write_legacy_posts(root / NAME.format("2017-01-01", "2017-06-30"), first_half_rows())
    warehouse = root / "wh" / "warehouse.duckdb"
    report = load_paths([path], warehouse=warehouse, context=make_context(now=NOW))
    return {"path": path, "warehouse": warehouse, "report": report, "root": root}


def test_recognised_and_every_post_loaded(loaded):
    posts = file_posts(loaded["path"])
    (result,) = loaded["report"].files
    assert (result.kind, result.outcome, result.quarantined) == (KIND, "loaded", 0), result.line()
    assert result.rows_read == len(posts) == result.inserted
    raw = read_warehouse(loaded["warehouse"], "select * from raw.social_post_snapshots")
    marts = read_warehouse(loaded["warehouse"], "select * from marts.social_posts")
    for frame in (raw, marts):
        assert len(frame) == len(posts)
        assert set(frame["post_id"]) == {p["Post ID"] for p in posts}
        assert frame["reach"].sum() == sum(int(p[REACH]) for p in posts)
        assert frame["impressions"].sum() == sum(int(p[IMPRESSIONS]) for p in posts)
    assert set(raw["source"]) == {"meta_post_insights"}
    assert set(marts["platform"]) == {"Facebook"}


def test_description_row_is_not_a_post(loaded):
    raw = read_warehouse(loaded["warehouse"], "select * from raw.social_post_snapshots")
    quarantine = read_warehouse(loaded["warehouse"], "select * from meta.quarantine")
    # Row 1 names, row 2 describes: posts are rows 3 to 8.
    assert sorted(raw["_source_row"]) == list(range(3, 3 + len(file_posts(loaded["path"]))))
    assert quarantine.empty
    assert raw["post_id"].notna().all()
    (result,) = loaded["report"].files
    assert any("row 2 holds column descriptions" in note for note in result.notes)


def test_engagements_from_post_stories_by_action_type(loaded):
    posts = {p["Post ID"]: p for p in file_posts(loaded["path"])}
    marts = read_warehouse(loaded["warehouse"], "select * from marts.social_posts")
    for row in marts.itertuples():
        post = posts[row.post_id]
        like, comment, share = (
            number(post[STORIES.format(a)]) for a in ("like", "comment", "share")
        )
        # An empty by-action-type cell is none of that action: 0, not unknown.
        assert (row.reactions, row.comments, row.shares) == (like, comment, share)
        assert row.engagements == like + comment + share
        assert row.engagement_rate_basis == "impressions"
        assert row.engagement_rate == pytest.approx(
            (like + comment + share) / int(post[IMPRESSIONS])
        )


def test_post_time_type_text_link_and_snapshot(loaded):
    posts = file_posts(loaded["path"])
    marts = read_warehouse(loaded["warehouse"], "select * from marts.social_posts").set_index(
        "post_id"
    )
    # 14 March 2017 09:05 PDT (UTC-7) is 16:05 UTC; 5 January 18:30 PST (UTC-8) is 02:30
    # UTC on the 6th; 1 December 2016 21:00 PST is 05:00 UTC on the 2nd.
    assert marts.loc[pid(1001), "published_at"] == pd.Timestamp("2017-03-14 16:05", tz="UTC")
    assert marts.loc[pid(1002), "published_at"] == pd.Timestamp("2017-01-06 02:30", tz="UTC")
    assert marts.loc[pid(1004), "published_at"] == pd.Timestamp("2016-12-02 05:00", tz="UTC")
    assert bool(marts["has_publish_time"].all())
    assert Counter(marts["post_type"]) == Counter(TYPES[p["Type"]] for p in posts)
    assert marts.loc[pid(1001), "post_text"] == CAPTION
    assert list(marts.loc[pid(1001), "hashtags"]) == ["kppolice", "roadsafety"]
    assert marts.loc[pid(1001), "permalink"] == "https://www.facebook.com/KPPolice/posts/1001"
    assert pd.isna(marts.loc[pid(1006), "post_text"])
    # Link clicks: the Total Count column (320), not the people who clicked (280).
    assert marts.loc[pid(1003), "link_clicks"] == 320
    # Period 1 January to 30 June 2017: midnight after 30 June in PDT is 07:00 UTC.
    assert set(marts["snapshot_at"]) == {pd.Timestamp("2017-07-01 07:00", tz="UTC")}


def test_other_columns_kept_in_extra_with_repeated_names_told_apart(loaded):
    raw = read_warehouse(
        loaded["warehouse"],
        "select json_extract(extra, '$.other') as other from raw.social_post_snapshots "
        "where post_id = ?",
        [pid(1002)],
    )
    other = json.loads(raw.loc[0, "other"])
    assert other["Lifetime Organic Video Views"] == 15000
    assert other["Lifetime Organic Video Views (2)"] == 11000
    (result,) = loaded["report"].files
    notes = " | ".join(result.notes)
    assert "'Lifetime Organic Video Views (2)' is Unique Users" in notes
    assert "Lifetime Post Stories by action type - like" in notes


def test_a_second_load_of_the_same_file_changes_nothing(loaded, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(loaded["warehouse"], warehouse)
    sql = "select * from raw.social_post_snapshots order by post_id"
    before = read_warehouse(warehouse, sql)
    marts_before = read_warehouse(warehouse, "select * from marts.social_posts order by post_id")
    again = load_paths([loaded["path"]], warehouse=warehouse, context=make_context(now=NOW))
    assert [f.outcome for f in again.files] == ["already loaded"]
    pd.testing.assert_frame_equal(read_warehouse(warehouse, sql), before)
    pd.testing.assert_frame_equal(
        read_warehouse(warehouse, "select * from marts.social_posts order by post_id"),
        marts_before,
    )


def test_snapshots_replace_or_add_but_are_never_summed(loaded, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(loaded["warehouse"], warehouse)
    folder = tmp_path / "exports"
    folder.mkdir()
    # The same period downloaded again later (counts grew by 100): same snapshot.
    again = write_legacy_posts(
        folder / NAME.format("2017-01-01", "2017-06-30 (1)"), first_half_rows(grown=100)
    )
    # March to September: posts 1001 and 1003 again, and a new one.
    later = write_legacy_posts(
        folder / NAME.format("2017-03-01", "2017-09-30"),
        [
            legacy_post_row(pid(1001), **{"Type": "Photo", "Posted": "3/14/2017 9:05"},
                            **counts(13000, 27000, "450", "40", "70")),
            legacy_post_row(pid(1003), **{"Type": "Link", "Posted": "6/29/2017 23:59"},
                            **counts(5100, 8200, "52", "4", "1")),
            legacy_post_row(pid(1007), **{"Type": "Photo", "Posted": "9/9/2017 10:00"},
                            **counts(700, 900, "12", "", "")),
        ],
    )  # fmt: skip
    report = load_paths([again, later], warehouse=warehouse, context=make_context(now=NOW))
    assert [f.outcome for f in report.files] == ["loaded", "loaded"], [
        f.line() for f in report.files
    ]
    # Latest snapshot per post: the later export's where it has the post, else the re-download.
    latest = {p["Post ID"]: p for p in file_posts(again)} | {
        p["Post ID"]: p for p in file_posts(later)
    }
    marts = read_warehouse(warehouse, "select * from marts.social_posts")
    assert len(marts) == len(latest)
    assert marts["reach"].sum() == sum(int(p[REACH]) for p in latest.values())
    snapshots = read_warehouse(
        warehouse,
        "select snapshot_at, count(*) as n from staging.social_posts group by all order by 1",
    )
    # Midnight after 30 June (PDT) and after 30 September (PDT), in UTC.
    assert snapshots["snapshot_at"].tolist() == [
        pd.Timestamp("2017-07-01 07:00", tz="UTC"),
        pd.Timestamp("2017-10-01 07:00", tz="UTC"),
    ]
    assert snapshots["n"].tolist() == [len(file_posts(again)), len(file_posts(later))]
    first = marts.set_index("post_id").loc[pid(1001)]
    assert (first["reach"], first["n_snapshots"]) == (13000, 2)


def test_older_layout_falls_back_to_talking_about_this(tmp_path):
    # A 2013 layout: no Audience Targeting, no Post Stories columns.
    wanted = (
        ["Post ID", "Permalink", "Post Message", "Type", "Countries", "Languages", "Posted"]
        + [REACH, "Lifetime Post organic reach", "Lifetime Post Paid Reach", IMPRESSIONS]
        + ["Lifetime Engaged Users"]
        + [TALKING.format(a) for a in ("comment", "like", "share")]
    )
    described = dict(LEGACY_POST_COLUMNS)
    columns = [(name, described[name]) for name in wanted]
    path = write_legacy_posts(
        tmp_path / "posts.csv",
        [
            legacy_post_row(pid(2001), columns, Type="Photo", Posted="5/6/2015 10:00",
                            **counts(900, 1200, "31", "6", "3")),
            legacy_post_row(pid(2002), columns, Type="Photo", Posted="5/7/2015 10:00",
                            **{REACH: "abc", IMPRESSIONS: "10"}),
            # As the reader writes a date cell of the export's Excel version.
            legacy_post_row(pid(2003), columns, Type="Link", Posted="2015-05-08 10:00:00",
                            **counts(400, 500, "", "", "")),
        ],
        columns,
    )  # fmt: skip
    check = inspect_file(path, make_context(now=NOW))
    assert check.kind == KIND and check.error is None
    frame = check.prepared.frame.set_index("post_id")
    # counts() gives Talking About This one less than Stories: 30, 5, 2.
    assert frame.loc[pid(2001), ["reactions", "comments", "shares"]].tolist() == [30, 5, 2]
    assert any(TALKING.format("like") in note for note in check.prepared.notes)
    # 8 May 2015 10:00 PDT (UTC-7) is 17:00 UTC.
    assert frame.loc[pid(2003), "published_at"] == pd.Timestamp("2015-05-08 17:00", tz="UTC")
    failures = check.validation.failures
    assert failures["_source_row"].tolist() == [4]
    assert "reach 'abc' is not a number" in failures["reason"].iloc[0]


def test_dates_rewritten_day_first_are_refused(tmp_path):
    path = write_legacy_posts(
        tmp_path / "posts.csv",
        [
            legacy_post_row(pid(3001), Type="Photo", Posted="3/4/2017 10:00", **counts(1, 1, "", "", "")),
            legacy_post_row(pid(3002), Type="Photo", Posted="14/03/2017 10:00", **counts(1, 1, "", "", "")),
        ],
    )  # fmt: skip
    check = inspect_file(path, make_context(now=NOW))
    assert check.kind == KIND and check.error is not None
    message = check.error.one_line()
    assert "Posted '14/03/2017 10:00' is day first" in message and "row 4" in message
    assert "\n" not in message
