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
is the register demo's (``etl.demo.crisis_week_start``: Kurram, Orakzai,
Hangu): more posts, crisis hashtags, and reach, engagement and follows that
spike. Lifetime metrics follow one curve per post (most of it in the first
days, a long tail after), so a later snapshot never shows less than an
earlier one. All numbers are consistent across files: X's ``Create Post`` is
the number of posts of that day, TikTok's total followers move by the
overview's net growth, YouTube's daily views add up to the table's views.

Captions are Urdu, Pashto or English with the cell's campaign hashtags; they
name districts and offices, never a person, and carry no personal data.
Everything follows from ``numpy.random.default_rng(seed)``: the same
``seed``, ``end_date`` and ``months`` give byte-identical files.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.demo import DEMO_SEED, crisis_week_start, default_end_date

Progress = Callable[[float, str], None]

FACEBOOK_PAGE = "KP Police"
FACEBOOK_PAGE_2 = "KP Police Media Cell"
INSTAGRAM_USERNAME = "kppoliceofficial"
INSTAGRAM_NAME = "KP Police"
X_HANDLE = "KPPoliceOfficial"
YOUTUBE_CHANNEL = "KP Police"
TIKTOK_USERNAME = "kppolice.official"
CRISIS_DISTRICTS = ("Kurram", "Orakzai", "Hangu")
SOCIAL_DIR = "social"

# ---------------------------------------------------------------------------
# The vendors' headers, exactly as their tools write them

FACEBOOK_POST_COLUMNS: tuple[str, ...] = (
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)",
    "Publish time", "Caption type", "Permalink", "Is crosspost", "Is share", "Post type",
    "Languages", "Custom labels", "Funded content status", "Data comment", "Date", "Views",
    "Reach", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
    "Total clicks", "Link Clicks", "Other Clicks",
    "Matched Audience Targeting Consumption (Photo Click)", "Seconds viewed",
    "Average Seconds viewed", "Estimated earnings (USD)", "Ad impressions",
)  # fmt: skip
# Meta writes some old rows without the last four fields (seen: 5 of 261 rows).
FACEBOOK_RAGGED_FIELDS = 27
# Another export of the same tool: 38 columns, ``Views`` twice (the second
# among the organic/boosted breakdowns), no watch-time columns.
FACEBOOK_38_COLUMNS: tuple[str, ...] = (
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)",
    "Publish time", "Caption type", "Permalink", "Is crosspost", "Is share", "Post type",
    "Languages", "Custom labels", "Funded content status", "Data comment", "Date", "Views",
    "Reach", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
    "Total clicks", "Views", "Reach from Organic posts", "Reach from Boosted posts",
    "3-second video views", "1-minute video views", "3-Second viewers", "1-minute viewers",
    "3-second video views from Boosted posts", "3-second video views from Organic posts",
    "Negative feedback from users", "Unique negative feedback from users", "Other Clicks",
    "Matched Audience Targeting Consumption (Photo Click)", "Link Clicks",
)  # fmt: skip
INSTAGRAM_POST_COLUMNS: tuple[str, ...] = (
    "Post ID", "Account ID", "Account username", "Account name", "Description",
    "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date",
    "Views", "Reach", "Likes", "Shares", "Comments", "Saves", "Follows",
)  # fmt: skip
INSTAGRAM_POST_COLUMNS_OTHER_ORDER: tuple[str, ...] = (
    *INSTAGRAM_POST_COLUMNS[:11], "Reach", "Likes", "Shares", "Follows", "Comments", "Saves",
    "Views",
)  # fmt: skip
INSIGHTS_HEADER = ("Date", "Primary")
X_CONTENT_COLUMNS_EARLY: tuple[str, ...] = (
    "Post id", "Date", "Post text", "Link", "Impressions", "Likes", "Engagements", "Bookmarks",
    "Share", "New follows", "Replies", "Reposts", "Profile visits", "Detail expands",
    "Url clicks", "Hashtag clicks", "Permalink clicks",
)  # fmt: skip
X_CONTENT_COLUMNS_LATE: tuple[str, ...] = (
    "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements",
    "Bookmarks", "Shares", "New follows", "Replies", "Reposts", "Profile visits",
    "Detail Expands", "URL Clicks", "Hashtag Clicks", "Permalink Clicks",
)  # fmt: skip
X_OVERVIEW_COLUMNS: tuple[str, ...] = (
    "Date", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares", "New follows",
    "Unfollows", "Replies", "Reposts", "Profile visits", "Create Post", "Video views",
    "Media views",
)  # fmt: skip
YOUTUBE_TABLE_COLUMNS: tuple[str, ...] = (
    "Content", "Video title", "Video publish time", "Duration", "Views", "Watch time (hours)",
    "Subscribers", "Impressions", "Impressions click-through rate (%)",
)  # fmt: skip
YOUTUBE_CHART_COLUMNS = (
    "Date",
    "Content",
    "Video title",
    "Video publish time",
    "Duration",
    "Views",
)
YOUTUBE_TOTALS_COLUMNS = ("Date", "Views")
TIKTOK_OVERVIEW_COLUMNS: tuple[str, ...] = (
    "Date", "Video views", "Reached audience", "Profile views", "Likes", "Shares", "Comments",
    "Phone number clicks ", "Leads submission", "Net growth", "New followers", "Lost followers",
)  # fmt: skip
TIKTOK_CONTENT_COLUMNS: tuple[str, ...] = (
    "Video title", "Video link", "Post time", "Video views", "Likes", "Comments", "Shares",
    "Add to Favorites",
)  # fmt: skip
TIKTOK_FOLLOWER_COLUMNS = (
    "Date",
    "New followers",
    "Total followers",
    "Reached audience",
    "Engaged audience",
)

# Insights files of one download: file name, title line, daily series.
INSIGHTS_FILES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "facebook": (
        ("Views.csv", "Facebook views", "views"),
        ("Reach.csv", "Facebook reach", "reach"),
        ("Follows.csv", "Facebook follows", "follows"),
        ("Followers.csv", "Facebook followers", "followers"),
        ("Visits.csv", "Facebook visits", "visits"),
        ("Interactions.csv", "Facebook content interactions", "interactions"),
        ("Link clicks.csv", "Facebook link clicks", "link_clicks"),
    ),
    "instagram": (
        ("Views.csv", "Instagram views", "views"),
        ("Reach.csv", "Instagram reach", "reach"),
        ("Follows.csv", "Instagram follows", "follows"),
        ("Followers.csv", "Instagram followers", "followers"),
        ("Visits.csv", "Instagram profile visits", "visits"),
        ("Interactions.csv", "Instagram content interactions", "interactions"),
    ),
}

