"""Audit log (admins only): who logged in, viewed rows, downloaded, loaded.

Reads ``auth.audit`` (the users database, not the warehouse): the newest
entries first, narrowed by user and action. The log is append-only; this
page only reads it. ``python -m auth audit`` shows the same on the server.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from auth import audit
from core.csv_safety import formula_safe
from ui import frame
from ui.format import PKT_LABEL, to_pkt

SHOWN = 1000


def main() -> None:
    if frame.page_filters() is None:  # not logged in, or not an admin: the frame said so
        return
    st.title("Audit log", anchor=False)
    st.caption(
        "Logins, failed and throttled logins, views of row-level pages, downloads, loads "
        f"and changes to users; newest first, the latest {SHOWN:,}. Times in {PKT_LABEL}."
    )
    left, right = st.columns(2)
    action = left.selectbox(
        "Action", ["All", *sorted(audit.ACTIONS)], key="audit_action", placeholder="All"
    )
    username = right.text_input("Username", key="audit_username", max_chars=80).strip()
    entries = audit.entries(
        limit=SHOWN,
        username=username or None,
        action=None if action == "All" else action,
    )
    if not entries:
        st.info("No entries for this choice.", icon=":material/info:")
        return
    table = pd.DataFrame([vars(e) for e in entries]).drop(columns="id")
    table["at"] = to_pkt(table["at"])
    st.dataframe(
        formula_safe(table),
        hide_index=True,
        column_config={
            "at": st.column_config.DatetimeColumn(
                f"When ({PKT_LABEL})", format="D MMM YYYY, HH:mm:ss"
            ),
            "username": "User",
            "action": "Action",
            "what": st.column_config.TextColumn("What", width="large"),
            "scope": "Scope",
            "address": "From",
        },
    )


main()
