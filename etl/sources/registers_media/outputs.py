"""Press releases and other outputs, and the communication plan they are measured against.

Two registers: the **outputs** (one row per press release, post, video,
press conference or interview published) and the **output plan** (how many
outputs of each type the plan calls for in a week). M7 compares them.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from core.config import Settings
from core.media_registers import (
    OUTPUT_COLUMNS,
    OUTPUT_TYPE_ALIASES,
    OUTPUT_TYPES,
    PLAN_COLUMNS,
    lookup,
)
from etl.sources.registers_media.register import RegisterSource, RegisterSpec, standard_checks
from etl.validate import Check

_TYPES = (OUTPUT_TYPES, lookup(OUTPUT_TYPES, OUTPUT_TYPE_ALIASES))

SPEC = RegisterSpec(
    name="outputs",
    kind="outputs",
    source="outputs",
    raw_table="raw.outputs",
    record_id="output_id",
    columns=tuple(OUTPUT_COLUMNS),
    aliases={
        "output_id": ("id", "output id", "release no", "pr no"),
        "published_at": ("published", "published at", "issued at", "date time"),
        "output_type": ("output type", "type", "kind"),
        "channel": ("platform", "medium", "where"),
        "title": ("headline", "subject"),
        "url": ("link",),
        "incident_id": ("incident", "incident id"),
    },
    signature=("output_id", "output_type", "published_at"),
    required=("output_id", "published_at", "output_type"),
    covers_column="published_at",
    timestamps=("published_at",),
    vocabularies={"output_type": _TYPES},
    free_text=("channel", "title"),
)

PLAN_SPEC = RegisterSpec(
    name="plan",
    kind="output plan",
    source="output_plan",
    raw_table="raw.output_plan",
    record_id="plan_id",
    columns=tuple(PLAN_COLUMNS),
    aliases={
        "week_start": ("week", "week starting", "week of", "week start"),
        "output_type": ("output type", "type"),
        "planned": ("planned count", "plan", "target", "planned outputs"),
        "notes": ("remarks", "campaign"),
    },
    signature=("week_start", "output_type", "planned"),
    required=("week_start", "output_type", "planned"),
    covers_column="week_start",
    dates=("week_start",),
    vocabularies={"output_type": _TYPES},
    counts=("planned",),
    future_ok=("week_start",),
    extra_raw=("plan_id",),
    free_text=("notes",),
)


def finish_plan(frame: pd.DataFrame) -> None:
    """Weeks run Monday to Sunday: any date names its week. The plan's key
    is the ISO week and the output type (``2025-W14 press release``)."""
    week = pd.to_datetime(frame["week_start"])
    monday = week - pd.to_timedelta(week.dt.weekday, unit="D")
    frame["week_start"] = monday
    label = monday.dt.strftime("%G-W%V")
    frame["plan_id"] = (label + " " + frame["output_type"].astype("string")).astype(object)
    frame["plan_id"] = frame["plan_id"].where(frame["plan_id"].notna(), None)


def checks(settings: Settings, now: datetime, form: str) -> list[Check]:
    """The outputs' suite: the standard register contract (a known output
    type, a readable publication time that is not in the future)."""
    return standard_checks(SPEC, settings, now, form)


def plan_checks(settings: Settings, now: datetime, form: str) -> list[Check]:
    """The output plan's suite: a readable week, a known output type and a
    whole planned count of 0 or more; one row per week and type in a file."""
    return standard_checks(PLAN_SPEC, settings, now, form)


SOURCE = RegisterSource(SPEC, checks)
PLAN_SOURCE = RegisterSource(PLAN_SPEC, plan_checks, finish_plan)
