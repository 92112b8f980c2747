"""The Media page's quick-add form: log a mention, a journalist's query or an incident.

A submitted entry goes through the loader, never straight into the
warehouse: ``etl.sources.registers_media.inbox.submit_entry`` writes it as a
one-row register file, validates it with the register's own Great
Expectations suite and, when it passes, loads it (a new warehouse version
swapped in). It is imported inside the submit handler only, so drawing the
page never loads the ETL or Great Expectations. An invalid entry shows its
reasons (drawn as text) and changes nothing.

Who made the entry: the logged-in user (``ui.login.loader_name``), never a
typed name; ``logged_at`` is the time of submission. A saved entry is a
load, recorded in the audit log like the Data page's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from auth import audit
from core.media_registers import MEDIA_LANGUAGES, OUTLET_TYPE_LABELS, OUTLET_TYPES, TONES
from metrics import reference
from metrics.filters import KARACHI
from ui import login
from ui.queries import query

KEY = "media_quick_add"
RESULT = f"{KEY}_result"
NEW_INCIDENT = "New incident"


def signed_in_user() -> str:
    """The logged-in user's username: every entry records who made it."""
    return login.loader_name()


def _now_pkt() -> datetime:
    """Now, Pakistan wall clock, to the minute (the form's default times)."""
    return datetime.now(KARACHI).replace(tzinfo=None, second=0, microsecond=0)


def _when(label: str, key: str, *, optional: bool, value: object = "default", help: str = ""):
    default = None if optional else _now_pkt()
    if value != "default":
        default = value
    return st.datetime_input(
        f"{label} (PKT)",
        value=default,
        key=key,
        step=60,
        format="YYYY-MM-DD",
        help=help or None,
    )


def _districts() -> list[str]:
    return sorted(query(reference.district_list)["district"])


def _blank(options: list[str]) -> list[str]:
    return ["", *options]


def _submit(register: str, values: Mapping[str, object], who: str) -> None:
    """Validate and load one entry through the ETL; remember the outcome."""
    # Imported here, on submit only: the loader brings Great Expectations.
    from etl.sources.registers_media.inbox import submit_entry

    with st.spinner("Checking the entry as the loader does, then loading it…"):
        outcome = submit_entry(register, values, logged_by=who)
    if outcome.loaded:
        login.audit_event(audit.LOAD, f"quick-add {register} {outcome.record_id}")
    st.session_state[RESULT] = {
        "loaded": outcome.loaded,
        "register": register,
        "record_id": outcome.record_id,
        "errors": outcome.errors,
    }
    if outcome.loaded:
        st.rerun()  # the page redraws from the new warehouse


def _outcome() -> None:
    """The last submission's outcome, drawn as text (it may quote what was typed)."""
    result = st.session_state.get(RESULT)
    if not result:
        return
    words = {"mentions": "Mention", "queries": "Media query", "incidents": "Incident"}
    if result["loaded"]:
        st.success(
            f"{words[result['register']]} saved and loaded: it shows on this page now.",
            icon=":material/check_circle:",
        )
        st.text(f"Id: {result['record_id']}")
    else:
        st.error(
            "Not saved: nothing was changed. Fix this and submit again:", icon=":material/error:"
        )
        for line in result["errors"]:
            st.text(f"• {line}")


def _who() -> str:
    # The logged-in user, never a typed name (issue 14: a typed name could
    # be anyone's, and a long one was dropped silently).
    user = signed_in_user()
    st.text(f"Entries are recorded as made by {user}.")
    return user


def _need_name(who: str) -> bool:
    if who.strip():
        return False
    st.session_state[RESULT] = {
        "loaded": False,
        "register": "mentions",
        "record_id": "",
        "errors": ["Your name is blank: every entry records who made it."],
    }
    return True


def mention_form(who: str) -> None:
    with st.form(f"{KEY}_mention", clear_on_submit=False, border=False):
        left, right = st.columns(2)
        with left:
            published = _when("Published or aired", f"{KEY}_m_published", optional=False)
            outlet = st.text_input("Outlet", key=f"{KEY}_m_outlet", max_chars=120)
            outlet_type = st.selectbox(
                "Outlet type",
                OUTLET_TYPES,
                format_func=lambda v: OUTLET_TYPE_LABELS.get(v, v),
                key=f"{KEY}_m_outlet_type",
            )
            language = st.selectbox("Language", _blank(list(MEDIA_LANGUAGES)), key=f"{KEY}_m_lang")
            tone = st.selectbox(
                "Tone towards the police",
                _blank(list(TONES)),
                key=f"{KEY}_m_tone",
                help="Blank: not coded yet.",
            )
        with right:
            headline = st.text_input("Headline", key=f"{KEY}_m_headline", max_chars=300)
            url = st.text_input("Link", key=f"{KEY}_m_url", max_chars=500)
            topic = st.text_input("Topic", key=f"{KEY}_m_topic", max_chars=120)
            district = st.selectbox("District", _blank(_districts()), key=f"{KEY}_m_district")
            line = st.selectbox(
                "Quotes the police's official line?",
                ["", "yes", "no"],
                key=f"{KEY}_m_line",
            )
            incident = st.text_input("Incident id (if about one)", key=f"{KEY}_m_incident")
        submitted = st.form_submit_button("Log mention", type="primary", key=f"{KEY}_m_submit")
    if submitted and not _need_name(who):
        _submit(
            "mentions",
            {
                "published_at": published,
                "outlet": outlet,
                "outlet_type": outlet_type,
                "language": language,
                "headline": headline,
                "url": url,
                "tone": tone,
                "topic": topic,
                "district": district,
                "quotes_official_line": line,
                "incident_id": incident,
            },
            who,
        )


