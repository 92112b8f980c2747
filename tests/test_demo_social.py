"""The social demo exports: the vendors' exact layouts, consistent numbers, a crisis week.

Everything is checked from the written files with the ``csv`` module,
``codecs`` and ``zipfile``, as someone who has never seen
``etl/demo/social/`` would read them; expected headers are copied from
``/work/shared/spec/export-formats.md``, not from the generator. One test
loads the folder through the real ETL.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import statistics
import time
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from etl.demo import crisis_week_start
from etl.demo.social import write_social_demo_files
from etl.readers import read_table

END = date(2025, 11, 28)
LAST_DAY = END - timedelta(days=1)
CRISIS = crisis_week_start(END)  # Monday 2025-07-28: 120 days back, then to Monday
CRISIS_DAYS = {CRISIS + timedelta(days=k) for k in range(7)}
CRISIS_TAGS = ("#Kurram", "#Orakzai", "#Hangu")

# Headers exactly as the spec quotes them (quoting included where it shows it).
FACEBOOK_31 = (
    '"Post ID","Page ID","Page name",Title,Description,"Duration (sec)","Publish time",'
    '"Caption type",Permalink,"Is crosspost","Is share","Post type",Languages,'
    '"Custom labels","Funded content status","Data comment",Date,Views,Reach,'
    '"Reactions, Comments and Shares",Reactions,Comments,Shares,"Total clicks",'
    '"Link Clicks","Other Clicks","Matched Audience Targeting Consumption (Photo Click)",'
    '"Seconds viewed","Average Seconds viewed","Estimated earnings (USD)","Ad impressions"'
)
INSTAGRAM_A = (
    '"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)",'
    '"Publish time",Permalink,"Post type","Data comment",Date,Views,Reach,Likes,Shares,'
    "Comments,Saves,Follows"
)
INSTAGRAM_B = (
    '"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)",'
    '"Publish time",Permalink,"Post type","Data comment",Date,Reach,Likes,Shares,Follows,'
    "Comments,Saves,Views"
)
X_EARLY = (
    "Post id,Date,Post text,Link,Impressions,Likes,Engagements,Bookmarks,Share,New follows,"
    "Replies,Reposts,Profile visits,Detail expands,Url clicks,Hashtag clicks,Permalink clicks"
)
X_LATE = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
    "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
    "Permalink Clicks"
)
X_OVERVIEW = (
    "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,"
    "Reposts,Profile visits,Create Post,Video views,Media views"
)
YOUTUBE_TABLE = (
    "Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,"
    "Impressions,Impressions click-through rate (%)"
)
YOUTUBE_CHART = "Date,Content,Video title,Video publish time,Duration,Views"
TIKTOK_OVERVIEW = (
    "Date,Video views,Reached audience,Profile views,Likes,Shares,Comments,"
    "Phone number clicks ,Leads submission,Net growth,New followers,Lost followers"
)
TIKTOK_CONTENT = (
    "Video title,Video link,Post time,Video views,Likes,Comments,Shares,Add to Favorites"
)
TIKTOK_FOLLOWERS = "Date,New followers,Total followers,Reached audience,Engaged audience"
META_NAME = re.compile(r"^([A-Z][a-z]{2}-\d\d-\d{4})_([A-Z][a-z]{2}-\d\d-\d{4})_\d{16}\.csv$")


# ---------------------------------------------------------------------------
# Reading the files as anyone would


def csv_rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def utf8_bom_text(path: Path) -> str:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8), path.name
    return raw[3:].decode("utf-8")


def utf16_text(path: Path) -> str:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF16_LE), path.name
    return raw[2:].decode("utf-16-le")


def records(path: Path, text: str | None = None) -> list[dict[str, str]]:
    """Rows as dicts (first of a repeated header name wins); ragged rows padded."""
    rows = csv_rows(text if text is not None else path.read_text(encoding="utf-8"))
    header = rows[0]
    out = []
    for row in rows[1:]:
        cells = row + [""] * (len(header) - len(row))
        record: dict[str, str] = {}
        for name, value in zip(header, cells, strict=True):
            record.setdefault(name, value)
        out.append(record)
    return out


def meta_range(path: Path) -> tuple[date, date]:
    match = META_NAME.match(path.name)
    assert match, path.name
    first, last = (datetime.strptime(g, "%b-%d-%Y").date() for g in match.groups())
    return first, last


def publish_day(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y %H:%M").date()


def x_day(text: str) -> date:
    for form in ("%a %b %d %Y", "%a, %b %d, %Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise AssertionError(f"not an X date: {text!r}")


def latest_by_id(files: list[Path], key: str, reader) -> dict[str, dict[str, str]]:
    """One row per post: the export with the latest range end wins."""
    latest: dict[str, dict[str, str]] = {}
    for path in sorted(files, key=reader):
        for record in records(path, utf8_bom_text(path)):
            latest[record[key]] = record
    return latest


def per_day_counts(days: list[date], first: date) -> dict[date, int]:
    counts = Counter(days)
    return {first + timedelta(days=k): counts.get(first + timedelta(days=k), 0)
            for k in range((END - first).days)}  # fmt: skip


# ---------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def social(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("social_demo")
    write_social_demo_files(out, end_date=END)
    return out / "social"


@pytest.fixture(scope="module")
def facebook_files(social) -> list[Path]:
    """The page's 31-column exports (the 38-column one is another page's)."""
    return [p for p in sorted((social / "facebook").glob("*.csv"))
            if utf8_bom_text(p).split("\n", 1)[0] == FACEBOOK_31]  # fmt: skip


@pytest.fixture(scope="module")
def facebook_posts(facebook_files) -> dict[str, dict[str, str]]:
    return latest_by_id(facebook_files, "Post ID", lambda p: meta_range(p)[1])


@pytest.fixture(scope="module")
def x_files(social) -> list[Path]:
    return sorted((social / "x").glob("account_analytics_content_*.csv"))


@pytest.fixture(scope="module")
def x_posts(x_files) -> dict[str, dict[str, str]]:
    latest: dict[str, dict[str, str]] = {}
    for path in sorted(x_files, key=lambda p: p.stem.split("_")[-1]):
        for record in records(path):
            latest[record["Post id"]] = record
    return latest


@pytest.fixture(scope="module")
def youtube(social) -> dict[str, str]:
    (archive,) = sorted((social / "youtube").glob("*.zip"))
    with zipfile.ZipFile(archive) as z:
        return {"name": archive.name} | {n: z.read(n).decode("utf-8") for n in z.namelist()}


def insights(social: Path, platform: str, name: str) -> list[Path]:
    """One platform's file of each download, oldest download first."""
    return sorted((social / "meta_insights").glob(f"*/{platform}/{name}"))


