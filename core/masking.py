"""Personal data: which columns of a file hold it, and how values are masked.

Names, phone numbers, CNIC numbers, emails and free-text summaries live in
``raw`` and in ``meta.quarantine.original``; whatever leaves for display or
download (the Data page's quarantine, a preview of a file about to load) has
them masked: names become initials, numbers dots (a phone keeps its last two
digits), free text is removed, and emails, CNIC and phone numbers inside any
other text become dots. Both the read side (quarantine) and the write side
(previews; masking at load time) use this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pandas as pd

from core import privacy
from core.sources import (
    EVENT_HEADER_ALIASES,
    REGISTER_HEADER_ALIASES,
    column_mappings,
    is_social,
    match_headers,
)
from core.vocab import fold

MASK = "•••"
REMOVED = "(removed)"

NAME, PHONE, CNIC, EMAIL, TEXT = "name", "phone", "cnic", "email", "text"
CANONICAL_PERSONAL: dict[str, str] = {
    "requester_name": NAME,
    "requester_phone": PHONE,
    "requester_cnic": CNIC,
    "requester_email": EMAIL,
    "summary": TEXT,
    "actor": NAME,
}
# Headers that say "personal" whatever the file's kind (folded): whole headers
# naming a person, then words that make any header personal.
PERSON_HEADERS: frozenset[str] = frozenset(
    {
        "requester",
        "complainant",
        "caller",
        "citizen",
        "journalist",
        "agent",
        "officer",
        "actor",
        "logged by",
    }
)
HEADER_WORDS: tuple[tuple[str, str], ...] = (
    ("cnic", CNIC),
    ("nic", CNIC),
    ("id card", CNIC),
    ("national id", CNIC),
    ("email", EMAIL),
    ("e mail", EMAIL),
    ("phone", PHONE),
    ("mobile", PHONE),
    ("contact", PHONE),
    ("cell", PHONE),
    ("tel", PHONE),
    ("name", NAME),
    ("summary", TEXT),
    ("description", TEXT),
    ("details", TEXT),
    ("subject", TEXT),
    ("comment", TEXT),
    ("message", TEXT),
    ("remarks", TEXT),
    ("notes", TEXT),
    ("address", TEXT),
    ("text", TEXT),
    ("title", TEXT),
    ("caption", TEXT),
    ("body", TEXT),
)
# Counts named after a personal thing ("Phone number clicks") are not personal.
COUNT_WORDS = frozenset({"clicks", "views", "count", "rate", "visits", "taps"})


def personal_columns(headers: Iterable[str], source: str | None = None) -> dict[str, str]:
    """header -> how to mask it (name, phone, cnic, email, text), for a file's headers.

    A header the register, the events log or the source's column mapping
    knows is personal exactly when the column it means is (``District name``
    is a district, ``Complainant name`` a name). Any other header is personal
    when it names a person (``Requester``) or holds a personal word
    (``phone``, ``email``, ``address``, ``description``, …), unless it counts
    something (``Phone number clicks``). In platform exports (``social``
    sources) titles, captions and post text are the cell's own public posts:
    only phone, email and CNIC columns are masked there.
    """
    return dict(_personal_columns(tuple(h for h in headers if h != "_source_row"), source))


@lru_cache(maxsize=256)
def _personal_columns(headers: tuple[str, ...], source: str | None) -> tuple[tuple[str, str], ...]:
    social = is_social(source)
    known = {} if social else _known_meanings(list(headers), source)
    words_of_kind = [
        (w, how) for w, how in HEADER_WORDS if not social or how in (PHONE, EMAIL, CNIC)
    ]
    found: dict[str, str] = {}
    for header in headers:
        if header in known:
            if known[header] in CANONICAL_PERSONAL:
                found[header] = CANONICAL_PERSONAL[known[header]]
            continue
        words = fold(header)
        if words in PERSON_HEADERS:
            found[header] = NAME
            continue
        if COUNT_WORDS & set(words.split()):
            continue
        for word, how in words_of_kind:
            if f" {word} " in f" {words} ":
                found[header] = how
                break
    return tuple(found.items())


def _known_meanings(headers: list[str], source: str | None) -> dict[str, str]:
    """header -> register or events column it means (aliases and column mappings)."""
    aliases: dict[str, tuple[str, ...]] = {
        **{c: tuple(a) for c, a in EVENT_HEADER_ALIASES.items()},
        **{c: tuple(a) for c, a in REGISTER_HEADER_ALIASES.items()},
    }
    for name, columns in column_mappings():
        if name == source:
            for column, header in columns.items():
                aliases[column] = (header, *aliases.get(column, ()))
    matched = match_headers(headers, aliases)
    return {header: column for column, header in matched.items()}


def mask_value(value: object, how: str) -> object:
    """One personal value masked: names to initials, numbers to dots, text removed."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    text = str(value)
    if not text.strip():
        return text
    if how == TEXT:
        return REMOVED
    if how == NAME:
        initials = [w[0].upper() + "." for w in re.findall(r"\w+", text)[:4]]
        return " ".join(initials) or MASK
    if how == EMAIL:
        local = text.split("@", 1)[0].strip()
        return f"{local[:1]}{MASK}@{MASK}" if local else MASK
    digits = sum(c.isdigit() for c in text)
    if digits < 5:
        return MASK
    keep = 2 if how == PHONE else 0
    seen = 0
    masked = []
    for char in text:
        if char.isdigit():
            seen += 1
            masked.append(char if seen > digits - keep else "•")
        else:
            masked.append(char)
    return "".join(masked)


DOT_MARKERS: dict[str, str] = {
    privacy.CNIC: "•••••-•••••••-•",
    privacy.PHONE: MASK,
    privacy.EMAIL: f"{MASK}@{MASK}",
}


def scrub_text(text: object) -> object:
    """Emails, CNIC and phone numbers inside any text replaced by dots.

    The numbers are found by ``core.privacy`` (one scanner for the whole
    app: Urdu digits, every Pakistani number format libphonenumber knows)."""
    if not isinstance(text, str) or not text:
        return text
    return privacy.redact(text, DOT_MARKERS)


def mask_record(record: Mapping[str, object], source: str | None = None) -> dict[str, object]:
    """A row as read (header -> value) with its personal data masked."""
    personal = personal_columns(record.keys(), source)
    return {
        header: mask_value(value, personal[header]) if header in personal else scrub_text(value)
        for header, value in record.items()
        if header != "_source_row"
    }


def mask_frame(frame: pd.DataFrame, source: str | None = None) -> pd.DataFrame:
    """A table of text as read from a file, personal columns masked."""
    personal = personal_columns(frame.columns, source)
    masked = frame.copy()
    for column in masked.columns:
        how = personal.get(column)
        values = masked[column].astype(object)
        if how:
            masked[column] = values.map(lambda v, how=how: mask_value(v, how))
        else:
            masked[column] = values.map(scrub_text)
    return masked
