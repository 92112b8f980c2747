"""``python -m etl status``: what the warehouse holds, in words."""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.config import warehouse_path


def status_text(path: Path | None = None) -> str:
    """Loads, rows, quarantine and freshness of the warehouse at ``path``."""
    path = path or warehouse_path()
    if not path.exists():
        return f"no warehouse at {path}: run `python -m etl demo` or `python -m etl load FILES`"
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("set TimeZone = 'Asia/Karachi'")
        version = con.execute("select max(version) from meta.schema_version").fetchall()[0][0]
        lines = [f"warehouse: {path} (schema version {version})", "", "loads:"]
        loads = con.execute(
            """
            select strftime(started_at, '%Y-%m-%d %H:%M') as started,
                   file_name || ' [' || load_id || ', ' || outcome || ']', kind,
                   rows_read, rows_inserted, rows_updated, rows_unchanged, rows_quarantined,
                   strftime(covers_from, '%Y-%m-%d') as covers_from,
                   strftime(covers_to, '%Y-%m-%d') as covers_to, loaded_by
            from meta.loads order by load_seq
            """
        ).fetchall()
        for row in loads:
            lines.append(
                f"  {row[0]} PKT  {row[1]} ({row[2]}, by {row[10]}): {row[3]:,} read, "
                f"{row[4]:,} new, {row[5]:,} updated, {row[6]:,} unchanged, "
                f"{row[7]:,} quarantined; covers {row[8]} to {row[9]}"
            )
        items, first, last = con.execute(
            "select count(*), strftime(min(received_at), '%Y-%m-%d'), "
            "strftime(max(received_at), '%Y-%m-%d %H:%M') from marts.inquiries"
        ).fetchall()[0]
        lines += ["", f"marts.inquiries: {items:,} items received {first} to {last} PKT"]
        open_quarantine = con.execute(
            "select source || ': ' || expectation || ' (' || column_name || ')', count(*) "
            "from meta.quarantine where cleared_by_load_id is null "
            "group by all order by count(*) desc"
        ).fetchall()
        total = sum(n for _, n in open_quarantine)
        lines.append(f"quarantine: {total:,} rows waiting to be fixed")
        for reason, count in open_quarantine[:15]:
            lines.append(f"  {count:>5} × {reason}")
        return "\n".join(lines)
    finally:
        con.close()
