"""Pages that refresh themselves when new data lands.

``watch_warehouse(key)`` draws a small fragment that asks every few seconds
for the live warehouse's snapshot id (``core.warehouse.snapshot_id``: a
stat of the file, no query) and reruns the whole page when a load has
swapped in a new file since the page was drawn. The page's figures come
through ``ui.queries``, whose cache is keyed on that snapshot id, so the
rerun shows the new data: no restart, no cache clearing, no reload.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from core import warehouse

POLL_SECONDS = 5


def _seen_key(key: str) -> str:
    return f"{key}_snapshot"


def mark_drawn(key: str) -> None:
    """Record the snapshot the page is about to be drawn from."""
    st.session_state[_seen_key(key)] = warehouse.snapshot_id()


@st.fragment(run_every=timedelta(seconds=POLL_SECONDS))
def _watch(key: str) -> None:
    current = warehouse.snapshot_id()
    seen = st.session_state.get(_seen_key(key))
    if seen is None:
        st.session_state[_seen_key(key)] = current
    elif current != seen:
        st.session_state[_seen_key(key)] = current
        st.rerun()  # the whole page, with the new snapshot
    st.caption(
        f":material/sync: Live: checks for new data every {POLL_SECONDS} seconds and "
        "redraws when a load lands."
    )


def watch_warehouse(key: str) -> None:
    """Call at the top of a page: remembers the snapshot it draws from and
    polls for a newer one."""
    mark_drawn(key)
    _watch(key)