def query_form(who: str) -> None:
    with st.form(f"{KEY}_query", clear_on_submit=False, border=False):
        left, right = st.columns(2)
        with left:
            received = _when("Received", f"{KEY}_q_received", optional=False)
            outlet = st.text_input("Outlet", key=f"{KEY}_q_outlet", max_chars=120)
            journalist = st.text_input(
                "Journalist",
                key=f"{KEY}_q_journalist",
                max_chars=120,
                help="Personal data: kept in the raw layer only, never shown on the dashboard.",
            )
            phone = st.text_input("Journalist's phone", key=f"{KEY}_q_phone", max_chars=40)
        with right:
            topic = st.text_input("Topic", key=f"{KEY}_q_topic", max_chars=200)
            deadline = _when("Deadline", f"{KEY}_q_deadline", optional=True)
            answered = _when(
                "Answered", f"{KEY}_q_answered", optional=True, help="Blank while unanswered."
            )
        submitted = st.form_submit_button("Log media query", type="primary", key=f"{KEY}_q_submit")
    if submitted and not _need_name(who):
        _submit(
            "queries",
            {
                "received_at": received,
                "outlet": outlet,
                "journalist": journalist,
                "journalist_phone": phone,
                "topic": topic,
                "deadline_at": deadline,
                "answered_at": answered,
            },
            who,
        )


_INCIDENT_TIMES = (
    ("occurred_at", "Occurred", False),
    ("verified_at", "Verified", True),
    ("first_statement_at", "First statement", True),
    ("misinformation_detected_at", "Misinformation detected", True),
    ("rebuttal_at", "Rebuttal", True),
)


def _naive_pkt(value: object) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).tz_convert(KARACHI).to_pydatetime().replace(tzinfo=None)


def incident_form(who: str, incidents: pd.DataFrame) -> None:
    """A new incident, or the next step of one already logged (same id: the
    row is replaced, so the timeline fills in as it happens)."""
    ids = [NEW_INCIDENT, *incidents["incident_id"].astype(str)]
    chosen = st.selectbox(
        "Incident",
        ids,
        key=f"{KEY}_i_pick",
        help="Pick an incident to record its next step (statement, rebuttal, …).",
    )
    known: Mapping[str, Any] = {}
    if chosen != NEW_INCIDENT:
        known = incidents[incidents["incident_id"].astype(str) == chosen].iloc[0].to_dict()
    # Widgets of another incident are other widgets: they start from its values.
    suffix = "new" if chosen == NEW_INCIDENT else re.sub(r"\W", "_", chosen)[:48]
    with st.form(f"{KEY}_incident", clear_on_submit=False, border=False):
        left, right = st.columns(2)
        with left:
            kind = st.text_input(
                "What happened",
                value=str(known.get("incident_type") or ""),
                key=f"{KEY}_i_type_{suffix}",
                max_chars=120,
            )
            districts = _blank(_districts())
            current = str(known.get("district") or "")
            district = st.selectbox(
                "District",
                districts,
                index=districts.index(current) if current in districts else 0,
                key=f"{KEY}_i_district_{suffix}",
            )
        times: dict[str, object] = {}
        for index, (column, label, optional) in enumerate(_INCIDENT_TIMES):
            with left if index < 2 else right:
                value = _naive_pkt(known.get(column)) if known else "default"
                times[column] = _when(
                    label, f"{KEY}_i_{column}_{suffix}", optional=optional, value=value
                )
        submitted = st.form_submit_button("Log incident", type="primary", key=f"{KEY}_i_submit")
    if submitted and not _need_name(who):
        values: dict[str, object] = {"incident_type": kind, "district": district, **times}
        if chosen != NEW_INCIDENT:
            values["incident_id"] = chosen
        _submit("incidents", values, who)


def quick_add(incidents_of: Callable[[], pd.DataFrame]) -> None:
    """The expander with the three forms and the last outcome."""
    with st.expander(
        "Log a media mention, a journalist's query or an incident",
        icon=":material/edit_note:",
        expanded=bool(st.session_state.get(RESULT)),
    ):
        st.caption(
            "Checked exactly as a loaded register is (same checks), then loaded: "
            "the page updates when the load lands. Times are Pakistan time."
        )
        who = _who()
        mention_tab, query_tab, incident_tab = st.tabs(["Mention", "Media query", "Incident"])
        with mention_tab:
            mention_form(who)
        with query_tab:
            query_form(who)
        with incident_tab:
            incident_form(who, incidents_of())
        _outcome()
