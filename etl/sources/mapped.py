"""Sources without a fixed format, read through a column-mapping file (YAML).

A mapping renames columns onto the inquiry register, maps values onto its
vocabularies, sets constants, and says how to read timestamps and which
column is the unique id. Shipped mappings live in ``etl/mappings/``; a
deployment adds its own in ``KP_MAPPINGS_DIR``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from core.config import MAPPINGS_DIR
from core.errors import EtlError
from core.sql import quote_literal
from core.vocab import fold
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import match_headers, require_columns, text_sql
from etl.sources.inquiries import REGISTER_COLUMNS, prepare_inquiries

KEYS = {
    "name",
    "description",
    "detect",
    "id_column",
    "timezone",
    "timestamp_formats",
    "columns",
    "values",
    "constants",
}


@dataclass(frozen=True)
class ColumnMapping:
    """A parsed mapping file."""

    name: str
    description: str
    detect_headers: tuple[str, ...]
    id_column: str
    timezone: str
    timestamp_formats: tuple[str, ...]
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    @property
    def kind(self) -> str:
        return f"{self.name} (column mapping)"

    @property
    def source(self) -> str:
        return self.name

    def matches(self, table: RawTable) -> bool:
        folded = {fold(h) for h in table.headers}
        return all(fold(h) in folded for h in self.detect_headers)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        wanted = {"inquiry_id": self.id_column, **self.columns}
        found = match_headers(table.headers, {c: (h,) for c, h in wanted.items()})
        # Name the missing column as the file names it, not as the register does.
        require_columns(table, {wanted[c]: h for c, h in found.items()}, wanted.values())
        texts = {}
        for column in REGISTER_COLUMNS:
            if column in self.constants:
                texts[column] = quote_literal(self.constants[column])
            elif column in found:
                texts[column] = _mapped(text_sql(found[column]), self.values.get(column, {}))
            else:
                texts[column] = text_sql(None)
        return prepare_inquiries(
            table,
            texts,
            context,
            source=self.name,
            timezone=self.timezone,
            formats=self.timestamp_formats,
            unmatched=[h for h in table.headers if h not in found.values()],
        )


def _mapped(text: str, values: dict[str, str]) -> str:
    """Map listed values (case-insensitively); others pass through for validation."""
    if not values:
        return text
    cases = " ".join(
        f"when lower({text}) = lower({quote_literal(source)}) then {quote_literal(target)}"
        for source, target in values.items()
    )
    return f"case {cases} else {text} end"


def parse_mapping(data: dict, path: Path | None = None) -> ColumnMapping:
    """Check a mapping's shape and say plainly what is wrong with it."""
    where = path.name if path else "mapping"
    if not isinstance(data, dict):
        raise EtlError(f"{where}: a column mapping must be a YAML mapping of keys")
    unknown = set(data) - KEYS
    if unknown:
        raise EtlError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(KEYS)}")
    for key in ("name", "id_column", "columns"):
        if key not in data:
            raise EtlError(f"{where}: the key '{key}' is required")
    columns = {str(k): str(v) for k, v in (data.get("columns") or {}).items()}
    constants = {str(k): str(v) for k, v in (data.get("constants") or {}).items()}
    values = {
        str(k): {str(a): str(b) for a, b in (v or {}).items()}
        for k, v in (data.get("values") or {}).items()
    }
    for column in [*columns, *constants, *values]:
        if column not in REGISTER_COLUMNS:
            raise EtlError(
                f"{where}: '{column}' is not a register column; "
                f"register columns: {', '.join(REGISTER_COLUMNS)}"
            )
    if "received_at" not in columns:
        raise EtlError(f"{where}: 'columns' must map received_at")
    timezone = str(data.get("timezone", "Asia/Karachi"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise EtlError(f"{where}: unknown timezone '{timezone}'") from None
    detect = (data.get("detect") or {}).get("headers") or [data["id_column"], *columns.values()]
    return ColumnMapping(
        name=str(data["name"]),
        description=str(data.get("description", "")),
        detect_headers=tuple(str(h) for h in detect),
        id_column=str(data["id_column"]),
        timezone=timezone,
        timestamp_formats=tuple(data.get("timestamp_formats") or ("%Y-%m-%d %H:%M:%S",)),
        columns=columns,
        values=values,
        constants=constants,
        path=path,
    )


def mapping_dirs() -> list[Path]:
    extra = os.environ.get("KP_MAPPINGS_DIR")
    return [MAPPINGS_DIR, *([Path(extra)] if extra else [])]


@lru_cache(maxsize=4)
def _load_mappings(dirs: tuple[Path, ...]) -> tuple[ColumnMapping, ...]:
    mappings = []
    for directory in dirs:
        for path in sorted(directory.glob("*.yaml")):
            mappings.append(parse_mapping(yaml.safe_load(path.read_text("utf-8")), path))
    return tuple(mappings)


def load_mappings() -> tuple[ColumnMapping, ...]:
    """Every mapping file in the shipped and the deployment's folders."""
    return _load_mappings(tuple(mapping_dirs()))
