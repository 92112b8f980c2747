"""The shared sidebar filters: period, region, district, channel.

Widgets keep their values in ``st.session_state`` under ``filters_*`` keys
(persisted for the session, so they survive page switches), and the
resulting ``metrics.filters.Filters`` is stored as ``filters_current`` for
the pages to read with ``current()``.

Default period: **Last month**. The PR director reports by month; a whole
month compares cleanly with the whole month before it (``Filters.previous``),
and it is never the near-empty view "This month" gives on the 1st or 2nd.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from core.config import load_settings
from core.vocab import CHANNELS
from metrics import reference, scope
from metrics.filters import KARACHI, OWN_SOURCES, PRESETS, Filters, preset_period
from ui import login
from ui.format import filters_text, period_text, pkt_text, quarter_text
from ui.queries import query

DEFAULT_PRESET = "Last month"

KEY_PRESET = "filters_preset"
KEY_RANGE = "filters_range"
KEY_REGIONS = "filters_regions"
KEY_DISTRICTS = "filters_districts"
KEY_CHANNELS = "filters_channels"
KEY_SOURCES = "filters_sources"
KEY_CURRENT = "filters_current"


def today_pkt() -> date:
    """Today's date in Pakistan, whatever the server's clock zone."""
    return datetime.now(KARACHI).date()


def _period(today: date) -> tuple[date, date]:
    preset = st.selectbox(
        "Period",
        PRESETS,
        index=PRESETS.index(DEFAULT_PRESET),
        key=KEY_PRESET,
        persist_state="session",
        help="Fiscal year runs July to June (FY Q1 = Jul–Sep). Dates are Pakistan dates.",
    )
    if preset != "Custom":
        return preset_period(preset, today)
    chosen = st.date_input(
        "Dates",
        value=preset_period(DEFAULT_PRESET, today),
        # No item can be older than the settings' plausible_from date.
        min_value=date.fromisoformat(load_settings().plausible_from),
        max_value=today,
        key=KEY_RANGE,
        persist_state="session",
        format="DD/MM/YYYY",
    )
    # While the user is still picking, the range has only its first day.
    days = tuple(chosen) if isinstance(chosen, list | tuple) else (chosen,)
    if not days:
        return preset_period(DEFAULT_PRESET, today)
    return days[0], days[-1]


def _places() -> tuple[tuple[str, ...], tuple[str, ...]]:
    ref = query(reference.district_list)
    allowed = login.allowed_districts()  # a district officer's own districts only
    if allowed is not None:
        ref = ref[ref["district"].isin(allowed)]
    regions = tuple(dict.fromkeys(ref["region"].dropna()))
    chosen_regions = st.multiselect(
        "Region",
        regions,
        key=KEY_REGIONS,
        persist_state="session",
        placeholder="All regions",
    )
    in_scope = ref[ref["region"].isin(chosen_regions)] if chosen_regions else ref
    chosen_districts = st.multiselect(
        "District",
        sorted(in_scope["district"]),
        key=KEY_DISTRICTS,
        persist_state="session",
        placeholder="All districts" if not chosen_regions else "All districts in these regions",
        help="Narrowed to the chosen regions.",
    )
    return tuple(sorted(chosen_regions)), tuple(sorted(chosen_districts))


def _sources() -> tuple[str, ...]:
    """The source filter, shown once another system's items are loaded
    (column mappings); it starts at the cell's own register."""
    available = query(scope.inquiry_sources)["source"].tolist()
    if all(s in OWN_SOURCES for s in available):
        return ()
    chosen = st.multiselect(
        "Source",
        available,
        default=list(default_sources(available)),
        key=KEY_SOURCES,
        persist_state="session",
        placeholder="All sources",
        help="register: the cell's own inquiry register; other names: systems read "
        "through a column mapping.",
    )
    return tuple(sorted(chosen))


def default_sources(available: list[str]) -> tuple[str, ...]:
    """The source filter a person starts with: none while only the cell's own
    register is loaded, else the own sources among ``available``."""
    if all(s in OWN_SOURCES for s in available):
        return ()
    return tuple(sorted(s for s in OWN_SOURCES if s in available))


def default_filters(today: date) -> Filters:
    """The filters the sidebar starts with for someone who may see every
    district: the default period, every place and channel, the default
    sources. What ``ui.warm_cache`` computes ahead of the first visit."""
    sources = default_sources(query(scope.inquiry_sources)["source"].tolist())
    return Filters(*preset_period(DEFAULT_PRESET, today), (), (), (), sources)


def sidebar_filters() -> Filters:
    """Draw the filters in the sidebar; return (and store) the ``Filters``."""
    today = today_pkt()
    with st.sidebar:
        st.header("Filters", anchor=False)
        start, end = _period(today)
        regions, districts = _places()
        channels = st.multiselect(
            "Channel",
            CHANNELS,
            key=KEY_CHANNELS,
            persist_state="session",
            placeholder="All channels",
        )
        sources = _sources()
        f = Filters(start, end, regions, districts, tuple(sorted(channels)), sources)
        previous = f.previous()
        st.caption(
            f"**{period_text(f.start, f.end)}** · {quarter_text(f.start, f.end)}  \n"
            f"{filters_text(f)}  \n"
            f"Compared with {period_text(previous.start, previous.end)}"
        )
        st.divider()
        latest, n_items = freshness_of(f)
        st.caption(
            f":material/update: Data up to **{pkt_text(latest)}**  \n"
            f"{n_items:,} items in the warehouse"
        )
    st.session_state[KEY_CURRENT] = f
    return f


def freshness_of(f: Filters) -> tuple[pd.Timestamp | None, int]:
    """(latest ``received_at`` in the warehouse, number of items in it), over
    the user's districts (``query`` narrows ``f`` to the user's scope)."""
    frame = query(reference.inquiry_freshness, f)
    if frame.empty:
        return None, 0
    latest = frame.loc[0, "latest_received_at"]
    return (None if pd.isna(latest) else pd.Timestamp(latest)), int(frame.loc[0, "n_items"])


def current() -> Filters:
    """The filters the sidebar set on this run (``dashboard.py`` draws them first)."""
    f = st.session_state.get(KEY_CURRENT)
    if not isinstance(f, Filters):
        raise RuntimeError(
            "No filters yet: dashboard.py (ui.frame) draws them before the page runs."
        )
    return f
