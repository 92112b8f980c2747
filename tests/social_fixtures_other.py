"""Write X, YouTube Studio and TikTok exports in the vendors' exact byte layouts.

Each writer takes plain rows (lists of cell texts, in the vendor's column
order) and writes the bytes the vendor's tool writes: which fields are
quoted, the line ending, the encoding. Layout facts are from
``/work/shared/spec/export-formats.md`` and the samples beside it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

# --- X --------------------------------------------------------------------

X_CONTENT_HEADER_2025 = (
    "Post id,Date,Post text,Link,Impressions,Likes,Engagements,Bookmarks,Share,New follows,"
    "Replies,Reposts,Profile visits,Detail expands,Url clicks,Hashtag clicks,Permalink clicks"
)
X_CONTENT_HEADER_2026 = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,"
    "Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,Permalink Clicks"
)
X_OVERVIEW_HEADER = (
    "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,"
    "Profile visits,Create Post,Video views,Media views"
)
_LEGACY_BASE = (
    "engagements",
    "engagement rate",
    "retweets",
    "replies",
    "{likes}",
    "user profile clicks",
    "url clicks",
    "hashtag clicks",
    "detail expands",
    "permalink clicks",
    "app opens",
    "app installs",
    "follows",
    "email tweet",
    "dial phone",
    "media views",
    "media engagements",
)


def legacy_header(likes_word: str = "likes") -> list[str]:
    """The 40 columns of the tweet-activity export (``favorites`` in older files)."""
    base = [name.format(likes=likes_word) for name in _LEGACY_BASE]
    return [
        "Tweet id",
        "Tweet permalink",
        "Tweet text",
        "time",
        "impressions",
        *base,
        *(f"promoted {name}" for name in ["impressions", *base]),
    ]


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _minimal(text: str) -> str:
    """Quote only when needed, as most CSV writers do."""
    return _quote(text) if any(c in text for c in ',"\n\r') else text


def write_x_content(path: Path, rows: Iterable[Sequence[str]], *, spelling: int = 2025) -> Path:
    """X's content export: UTF-8 without BOM, LF; ``Post text`` always quoted,
    other fields only when they hold a comma (``"Thu, Apr 23, 2026"``)."""
    header = X_CONTENT_HEADER_2025 if spelling == 2025 else X_CONTENT_HEADER_2026
    lines = [header]
    for row in rows:
        cells = [_minimal(c) for c in row]
        cells[2] = _quote(row[2])
        lines.append(",".join(cells))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


def write_x_overview(path: Path, rows: Iterable[Sequence[str]]) -> Path:
    lines = [X_OVERVIEW_HEADER, *(",".join(_minimal(c) for c in row) for row in rows)]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


def write_tweet_activity(
    path: Path, rows: Iterable[Sequence[str]], *, likes_word: str = "likes"
) -> Path:
    """Legacy tweet activity: every field quoted, 40 columns, promoted ones ``"-"``.

    ``rows`` give the first 22 cells; the 18 promoted cells are filled with ``-``.
    """
    lines = [",".join(_quote(h) for h in legacy_header(likes_word))]
    for row in rows:
        cells = [*row, *["-"] * (40 - len(row))]
        lines.append(",".join(_quote(c) for c in cells))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


# --- YouTube Studio -----------------------------------------------------------

YOUTUBE_TABLE_HEADER = (
    "Content",
    "Video title",
    "Video publish time",
    "Duration",
    "Views",
    "Watch time (hours)",
    "Subscribers",
    "Impressions",
    "Impressions click-through rate (%)",
)
YOUTUBE_CHART_HEADER = ("Date", "Content", "Video title", "Video publish time", "Duration", "Views")


def _studio_id(video_id: str) -> str:
    """Studio writes an id starting with ``-`` after a space (not a formula)."""
    return " " + video_id if video_id.startswith("-") else video_id


def youtube_table_text(
    rows: Iterable[Sequence[str]],
    total: Sequence[str],
    header: Sequence[str] = YOUTUBE_TABLE_HEADER,
) -> str:
    """``Table data.csv``: the Total row first, then one row per video."""
    lines = [",".join(header), ",".join(["Total", *total])]
    for row in rows:
        lines.append(",".join([_studio_id(row[0]), *(_minimal(c) for c in row[1:])]))
    return "\n".join(lines) + "\n"


def youtube_chart_text(rows: Iterable[Sequence[str]]) -> str:
    lines = [",".join(YOUTUBE_CHART_HEADER)]
    for row in rows:
        lines.append(",".join([row[0], _studio_id(row[1]), *(_minimal(c) for c in row[2:])]))
    return "\n".join(lines) + "\n"


def youtube_totals_text(rows: Iterable[Sequence[str]]) -> str:
    return "\n".join(["Date,Views", *(",".join(row) for row in rows)]) + "\n"


def write_excel_resaved_totals(path: Path, rows: Iterable[Sequence[str]]) -> Path:
    """``Totals.csv`` after Excel: dates already ``DD-MM-YYYY``, CRLF, cp1252."""
    text = "\r\n".join(["Date,Views", *(",".join(row) for row in rows)]) + "\r\n"
    path.write_bytes(text.encode("cp1252"))
    return path


def write_youtube_zip(path: Path, members: dict[str, str]) -> Path:
    """The zip Studio downloads: member name -> CSV text (UTF-8, LF)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text.encode("utf-8"))
    return path


# --- TikTok -------------------------------------------------------------------

TIKTOK_OVERVIEW_HEADER = (
    "Date,Video views,Reached audience,Profile views,Likes,Shares,Comments,"
    "Phone number clicks ,Leads submission,Net growth,New followers,Lost followers"
)
TIKTOK_CONTENT_HEADER = (
    "Video title,Video link,Post time,Video views,Likes,Comments,Shares,Add to Favorites"
)
TIKTOK_FOLLOWERS_HEADER = "Date,New followers,Total followers,Reached audience,Engaged audience"
TIKTOK_CREATOR_HEADER = ("Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares")


def _write_plain(path: Path, header: str, rows: Iterable[Sequence[str]]) -> Path:
    lines = [header, *(",".join(_minimal(c) for c in row) for row in rows)]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


def write_tiktok_overview(path: Path, rows: Iterable[Sequence[str]]) -> Path:
    """Note the header's ``Phone number clicks `` with its trailing space."""
    return _write_plain(path, TIKTOK_OVERVIEW_HEADER, rows)


def write_tiktok_content(path: Path, rows: Iterable[Sequence[str]]) -> Path:
    return _write_plain(path, TIKTOK_CONTENT_HEADER, rows)


def write_tiktok_followers(path: Path, rows: Iterable[Sequence[str]]) -> Path:
    return _write_plain(path, TIKTOK_FOLLOWERS_HEADER, rows)


def write_tiktok_creator_overview(path: Path, rows: Iterable[Sequence[str]]) -> Path:
    """The older creator ``Overview.csv``: every field quoted, dates ``"August 31"``."""
    lines = [",".join(_quote(h) for h in TIKTOK_CREATOR_HEADER)]
    lines += [",".join(_quote(c) for c in row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path
