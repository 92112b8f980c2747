"""Bounded memory for the ETL's DuckDB connections.

DuckDB takes up to 80 % of the machine's memory by default, and a load
runs beside the dashboard on an office machine. The loader's connections
(the file being read, the warehouse being written) are capped instead and
spill to disk past the cap: a 1M-row register then loads in the same
memory as a 100k-row one, and a 10M-row warehouse still loads
(docs/benchmarks.md). ``KP_ETL_MEMORY`` overrides the cap (DuckDB's
``memory_limit`` syntax: ``1GB``, ``512MB``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

DEFAULT_LIMIT = "1GB"


def memory_limit() -> str:
    return os.environ.get("KP_ETL_MEMORY", DEFAULT_LIMIT)


def bound(con: duckdb.DuckDBPyConnection, spill_to: Path | None = None) -> None:
    """Cap ``con``'s memory; past the cap it spills to ``spill_to`` (by
    default the system's temporary folder; a file database spills beside
    itself)."""
    con.execute(f"set memory_limit = '{memory_limit()}'")
    con.execute("set preserve_insertion_order = true")
    folder = spill_to or Path(tempfile.gettempdir()) / "kp-etl-spill"
    con.execute(f"set temp_directory = '{folder}'")
