"""Counts behind R1, R3, R5, R10 and R11, in one scan, cut by an optional group.

R5, R10 and R11 need the state of every item at the period end (whenever it
was received), so they share one pass over the mart, and the received-cohort
counts of R1 and R3 come with it. The query returns one row per group of
each grouping asked for (grouping sets: everything, by district, by
channel), so one pass serves several. The KPI functions in
``metrics.responsiveness`` read everything; ``sla_league`` reads one row per
district or channel, so the league and the headline cards use exactly the
same definitions and their counts add up.

SLA convention (KPI catalogue): the denominator is the items that completed
the step in the period (before the period end) plus the open items already
past target: those whose target fell in the period and that are still open
at its end. An open overdue item thus counts as a breach (a backlog never
flatters the figure) in the period its target passed; if it is completed
later, late, it counts again in that period, as a late completion. Items
whose target passed in an earlier period are not counted again while they
stay open: they are the overdue backlog (R11), shown beside the SLA. (Were
they counted in every later period, the figure would depend on the
period's length: on the demo data, 55 % a week against 89 % a quarter.)
Within target means completed at or before the due time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from metrics.filters import Filters
from metrics.scope import SCOPE_SQL, fetch_all, scope_params

Group = str | None


@dataclass(frozen=True)
class PeriodEndCounts:
    """One group's counts for a period, judged at the period end."""

    received: int = 0  # R1: received in the period
    needing_reply: int = 0  # R3 denominator: received, needing a reply
    replied: int = 0  # R3 numerator: ... with a first reply on record
    reply_judged: int = 0  # R5 denominator
    reply_on_time: int = 0  # R5 numerator
    resolution_judged: int = 0  # R10 denominator
    resolution_on_time: int = 0  # R10 numerator
    open_at_end: int = 0  # R11 n
    overdue_at_end: int = 0  # R11 value


_JUDGED_SQL = (
    SCOPE_SQL
    + """,
judged as (
    select
        district,
        channel,
        received_at >= $start_at and received_at < $end_at as is_received,
        needs_reply and first_response_recorded as is_needing_reply,
        first_response_at is not null as is_replied,
        -- R5: first replies in the period, plus items whose target fell in
        -- the period and still awaiting a first reply at its end
        needs_reply
            and first_response_due_at is not null
            and (
                (
                    first_response_at >= $start_at
                    and first_response_at < $as_of
                )
                or (
                    is_awaiting_reply_at_end
                    and first_response_due_at >= $start_at
                    and first_response_due_at < $as_of
                )
            ) as is_reply_judged,
        not is_awaiting_reply_at_end
            and first_response_at <= first_response_due_at as is_reply_on_time,
        -- R10: resolved in the period (and still resolved at its end), plus
        -- items whose target fell in the period and still open at its end
        resolution_due_at is not null
            and (
                (is_resolved_at_end and resolved_at >= $start_at)
                or (
                    is_open_at_end
                    and resolution_due_at >= $start_at
                    and resolution_due_at < $as_of
                )
            ) as is_resolution_judged,
        is_resolved_at_end
            and resolved_at <= resolution_due_at as is_resolution_on_time,
        -- R11: open at the period end, and past resolution target
        is_open_at_end,
        is_open_at_end and resolution_due_at < $as_of as is_overdue_at_end
    from items
    where received_at < $end_at
      -- cheap pre-filter: an item replied and resolved before the period,
      -- received before it and not reopened after that resolution can
      -- count in none of the above
      and (
          received_at >= $start_at
          or first_response_at is null
          or first_response_at >= $start_at
          or resolved_at is null
          or resolved_at >= $start_at
          or reopened_at > resolved_at
      )
)"""
)

# Every count, in PeriodEndCounts' order.
_COUNTS_SQL = """
    count(*) filter (where is_received) as n_received,
    count(*) filter (
        where is_received and is_needing_reply
    ) as n_needing_reply,
    count(*) filter (
        where is_received and is_needing_reply and is_replied
    ) as n_replied,
    count(*) filter (where is_reply_judged) as n_reply_judged,
    count(*) filter (
        where is_reply_judged and is_reply_on_time
    ) as n_reply_on_time,
    count(*) filter (where is_resolution_judged) as n_resolution_judged,
    count(*) filter (
        where is_resolution_judged and is_resolution_on_time
    ) as n_resolution_on_time,
    count(*) filter (where is_open_at_end) as n_open_at_end,
    count(*) filter (where is_overdue_at_end) as n_overdue_at_end"""

# The groupings ``period_end_counts_by`` may ask for (constants only): "all",
# or the column of that name.
GROUPINGS: tuple[str, ...] = ("all", "district", "channel")


def _sets_sql(groupings: tuple[str, ...]) -> str:
    columns = [g for g in groupings if g != "all"]
    if not columns:
        # grouping() needs a grouping column: everything is one row.
        keys, grouped = "'all' as grouping, null as grp", ""
    else:
        which = " ".join(f"when grouping({c}) = 0 then '{c}'" for c in columns)
        value = " ".join(f"when grouping({c}) = 0 then {c}" for c in columns)
        keys = f"case {which} else 'all' end as grouping, case {value} end as grp"
        sets = ", ".join("()" if g == "all" else f"({g})" for g in groupings)
        grouped = f"group by grouping sets ({sets})"
    return f"""{_JUDGED_SQL}
select
    {keys},
    {_COUNTS_SQL}
from judged
{grouped}
"""


def period_end_counts(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    *,
    group_by: str = "all",
    now: datetime | None = None,
) -> dict[Group, PeriodEndCounts]:
    """R1, R3, R5, R10 and R11's counts per group of one grouping ("all":
    one entry, None; "district" or "channel": None is the items naming none)."""
    return period_end_counts_by(con, f, (group_by,), now=now)[group_by]


def period_end_counts_by(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    groupings: tuple[str, ...],
    *,
    now: datetime | None = None,
) -> dict[str, dict[Group, PeriodEndCounts]]:
    """``period_end_counts`` for several ``groupings`` ("all", "district",
    "channel") in one scan of the mart (GROUPING SETS), by grouping: the
    Response times page's cards and both its leagues read one pass, not three."""
    unknown = [g for g in groupings if g not in GROUPINGS]
    if unknown or not groupings:
        raise ValueError(f"cannot count by {unknown or 'nothing'}; choose from {list(GROUPINGS)}")
    counts: dict[str, dict[Group, PeriodEndCounts]] = {g: {} for g in groupings}
    for grouping, grp, *values in fetch_all(con, _sets_sql(groupings), scope_params(f, now=now)):
        counts[grouping][grp] = PeriodEndCounts(*(int(v) for v in values))
    return counts


def totals(
    con: duckdb.DuckDBPyConnection, f: Filters, *, now: datetime | None = None
) -> PeriodEndCounts:
    """The counts over everything the filters select."""
    return period_end_counts(con, f, now=now).get(None, PeriodEndCounts())
