"""Entries typed on the dashboard: one-row register files in the inbox, loaded by the loader.

The Media page's quick-add form never writes the warehouse. It hands an
entry to :func:`submit_entry`, which

1. writes it as a one-row register file (the template's columns, with
   ``logged_by`` and ``logged_at``) into a private pending folder;
2. reads and validates it exactly as any register file (``etl.load.
   inspect_file``: the same detection, parsing and Great Expectations suite);
   an invalid entry is deleted and its one-line reasons returned: nothing
   changes;
3. moves a valid one into the inbox (``data/inbox/`` or ``KP_INBOX``) and
   loads it with ``etl.load.load_paths``, which writes a new warehouse version
   and swaps it in, as for any other file.

The inbox keeps every loaded entry as a file, so a warehouse rebuilt from
files (``python -m etl load data/inbox``) has them too. It holds the names
of journalists and of staff who typed entries: it is git-ignored and never
leaves the server.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from core.config import DATA_DIR
from core.errors import LoadBusy
from core.media_registers import REGISTERS, header_of

KARACHI = ZoneInfo("Asia/Karachi")
INBOX_ENV = "KP_INBOX"
PENDING = ".pending"
WAIT_SECONDS = 30  # for another load to finish before the form gives up
# Registers staff can add to from the dashboard, and the prefix of new ids.
QUICK_ADD: dict[str, str] = {"mentions": "MM", "queries": "MQ", "incidents": "INC"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def inbox_dir() -> Path:
    """``KP_INBOX`` or ``data/inbox``; created (git-ignored) when missing."""
    folder = Path(os.environ.get(INBOX_ENV, DATA_DIR / "inbox")).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Entries typed on the dashboard: personal data, never committed.\n*\n")
    return folder


def new_id(register: str, now: datetime) -> str:
    """A fresh id such as ``MM-250301-101502-3f9a`` (Pakistan time, random tail)."""
    local = now.astimezone(KARACHI)
    return f"{QUICK_ADD[register]}-{local:%y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def cell_text(value: object) -> str:
    """A form value as the register's text: times as ``YYYY-MM-DD HH:MM``
    Pakistan time (a naive datetime is already Pakistan time), yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(KARACHI)
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def entry_csv(register: str, values: Mapping[str, object]) -> bytes:
    """One register row as CSV (UTF-8 with BOM, the template's headers)."""
    columns = REGISTERS[register][2]
    unknown = set(values) - set(columns)
    if unknown:
        raise ValueError(f"{register} has no column(s) {', '.join(sorted(unknown))}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header_of(c) for c in columns])
    writer.writerow([cell_text(values.get(c)) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass
class Submission:
    """What became of an entry: loaded, or refused with its reasons."""

    loaded: bool
    record_id: str
    errors: list[str] = field(default_factory=list)
    path: Path | None = None
    message: str = ""


def submit_entry(
    register: str,
    values: Mapping[str, object],
    *,
    logged_by: str,
    now: datetime | None = None,
    folder: Path | None = None,
    warehouse: Path | None = None,
) -> Submission:
    """Validate one entry like the ETL does and, if it passes, load it.

    ``values`` maps the register's columns to form values (the record id may
    be left out: a new one is made). ``logged_by`` and the time of the entry
    (``logged_at``) are recorded with it. Returns the outcome; an invalid
    entry leaves no file and no change in the warehouse.
    """
    # Imported here: the loader pulls in Great Expectations, which the page
    # needs only when someone submits an entry.
    from etl.load import inspect_file, load_paths, make_context

    if register not in QUICK_ADD:
        raise ValueError(f"entries cannot be added to {register!r} from the dashboard")
    who = (logged_by or "").strip()
    if not who:
        return Submission(False, "", ["logged_by is blank: say who is making the entry"])
    now = now or datetime.now(UTC)
    record_column = next(iter(REGISTERS[register][2]))
    row = dict(values)
    record_id = cell_text(row.get(record_column)) or new_id(register, now)
    row.update({record_column: record_id, "logged_by": who, "logged_at": now})
    folder = folder or inbox_dir()
    pending = folder / PENDING
    pending.mkdir(parents=True, exist_ok=True)
    stem = REGISTERS[register][0]
    name = f"{stem}_{now.astimezone(KARACHI):%Y%m%dT%H%M%S}_{_UNSAFE.sub('_', record_id)}.csv"
    staged = pending / name
    staged.write_bytes(entry_csv(register, row))
    context = make_context(now=now)
    check = inspect_file(staged, context)
    errors = _errors(check)
    if errors:
        staged.unlink(missing_ok=True)
        return Submission(False, record_id, errors)
    final = folder / name
    os.replace(staged, final)
    try:
        report = load_paths(
            [final], warehouse=warehouse, loaded_by=who, context=context, wait_seconds=WAIT_SECONDS
        )
    except LoadBusy as busy:  # someone is loading a large file: say so, keep nothing
        final.unlink(missing_ok=True)
        return Submission(False, record_id, [str(busy)])
    except Exception:
        final.unlink(missing_ok=True)
        raise
    refused = [f.line() for f in report.files if f.outcome != "loaded"]
    if refused:
        final.unlink(missing_ok=True)
        return Submission(False, record_id, refused)
    return Submission(True, record_id, path=final, message=report.files[0].line())


def _errors(check) -> list[str]:
    """One line per problem with the entry: its failing checks, else why the
    file was refused."""
    failures = check.validation.failures if check.validation is not None else None
    if failures is not None and not failures.empty:
        return list(dict.fromkeys(failures["reason"].astype(str)))
    if check.error is not None:
        return [check.error.message]
    return []