# ---------------------------------------------------------------------------
# How the accounts behave


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
# Attention on each day of the crisis week (x normal), then two days of tail.
CRISIS_ATTENTION = (2.5, 5.0, 5.5, 4.5, 3.5, 2.5, 2.0, 1.5, 1.2)
# Lifetime curve: most of a post's reach in its first days, a long tail after.
FAST_SHARE, FAST_DAYS, SLOW_DAYS = 0.82, 0.9, 40.0
TAIL_DAYS = 240  # daily increments are computed this far after publication

DISTRICTS = (
    "Peshawar", "Mardan", "Swat", "Abbottabad", "Kohat", "Bannu", "Dera Ismail Khan",
    "Mansehra", "Charsadda", "Nowshera", "Swabi", "Malakand", "Lower Dir", "Haripur",
    "Karak", "Lakki Marwat", "Buner", "Khyber", "Bajaur", "Lower Chitral",
)  # fmt: skip
# District names as Urdu and Pashto captions write them.
DISTRICTS_URDU: dict[str, str] = {
    "Peshawar": "پشاور", "Mardan": "مردان", "Swat": "سوات", "Abbottabad": "ایبٹ آباد",
    "Kohat": "کوہاٹ", "Bannu": "بنوں", "Dera Ismail Khan": "ڈیرہ اسماعیل خان",
    "Mansehra": "مانسہرہ", "Charsadda": "چارسدہ", "Nowshera": "نوشہرہ", "Swabi": "صوابی",
    "Malakand": "ملاکنڈ", "Lower Dir": "لوئر دیر", "Haripur": "ہری پور", "Karak": "کرک",
    "Lakki Marwat": "لکی مروت", "Buner": "بونیر", "Khyber": "خیبر", "Bajaur": "باجوڑ",
    "Lower Chitral": "لوئر چترال", "Kurram": "کرم", "Orakzai": "اورکزئی", "Hangu": "ہنگو",
}  # fmt: skip
CAMPAIGNS = ("service", "women", "trans", "drugs", "traffic", "achievement", "open_court")
CAMPAIGN_SHARE = (0.24, 0.13, 0.04, 0.13, 0.15, 0.22, 0.09)
CRISIS_POST_SHARE = 0.7  # share of crisis-week posts about the crisis
LANGUAGES = ("ur", "en", "ps")
LANGUAGE_SHARE = (0.45, 0.30, 0.25)
HASHTAGS: dict[str, str] = {
    "service": "#KPPolice #YourPoliceYourService #PoliceKhidmatMarkaz",
    "women": "#KPPolice #WomenSafety #YourPoliceYourService",
    "trans": "#KPPolice #TransRights #YourPoliceYourService",
    "drugs": "#KPPolice #SayNoToDrugs #DrugFreeKP",
    "traffic": "#KPPolice #TrafficAwareness #RoadSafety",
    "achievement": "#KPPolice #YourPoliceYourService",
    "open_court": "#KPPolice #OpenKatchery #YourPoliceYourService",
    "crisis": "#KPPolice #{tag} #VerifyBeforeYouShare #KPPoliceUpdates",
}
CAPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "service": {
        "en": (
            "Police Khidmat Markaz {d} is open for character certificates, FIR copies and "
            "driving licence verification.",
            'Under "Your Police, Your Service", {d} Police answered every emergency call '
            "within 10 minutes this week.",
        ),
        "ur": (
            "پولیس خدمت مرکز {d} میں کریکٹر سرٹیفکیٹ اور ایف آئی آر کی کاپی اب ایک ہی دن میں۔",
            "شکایت کے لیے 1715 پر کال کریں، {d} پولیس آپ کی خدمت میں حاضر ہے۔",
        ),
        "ps": (
            "د {d} پولیس خدمت مرکز کې د کرکټر سرټیفیکیټ او د ایف آی آر کاپي په یوه ورځ کې.",
            "د شکایت لپاره 1715 ته زنګ ووهئ، د {d} پولیس ستاسو خدمت ته حاضر دي.",
        ),
    },
    "women": {
        "en": (
            "Women's help desks are open at every police station in {d}. Female officers "
            "hear your complaint in confidence.",
        ),
        "ur": (
            "{d} کے ہر تھانے میں خواتین ڈیسک قائم ہے، خواتین افسران آپ کی شکایت رازداری سے سنیں گی۔",
        ),
        "ps": ("د {d} په هر تھانه کې د ښځو ډیسک شته، ښځینه افسرانې ستاسو شکایت په رازداري اوري.",),
    },
    "trans": {
        "en": (
            "The transgender protection desk in {d} registers complaints without delay. "
            "Every citizen has equal rights.",
        ),
        "ur": ("{d} میں خواجہ سرا افراد کے تحفظ کا ڈیسک فعال ہے، ہر شہری کے حقوق برابر ہیں۔",),
        "ps": ("په {d} کې د خواجه سرا خلکو د ساتنې ډیسک فعال دی، د هر وګړي حقونه برابر دي.",),
    },
    "drugs": {
        "en": (
            "Operation against ice and drug peddlers in {d}: suspects arrested, narcotics "
            "recovered. Say no to drugs.",
        ),
        "ur": ("{d} میں آئس اور منشیات فروشوں کے خلاف کریک ڈاؤن، ملزمان گرفتار اور منشیات برآمد۔",),
        "ps": ("په {d} کې د آیس او نشه يي توکو پلورونکو پر ضد عملیات، ملزمان ونیول شول.",),
    },
    "traffic": {
        "en": (
            "Wear a helmet, keep to your lane. Traffic police {d} road safety week starts today.",
            "One-wheeling is a crime and a danger to your life. Traffic police {d} appeal to "
            "parents.",
        ),
        "ur": ("ہیلمٹ پہنیں، لین کی پابندی کریں۔ ٹریفک پولیس {d} کا روڈ سیفٹی ہفتہ آج سے شروع۔",),
        "ps": (
            "هیلمټ واغوندئ او د سړک قوانین مراعات کړئ. د {d} ټرافیک پولیس د سړک د خوندیتوب اونۍ.",
        ),
    },
    "achievement": {
        "en": (
            "{d} Police recovered a stolen vehicle within 24 hours and handed it back to its "
            "owner.",
        ),
        "ur": ("{d} پولیس نے چوری شدہ گاڑی 24 گھنٹوں میں برآمد کرکے مالک کے حوالے کر دی۔",),
        "ps": ("د {d} پولیسو غلا شوی موټر په 24 ساعتونو کې بېرته ترلاسه کړ.",),
    },
    "open_court": {
        "en": ("DPO {d} held an open court today and heard complaints from the public.",),
        "ur": ("ڈی پی او {d} نے آج کھلی کچہری منعقد کی اور عوام کے مسائل موقع پر سنے۔",),
        "ps": ("ډي پي او {d} نن پرانیستې کچهرۍ وکړه او د خلکو شکایتونه یې واورېدل.",),
    },
    "crisis": {
        "en": (
            "Situation in {d} is under control. Police and FC are on patrol; roads are open. "
            "Do not share unverified news.",
            "Statement: reports circulating about {d} are false. Rely only on official KP "
            "Police accounts.",
        ),
        "ur": (
            "{d} میں صورتحال قابو میں ہے، پولیس اور ایف سی گشت پر ہیں۔ غیر مصدقہ خبریں شیئر نہ کریں۔",
        ),
        "ps": (
            "په {d} کې حالات کنټرول کې دي، پولیس او ایف سي ګزمه کوي. ناتایید شوي خبرونه مه خپروئ.",
        ),
    },
}
SECOND_LINE = {
    "en": "📞 Emergency: 15 | Complaints: 1715",
    "ur": "ایمرجنسی کی صورت میں 15 پر کال کریں۔",
    "ps": "په بېړني حالت کې 15 ته زنګ ووهئ.",
}
YOUTUBE_TITLES: dict[str, str] = {
    "service": "Police Khidmat Markaz {d}: services in one place",
    "women": "Women's help desk, {d} Police",
    "trans": "Transgender protection desk, {d}",
    "drugs": "Crackdown on ice peddlers in {d}",
    "traffic": "Road safety week, Traffic Police {d}",
    "achievement": "{d} Police: stolen vehicle recovered in 24 hours",
    "open_court": "Open court by DPO {d}",
    "crisis": "{d}: situation under control, official statement",
}
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
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ZIP_TIME = (2023, 9, 4, 0, 0, 0)
_B64 = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
_TWITTER_EPOCH_MS = 1288834974657
_PKT_OFFSET_S = 5 * 3600  # Pakistan keeps UTC+5 all year


