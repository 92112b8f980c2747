"""The media monitoring log: one row per monitored mention of KP Police, and its suite.

``mention_id, published_at, outlet, outlet_type, language, headline, url,
tone, topic, district, quotes_official_line, incident_id`` (plus
``logged_by``, ``logged_at`` for entries typed on the dashboard). Tone is
positive, neutral or negative (blank: not coded yet); anything else is
quarantined, so net tone (M5) counts coded mentions only.
"""

from __future__ import annotations

from datetime import datetime

from core.config import Settings
from core.media_registers import (
    MEDIA_LANGUAGES,
    MENTION_COLUMNS,
    OUTLET_TYPE_ALIASES,
    OUTLET_TYPES,
    TONE_ALIASES,
    TONES,
    lookup,
)
from core.vocab import LANGUAGE_ALIASES
from etl.sources.registers_media.register import RegisterSource, RegisterSpec, standard_checks
from etl.validate import Check

SPEC = RegisterSpec(
    name="mentions",
    kind="media monitoring log",
    source="media_log",
    raw_table="raw.media_mentions",
    record_id="mention_id",
    columns=tuple(MENTION_COLUMNS),
    aliases={
        "mention_id": ("id", "mention id", "mention no", "clip id"),
        "published_at": ("published", "published at", "date time", "aired at", "date"),
        "outlet": ("media outlet", "outlet name", "newspaper channel", "source"),
        "outlet_type": ("outlet type", "media type", "medium"),
        "language": ("lang",),
        "headline": ("title", "story"),
        "url": ("link", "web link"),
        "tone": ("sentiment", "tone coded"),
        "topic": ("subject", "theme"),
        "district": ("district name",),
        "quotes_official_line": (
            "official line",
            "quotes official line",
            "police version quoted",
            "official version",
        ),
        "incident_id": ("incident", "incident id", "incident no"),
        "logged_by": ("logged by", "entered by"),
        "logged_at": ("logged at", "entered at"),
    },
    signature=("outlet", "outlet_type", "published_at"),
    required=("mention_id", "published_at", "outlet", "outlet_type"),
    covers_column="published_at",
    timestamps=("published_at", "logged_at"),
    vocabularies={
        "outlet_type": (OUTLET_TYPES, lookup(OUTLET_TYPES, OUTLET_TYPE_ALIASES)),
        "tone": (TONES, lookup(TONES, TONE_ALIASES)),
        "language": (MEDIA_LANGUAGES, lookup(MEDIA_LANGUAGES, LANGUAGE_ALIASES)),
    },
    booleans=("quotes_official_line",),
    districts=("district",),
    personal=("logged_by",),
    free_text=("outlet", "headline", "topic"),
)


def checks(settings: Settings, now: datetime, form: str) -> list[Check]:
    """The media monitoring log's suite: the standard register contract
    (tone, outlet type and language in their vocabularies; readable,
    plausible times; a known district; yes/no for the official line)."""
    return standard_checks(SPEC, settings, now, form)


SOURCE = RegisterSource(SPEC, checks)
