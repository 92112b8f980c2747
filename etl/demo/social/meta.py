"""Meta Business Suite post exports: Facebook (31 and 38 columns) and Instagram.

``Mon-DD-YYYY_Mon-DD-YYYY_<id>.csv``, UTF-8 with BOM, Meta's quoting (a
space is enough to quote a field), newest post first, lifetime metrics as
of the download. Downloads overlap, so many posts are in two exports with
grown numbers; the oldest photo rows of each page export have 27 fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from etl.demo.social.accounts import Account
from etl.demo.social.headers import (
    FACEBOOK_38_COLUMNS,
    FACEBOOK_POST_COLUMNS,
    FACEBOOK_RAGGED_FIELDS,
    INSTAGRAM_POST_COLUMNS,
    INSTAGRAM_POST_COLUMNS_OTHER_ORDER,
)
from etl.demo.social.period import Period, Window, download_windows, in_window, snapshot
from etl.demo.social.profiles import (
    FACEBOOK_PAGE_IDS,
    INSTAGRAM_ACCOUNT_ID,
    INSTAGRAM_NAME,
    INSTAGRAM_USERNAME,
)
from etl.demo.writers import META_QUOTE, blank_unless, constant, csv_text, ints, strftime, utf8_bom

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def facebook_exports(
    rng: np.random.Generator, period: Period, page: Account, page_2: Account
) -> dict[str, bytes]:
    """The page's monthly-ish exports, and one export of the second page (38 columns)."""
    files = {}
    for window in download_windows(rng, period, spacing=30, overlap=(12, 21)):
        rows = in_window(page.posts, window)[::-1]  # newest first, as Meta lists them
        values = facebook_rows(period, page, rows, window.at, FACEBOOK_PAGE_IDS[0])
        # The oldest photos come without the last four fields.
        oldest = np.zeros(len(rows), bool)
        photos = np.flatnonzero(page.posts["type"][rows] == "Photos")
        oldest[photos[-int(rng.integers(3, 6)) :]] = True
        text = csv_text(
            FACEBOOK_POST_COLUMNS,
            _columns_for(FACEBOOK_POST_COLUMNS, values),
            quote=META_QUOTE,
            ragged=oldest,
            ragged_fields=FACEBOOK_RAGGED_FIELDS,
        )
        files[meta_name("facebook", period, window, rng)] = utf8_bom(text)
    window = Window(max(period.days - 75, 0), period.days - 1, period.days)
    rows = in_window(page_2.posts, window)[::-1]
    values = facebook_rows(period, page_2, rows, window.at, FACEBOOK_PAGE_IDS[1])
    text = csv_text(
        FACEBOOK_38_COLUMNS,
        _columns_for(FACEBOOK_38_COLUMNS, values),
        quote=META_QUOTE,
    )
    files[meta_name("facebook", period, window, rng)] = utf8_bom(text)
    return files


def facebook_rows(
    period: Period, account: Account, rows: np.ndarray, at: float, page: tuple[str, str]
) -> dict[str, pa.Array]:
    """Facebook post columns (by header name, both variants) for ``rows`` as downloaded at ``at``."""
    totals = account.totals
    t = account.posts["t"][rows]
    life = {k: snapshot(v[rows], t, at) for k, v in totals.items() if k != "duration"}
    kind = account.posts["type"][rows]
    video = np.isin(kind, ["Reels", "Videos"])
    return {
        **_facebook_post(period, account, rows, page, video),
        **_facebook_metrics(life, kind, video),
        **_facebook_38_extras(life, video),
    }


def _facebook_post(
    period: Period, account: Account, rows: np.ndarray, page: tuple[str, str], video: np.ndarray
) -> dict[str, pa.Array]:
    """What the post is: ids, text, time, link, type."""
    posts = account.posts
    kind = posts["type"][rows]
    n = len(rows)
    page_id, name = page
    ids = posts["id"][rows]
    links = np.where(
        kind == "Reels",
        "https://www.facebook.com/reel/" + ids,
        np.where(
            kind == "Videos",
            f"https://www.facebook.com/{page_id}/videos/" + ids,
            f"https://www.facebook.com/{page_id}/posts/" + ids,
        ),
    )
    caption = account.text[rows]
    return {
        "Post ID": pa.array(ids, pa.string()),
        "Page ID": constant(page_id, n),
        "Page name": constant(name, n),
        "Title": pa.array(np.where(video, _first_line(caption), caption), pa.string()),
        "Description": pa.array(np.where(video, caption, ""), pa.string()),
        "Duration (sec)": ints(account.totals["duration"][rows]),
        "Publish time": strftime(period.stamp(posts["t"][rows]), "%m/%d/%Y %H:%M"),
        "Caption type": pa.array(
            np.where(video, posts["caption_type"][rows], "N/A").astype(object), pa.string()
        ),
        "Permalink": pa.array(links.astype(object), pa.string()),
        "Is crosspost": ints(posts["crosspost"][rows]),
        "Is share": ints(posts["share"][rows]),
        "Post type": pa.array(kind, pa.string()),
        "Languages": constant("", n),
        "Custom labels": constant("", n),
        "Funded content status": constant("", n),
        "Data comment": constant("", n),
        "Date": constant("Lifetime", n),
    }


