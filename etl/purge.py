"""Retention: blank the personal data of raw rows older than a period.

``raw`` keeps each row as loaded, the requester's name, phone, CNIC, email
and words among them, so a wrong figure can be traced to its file and row.
After ``retention_days`` (``data/config/settings.yaml``) that is no longer
needed: ``purge_personal`` sets those columns to NULL in rows loaded before
the cut-off, and blanks the same fields of quarantined rows' ``original`` (and any value
there holding a CNIC, phone number or email).
Nothing else changes (ids, times, districts, categories stay, so every
figure is the same before and after; marts never held personal data).

The write goes through ``etl.warehouse.new_version`` like a load: a copy
beside the live file, swapped in with ``os.replace`` only when it is
complete. Running it twice changes nothing the second time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import yaml

from core.config import settings_path, warehouse_path
from core.errors import EtlError
from core.masking import personal_columns
from core.privacy import PERSONAL_VALUE, has_personal
from core.sql import quote_identifier
from etl.warehouse import new_version

SETTINGS_KEY = "retention_days"
DEFAULT_RETENTION_DAYS = 365

# raw table -> its personal columns (the requester's identity and words; a
# journalist's name and phone). Staff names (``actor``, ``logged_by``) are
# not requesters' data and stay.
PERSONAL_RAW: dict[str, tuple[str, ...]] = {
    "raw.inquiry_register": (
        "summary",
        "requester_name",
        "requester_phone",
        "requester_cnic",
        "requester_email",
    ),
    "raw.media_queries": ("journalist", "journalist_phone"),
}


@dataclass(frozen=True)
class PurgeResult:
    """What a purge blanked (or, in a dry run, would blank)."""

    cutoff: datetime
    raw_rows: dict[str, int]
    quarantine_rows: int
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(self.raw_rows.values()) + self.quarantine_rows

    def line(self) -> str:
        verb = "would blank" if self.dry_run else "blanked"
        parts = [f"{n:,} rows of {t}" for t, n in self.raw_rows.items() if n]
        if self.quarantine_rows:
            parts.append(f"{self.quarantine_rows:,} quarantined rows")
        what = ", ".join(parts) if parts else "nothing"
        return f"{verb} personal data loaded before {self.cutoff:%Y-%m-%d %H:%M} UTC: {what}"


def retention_days(path: Path | None = None) -> int:
    """``retention_days`` from the settings file (default 365)."""
    target = path or settings_path()
    raw = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    value = raw.get(SETTINGS_KEY, DEFAULT_RETENTION_DAYS)
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise EtlError(
            f"{target.name}: {SETTINGS_KEY} is '{value}'; write a number of days"
        ) from None
    if days < 0:
        raise EtlError(f"{target.name}: {SETTINGS_KEY} is {days}; it cannot be negative")
    return days


def _raw_condition(columns: tuple[str, ...]) -> str:
    held = " or ".join(f"{quote_identifier(c)} is not null" for c in columns)
    return f"_loaded_at < ? and ({held})"


def _stale_originals(
    con: duckdb.DuckDBPyConnection, cutoff: datetime
) -> list[tuple[str, int, str, str]]:
    """(load_id, source_row, source, blanked original) of quarantined rows
    older than ``cutoff`` whose original still holds a personal value."""
    rows = con.execute(
        "select load_id, source_row, source, cast(original as varchar) from meta.quarantine "
        "where quarantined_at < ? and original is not null",
        [cutoff],
    ).fetchall()
    changed = []
    for load_id, source_row, source, text in rows:
        record = json.loads(text)
        if not isinstance(record, dict):
            continue
        personal = personal_columns(record.keys(), source)
        held = [k for k in personal if record.get(k) not in (None, "")]
        # A number typed into another column (often why the row failed)
        # goes too, whole: the name written beside it with it.
        typed = [k for k, v in record.items() if k not in personal and has_personal(v)]
        if not held and not typed:
            continue
        for key in held:
            record[key] = None
        for key in typed:
            record[key] = PERSONAL_VALUE
        changed.append((load_id, source_row, source, json.dumps(record, ensure_ascii=False)))
    return changed


def _counts(con: duckdb.DuckDBPyConnection, cutoff: datetime) -> dict[str, int]:
    counts = {}
    for table, columns in PERSONAL_RAW.items():
        sql = f"select count(*) from {table} where {_raw_condition(columns)}"
        counts[table] = int(con.execute(sql, [cutoff]).fetchone()[0])
    return counts


def purge_personal(
    *,
    older_than_days: int,
    now: datetime | None = None,
    warehouse: Path | None = None,
    dry_run: bool = False,
    wait_seconds: float = 600,
) -> PurgeResult:
    """Blank personal data of rows loaded more than ``older_than_days`` before
    ``now`` (default: the current time, UTC); ``dry_run`` only counts."""
    if older_than_days < 0:
        raise EtlError(f"--older-than is {older_than_days}; it cannot be negative")
    path = warehouse or warehouse_path()
    if not path.exists():
        raise EtlError(f"{path}: no warehouse")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    cutoff = moment - timedelta(days=older_than_days)
    if dry_run:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return PurgeResult(
                cutoff, _counts(con, cutoff), len(_stale_originals(con, cutoff)), True
            )
        finally:
            con.close()
    with new_version(path, wait_seconds=wait_seconds) as con:
        counts = _counts(con, cutoff)
        originals = _stale_originals(con, cutoff)
        con.execute("begin")
        for table, columns in PERSONAL_RAW.items():
            blanks = ", ".join(f"{quote_identifier(c)} = null" for c in columns)
            con.execute(f"update {table} set {blanks} where {_raw_condition(columns)}", [cutoff])
        for load_id, source_row, source, original in originals:
            con.execute(
                "update meta.quarantine set original = cast(? as json) "
                "where load_id = ? and source_row = ? and source = ?",
                [original, load_id, source_row, source],
            )
        con.execute("commit")
    return PurgeResult(cutoff, counts, len(originals), False)
