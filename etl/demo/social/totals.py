"""Each post's final lifetime counts, platform by platform (the curve reaches them after months).

Counts follow from the post's reach and engagement rate; crisis posts draw
more comments and shares. The draws of one platform happen in the order of
its dictionary below.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Uniform = Callable[[float, float], np.ndarray]


def metric_totals(
    rng: np.random.Generator, posts: dict[str, np.ndarray], platform: str
) -> dict[str, np.ndarray]:
    """Final lifetime counts of each post (the curve reaches these after months)."""
    n = len(posts["reach"])

    def u(low: float, high: float) -> np.ndarray:
        return rng.uniform(low, high, n)

    builders = {
        "Facebook": _facebook,
        "Instagram": _instagram,
        "X": _x,
        "TikTok": _tiktok,
    }
    return builders.get(platform, _youtube)(rng, posts, u)


def _facebook(rng: np.random.Generator, posts: dict, u: Uniform) -> dict[str, np.ndarray]:
    reach, kind = posts["reach"], posts["type"]
    n = len(reach)
    crisis = posts["campaign"] == "crisis"
    reactions = reach * posts["engagement"]
    is_video = np.isin(kind, ["Reels", "Videos"])
    duration = np.where(kind == "Reels", rng.integers(12, 90, n), rng.integers(60, 600, n))
    views = reach * u(1.25, 1.9)
    return {
        "views": views,
        "reach": reach,
        "reactions": reactions,
        "comments": reactions * u(0.06, 0.18) * np.where(crisis, 2.0, 1.0),
        "shares": reactions * u(0.04, 0.2) * np.where(crisis, 2.5, 1.0),
        "link_clicks": np.where(kind == "Links", reach * u(0.01, 0.035), 0.0),
        "other_clicks": reach * u(0.005, 0.02),
        "photo_clicks": np.where(kind == "Photos", reach * u(0.01, 0.05), 0.0),
        "video_plays": np.where(is_video, views * u(0.7, 0.95), 0.0),
        "seconds_viewed": np.where(is_video, views * duration * u(0.15, 0.45), 0.0),
        "duration": np.where(is_video, duration, 0),
    }


def _instagram(rng: np.random.Generator, posts: dict, u: Uniform) -> dict[str, np.ndarray]:
    reach, kind = posts["reach"], posts["type"]
    crisis = posts["campaign"] == "crisis"
    likes = reach * posts["engagement"]
    return {
        "views": reach * u(1.3, 2.5),
        "reach": reach,
        "likes": likes,
        "comments": likes * u(0.03, 0.1) * np.where(crisis, 2.0, 1.0),
        "shares": likes * u(0.05, 0.25),
        "saves": likes * u(0.04, 0.15),
        "follows": reach * u(0.0005, 0.002),
        "duration": np.where(kind == "IG reel", rng.integers(10, 90, len(reach)), 0),
    }


def _x(rng: np.random.Generator, posts: dict, u: Uniform) -> dict[str, np.ndarray]:
    reach, kind = posts["reach"], posts["type"]
    crisis = posts["campaign"] == "crisis"
    likes = reach * posts["engagement"] * u(0.5, 0.8)
    return {
        "impressions": reach,
        "likes": likes,
        "bookmarks": likes * u(0.02, 0.1),
        "shares": likes * u(0.0, 0.05),
        "new_follows": reach * u(0.0, 0.0006),
        "replies": likes * u(0.05, 0.2) * np.where(crisis, 2.0, 1.0),
        "reposts": likes * u(0.1, 0.35) * np.where(crisis, 2.0, 1.0),
        "profile_visits": reach * u(0.001, 0.004),
        "detail_expands": reach * u(0.004, 0.015),
        "url_clicks": reach * u(0.0, 0.006),
        "hashtag_clicks": reach * u(0.0, 0.002),
        "permalink_clicks": reach * u(0.0, 0.002),
        "video_views": np.where(kind == "video", reach * u(0.2, 0.4), 0.0),
        "media_views": np.where(kind != "text", reach * u(0.3, 0.6), 0.0),
    }


def _tiktok(rng: np.random.Generator, posts: dict, u: Uniform) -> dict[str, np.ndarray]:
    reach = posts["reach"]
    crisis = posts["campaign"] == "crisis"
    likes = reach * posts["engagement"]
    return {
        "views": reach,
        "reached": reach * u(0.6, 0.8),
        "likes": likes,
        "comments": likes * u(0.02, 0.08) * np.where(crisis, 2.0, 1.0),
        "shares": likes * u(0.03, 0.15),
        "favorites": likes * u(0.05, 0.15),
        "profile_views": reach * u(0.004, 0.012),
    }


def _youtube(rng: np.random.Generator, posts: dict, u: Uniform) -> dict[str, np.ndarray]:
    reach, kind = posts["reach"], posts["type"]
    n = len(reach)
    short = kind == "short"
    duration = np.where(short, rng.integers(15, 60, n), rng.integers(120, 900, n))
    return {
        "views": reach,
        "watch_hours": reach * duration * np.where(short, u(0.5, 0.9), u(0.2, 0.45)) / 3600,
        "subscribers": reach * u(-0.0012, 0.004),
        "impressions": np.where(short, reach * u(0.01, 0.05), reach * u(8.0, 25.0)),
        "ctr": np.where(short, u(0.5, 4.0), u(2.0, 9.0)),
        "duration": duration,
    }