def insights_values(path: Path) -> dict[date, int]:
    lines = utf16_text(path).split("\n")
    return {date.fromisoformat(r[0][:10]): int(r[1]) for r in csv_rows("\n".join(lines[3:])) if r}


# ---------------------------------------------------------------------------
# The file set


def test_same_arguments_give_byte_identical_files(social, tmp_path):
    seen: list[tuple[float, str]] = []
    began = time.perf_counter()
    paths = write_social_demo_files(
        tmp_path, end_date=END, progress=lambda f, m: seen.append((f, m))
    )
    seconds = time.perf_counter() - began
    first = {
        p.relative_to(social).as_posix(): p.read_bytes() for p in social.rglob("*") if p.is_file()
    }
    again = {p.relative_to(tmp_path / "social").as_posix(): p.read_bytes() for p in paths}
    assert first == again
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seconds < 15, f"generation took {seconds:.1f} s"
    write_social_demo_files(tmp_path / "other", end_date=END, seed=7)
    x_name = "x/account_overview_analytics_20240328_20251127.csv"
    assert (tmp_path / "other/social" / x_name).read_bytes() != first[x_name]


def test_a_rerun_with_another_end_date_leaves_no_stale_file(tmp_path):
    write_social_demo_files(tmp_path, end_date=date(2025, 6, 1), months=3)
    written = write_social_demo_files(tmp_path, end_date=date(2025, 7, 1), months=3)
    on_disk = {p for p in (tmp_path / "social").rglob("*") if p.is_file()}
    assert on_disk == set(written)


