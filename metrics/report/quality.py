"""The report's data-quality statement, from the Data page's read model.

Which sources cover the period (``metrics.loads.load_history``: every load
in effect, with the span of time its file covers), how many of the
period's days each covers, rows quarantined (``metrics.quarantine``), how
far behind each source is (``metrics.freshness``), how complete the items
are (district named, requester gender known: counts from the report's own
figures), and the known gaps in plain sentences. Counts only: no row, and
nothing a member of the public wrote.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import duckdb
import pandas as pd

from core.sources import in_sources
from metrics import freshness, loads, quarantine, scope
from metrics.filters import KARACHI, Filters
from metrics.report.model import DataQuality
from metrics.report.period import ReportPeriod

REPORT_SOURCES: tuple[str, ...] = ("inquiries", "social")
OUTREACH_SOURCE = "outreach_events"
# Sources of a report group the report does not read: the audience
# breakdowns (age, gender, country of followers) are not in it.
NOT_IN_REPORT: frozenset[str] = frozenset({"meta_audience"})


def _used(source: str, with_outreach: bool) -> bool:
    if source in NOT_IN_REPORT:
        return False
    return in_sources(source, REPORT_SOURCES) or (with_outreach and source == OUTREACH_SOURCE)


def _local_date(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).tz_convert(KARACHI).date()


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def _coverage(rows: pd.DataFrame, period: ReportPeriod) -> set[date]:
    """The period's days that some file of these loads covers."""
    covered: set[date] = set()
    wanted = _days(period.start, period.end)
    for start, end in zip(rows["covers_from"], rows["covers_to"], strict=True):
        first, last = _local_date(start), _local_date(end)
        if first is not None and last is not None:
            covered |= _days(first, last) & wanted
    return covered


def _ranges(days: list[date]) -> str:
    """``3–5 Oct 2026, 9 Oct 2026`` for a sorted list of days."""
    parts, run = [], [days[0]]
    for day in days[1:]:
        if day == run[-1] + timedelta(days=1):
            run.append(day)
            continue
        parts.append(run)
        run = [day]
    parts.append(run)
    text = []
    for run in parts:
        first, last = run[0], run[-1]
        text.append(
            f"{first.day} {first:%b %Y}"
            if first == last
            else f"{first.day}–{last.day} {last:%b %Y}"
            if (first.year, first.month) == (last.year, last.month)
            else f"{first.day} {first:%b %Y}–{last.day} {last:%b %Y}"
        )
    return ", ".join(text)


def _in_effect(con: duckdb.DuckDBPyConnection, with_outreach: bool) -> pd.DataFrame:
    history = loads.load_history(con)
    history = history[history["outcome"] == "loaded"]
    used = [_used(str(s), with_outreach) for s in history["source"]]
    return history[pd.Series(used, index=history.index, dtype=bool)]


def source_coverage(
    history: pd.DataFrame, period: ReportPeriod, fresh: pd.DataFrame, today: date
) -> pd.DataFrame:
    """One row per source: files covering part of the period, the days they
    cover (and those up to ``today`` none covers, as ``missing``), rows
    read and quarantined, and days behind today."""
    rows = []
    days_in_period = (period.end - period.start).days + 1
    wanted = _days(period.start, min(period.end, today))
    behind = dict(zip(fresh["source"], fresh["days_behind"], strict=True))
    for source, group in history.groupby("source", sort=True):
        covered = _coverage(group, period)
        overlapping = group[
            [
                bool(_local_date(a) and _local_date(b))
                and _local_date(a) <= period.end  # type: ignore[operator]
                and _local_date(b) >= period.start  # type: ignore[operator]
                for a, b in zip(group["covers_from"], group["covers_to"], strict=True)
            ]
        ]
        rows.append(
            {
                "source": source,
                "kind": str(group["kind"].iloc[0]),
                "files": len(overlapping),
                "covers_from": min((_local_date(v) for v in group["covers_from"]), default=None),
                "covers_to": max((_local_date(v) for v in group["covers_to"]), default=None),
                "days_covered": len(covered),
                "days_in_period": days_in_period,
                "rows_read": int(overlapping["rows_read"].fillna(0).sum()),
                "rows_quarantined": int(overlapping["rows_quarantined"].fillna(0).sum()),
                "still_quarantined": int(overlapping["rows_still_quarantined"].fillna(0).sum()),
                "days_behind": behind.get(source),
                "missing": _ranges(sorted(wanted - covered)) if wanted - covered else "",
            }
        )
    # The inquiry sources first (the register leads), then the platforms.
    rows.sort(
        key=lambda r: (
            not in_sources(str(r["source"]), "inquiries"),
            r["source"] != "register",
            r["source"],
        )
    )
    return pd.DataFrame(
        rows,
        columns=[
            "source",
            "kind",
            "files",
            "covers_from",
            "covers_to",
            "days_covered",
            "days_in_period",
            "rows_read",
            "rows_quarantined",
            "still_quarantined",
            "days_behind",
            "missing",
        ],
    )


