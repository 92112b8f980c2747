"""Community outreach events: one row per event, and its suite.

``event_id, date, district, event_type, participants_female,
participants_male, participants_transgender``. The district is required
(events per 100,000 people need it); participant counts are whole numbers,
blank when not counted (never read as zero).
"""

from __future__ import annotations

from datetime import datetime

from core.config import Settings
from core.media_registers import EVENT_TYPE_ALIASES, EVENT_TYPES, OUTREACH_COLUMNS, lookup
from etl.sources.registers_media.register import RegisterSource, RegisterSpec, standard_checks
from etl.validate import Check

SPEC = RegisterSpec(
    name="outreach",
    kind="outreach events",
    source="outreach_events",
    raw_table="raw.outreach_events",
    record_id="event_id",
    columns=tuple(OUTREACH_COLUMNS),
    aliases={
        "event_id": ("id", "event id", "event no"),
        "event_date": ("date", "event date", "held on", "day"),
        "district": ("district name",),
        "event_type": ("event type", "type of event", "activity"),
        "participants_female": ("female", "women", "female participants", "participants women"),
        "participants_male": ("male", "men", "male participants", "participants men"),
        "participants_transgender": (
            "transgender",
            "transgender participants",
            "khwaja sira",
            "participants tg",
        ),
    },
    signature=("event_id", "event_type", "event_date"),
    required=("event_id", "event_date", "district", "event_type"),
    covers_column="event_date",
    dates=("event_date",),
    vocabularies={"event_type": (EVENT_TYPES, lookup(EVENT_TYPES, EVENT_TYPE_ALIASES))},
    counts=("participants_female", "participants_male", "participants_transgender"),
    districts=("district",),
)


def checks(settings: Settings, now: datetime, form: str) -> list[Check]:
    """The outreach events' suite: the standard register contract (a known
    event type and district, a readable date not in the future, participant
    counts that are whole numbers of 0 or more)."""
    return standard_checks(SPEC, settings, now, form)


SOURCE = RegisterSource(SPEC, checks)
