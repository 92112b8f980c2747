"""X account analytics: content exports in both header spellings, the overview, a damaged copy.

Content exports of about 90 days overlap; those downloaded late use the
later header spelling and date style. The overview's ``Create Post`` is the
number of posts of that day. One older overview download was re-saved by
Excel on a machine with a European list separator (``;``, ``DD-MM-YYYY``,
CRLF, cp1252): the reader rejects it and asks for a fresh download; every
day it holds is also in the good overview file.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.demo.social.accounts import Account
from etl.demo.social.headers import (
    X_CONTENT_COLUMNS_EARLY,
    X_CONTENT_COLUMNS_LATE,
    X_OVERVIEW_COLUMNS,
)
from etl.demo.social.period import Period, daily_increments, download_windows, in_window, snapshot
from etl.demo.social.profiles import X_HANDLE
from etl.demo.writers import MINIMAL_QUOTE, csv_text, ints, quote_when, quoted, strftime


def x_content_exports(
    rng: np.random.Generator, period: Period, account: Account
) -> dict[str, bytes]:
    """Exports of about 90 days, downloaded every 75 days or so; those downloaded in
    the last 40% of the period have the later header spelling and date style."""
    files = {}
    posts, totals = account.posts, account.totals
    switch = int(period.days * 0.6)
    for window in download_windows(rng, period, spacing=75, overlap=(12, 20)):
        rows = in_window(posts, window)[::-1]  # newest first
        t = posts["t"][rows]
        life = {k: snapshot(v[rows], t, window.at) for k, v in totals.items()}
        late = window.at >= switch
        stamps = period.stamp(t)
        dates = strftime(stamps, "%a, %b %e, %Y") if late else strftime(stamps, "%a %b %d %Y")
        parts = ("likes", "bookmarks", "shares", "new_follows", "replies", "reposts",
                 "profile_visits", "detail_expands", "url_clicks", "hashtag_clicks",
                 "permalink_clicks")  # fmt: skip
        engagements = sum(life[p] for p in parts)
        columns = [
            pa.array(posts["id"][rows], pa.string()),
            dates,
            quoted(pa.array(account.text[rows], pa.string())),  # X always quotes the text
            pa.array(f"https://x.com/{X_HANDLE}/status/" + posts["id"][rows], pa.string()),
            ints(life["impressions"]),
            ints(life["likes"]),
            ints(engagements),
            *[ints(life[p]) for p in parts[1:]],
        ]
        header = X_CONTENT_COLUMNS_LATE if late else X_CONTENT_COLUMNS_EARLY
        first = period.start + timedelta(days=window.first)
        last = period.start + timedelta(days=window.last)
        name = f"x/account_analytics_content_{first:%Y%m%d}_{last:%Y%m%d}.csv"
        files[name] = csv_text(header, columns, quote=_keep_quoted).encode("utf-8")
    return files


def _keep_quoted(values: pa.Array) -> pa.Array:
    """Minimal quoting, but leave fields that are already quoted alone."""
    already = pc.starts_with(values, '"')
    return pc.if_else(already, values, MINIMAL_QUOTE(values))


def x_overview(rng: np.random.Generator, period: Period, account: Account) -> dict[str, bytes]:
    """The daily overview (newest first), and its Excel-damaged older copy."""
    values = _overview_values(period, account)
    order = np.arange(period.days)[::-1]
    stamps = period.dates()[order]
    columns = [strftime(stamps, "%a, %b %e, %Y")] + [
        ints(values[c][order]) for c in X_OVERVIEW_COLUMNS[1:]
    ]
    last = period.start + timedelta(days=period.days - 1)
    name = f"x/account_overview_analytics_{period.start:%Y%m%d}_{last:%Y%m%d}.csv"
    files = {name: csv_text(X_OVERVIEW_COLUMNS, columns).encode("utf-8")}
    # An older 90-day download someone opened and saved in Excel with a European
    # list separator: ";" between fields, dates rewritten DD-MM-YYYY, CRLF.
    span = min(90, period.days)
    old = order[-span:]
    damaged = [strftime(period.dates()[old], "%d-%m-%Y")] + [
        ints(values[c][old]) for c in X_OVERVIEW_COLUMNS[1:]
    ]
    old_last = period.start + timedelta(days=span - 1)
    damaged_name = f"x/account_overview_analytics_{period.start:%Y%m%d}_{old_last:%Y%m%d}.csv"
    files[damaged_name] = csv_text(
        X_OVERVIEW_COLUMNS, damaged, sep=";", eol="\r\n", quote=quote_when('[;"\r\n]')
    ).encode("cp1252")
    return files


def _overview_values(period: Period, account: Account) -> dict[str, np.ndarray]:
    """The overview's daily columns (by header name), oldest day first: what the
    posts added each day, impressions of the timeline, follows, posts made."""
    totals = account.totals
    keys = ("impressions", "likes", "bookmarks", "shares", "replies", "reposts",
            "profile_visits", "video_views", "media_views")  # fmt: skip
    wanted = {k: totals[k] for k in keys}
    wanted["engagements"] = sum(
        totals[k] for k in (*keys[1:7], "detail_expands", "url_clicks", "hashtag_clicks",
                            "permalink_clicks", "new_follows")
    )  # fmt: skip
    daily = {
        k: np.round(v) for k, v in daily_increments(period, account.posts["t"], wanted).items()
    }
    daily["impressions"] += np.round(0.002 * account.follow["total"])
    posted = np.bincount(account.posts["day"], minlength=period.days)
    values = {
        "Impressions": daily["impressions"], "Likes": daily["likes"],
        "Engagements": daily["engagements"], "Bookmarks": daily["bookmarks"],
        "Shares": daily["shares"], "New follows": account.follow["new"],
        "Unfollows": account.follow["lost"], "Replies": daily["replies"],
        "Reposts": daily["reposts"], "Profile visits": daily["profile_visits"],
        "Create Post": posted, "Video views": daily["video_views"],
        "Media views": daily["media_views"],
    }  # fmt: skip
    return values
