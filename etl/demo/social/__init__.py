"""Deterministic demo exports of the media cell's social accounts, as the vendors write them.

``write_social_demo_files`` writes into ``out_dir / "social"`` the files a
provincial police PR cell downloads from its platforms, byte for byte in the
layouts of ``/work/shared/spec/export-formats.md``:

* ``facebook/``: Meta Business Suite post exports of the page "KP Police"
  (31-column variant, UTF-8 with BOM, ``Mon-DD-YYYY_Mon-DD-YYYY_<id>.csv``),
  downloaded about monthly with date ranges that overlap by two to three
  weeks, so many posts are in two exports with grown lifetime metrics; the
  oldest photo rows of each export have 27 fields, as Meta writes them. One
  export of the second page, "KP Police Media Cell", is in the 38-column
  variant with ``Views`` twice (the first: the post's views, as in the
  31-column variant; the second, among the organic/boosted breakdowns:
  views from organic posts, the same number, as the cell boosts nothing).
* ``instagram/``: the same tool's Instagram exports of ``kppoliceofficial``,
  older ones with the column order ending ``...,Saves,Views``, newer ones with
  the current order.
* ``meta_insights/<download date>/{facebook,instagram}/``: Insights
  per-metric daily files (UTF-16LE with BOM, ``sep=,``, a title line such as
  ``"Facebook reach"``, ``"Date","Primary"``, every value quoted, the time
  flipping between ``T01:00:00`` and ``T00:00:00`` with US daylight saving
  time) from two downloads whose ranges overlap, and ``Audience.csv``.
  Besides the spec's files, each download has ``Followers.csv`` (title
  ``"Facebook followers"``: the follower count at the end of each day), so
  follower growth (S3) has a count to start from.
* ``x/``: X account analytics content exports of ``@KPPoliceOfficial`` in
  both header spellings and date styles, overlapping; one overview file; and
  the one **Excel-damaged** file: an older overview download re-saved by
  Excel on a machine with a European list separator (``;`` delimiters,
  ``DD-MM-YYYY`` dates, CRLF). The reader rejects it and asks for a fresh
  download; every day it holds is also in the good overview file.
* ``youtube/``: a YouTube Studio zip ``KP Police <from>_<to>.zip`` with
  ``Table data.csv`` (``Total`` row first), ``Chart data.csv`` (the ten most
  viewed videos, per day) and ``Totals.csv``.
* ``tiktok/``: ``Overview.csv`` (``Phone number clicks `` with its trailing
  space, ``2025/10/31`` dates, ``--`` before the account had business
  features, a few ``NAN``), ``Content.csv`` and ``Followers.csv``.

The data end the day before ``end_date``; every export was downloaded at
00:00 Asia/Karachi on a later day (the last on ``end_date``). The crisis week
is the register demo's (``etl.demo.calendar.crisis_week``: Kurram,
Orakzai, Hangu): more posts, crisis hashtags, and reach, engagement and follows that
spike. Lifetime metrics follow one curve per post (most of it in the first
days, a long tail after), so a later snapshot never shows less than an
earlier one. All numbers are consistent across files: X's ``Create Post`` is
the number of posts of that day, TikTok's total followers move by the
overview's net growth, YouTube's daily views add up to the table's views.

Captions are Urdu, Pashto or English with the cell's campaign hashtags; they
name districts and offices, never a person, and carry no personal data.
Everything follows from ``numpy.random.default_rng(seed)``: the same
``seed``, ``end_date`` and ``months`` give byte-identical files.

Modules: ``profiles`` (the accounts and how they behave), ``period`` (days,
crisis attention, the lifetime curve, download windows), ``accounts``
(followers, posts), ``ids`` (platform ids), ``captions``, ``totals``
(lifetime counts), ``headers`` (the vendors' headers), one exporter per
vendor (``meta``, ``insights``, ``x``, ``youtube``, ``tiktok``) and
``generate``.
"""

from etl.demo.social.generate import SOCIAL_DIR, generate_social_demo, write_social_demo_files
from etl.demo.social.profiles import (
    FACEBOOK_PAGE,
    FACEBOOK_PAGE_2,
    INSTAGRAM_USERNAME,
    TIKTOK_USERNAME,
    X_HANDLE,
    YOUTUBE_CHANNEL,
)

__all__ = [
    "FACEBOOK_PAGE",
    "FACEBOOK_PAGE_2",
    "INSTAGRAM_USERNAME",
    "SOCIAL_DIR",
    "TIKTOK_USERNAME",
    "X_HANDLE",
    "YOUTUBE_CHANNEL",
    "generate_social_demo",
    "write_social_demo_files",
]
