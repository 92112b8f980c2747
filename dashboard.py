"""KP Police Outreach Dashboard: router and frame.

Run with ``streamlit run dashboard.py``. On every run: ``st.navigation``
(always, and first, so Streamlit never falls back to listing every file in
``pages/`` as a page, not even while the demo warehouse builds), then the
frame: page setup, the demo warehouse on first use (with progress), the
shared sidebar filters; then the chosen page. The frame and the page list
live in ``ui/frame.py``.
"""

from __future__ import annotations

import streamlit as st

from ui import frame

page = st.navigation(frame.pages())
filters = frame.draw()

if filters is not None:
    with frame.page_context():
        page.run()
