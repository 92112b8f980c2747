"""Meta Insights per-metric daily files (a title line, then
``"Date","Primary"``) as daily account metrics."""

from __future__ import annotations

from core.errors import FileRejected
from core.vocab import fold
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.meta.shared import INSIGHTS_SOURCE, PLATFORM_WORDS, platform_for
from etl.sources.platform_exports import (
    account_for,
    daily_metrics,
    find_columns,
    reject_damaged_dates,
)
from etl.sources.social import prepare_daily

# Insights titles without their platform word, folded -> daily metric.
# "Views" is Meta's 2025 name for impressions (as in the content exports).
INSIGHTS_METRICS: dict[str, str] = {
    "reach": "reach",
    "views": "impressions",
    "impressions": "impressions",
    "profile visits": "profile_visits",
    "page visits": "profile_visits",
    "visits": "profile_visits",
    "content interactions": "engagements",
    "interactions": "engagements",
    "link clicks": "link_clicks",
    "follows": "new_followers",
    "new follows": "new_followers",
    "new followers": "new_followers",
    "unfollows": "unfollows",
    "net follows": "net_followers",
    "net followers": "net_followers",
    "followers": "followers",
    "total followers": "followers",
    "video views": "video_views",
}


class MetaInsightsDaily:
    """Insights per-metric daily file: title line, then ``"Date","Primary"``."""

    kind = "Meta Insights daily metric"
    source = INSIGHTS_SOURCE

    def matches(self, table: RawTable) -> bool:
        headers = [fold(h) for h in table.headers]
        return bool(table.title_lines) and headers[:1] == ["date"] and "primary" in headers

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        title_row = table.header_row - 1
        title = table.title_lines[-1]
        platform = platform_for(table, [title], context, title_row, "title")
        metric = insights_metric(title)
        if metric is None:
            known = ", ".join(f"'{t}'" for t in INSIGHTS_METRICS)
            raise FileRejected(
                table.path.name,
                f"the title '{title}' is not a metric this dashboard stores (known, after "
                f"'Facebook'/'Instagram': {known})",
                row=title_row,
            )
        primary = find_columns(table.headers, {"value": ("Primary",)})["value"]
        frame = daily_metrics(
            table,
            date_header=table.headers[0],
            date_sql=_ISO_DAY_SQL,
            metrics={metric: primary},
            platform=platform,
            account=account_for(context),
        )
        reject_damaged_dates(table, frame, "2025-01-31T00:00:00")
        ignored = [h for h in table.headers[1:] if h != primary]
        notes = [
            f"title '{title}': {platform} {metric}; each date is read as the calendar day "
            "(Meta writes T00:00 or T01:00)"
        ]
        return prepare_daily(frame, context, source=self.source, unmatched=ignored, notes=notes)


# The date part of Meta's "2025-01-01T01:00:00": the calendar day.
_ISO_DAY_SQL = (
    "case when regexp_matches(date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') "
    "then try_cast(left(date_text, 10) as date) end"
)


def insights_metric(title: str) -> str | None:
    """The daily metric an Insights title names, platform words left out."""
    words = [w for w in fold(title).split() if w not in PLATFORM_WORDS]
    return INSIGHTS_METRICS.get(" ".join(words))
