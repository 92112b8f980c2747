"""The frame every page sits in: the page list, page setup, the warehouse, the filters.

``dashboard.py`` calls ``st.navigation`` with ``pages()`` (always, and first),
sends the root URL on with ``leave_root()``, draws the frame and runs the
chosen page inside ``page_context()``. A page gets its filters from
``page_filters()``.

Every page has its own URL, ``http://host/<url_path>`` (``PAGES``), and it
works as the very first request a freshly started server gets. Two facts of
Streamlit (1.67) decide how:

- Streamlit gives the default page of ``st.navigation`` the root URL only: a
  link to its own name (``/response_times``) would be "Page not found". So no
  listed page is the default: a hidden default page holds the root URL and
  switches to the first listed page, which then shows under its own URL.
- A project with a folder named ``pages/`` beside the entrypoint (this
  project's layout) starts each server in Streamlit's legacy multipage mode
  until ``st.navigation`` is first called in the server process: a fresh
  server's first request would be served from a list of the files in
  ``pages/`` (``/data`` "Page not found"; a file-named page alone under a
  menu of file names). That mode is chosen before any code of the app runs,
  so the server is started by ``ui/serve.py`` (``python -m ui.serve``), which
  settles it off first. ``tests/test_browser_deep_links.py`` checks both
  facts on fresh servers.

A page can still run alone (a test's ``AppTest`` of a page file, or the legacy
mode above): it then draws the frame itself through ``page_filters()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from metrics.filters import Filters
from ui.bootstrap import ensure_warehouse
from ui.filters import current, sidebar_filters

PAGE_TITLE = "KP Police Outreach"
_DRAWN = "frame_drawn"  # True while dashboard.py runs a page it framed


@dataclass(frozen=True)
class PageEntry:
    """One page of the app, as the menu lists it."""

    script: str  # the page file, relative to the project root
    title: str  # the menu label; the page's own heading says the same
    icon: str
    url_path: str  # the page's own URL: http://host/<url_path>


# The app's pages in menu order; the root URL opens the first one.
PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/response_times.py", "Response times", ":material/schedule:", "response_times"),
    PageEntry(
        "pages/social_engagement.py",
        "Social engagement",
        ":material/campaign:",
        "social_engagement",
    ),
    PageEntry("pages/data_operations.py", "Data", ":material/upload_file:", "data"),
)


def _root() -> None:
    """The root URL's page: never drawn, ``leave_root`` moves on first."""
    leave_root(None)


def pages() -> list[StreamlitPage]:
    """The app's pages for ``st.navigation``: a hidden default page at the
    root URL, then every page of ``PAGES`` at its own URL."""
    listed = [
        st.Page(entry.script, title=entry.title, icon=entry.icon, url_path=entry.url_path)
        for entry in PAGES
    ]
    root = st.Page(_root, title=PAGE_TITLE, default=True, visibility="hidden")
    return [root, *listed]


def leave_root(page: StreamlitPage | None) -> None:
    """At the root URL, switch to the first page, shown under its own URL.

    Does nothing for any other page. Call it right after ``st.navigation``.
    """
    if page is None or page.url_path == "":
        st.switch_page(PAGES[0].script)


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
