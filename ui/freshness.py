"""A notice every page can show when a source it uses is out of date.

``stale_notice("inquiries")`` at the top of a page warns, in one line per
source, when the source's data ends more days ago than its threshold in
``data/config/freshness.yaml`` (e.g. "Inquiry register data ends 9 days
ago"), so nobody reads a stale chart as current. Pages name their sources
by ``meta.loads.source`` (``register``, ``x_content``) or by group:
``inquiries`` (everything behind ``marts.inquiries``) and ``social``.
A source that was never loaded says nothing.

Every page draws this on every run: it reads through ``metrics.freshness``
and the cached ``ui.queries``, never the ETL (which would bring Great
Expectations into every page's first run).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from metrics import freshness
from ui.filters import today_pkt
from ui.queries import query


def stale_sources(sources: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The stale rows of ``metrics.freshness.freshness`` for ``sources`` (None = all)."""
    fresh = query(freshness.freshness, today_pkt())
    return freshness.stale_sources(fresh, freshness.load_thresholds(), sources)


def stale_notice(sources: str | Iterable[str] | None = None) -> None:
    """Warn on the page when a source it uses is older than its threshold."""
    stale = stale_sources(sources)
    if stale.empty:
        return
    lines = [freshness.stale_message(row) for row in stale.to_dict("records")]
    lines.append("Figures may not be current: load newer exports on the **Data** page.")
    st.warning("  \n".join(lines), icon=":material/history:")
