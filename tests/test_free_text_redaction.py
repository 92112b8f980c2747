"""Free text is redacted at load: no CNIC, phone number or email in a caption,
an account name, a custom label or a media register's headline, topic, title
or notes is written below raw, or kept in raw either (issue 13).

Real vendor-format exports (Meta, X, YouTube, TikTok) and media registers
as staff type them are loaded through ``etl.load.load_paths``; then every
column of every ``staging`` and ``marts`` table is read as text and checked
with the patterns below, written here and independent of ``core.privacy``.
The words around each number, the hashtags and the ids must survive.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from core import privacy
from etl.load import load_paths, make_context
from etl.sources.social import redact_extra
from tests.etl_helpers import read_warehouse, register_row, write_register
from tests.media_fixture import write_register as write_media_register
from tests.social_fixtures_meta import FB_POSTS_31, IG_POSTS_A, write_content, write_insights_daily
from tests.social_fixtures_other import (
    write_tiktok_content,
    write_x_content,
    youtube_table_text,
)
from tests.test_privacy import corpus, fixture_lines

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

# Made-up personal numbers, in the spellings people use.
CNIC_DASHED = "17301-4829163-5"
CNIC_PLAIN = "4210158273649"
CNIC_URDU = "۱۷۳۰۱-۵۵۶۶۷۷۸-۳"
MOBILE = "0300-4817263"
MOBILE_INTL = "+92 301 5938274"
MOBILE_URDU = "۰۳۳۳-۷۶۵۴۳۲۱"
LANDLINE = "091-1234567"
EMAIL = "zainab.bibi@example.org"
JOURNALIST_PHONE = "0345-1122334"  # a personal column: raw only, never redacted there
# Each planted number's own digits (ASCII, separators dropped): none may
# appear in staging or a mart in any spelling.
PLANTED = ("4829163", "4210158273649", "5566778", "4817263", "5938274", "7654321")
PLANTED += ("1234567", "1122334")

# Independent shapes, run on text with every digit made ASCII.
SHAPES = {
    "cnic": re.compile(r"(?<!\d)\d{5}[-\s.]?\d{7}[-\s.]?\d(?!\d)"),
    "mobile": re.compile(r"(?<!\d)(?:\+?92|0092|0)?[-\s.]?\(?3\d{2}\)?[-\s.]?\d{7}(?!\d)"),
    "landline": re.compile(r"(?<!\d)(?:\+92|0092|0)[-\s.]?\(?\d{2,4}\)?[-\s.]?\d{5,8}(?!\d)"),
    "email": re.compile(r"[^\s@/]+@[^\s@/]+\.[^\s@/]+"),
}

FB_POST_1 = "1100000000000000001"
FB_POST_2 = "1100000000000000002"
FB_POST_3 = "1100000000000000003"
X_POST = "1900000000000000001"
TIKTOK_POST = "7500000000000000001"
FB_CAPTION_1 = (
    f"Road safety week #RoadSafety #KPPolice. Complainant CNIC {CNIC_DASHED}, call {MOBILE}"
)
FB_CAPTION_2 = f"شکایت کنندہ کا شناختی کارڈ {CNIC_URDU} اور فون {MOBILE_URDU} #ٹریفک #RoadSafety"
FB_CAPTION_3 = "Open court in Mardan #KPPolice, 15 March 2025"
INSIGHTS_ACCOUNT = f"KP Police {MOBILE}"


def ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def leaks(text: str) -> list[str]:
    """What in ``text`` looks like a CNIC, phone number or email, or holds a
    planted number's digits."""
    plain = ascii_digits(text)
    found = [
        f"{kind}: {m.group()}" for kind, shape in SHAPES.items() for m in shape.finditer(plain)
    ]
    digits = re.sub(r"[^\d]", "", plain)
    found += [f"planted: {p}" for p in PLANTED if p in digits]
    return found


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
        "Publish time": "03/05/2025 10:00",
        "Views": "900",
        "Reach": "600",
        "Reactions": "30",
        "Comments": "5",
        "Shares": "2",
    }
    row.update(values)
    return row


