"""The media cell's registers besides the inquiry register.

Media monitoring log, media queries, incidents, outputs with their plan,
and community outreach events: one module each, with its Great
Expectations suite beside its columns (``register.py`` holds what they
share). ``SOURCES`` lists them for ``etl.detect``.
"""

from __future__ import annotations

from etl.sources.registers_media import incidents, mentions, outputs, outreach, queries
from etl.sources.registers_media.register import RegisterSource

SOURCES: list[RegisterSource] = [
    mentions.SOURCE,
    queries.SOURCE,
    incidents.SOURCE,
    outputs.SOURCE,
    outputs.PLAN_SOURCE,
    outreach.SOURCE,
]

# Register name (core.media_registers.REGISTERS) -> source.
BY_NAME: dict[str, RegisterSource] = {source.spec.name: source for source in SOURCES}
