"""Controlled vocabularies of the cell's registers.

One place for the values a register column may hold, and the spellings
staff actually type for them. Loaders map spellings onto the canonical
value (lower-case, punctuation-insensitive) before validation, so that a
Great Expectations ``in_set`` check sees canonical values only; anything
still outside the set is quarantined with its original value.
"""

from __future__ import annotations

import re

# Canonical channel names, in the order the strategy lists them.
CHANNELS: tuple[str, ...] = (
    "Facebook",
    "X",
    "Instagram",
    "YouTube",
    "TikTok",
    "WhatsApp",
    "Helpline phone",
    "SMS 8855",
    "Toll-free 0800",
    "Email",
    "Web portal",
    "Pakistan Citizen Portal",
    "Walk-in",
    "Letter",
    "RTI request",
)

SOCIAL_CHANNELS: frozenset[str] = frozenset(
    {"Facebook", "X", "Instagram", "YouTube", "TikTok", "WhatsApp"}
)

CHANNEL_ALIASES: dict[str, str] = {
    "fb": "Facebook",
    "facebook messenger": "Facebook",
    "messenger": "Facebook",
    "twitter": "X",
    "x twitter": "X",
    "twitter x": "X",
    "ig": "Instagram",
    "insta": "Instagram",
    "yt": "YouTube",
    "tik tok": "TikTok",
    "whats app": "WhatsApp",
    "wa": "WhatsApp",
    "helpline": "Helpline phone",
    "phone": "Helpline phone",
    "telephone": "Helpline phone",
    "call": "Helpline phone",
    "helpline 1715": "Helpline phone",
    "sms": "SMS 8855",
    "sms short code 8855": "SMS 8855",
    "8855": "SMS 8855",
    "toll free": "Toll-free 0800",
    "toll free 0800 004000": "Toll-free 0800",
    "0800 004000": "Toll-free 0800",
    "e mail": "Email",
    "web": "Web portal",
    "website": "Web portal",
    "portal": "Web portal",
    "citizen portal": "Pakistan Citizen Portal",
    "pcp": "Pakistan Citizen Portal",
    "pm portal": "Pakistan Citizen Portal",
    "walk in": "Walk-in",
    "in person": "Walk-in",
    "post": "Letter",
    "rti": "RTI request",
    "right to information": "RTI request",
    "not known": "Unknown",
    "not recorded": "Unknown",
}

# An honest "not known" for a system that does not record the channel: such
# items load, count in every total, and show as their own channel. It is
# accepted, not one of the strategy's channels (filters list ``CHANNELS``).
UNKNOWN_CHANNEL = "Unknown"
CHANNEL_VALUES: tuple[str, ...] = (*CHANNELS, UNKNOWN_CHANNEL)

# Categories with what they mean for the KPIs. ``information_request``
# falls under the KP RTI Act 2013 (R13).
CATEGORIES: tuple[str, ...] = (
    "complaint",
    "inquiry",
    "information_request",
    "tip",
    "feedback",
    "emergency",
)

CATEGORY_ALIASES: dict[str, str] = {
    "complaints": "complaint",
    "grievance": "complaint",
    "query": "inquiry",
    "question": "inquiry",
    "enquiry": "inquiry",
    "general inquiry": "inquiry",
    "information request": "information_request",
    "rti": "information_request",
    "rti request": "information_request",
    "right to information": "information_request",
    "tip off": "tip",
    "tipoff": "tip",
    "information tip": "tip",
    "comment": "feedback",
    "appreciation": "feedback",
    "suggestion": "feedback",
    "urgent": "emergency",
}

GENDERS: tuple[str, ...] = ("female", "male", "transgender", "unknown")

GENDER_ALIASES: dict[str, str] = {
    "f": "female",
    "woman": "female",
    "women": "female",
    "m": "male",
    "man": "male",
    "men": "male",
    "t": "transgender",
    "tg": "transgender",
    "trans": "transgender",
    "khwaja sira": "transgender",
    "khawaja sira": "transgender",
    "": "unknown",
    "u": "unknown",
    "not known": "unknown",
    "not stated": "unknown",
    "prefer not to say": "unknown",
}

LANGUAGES: tuple[str, ...] = (
    "Urdu",
    "Pashto",
    "English",
    "Hindko",
    "Saraiki",
    "Chitrali",
    "Other",
)

LANGUAGE_ALIASES: dict[str, str] = {
    "ur": "Urdu",
    "ps": "Pashto",
    "pushto": "Pashto",
    "pakhto": "Pashto",
    "pukhto": "Pashto",
    "en": "English",
    "eng": "English",
    "khowar": "Chitrali",
    "seraiki": "Saraiki",
}

