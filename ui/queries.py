"""The one cached, read-only query helper of every page.

``query(metrics_function, *args, **kwargs)`` runs ``metrics_function(con,
*args, **kwargs)`` on a short-lived read-only connection
(``core.warehouse.reading``) and closes it before returning: DuckDB
connections are not shared across Streamlit's session threads, and a closed
reader never holds an old warehouse file open after a load swaps in a new
one.

Results are cached with ``st.cache_data`` keyed on the function's module and
name, the warehouse's path and snapshot id, and the arguments. A new load
changes the snapshot id, so it shows on the next rerun without a restart;
when nothing changed, nothing is queried again. The cache is bounded.
Only read-side functions (``metrics.*``) are accepted, so no page can reach
the loader through here. Every ``Filters`` argument is narrowed to the
logged-in user's districts first (``auth.policy.scoped_filters``).

Every page runs inside ``page_run()`` (``dashboard.py`` enters it for the
frame and the page together): every ``query`` in the block keys on one
snapshot id, read once when the block starts, and the
cache misses share one read-only connection, opened at the first miss (none
when everything is cached) and closed when the block ends. Opening a
connection costs about 40 ms, so a cold page of fifteen queries spends half
a second on connections alone without it. The connection opens after the
snapshot id is read, so what it reads is never older than the key it is
stored under, and all of one run's figures come from the same file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import streamlit as st

from core import warehouse
from core.config import warehouse_path
from ui.login import scoped_arguments

TTL_SECONDS = 600
_MAX_ENTRIES = 512

T = TypeVar("T")


class _PageRun:
    """One page run's snapshot and its lazily opened shared connection."""

    def __init__(self, path: str, snapshot_id: str) -> None:
        self.path = path
        self.snapshot_id = snapshot_id
        self._con: duckdb.DuckDBPyConnection | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = warehouse.connect(Path(self.path))
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


# Per thread (Streamlit runs each session's script in its own thread), so
# two sessions never share a connection.
_RUN: ContextVar[_PageRun | None] = ContextVar("kp_page_run", default=None)


def _live_snapshot() -> tuple[str, str]:
    path = warehouse_path()
    return str(path), warehouse.snapshot_id(path)


def snapshot() -> tuple[str, str]:
    """(path, snapshot id) of the live warehouse: the cache key of every query
    (inside ``page_run()``, the one read when the run began)."""
    run = _RUN.get()
    return (run.path, run.snapshot_id) if run is not None else _live_snapshot()


@contextmanager
def page_run() -> Iterator[None]:
    """Run a page's queries on one snapshot and at most one connection."""
    if _RUN.get() is not None:  # nested: the outer run serves
        yield
        return
    run = _PageRun(*_live_snapshot())
    if not run.snapshot_id:  # no warehouse yet (the demo is built in this run)
        yield
        return
    token = _RUN.set(run)
    try:
        yield
    finally:
        _RUN.reset(token)
        run.close()


@contextmanager
def _reader(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The page run's shared connection, else a short-lived one of its own."""
    run = _RUN.get()
    if run is not None and run.path == path:
        yield run.connection()
        return
    with warehouse.reading(Path(path)) as con:
        yield con


@st.cache_data(ttl=TTL_SECONDS, max_entries=_MAX_ENTRIES, show_spinner=False)
def _run(
    key: str,
    path: str,
    snapshot_id: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    _function: Callable[..., Any],
) -> Any:
    # ``key`` names ``_function`` (which Streamlit does not hash: leading
    # underscore); ``snapshot_id`` is unused in the body on purpose: both
    # are part of the cache key.
    with _reader(path) as con:
        return _function(con, *args, **dict(kwargs))


def query(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(con, *args, **kwargs)`` for a ``metrics`` function, cached."""
    module = function.__module__
    if not module.startswith("metrics."):
        raise ValueError(f"{module}.{function.__qualname__} is not a metrics query")
    # The logged-in user's district scope goes into every Filters argument
    # (and so into the cache key): no page can ask past it.
    args, kwargs = scoped_arguments(args, kwargs)
    path, snapshot_id = snapshot()
    key = f"{module}:{function.__qualname__}"
    return _run(key, path, snapshot_id, args, tuple(sorted(kwargs.items())), function)


def uncached(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(con, *args, **kwargs)`` on the live warehouse, not cached.

    For downloads built once, when their button is clicked (they can be
    large and are asked for once)."""
    if not function.__module__.startswith("metrics."):
        raise ValueError(f"{function.__module__}.{function.__qualname__} is not a metrics query")
    args, kwargs = scoped_arguments(args, kwargs)
    with warehouse.reading(Path(snapshot()[0])) as con:
        return function(con, *args, **kwargs)
