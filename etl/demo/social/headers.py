"""The vendors' headers, exactly as their tools write them (``/work/shared/spec/export-formats.md``).

Typos, doubled names and trailing spaces included: they are how the files
are recognised. Also the Meta Insights files one download holds.
"""

from __future__ import annotations

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
