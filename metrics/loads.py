"""Load history: what was loaded, when, by whom, and what it changed.

One row per file load in ``meta.loads``, newest first. *Rows read* = data
rows in the file; *inserted* = records the warehouse did not hold;
*updated* = records whose values changed; *unchanged* = records carried
again with the same values; *quarantined* = rows that failed a check and
were kept aside (*still in quarantine* = of those, the rows no later load
has cleared). *Duration* = ``finished_at - started_at`` as recorded by the
load.
"""

from __future__ import annotations

import duckdb
import pandas as pd

LOAD_HISTORY_SQL = """
with loads as (
    select *
    from meta.loads
),

still_quarantined as (
    select load_id, count(*) as rows_still_quarantined
    from meta.quarantine
    where cleared_by_load_id is null
    group by load_id
),

final as (
    select
        l.load_id,
        l.load_seq,
        l.file_name,
        left(l.sha256, 12) as sha256_short,
        l.sha256,
        l.kind,
        l.source,
        l.loaded_by,
        l.started_at,
        l.finished_at,
        date_diff('millisecond', l.started_at, l.finished_at) / 1000.0
            as duration_seconds,
        l.rows_read,
        l.rows_inserted,
        l.rows_updated,
        l.rows_unchanged,
        l.rows_quarantined,
        coalesce(q.rows_still_quarantined, 0) as rows_still_quarantined,
        l.covers_from,
        l.covers_to,
        l.outcome,
        l.message
    from loads as l
    left join still_quarantined as q using (load_id)
)

select *
from final
order by load_seq desc, started_at desc
"""


def load_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every load, newest first: file, sha256 (first 12 hex digits), kind, who,
    when (UTC), rows read / inserted / updated / unchanged / quarantined (and
    still in quarantine now), duration in seconds, outcome and message."""
    return con.execute(LOAD_HISTORY_SQL).df()