# ---------------------------------------------------------------------------
# The period and the shared clock


@dataclass(frozen=True)
class Period:
    """Days ``0..days-1`` from ``start``; data end the day before ``end``."""

    start: date
    end: date
    crisis_day: int | None  # day index of the crisis Monday, None if outside

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def dates(self, first: int = 0, last: int | None = None) -> np.ndarray:
        """datetime64[D] of days ``first..last-1``."""
        last = self.days if last is None else last
        return np.datetime64(self.start, "D") + np.arange(first, last)

    def attention(self) -> np.ndarray:
        """Crisis attention multiplier per day (1 outside the crisis)."""
        out = np.ones(self.days)
        if self.crisis_day is not None:
            for k, factor in enumerate(CRISIS_ATTENTION):
                if 0 <= self.crisis_day + k < self.days:
                    out[self.crisis_day + k] = factor
        return out

    def in_crisis(self, day: np.ndarray) -> np.ndarray:
        if self.crisis_day is None:
            return np.zeros(len(day), bool)
        return (day >= self.crisis_day) & (day < self.crisis_day + 7)

    def stamp(self, t: np.ndarray) -> np.ndarray:
        """Days since ``start`` (PKT wall clock) as datetime64[s]."""
        seconds = np.floor(np.asarray(t) * 86400.0 + 1e-6).astype(np.int64)
        return np.datetime64(self.start, "s") + seconds.astype("timedelta64[s]")


def make_period(end_date: date, months: int) -> Period:
    start = (pd.Timestamp(end_date) - pd.DateOffset(months=months)).date()
    crisis = (crisis_week_start(end_date) - start).days
    return Period(start, end_date, crisis if 0 <= crisis < (end_date - start).days else None)


def lifetime_share(age_days: np.ndarray) -> np.ndarray:
    """Share of a post's final lifetime metrics reached ``age_days`` after it was posted."""
    age = np.maximum(np.asarray(age_days, float), 0.0)
    fast = FAST_SHARE * (1.0 - np.exp(-age / FAST_DAYS))
    return fast + (1.0 - FAST_SHARE) * (1.0 - np.exp(-age / SLOW_DAYS))


def snapshot(totals: np.ndarray, t: np.ndarray, at: float) -> np.ndarray:
    """Lifetime counts of posts published at ``t`` as downloaded at ``at`` (days)."""
    return np.floor(np.asarray(totals, float) * lifetime_share(at - t) + 1e-9).astype(np.int64)


def daily_increments(period: Period, t: np.ndarray, totals: dict[str, np.ndarray]):
    """Per-day sums of what every post adds to each metric (the account's daily view)."""
    offsets = np.arange(TAIL_DAYS + 1)
    first = np.floor(t).astype(np.int64)
    day = first[:, None] + offsets[None, :]
    share = lifetime_share(day + 1 - t[:, None]) - lifetime_share(day - t[:, None])
    keep = day < period.days
    index = day[keep]
    out = {}
    for name, values in totals.items():
        weights = (np.asarray(values, float)[:, None] * share)[keep]
        out[name] = np.bincount(index, weights=weights, minlength=period.days)
    return out


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


# ---------------------------------------------------------------------------
# Posts


def sample_posts(
    rng: np.random.Generator, period: Period, profile: Profile, follower_total: np.ndarray
) -> dict[str, np.ndarray]:
    """When each post went out, its type, topic, language and final lifetime reach."""
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
    day, hour, t = day[order], hour[order], t[order]
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


def _district_of(rng: np.random.Generator, campaign: np.ndarray) -> np.ndarray:
    n = len(campaign)
    district = np.array(DISTRICTS, dtype=object)[rng.integers(0, len(DISTRICTS), size=n)]
    crisis = campaign == "crisis"
    district[crisis] = np.array(CRISIS_DISTRICTS, dtype=object)[
        rng.integers(0, len(CRISIS_DISTRICTS), size=int(crisis.sum()))
    ]
    return district


