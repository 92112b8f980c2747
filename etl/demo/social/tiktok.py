"""TikTok Studio downloads: ``Overview.csv``, ``Content.csv`` and ``Followers.csv``.

``Phone number clicks `` keeps its trailing space, dates are ``2025/10/31``,
``--`` fills the business-feature columns before the account had them, and
a few ``NAN`` stand in for missing reach. Total followers move by the
overview's net growth.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.demo.social.accounts import Account
from etl.demo.social.headers import (
    TIKTOK_CONTENT_COLUMNS,
    TIKTOK_FOLLOWER_COLUMNS,
    TIKTOK_OVERVIEW_COLUMNS,
)
from etl.demo.social.period import Period, daily_increments, snapshot
from etl.demo.social.profiles import TIKTOK_USERNAME
from etl.demo.writers import csv_text, ints, strftime

DAILY_KEYS = ("views", "reached", "likes", "shares", "comments", "profile_views")


def tiktok_exports(rng: np.random.Generator, period: Period, account: Account) -> dict[str, bytes]:
    """Overview, content and followers, each over the whole period."""
    posts, totals, follow = account.posts, account.totals, account.follow
    daily = {k: np.round(v) for k, v in
             daily_increments(period, posts["t"], {k: totals[k] for k in DAILY_KEYS}).items()}  # fmt: skip
    engaged = daily["likes"] + daily["shares"] + daily["comments"]
    dates = strftime(period.dates(), "%Y/%m/%d")
    overview = _overview(rng, period, account, daily, dates)
    followers_columns = [dates, ints(follow["new"]), ints(follow["total"]),
                         ints(daily["reached"]), ints(engaged)]  # fmt: skip
    return {
        "tiktok/Overview.csv": csv_text(TIKTOK_OVERVIEW_COLUMNS, overview).encode("utf-8"),
        "tiktok/Content.csv": csv_text(TIKTOK_CONTENT_COLUMNS, _content(period, account)).encode(
            "utf-8"
        ),
        "tiktok/Followers.csv": csv_text(TIKTOK_FOLLOWER_COLUMNS, followers_columns).encode(
            "utf-8"
        ),
    }


def _overview(
    rng: np.random.Generator,
    period: Period,
    account: Account,
    daily: dict[str, np.ndarray],
    dates: pa.Array,
) -> list[pa.Array]:
    """The overview's columns, one row per day."""
    follow = account.follow
    # Business features (phone and lead buttons) came halfway: "--" before.
    business = np.arange(period.days) >= period.days // 2
    phone = np.round(daily["views"] * 2e-5 * rng.uniform(0.5, 1.5, period.days))
    leads = np.round(daily["views"] * 5e-6 * rng.uniform(0.0, 2.0, period.days))
    gaps = rng.choice(period.days, size=min(3, period.days), replace=False)
    gap = pa.array(np.isin(np.arange(period.days), gaps))
    return [
        dates, ints(daily["views"]), pc.if_else(gap, "NAN", ints(daily["reached"])),
        ints(daily["profile_views"]), ints(daily["likes"]), ints(daily["shares"]),
        ints(daily["comments"]),
        pc.if_else(pa.array(business), ints(phone), "--"),
        pc.if_else(pa.array(business), ints(leads), "--"),
        ints(follow["new"] - follow["lost"]), ints(follow["new"]), ints(follow["lost"]),
    ]  # fmt: skip


def _content(period: Period, account: Account) -> list[pa.Array]:
    """One row per video, newest first, lifetime counts at the last download."""
    posts, totals = account.posts, account.totals
    rows = np.arange(len(posts["t"]))[::-1]
    life = {k: snapshot(v[rows], posts["t"][rows], float(period.days)) for k, v in totals.items()}
    return [
        pa.array(account.text[rows], pa.string()),
        pa.array(f"https://www.tiktok.com/@{TIKTOK_USERNAME}/video/" + posts["id"][rows],
                 pa.string()),
        strftime(period.stamp(posts["t"][rows]), "%Y/%m/%d %H:%M:%S"),
        ints(life["views"]), ints(life["likes"]), ints(life["comments"]),
        ints(life["shares"]), ints(life["favorites"]),
    ]  # fmt: skip
