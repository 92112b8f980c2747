"""Roll a load back: its rows removed, the warehouse rebuilt without it."""

from __future__ import annotations

from pathlib import Path

from core.config import warehouse_path
from core.errors import EtlError
from etl.warehouse import new_version

RAW_TABLES: tuple[str, ...] = (
    "raw.inquiry_register",
    "raw.response_events",
    "raw.social_post_snapshots",
    "raw.social_account_daily",
    "raw.social_audience",
    # The media cell's other registers (etl/sql/migrations/0004_media_registers.sql).
    "raw.media_mentions",
    "raw.media_queries",
    "raw.incidents",
    "raw.outputs",
    "raw.output_plan",
    "raw.outreach_events",
)


def rollback(load_id: str, *, warehouse: Path | None = None, by: str = "") -> str:
    """Remove every row the load brought, reopen the quarantine it cleared,
    mark it rolled back, and swap in the rebuilt warehouse. Returns the
    rolled-back file's name. The file can be loaded again afterwards."""
    path = warehouse or warehouse_path()
    if not path.exists():
        raise EtlError(f"{path}: no warehouse")
    with new_version(path) as con:
        found = con.execute(
            "select file_name, outcome from meta.loads where load_id = ?", [load_id]
        ).fetchall()
        if not found:
            raise EtlError(f"no load with id {load_id}")
        file_name, outcome = found[0]
        if outcome != "loaded":
            raise EtlError(f"load {load_id} ({file_name}) is {outcome}: nothing to roll back")
        con.execute("begin")
        for table in RAW_TABLES:
            con.execute(f"delete from {table} where _load_id = ?", [load_id])
        con.execute("delete from meta.quarantine where load_id = ?", [load_id])
        con.execute(
            "update meta.quarantine set cleared_by_load_id = null where cleared_by_load_id = ?",
            [load_id],
        )
        con.execute(
            "update meta.loads set outcome = 'rolled back', "
            "message = 'rolled back' || case when ? <> '' then ' by ' || ? else '' end "
            "|| ' at ' || strftime(now(), '%Y-%m-%d %H:%M UTC') where load_id = ?",
            [by, by, load_id],
        )
        con.execute("commit")
    return file_name
