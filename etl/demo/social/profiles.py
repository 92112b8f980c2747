"""The cell's accounts: who they are on each platform and how each one behaves.

A ``Profile`` says how often an account posts (more in the crisis week),
which post types, how far each type reaches and engages, and how many
followers it starts with. The hour and weekday weights are the cell's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FACEBOOK_PAGE = "KP Police"
FACEBOOK_PAGE_2 = "KP Police Media Cell"
FACEBOOK_PAGE_IDS = (("100064817236459", FACEBOOK_PAGE), ("100083265140772", FACEBOOK_PAGE_2))
INSTAGRAM_USERNAME = "kppoliceofficial"
INSTAGRAM_NAME = "KP Police"
INSTAGRAM_ACCOUNT_ID = "17841401952713846"
X_HANDLE = "KPPoliceOfficial"
YOUTUBE_CHANNEL = "KP Police"
TIKTOK_USERNAME = "kppolice.official"


@dataclass(frozen=True)
class Profile:
    """Posting and audience profile of one account."""

    platform: str
    per_day: tuple[tuple[int, float], ...]  # (posts a day, probability)
    crisis_extra: tuple[int, ...]  # extra posts on each day of the crisis week
    types: tuple[str, ...]
    type_share: tuple[float, ...]
    type_reach: tuple[float, ...]  # reach multiplier by type (reels highest)
    type_engagement: tuple[float, ...]  # engagements per reach, by type
    followers: int  # at the start of the period
    new_per_day: float  # new followers a day at the start
    reach_per_follower: float  # median lifetime reach of a post per follower


FACEBOOK = Profile(
    "Facebook", ((3, 0.2), (4, 0.3), (5, 0.3), (6, 0.2)), (3, 4, 4, 3, 2, 2, 1),
    ("Photos", "Reels", "Links", "Videos", "Text"), (0.52, 0.16, 0.12, 0.10, 0.10),
    (1.0, 2.6, 0.6, 1.5, 0.5), (0.045, 0.07, 0.02, 0.05, 0.035), 1_150_000, 520.0, 0.018,
)  # fmt: skip
FACEBOOK_2 = Profile(
    "Facebook", ((0, 0.2), (1, 0.5), (2, 0.3)), (1, 2, 2, 1, 1, 0, 0),
    ("Photos", "Reels", "Links", "Videos", "Text"), (0.30, 0.35, 0.05, 0.25, 0.05),
    (1.0, 2.4, 0.6, 1.4, 0.5), (0.04, 0.065, 0.02, 0.05, 0.03), 86_000, 60.0, 0.03,
)  # fmt: skip
INSTAGRAM = Profile(
    "Instagram", ((1, 0.55), (2, 0.45)), (1, 1, 1, 1, 0, 0, 0),
    ("IG image", "IG reel", "IG carousel"), (0.45, 0.40, 0.15),
    (1.0, 2.4, 1.3), (0.05, 0.07, 0.06), 148_000, 210.0, 0.09,
)  # fmt: skip
X = Profile(
    "X", ((4, 0.12), (5, 0.22), (6, 0.30), (7, 0.22), (8, 0.14)), (6, 8, 8, 6, 4, 3, 2),
    ("text", "photo", "video"), (0.35, 0.45, 0.20),
    (0.7, 1.0, 1.4), (0.02, 0.025, 0.03), 512_000, 170.0, 0.022,
)  # fmt: skip
TIKTOK = Profile(
    "TikTok", ((0, 0.12), (1, 0.76), (2, 0.12)), (0, 1, 1, 1, 0, 0, 0),
    ("video",), (1.0,), (1.0,), (0.07,), 265_000, 520.0, 0.11,
)  # fmt: skip
YOUTUBE = Profile(
    "YouTube", ((0, 0.57), (1, 0.43)), (0, 1, 0, 0, 1, 0, 0),
    ("short", "video"), (0.6, 0.4), (1.6, 1.0), (0.03, 0.04), 41_000, 52.0, 0.08,
)  # fmt: skip

# When the cell posts (PKT hour weights) and how each hour's posts do.
POST_HOURS = np.array(
    [1, 0, 0, 0, 0, 0, 0, 1, 2, 5, 8, 9, 8, 7, 7, 6, 6, 6, 7, 8, 9, 8, 5, 2], float
)
HOUR_REACH = np.array([0.6] * 7 + [0.8] * 3 + [1.0] * 4 + [0.95] * 4 + [1.3] * 5 + [1.0], float)
WEEKDAY_REACH = np.array([1.0, 1.02, 1.02, 1.0, 0.85, 0.95, 1.05])  # Mon..Sun