def test_every_platform_and_format_is_there(social):
    names = sorted(p.relative_to(social).as_posix() for p in social.rglob("*") if p.is_file())
    folders = Counter(name.split("/")[0] for name in names)
    assert set(folders) == {"facebook", "instagram", "meta_insights", "x", "youtube", "tiktok"}
    assert folders["facebook"] >= 10 and folders["instagram"] >= 5  # monthly-ish downloads
    for name in names:
        if name.startswith(("facebook/", "instagram/")):
            assert META_NAME.match(name.split("/")[1]), name
        if name.startswith("x/"):
            assert re.fullmatch(
                r"x/account_(analytics_content|overview_analytics)_\d{8}_\d{8}\.csv", name
            ), name
    assert "tiktok/Overview.csv" in names and "tiktok/Content.csv" in names
    assert "tiktok/Followers.csv" in names
    assert any(n.endswith("facebook/Audience.csv") for n in names)


def test_data_end_the_day_before_the_end_date(social, facebook_posts, x_posts, youtube):
    assert max(publish_day(r["Publish time"]) for r in facebook_posts.values()) == LAST_DAY
    assert max(x_day(r["Date"]) for r in x_posts.values()) == LAST_DAY
    reach = insights_values(insights(social, "facebook", "Reach.csv")[-1])
    assert max(reach) == LAST_DAY
    overview = records(next((social / "x").glob("account_overview_analytics_*_20251127.csv")))
    assert x_day(overview[0]["Date"]) == LAST_DAY  # newest first
    totals = csv_rows(youtube["Totals.csv"])
    assert totals[-1][0] == LAST_DAY.isoformat()
    tiktok = records(social / "tiktok" / "Overview.csv")
    assert tiktok[-1]["Date"] == LAST_DAY.strftime("%Y/%m/%d")


# ---------------------------------------------------------------------------
# Meta Business Suite post exports


def test_facebook_exports_are_meta_csv_with_bom_quoted_headers_and_lifetime(facebook_files):
    assert len(facebook_files) >= 10
    multi_line = 0
    for path in facebook_files:
        text = utf8_bom_text(path)
        assert text.split("\n", 1)[0] == FACEBOOK_31
        rows = csv_rows(text)
        first, last = meta_range(path)
        for row in rows[1:]:
            assert row[16] == "Lifetime"
            assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row[6]), row[6]
            assert first <= publish_day(row[6]) <= last
            assert row[11] in {"Photos", "Reels", "Links", "Videos", "Text"}
            assert re.fullmatch(r"\d{18}", row[0]), row[0]
            assert row[2] == "KP Police"
            multi_line += "\n" in row[3]
        # Fields with spaces are quoted, as Meta writes them.
        assert ',"KP Police",' in text
    assert multi_line > 1000


def test_a_few_facebook_rows_have_27_fields_and_the_reader_pads_them(facebook_files):
    for path in facebook_files:
        rows = csv_rows(utf8_bom_text(path))
        short = [r for r in rows[1:] if len(r) == 27]
        assert 3 <= len(short) <= 5, path.name
        assert {len(r) for r in rows[1:]} == {27, 31}
        assert {r[11] for r in short} == {"Photos"}  # nothing of value is cut off
    path = facebook_files[0]
    rows = csv_rows(utf8_bom_text(path))
    table = read_table(path)
    assert table.row_count == len(rows) - 1
    padded = table.con.execute(
        'select count(*) from source where "Seconds viewed" is null and "Ad impressions" is null'
    ).fetchall()[0][0]
    assert padded >= sum(1 for r in rows[1:] if len(r) == 27)


def test_second_page_export_has_another_variant_with_views_twice(social, facebook_files):
    (other,) = sorted(set((social / "facebook").glob("*.csv")) - set(facebook_files))
    header = csv_rows(utf8_bom_text(other))[0]
    assert len(header) == 38 and header.count("Views") == 2
    assert "Seconds viewed" not in header and "Reach from Organic posts" in header
    rows = records(other, utf8_bom_text(other))
    assert len(rows) > 30
    assert {r["Page name"] for r in rows} == {"KP Police Media Cell"}
    table = read_table(other)
    assert "Views (2)" in table.headers
    # The second Views sits among the organic/boosted breakdowns; nothing is boosted.
    pairs = table.con.execute(
        'select "Views", "Views (2)", "Reach", "Reach from Organic posts", '
        '"Reach from Boosted posts" from source'
    ).fetchall()
    assert all(
        v1 == v2 and r == organic and boosted == "0" for v1, v2, r, organic, boosted in pairs
    )


