"""Facts about the warehouse itself: how fresh it is, which districts it knows."""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.filters import Filters

FRESHNESS_SQL = """
select max(received_at) as latest_received_at, count(*) as n_items
from marts.inquiries
where not $scoped or list_contains($scope, district)
"""

DISTRICTS_SQL = """
select district, region, is_merged_district
from ref.districts
order by region, district
"""


def inquiry_freshness(con: duckdb.DuckDBPyConnection, f: Filters | None = None) -> pd.DataFrame:
    """One row: the latest ``received_at`` in ``marts.inquiries`` and its item
    count, over the districts the user may see (``f.scope``; no scope or no
    ``f``: the whole province). The period, channel and district filters do
    not narrow it: it says what the warehouse holds for this user."""
    scope = None if f is None else f.scope
    return con.execute(
        FRESHNESS_SQL, {"scoped": scope is not None, "scope": list(scope or ())}
    ).df()


def district_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The 36 districts: ``district``, ``region``, ``is_merged_district``."""
    return con.execute(DISTRICTS_SQL).df()
