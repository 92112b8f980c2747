"""Facts about the warehouse itself: how fresh it is, which districts it knows."""

from __future__ import annotations

import duckdb
import pandas as pd

FRESHNESS_SQL = """
select max(received_at) as latest_received_at, count(*) as n_items
from marts.inquiries
"""

DISTRICTS_SQL = """
select district, region, is_merged_district
from ref.districts
order by region, district
"""


def inquiry_freshness(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row: the latest ``received_at`` in ``marts.inquiries`` and its item count."""
    return con.execute(FRESHNESS_SQL).df()


def district_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The 36 districts: ``district``, ``region``, ``is_merged_district``."""
    return con.execute(DISTRICTS_SQL).df()
