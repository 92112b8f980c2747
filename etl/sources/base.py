"""What every kind of source file provides to the loader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import pandas as pd

from etl.config import Settings
from etl.readers import RawTable
from etl.validate import Check


@dataclass
class Prepared:
    """A file's rows in canonical columns, with the checks they must pass.

    ``frame`` holds ``_source_row``, the canonical columns and helper
    columns (``*__unparsed``, ``*__problem``) that exist only for the checks.
    ``columns`` lists the canonical columns that go to the raw table.
    """

    frame: pd.DataFrame
    checks: list[Check]
    columns: list[str]
    record_id: str
    raw_table: str
    source: str
    covers_column: str
    unmatched_headers: list[str]


class Source(Protocol):
    """A kind of file the ETL reads, recognised from its header."""

    kind: str
    source: str

    def matches(self, headers: list[str]) -> bool: ...

    def prepare(self, table: RawTable, settings: Settings, now: datetime) -> Prepared: ...
