"""Cached, read-only warehouse access for the pages.

Every call opens a short-lived read-only connection (``metrics.warehouse.
reading``) and closes it before returning: DuckDB connections are not shared
across Streamlit's session threads, and a closed reader never holds an old
warehouse file open after a load swaps in a new one.

Results are cached with ``st.cache_data`` keyed on (metrics function, the
warehouse's path and snapshot id, filters, keyword arguments). A new load
changes the snapshot id, so it shows on the next rerun without a restart;
when nothing changed, nothing is queried again. Caches are bounded.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from etl.config import warehouse_path
from metrics import reference, responsiveness, warehouse
from metrics.filters import Filters

_TTL_SECONDS = 600
_MAX_ENTRIES = 256

_METRICS: dict[str, Callable[..., pd.DataFrame]] = {
    "kpi_summary": responsiveness.kpi_summary,
    "weekly_trend": responsiveness.weekly_trend,
    "first_response_histogram": responsiveness.first_response_histogram,
    "sla_league": responsiveness.sla_league,
    "overdue_aging": responsiveness.overdue_aging,
    "overdue_items": responsiveness.overdue_items,
    "district_items": responsiveness.district_items,
}


def snapshot() -> tuple[str, str]:
    """(path, snapshot id) of the live warehouse: the cache key of every query."""
    path = warehouse_path()
    return str(path), warehouse.snapshot_id(path)


@st.cache_data(ttl=_TTL_SECONDS, max_entries=_MAX_ENTRIES, show_spinner=False)
def _run(
    function_name: str,
    path: str,
    snapshot_id: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> pd.DataFrame:
    # ``snapshot_id`` is unused in the body on purpose: it is part of the key.
    module_name, _, name = function_name.partition(":")
    function = getattr(importlib.import_module(module_name), name)
    with warehouse.reading(Path(path)) as con:
        return function(con, *args, **dict(kwargs))


def query(function: Callable[..., pd.DataFrame], *args: Any, **kwargs: Any) -> pd.DataFrame:
    """``function(con, *args, **kwargs)`` for a ``metrics`` function, cached.

    The one cache of every page: keyed on the function, the warehouse's path
    and snapshot id and the arguments."""
    if not function.__module__.startswith("metrics."):
        raise ValueError(f"{function.__module__}.{function.__qualname__} is not a metrics query")
    path, snapshot_id = snapshot()
    key = f"{function.__module__}:{function.__qualname__}"
    return _run(key, path, snapshot_id, args, tuple(sorted(kwargs.items())))


def metric(name: str, filters: Filters, **kwargs: Any) -> pd.DataFrame:
    """Result of ``metrics.responsiveness.<name>(con, filters, **kwargs)``, cached."""
    return query(_METRICS[name], filters, **kwargs)


def kpi_summary(f: Filters) -> pd.DataFrame:
    return metric("kpi_summary", f)


def weekly_trend(f: Filters) -> pd.DataFrame:
    return metric("weekly_trend", f)


def first_response_histogram(f: Filters, bin_minutes: int = 15, cap_minutes: int = 480):
    return metric("first_response_histogram", f, bin_minutes=bin_minutes, cap_minutes=cap_minutes)


def sla_league(f: Filters, by: str) -> pd.DataFrame:
    return metric("sla_league", f, by=by)


def overdue_aging(f: Filters) -> pd.DataFrame:
    return metric("overdue_aging", f)


def overdue_items(f: Filters, limit: int | None = None) -> pd.DataFrame:
    return metric("overdue_items", f, limit=limit)


def district_items(f: Filters, district: str, limit: int = 5000) -> pd.DataFrame:
    return metric("district_items", f, district=district, limit=limit)


def freshness() -> tuple[pd.Timestamp | None, int]:
    """(latest ``received_at`` in the warehouse, number of items in it)."""
    frame = query(reference.inquiry_freshness)
    if frame.empty:
        return None, 0
    latest = frame.loc[0, "latest_received_at"]
    return (None if pd.isna(latest) else pd.Timestamp(latest)), int(frame.loc[0, "n_items"])


def districts() -> pd.DataFrame:
    """The districts the warehouse knows: ``district``, ``region``, ``is_merged_district``."""
    return query(reference.district_list)
