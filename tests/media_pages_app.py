"""A small app that serves the Media and Outreach pages, for AppTest and the browser.

The app's real page list (``ui/frame.py``) is another module's; this one
frames the two pages exactly as ``dashboard.py`` frames every page
(``st.navigation``, then ``frame.draw()`` and ``frame.page_context()``).
It lives outside ``pages/`` so that Streamlit's legacy multipage mode never
applies to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import frame  # noqa: E402

page = st.navigation(
    [
        st.Page(
            str(ROOT / "pages" / "media.py"),
            title="Media",
            icon=":material/newspaper:",
            url_path="media",
        ),
        st.Page(
            str(ROOT / "pages" / "outreach.py"),
            title="Outreach",
            icon=":material/diversity_3:",
            url_path="outreach",
        ),
    ]
)
filters = frame.draw()
if filters is not None:
    with frame.page_context():
        page.run()
