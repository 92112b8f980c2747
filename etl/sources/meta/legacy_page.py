"""The legacy Facebook Page Insights export at page level (the old
"Export data → Page data"): a row of names, a row of descriptions, then one
row a day. Only daily columns (and the lifetime total of followers) become
daily metrics; rolling windows are kept aside and named in the notes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from core.vocab import fold
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.meta.shared import (
    LEGACY_SOURCE,
    is_column_name,
    legacy_descriptions,
    shown,
)
from etl.sources.platform_exports import account_for, daily_metrics, reject_damaged_dates
from etl.sources.social import prepare_daily

# Daily metric -> the legacy column names that hold it (first found wins),
# and the unit its description must name when two columns share a name.
LEGACY_METRICS: dict[str, tuple[tuple[str, ...], str]] = {
    "followers": (("Lifetime Total Followers", "Lifetime Total Likes"), "Unique Users"),
    "new_followers": (("Daily New Followers", "Daily New Likes"), "Unique Users"),
    "unfollows": (("Daily Unfollows", "Daily Unlikes"), "Unique Users"),
    "reach": (("Daily Total Reach",), "Unique Users"),
    "impressions": (("Daily Total Impressions",), "Total Count"),
    "profile_visits": (
        ("Daily Total views count per Page", "Daily Logged-in Page Views"),
        "Total Count",
    ),
    "video_views": (("Daily Total Video Views",), "Total Count"),
    "link_clicks": (("Daily Page Consumptions By Type - link clicks",), "Total Count"),
}
_SUFFIX = re.compile(r" \((\d+)\)$")


class MetaPageInsightsLegacy:
    """The old Page Insights "Export data": a row of names, a row of descriptions."""

    kind = "Facebook Page Insights (legacy)"
    source = LEGACY_SOURCE

    def matches(self, table: RawTable) -> bool:
        headers = [fold(h) for h in table.headers]
        # Names only: the description row of a post-level export (a blank
        # first cell, then "Lifetime: ...") read as a header is not this.
        windows = sum(1 for h in table.headers if is_column_name(h))
        # A blank first header (read as column_1) is the date column too.
        return headers[:1] in (["date"], ["column 1"]) and windows >= 3

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        descriptions, description_row = legacy_descriptions(table)
        metrics, notes = _legacy_metrics(table.headers, descriptions)
        view = table
        if description_row is not None:
            table.con.execute(
                f"create or replace temp table meta_legacy as select * from {table.name} "
                "where _source_row <> $row",
                {"row": description_row},
            )
            view = replace(table, name="meta_legacy")
            notes.insert(0, f"row {description_row} holds column descriptions: not loaded")
        frame = daily_metrics(
            view,
            date_header=table.headers[0],
            date_sql=_LEGACY_DAY_SQL,
            metrics=metrics,
            platform="Facebook",
            account=account_for(context),
        )
        reject_damaged_dates(table, frame, "YYYY-MM-DD")
        ignored = [h for h in table.headers[1:] if h not in metrics.values()]
        return prepare_daily(frame, context, source=self.source, unmatched=ignored, notes=notes)


_LEGACY_DAY_SQL = (
    "case when regexp_matches(date_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') "
    "then try_cast(left(date_text, 10) as date) "
    "else try_strptime(date_text, ['%m/%d/%Y', '%m/%d/%y']) end"
)


def _legacy_metrics(
    headers: list[str], descriptions: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """metric -> header, and notes on what is kept aside and why."""
    by_name: dict[str, list[str]] = {}
    for header in headers[1:]:
        by_name.setdefault(fold(_SUFFIX.sub("", header)), []).append(header)
    metrics: dict[str, str] = {}
    notes: list[str] = []
    for metric, (names, unit) in LEGACY_METRICS.items():
        for name in names:
            candidates = by_name.get(fold(name), [])
            if len(candidates) > 1:
                chosen = [h for h in candidates if unit.lower() in descriptions.get(h, "").lower()]
                candidates = chosen[:1]
                if candidates:
                    notes.append(
                        f"'{name}' appears more than once: the column described as "
                        f"{unit} is {metric}"
                    )
            if candidates:
                metrics[metric] = candidates[0]
                break
    aside = [h for h in headers[1:] if h not in metrics.values()]
    windows = [h for h in aside if not fold(h).startswith("daily")]
    daily = [h for h in aside if fold(h).startswith("daily")]
    if windows:
        notes.append(
            f"{len(windows)} lifetime, weekly and 28-day columns kept aside (rolling windows "
            f"are never summed across days): {shown(windows)}"
        )
    if daily:
        notes.append(f"{len(daily)} daily columns kept aside (no daily metric): {shown(daily)}")
    return metrics, notes
