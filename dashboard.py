"""KP Police Outreach Dashboard: router and frame.

Run with ``python -m ui.serve`` (``streamlit run dashboard.py`` plus deep links
as a fresh server's first request: see ``ui/serve.py``). On every run: ``st.navigation``
(always, and first, so the menu is the app's own list of pages, not even
while the demo warehouse builds), the root URL sent on to the first page's
own URL, the login gate (the login form, or a refusal of a page the role may
not open), then the frame: page setup, the demo warehouse on first use (with
progress), the shared sidebar filters; then the chosen page. The page list,
the frame and why every page has its own URL live in ``ui/frame.py``.
"""

from __future__ import annotations

import streamlit as st

from ui import frame, login
from ui.queries import page_run

# Who is logged in (an expired session ends here), then the pages they may
# open; with nobody logged in the menu is hidden and the login form is drawn.
frame.setup()  # before st.navigation: the app's own icon, never a page icon fetched from outside
session = login.current_session()
page = st.navigation(frame.pages(session), position="sidebar" if session else "hidden")
frame.leave_root(page)
if frame.gate(page.url_path) is not None:
    # The sidebar's and the page's queries: one snapshot, one connection.
    with page_run():
        filters = frame.draw()
        if filters is not None:
            with frame.page_context():
                page.run()