def write_exports(folder: Path) -> dict[str, Path]:
    """One file of each kind, personal numbers in every free-text field."""
    folder.mkdir()
    files: dict[str, Path] = {}
    files["facebook"] = write_content(
        folder / "Mar-01-2025_Mar-31-2025_1396269028466733.csv",
        FB_POSTS_31,
        [
            fb_row(FB_POST_1, Title=FB_CAPTION_1, **{"Custom labels": f"Road Safety, Helpdesk {LANDLINE}"}),
            fb_row(FB_POST_2, Title=FB_CAPTION_2, **{"Data comment": f"sent by {EMAIL}"}),
            fb_row(FB_POST_3, Title=FB_CAPTION_3, **{"Custom labels": "Road Safety"}),
        ],
    )  # fmt: skip
    files["instagram"] = write_content(
        folder / "Mar-01-2025_Mar-31-2025_3333333333333333.csv",
        IG_POSTS_A,
        [
            {
                "Post ID": "18000000000000001",
                "Account ID": "17841446494080465",
                "Account username": "kp_police_official",
                "Account name": "KP Police",
                "Description": f"Women's help desk #WomenSafety: write to {EMAIL} or {CNIC_PLAIN}",
                "Duration (sec)": "0",
                "Publish time": "03/19/2025 01:03",
                "Permalink": "https://www.instagram.com/p/DHX59q4MjC_/",
                "Post type": "IG image",
                "Date": "Lifetime",
                "Views": "100",
                "Reach": "80",
                "Likes": "30",
            }
        ],
    )
    files["insights"] = write_insights_daily(
        folder / "Reach.csv",
        "Facebook reach",
        [("2025-03-01T01:00:00", "16"), ("2025-03-02T01:00:00", "20")],
    )
    # Post id, Date, Post text, Link, Impressions, Likes, Engagements, Bookmarks, Share,
    # New follows, Replies, Reposts, Profile visits, Detail expands, Url clicks,
    # Hashtag clicks, Permalink clicks
    files["x"] = write_x_content(
        folder / "account_analytics_content_20250301_20250331.csv",
        [
            [X_POST, "Mon Mar 10 2025", f"Report harassment: {EMAIL}, {MOBILE_INTL} #KPPolice"]
            + [f"https://x.com/KPPoliceKP/status/{X_POST}", "104", "7", "13", "2", "3", "0"]
            + ["4", "5", "1", "4", "6", "0", "0"]
        ],
    )
    table = youtube_table_text(
        [
            ["UWQNrpakgcA", f"Missing child: call {LANDLINE} #Peshawar", "Mar 20, 2025", "9"]
            + ["30331", "45.8772", "14", "456", "3.51"]
        ],
        ["", "", "", "30331", "45.8772", "14", "456", "3.51"],
    )
    files["youtube"] = folder / "Table data.csv"
    files["youtube"].write_bytes(table.encode("utf-8"))
    # Video title, Video link, Post time, Video views, Likes, Comments, Shares, Add to Favorites
    files["tiktok"] = write_tiktok_content(
        folder / "content_20250301_20250331.csv",
        [
            [f"Found a wallet, CNIC {CNIC_PLAIN} #Lost"]
            + [f"https://www.tiktok.com/@kppolice/video/{TIKTOK_POST}", "2025/03/18 14:19:10"]
            + ["15000", "900", "45", "30", "12"]
        ],
    )
    return files