def _facebook_metrics(
    life: dict[str, np.ndarray], kind: np.ndarray, video: np.ndarray
) -> dict[str, pa.Array]:
    """Lifetime metrics of the 31-column variant (most are in the 38 too)."""
    n = len(kind)
    clicks = life["link_clicks"] + life["other_clicks"] + life["photo_clicks"]
    avg_seconds = np.where(video, life["seconds_viewed"] // np.maximum(life["views"], 1), 0)
    return {
        "Views": ints(life["views"]),
        "Reach": ints(life["reach"]),
        "Reactions, Comments and Shares": ints(
            life["reactions"] + life["comments"] + life["shares"]
        ),
        "Reactions": ints(life["reactions"]),
        "Comments": ints(life["comments"]),
        "Shares": ints(life["shares"]),
        "Total clicks": ints(clicks),
        "Link Clicks": blank_unless(kind == "Links", ints(life["link_clicks"])),
        "Other Clicks": ints(life["other_clicks"]),
        "Matched Audience Targeting Consumption (Photo Click)": blank_unless(
            kind == "Photos", ints(life["photo_clicks"])
        ),
        "Seconds viewed": blank_unless(video, ints(life["seconds_viewed"])),
        "Average Seconds viewed": blank_unless(video, ints(avg_seconds)),
        "Estimated earnings (USD)": constant("", n),
        "Ad impressions": constant("", n),
    }


def _facebook_38_extras(life: dict[str, np.ndarray], video: np.ndarray) -> dict[str, pa.Array]:
    """Columns only the 38-column variant has. The cell never boosts a post:
    everything is organic, and the second ``Views`` (views from organic
    posts) equals the first."""
    n = len(video)
    three_second = life["video_plays"] * 6 // 10
    return {
        "Views (2)": ints(life["views"]),
        "Reach from Organic posts": ints(life["reach"]),
        "Reach from Boosted posts": ints(np.zeros(n)),
        "3-second video views": blank_unless(video, ints(three_second)),
        "1-minute video views": blank_unless(video, ints(life["video_plays"] // 8)),
        "3-Second viewers": blank_unless(video, ints(three_second * 7 // 10)),
        "1-minute viewers": blank_unless(video, ints(life["video_plays"] // 11)),
        "3-second video views from Boosted posts": blank_unless(video, ints(np.zeros(n))),
        "3-second video views from Organic posts": blank_unless(video, ints(three_second)),
        "Negative feedback from users": ints(life["reach"] // 2500),
        "Unique negative feedback from users": ints(life["reach"] // 4000),
    }


def _first_line(captions: np.ndarray) -> np.ndarray:
    return np.array([c.split("\n", 1)[0] for c in captions], dtype=object)


def _columns_for(header: Sequence[str], values: dict[str, pa.Array]) -> list[pa.Array]:
    """Columns in header order; a repeated name takes ``<name> (2)``."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        out.append(values[name if seen[name] == 1 else f"{name} ({seen[name]})"])
    return out


def instagram_exports(
    rng: np.random.Generator, period: Period, account: Account
) -> dict[str, bytes]:
    """Exports every two months or so; older ones in the other column order."""
    files = {}
    windows = download_windows(rng, period, spacing=58, overlap=(14, 24))
    for number, window in enumerate(windows):
        values = _instagram_rows(period, account, in_window(account.posts, window), window.at)
        header = (
            INSTAGRAM_POST_COLUMNS_OTHER_ORDER
            if number < len(windows) // 2
            else INSTAGRAM_POST_COLUMNS
        )
        text = csv_text(header, [values[h] for h in header], quote=META_QUOTE)
        files[meta_name("instagram", period, window, rng)] = utf8_bom(text)
    return files


def _instagram_rows(
    period: Period, account: Account, rows: np.ndarray, at: float
) -> dict[str, pa.Array]:
    """Instagram post columns (by header name) for ``rows`` as downloaded at ``at``."""
    posts, totals = account.posts, account.totals
    t = posts["t"][rows]
    life = {k: snapshot(v[rows], t, at) for k, v in totals.items()}
    n = len(rows)
    reel = posts["type"][rows] == "IG reel"
    values = {
        "Post ID": pa.array(posts["id"][rows], pa.string()),
        "Account ID": constant(INSTAGRAM_ACCOUNT_ID, n),
        "Account username": constant(INSTAGRAM_USERNAME, n),
        "Account name": constant(INSTAGRAM_NAME, n),
        "Description": pa.array(account.text[rows], pa.string()),
        "Duration (sec)": ints(totals["duration"][rows]),
        "Publish time": strftime(period.stamp(t), "%m/%d/%Y %H:%M"),
        "Permalink": pa.array(
            np.where(reel, "https://www.instagram.com/reel/", "https://www.instagram.com/p/")
            + posts["shortcode"][rows]
            + "/",
            pa.string(),
        ),
        "Post type": pa.array(posts["type"][rows], pa.string()),
        "Data comment": constant("", n),
        "Date": constant("Lifetime", n),
        "Follows": blank_unless(~reel, ints(life["follows"])),
    }
    for name, key in (("Views", "views"), ("Reach", "reach"), ("Likes", "likes"),
                      ("Shares", "shares"), ("Comments", "comments"), ("Saves", "saves")):  # fmt: skip
        values[name] = ints(life[key])
    return values


def meta_name(folder: str, period: Period, window: Window, rng: np.random.Generator) -> str:
    """``<folder>/Mon-DD-YYYY_Mon-DD-YYYY_<export id>.csv`` of a download."""
    first = period.start + timedelta(days=window.first)
    last = period.start + timedelta(days=window.last)
    export_id = int(rng.integers(10**15, 2 * 10**15))
    return f"{folder}/{_label(first)}_{_label(last)}_{export_id}.csv"


def _label(day: date) -> str:
    """Meta's file-name date: ``Jan-14-2025``."""
    return f"{MONTHS[day.month - 1]}-{day.day:02d}-{day.year}"
