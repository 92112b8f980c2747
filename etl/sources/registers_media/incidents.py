"""Incidents (crisis communication): one row per incident, and its suite.

``incident_id, type, district, occurred_at, verified_at, first_statement_at,
misinformation_detected_at, rebuttal_at`` (plus ``logged_by``,
``logged_at``). A later export (or a quick-add update) with the same id
replaces the incident's row, so the timeline fills in as it happens.
Nothing can be verified, stated or detected before the incident occurred,
and a rebuttal answers a detected false claim: rows breaking that are
quarantined.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from core.config import Settings
from core.media_registers import INCIDENT_COLUMNS
from etl.sources.registers_media.register import (
    RegisterSource,
    RegisterSpec,
    requires,
    standard_checks,
)
from etl.validate import Check

SPEC = RegisterSpec(
    name="incidents",
    kind="incidents",
    source="incidents",
    raw_table="raw.incidents",
    record_id="incident_id",
    columns=tuple(INCIDENT_COLUMNS),
    aliases={
        "incident_id": ("id", "incident id", "incident no"),
        "incident_type": ("type", "incident type", "category", "what happened"),
        "district": ("district name", "place"),
        "occurred_at": ("occurred", "occurred at", "happened at", "incident time"),
        "verified_at": ("verified", "verified at", "confirmed at"),
        "first_statement_at": ("first statement", "first statement at", "statement at"),
        "misinformation_detected_at": (
            "misinformation detected",
            "misinformation detected at",
            "false claim detected at",
            "fake news detected at",
        ),
        "rebuttal_at": ("rebuttal", "rebuttal at", "clarification at", "clarified at"),
        "logged_by": ("logged by", "entered by"),
        "logged_at": ("logged at", "entered at"),
    },
    signature=("incident_id", "occurred_at"),
    required=("incident_id", "incident_type", "occurred_at"),
    covers_column="occurred_at",
    timestamps=(
        "occurred_at",
        "verified_at",
        "first_statement_at",
        "misinformation_detected_at",
        "rebuttal_at",
        "logged_at",
    ),
    order=(
        ("verified_at", "occurred_at"),
        ("first_statement_at", "occurred_at"),
        ("misinformation_detected_at", "occurred_at"),
        ("rebuttal_at", "occurred_at"),
        ("rebuttal_at", "misinformation_detected_at"),
    ),
    districts=("district",),
    personal=("logged_by",),
    free_text=("incident_type",),
)

# A rebuttal answers a detected false claim. (Built when used: a check is a
# Great Expectations object, and GX is imported only by a load.)
_REBUTTAL_NEEDS = ("rebuttal_at", "misinformation_detected_at")


def finish(frame: pd.DataFrame) -> None:
    add_column, _ = requires(*_REBUTTAL_NEEDS)
    add_column(frame)


def checks(settings: Settings, now: datetime, form: str) -> list[Check]:
    """The incidents' suite: the standard register contract, every step at
    or after the occurrence, and a rebuttal only after a detected false claim."""
    _, rebuttal_claim = requires(*_REBUTTAL_NEEDS)
    return [*standard_checks(SPEC, settings, now, form), rebuttal_claim]


SOURCE = RegisterSource(SPEC, checks, finish)