def test_instagram_exports_use_both_column_orders(social):
    files = sorted((social / "instagram").glob("*.csv"))
    headers = Counter(utf8_bom_text(p).split("\n", 1)[0] for p in files)
    assert set(headers) == {INSTAGRAM_A, INSTAGRAM_B}
    for path in files:
        for record in records(path, utf8_bom_text(path)):
            assert record["Date"] == "Lifetime"
            assert record["Account username"] == "kppoliceofficial"
            assert record["Post type"] in {"IG image", "IG reel", "IG carousel"}
            # Meta's Graph ids, as in the real sample (18355151116178767): 17 digits.
            assert re.fullmatch(r"1[78]\d{15}", record["Post ID"]), record["Post ID"]
            assert int(record["Views"]) >= int(record["Reach"])


def test_overlapping_exports_show_grown_lifetime_metrics(facebook_files, x_files):
    counts = ["Views", "Reach", "Reactions", "Comments", "Shares", "Total clicks"]
    seen: dict[str, list[tuple[date, dict[str, str]]]] = defaultdict(list)
    for path in facebook_files:
        for record in records(path, utf8_bom_text(path)):
            seen[record["Post ID"]].append((meta_range(path)[1], record))
    twice = {k: sorted(v, key=lambda s: s[0]) for k, v in seen.items() if len(v) > 1}
    assert len(twice) > 0.2 * len(seen)  # many posts are in two exports
    for snapshots in twice.values():
        (_, early), (_, late) = snapshots[0], snapshots[-1]
        assert all(int(late[c]) >= int(early[c]) for c in counts)
        assert int(late["Views"]) > int(early["Views"])
        assert early["Publish time"] == late["Publish time"]
    x_seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for path in x_files:
        for record in records(path):
            x_seen[record["Post id"]].append((path.stem[-8:], int(record["Impressions"])))
    x_twice = [sorted(v) for v in x_seen.values() if len(v) > 1]
    assert len(x_twice) > 100
    assert all(v[-1][1] > v[0][1] for v in x_twice)


def test_layouts_match_the_real_samples(social, facebook_files, x_files, youtube):
    """The header lines of the real exports in ../shared/samples (when present)."""
    samples = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
    if not samples.is_dir():
        pytest.skip("no ../shared/samples here")

    def first_line(path: Path) -> str:
        raw = path.read_bytes()
        if raw.startswith(codecs.BOM_UTF16_LE):
            return raw[2:].decode("utf-16-le").split("\n", 1)[0]
        return raw.decode("utf-8-sig").split("\n", 1)[0]

    real_fb = first_line(next(samples.glob("meta_facebook_posts_*.csv")))
    assert real_fb == first_line(facebook_files[0])
    real_ig = first_line(next(samples.glob("meta_instagram_posts_*.csv")))
    assert real_ig in {first_line(p) for p in (social / "instagram").glob("*.csv")}
    real_x = first_line(next(samples.glob("account_analytics_content_*.csv")))
    assert real_x in {first_line(p) for p in x_files}
    real_yt = first_line(samples / "youtube_Table data.csv")
    assert real_yt == youtube["Table data.csv"].split("\n", 1)[0]
    real_insights = utf16_text(samples / "meta_insights_Reach.csv").split("\n")[:3]
    ours = utf16_text(insights(social, "facebook", "Reach.csv")[0]).split("\n")[:3]
    assert ours == real_insights


# ---------------------------------------------------------------------------
# Meta Insights daily files


def test_insights_files_are_utf16_with_sep_title_and_quoted_values(social):
    files = sorted((social / "meta_insights").rglob("*.csv"))
    titles = set()
    flips = 0
    for path in files:
        if path.name == "Audience.csv":
            continue
        assert path.read_bytes()[:2] == b"\xff\xfe"
        lines = utf16_text(path).split("\n")
        assert lines[0] == "sep=,"
        assert re.fullmatch(r'"(Facebook|Instagram) [a-z ]+"', lines[1]), lines[1]
        titles.add(lines[1].strip('"'))
        assert lines[2] == '"Date","Primary"'
        assert lines[-2:] == ["", ""]  # ends with an empty line, as Meta writes it
        body = lines[3:-2]
        assert all(re.fullmatch(r'"\d{4}-\d\d-\d\dT0[01]:00:00","\d+"', line) for line in body)
        times = {line[11:20] for line in body}
        flips += times == {"T00:00:00", "T01:00:00"}
    assert {"Facebook reach", "Facebook follows", "Instagram reach",
            "Instagram profile visits"} <= titles  # fmt: skip
    assert flips >= 10  # the time part flips inside the files that span a DST change
    # As in the real sample: T01:00:00 up to 9 March 2025, T00:00:00 from 10 March
    # (Pacific midnight, after the US clocks went forward).
    first = utf16_text(insights(social, "facebook", "Reach.csv")[0])
    assert '"2025-03-09T01:00:00"' in first and '"2025-03-10T00:00:00"' in first
    assert '"2024-11-03T00:00:00"' in first and '"2024-11-04T01:00:00"' in first


