"""The frame every page sits in: page setup, the warehouse, the sidebar filters.

``dashboard.py`` draws the frame on every run, calls ``st.navigation`` with
``pages()`` and runs the chosen page inside ``page_context()``. A page gets
its filters from ``page_filters()``.

Why a page can draw the frame itself: a project with a ``pages/`` folder
starts in Streamlit's legacy multipage mode and stays in it until
``st.navigation`` is first called. If the first request a freshly started
server gets is a deep link to a page (``http://host/response_times``),
Streamlit runs that page file alone, without ``dashboard.py``, until someone
opens the app's root. The page then draws the frame itself. (It does not call
``st.navigation`` there: nested in the legacy mode's own navigation that
pops up a "Page not found" dialog.) AppTest starts every rerun in the legacy
mode, so ``tests/test_app.py`` covers this path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from metrics.filters import Filters
from ui.bootstrap import ensure_warehouse
from ui.filters import current, sidebar_filters

PAGE_TITLE = "KP Police Outreach"
_DRAWN = "frame_drawn"  # True while dashboard.py runs a page it framed


def pages() -> list[StreamlitPage]:
    """The app's pages, for ``st.navigation``."""
    return [
        st.Page(
            "pages/response_times.py",
            title="Response times",
            icon=":material/schedule:",
            default=True,
        ),
        st.Page(
            "pages/social_engagement.py",
            title="Social engagement",
            icon=":material/campaign:",
        ),
        st.Page(
            "pages/data_operations.py",
            title="Data",
            icon=":material/upload_file:",
            url_path="data",
        ),
    ]


def draw() -> Filters | None:
    """Page setup, the demo warehouse on first use, the sidebar filters.

    Returns the filters, or None when there is no warehouse to show.
    """
    st.set_page_config(page_title=PAGE_TITLE, page_icon=":material/local_police:", layout="wide")
    if not ensure_warehouse():
        return None
    return sidebar_filters()


@contextmanager
def page_context() -> Iterator[None]:
    """Run a page inside this; it tells the page the frame is already drawn."""
    st.session_state[_DRAWN] = True
    try:
        yield
    finally:
        st.session_state[_DRAWN] = False


def page_filters() -> Filters | None:
    """The filters for this run; draws the frame first when the page runs alone."""
    if st.session_state.get(_DRAWN):
        return current()
    return draw()
