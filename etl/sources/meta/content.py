"""Meta content exports (Facebook posts, Facebook videos, Instagram posts)
as post snapshots; see the package docstring for the column mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from core.sql import quote_literal
from core.vocab import fold
from etl.gx_import import gx
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import reject_damaged_timestamps, text_sql, timestamp_sql
from etl.sources.meta.extra import build_extra
from etl.sources.meta.shared import (
    CONTENT_SOURCE,
    META_ID,
    VIDEO_SOURCE,
    meta_snapshot,
    post_type_sql,
    reject_excel_ids,
    sql_tuple,
)
from etl.sources.platform_exports import find_columns, naive_timezone, require_headers
from etl.sources.social import prepare_posts
from etl.validate import Check

PUBLISH_FORMATS: tuple[str, ...] = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")
PUBLISH_FORM_SHOWN = "MM/DD/YYYY HH:MM"
FACEBOOK_POST_TYPES: dict[str, str] = {
    "Photos": "photo",
    "Reels": "reel",
    "Links": "link",
    "Videos": "video",
    "Text": "text",
}
INSTAGRAM_POST_TYPES: dict[str, str] = {
    "IG image": "photo",
    "IG reel": "reel",
    "IG carousel": "carousel",
}
VIDEO_TYPES: tuple[str, ...] = ("video", "reel")

# Counts every content export shares (Meta's spellings, first found wins).
# "Views" twice in one header (the 38-column export): the reader names the
# second "Views (2)". The first sits in the block of lifetime totals
# (Views, Reach, Reactions, ...) exactly where the single Views of the
# 31-column export and Impressions of older exports stand, so it holds the
# post's views. The second stands among breakdowns (reach from organic and
# boosted posts, 3-second video views, ...); in the real export both are 0
# on every row, so its meaning cannot be confirmed from data: it is kept in
# extra as "Views (2)" and never added to anything.
COMMON_COUNTS: dict[str, tuple[str, ...]] = {
    "impressions": ("Impressions", "Views"),
    "reach": ("Reach",),
    "comments": ("Comments",),
    "shares": ("Shares",),
}


@dataclass(frozen=True)
class ContentLayout:
    """How one content export names what the post contract needs."""

    platform: str
    source: str
    post_id: tuple[str, ...]
    account: tuple[str, ...]
    post_text: tuple[str, ...]
    counts: dict[str, tuple[str, ...]]
    post_types: dict[str, str]
    default_post_type: str | None = None
    account_hint: str = "Page name"


FACEBOOK_POSTS = ContentLayout(
    platform="Facebook",
    source=CONTENT_SOURCE,
    post_id=("Post ID",),
    account=("Page name", "Page ID"),
    post_text=("Title", "Description"),
    counts={**COMMON_COUNTS, "reactions": ("Reactions",), "link_clicks": ("Link Clicks",)},
    post_types=FACEBOOK_POST_TYPES,
)
# The video export names each video by its asset id; a "Post ID", when the
# export has one, links it to the post and is preferred. Its rows are kept
# under their own source so that a reel in both exports is not two posts.
FACEBOOK_VIDEOS = replace(
    FACEBOOK_POSTS,
    source=VIDEO_SOURCE,
    post_id=("Post ID", "Video asset ID"),
    default_post_type="video",
)
INSTAGRAM_POSTS = ContentLayout(
    platform="Instagram",
    source=CONTENT_SOURCE,
    post_id=("Post ID",),
    account=("Account username", "Account name", "Account ID"),
    post_text=("Description", "Title"),
    counts={**COMMON_COUNTS, "reactions": ("Likes",), "saves": ("Saves",)},
    post_types=INSTAGRAM_POST_TYPES,
    account_hint="Account username",
)


class MetaFacebookVideos:
    """Facebook video export (``Video asset ID,Universal video ID,Page ID,...``)."""

    kind = "Meta Facebook videos"
    source = VIDEO_SOURCE

    def matches(self, table: RawTable) -> bool:
        headers = {fold(h) for h in table.headers}
        return "video asset id" in headers and "publish time" in headers

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        return prepare_content(table, context, FACEBOOK_VIDEOS)


class MetaFacebookPosts:
    """Facebook posts content export (31, 38, 304 columns; any order)."""

    kind = "Meta Facebook posts"
    source = CONTENT_SOURCE

    def matches(self, table: RawTable) -> bool:
        # Without "Post ID" on purpose: such a file is told what it lacks.
        headers = {fold(h) for h in table.headers}
        return {"publish time", "permalink"} <= headers and bool(headers & {"page id", "page name"})

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        return prepare_content(table, context, FACEBOOK_POSTS)


class MetaInstagramPosts:
    """Instagram posts content export (both column orders; several accounts)."""

    kind = "Meta Instagram posts"
    source = CONTENT_SOURCE

    def matches(self, table: RawTable) -> bool:
        headers = {fold(h) for h in table.headers}
        return {"publish time", "permalink"} <= headers and bool(
            headers & {"account username", "account id"}
        )

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        return prepare_content(table, context, INSTAGRAM_POSTS)


def prepare_content(table: RawTable, context: LoadContext, layout: ContentLayout) -> Prepared:
    """Post snapshots from a content export, with Meta's own checks added."""
    found = _content_columns(table, layout)
    used = set(found.values())
    snapshot_at, snapshot_note = meta_snapshot(table.path.name, context)
    kept = build_extra(table, table.headers, used)
    table.con.execute(
        f"create or replace temp table meta_content as select s.*, "
        f"{_lifetime_problem_sql(found)}, e.extra as __extra "
        f"from {table.name} s left join meta_extra e using (_source_row)"
    )
    view = replace(table, name="meta_content")
    exprs = _content_exprs(found, layout, naive_timezone(context))
    exprs["extra"] = "__extra"
    unmatched = [h for h in table.headers if h not in used]
    prepared = prepare_posts(
        view,
        exprs,
        context,
        source=layout.source,
        snapshot_at=snapshot_at,
        unmatched=unmatched,
        notes=[snapshot_note, *kept],
    )
    helpers = table.con.execute(
        "select __lifetime_problem from meta_content order by _source_row"
    ).fetchall()
    prepared.frame["lifetime__problem"] = pd.Series([h[0] for h in helpers], dtype=object)
    reject_excel_ids(table, prepared.frame, found["post_id"])
    reject_damaged_timestamps(table, prepared.frame, ["published_at"], PUBLISH_FORM_SHOWN)
    prepared.checks.extend(_content_checks(layout))
    return prepared


