"""Meta Business Suite exports (Facebook, Instagram).

Every kind is recognised from its content (header set, title line), never
from the file name. What lands where (``etl/sources/social.py`` holds the
contract):

- **Content exports** (Facebook posts, Facebook videos, Instagram posts; 31,
  38, 212 or 304 columns in any order) become post snapshots
  (``raw.social_post_snapshots``), one per post and export. The counts are
  the post's lifetime totals as of the export (``Date`` is ``Lifetime``):

  ============== =====================================================
  column         Meta's column
  ============== =====================================================
  impressions    ``Impressions`` in older exports, else ``Views``: Meta
                 renamed impressions to views in 2025 and has no
                 impressions column since (on the real 31-column export
                 ``Views`` >= ``Reach`` on 259 of 261 posts, as
                 impressions are)
  reach          ``Reach`` (unique people)
  reactions      ``Reactions`` (Facebook), ``Likes`` (Instagram)
  comments       ``Comments``
  shares         ``Shares``
  saves          ``Saves`` (Instagram; Facebook has none)
  link_clicks    ``Link Clicks`` (Facebook)
  video_views    video and reel posts only: ``Views``, else (older video
                 exports) ``3-second video views``
  ============== =====================================================

  Everything else is kept aside in ``extra`` (JSON): the 41 ``Percentage of
  total views at interval N`` columns under ``retention`` (interval ->
  percent), the data-dependent ``<metric> by country (<Country> (<ISO2>))``
  columns under ``by_country`` (metric -> ISO2 -> count), and all other
  columns under ``other`` by their header. ``Publish time``
  (``MM/DD/YYYY HH:MM``, no zone) is wall-clock time in
  ``social.naive_timezone`` (Asia/Karachi). Post ids stay text, exactly.
  The account is ``Page name`` (Facebook) or ``Account username``
  (Instagram), per row: one file may hold several accounts.

  **Snapshot time.** Meta writes no download time into the file. The file
  name ``Mon-DD-YYYY_Mon-DD-YYYY_<id>.csv`` carries the export's period;
  the snapshot is the end of its last day (midnight after it, in the naive
  timezone), capped at the load's clock. Without that pattern in the name
  the snapshot is the load's clock. Two downloads of the same period thus
  share a snapshot: the later load updates the earlier one instead of
  adding a second snapshot; exports of different periods are separate
  snapshots that the marts never sum (they take the latest).

- **Insights per-metric daily files** (UTF-16, ``sep=,``, a title line
  such as ``"Facebook reach"``, then ``"Date","Primary"``) become daily
  account metrics (``raw.social_account_daily``). The title, not the file
  name, tells platform and metric (``INSIGHTS_METRICS``). A title that
  names no platform (``"Views"``, ``"Content interactions"``) is not
  guessed: the file is rejected unless the person loading it stated the
  platform (a ``platform`` on the load context, see ``stated_platform``).
  Meta writes each day as ``T00:00:00`` or ``T01:00:00`` (it flips inside
  one file): the date part is the calendar day. The account is
  ``--account``, else ``social.default_account``.

- **Audience.csv** (several tables one after another) becomes audience
  shares (``raw.social_audience``): ``Age & gender`` per age band and
  gender, ``Top countries`` and ``Top cities`` (pairs of rows: names, then
  percentages). Meta writes percentages; shares are stored as 0..1. The
  platform is found as for the daily files; the snapshot is the load's
  clock (the file carries no date).

- **Legacy Page Insights exports** (the old "Export data" of Facebook Page
  Insights): row 1 names the columns, row 2 describes them (dropped: not
  data; used to tell apart columns of the same name). Only ``Daily ...``
  columns and ``Lifetime Total Likes`` (as ``followers``) become daily
  metrics (``LEGACY_METRICS``); ``Weekly``, ``28 Days`` and other
  ``Lifetime`` columns are rolling windows that must never be summed
  across days, so they are kept aside and listed in the load's notes.

- **Legacy post-level exports** (the old "Export data → Post data",
  2012-2018: ``Post ID, Permalink, Post Message, Type, ..., Posted, ...,
  Lifetime Post Total Reach, ...``, the same row of descriptions, then one
  row per post) become post snapshots like the content exports, under their
  own source: lifetime reach, impressions, likes, comments and shares per
  post (``legacy_posts`` says which columns and why).

Modules, one kind each: ``content`` (with ``extra``, the columns kept
aside), ``insights_daily``, ``audience``, ``legacy_page``, ``legacy_posts``;
``shared`` holds what they share (source names, the platform of a file,
post ids and types, export periods, the legacy description row).
"""

from __future__ import annotations

from etl.sources.base import Source
from etl.sources.meta.audience import AUDIENCE_GENDERS, AUDIENCE_PAIRS, MetaAudience
from etl.sources.meta.content import (
    COMMON_COUNTS,
    FACEBOOK_POST_TYPES,
    FACEBOOK_POSTS,
    FACEBOOK_VIDEOS,
    INSTAGRAM_POST_TYPES,
    INSTAGRAM_POSTS,
    PUBLISH_FORMATS,
    VIDEO_TYPES,
    ContentLayout,
    MetaFacebookPosts,
    MetaFacebookVideos,
    MetaInstagramPosts,
    prepare_content,
)
from etl.sources.meta.insights_daily import INSIGHTS_METRICS, MetaInsightsDaily, insights_metric
from etl.sources.meta.legacy_page import LEGACY_METRICS, MetaPageInsightsLegacy
from etl.sources.meta.legacy_posts import LEGACY_POST_ALIASES, MetaPostInsightsLegacy
from etl.sources.meta.shared import (
    AUDIENCE_SOURCE,
    CONTENT_SOURCE,
    INSIGHTS_SOURCE,
    LEGACY_POSTS_SOURCE,
    LEGACY_SOURCE,
    PLATFORM_WORDS,
    VIDEO_SOURCE,
    meta_period,
    meta_snapshot,
    platform_for,
    platform_in,
    stated_platform,
)

SOURCES: list[Source] = [
    MetaFacebookVideos(),
    MetaFacebookPosts(),
    MetaInstagramPosts(),
    MetaInsightsDaily(),
    MetaAudience(),
    MetaPageInsightsLegacy(),
    MetaPostInsightsLegacy(),
]

__all__ = [
    "AUDIENCE_GENDERS",
    "AUDIENCE_PAIRS",
    "AUDIENCE_SOURCE",
    "COMMON_COUNTS",
    "CONTENT_SOURCE",
    "FACEBOOK_POSTS",
    "FACEBOOK_POST_TYPES",
    "FACEBOOK_VIDEOS",
    "INSIGHTS_METRICS",
    "INSIGHTS_SOURCE",
    "INSTAGRAM_POSTS",
    "INSTAGRAM_POST_TYPES",
    "LEGACY_METRICS",
    "LEGACY_POST_ALIASES",
    "LEGACY_POSTS_SOURCE",
    "LEGACY_SOURCE",
    "PLATFORM_WORDS",
    "PUBLISH_FORMATS",
    "SOURCES",
    "VIDEO_SOURCE",
    "VIDEO_TYPES",
    "ContentLayout",
    "MetaAudience",
    "MetaFacebookPosts",
    "MetaFacebookVideos",
    "MetaInsightsDaily",
    "MetaInstagramPosts",
    "MetaPageInsightsLegacy",
    "MetaPostInsightsLegacy",
    "insights_metric",
    "meta_period",
    "meta_snapshot",
    "platform_for",
    "platform_in",
    "prepare_content",
    "stated_platform",
]
