"""Each account's followers, posts, final lifetime totals, captions and platform ids.

An ``Account`` is everything the exporters need of one account; the draws
for one account come from its own generator (see ``generate``), so adding
an account or an export never changes another's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.demo.calendar import CRISIS_DISTRICTS
from etl.demo.social.captions import (
    CAMPAIGN_SHARE,
    CAMPAIGNS,
    CRISIS_POST_SHARE,
    DISTRICTS,
    LANGUAGE_SHARE,
    LANGUAGES,
    captions,
)
from etl.demo.social.ids import (
    ascending_ids,
    random_text,
    snowflake_ids,
    tiktok_ids,
    youtube_ids,
)
from etl.demo.social.period import Period
from etl.demo.social.profiles import HOUR_REACH, POST_HOURS, WEEKDAY_REACH, Profile
from etl.demo.social.totals import metric_totals

# (account, first id, mean step): Meta's ids grow with every object it creates.
META_ID_BASES = (
    ("facebook", 122_100_000_000_000_000, 40_000_000_000),
    ("facebook_2", 122_500_000_000_000_000, 40_000_000_000),
    ("instagram", 18_010_000_000_000_000, 900_000_000_000),
)


@dataclass
class Account:
    """One account's posts with their final totals and captions."""

    profile: Profile
    posts: dict[str, np.ndarray]
    totals: dict[str, np.ndarray]
    text: np.ndarray
    follow: dict[str, np.ndarray]


def make_account(rng: np.random.Generator, period: Period, profile: Profile, style: str) -> Account:
    """Followers, posts, totals and captions (``style``: see ``captions``) of one account."""
    follow = followers(rng, period, profile)
    posts = sample_posts(rng, period, profile, follow["total"])
    totals = metric_totals(rng, posts, profile.platform)
    text = np.array(captions(rng, posts, style), dtype=object)
    return Account(profile, posts, totals, text, follow)


def followers(rng: np.random.Generator, period: Period, profile: Profile) -> dict[str, np.ndarray]:
    """Daily new followers, unfollows and the follower count at each day's end."""
    days = np.arange(period.days)
    weekday = (np.datetime64(period.start, "D") + days).astype("datetime64[D]").astype(int)
    weekday = (weekday + 3) % 7  # 1970-01-01 was a Thursday
    trend = 1.0 + 0.6 * days / max(period.days, 1)
    attention = period.attention()
    noise = np.exp(0.18 * rng.standard_normal(period.days))
    new = np.round(profile.new_per_day * trend * WEEKDAY_REACH[weekday] * attention**1.2 * noise)
    lost = np.round(new * rng.uniform(0.12, 0.28, period.days) * np.sqrt(attention))
    total = profile.followers + np.cumsum(new - lost)
    return {
        "new": new.astype(np.int64),
        "lost": lost.astype(np.int64),
        "total": total.astype(np.int64),
        "weekday": weekday,
    }


def sample_posts(
    rng: np.random.Generator, period: Period, profile: Profile, follower_total: np.ndarray
) -> dict[str, np.ndarray]:
    """When each post went out, its type, topic, language and final lifetime reach."""
    day, hour, t = _post_times(rng, period, profile)
    n = len(day)
    kind = rng.choice(len(profile.types), size=n, p=np.asarray(profile.type_share))
    crisis = period.in_crisis(day) & (rng.random(n) < CRISIS_POST_SHARE)
    campaign = np.array(CAMPAIGNS, dtype=object)[
        rng.choice(len(CAMPAIGNS), size=n, p=np.asarray(CAMPAIGN_SHARE))
    ]
    campaign[crisis] = "crisis"
    weekday = ((day + (np.datetime64(period.start, "D").astype(int) + 3)) % 7).astype(int)
    reach = (
        follower_total[day]
        * profile.reach_per_follower
        * np.asarray(profile.type_reach)[kind]
        * HOUR_REACH[hour]
        * WEEKDAY_REACH[weekday]
        * period.attention()[day] ** 0.9
        * np.exp(0.55 * rng.standard_normal(n))
    )
    return {
        "t": t,
        "day": day,
        "hour": hour,
        "kind": kind,
        "type": np.array(profile.types, dtype=object)[kind],
        "campaign": campaign,
        "language": np.array(LANGUAGES, dtype=object)[
            rng.choice(3, size=n, p=np.asarray(LANGUAGE_SHARE))
        ],
        "district": _district_of(rng, campaign),
        "reach": np.maximum(reach, 120.0),
        "engagement": np.asarray(profile.type_engagement)[kind]
        * np.exp(0.35 * rng.standard_normal(n))
        * np.where(campaign == "crisis", 1.6, 1.0),
    }


def _post_times(
    rng: np.random.Generator, period: Period, profile: Profile
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(day, hour, time in days since ``start``) of each post, in order."""
    counts_of, probs = zip(*profile.per_day, strict=True)
    per_day = np.asarray(counts_of)[rng.choice(len(probs), size=period.days, p=probs)]
    if period.crisis_day is not None:
        for k, extra in enumerate(profile.crisis_extra):
            if period.crisis_day + k < period.days:
                per_day[period.crisis_day + k] += extra
    day = np.repeat(np.arange(period.days), per_day)
    n = len(day)
    hour = rng.choice(24, size=n, p=POST_HOURS / POST_HOURS.sum())
    seconds = hour * 3600 + rng.integers(0, 3600, size=n)
    t = day + seconds / 86400.0
    order = np.argsort(t, kind="stable")
    return day[order], hour[order], t[order]


def _district_of(rng: np.random.Generator, campaign: np.ndarray) -> np.ndarray:
    n = len(campaign)
    district = np.array(DISTRICTS, dtype=object)[rng.integers(0, len(DISTRICTS), size=n)]
    crisis = campaign == "crisis"
    district[crisis] = np.array(CRISIS_DISTRICTS, dtype=object)[
        rng.integers(0, len(CRISIS_DISTRICTS), size=int(crisis.sum()))
    ]
    return district


def give_ids(rng: np.random.Generator, period: Period, accounts: dict[str, Account]) -> None:
    """Platform ids: Meta's increasing numbers, X and TikTok's time-based ones."""
    for key, base, step in META_ID_BASES:
        posts = accounts[key].posts
        posts["id"] = ascending_ids(rng, base, len(posts["t"]), step)
    for key in ("facebook", "facebook_2"):
        posts = accounts[key].posts
        n = len(posts["t"])
        posts["caption_type"] = np.array(["uploaded", "auto-generated", "N/A", "mixed"])[
            rng.choice(4, size=n, p=[0.4, 0.3, 0.25, 0.05])
        ]
        posts["crosspost"] = (rng.random(n) < 0.04).astype(np.int64)
        posts["share"] = (rng.random(n) < 0.03).astype(np.int64)
    accounts["instagram"].posts["shortcode"] = random_text(rng, len(accounts["instagram"].text), 11)
    x = accounts["x"].posts
    x["id"] = snowflake_ids(rng, period, x["t"])
    tiktok = accounts["tiktok"].posts
    tiktok["id"] = tiktok_ids(rng, period, tiktok["t"])
    youtube = accounts["youtube"].posts
    youtube["id"] = youtube_ids(rng, len(youtube["t"]))
