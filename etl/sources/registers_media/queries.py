"""Media queries from journalists: one row per query, and its suite.

``query_id, received_at, outlet, journalist, journalist_phone, topic,
deadline_at, answered_at`` (plus ``logged_by``, ``logged_at``). The
journalist's name and phone stay in ``raw``; the mart has the outlet only.
An answer before the query arrived, or a deadline before it, is quarantined.
"""

from __future__ import annotations

from datetime import datetime

from core.config import Settings
from core.media_registers import QUERY_COLUMNS
from etl.sources.registers_media.register import RegisterSource, RegisterSpec, standard_checks
from etl.validate import Check

SPEC = RegisterSpec(
    name="queries",
    kind="media queries",
    source="media_queries",
    raw_table="raw.media_queries",
    record_id="query_id",
    columns=tuple(QUERY_COLUMNS),
    aliases={
        "query_id": ("id", "query id", "query no", "request id"),
        "received_at": ("received", "received at", "date received", "date time"),
        "outlet": ("media outlet", "organisation", "organization", "channel newspaper"),
        "journalist": ("journalist name", "reporter", "correspondent"),
        "journalist_phone": ("phone", "journalist phone", "contact", "mobile"),
        "topic": ("subject", "query", "question"),
        "deadline_at": ("deadline", "deadline at", "needed by"),
        "answered_at": ("answered", "answered at", "replied at", "response at", "responded at"),
        "logged_by": ("logged by", "entered by"),
        "logged_at": ("logged at", "entered at"),
    },
    signature=("query_id", "received_at", "outlet"),
    required=("query_id", "received_at", "outlet"),
    covers_column="received_at",
    timestamps=("received_at", "deadline_at", "answered_at", "logged_at"),
    order=(("answered_at", "received_at"), ("deadline_at", "received_at")),
    future_ok=("deadline_at",),
    personal=("journalist", "journalist_phone", "logged_by"),
    free_text=("outlet", "topic"),
)


def checks(settings: Settings, now: datetime, form: str) -> list[Check]:
    """The media queries' suite: the standard register contract, with the
    answer and the deadline never before the query was received."""
    return standard_checks(SPEC, settings, now, form)


SOURCE = RegisterSource(SPEC, checks)
