"""A warehouse whose text is hostile, loaded from real vendor exports.

Markdown links, HTML links, ``<script>``, ``<img onerror>``, ``<b>`` and a
``:material/…:`` icon code in the places a person or a file names things:
the account name stated on the load (as the Data page's account field and
``--account`` do), the Facebook Page name, post captions, Meta custom
labels (campaigns) and text beside hashtags. Written in Meta's byte layout
(tests/social_fixtures_meta.py) and loaded with ``etl.load.load_paths``.

Everything is published in the calendar month before ``today`` (PKT), the
dashboard's default period, so the Social engagement page draws it all
without touching a filter. What each file is for:

* the Facebook posts export: post A (the better engagement rate, so it is
  first in Top posts and the growth-curve picker) and post B, both above
  S5's 500-impression floor, both with the three hostile custom labels;
* two ``Followers`` Insights files, one for the hostile account and one for
  ``KP Police``: two Facebook accounts, so the follower chart draws one
  line per account and puts the account name in its legend;
* ``Audience.csv`` stated as Facebook's, of the hostile account: its name
  is the audience header.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from etl.load import LoadReport, load_paths, make_context
from tests.social_fixtures_meta import (
    FB_POSTS_31,
    write_audience,
    write_content,
    write_insights_daily,
)

MD_LINK = "[Verify your account](https://evil.example/x)"
A_HREF = '<a href="https://evil.example/y">click</a>'
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src="x" onerror="window.__pwned=2">'
BOLD = "<b>bold</b>"
ICON = ":material/warning:"

ACCOUNT = f"{MD_LINK} {A_HREF} {BOLD} {ICON}"
LABELS = (A_HREF, MD_LINK, BOLD)  # one custom label each (Meta separates them by commas)
CAPTION_A = f"{MD_LINK} {BOLD} {SCRIPT} {IMG} #RoadSafety #Verify{A_HREF}"
CAPTION_B = f"{A_HREF} {ICON} {SCRIPT} #RoadSafety"
HASHTAGS = ("roadsafety", "verify")  # what the text beside the markup leaves as tags
POST_A = "1200000000000000001"
POST_B = "1200000000000000002"


def previous_month(today: date) -> tuple[date, date]:
    """First and last day of the month before ``today``."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def write_files(folder: Path, today: date) -> dict[str, Path]:
    first, last = previous_month(today)
    folder.mkdir(parents=True, exist_ok=True)

    def post(post_id: str, caption: str, day: int, views: int, reactions: int) -> dict[str, str]:
        return {
            "Post ID": post_id,
            "Page ID": "100066300057039",
            "Page name": ACCOUNT,
            "Title": caption,
            "Duration (sec)": "0",
            "Publish time": f"{first.replace(day=day):%m/%d/%Y} 10:00",
            "Caption type": "N/A",
            "Permalink": f"https://www.facebook.com/KPPolice/posts/{post_id}",
            "Is crosspost": "0",
            "Is share": "0",
            "Post type": "Photos",
            "Custom labels": ", ".join(LABELS),
            "Date": "Lifetime",
            "Views": str(views),
            "Reach": str(views // 2),
            "Reactions": str(reactions),
            "Comments": "4",
            "Shares": "2",
        }

    period = f"{first:%b-%d-%Y}_{last:%b-%d-%Y}"
    files = {
        "posts": write_content(
            folder / f"{period}_1396269028466733.csv",
            FB_POSTS_31,
            [post(POST_A, CAPTION_A, 5, 2000, 300), post(POST_B, CAPTION_B, 12, 1000, 20)],
        )
    }
    days = [first.replace(day=d) for d in (2, 9, 16, 23)]
    for key, start in (("followers_hostile", 5000), ("followers_kp", 8000)):
        (folder / key).mkdir(exist_ok=True)
        files[key] = write_insights_daily(
            folder / key / "Followers.csv",
            "Facebook followers",
            [(f"{d:%Y-%m-%d}T01:00:00", str(start + 40 * i)) for i, d in enumerate(days)],
        )
    files["audience"] = write_audience(
        folder / "Audience.csv",
        [("18-24", "12.5", "30.1"), ("25-34", "10.2", "25.0")],
        [("Pakistan", "85.2")],
        [("Peshawar, Khyber Pakhtunkhwa, Pakistan", "30.1")],
    )
    return files


def build_hostile_warehouse(warehouse: Path, exports: Path, today: date) -> LoadReport:
    """Load the files above into ``warehouse`` in one load; every file must
    load and no row be quarantined (a hostile name is text, not an error)."""
    files = write_files(exports, today)
    hostile = make_context(account=ACCOUNT, platform="Facebook")
    own = make_context(account="KP Police", platform="Facebook")

    def context_for(path: Path):
        return own if path.parent.name == "followers_kp" else hostile

    report = load_paths(
        list(files.values()), warehouse=warehouse, context=hostile, context_for=context_for
    )
    problems = [f.line() for f in report.files if f.quarantined or f.outcome != "loaded"]
    assert report.swapped and not report.rejected and not problems, problems
    return report
