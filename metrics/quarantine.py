"""Quarantine: rows a load kept aside, and the worklist to fix them.

A row is *in quarantine* when a load kept it aside (it failed a check) and
no later load that carried the same record has cleared it
(``meta.quarantine.cleared_by_load_id`` is NULL). Each row keeps its file,
spreadsheet row, the check it failed in words and the row as read. The row
as read holds personal data (``original``): everything returned here has it
masked (``core.masking``), and the download is protected against formula
injection (``core.csv_safety``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb
import pandas as pd

from core.csv_safety import safe_csv
from core.masking import mask_record, scrub_text
from core.sources import WORKLIST_COLUMNS
from metrics.validation import expectation_words

TIMEZONE = "Asia/Karachi"

QUARANTINE_SUMMARY_SQL = """
with open_rows as (
    select source, kind, expectation, column_name
    from meta.quarantine
    where cleared_by_load_id is null
),

summary as (
    select
        source,
        kind,
        expectation,
        column_name,
        expectation || ' | ' || coalesce(column_name, '') as check_key,
        count(*) as n_rows
    from open_rows
    group by all
)

select *
from summary
order by n_rows desc, source, check_key
"""


def quarantine_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows waiting in quarantine, by source and check: ``n_rows`` per
    (source, expectation, column); ``check`` says the check in plain words and
    ``check_key`` identifies it for ``quarantine_rows(checks=...)``."""
    frame = con.execute(QUARANTINE_SUMMARY_SQL).df()
    frame["check"] = [
        expectation_words(e, c)
        for e, c in zip(frame["expectation"], frame["column_name"], strict=True)
    ]
    return frame


QUARANTINE_ROWS_SQL = """
with chosen as (
    select *
    from meta.quarantine
    where ($include_cleared or cleared_by_load_id is null)
      and (len($sources) = 0 or list_contains($sources, source))
      and (
          len($checks) = 0
          or list_contains(
              $checks, expectation || ' | ' || coalesce(column_name, '')
          )
      )
),

final as (
    select
        load_id,
        kind,
        source,
        source_file,
        source_row,
        record_id,
        expectation,
        column_name,
        reason,
        cast(original as varchar) as original,
        quarantined_at,
        cleared_by_load_id
    from chosen
)

select *
from final
order by quarantined_at desc, source_file, source_row
limit $limit
"""


def quarantine_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    sources: Sequence[str] = (),
    checks: Sequence[str] = (),
    include_cleared: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    """Quarantined rows, newest first, personal data masked.

    ``sources`` and ``checks`` (``check_key`` values of ``quarantine_summary``)
    narrow the rows; empty means all. Rows a later load cleared are left out
    unless ``include_cleared``. ``original`` becomes ``row_as_read``: the
    row's values as text, masked; ``reason`` and ``check`` are in words.
    """
    frame = con.execute(
        QUARANTINE_ROWS_SQL,
        {
            "sources": list(sources),
            "checks": list(checks),
            "include_cleared": include_cleared,
            "limit": limit,
        },
    ).df()
    originals = [
        masked_original(o, s) for o, s in zip(frame["original"], frame["source"], strict=True)
    ]
    frame["check"] = [
        expectation_words(e, c)
        for e, c in zip(frame["expectation"], frame["column_name"], strict=True)
    ]
    frame["reason"] = frame["reason"].map(scrub_text)
    frame["row_as_read"] = [
        " · ".join(f"{k}: {v}" for k, v in o.items() if v not in (None, "")) for o in originals
    ]
    frame["original"] = originals
    return frame


def masked_original(original: object, source: str) -> dict[str, object]:
    """A quarantined row as read (JSON text or a mapping), personal data masked."""
    if original is None or (isinstance(original, float) and pd.isna(original)):
        return {}
    record = json.loads(original) if isinstance(original, str) else dict(original)
    return mask_record(record, source)


def quarantine_worklist(rows: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows (from ``quarantine_rows``) as a table to work through:
    where each row is, what is wrong, then the row's columns as read, masked."""
    fixed = pd.DataFrame(
        {
            "source_file": rows["source_file"],
            "source_row": rows["source_row"],
            "record_id": rows["record_id"],
            "problem": rows["reason"],
            "check": rows["check"],
            "column_name": rows["column_name"],
            "source": rows["source"],
            "quarantined_at_pkt": _pkt_text(rows["quarantined_at"]),
            "load_id": rows["load_id"],
        },
        columns=list(WORKLIST_COLUMNS),
    )
    originals = pd.DataFrame(list(rows["original"]), index=rows.index)
    originals.columns = [
        f"{c} (in file)" if c in WORKLIST_COLUMNS else c for c in originals.columns
    ]
    return pd.concat([fixed, originals], axis=1).reset_index(drop=True)


def quarantine_csv(
    con: duckdb.DuckDBPyConnection,
    *,
    sources: Sequence[str] = (),
    checks: Sequence[str] = (),
    include_cleared: bool = False,
) -> bytes:
    """The quarantined rows as an injection-safe CSV, personal data masked.

    A worklist, not a file to load back: it names the file and row to fix in
    the original register (which holds the personal data the download masks).
    """
    rows = quarantine_rows(con, sources=sources, checks=checks, include_cleared=include_cleared)
    return safe_csv(quarantine_worklist(rows))


def _pkt_text(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values, utc=True)
    return stamps.dt.tz_convert(TIMEZONE).dt.strftime("%Y-%m-%d %H:%M")


def quarantine_original(
    con: duckdb.DuckDBPyConnection, *, load_id: str, source: str, source_row: int
) -> dict[str, object]:
    """One quarantined row as read, UNMASKED (names, numbers, summary).

    Only for roles that may see personal data (``auth.policy
    .sees_personal_data``), each call audited as ``audit.VIEW_PERSONAL`` by
    the caller, and never through the query cache (``ui.queries.uncached``).
    An unknown row gives ``{}``."""
    found = con.execute(
        "select cast(original as varchar) from meta.quarantine "
        "where load_id = ? and source = ? and source_row = ? limit 1",
        [load_id, source, int(source_row)],
    ).fetchone()
    if found is None or found[0] is None:
        return {}
    record = json.loads(found[0])
    return {k: v for k, v in record.items() if k != "_source_row"}
