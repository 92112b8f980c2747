"""A notice every page can show when a source it uses is out of date.

``stale_notice("inquiries")`` at the top of a page warns, in one line per
source, when the source's data ends more days ago than its threshold in
``data/config/freshness.yaml`` (e.g. "Inquiry register data ends 9 days
ago"), so nobody reads a stale chart as current. Pages name their sources
by ``meta.loads.source`` (``register``, ``x_content``) or by group:
``inquiries`` (everything behind ``marts.inquiries``) and ``social``.
A source that was never loaded says nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from etl import operations
from ui import ops_data
from ui.filters import today_pkt


def stale_sources(sources: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The stale rows of ``etl.operations.freshness`` for ``sources`` (None = all)."""
    fresh = ops_data.freshness(today_pkt())
    return operations.stale_sources(fresh, operations.load_thresholds(), sources)


def stale_notice(sources: str | Iterable[str] | None = None) -> None:
    """Warn on the page when a source it uses is older than its threshold."""
    stale = stale_sources(sources)
    if stale.empty:
        return
    lines = [operations.stale_message(row) for row in stale.to_dict("records")]
    lines.append("Figures may not be current: load newer exports on the **Data** page.")
    st.warning("  \n".join(lines), icon=":material/history:")
