"""Meta Business Suite exports written the way Meta writes them, into tmp_path.

Byte layout as ``/work/shared/spec/export-formats.md`` and the real samples
show it:

- content exports: UTF-8 with BOM, ``\\n`` line ends (also inside quoted
  captions), a cell quoted only when it holds a space, comma, quote or line
  break (``"Post ID"``, ``Title``, ``"IG reel"``, ``Photos``), empty cells
  empty, ragged rows simply shorter (the real Facebook export has 5 rows of
  27 fields under a 31-field header);
- Insights per-metric daily files: UTF-16LE with BOM, a ``sep=,`` line, the
  quoted title, ``"Date","Primary"``, every value quoted, a blank last line;
- ``Audience.csv``: the same encoding, several titled tables one after
  another;
- the legacy Page Insights export: a row of column names, a row of
  descriptions, then one row a day (layout known secondhand, from public
  code that reads these exports);
- the legacy post-level export: the same two rows, then one row per post
  (``LEGACY_POST_COLUMNS`` says where its layout comes from).

Header lists marked *exact* are Meta's; the 212- and 304-column variants
are built from the column families the spec names (the real files are not
public), with synthetic ``by country`` filler columns to reach the count.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from itertools import product
from pathlib import Path

# Exact: the 31-column Facebook posts export (spec).
FB_POSTS_31: list[str] = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)",
    "Publish time", "Caption type", "Permalink", "Is crosspost", "Is share", "Post type",
    "Languages", "Custom labels", "Funded content status", "Data comment", "Date", "Views",
    "Reach", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
    "Total clicks", "Link Clicks", "Other Clicks",
    "Matched Audience Targeting Consumption (Photo Click)", "Seconds viewed",
    "Average Seconds viewed", "Estimated earnings (USD)", "Ad impressions",
]  # fmt: skip
# Exact: the 38-column Facebook posts export, Views twice.
FB_POSTS_38: list[str] = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)",
    "Publish time", "Caption type", "Permalink", "Is crosspost", "Is share", "Post type",
    "Languages", "Custom labels", "Funded content status", "Data comment", "Date", "Views",
    "Reach", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
    "Total clicks", "Views", "Reach from Organic posts", "Reach from Boosted posts",
    "3-second video views", "1-minute video views", "3-Second viewers", "1-minute viewers",
    "3-second video views from Boosted posts", "3-second video views from Organic posts",
    "Negative feedback from users", "Unique negative feedback from users", "Other Clicks",
    "Matched Audience Targeting Consumption (Photo Click)", "Link Clicks",
]  # fmt: skip
# Exact: the two Instagram orders (spec).
IG_POSTS_A: list[str] = [
    "Post ID", "Account ID", "Account username", "Account name", "Description",
    "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date",
    "Views", "Reach", "Likes", "Shares", "Comments", "Saves", "Follows",
]  # fmt: skip
IG_POSTS_B: list[str] = [
    "Post ID", "Account ID", "Account username", "Account name", "Description",
    "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date",
    "Reach", "Likes", "Shares", "Follows", "Comments", "Saves", "Views",
]  # fmt: skip
INTERVALS: list[str] = [f"Percentage of total views at interval {n}" for n in range(41)]
REAL_COUNTRIES: list[tuple[str, str]] = [
    ("Pakistan", "PK"),
    ("United Arab Emirates", "AE"),
    ("Saudi Arabia", "SA"),
    ("United Kingdom", "GB"),
    ("Afghanistan", "AF"),
    ("Qatar", "QA"),
]


def by_country(metric: str, count: int) -> list[str]:
    """``<metric> by country (<Country> (<ISO2>))`` columns: real countries
    first, then synthetic ones (``Country AB (AB)``) to reach ``count``."""
    names = [f"{metric} by country ({name} ({iso}))" for name, iso in REAL_COUNTRIES]
    taken = {iso for _, iso in REAL_COUNTRIES}
    for first, second in product("ABCDEFGHIJKLMNOPQRSTUVWXYZ", repeat=2):
        if len(names) >= count:
            break
        if first + second not in taken:
            names.append(f"{metric} by country (Country {first}{second} ({first}{second}))")
    return names[:count]


def fb_videos_212() -> list[str]:
    """The video export: starts ``Video asset ID,Universal video ID,Page ID,...``,
    lower-case ``Reactions, comments and shares``, 41 interval columns."""
    base = [
        "Video asset ID", "Universal video ID", "Page ID", "Page name", "Title",
        "Description", "Duration (sec)", "Publish time", "Caption type", "Permalink",
        "Is crosspost", "Is share", "Post type", "Languages", "Custom labels",
        "Funded content status", "Data comment", "Date", "Views", "Reach",
        "Reactions, comments and shares", "Reactions", "Comments", "Shares",
        "3-second video views", "1-minute video views", "Seconds viewed",
        "Average Seconds viewed", "Seconds viewed from Recommendations",
        "Seconds viewed from Followers", "Seconds viewed from Shares",
        "Estimated earnings (USD)", "Ad impressions",
    ]  # fmt: skip
    header = base + INTERVALS
    return header + by_country("3-second video views", 212 - len(header))


def fb_posts_304() -> list[str]:
    """A wide posts export in another order: Post ID third, Reach before Views."""
    base = [
        "Page ID", "Page name", "Post ID", "Publish time", "Title", "Description",
        "Duration (sec)", "Caption type", "Permalink", "Is crosspost", "Is share",
        "Post type", "Languages", "Custom labels", "Funded content status", "Data comment",
        "Date", "Reach", "Views", "Reactions, Comments and Shares", "Reactions", "Comments",
        "Shares", "Total clicks", "Link Clicks", "Other Clicks",
        "Matched Audience Targeting Consumption (Photo Click)", "3-second video views",
        "1-minute video views", "Seconds viewed", "Average Seconds viewed",
        "Estimated earnings (USD)", "Ad impressions",
    ]  # fmt: skip
    header = base + INTERVALS
    return header + by_country("3-second video views", 304 - len(header))


def meta_cell(value: str) -> str:
    """One cell as Meta writes it: quoted only when it must be (or has a space)."""
    if any(ch in value for ch in ' ,"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def content_rows(header: Sequence[str], rows: Iterable[Mapping[str, str]]) -> list[list[str]]:
    """Rows as lists in header order; a key ``_fields`` cuts a row short (ragged).

    Duplicate header names take the value of ``name`` for the first and
    ``name#2`` for the second."""
    out = []
    for row in rows:
        seen: dict[str, int] = {}
        cells = []
        for name in header:
            seen[name] = seen.get(name, 0) + 1
            key = name if seen[name] == 1 else f"{name}#{seen[name]}"
            cells.append(str(row.get(key, "")))
        out.append(cells[: int(row["_fields"])] if "_fields" in row else cells)
    return out


