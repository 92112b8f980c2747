"""Read-only access to the live warehouse for pages, reports and metrics.

The ETL never writes the live file in place: it builds a new file beside it
and swaps it in with ``os.replace``. A connection opened before the swap
keeps reading the old snapshot; a new one sees the new file. So readers
open short-lived read-only connections (``reading``), and caches key on
``snapshot_id`` so a new load shows up without a restart.

Why ATTACH: ``duckdb.connect(path)`` shares one database instance per path
within a process, so while any connection to the old file is still open a
"new" connection would silently read the old snapshot (duckdb/duckdb#15912)
and a cache keyed on the new snapshot id would store old figures. Each
connection here is a private in-memory instance with the live file attached
read-only as ``warehouse`` and made the default catalog, so it opens the
file that is on disk now. Cursors (``con.cursor()``) do not inherit that
default: open another connection with ``reading`` instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from core.config import warehouse_path


def _resolve(path: Path | None) -> Path:
    return Path(path) if path is not None else warehouse_path()


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file now on disk, read-only, session time zone UTC.

    ``path`` defaults to ``core.config.warehouse_path()`` (``KP_WAREHOUSE``).
    Tables are reached as usual (``marts.inquiries``). Raises
    ``FileNotFoundError`` with what to do when there is no warehouse. Close
    it when done, or use ``reading``.
    """
    target = _resolve(path)
    if not target.is_file():
        raise FileNotFoundError(
            f"No warehouse at {target}. Build one with `python -m etl demo` "
            "(demo data) or `python -m etl load FILE...`, or point "
            "KP_WAREHOUSE at an existing warehouse file."
        )
    con = duckdb.connect()
    try:
        con.execute("attach ? as warehouse (read_only)", [str(target)])
        con.execute("use warehouse")
        con.execute("set TimeZone = 'UTC'")
    except BaseException:
        con.close()
        raise
    return con


def snapshot_id(path: Path | None = None) -> str:
    """Identity of the warehouse file now on disk; ``""`` if there is none.

    ``os.replace`` gives the live path a new inode, modification time and
    usually size, so the triple changes whenever a load swaps in a file.
    """
    try:
        stat = os.stat(_resolve(path))
    except FileNotFoundError:
        return ""
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


@contextmanager
def reading(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection, closed on exit.

    Safe to use from any thread: each ``with`` block has its own connection,
    so concurrent sessions never share one (DuckDB connections are not
    shareable across threads).
    """
    con = connect(path)
    try:
        yield con
    finally:
        con.close()
