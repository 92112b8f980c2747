"""YouTube Studio: a zip ``KP Police <from>_<to>.zip`` of Table data, Chart data and Totals.

``Table data.csv`` has the ``Total`` row first, then every video by views;
``Chart data.csv`` the ten most viewed videos, per day; ``Totals.csv`` the
channel's views per day. Daily views add up to the table's views exactly.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pyarrow as pa

from etl.demo.social.accounts import Account
from etl.demo.social.headers import (
    YOUTUBE_CHART_COLUMNS,
    YOUTUBE_TABLE_COLUMNS,
    YOUTUBE_TOTALS_COLUMNS,
)
from etl.demo.social.period import Period, lifetime_share
from etl.demo.social.profiles import YOUTUBE_CHANNEL
from etl.demo.workbooks import zip_bytes
from etl.demo.writers import csv_text, ints, strftime


def youtube_zip(period: Period, account: Account) -> dict[str, bytes]:
    """``KP Police <from>_<to>.zip``: Table data (Total first), Chart data, Totals."""
    cumulative = _cumulative_views(period, account)
    daily = np.diff(
        np.concatenate([np.zeros((len(cumulative), 1), np.int64), cumulative], axis=1), axis=1
    )
    views = cumulative[:, -1]
    order = np.lexsort((account.posts["id"], -views))
    published = _youtube_date(period.stamp(account.posts["t"]))
    totals_text = csv_text(
        YOUTUBE_TOTALS_COLUMNS,
        [np.datetime_as_string(period.dates(), unit="D").astype(object), ints(daily.sum(axis=0))],
    )
    last = period.start + timedelta(days=period.days - 1)
    name = f"youtube/{YOUTUBE_CHANNEL} {period.start.isoformat()}_{last.isoformat()}.zip"
    members = {
        "Table data.csv": _table_text(period, account, views, order, published),
        "Chart data.csv": _chart_text(period, account, daily, order[:10], published),
        "Totals.csv": totals_text,
    }
    return {name: zip_bytes({k: v.encode("utf-8") for k, v in members.items()})}


def _cumulative_views(period: Period, account: Account) -> np.ndarray:
    """Lifetime views of each video (rows) at the end of each day (columns), so
    daily views add up exactly."""
    t = account.posts["t"]
    days = np.arange(period.days)
    return np.floor(
        account.totals["views"][:, None] * lifetime_share(days[None, :] + 1 - t[:, None]) + 1e-9
    ).astype(np.int64)


def _table_text(
    period: Period,
    account: Account,
    views: np.ndarray,
    order: np.ndarray,
    published: list[str],
) -> str:
    """``Table data.csv``: the Total row, then one row per video, most viewed first."""
    posts, totals = account.posts, account.totals
    share = lifetime_share(float(period.days) - posts["t"])
    hours = np.round(totals["watch_hours"] * share, 4)
    subscribers = np.trunc(totals["subscribers"] * share).astype(np.int64)
    impressions = np.floor(totals["impressions"] * share).astype(np.int64)
    ctr = np.round(totals["ctr"], 2)
    clicks = (impressions * ctr).sum()
    total_ctr = round(float(clicks / max(impressions.sum(), 1)), 2)
    table = [
        ["Total", "", "", "", str(views.sum()), _decimal(hours.sum()), str(subscribers.sum()),
         str(impressions.sum()), _decimal(total_ctr)],
    ]  # fmt: skip
    for i in order:
        table.append([posts["id"][i], account.text[i], published[i], str(totals["duration"][i]),
                      str(views[i]), _decimal(hours[i]), str(subscribers[i]),
                      str(impressions[i]), _decimal(ctr[i])])  # fmt: skip
    return csv_text(
        YOUTUBE_TABLE_COLUMNS, [pa.array(c, pa.string()) for c in zip(*table, strict=True)]
    )


def _chart_text(
    period: Period,
    account: Account,
    daily: np.ndarray,
    top: np.ndarray,
    published: list[str],
) -> str:
    """``Chart data.csv``: the ``top`` videos' views on each day since publication."""
    posts, totals = account.posts, account.totals
    chart_rows = [
        (str(period.dates()[d]), posts["id"][i], account.text[i], published[i],
         str(totals["duration"][i]), str(daily[i, d]))
        for d in np.arange(period.days) for i in top if d >= posts["day"][i]
    ]  # fmt: skip
    return csv_text(
        YOUTUBE_CHART_COLUMNS, [pa.array(c, pa.string()) for c in zip(*chart_rows, strict=True)]
    )


def _youtube_date(stamps: np.ndarray) -> list[str]:
    return strftime(stamps, "%b %e, %Y").to_pylist()


def _decimal(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"
