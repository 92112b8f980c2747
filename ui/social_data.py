"""Cached, read-only access to the social marts for the social engagement page.

The same pattern as ``ui.data``: every call opens a short-lived read-only
connection (``metrics.warehouse.reading``) and closes it before returning;
results are cached with ``st.cache_data`` keyed on (metrics function, the
warehouse's path and snapshot id, filters, keyword arguments), so a new
load shows on the next rerun and an unchanged warehouse is never queried
twice. Caches are bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from metrics import social, social_breakdowns
from metrics.filters import Filters
from ui.data import query

_METRICS: dict[str, Callable[..., pd.DataFrame]] = {
    "platform_summary": social.platform_summary,
    "reach_and_impressions": social.reach_and_impressions,
    "engagement_rate": social.engagement_rate,
    "follower_growth": social.follower_growth,
    "posting_cadence": social.posting_cadence,
    "top_posts": social.top_posts,
    "public_response": social.public_response,
    "weekly_trend": social_breakdowns.weekly_trend,
    "daily_posts": social_breakdowns.daily_posts,
    "hour_of_week": social_breakdowns.hour_of_week,
    "account_daily": social_breakdowns.account_daily,
    "content_types": social_breakdowns.content_types,
    "tag_comparison": social_breakdowns.tag_comparison,
    "audience": social_breakdowns.audience,
}


def metric(name: str, filters: Filters, **kwargs: Any) -> pd.DataFrame:
    """``metrics.social[_breakdowns].<name>(con, filters, **kwargs)``, cached."""
    return query(_METRICS[name], filters, **kwargs)


def status() -> pd.DataFrame:
    """What social data the warehouse holds (``social_breakdowns.social_status``)."""
    return query(social_breakdowns.social_status)


def has_social_data() -> bool:
    """Whether any post, daily account metric or audience row is loaded."""
    row = status().iloc[0]
    return bool(row["posts"] or row["account_days"] or row["audience_rows"])


def platform_summary(f: Filters) -> pd.DataFrame:
    return metric("platform_summary", f)


def engagement_rate(f: Filters) -> pd.DataFrame:
    return metric("engagement_rate", f)


def follower_growth(f: Filters) -> pd.DataFrame:
    return metric("follower_growth", f)


def top_posts(f: Filters, min_impressions: int, limit: int = 20) -> pd.DataFrame:
    return metric("top_posts", f, min_impressions=min_impressions, limit=limit)


def public_response(f: Filters) -> pd.DataFrame:
    return metric("public_response", f)


def weekly_trend(f: Filters) -> pd.DataFrame:
    return metric("weekly_trend", f)


def daily_posts(f: Filters) -> pd.DataFrame:
    return metric("daily_posts", f)


def hour_of_week(f: Filters, platform: str | None) -> pd.DataFrame:
    return metric("hour_of_week", f, platform=platform)


def account_daily(f: Filters) -> pd.DataFrame:
    return metric("account_daily", f)


def content_types(f: Filters) -> pd.DataFrame:
    return metric("content_types", f)


def tag_comparison(f: Filters, kind: str, limit: int = 15) -> pd.DataFrame:
    return metric("tag_comparison", f, kind=kind, limit=limit)


def audience(f: Filters) -> pd.DataFrame:
    return metric("audience", f)


def post_snapshots(platform: str, account: str, post_id: str) -> pd.DataFrame:
    """Every snapshot of one post (its growth curve), cached."""
    return query(social_breakdowns.post_snapshots, platform, account, post_id)
