"""Meta Insights downloads: per-metric daily files and the audience, as Meta writes them.

UTF-16LE with BOM, ``sep=,``, a title line such as ``"Facebook reach"``,
``"Date","Primary"``, every value quoted, the time flipping between
``T01:00:00`` and ``T00:00:00`` with US daylight saving time. Two downloads
whose ranges overlap; besides the spec's files each has ``Followers.csv``
(the follower count at the end of each day), so follower growth (S3) has a
count to start from. The last download also has ``Audience.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import numpy as np
import pandas as pd
import pyarrow as pa

from etl.demo.social.accounts import Account
from etl.demo.social.headers import INSIGHTS_FILES, INSIGHTS_HEADER
from etl.demo.social.period import Period, Window, daily_increments
from etl.demo.writers import csv_text, ints, quoted

UTF16_BOM = b"\xff\xfe"

AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
COUNTRIES = (
    "Pakistan", "Saudi Arabia", "United Arab Emirates", "Afghanistan", "Qatar",
    "United Kingdom", "Oman", "Kuwait", "Malaysia", "United States",
)  # fmt: skip
CITIES = (
    "Peshawar, Pakistan", "Mardan, Pakistan", "Islamabad, Pakistan", "Karachi, Pakistan",
    "Swat, Pakistan", "Abbottabad, Pakistan", "Kohat, Pakistan", "Dubai, United Arab Emirates",
    "Bannu, Pakistan", "Riyadh, Saudi Arabia",
)  # fmt: skip


def insights_time_suffix(days: np.ndarray) -> np.ndarray:
    """``T00:00:00`` on days whose midnight in California is daylight time, else
    ``T01:00:00``: Meta writes Pacific midnight as Pakistan's calendar day."""
    local = pd.DatetimeIndex(days.astype("datetime64[ns]")).tz_localize(
        "America/Los_Angeles", nonexistent="shift_forward", ambiguous=True
    )
    offset_hours = (local.tz_localize(None) - local.tz_convert("UTC").tz_localize(None)) / (
        pd.Timedelta(hours=1)
    )
    return np.where(np.asarray(offset_hours) == -7, "T00:00:00", "T01:00:00")


def insights_file(title: str, days: np.ndarray, values: np.ndarray) -> bytes:
    """One metric's daily file (``title``: its title line, e.g. ``Facebook reach``)."""
    dates = np.datetime_as_string(days, unit="D").astype(object) + insights_time_suffix(days)
    body = csv_text(INSIGHTS_HEADER, [pa.array(dates, pa.string()), ints(values)], quote=quoted)
    text = f'sep=,\n"{title}"\n{body}\n'  # Meta ends the file with an empty line
    return UTF16_BOM + text.encode("utf-16-le")


def insights_series(
    rng: np.random.Generator, period: Period, account: Account, platform: str
) -> dict[str, np.ndarray]:
    """The account's daily metrics: what its posts added that day, plus a baseline."""
    totals = account.totals
    names = ("views", "reach", "link_clicks") if platform == "Facebook" else ("views", "reach")
    engaged = ("reactions", "comments", "shares") if platform == "Facebook" else (
        "likes", "comments", "shares", "saves"
    )  # fmt: skip
    wanted = {name: totals[name] for name in names}
    wanted["interactions"] = sum(totals[name] for name in engaged)
    daily = daily_increments(period, account.posts["t"], wanted)
    audience = account.follow["total"] * period.attention()
    noise = np.exp(0.1 * rng.standard_normal((3, period.days)))
    reach = 0.6 * daily["reach"] + 0.008 * audience * noise[0]
    out = {
        "views": np.round(daily["views"] + 0.015 * audience * noise[1]),
        "reach": np.round(reach),
        "follows": account.follow["new"],
        "followers": account.follow["total"],
        "visits": np.round(reach * 0.015 * noise[2]),
        "interactions": np.round(daily["interactions"]),
    }
    if platform == "Facebook":
        out["link_clicks"] = np.round(daily["link_clicks"])
    return out


def insights_exports(
    rng: np.random.Generator, period: Period, facebook: Account, instagram: Account
) -> dict[str, bytes]:
    """Two downloads: the first up to about 60% of the period, the second from 45 days
    before that to the end (the overlap carries the same values)."""
    cut = max(int(period.days * 0.6), 1)
    downloads = [Window(0, cut - 1, cut), Window(max(cut - 45, 0), period.days - 1, period.days)]
    series = {
        "facebook": insights_series(rng, period, facebook, "Facebook"),
        "instagram": insights_series(rng, period, instagram, "Instagram"),
    }
    files = {}
    for window in downloads:
        folder = f"meta_insights/{period.start + timedelta(days=window.at)}"
        days = period.dates(window.first, window.last + 1)
        for platform, specs in INSIGHTS_FILES.items():
            for file_name, title, key in specs:
                values = series[platform][key][window.first : window.last + 1]
                files[f"{folder}/{platform}/{file_name}"] = insights_file(title, days, values)
    last = f"meta_insights/{period.start + timedelta(days=downloads[-1].at)}"
    files[f"{last}/facebook/Audience.csv"] = audience_file(rng)
    return files


def audience_file(rng: np.random.Generator) -> bytes:
    """``Audience.csv``: age & gender (percent of followers), then top countries and
    top cities as transposed pairs of rows."""
    women = np.array([4.2, 3.6, 1.5, 0.7, 0.3, 0.2]) * rng.uniform(0.9, 1.1, 6)
    men = np.array([27.5, 30.8, 15.2, 8.9, 4.3, 3.1]) * rng.uniform(0.9, 1.1, 6)
    scale = 100.0 / (women.sum() + men.sum())
    countries = np.array([86.0, 4.2, 3.1, 1.2, 0.9, 0.8, 0.6, 0.5, 0.4, 0.3])
    cities = np.array([21.0, 7.5, 6.8, 5.9, 5.1, 4.2, 3.7, 2.1, 2.0, 1.3])

    def row(cells: Sequence[str]) -> str:
        return ",".join('"' + c.replace('"', '""') + '"' for c in cells)

    def pct(values: np.ndarray) -> list[str]:
        return [f"{v:.1f}" for v in values]

    lines = ["sep=,", row(["Age & gender"]), row(["", "Women", "Men"])]
    for band, w, m in zip(AGE_BANDS, pct(women * scale), pct(men * scale), strict=True):
        lines.append(row([band, w, m]))
    lines += ["", row(["Top countries"]), row(COUNTRIES)]
    lines.append(row(pct(countries * rng.uniform(0.97, 1.03, len(countries)))))
    lines += ["", row(["Top cities"]), row(CITIES)]
    lines.append(row(pct(cities * rng.uniform(0.95, 1.05, len(cities)))))
    return UTF16_BOM + ("\n".join(lines) + "\n\n").encode("utf-16-le")