def captions(rng: np.random.Generator, posts: dict[str, np.ndarray], style: str) -> list[str]:
    """Post text for ``style``: ``meta`` (multi-line), ``x`` (one line, a t.co link),
    ``tiktok`` (one line) or ``youtube`` (a title)."""
    n = len(posts["t"])
    pick = rng.integers(0, 1 << 30, size=n)
    links = _random_text(rng, n, 10)
    out = []
    for i in range(n):
        campaign, language, district = (
            posts["campaign"][i], posts["language"][i], posts["district"][i]
        )  # fmt: skip
        tags = HASHTAGS[campaign].format(tag=district.replace(" ", ""))
        if style == "youtube":
            title = YOUTUBE_TITLES[campaign].format(d=district)
            out.append(
                f"{title} #shorts" if posts["type"][i] == "short" else f"{title} | KP Police"
            )
            continue
        options = CAPTIONS[campaign][language]
        named = district if language == "en" else DISTRICTS_URDU[district]
        text = options[pick[i] % len(options)].format(d=named)
        if style == "meta":
            link = f"\nhttps://kppolice.gov.pk/news/{pick[i] % 90000 + 10000}"
            more = link if posts["type"][i] == "Links" else ""
            out.append(f"{text}\n{SECOND_LINE[language]}{more}\n\n{tags}")
        elif style == "x":
            out.append(f"{text} {tags} https://t.co/{links[i]}"[:280])
        else:
            out.append(f"{text} {tags} #foryou")
    return out


