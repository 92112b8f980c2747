"""KP Police Outreach Dashboard: router and frame.

Run with ``python -m ui.serve`` (``streamlit run dashboard.py`` plus deep links
as a fresh server's first request: see ``ui/serve.py``). On every run: ``st.navigation``
(always, and first, so the menu is the app's own list of pages, not even
while the demo warehouse builds), the root URL sent on to the first page's
own URL, then the frame: page setup, the demo warehouse on first use (with
progress), the shared sidebar filters; then the chosen page. The page list,
the frame and why every page has its own URL live in ``ui/frame.py``.
"""

from __future__ import annotations

import streamlit as st

from ui import frame

page = st.navigation(frame.pages())
frame.leave_root(page)
filters = frame.draw()

if filters is not None:
    with frame.page_context():
        page.run()
