"""Cached, read-only access to the warehouse's own records for the Data page.

Same pattern as ``ui/queries.py``: each call opens a short-lived read-only
connection (``core.warehouse.reading``), and results are cached with
``st.cache_data`` keyed on the warehouse's path and snapshot id
(``ui.queries.snapshot``). A load or a rollback swaps in a new file, so the
next rerun of any page shows it, without a restart. Caches are bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core import warehouse
from etl import operations
from ui.queries import snapshot

_TTL_SECONDS = 600
_MAX_ENTRIES = 128

_QUERIES: dict[str, Callable[..., Any]] = {
    "load_history": operations.load_history,
    "quarantine_summary": operations.quarantine_summary,
    "quarantine_rows": operations.quarantine_rows,
    "freshness": operations.freshness,
    "validation_report": operations.validation_report,
}


@st.cache_data(ttl=_TTL_SECONDS, max_entries=_MAX_ENTRIES, show_spinner=False)
def _query(
    name: str,
    path: str,
    snapshot_id: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    # ``snapshot_id`` is unused in the body on purpose: it is part of the key.
    with warehouse.reading(Path(path)) as con:
        return _QUERIES[name](con, *args, **dict(kwargs))


def query(name: str, *args: Any, **kwargs: Any) -> Any:
    """``etl.operations.<name>(con, *args, **kwargs)`` on the live warehouse, cached."""
    path, snapshot_id = snapshot()
    return _query(name, path, snapshot_id, args, tuple(sorted(kwargs.items())))


def load_history() -> pd.DataFrame:
    return query("load_history")


def quarantine_summary() -> pd.DataFrame:
    return query("quarantine_summary")


def quarantine_rows(
    sources: tuple[str, ...] = (),
    checks: tuple[str, ...] = (),
    include_cleared: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    return query(
        "quarantine_rows",
        sources=tuple(sources),
        checks=tuple(checks),
        include_cleared=include_cleared,
        limit=limit,
    )


def quarantine_csv(
    sources: tuple[str, ...] = (), checks: tuple[str, ...] = (), include_cleared: bool = False
) -> bytes:
    """The quarantine download, built when the button is clicked (not cached: it
    can be large, and it is asked for once)."""
    with warehouse.reading(Path(snapshot()[0])) as con:
        return operations.quarantine_csv(
            con, sources=sources, checks=checks, include_cleared=include_cleared
        )


def freshness(today: date) -> pd.DataFrame:
    return query("freshness", today)


def validation_report(load_id: str) -> pd.DataFrame:
    return query("validation_report", load_id)
