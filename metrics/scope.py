"""The filtered view of ``marts.inquiries`` every responsiveness query starts from.

``SCOPE_SQL`` opens a CTE chain with ``items``: the mart's rows inside the
user's regions, districts, channels and sources, plus each item's state at the
period end and its group (district or channel) when a query cuts by one. Each metric appends its own CTEs and final select next to the
Python function that runs it. Only constants are ever concatenated into SQL;
every user value is a bound ``$name`` parameter.

Period end for open-item logic is ``min(f.end_at, now)``: a period that ends
in the future is judged as of now.

The state of an item at the period end is rebuilt from its latest resolution
and latest reopening (that is all the mart keeps):

* resolved at the period end: resolved before it, and not reopened after
  that resolution and before the period end;
* open at the period end: needs a reply (status is not ``no_reply_needed``),
  received before the period end, and not resolved at it;
* awaiting a first reply at the period end: needs a reply, received before
  the period end, and no first reply before it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from metrics.filters import KARACHI, Filters

# Opens the CTE chain; a query continues with ", next_cte as (...)". The
# CTE is never materialized: a query that reads ``items`` several times
# scans the mart again (with its own filters pushed down) rather than copy
# every column of every row. DuckDB lets a select-list expression use an
# alias defined before it (is_resolved_at_end below).
SCOPE_SQL = """
with items as not materialized (
    select
        *,
        case $group_by
            when 'district' then district
            when 'channel' then channel
        end as grp,
        coalesce(resolved_at < $as_of, false)
            and not coalesce(
                reopened_at > resolved_at and reopened_at < $as_of, false
            ) as is_resolved_at_end,
        needs_reply
            and received_at < $as_of
            and not is_resolved_at_end as is_open_at_end,
        needs_reply
            and received_at < $as_of
            and (first_response_at is null or first_response_at >= $as_of)
            as is_awaiting_reply_at_end
    from marts.inquiries
    where (len($regions) = 0 or list_contains($regions, region))
      and (len($districts) = 0 or list_contains($districts, district))
      and (len($channels) = 0 or list_contains($channels, channel))
      and (len($sources) = 0 or list_contains($sources, source))
      and (len($genders) = 0 or list_contains($genders, requester_gender))
)"""

GROUPINGS: tuple[str, ...] = ("all", "district", "channel")

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


def now_utc() -> datetime:
    return datetime.now(UTC)


def period_end(f: Filters, now: datetime | None = None) -> datetime:
    """The instant open items are judged at: ``min(f.end_at, now)``, in UTC."""
    current = now if now is not None else now_utc()
    if current.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return min(f.end_at, current.astimezone(UTC))


# A district name no district has: bound when a user's scope leaves no
# district, so ``$districts`` is never empty (which would mean "all").
NO_DISTRICT = "(no district in scope)"


def districts_of(f: Filters) -> tuple[str, ...]:
    """The districts a query may read: the district filter, narrowed to the
    user's scope (``Filters.scope``) when there is one. Empty means every
    district only when there is no scope; a scope that leaves no district
    gives ``(NO_DISTRICT,)``, which matches nothing."""
    if f.scope is None:
        return f.districts
    allowed = tuple(d for d in (f.districts or f.scope) if d in f.scope)
    return allowed or (NO_DISTRICT,)


def scope_params(
    f: Filters,
    *,
    now: datetime | None = None,
    group_by: str = "all",
    **extra: Any,
) -> dict[str, Any]:
    """Bound parameters for ``SCOPE_SQL`` plus a query's own ``extra`` ones."""
    if group_by not in GROUPINGS:
        raise ValueError(f"cannot group by {group_by!r}; choose one of {', '.join(GROUPINGS)}")
    return {
        "start_at": f.start_at,
        "end_at": f.end_at,
        "as_of": period_end(f, now),
        "start_date": f.start,
        "end_date": f.end,
        "tz": KARACHI.key,
        "regions": list(f.regions),
        "districts": list(districts_of(f)),
        "channels": list(f.channels),
        "sources": list(f.sources),
        "genders": list(f.genders),
        "group_by": group_by,
        **extra,
    }


def _bind(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    # DuckDB rejects named parameters a statement does not use, so pass
    # exactly the ones the SQL names.
    names = set(_PARAM.findall(sql))
    missing = names - params.keys()
    if missing:
        raise KeyError(f"query needs parameters {sorted(missing)}")
    return {name: params[name] for name in names}


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]) -> tuple:
    """The single row of an aggregate query."""
    row = con.execute(sql, _bind(sql, params)).fetchone()
    if row is None:
        raise RuntimeError("aggregate query returned no row")
    return row


def fetch_all(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]) -> list[tuple]:
    return con.execute(sql, _bind(sql, params)).fetchall()


def fetch_df(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
    """A small result as a DataFrame (aggregates, or a bounded item list)."""
    return con.execute(sql, _bind(sql, params)).df()


def pct(numerator: int, denominator: int) -> float | None:
    """``numerator`` as a percentage (0-100) of ``denominator``; None if it is 0."""
    return 100.0 * numerator / denominator if denominator else None


SOURCES_SQL = """
select source, count(*) as n_items
from marts.inquiries
group by source
order by source <> 'register', source
"""


def inquiry_sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every source in ``marts.inquiries``, the cell's register first:
    ``source`` and ``n_items``."""
    return con.execute(SOURCES_SQL).df()


NOT_RECORDING_SQL = (
    SCOPE_SQL
    + """
select source
from items
where received_at >= $start_at and received_at < $end_at
group by source
having not bool_or(first_response_recorded)
order by source
"""
)


def sources_without_first_response(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[str, ...]:
    """Sources in scope (items received in the period) that record no first
    response at all: for them R3 and R5 are "not recorded by this source".
    Their items are left out of R3 and R5 (``first_response_recorded`` is
    false in the mart), never counted as unanswered; when every item in
    scope is such, R3 and R5 have no value (n = 0)."""
    return tuple(s for (s,) in fetch_all(con, NOT_RECORDING_SQL, scope_params(f)))