def test_insights_downloads_overlap_with_the_same_values(social):
    first, second = (insights_values(p) for p in insights(social, "facebook", "Reach.csv"))
    shared = set(first) & set(second)
    assert len(shared) >= 30
    assert all(first[d] == second[d] for d in shared)
    assert min(second) < max(first)


def test_follower_counts_grow_by_at_most_the_days_follows(social):
    for platform in ("facebook", "instagram"):
        counts = insights_values(insights(social, platform, "Followers.csv")[-1])
        follows = insights_values(insights(social, platform, "Follows.csv")[-1])
        days = sorted(counts)
        changes = [counts[b] - counts[a] for a, b in zip(days, days[1:], strict=False)]
        assert all(0 <= change <= follows[b] for change, b in zip(changes, days[1:], strict=True))
        assert counts[days[-1]] > counts[days[0]]


def test_audience_file_holds_three_tables(social):
    (path,) = sorted((social / "meta_insights").rglob("Audience.csv"))
    lines = utf16_text(path).split("\n")
    assert lines[:3] == ["sep=,", '"Age & gender"', '"","Women","Men"']
    ages = csv_rows("\n".join(lines[3:9]))
    assert [a[0] for a in ages] == ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
    assert abs(sum(float(a[1]) + float(a[2]) for a in ages) - 100) < 0.5
    countries = lines.index('"Top countries"')
    names, shares = csv_rows("\n".join(lines[countries + 1 : countries + 3]))
    assert names[0] == "Pakistan" and len(names) == len(shares) == 10
    assert '"Top cities"' in lines


# ---------------------------------------------------------------------------
# X


def test_x_content_in_both_spellings_newest_first_with_snowflake_ids(x_files):
    styles = set()
    for path in x_files:
        raw = path.read_bytes()
        assert not raw.startswith(codecs.BOM_UTF8)
        header = raw.decode("utf-8").split("\n", 1)[0]
        assert header in (X_EARLY, X_LATE)
        rows = records(path)
        pattern = r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d{4}" if header == X_EARLY else (
            r"[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d{4}"
        )  # fmt: skip
        assert all(re.fullmatch(pattern, r["Date"]) for r in rows)
        styles.add(header)
        days = [x_day(r["Date"]) for r in rows]
        assert days == sorted(days, reverse=True)
        for record in rows:
            post_id = record["Post id"]
            assert re.fullmatch(r"\d{19}", post_id)
            # A snowflake id carries its UTC time: the date shown is Pakistan's.
            utc = datetime.fromtimestamp(((int(post_id) >> 22) + 1288834974657) / 1000, UTC)
            assert (utc + timedelta(hours=5)).date() == x_day(record["Date"])
        assert all('"' + r["Post text"][:20] in raw.decode("utf-8") for r in rows[:5])
    assert styles == {X_EARLY, X_LATE}


def test_x_engagements_add_up(x_posts):
    for record in x_posts.values():
        values = list(record.values())
        # Engagements = likes + bookmarks + shares + new follows + replies + reposts
        # + profile visits + detail expands + url, hashtag and permalink clicks.
        parts = [int(values[5])] + [int(v) for v in values[7:17]]
        assert int(values[6]) == sum(parts)
        assert int(values[4]) >= int(values[6])


def test_x_overview_counts_the_posts_of_each_day(social, x_posts):
    path = next((social / "x").glob("account_overview_analytics_*_20251127.csv"))
    assert path.read_text(encoding="utf-8").split("\n", 1)[0] == X_OVERVIEW
    overview = records(path)
    posted = Counter(x_day(r["Date"]) for r in x_posts.values())
    assert all(int(r["Create Post"]) == posted.get(x_day(r["Date"]), 0) for r in overview)
    assert len(overview) == len({r["Date"] for r in overview})