def _content_columns(table: RawTable, layout: ContentLayout) -> dict[str, str]:
    """canonical key -> header; rejects a file without a post id or account."""
    aliases: dict[str, tuple[str, ...]] = {
        "post_id": layout.post_id,
        "account": layout.account[:1],
        "account_fallback": layout.account[1:],
        "published_at": ("Publish time",),
        "post_type": ("Post type",),
        "permalink": ("Permalink",),
        "date": ("Date",),
        "post_text": layout.post_text[:1],
        "post_text_fallback": layout.post_text[1:],
        **layout.counts,
    }
    found = find_columns(table.headers, {k: v for k, v in aliases.items() if v})
    # "Views" may feed impressions and video_views both, and find_columns
    # gives a header to one key only: video views are looked up apart.
    found.update(
        find_columns(
            table.headers,
            {"views": ("Views",), "three_second_views": ("3-second video views",)},
        )
    )
    require_headers(table, found, {"post_id": layout.post_id[-1]})
    if "account" not in found and "account_fallback" not in found:
        require_headers(table, found, {"account": layout.account_hint})
    return found


def _lifetime_problem_sql(found: Mapping[str, str]) -> str:
    """Helper column of ``meta_content``: why a row is not a lifetime total."""
    date = text_sql(found.get("date"))
    return (
        f"case when {date} is not null and lower({date}) <> 'lifetime' "
        f"then 'Date is ''' || {date} || ''', not ''Lifetime'': only lifetime totals "
        "are loaded as post snapshots' end as __lifetime_problem"
    )


def _content_exprs(
    found: Mapping[str, str], layout: ContentLayout, timezone: str
) -> dict[str, str]:
    """SQL text expressions for ``prepare_posts``."""

    def text(key: str) -> str:
        return text_sql(found.get(key))

    published = text("published_at")
    post_type = post_type_sql(text("post_type"), layout.post_types, layout.default_post_type)
    views = f"coalesce({text('views')}, {text('three_second_views')})"
    exprs = {
        "platform": quote_literal(layout.platform),
        "account": f"coalesce({text('account')}, {text('account_fallback')})",
        "post_id": text("post_id"),
        "published_at": timestamp_sql(published, timezone, PUBLISH_FORMATS),
        "published_at__text": published,
        "post_type": post_type,
        "post_text": f"coalesce({text('post_text')}, {text('post_text_fallback')})",
        "permalink": text("permalink"),
        "video_views": f"case when {post_type} in {sql_tuple(VIDEO_TYPES)} then {views} end",
    }
    for column in ("impressions", "reach", "reactions", "comments", "shares", "saves"):
        exprs[column] = text(column)
    exprs["link_clicks"] = text("link_clicks")
    return exprs


def _content_checks(layout: ContentLayout) -> list[Check]:
    e = gx.expectations
    hint = layout.account_hint
    return [
        Check(
            e.ExpectColumnValuesToNotBeNull(column="account"),
            lambda r: f"the row names no account ({hint} is blank)",
        ),
        Check(
            e.ExpectColumnValuesToMatchRegex(column="post_id", regex=META_ID),
            lambda r: f"post id '{r['post_id']}' is not a Meta id (digits only)",
        ),
        Check(
            e.ExpectColumnValuesToBeNull(column="lifetime__problem"),
            lambda r: str(r["lifetime__problem"]),
        ),
    ]
