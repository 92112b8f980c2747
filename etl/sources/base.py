"""What every kind of source file provides to the loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import pandas as pd

from core.config import Settings
from etl.readers import RawTable
from etl.validate import Check


@dataclass(frozen=True)
class LoadContext:
    """What a source may need to know besides the file itself.

    ``year`` is for exports whose dates carry no year (an older TikTok
    overview): never guessed, asked of the user. ``account`` names the
    account of exports that do not say whose they are (Meta Insights daily
    files); ``None`` means the settings' default account. ``platform`` is
    for exports that do not say which platform they describe (Meta's
    ``Audience.csv``, an Insights file titled only "Views").
    """

    settings: Settings
    now: datetime
    year: int | None = None
    account: str | None = None
    platform: str | None = None


@dataclass
class Prepared:
    """A file's rows in canonical columns, with the checks they must pass.

    ``frame`` holds ``_source_row``, the canonical columns and helper
    columns (``*__unparsed``, ``*__problem``) that exist only for the checks.
    ``columns`` lists the canonical columns that go to ``raw_table``;
    ``keys`` are the columns (besides ``source``) naming one record version
    there; ``record_id`` is the column shown as the record's id.
    """

    frame: pd.DataFrame | None
    checks: list[Check]
    columns: list[str]
    record_id: str
    raw_table: str
    source: str
    covers_column: str
    keys: tuple[str, ...]
    unmatched_headers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Instead of ``frame``: the rows are table ``table`` of the file's own
    # DuckDB connection (``RawTable.con``), never pulled whole into Python.
    table: str | None = None


class Source(Protocol):
    """A kind of file the ETL reads, recognised from its content."""

    kind: str
    source: str

    def matches(self, table: RawTable) -> bool: ...

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared: ...