def _random_text(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    """Random URL-safe ids (YouTube video ids, Instagram short codes, t.co links)."""
    letters = _B64[:62][rng.integers(0, 62, size=(n, width))]
    return np.array(["".join(row) for row in letters], dtype=object)


def _ascending_ids(rng: np.random.Generator, base: int, n: int, step: int) -> np.ndarray:
    """Increasing numeric ids (Meta assigns them in order of creation), as text."""
    values = base + np.cumsum(rng.integers(step // 2, step * 2, size=n, dtype=np.int64))
    return values.astype(str).astype(object)


def _snowflake_ids(rng: np.random.Generator, period: Period, t: np.ndarray) -> np.ndarray:
    """X post ids: milliseconds since X's epoch shifted by 22 bits (19 digits)."""
    utc_ms = (period.stamp(t).astype(np.int64) - _PKT_OFFSET_S) * 1000
    utc_ms = utc_ms + rng.integers(0, 1000, size=len(t))
    low = rng.integers(0, 1 << 22, size=len(t), dtype=np.int64)
    ids = ((utc_ms - _TWITTER_EPOCH_MS) << 22) | low
    return ids.astype(str).astype(object)


def _tiktok_ids(rng: np.random.Generator, period: Period, t: np.ndarray) -> np.ndarray:
    """TikTok video ids: Unix seconds shifted by 32 bits (19 digits)."""
    utc_s = period.stamp(t).astype(np.int64) - _PKT_OFFSET_S
    ids = (utc_s.astype(np.uint64) << np.uint64(32)) | rng.integers(
        0, 1 << 32, size=len(t), dtype=np.uint64
    )
    return ids.astype(str).astype(object)


def _youtube_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """11-character video ids; a few start with ``-`` or ``_`` as real ones do."""
    body = _B64[rng.integers(0, 64, size=(n, 10))]
    last = np.array(list("AEIMQUYcgkosw048"))[rng.integers(0, 16, size=n)]
    ids = np.array(["".join(row) + end for row, end in zip(body, last, strict=True)], dtype=object)
    for k, lead in enumerate(("-", "_", "-")):
        if k * 7 + 3 < n:
            ids[k * 7 + 3] = lead + ids[k * 7 + 3][1:]
    return ids


def metric_totals(
    rng: np.random.Generator, posts: dict[str, np.ndarray], platform: str
) -> dict[str, np.ndarray]:
    """Final lifetime counts of each post (the curve reaches these after months)."""
    reach, eng, kind = posts["reach"], posts["engagement"], posts["type"]
    n = len(reach)

    def u(low: float, high: float) -> np.ndarray:
        return rng.uniform(low, high, n)

    crisis = posts["campaign"] == "crisis"
    if platform == "Facebook":
        reactions = reach * eng
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
    if platform == "Instagram":
        likes = reach * eng
        return {
            "views": reach * u(1.3, 2.5),
            "reach": reach,
            "likes": likes,
            "comments": likes * u(0.03, 0.1) * np.where(crisis, 2.0, 1.0),
            "shares": likes * u(0.05, 0.25),
            "saves": likes * u(0.04, 0.15),
            "follows": reach * u(0.0005, 0.002),
            "duration": np.where(kind == "IG reel", rng.integers(10, 90, n), 0),
        }
    if platform == "X":
        likes = reach * eng * u(0.5, 0.8)
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
    if platform == "TikTok":
        likes = reach * eng
        return {
            "views": reach,
            "reached": reach * u(0.6, 0.8),
            "likes": likes,
            "comments": likes * u(0.02, 0.08) * np.where(crisis, 2.0, 1.0),
            "shares": likes * u(0.03, 0.15),
            "favorites": likes * u(0.05, 0.15),
            "profile_views": reach * u(0.004, 0.012),
        }
    short = kind == "short"
    duration = np.where(short, rng.integers(15, 60, n), rng.integers(120, 900, n))
    return {  # YouTube
        "views": reach,
        "watch_hours": reach * duration * np.where(short, u(0.5, 0.9), u(0.2, 0.45)) / 3600,
        "subscribers": reach * u(-0.0012, 0.004),
        "impressions": np.where(short, reach * u(0.01, 0.05), reach * u(8.0, 25.0)),
        "ctr": np.where(short, u(0.5, 4.0), u(2.0, 9.0)),
        "duration": duration,
    }


# ---------------------------------------------------------------------------
# Writing text as the vendors do (Arrow compute: fast, and byte-exact)


def _text(values: object) -> pa.Array:
    array = values if isinstance(values, pa.Array) else pa.array(values, from_pandas=True)
    if array.type != pa.string():
        array = pc.cast(array, pa.string())
    return pc.fill_null(array, "")


def _quoted(values: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")


def quote_when(pattern: str) -> Callable[[pa.Array], pa.Array]:
    """Quote a field when it matches ``pattern`` (Meta: a space too; others: minimal)."""

    def quote(values: pa.Array) -> pa.Array:
        return pc.if_else(pc.match_substring_regex(values, pattern), _quoted(values), values)

    return quote


META_QUOTE = quote_when('[ ,"\r\n]')
MINIMAL_QUOTE = quote_when('[,"\r\n]')


def _join(fields: Sequence[pa.Array], sep: str) -> pa.Array:
    return pc.binary_join_element_wise(*fields, sep)


def csv_text(
    header: Sequence[str],
    columns: Sequence[object],
    *,
    quote: Callable[[pa.Array], pa.Array] = MINIMAL_QUOTE,
    header_quote: Callable[[pa.Array], pa.Array] | None = None,
    sep: str = ",",
    eol: str = "\n",
    ragged: np.ndarray | None = None,
    ragged_fields: int = FACEBOOK_RAGGED_FIELDS,
) -> str:
    """CSV text: header line and rows; ``ragged`` rows keep only ``ragged_fields``."""
    names = (header_quote or quote)(pa.array(list(header), pa.string())).to_pylist()
    fields = [quote(_text(c)) for c in columns]
    if not fields or not len(fields[0]):
        return sep.join(names) + eol
    lines = _join(fields, sep)
    if ragged is not None and ragged.any():
        short = _join(fields[:ragged_fields], sep)
        lines = pc.if_else(pa.array(ragged), short, lines)
    return eol.join([sep.join(names), *lines.to_pylist()]) + eol


def _ints(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, np.int64)), pa.string())


def _blank_unless(mask: np.ndarray, values: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(mask, bool)), values, "")


def _strftime(stamps: np.ndarray, fmt: str) -> pa.Array:
    text = pc.strftime(pa.array(stamps.astype("datetime64[s]")), format=fmt)
    return pc.replace_substring(text, "  ", " ")  # %e pads days with a space


def _constant(value: str, n: int) -> pa.Array:
    return pa.array([value] * n, pa.string())


def _label(day: date) -> str:
    """Meta's file-name date: ``Jan-14-2025``."""
    return f"{_MONTHS[day.month - 1]}-{day.day:02d}-{day.year}"


# ---------------------------------------------------------------------------
# Download schedules


@dataclass(frozen=True)
class Window:
    """An export covering days ``first..last`` (inclusive), downloaded at 00:00 on day ``at``."""

    first: int
    last: int
    at: int


def download_windows(
    rng: np.random.Generator, period: Period, spacing: int, overlap: tuple[int, int]
) -> list[Window]:
    """Exports downloaded every ``spacing`` days or so, each reaching back ``overlap``
    days into the previous one; the last is downloaded on ``end_date``."""
    cuts = [0]
    while cuts[-1] + spacing + 10 < period.days:
        cuts.append(cuts[-1] + spacing + int(rng.integers(-4, 5)))
    cuts.append(period.days)
    windows = []
    for k in range(1, len(cuts)):
        back = 0 if k == 1 else int(rng.integers(overlap[0], overlap[1] + 1))
        windows.append(Window(max(cuts[k - 1] - back, 0), cuts[k] - 1, cuts[k]))
    return windows


def _in_window(posts: dict[str, np.ndarray], window: Window) -> np.ndarray:
    return np.flatnonzero((posts["day"] >= window.first) & (posts["day"] <= window.last))


# ---------------------------------------------------------------------------
# Meta Business Suite: post exports


@dataclass
class Account:
    """One account's posts with their final totals and captions."""

    profile: Profile
    posts: dict[str, np.ndarray]
    totals: dict[str, np.ndarray]
    text: np.ndarray
    follow: dict[str, np.ndarray]


def facebook_rows(
    period: Period, account: Account, rows: np.ndarray, at: float, page: tuple[str, str]
) -> dict[str, pa.Array]:
    """Facebook post columns (by header name) for ``rows`` as downloaded at ``at``."""
    posts, totals = account.posts, account.totals
    t = posts["t"][rows]
    life = {k: snapshot(v[rows], t, at) for k, v in totals.items() if k != "duration"}
    kind = posts["type"][rows]
    video = np.isin(kind, ["Reels", "Videos"])
    n = len(rows)
    clicks = life["link_clicks"] + life["other_clicks"] + life["photo_clicks"]
    avg_seconds = np.where(video, life["seconds_viewed"] // np.maximum(life["views"], 1), 0)
    page_id, name = page
    ids = posts["id"][rows]
    links = np.where(
        kind == "Reels",
        "https://www.facebook.com/reel/" + ids,
        np.where(
            kind == "Videos",
            f"https://www.facebook.com/{page_id}/videos/" + ids,
            f"https://www.facebook.com/{page_id}/posts/" + ids,
        ),
    )
    caption = account.text[rows]
    return {
        "Post ID": pa.array(ids, pa.string()),
        "Page ID": _constant(page_id, n),
        "Page name": _constant(name, n),
        "Title": pa.array(np.where(video, _first_line(caption), caption), pa.string()),
        "Description": pa.array(np.where(video, caption, ""), pa.string()),
        "Duration (sec)": _ints(totals["duration"][rows]),
        "Publish time": _strftime(period.stamp(t), "%m/%d/%Y %H:%M"),
        "Caption type": pa.array(
            np.where(video, posts["caption_type"][rows], "N/A").astype(object), pa.string()
        ),
        "Permalink": pa.array(links.astype(object), pa.string()),
        "Is crosspost": _ints(posts["crosspost"][rows]),
        "Is share": _ints(posts["share"][rows]),
        "Post type": pa.array(kind, pa.string()),
        "Languages": _constant("", n),
        "Custom labels": _constant("", n),
        "Funded content status": _constant("", n),
        "Data comment": _constant("", n),
        "Date": _constant("Lifetime", n),
        "Views": _ints(life["views"]),
        "Reach": _ints(life["reach"]),
        "Reactions, Comments and Shares": _ints(
            life["reactions"] + life["comments"] + life["shares"]
        ),
        "Reactions": _ints(life["reactions"]),
        "Comments": _ints(life["comments"]),
        "Shares": _ints(life["shares"]),
        "Total clicks": _ints(clicks),
        "Link Clicks": _blank_unless(kind == "Links", _ints(life["link_clicks"])),
        "Other Clicks": _ints(life["other_clicks"]),
        "Matched Audience Targeting Consumption (Photo Click)": _blank_unless(
            kind == "Photos", _ints(life["photo_clicks"])
        ),
        "Seconds viewed": _blank_unless(video, _ints(life["seconds_viewed"])),
        "Average Seconds viewed": _blank_unless(video, _ints(avg_seconds)),
        "Estimated earnings (USD)": _constant("", n),
        "Ad impressions": _constant("", n),
        **_facebook_38_extras(life, video),
    }


def _facebook_38_extras(life: dict[str, np.ndarray], video: np.ndarray) -> dict[str, pa.Array]:
    """Columns only the 38-column variant has. The cell never boosts a post:
    everything is organic, and the second ``Views`` (views from organic
    posts) equals the first."""
    n = len(video)
    three_second = life["video_plays"] * 6 // 10
    return {
        "Views (2)": _ints(life["views"]),
        "Reach from Organic posts": _ints(life["reach"]),
        "Reach from Boosted posts": _ints(np.zeros(n)),
        "3-second video views": _blank_unless(video, _ints(three_second)),
        "1-minute video views": _blank_unless(video, _ints(life["video_plays"] // 8)),
        "3-Second viewers": _blank_unless(video, _ints(three_second * 7 // 10)),
        "1-minute viewers": _blank_unless(video, _ints(life["video_plays"] // 11)),
        "3-second video views from Boosted posts": _blank_unless(video, _ints(np.zeros(n))),
        "3-second video views from Organic posts": _blank_unless(video, _ints(three_second)),
        "Negative feedback from users": _ints(life["reach"] // 2500),
        "Unique negative feedback from users": _ints(life["reach"] // 4000),
    }


def _first_line(captions: np.ndarray) -> np.ndarray:
    return np.array([c.split("\n", 1)[0] for c in captions], dtype=object)


def _columns_for(header: Sequence[str], values: dict[str, pa.Array]) -> list[pa.Array]:
    """Columns in header order; a repeated name takes ``<name> (2)``."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        out.append(values[name if seen[name] == 1 else f"{name} ({seen[name]})"])
    return out


def facebook_exports(
    rng: np.random.Generator, period: Period, page: Account, page_2: Account
) -> dict[str, bytes]:
    """The page's monthly-ish exports, and one export of the second page (38 columns)."""
    files = {}
    for window in download_windows(rng, period, spacing=30, overlap=(12, 21)):
        rows = _in_window(page.posts, window)[::-1]  # newest first, as Meta lists them
        values = facebook_rows(period, page, rows, window.at, FACEBOOK_PAGE_IDS[0])
        # The oldest photos come without the last four fields.
        oldest = np.zeros(len(rows), bool)
        photos = np.flatnonzero(page.posts["type"][rows] == "Photos")
        oldest[photos[-int(rng.integers(3, 6)) :]] = True
        text = csv_text(
            FACEBOOK_POST_COLUMNS,
            _columns_for(FACEBOOK_POST_COLUMNS, values),
            quote=META_QUOTE,
            ragged=oldest,
        )
        files[_meta_name("facebook", period, window, rng)] = _utf8_bom(text)
    window = Window(max(period.days - 75, 0), period.days - 1, period.days)
    rows = _in_window(page_2.posts, window)[::-1]
    values = facebook_rows(period, page_2, rows, window.at, FACEBOOK_PAGE_IDS[1])
    text = csv_text(
        FACEBOOK_38_COLUMNS,
        _columns_for(FACEBOOK_38_COLUMNS, values),
        quote=META_QUOTE,
    )
    files[_meta_name("facebook", period, window, rng)] = _utf8_bom(text)
    return files


FACEBOOK_PAGE_IDS = (("100064817236459", FACEBOOK_PAGE), ("100083265140772", FACEBOOK_PAGE_2))
INSTAGRAM_ACCOUNT_ID = "17841401952713846"


def _meta_name(folder: str, period: Period, window: Window, rng: np.random.Generator) -> str:
    first = period.start + timedelta(days=window.first)
    last = period.start + timedelta(days=window.last)
    export_id = int(rng.integers(10**15, 2 * 10**15))
    return f"{folder}/{_label(first)}_{_label(last)}_{export_id}.csv"


def _utf8_bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def instagram_exports(rng: np.random.Generator, period: Period, account: Account) -> dict:
    """Exports every two months or so; older ones in the other column order."""
    files = {}
    windows = download_windows(rng, period, spacing=58, overlap=(14, 24))
    posts, totals = account.posts, account.totals
    for number, window in enumerate(windows):
        rows = _in_window(posts, window)
        t = posts["t"][rows]
        life = {k: snapshot(v[rows], t, window.at) for k, v in totals.items()}
        n = len(rows)
        reel = posts["type"][rows] == "IG reel"
        values = {
            "Post ID": pa.array(posts["id"][rows], pa.string()),
            "Account ID": _constant(INSTAGRAM_ACCOUNT_ID, n),
            "Account username": _constant(INSTAGRAM_USERNAME, n),
            "Account name": _constant(INSTAGRAM_NAME, n),
            "Description": pa.array(account.text[rows], pa.string()),
            "Duration (sec)": _ints(totals["duration"][rows]),
            "Publish time": _strftime(period.stamp(t), "%m/%d/%Y %H:%M"),
            "Permalink": pa.array(
                np.where(reel, "https://www.instagram.com/reel/", "https://www.instagram.com/p/")
                + posts["shortcode"][rows]
                + "/",
                pa.string(),
            ),
            "Post type": pa.array(posts["type"][rows], pa.string()),
            "Data comment": _constant("", n),
            "Date": _constant("Lifetime", n),
            "Follows": _blank_unless(~reel, _ints(life["follows"])),
        }
        for name, key in (("Views", "views"), ("Reach", "reach"), ("Likes", "likes"),
                          ("Shares", "shares"), ("Comments", "comments"), ("Saves", "saves")):  # fmt: skip
            values[name] = _ints(life[key])
        header = (
            INSTAGRAM_POST_COLUMNS_OTHER_ORDER
            if number < len(windows) // 2
            else INSTAGRAM_POST_COLUMNS
        )
        text = csv_text(header, [values[h] for h in header], quote=META_QUOTE)
        files[_meta_name("instagram", period, window, rng)] = _utf8_bom(text)
    return files


# ---------------------------------------------------------------------------
# Meta Insights: per-metric daily files and the audience


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
    dates = np.datetime_as_string(days, unit="D").astype(object) + insights_time_suffix(days)
    body = csv_text(INSIGHTS_HEADER, [pa.array(dates, pa.string()), _ints(values)], quote=_quoted)
    text = f'sep=,\n"{title}"\n{body}\n'  # Meta ends the file with an empty line
    return b"\xff\xfe" + text.encode("utf-16-le")


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
    return b"\xff\xfe" + ("\n".join(lines) + "\n\n").encode("utf-16-le")


# ---------------------------------------------------------------------------
# X


def x_content_exports(rng: np.random.Generator, period: Period, account: Account) -> dict:
    """Exports of about 90 days, downloaded every 75 days or so; those downloaded in
    the last 40% of the period have the later header spelling and date style."""
    files = {}
    posts, totals = account.posts, account.totals
    switch = int(period.days * 0.6)
    for window in download_windows(rng, period, spacing=75, overlap=(12, 20)):
        rows = _in_window(posts, window)[::-1]  # newest first
        t = posts["t"][rows]
        life = {k: snapshot(v[rows], t, window.at) for k, v in totals.items()}
        late = window.at >= switch
        stamps = period.stamp(t)
        dates = _strftime(stamps, "%a, %b %e, %Y") if late else _strftime(stamps, "%a %b %d %Y")
        parts = ("likes", "bookmarks", "shares", "new_follows", "replies", "reposts",
                 "profile_visits", "detail_expands", "url_clicks", "hashtag_clicks",
                 "permalink_clicks")  # fmt: skip
        engagements = sum(life[p] for p in parts)
        columns = [
            pa.array(posts["id"][rows], pa.string()),
            dates,
            _quoted(pa.array(account.text[rows], pa.string())),  # X always quotes the text
            pa.array(f"https://x.com/{X_HANDLE}/status/" + posts["id"][rows], pa.string()),
            _ints(life["impressions"]),
            _ints(life["likes"]),
            _ints(engagements),
            *[_ints(life[p]) for p in parts[1:]],
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
    order = np.arange(period.days)[::-1]
    values = {
        "Impressions": daily["impressions"], "Likes": daily["likes"],
        "Engagements": daily["engagements"], "Bookmarks": daily["bookmarks"],
        "Shares": daily["shares"], "New follows": account.follow["new"],
        "Unfollows": account.follow["lost"], "Replies": daily["replies"],
        "Reposts": daily["reposts"], "Profile visits": daily["profile_visits"],
        "Create Post": posted, "Video views": daily["video_views"],
        "Media views": daily["media_views"],
    }  # fmt: skip
    stamps = period.dates()[order]
    columns = [_strftime(stamps, "%a, %b %e, %Y")] + [
        _ints(values[c][order]) for c in X_OVERVIEW_COLUMNS[1:]
    ]
    last = period.start + timedelta(days=period.days - 1)
    name = f"x/account_overview_analytics_{period.start:%Y%m%d}_{last:%Y%m%d}.csv"
    files = {name: csv_text(X_OVERVIEW_COLUMNS, columns).encode("utf-8")}
    # An older 90-day download someone opened and saved in Excel with a European
    # list separator: ";" between fields, dates rewritten DD-MM-YYYY, CRLF.
    span = min(90, period.days)
    old = order[-span:]
    damaged = [_strftime(period.dates()[old], "%d-%m-%Y")] + [
        _ints(values[c][old]) for c in X_OVERVIEW_COLUMNS[1:]
    ]
    old_last = period.start + timedelta(days=span - 1)
    damaged_name = f"x/account_overview_analytics_{period.start:%Y%m%d}_{old_last:%Y%m%d}.csv"
    files[damaged_name] = csv_text(
        X_OVERVIEW_COLUMNS, damaged, sep=";", eol="\r\n", quote=quote_when('[;"\r\n]')
    ).encode("cp1252")
    return files


# ---------------------------------------------------------------------------
# YouTube Studio


def youtube_zip(period: Period, account: Account) -> dict[str, bytes]:
    """``KP Police <from>_<to>.zip``: Table data (Total first), Chart data, Totals."""
    posts, totals = account.posts, account.totals
    t = posts["t"]
    end = float(period.days)
    days = np.arange(period.days)
    # Lifetime views at the end of each day, so daily views add up exactly.
    cumulative = np.floor(
        totals["views"][:, None] * lifetime_share(days[None, :] + 1 - t[:, None]) + 1e-9
    ).astype(np.int64)
    daily = np.diff(np.concatenate([np.zeros((len(t), 1), np.int64), cumulative], axis=1), axis=1)
    views = cumulative[:, -1]
    share = lifetime_share(end - t)
    hours = np.round(totals["watch_hours"] * share, 4)
    subscribers = np.trunc(totals["subscribers"] * share).astype(np.int64)
    impressions = np.floor(totals["impressions"] * share).astype(np.int64)
    ctr = np.round(totals["ctr"], 2)
    order = np.lexsort((posts["id"], -views))
    published = _youtube_date(period.stamp(t))
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
    table_text = csv_text(
        YOUTUBE_TABLE_COLUMNS, [pa.array(c, pa.string()) for c in zip(*table, strict=True)]
    )
    top = order[:10]
    chart_rows = [
        (str(period.dates()[d]), posts["id"][i], account.text[i], published[i],
         str(totals["duration"][i]), str(daily[i, d]))
        for d in days for i in top if d >= posts["day"][i]
    ]  # fmt: skip
    chart_text = csv_text(
        YOUTUBE_CHART_COLUMNS, [pa.array(c, pa.string()) for c in zip(*chart_rows, strict=True)]
    )
    totals_text = csv_text(
        YOUTUBE_TOTALS_COLUMNS,
        [np.datetime_as_string(period.dates(), unit="D").astype(object), _ints(daily.sum(axis=0))],
    )
    last = period.start + timedelta(days=period.days - 1)
    name = f"youtube/{YOUTUBE_CHANNEL} {period.start.isoformat()}_{last.isoformat()}.zip"
    members = {
        "Table data.csv": table_text,
        "Chart data.csv": chart_text,
        "Totals.csv": totals_text,
    }
    return {name: _zip_bytes({k: v.encode("utf-8") for k, v in members.items()})}


def _youtube_date(stamps: np.ndarray) -> list[str]:
    return _strftime(stamps, "%b %e, %Y").to_pylist()


def _decimal(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            archive.writestr(entry, content)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# TikTok


def tiktok_exports(rng: np.random.Generator, period: Period, account: Account) -> dict:
    """Overview, content and followers, each over the whole period."""
    posts, totals, follow = account.posts, account.totals, account.follow
    keys = ("views", "reached", "likes", "shares", "comments", "profile_views")
    daily = {k: np.round(v) for k, v in
             daily_increments(period, posts["t"], {k: totals[k] for k in keys}).items()}  # fmt: skip
    engaged = daily["likes"] + daily["shares"] + daily["comments"]
    dates = _strftime(period.dates(), "%Y/%m/%d")
    # Business features (phone and lead buttons) came halfway: "--" before.
    business = np.arange(period.days) >= period.days // 2
    phone = np.round(daily["views"] * 2e-5 * rng.uniform(0.5, 1.5, period.days))
    leads = np.round(daily["views"] * 5e-6 * rng.uniform(0.0, 2.0, period.days))
    reached = _ints(daily["reached"])
    gaps = rng.choice(period.days, size=min(3, period.days), replace=False)
    reached_overview = pc.if_else(pa.array(np.isin(np.arange(period.days), gaps)), "NAN", reached)
    overview = [
        dates, _ints(daily["views"]), reached_overview, _ints(daily["profile_views"]),
        _ints(daily["likes"]), _ints(daily["shares"]), _ints(daily["comments"]),
        pc.if_else(pa.array(business), _ints(phone), "--"),
        pc.if_else(pa.array(business), _ints(leads), "--"),
        _ints(follow["new"] - follow["lost"]), _ints(follow["new"]), _ints(follow["lost"]),
    ]  # fmt: skip
    followers_columns = [dates, _ints(follow["new"]), _ints(follow["total"]), reached,
                         _ints(engaged)]  # fmt: skip
    rows = np.arange(len(posts["t"]))[::-1]
    life = {k: snapshot(v[rows], posts["t"][rows], float(period.days)) for k, v in totals.items()}
    content = [
        pa.array(account.text[rows], pa.string()),
        pa.array(f"https://www.tiktok.com/@{TIKTOK_USERNAME}/video/" + posts["id"][rows],
                 pa.string()),
        _strftime(period.stamp(posts["t"][rows]), "%Y/%m/%d %H:%M:%S"),
        _ints(life["views"]), _ints(life["likes"]), _ints(life["comments"]),
        _ints(life["shares"]), _ints(life["favorites"]),
    ]  # fmt: skip
    return {
        "tiktok/Overview.csv": csv_text(TIKTOK_OVERVIEW_COLUMNS, overview).encode("utf-8"),
        "tiktok/Content.csv": csv_text(TIKTOK_CONTENT_COLUMNS, content).encode("utf-8"),
        "tiktok/Followers.csv": csv_text(TIKTOK_FOLLOWER_COLUMNS, followers_columns).encode(
            "utf-8"
        ),
    }


# ---------------------------------------------------------------------------
# Accounts and the public API


def make_account(rng: np.random.Generator, period: Period, profile: Profile, style: str) -> Account:
    follow = followers(rng, period, profile)
    posts = sample_posts(rng, period, profile, follow["total"])
    totals = metric_totals(rng, posts, profile.platform)
    text = np.array(captions(rng, posts, style), dtype=object)
    return Account(profile, posts, totals, text, follow)


def _give_ids(rng: np.random.Generator, period: Period, accounts: dict[str, Account]) -> None:
    """Platform ids: Meta's increasing numbers, X and TikTok's time-based ones."""
    for key, base, step in (("facebook", 122_100_000_000_000_000, 40_000_000_000),
                            ("facebook_2", 122_500_000_000_000_000, 40_000_000_000),
                            ("instagram", 18_010_000_000_000_000, 900_000_000_000)):  # fmt: skip
        posts = accounts[key].posts
        posts["id"] = _ascending_ids(rng, base, len(posts["t"]), step)
    for key in ("facebook", "facebook_2"):
        posts = accounts[key].posts
        n = len(posts["t"])
        posts["caption_type"] = np.array(["uploaded", "auto-generated", "N/A", "mixed"])[
            rng.choice(4, size=n, p=[0.4, 0.3, 0.25, 0.05])
        ]
        posts["crosspost"] = (rng.random(n) < 0.04).astype(np.int64)
        posts["share"] = (rng.random(n) < 0.03).astype(np.int64)
    accounts["instagram"].posts["shortcode"] = _random_text(
        rng, len(accounts["instagram"].text), 11
    )
    x = accounts["x"].posts
    x["id"] = _snowflake_ids(rng, period, x["t"])
    tiktok = accounts["tiktok"].posts
    tiktok["id"] = _tiktok_ids(rng, period, tiktok["t"])
    youtube = accounts["youtube"].posts
    youtube["id"] = _youtube_ids(rng, len(youtube["t"]))


def generate_social_demo(
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    progress: Progress | None = None,
) -> dict[str, bytes]:
    """The social demo exports in memory: path under ``social/`` -> file content."""
    if months < 2:
        raise ValueError("months must be at least 2")
    say = progress or (lambda fraction, message: None)
    period = make_period(end_date or default_end_date(), months)
    say(0.05, "Sampling social posts")
    profiles = {"facebook": (FACEBOOK, "meta"), "facebook_2": (FACEBOOK_2, "meta"),
                "instagram": (INSTAGRAM, "meta"), "x": (X, "x"), "tiktok": (TIKTOK, "tiktok"),
                "youtube": (YOUTUBE, "youtube")}  # fmt: skip
    accounts = {}
    for number, (key, (profile, style)) in enumerate(profiles.items()):
        rng = np.random.default_rng([seed, number])
        accounts[key] = make_account(rng, period, profile, style)
    _give_ids(np.random.default_rng([seed, 100]), period, accounts)
    files: dict[str, bytes] = {}
    steps = (
        ("Meta post exports", lambda r: facebook_exports(r, period, accounts["facebook"],
                                                         accounts["facebook_2"])),
        ("Instagram post exports", lambda r: instagram_exports(r, period, accounts["instagram"])),
        ("Meta Insights files", lambda r: insights_exports(r, period, accounts["facebook"],
                                                           accounts["instagram"])),
        ("X exports", lambda r: {**x_content_exports(r, period, accounts["x"]),
                                 **x_overview(r, period, accounts["x"])}),
        ("YouTube Studio zip", lambda r: youtube_zip(period, accounts["youtube"])),
        ("TikTok exports", lambda r: tiktok_exports(r, period, accounts["tiktok"])),
    )  # fmt: skip
    for number, (message, build) in enumerate(steps):
        say(0.1 + 0.85 * number / len(steps), f"Writing {message}")
        files.update(build(np.random.default_rng([seed, 200 + number])))
    posts = sum(len(a.text) for a in accounts.values())
    say(1.0, f"Social demo exports ready: {posts:,} posts in {len(files)} files")
    return files


def write_social_demo_files(
    out_dir: Path,
    *,
    end_date: date | None = None,
    months: int = 20,
    seed: int = DEMO_SEED,
    progress: Callable[[float, str], None] | None = None,
) -> list[Path]:
    """Write the social demo exports into ``out_dir / "social"`` and return their paths.

    ``end_date`` (default: today in Asia/Karachi) is the day of the last
    download; the data cover the ``months`` months before it. The folder
    belongs to the generator: files of an earlier run that this run does not
    write are removed, so a stale export is never loaded beside new ones.
    """
    files = generate_social_demo(end_date=end_date, months=months, seed=seed, progress=progress)
    root = Path(out_dir) / SOCIAL_DIR
    wanted = {root / name for name in files}
    if root.exists():
        for stale in sorted(root.rglob("*")):
            if stale.is_file() and stale not in wanted:
                stale.unlink()
    paths = []
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        paths.append(path)
    for folder in sorted(root.rglob("*"), reverse=True):  # empty folders of an earlier run
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return paths


if __name__ == "__main__":  # pragma: no cover - convenience for a developer
    import sys
    import time

    from core.config import demo_dir

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else demo_dir()
    began = time.perf_counter()
    written = write_social_demo_files(target, progress=lambda f, m: print(f"[{f:4.0%}] {m}"))
    for path in written:
        print(f"{path.stat().st_size:>12,}  {path}")
    print(f"{time.perf_counter() - began:.1f} s")
