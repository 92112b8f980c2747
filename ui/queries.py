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
the loader through here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from core import warehouse
from core.config import warehouse_path

_TTL_SECONDS = 600
_MAX_ENTRIES = 512

T = TypeVar("T")


def snapshot() -> tuple[str, str]:
    """(path, snapshot id) of the live warehouse: the cache key of every query."""
    path = warehouse_path()
    return str(path), warehouse.snapshot_id(path)


@st.cache_data(ttl=_TTL_SECONDS, max_entries=_MAX_ENTRIES, show_spinner=False)
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
    with warehouse.reading(Path(path)) as con:
        return _function(con, *args, **dict(kwargs))


def query(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(con, *args, **kwargs)`` for a ``metrics`` function, cached."""
    module = function.__module__
    if not module.startswith("metrics."):
        raise ValueError(f"{module}.{function.__qualname__} is not a metrics query")
    path, snapshot_id = snapshot()
    key = f"{module}:{function.__qualname__}"
    return _run(key, path, snapshot_id, args, tuple(sorted(kwargs.items())), function)


def uncached(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(con, *args, **kwargs)`` on the live warehouse, not cached.

    For downloads built once, when their button is clicked (they can be
    large and are asked for once)."""
    if not function.__module__.startswith("metrics."):
        raise ValueError(f"{function.__module__}.{function.__qualname__} is not a metrics query")
    with warehouse.reading(Path(snapshot()[0])) as con:
        return function(con, *args, **kwargs)