def test_the_one_damaged_file_is_an_excel_resave_of_an_older_overview(social):
    damaged = []
    for path in sorted(p for p in social.rglob("*.csv")):
        first_line = path.read_bytes()[:400].split(b"\n", 1)[0]
        if b";" in first_line and b"," not in first_line:
            damaged.append(path)
    assert [p.name for p in damaged] == ["account_overview_analytics_20240328_20240625.csv"]
    raw = damaged[0].read_bytes()
    assert not raw.lower().startswith(b"sep=")  # Excel drops the sep= line
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF throughout
    rows = csv_rows(raw.decode("cp1252"), delimiter=";")
    assert ";".join(rows[0]) == X_OVERVIEW.replace(",", ";")
    assert {len(r) for r in rows} == {14}
    # Dates rewritten DD-MM-YYYY; the counts are whole numbers (no decimal comma).
    assert all(re.fullmatch(r"\d\d-\d\d-\d{4}", r[0]) for r in rows[1:])
    assert all(re.fullmatch(r"\d+", c) for r in rows[1:] for c in r[1:])
    # Nothing is lost by rejecting it: the good overview has the same days and numbers.
    good = next((social / "x").glob("account_overview_analytics_*_20251127.csv"))
    by_day = {x_day(r["Date"]): list(r.values())[1:] for r in records(good)}
    for row in rows[1:]:
        assert by_day[datetime.strptime(row[0], "%d-%m-%Y").date()] == row[1:]


# ---------------------------------------------------------------------------
# YouTube Studio


def test_youtube_zip_has_the_three_files_and_a_total_row_first(youtube):
    assert re.fullmatch(r"KP Police \d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.zip", youtube["name"])
    assert set(youtube) - {"name"} == {"Table data.csv", "Chart data.csv", "Totals.csv"}
    table = csv_rows(youtube["Table data.csv"])
    assert ",".join(table[0]) == YOUTUBE_TABLE
    total, videos = table[1], table[2:]
    assert total[:4] == ["Total", "", "", ""]
    assert int(total[4]) == sum(int(v[4]) for v in videos)
    assert int(total[6]) == sum(int(v[6]) for v in videos)
    assert int(total[7]) == sum(int(v[7]) for v in videos)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{11}", v[0]) for v in videos)
    assert {v[0][0] for v in videos} & {"-", "_"}
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", v[2]) for v in videos)
    assert any(int(v[6]) < 0 for v in videos)  # subscribers lost through a video
    assert [int(v[4]) for v in videos] == sorted((int(v[4]) for v in videos), reverse=True)
    assert ',"' in youtube["Table data.csv"]  # "Aug 28, 2025" is quoted


def test_youtube_daily_views_add_up_to_the_table(youtube):
    table = {v[0]: int(v[4]) for v in csv_rows(youtube["Table data.csv"])[2:]}
    chart = csv_rows(youtube["Chart data.csv"])
    assert ",".join(chart[0]) == YOUTUBE_CHART
    per_video: Counter[str] = Counter()
    for row in chart[1:]:
        date.fromisoformat(row[0])
        per_video[row[1]] += int(row[5])
    assert len(per_video) == 10
    assert all(per_video[v] == table[v] for v in per_video)
    totals = csv_rows(youtube["Totals.csv"])
    assert totals[0] == ["Date", "Views"]
    assert sum(int(r[1]) for r in totals[1:]) == sum(table.values())


# ---------------------------------------------------------------------------
# TikTok


