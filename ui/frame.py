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

Login (``ui/login.py``, ``auth/``): with nobody logged in, ``pages()`` keeps
every page's URL but hides the menu, and the frame draws the login form
instead of any page, so a deep link opens once the visitor has logged in.
A logged-in user's menu lists only the pages their role may open
(``auth.policy``); any other URL is "Page not found", and the frame checks
again before a page runs, also when a page runs alone. The filters a page
gets are already narrowed to the user's districts.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st
from streamlit.navigation.page import StreamlitPage

from auth import policy
from auth.sessions import LoginSession
from metrics.filters import Filters
from ui import login
from ui.bootstrap import ensure_warehouse
from ui.filters import current, sidebar_filters

PAGE_TITLE = "KP Police Outreach"
# Shipped with the app (a data URL in the page): no icon is fetched from outside.
PAGE_ICON = Path(__file__).resolve().parent / "assets" / "favicon.svg"
_DRAWN = "frame_drawn"  # True while dashboard.py runs a page it framed
OUTDATED_WAREHOUSE = (
    "This page's figures could not be read: the warehouse lacks a table or column "
    "the dashboard asks for. After an upgrade of the dashboard, the warehouse keeps "
    "the marts its last load built until they are rebuilt: on the server, run "
    "`python -m etl rebuild` (or load any file). If that does not help, the error "
    "is in the server's log for the dashboard's maintainers."
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageEntry:
    """One page of the app, as the menu lists it."""

    script: str  # the page file, relative to the project root
    title: str  # the menu label; the page's own heading says the same
    icon: str
    url_path: str  # the page's own URL: http://host/<url_path>


# The app's pages in menu order; the root URL opens the first one.
PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/overview.py", "Overview", ":material/dashboard:", "scorecard"),
    PageEntry("pages/response_times.py", "Response times", ":material/schedule:", "response_times"),
    PageEntry(
        "pages/social_engagement.py",
        "Social engagement",
        ":material/campaign:",
        "social_engagement",
    ),
    PageEntry("pages/media.py", "Media", ":material/newspaper:", "media"),
    PageEntry("pages/outreach.py", "Outreach", ":material/diversity_3:", "outreach"),
    PageEntry(
        "pages/monthly_report.py", "Monthly report", ":material/summarize:", "monthly_report"
    ),
    PageEntry("pages/definitions.py", "Definitions", ":material/menu_book:", "definitions"),
    PageEntry("pages/data_operations.py", "Data", ":material/upload_file:", "data"),
    PageEntry("pages/audit_log.py", "Audit log", ":material/policy:", "audit"),
)


def _root() -> None:
    """The root URL's page: ``leave_root`` moves on first; drawn only when the
    user's role opens none of the pages."""
    leave_root(None)
    st.info("No page of this dashboard is open to your account yet.", icon=":material/info:")


def allowed_pages(session: LoginSession | None) -> tuple[PageEntry, ...]:
    """The pages of ``PAGES`` the logged-in user may open (none for nobody)."""
    role = session.role if session is not None else None
    return tuple(entry for entry in PAGES if policy.can_open(role, entry.url_path))


def pages(session: LoginSession | None = None) -> list[StreamlitPage]:
    """The app's pages for ``st.navigation``: a hidden default page at the
    root URL, then every page of ``PAGES`` the user may open at its own URL.

    Nobody logged in: every page's URL is kept (hidden; the frame draws the
    login form instead), so a deep link still opens after logging in."""
    entries = PAGES if session is None else allowed_pages(session)
    listed = [
        st.Page(
            entry.script,
            title=entry.title,
            icon=entry.icon,
            url_path=entry.url_path,
            visibility="visible" if session is not None else "hidden",
        )
        for entry in entries
    ]
    root = st.Page(_root, title=PAGE_TITLE, default=True, visibility="hidden")
    return [root, *listed]


def leave_root(page: StreamlitPage | None) -> None:
    """At the root URL, switch to the user's first page, shown under its own URL.

    Does nothing for any other page, or when the user may open none. Call it
    right after ``st.navigation``.
    """
    if page is None or page.url_path == "":
        entries = allowed_pages(login.logged_in())
        if entries:
            st.switch_page(entries[0].script)


def enter(key: str) -> None:
    """Just logged in on the page ``key``: run it again, logged in; at the root
    URL, go straight to the user's first page (one run, not a run of the
    root that would only switch to it)."""
    if key == "":
        leave_root(None)
    st.rerun()


def page_key(script: str) -> str:
    """The policy's name of a page file: its ``url_path`` in ``PAGES``, else
    the file's name without ``.py`` (a page not in the menu yet)."""
    name = Path(script).name
    for entry in PAGES:
        if Path(entry.script).name == name:
            return entry.url_path
    return Path(script).stem


def setup() -> None:
    """Page title, the app's own icon, wide layout."""
    st.set_page_config(page_title=PAGE_TITLE, page_icon=str(PAGE_ICON), layout="wide")


def gate(key: str) -> LoginSession | None:
    """The logged-in session when it may open the page ``key`` (a url path;
    ``""`` is the root); otherwise the login form or a refusal is drawn and
    None returned. Call ``login.current_session()`` earlier in the run."""
    session = login.logged_in()
    if session is None:
        setup()
        if login.login_form():
            enter(key)
        return None
    if key and not policy.can_open(session.role, key):
        setup()
        login.refuse(session, key)
        return None
    login.audit_page_view(session, key)
    return session


def draw() -> Filters | None:
    """Page setup, the demo warehouse on first use, the sidebar filters.

    Returns the filters, or None when there is no warehouse to show.
    """
    setup()
    session = login.logged_in()
    if session is None:  # never reached past the gate; kept so no caller skips it
        if login.login_form():
            st.rerun()
        return None
    if not ensure_warehouse():
        return None
    f = sidebar_filters()
    login.sidebar_account(session)
    return login.scoped(f)


@contextmanager
def page_context() -> Iterator[None]:
    """Run a page inside this; it tells the page the frame is already drawn.

    A query naming a table or column the warehouse lacks (DuckDB's binder or
    catalog error) is said in words, not as a traceback: after an upgrade
    the live warehouse keeps the marts its last load built until a rebuild."""
    st.session_state[_DRAWN] = True
    try:
        yield
    except (duckdb.BinderException, duckdb.CatalogException):
        log.exception("a page's query does not match the warehouse's tables")
        st.error(OUTDATED_WAREHOUSE, icon=":material/build:")
    finally:
        st.session_state[_DRAWN] = False


def page_filters() -> Filters | None:
    """The filters for this run (narrowed to the user's districts); draws the
    frame first, login and role check included, when the page runs alone."""
    if st.session_state.get(_DRAWN):
        return login.scoped(current())
    login.current_session()
    caller = inspect.currentframe().f_back  # the page file that asked
    # No caller known: a page name no role opens (never "" for the root).
    if gate(page_key(caller.f_code.co_filename) if caller else "(unknown page)") is None:
        return None
    return draw()