# ``urgent`` means life or liberty is at stake (KP RTI Act: 2 days).
PRIORITIES: tuple[str, ...] = ("normal", "high", "urgent")

PRIORITY_ALIASES: dict[str, str] = {
    "": "normal",
    "low": "normal",
    "medium": "normal",
    "routine": "normal",
    "life or liberty": "urgent",
    "life liberty": "urgent",
    "critical": "urgent",
}

# Current status of an item. ``spam`` and ``duplicate`` are not items
# (catalogue: spam and pure reactions are excluded); ``no_reply_needed``
# is an item that needs no reply (R3 denominator excludes it).
STATUSES: tuple[str, ...] = (
    "open",
    "in_progress",
    "referred",
    "resolved",
    "closed",
    "reopened",
    "no_reply_needed",
    "spam",
    "duplicate",
)

STATUS_ALIASES: dict[str, str] = {
    "new": "open",
    "pending": "open",
    "in progress": "in_progress",
    "assigned": "in_progress",
    "replied": "in_progress",
    "responded": "in_progress",
    "forwarded": "referred",
    "referred to dpo": "referred",
    "referred to rpo": "referred",
    "solved": "resolved",
    "done": "resolved",
    "completed": "resolved",
    "re opened": "reopened",
    "no reply needed": "no_reply_needed",
    "no action": "no_reply_needed",
    "junk": "spam",
    "dup": "duplicate",
}

NOT_ITEMS: frozenset[str] = frozenset({"spam", "duplicate"})

# Satisfaction survey answers; numeric 1-5 answers map 4-5 to satisfied.
SATISFACTION: tuple[str, ...] = ("satisfied", "neutral", "dissatisfied")

SATISFACTION_ALIASES: dict[str, str] = {
    "yes": "satisfied",
    "5": "satisfied",
    "4": "satisfied",
    "3": "neutral",
    "2": "dissatisfied",
    "1": "dissatisfied",
    "no": "dissatisfied",
    "not satisfied": "dissatisfied",
    "unsatisfied": "dissatisfied",
}

# Events of the response-events log, mapped onto register columns.
EVENTS: dict[str, str] = {
    "received": "received_at",
    "first_response": "first_response_at",
    "referred": "referred_at",
    "field_ack": "field_ack_at",
    "field_report": "field_report_at",
    "resolved": "resolved_at",
    "reopened": "reopened_at",
}

EVENT_ALIASES: dict[str, str] = {
    "first response": "first_response",
    "reply": "first_response",
    "replied": "first_response",
    "referral": "referred",
    "field acknowledgement": "field_ack",
    "field ack": "field_ack",
    "acknowledged": "field_ack",
    "field report": "field_report",
    "report": "field_report",
    "resolution": "resolved",
    "closed": "resolved",
    "re opened": "reopened",
}

# What each vocabulary column of the inquiry register accepts, and the
# spellings read as each value. docs/operations.md lists them (generated by
# ``python -m etl.register_docs``; a test fails when the two differ).
REGISTER_VOCABULARIES: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "channel": (CHANNEL_VALUES, CHANNEL_ALIASES),
    "category": (CATEGORIES, CATEGORY_ALIASES),
    "requester_gender": (GENDERS, GENDER_ALIASES),
    "language": (LANGUAGES, LANGUAGE_ALIASES),
    "priority": (PRIORITIES, PRIORITY_ALIASES),
    "status": (STATUSES, STATUS_ALIASES),
    "satisfaction": (SATISFACTION, SATISFACTION_ALIASES),
}

# Cells staff type for "nothing here" (compared case-insensitively, after
# trimming spaces): read as empty in every register column. A cell of
# spaces only is empty too.
PLACEHOLDERS: tuple[str, ...] = (
    "n/a",
    "na",
    "n.a.",
    "-",
    "--",
    "---",
    "\u2014",  # em dash
    "\u2013",  # en dash
    "null",
    "none",
    "nil",
    "not applicable",
)

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: object) -> str:
    """Lower-case ``text`` and collapse punctuation and spaces to one space."""
    if text is None:
        return ""
    return _NON_WORD.sub(" ", str(text).lower()).strip()


def lookup_table(canonical: tuple[str, ...], aliases: dict[str, str]) -> dict[str, str]:
    """Folded spelling -> canonical value, covering canonical names too."""
    table = {fold(value): value for value in canonical}
    table.update({fold(alias): value for alias, value in aliases.items()})
    return table


def canonicalise(value: object, table: dict[str, str]) -> str | None:
    """Canonical value for ``value``, or ``None`` when it is unknown."""
    return table.get(fold(value))