def test_tiktok_files_have_their_quirks(social):
    folder = social / "tiktok"
    overview_text = (folder / "Overview.csv").read_text(encoding="utf-8")
    assert overview_text.split("\n", 1)[0] == TIKTOK_OVERVIEW  # trailing space kept
    overview = csv_rows(overview_text)[1:]
    assert all(re.fullmatch(r"\d{4}/\d\d/\d\d", r[0]) for r in overview)
    cells = Counter(c for r in overview for c in r[1:])
    assert cells["--"] > 0 and cells["NAN"] > 0
    content_text = (folder / "Content.csv").read_text(encoding="utf-8")
    assert content_text.split("\n", 1)[0] == TIKTOK_CONTENT
    for row in csv_rows(content_text)[1:]:
        assert re.fullmatch(r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d", row[2])
        video_id = row[1].rsplit("/", 1)[1]
        assert row[1].startswith("https://www.tiktok.com/@kppolice.official/video/")
        assert re.fullmatch(r"\d{19}", video_id)
        # TikTok ids start with the Unix time of the upload.
        posted = datetime.strptime(row[2], "%Y/%m/%d %H:%M:%S") - timedelta(hours=5)
        assert int(video_id) >> 32 == int(posted.replace(tzinfo=UTC).timestamp())


def test_tiktok_followers_move_by_the_overviews_net_growth(social):
    folder = social / "tiktok"
    followers = csv_rows((folder / "Followers.csv").read_text(encoding="utf-8"))
    assert ",".join(followers[0]) == TIKTOK_FOLLOWERS
    overview = {r[0]: r for r in csv_rows((folder / "Overview.csv").read_text("utf-8"))[1:]}
    rows = followers[1:]
    for before, after in zip(rows, rows[1:], strict=False):
        net = overview[after[0]]
        assert int(after[2]) - int(before[2]) == int(net[9]) == int(net[10]) - int(net[11])
        assert after[1] == net[10]
    assert int(rows[-1][2]) > int(rows[0][2]) * 1.3  # the account grows


# ---------------------------------------------------------------------------
# Realism: volumes, types, hours, the crisis, personal data


def test_posting_volumes_are_a_provincial_police_cells(social, facebook_posts, x_posts, youtube):
    ig = latest_by_id(sorted((social / "instagram").glob("*.csv")), "Post ID",
                      lambda p: meta_range(p)[1])  # fmt: skip
    tiktok = csv_rows((social / "tiktok" / "Content.csv").read_text("utf-8"))[1:]
    start = min(publish_day(r["Publish time"]) for r in facebook_posts.values())
    volumes = {
        "Facebook": per_day_counts([publish_day(r["Publish time"]) for r in facebook_posts.values()], start),
        "X": per_day_counts([x_day(r["Date"]) for r in x_posts.values()], start),
        "Instagram": per_day_counts([publish_day(r["Publish time"]) for r in ig.values()], start),
        "TikTok": per_day_counts([datetime.strptime(r[2][:10], "%Y/%m/%d").date() for r in tiktok], start),
    }  # fmt: skip
    bounds = {"Facebook": (3, 6), "X": (4, 8), "Instagram": (1, 2), "TikTok": (0, 2)}
    for platform, counts in volumes.items():
        normal = [n for day, n in counts.items() if day not in CRISIS_DAYS]
        low, high = bounds[platform]
        assert low <= min(normal) and max(normal) <= high, platform
        crisis = statistics.mean(counts[d] for d in CRISIS_DAYS)
        assert crisis > statistics.mean(normal), platform
    assert 0.8 <= statistics.mean(volumes["TikTok"].values()) <= 1.25
    videos = len(csv_rows(youtube["Table data.csv"])) - 2
    weeks = (END - start).days / 7
    assert 2 <= videos / weeks <= 5


def test_reels_do_best_and_evening_posts_beat_morning_ones(social, facebook_posts):
    by_type: dict[str, list[int]] = defaultdict(list)
    by_hour: dict[str, list[int]] = defaultdict(list)
    for record in facebook_posts.values():
        engaged = int(record["Reactions, Comments and Shares"])
        by_type[record["Post type"]].append(engaged)
        hour = int(record["Publish time"][11:13])
        if publish_day(record["Publish time"]) not in CRISIS_DAYS:
            if 19 <= hour <= 22:
                by_hour["evening"].append(int(record["Reach"]))
            elif 7 <= hour <= 9:
                by_hour["morning"].append(int(record["Reach"]))
    medians = {kind: statistics.median(values) for kind, values in by_type.items()}
    assert set(medians) == {"Photos", "Reels", "Links", "Videos", "Text"}
    assert max(medians, key=medians.get) == "Reels"
    assert statistics.median(by_hour["evening"]) > 1.2 * statistics.median(by_hour["morning"])
    ig = latest_by_id(sorted((social / "instagram").glob("*.csv")), "Post ID",
                      lambda p: meta_range(p)[1])  # fmt: skip
    reach: dict[str, list[int]] = defaultdict(list)
    for record in ig.values():
        reach[record["Post type"]].append(int(record["Reach"]))
    ig_medians = {kind: statistics.median(v) for kind, v in reach.items()}
    assert max(ig_medians, key=ig_medians.get) == "IG reel"


def test_the_crisis_week_spikes_and_carries_its_hashtags(social, facebook_posts, x_posts):
    reach = insights_values(insights(social, "facebook", "Reach.csv")[-1])
    follows = insights_values(insights(social, "facebook", "Follows.csv")[-1])
    crisis_reach = statistics.mean(reach[d] for d in CRISIS_DAYS)
    weeks = defaultdict(list)
    for day, value in reach.items():
        if day not in CRISIS_DAYS and day < LAST_DAY - timedelta(days=7):
            weeks[day - timedelta(days=day.weekday())].append(value)
    typical = statistics.median(statistics.mean(v) for v in weeks.values() if len(v) == 7)
    assert crisis_reach > 2 * typical
    typical_follows = statistics.median(v for d, v in follows.items() if d not in CRISIS_DAYS)
    assert statistics.mean(follows[d] for d in CRISIS_DAYS) > 2 * typical_follows
    posts = [(publish_day(r["Publish time"]), r["Title"] + r["Description"])
             for r in facebook_posts.values()]  # fmt: skip
    posts += [(x_day(r["Date"]), r["Post text"]) for r in x_posts.values()]
    tagged_in = [any(t in text for t in CRISIS_TAGS) for day, text in posts if day in CRISIS_DAYS]
    tagged_out = [any(t in text for t in CRISIS_TAGS) for day, text in posts
                  if day not in CRISIS_DAYS]  # fmt: skip
    assert sum(tagged_in) > 0.5 * len(tagged_in)
    assert not any(tagged_out)


def test_captions_mix_languages_and_campaigns_without_personal_data(social, facebook_posts):
    texts = [r["Title"] + "\n" + r["Description"] for r in facebook_posts.values()]
    urdu = sum(bool(re.search("[\u0600-\u06ff]", t)) for t in texts)
    pashto = sum(bool(re.search("[ښځټډړږګۍې]", t)) for t in texts)  # letters Urdu lacks
    assert 0.4 < urdu / len(texts) < 0.9 and pashto > 0.1 * len(texts)
    for tag in ("#KPPolice", "#YourPoliceYourService", "#WomenSafety", "#TransRights",
                "#SayNoToDrugs", "#TrafficAwareness", "#RoadSafety"):  # fmt: skip
        assert any(tag in t for t in texts), tag
    assert any('"Your Police, Your Service"' in t for t in texts)  # quotes inside a field
    phone = re.compile(r"\b03\d{2}-?\d{7}\b")
    cnic = re.compile(r"\b\d{5}-\d{7}-\d\b")
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    for path in social.rglob("*.csv"):
        raw = path.read_bytes()
        text = (
            raw[2:].decode("utf-16-le")
            if raw[:2] == b"\xff\xfe"
            else raw.decode("utf-8-sig", "replace")
        )
        assert not phone.search(text) and not cnic.search(text), path.name
        assert not email.search(text), path.name


def test_ids_are_long_enough_to_break_floats(facebook_posts, x_posts):
    ids = [*facebook_posts, *x_posts]
    assert all(int(i) > 2**53 for i in ids)  # a float64 would round them
    assert len(set(ids)) == len(ids)


# ---------------------------------------------------------------------------
# Through the real ETL


def test_demo_social_loads_through_the_etl(tmp_path):
    from etl.demo.build import social_contexts
    from etl.load import load_paths, make_context

    write_social_demo_files(tmp_path / "exports", end_date=END, months=4)
    context = make_context(now=datetime(2025, 11, 28, 6, 0, tzinfo=UTC))
    report = load_paths(
        [tmp_path / "exports" / "social"],
        warehouse=tmp_path / "warehouse.duckdb",
        context=context,
        # What staff type for the Insights folders: their platform and account.
        context_for=social_contexts(tmp_path / "exports" / "social", context),
    )
    rejected = [f for f in report.files if f.outcome == "rejected"]
    # The Excel re-save (the first 90 days of the 4 months from 28 July) may be
    # repaired or rejected; nothing else may be refused.
    damaged = "account_overview_analytics_20250728_20251025.csv"
    assert {f.file_name for f in rejected} <= {damaged}, [f.line() for f in rejected]
    loaded = [f for f in report.files if f.outcome == "loaded"]
    assert all(f.kind for f in loaded)
    # The demo plants no bad rows in the social exports: nothing to quarantine.
    assert [f.line() for f in loaded if f.quarantined] == []
    assert len(loaded) + len(rejected) == len(report.files)
    assert report.swapped