def write_registers(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    files["mentions"] = write_media_register(
        folder / "log.csv",
        "mentions",
        [
            {"mention_id": "MM-1", "published_at": "2025-03-03 09:00", "outlet": "Dawn",
             "outlet_type": "print", "language": "English", "tone": "negative",
             "district": "Peshawar", "headline": f"Caller {MOBILE} says police did not come",
             "topic": f"complaint from {EMAIL}"},
        ],
    )  # fmt: skip
    files["queries"] = write_media_register(
        folder / "queries.csv",
        "queries",
        [
            {"query_id": "MQ-1", "received_at": "2025-03-01 10:00", "outlet": "Geo News",
             "journalist": "Asma Khan", "journalist_phone": JOURNALIST_PHONE,
             "topic": f"asked about CNIC {CNIC_DASHED}"},
        ],
    )  # fmt: skip
    files["incidents"] = write_media_register(
        folder / "incidents.csv",
        "incidents",
        [
            {"incident_id": "INC-1", "incident_type": f"viral video, victim {CNIC_URDU}",
             "district": "Kurram", "occurred_at": "2025-03-05 08:00"},
        ],
    )  # fmt: skip
    files["outputs"] = write_media_register(
        folder / "outputs.csv",
        "outputs",
        [
            {"output_id": "PR-1", "published_at": "2025-03-05 09:00",
             "output_type": "press release", "channel": f"WhatsApp {MOBILE_INTL}",
             "title": f"Statement; write to {EMAIL}"},
        ],
    )  # fmt: skip
    files["plan"] = write_media_register(
        folder / "plan.csv",
        "plan",
        [{"week_start": "2025-03-03", "output_type": "post", "planned": "3",
          "notes": f"campaign desk {LANDLINE}"}],
    )  # fmt: skip
    files["register"] = write_register(
        folder / "register.csv",
        [register_row("KPMC-2503-000001", "2025-03-04 10:00",
                      summary=f"my CNIC is {CNIC_DASHED}, call {MOBILE}")],
    )  # fmt: skip
    return files


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("free_text")
    files = {**write_exports(root / "exports"), **write_registers(root / "exports")}
    warehouse = root / "wh" / "warehouse.duckdb"
    insights = make_context(now=NOW, account=INSIGHTS_ACCOUNT)
    report = load_paths(
        list(files.values()),
        warehouse=warehouse,
        context=make_context(now=NOW),
        context_for=lambda path: insights if path.name == "Reach.csv" else None,
    )
    return {"files": files, "warehouse": warehouse, "report": report}


def test_every_file_loads_without_quarantine(loaded) -> None:
    report = loaded["report"]
    assert not report.rejected, [f.line() for f in report.files]
    assert len(report.files) == len(loaded["files"])
    assert all(f.quarantined == 0 for f in report.files), [f.line() for f in report.files]


def test_no_personal_value_below_raw(loaded) -> None:
    warehouse = loaded["warehouse"]
    columns = read_warehouse(
        warehouse,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('staging', 'marts') order by all",
    )
    tables = set(zip(columns["table_schema"], columns["table_name"], strict=True))
    for table in ("social_posts", "social_account_daily", "media_mentions", "outputs"):
        assert ("marts", table) in tables and ("staging", table) in tables, table
    scanned = 0
    for schema, table, column in columns.itertuples(index=False):
        values = read_warehouse(
            warehouse,
            f'select distinct cast("{column}" as varchar) as v from "{schema}"."{table}" '
            "where v is not null",
        )["v"]
        for value in values:
            scanned += 1
            assert not leaks(value), (f"{schema}.{table}.{column}", leaks(value))
    assert scanned > 100


def test_the_checker_sees_every_planted_value() -> None:
    # Otherwise the scan above would pass for nothing.
    for value in (CNIC_DASHED, CNIC_PLAIN, CNIC_URDU, MOBILE, MOBILE_INTL, MOBILE_URDU):
        assert leaks(f"text {value} text"), value
    assert leaks(f"x {LANDLINE} y") and leaks(f"x {EMAIL} y") and leaks(JOURNALIST_PHONE)
    for kept in (FB_POST_1, X_POST, "2025-03-05 05:00:00+00", "20250601T120000-1a2b3c4d-3"):
        assert not leaks(kept), kept


def test_captions_keep_their_words_and_hashtags(loaded) -> None:
    posts = read_warehouse(
        loaded["warehouse"],
        "select post_id, account, post_text, hashtags, campaigns, permalink "
        "from marts.social_posts",
    ).set_index("post_id")
    first = posts.loc[FB_POST_1]
    assert first["post_text"] == (
        "Road safety week #RoadSafety #KPPolice. Complainant CNIC [CNIC removed], "
        "call [phone removed]"
    )
    assert list(first["hashtags"]) == ["roadsafety", "kppolice"]
    assert list(first["campaigns"]) == ["Road Safety", "Helpdesk [phone removed]"]
    second = posts.loc[FB_POST_2]
    assert second["post_text"] == (
        "شکایت کنندہ کا شناختی کارڈ [CNIC removed] اور فون [phone removed] #ٹریفک #RoadSafety"
    )
    assert list(second["hashtags"]) == ["ٹریفک", "roadsafety"]
    # Nothing personal: the text is exactly as written, its numbers too.
    assert posts.loc[FB_POST_3, "post_text"] == FB_CAPTION_3
    assert posts.loc[X_POST, "post_text"] == (
        "Report harassment: [email removed], [phone removed] #KPPolice"
    )
    assert posts.loc["UWQNrpakgcA", "post_text"] == "Missing child: call [phone removed] #Peshawar"
    assert posts.loc[TIKTOK_POST, "post_text"] == "Found a wallet, CNIC [CNIC removed] #Lost"
    # Ids and links are not free text: exact, digits and all.
    assert posts.loc[X_POST, "permalink"] == f"https://x.com/KPPoliceKP/status/{X_POST}"
    assert posts.loc[FB_POST_1, "account"] == "KP Police"
    # Hashtags still count: #roadsafety is on posts 1 and 2 (and 3 has none of it).
    tagged = read_warehouse(
        loaded["warehouse"],
        "select count(*) as n from marts.social_posts where list_contains(hashtags, 'roadsafety')",
    )["n"][0]
    assert tagged == 2


def test_account_named_on_the_load_is_redacted(loaded) -> None:
    accounts = read_warehouse(
        loaded["warehouse"], "select distinct account from marts.social_account_daily"
    )["account"]
    assert list(accounts) == ["KP Police [phone removed]"]


def test_raw_holds_redacted_free_text_but_keeps_personal_columns(loaded) -> None:
    warehouse = loaded["warehouse"]
    raw = read_warehouse(
        warehouse, "select post_id, post_text, extra from raw.social_post_snapshots"
    ).set_index("post_id")
    assert CNIC_DASHED not in raw.loc[FB_POST_1, "post_text"]
    other = json.loads(raw.loc[FB_POST_2, "extra"])["other"]
    assert other["Data comment"] == "sent by [email removed]"
    # The journalist's phone is a personal column: kept in raw only (purged
    # by retention), never in staging or a mart (the scan above).
    queries = read_warehouse(warehouse, "select journalist_phone, topic from raw.media_queries")
    assert queries.iloc[0].tolist() == [JOURNALIST_PHONE, "asked about CNIC [CNIC removed]"]
    # The inquiry summary stays in raw as written (the law keeps it there).
    summary = read_warehouse(warehouse, "select summary from raw.inquiry_register")["summary"]
    assert CNIC_DASHED in summary.iloc[0]


def test_media_registers_keep_their_words(loaded) -> None:
    warehouse = loaded["warehouse"]
    mention = read_warehouse(warehouse, "select headline, topic, outlet from marts.media_mentions")
    assert mention.iloc[0].tolist() == [
        "Caller [phone removed] says police did not come",
        "complaint from [email removed]",
        "Dawn",
    ]
    output = read_warehouse(warehouse, "select channel, title from marts.outputs")
    assert output.iloc[0].tolist() == [
        "WhatsApp [phone removed]",
        "Statement; write to [email removed]",
    ]
    incident = read_warehouse(warehouse, "select incident_type from marts.incidents")
    assert incident.iloc[0, 0] == "viral video, victim [CNIC removed]"
    notes = read_warehouse(warehouse, "select notes from raw.output_plan")["notes"]
    assert notes.iloc[0] == "campaign desk [phone removed]"


# ---------------------------------------------------------------------------
# The helpers: a cheap pre-check that never skips what the scanner finds
# ---------------------------------------------------------------------------


def test_the_pre_check_picks_every_line_the_scanner_would_change() -> None:
    lines = [*corpus(), *fixture_lines(), f"call {LANDLINE}", CNIC_URDU, MOBILE_URDU]
    for line in lines:
        assert privacy.find_personal(line), line
        assert privacy.SUSPECT_RE.search(line), line


def test_redact_column_scans_only_what_it_must_and_keeps_the_rest() -> None:
    values = pd.Series(
        ["Helpline 15 and Rescue 1122", None, f"call {MOBILE}", "FIR 123/2025", f"{EMAIL}"],
        dtype=object,
    )
    out = privacy.redact_column(values)
    assert out.tolist() == [
        "Helpline 15 and Rescue 1122",
        None,
        "call [phone removed]",
        "FIR 123/2025",
        "[email removed]",
    ]
    assert values.iloc[2] == f"call {MOBILE}"  # the input is not changed in place
    typed = pd.Series(["a", f"x {CNIC_PLAIN}"], dtype="string")
    assert privacy.redact_column(typed).dtype == typed.dtype
    assert privacy.redact_column(typed).tolist() == ["a", "x [CNIC removed]"]


def test_extra_json_keeps_ids_numbers_and_keys() -> None:
    extra = json.dumps(
        {
            "other": {
                "Universal video ID": CNIC_PLAIN,  # an id, however it looks
                "Custom labels": f"Eid, call {MOBILE}",
                "Seconds viewed": 3499.947,
            }
        },
        separators=(",", ":"),
    )
    plain = '{"other":{"Custom labels":"Eid"}}'
    out = redact_extra(pd.Series([extra, plain, None], dtype=object))
    assert json.loads(out.iloc[0]) == {
        "other": {
            "Universal video ID": CNIC_PLAIN,
            "Custom labels": "Eid, call [phone removed]",
            "Seconds viewed": 3499.947,
        }
    }
    assert out.iloc[1] == plain and out.iloc[2] is None