def load_list(history: pd.DataFrame, period: ReportPeriod) -> pd.DataFrame:
    """Every load in effect the report read, oldest first, and whether its
    file covers part of the period."""
    frame = history.sort_values(["load_seq", "started_at"]).reset_index(drop=True)
    covers = [
        bool(_local_date(a) and _local_date(b))
        and _local_date(a) <= period.end  # type: ignore[operator]
        and _local_date(b) >= period.start  # type: ignore[operator]
        for a, b in zip(frame["covers_from"], frame["covers_to"], strict=True)
    ]
    return pd.DataFrame(
        {
            "load_id": frame["load_id"],
            "source": frame["source"],
            "kind": frame["kind"],
            "file_name": frame["file_name"],
            "sha256_short": frame["sha256_short"],
            "covers_from": frame["covers_from"],
            "covers_to": frame["covers_to"],
            "finished_at": frame["finished_at"],
            "rows_read": frame["rows_read"],
            "covers_period": covers,
        }
    )


def snapshot_text(load_ids: pd.DataFrame) -> str:
    """The warehouse as of its latest load: what the report was built from."""
    if load_ids.empty:
        return "no loads"
    last = load_ids.iloc[-1]
    finished = pd.Timestamp(last["finished_at"]).tz_convert(KARACHI)
    return (
        f"{len(load_ids):,} loads in effect; the latest {last['load_id']} "
        f"({last['file_name']}), finished {finished:%d %b %Y %H:%M} PKT"
    )


def _share_row(measure: str, part: int, total: int, note: str) -> dict[str, object]:
    return {
        "measure": measure,
        "value": 100.0 * part / total if total else None,
        "n": total,
        "note": note,
    }


def completeness(
    total: int, by_gender: Mapping[str, int], by_region: Mapping[str, int]
) -> pd.DataFrame:
    """How complete the period's items are, as shares of the items received."""
    unknown = by_gender.get("Unknown", 0)
    return pd.DataFrame(
        [
            _share_row(
                "Items naming a district",
                sum(by_region.values()),
                total,
                "Items naming no district count in the province's figures only.",
            ),
            _share_row(
                "Items with the requester's gender recorded",
                total - unknown,
                total,
                "Unknown gender is its own group in the disaggregation.",
            ),
        ],
        columns=["measure", "value", "n", "note"],
    )


def data_quality(
    con: duckdb.DuckDBPyConnection,
    period: ReportPeriod,
    f: Filters,
    *,
    today: date,
    total: int,
    by_gender: Mapping[str, int],
    by_region: Mapping[str, int],
    with_outreach: bool,
) -> DataQuality:
    """The statement: sources and coverage, load ids, completeness,
    quarantine, gaps."""
    history = _in_effect(con, with_outreach)
    fresh = freshness.freshness(con, today)
    sources = source_coverage(history, period, fresh, today)
    waiting = quarantine.quarantine_summary(con)
    used = [_used(str(s), with_outreach) for s in waiting["source"]]
    waiting = waiting[pd.Series(used, index=waiting.index, dtype=bool)]
    waiting = waiting[["source", "kind", "check", "n_rows"]].reset_index(drop=True)
    gaps = _gaps(con, period, f, sources, today=today, with_outreach=with_outreach)
    return DataQuality(
        sources=sources,
        loads=load_list(history, period),
        completeness=completeness(total, by_gender, by_region),
        quarantine=waiting,
        gaps=tuple(gaps),
    )


def _gaps(
    con: duckdb.DuckDBPyConnection,
    period: ReportPeriod,
    f: Filters,
    sources: pd.DataFrame,
    *,
    today: date,
    with_outreach: bool,
) -> list[str]:
    gaps = []
    if not period.is_complete(today):
        gaps.append(
            f"{period.label} has not ended: figures are as of the latest load, and open "
            "items are judged as of the time the report was made."
        )
    for row in sources.itertuples(index=False):
        if not row.days_covered:
            gaps.append(f"{row.kind} ({row.source}): no file covers any day of the period.")
        elif row.missing:
            gaps.append(f"{row.kind} ({row.source}): no file covers {row.missing}.")
    for source in scope.sources_without_first_response(con, f):
        gaps.append(
            f"{source} records no first response: its items are left out of R3 and R5, "
            "never counted as unanswered."
        )
    if not with_outreach:
        gaps.append("No outreach register is loaded: outreach events (I4) are not reported.")
    gaps.append(
        "Media and crisis-communication KPIs (M1-M7) and the responsiveness score (C1) are "
        "reported on the dashboard, not in this report."
    )
    return gaps