def write_content(path: Path, header: Sequence[str], rows: Iterable[Mapping[str, str]]) -> Path:
    """A content export: UTF-8 BOM, ``\\n`` line ends, Meta's quoting."""
    lines = [",".join(meta_cell(h) for h in header)]
    lines += [",".join(meta_cell(c) for c in cells) for cells in content_rows(header, rows)]
    path.write_bytes(codecs.BOM_UTF8 + ("\n".join(lines) + "\n").encode("utf-8"))
    return path


def _utf16(lines: Iterable[str]) -> bytes:
    return codecs.BOM_UTF16_LE + "\n".join(lines).encode("utf-16-le")


def _quoted(cells: Iterable[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells)


def write_insights_daily(path: Path, title: str, rows: Iterable[tuple[str, str]]) -> Path:
    """An Insights per-metric file: UTF-16LE BOM, ``sep=,``, title, all quoted."""
    lines = ["sep=,", _quoted([title]), _quoted(["Date", "Primary"])]
    lines += [_quoted(row) for row in rows]
    path.write_bytes(_utf16([*lines, "", ""]))
    return path


def write_audience(
    path: Path,
    age_gender: Iterable[tuple[str, str, str]],
    countries: Sequence[tuple[str, str]],
    cities: Sequence[tuple[str, str]],
    *,
    titles: tuple[str, str, str] = ("Age & gender", "Top countries", "Top cities"),
) -> Path:
    """``Audience.csv``: age & gender rows, then countries and cities as pairs of rows.

    Line numbers (the reader's rows): 1 ``sep=,``, 2 title, 3 ``"","Women","Men"``,
    then one line per age band, a blank line, and so on."""
    lines = ["sep=,", _quoted([titles[0]]), _quoted(["", "Women", "Men"])]
    lines += [_quoted(row) for row in age_gender]
    for title, pairs in ((titles[1], countries), (titles[2], cities)):
        lines += ["", _quoted([title])]
        lines += [_quoted([n for n, _ in pairs]), _quoted([v for _, v in pairs])]
    path.write_bytes(_utf16([*lines, ""]))
    return path


# Legacy Page Insights columns: (name, description). The two link-click
# columns share a name; only the description tells them apart.
LEGACY_COLUMNS: list[tuple[str, str]] = [
    ("Date", ""),
    ("Lifetime Total Likes", "Lifetime: The total number of people who have liked your Page. (Unique Users)"),
    ("Daily New Likes", "Daily: The number of new people who have liked your Page (Unique Users)"),
    ("Daily Unlikes", "Daily: The number of Unlikes of your Page (Unique Users)"),
    ("Daily Page Engaged Users", "Daily: The number of people who engaged with your Page. Engagement includes any click or story created. (Unique Users)"),
    ("Weekly Page Engaged Users", "Weekly: The number of people who engaged with your Page. Engagement includes any click or story created. (Unique Users)"),
    ("28 Days Page Engaged Users", "28 Days: The number of people who engaged with your Page. Engagement includes any click or story created. (Unique Users)"),
    ("Daily Total Reach", "Daily: The number of people who had any content from your Page or about your Page enter their screen. (Unique Users)"),
    ("Weekly Total Reach", "Weekly: The number of people who had any content from your Page or about your Page enter their screen. (Unique Users)"),
    ("28 Days Total Reach", "28 Days: The number of people who had any content from your Page or about your Page enter their screen. (Unique Users)"),
    ("Daily Total Impressions", "Daily: The number of impressions seen of any content associated with your Page. (Total Count)"),
    ("Weekly Total Impressions", "Weekly: The number of impressions seen of any content associated with your Page. (Total Count)"),
    ("Daily Page Consumptions By Type - link clicks", "Daily: The number of people who clicked on any of your content, by type. (Unique Users) - link clicks"),
    ("Daily Page Consumptions By Type - link clicks", "Daily: The number of clicks on any of your content, by type. (Total Count) - link clicks"),
]  # fmt: skip


def write_legacy_insights(path: Path, rows: Iterable[Sequence[str]]) -> Path:
    """The old Page Insights export: names, descriptions, then one row a day."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _ in LEGACY_COLUMNS])
    writer.writerow([description for _, description in LEGACY_COLUMNS])
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


# The legacy Page Insights post-level export ("Export data → Post data",
# 2012-2018): names, then descriptions (none under the first eight), then
# one row per post. Names, order and descriptions of the first 34 columns
# as a 2015 export quoted whole in public code; the by-action-type and
# by-type columns (which readers of 2013-2018 exports name, after the
# video columns) with the Graph API's descriptions of the same metrics
# and the action appended, as in the page-level export (the 2017-2018
# exports also add "Matched Audience Targeting" columns, which no count
# here reads: a file of either year loads the same way). Four names appear twice
# (Total Count, then Unique Users): only the description tells them apart.
LEGACY_POST_COLUMNS: list[tuple[str, str]] = [
    ("Post ID", ""),
    ("Permalink", ""),
    ("Post Message", ""),
    ("Type", ""),
    ("Countries", ""),
    ("Languages", ""),
    ("Posted", ""),
    ("Audience Targeting", ""),
    ("Lifetime Post Total Reach", "Lifetime: The total number of people your Page post was served to. (Unique Users)"),
    ("Lifetime Post organic reach", "Lifetime: The number of people who saw your Page post in news feed or ticker, or on your Page's timeline. (Unique Users)"),
    ("Lifetime Post Paid Reach", "Lifetime: The number of people your advertised Page post was served to. (Unique Users)"),
    ("Lifetime Post Total Impressions", "Lifetime: The number of impressions of your Page post. (Total Count)"),
    ("Lifetime Post Organic Impressions", "Lifetime: The number of impressions of your post in News Feed or ticker or on your Page's Timeline. (Total Count)"),
    ("Lifetime Post Paid Impressions", "Lifetime: The number of impressions of your Page post in an Ad or Sponsored Story. (Total Count)"),
    ("Lifetime Engaged Users", "Lifetime: The number of people who clicked anywhere in your posts. (Unique Users)"),
    ("Lifetime Post Consumers", "Lifetime: The number of people who clicked anywhere in your post. (Unique Users)"),
    ("Lifetime Post Consumptions", "Lifetime: The number of clicks anywhere in your post. (Total Count)"),
    ("Lifetime Negative feedback", "Lifetime: The number of people who have given negative feedback to your post. (Unique Users)"),
    ("Lifetime Negative Feedback from Users", "Lifetime: The number of times people have given negative feedback to your post. (Total Count)"),
    ("Lifetime Post Impressions by people who have liked your Page", "Lifetime: The number of impressions of your Page post to people who have liked your Page. (Total Count)"),
    ("Lifetime Post reach by people who like your Page", "Lifetime: The number of people who saw your Page post because they've liked your Page (Unique Users)"),
    ("Lifetime Post Paid Impressions by people who have liked your Page", "Lifetime: The number of paid impressions of your Page post to people who have liked your Page. (Total Count)"),
    ("Lifetime Paid reach of a post by people who like your Page", "Lifetime: The number of people who like your Page and who saw your Page post in an ad or sponsored story. (Unique Users)"),
    ("Lifetime People who have liked your Page and engaged with your post", "Lifetime: The number of people who have liked your Page and clicked anywhere in your posts. (Unique Users)"),
    ("Lifetime Average time video viewed", "Lifetime: Average time video viewed (Total Count)"),
    ("Lifetime Organic views to 95%", "Lifetime: Number of times your video was viewed to 95% of its length without any paid promotion. (Total Count)"),
    ("Lifetime Organic views to 95%", "Lifetime: Number of times your video was viewed to 95% of its length without any paid promotion. (Unique Users)"),
    ("Lifetime Paid views to 95%", "Lifetime: Number of times your video was viewed to 95% of its length after paid promotion. (Total Count)"),
    ("Lifetime Paid views to 95%", "Lifetime: Number of times your video was viewed to 95% of its length after paid promotion. (Unique Users)"),
    ("Lifetime Video length", "Lifetime: Length of a video post (Total Count)"),
    ("Lifetime Organic Video Views", "Lifetime: Number of times your video was viewed for more than 3 seconds without any paid promotion. (Total Count)"),
    ("Lifetime Organic Video Views", "Lifetime: Number of times your video was viewed for more than 3 seconds without any paid promotion. (Unique Users)"),
    ("Lifetime Paid Video Views", "Lifetime: Number of times your video was viewed more than 3 seconds after paid promotion. (Total Count)"),
    ("Lifetime Paid Video Views", "Lifetime: Number of times your video was viewed more than 3 seconds after paid promotion. (Unique Users)"),
    ("Lifetime Talking About This (Post) by action type - comment", "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users) - comment"),
    ("Lifetime Talking About This (Post) by action type - like", "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users) - like"),
    ("Lifetime Talking About This (Post) by action type - share", "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users) - share"),
    ("Lifetime Post Stories by action type - comment", "Lifetime: The number of stories created about your Page post, by action type. (Total Count) - comment"),
    ("Lifetime Post Stories by action type - like", "Lifetime: The number of stories created about your Page post, by action type. (Total Count) - like"),
    ("Lifetime Post Stories by action type - share", "Lifetime: The number of stories created about your Page post, by action type. (Total Count) - share"),
    ("Lifetime Post consumers by type - link clicks", "Lifetime: The number of people who clicked anywhere in your post, by type. (Unique Users) - link clicks"),
    ("Lifetime Post consumers by type - other clicks", "Lifetime: The number of people who clicked anywhere in your post, by type. (Unique Users) - other clicks"),
    ("Lifetime Post consumers by type - photo view", "Lifetime: The number of people who clicked anywhere in your post, by type. (Unique Users) - photo view"),
    ("Lifetime Post Consumptions by type - link clicks", "Lifetime: The number of clicks anywhere in your post, by type. (Total Count) - link clicks"),
    ("Lifetime Post Consumptions by type - other clicks", "Lifetime: The number of clicks anywhere in your post, by type. (Total Count) - other clicks"),
    ("Lifetime Post Consumptions by type - photo view", "Lifetime: The number of clicks anywhere in your post, by type. (Total Count) - photo view"),
]  # fmt: skip


def legacy_post_row(
    post_id: str,
    columns: Sequence[tuple[str, str]] = LEGACY_POST_COLUMNS,
    **values: str,
) -> list[str]:
    """One post row in ``columns`` order. Keys are the column names; the
    second column of a repeated name is ``<name>#2``. Unnamed cells are
    empty, as Facebook leaves a metric that does not apply."""
    row = {"Post ID": post_id, "Audience Targeting": " ", **values}
    seen: dict[str, int] = {}
    cells = []
    for name, _ in columns:
        seen[name] = seen.get(name, 0) + 1
        cells.append(str(row.get(name if seen[name] == 1 else f"{name}#{seen[name]}", "")))
    return cells


def write_legacy_posts(
    path: Path,
    rows: Iterable[Sequence[str]],
    columns: Sequence[tuple[str, str]] = LEGACY_POST_COLUMNS,
) -> Path:
    """The post-level export: names, descriptions, then one row per post;
    UTF-8, ``\\n`` line ends, a cell quoted only when it must be."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _ in columns])
    writer.writerow([description for _, description in columns])
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path
