"""What loading would do with files a person is about to load, loading nothing.

Each file (or each member of an uploaded zip) is read, recognised and
validated by the loader's own ``inspect_files``; what loading would change
(new, updated, unchanged, already loaded) is asked of the live warehouse on
a read-only connection (``etl.load.plan_counts``). The first rows are
shown with personal data masked (``core.masking``). A quarantine download
from the Data page is refused: its values are masked, so loading it would
store the masks.

Imports the loader (and with it Great Expectations): the Data page imports
this module only when a person uploads files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from core.errors import FileRejected
from core.masking import mask_frame
from core.sources import WORKLIST_COLUMNS
from core.warehouse import reading
from etl.archives import extract_exports, is_zip
from etl.load import FileCheck, inspect_files, plan_counts
from etl.readers import read_table
from etl.sources.base import LoadContext
from etl.uploads import advice_for
from etl.validate import ExpectationResult

PREVIEW_ROWS = 10


@dataclass
class FilePreview:
    """One file (or one member of an uploaded zip) as it would load.

    ``upload`` is the file to hand to ``load_paths`` (the zip for a member).
    ``plan`` holds ``insert``/``update``/``same``/``already_loaded`` rows
    (``etl.load.plan_counts``), or None when it cannot be told. ``results``
    are the checks as Great Expectations reported them (in plain words:
    ``metrics.validation.results_frame``).
    """

    name: str
    upload: Path
    kind: str | None = None
    source: str | None = None
    rows_read: int = 0
    quarantined: int = 0
    covers_from: datetime | None = None
    covers_to: datetime | None = None
    plan: dict[str, int] | None = None
    results: list[ExpectationResult] = field(default_factory=list)
    preview: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def advice(self) -> str | None:
        return None if self.error is None else advice_for(self.error)

    @property
    def loadable(self) -> bool:
        return self.error is None

    @property
    def already_loaded(self) -> bool:
        return bool(self.plan and self.plan.get("already_loaded"))


def preview_files(
    paths: Sequence[Path],
    *,
    warehouse: Path,
    context: LoadContext,
    workdir: Path,
    progress: Callable[[float, str], None] | None = None,
) -> list[FilePreview]:
    """Read, recognise and validate files without loading anything.

    Zip archives are unpacked into ``workdir`` first (one preview per
    member). What loading would do is asked of the live warehouse on a
    read-only connection. Never raises for a bad file: it gets ``error``.
    """
    previews: list[FilePreview] = []
    members: list[tuple[Path, Path]] = []  # (file to inspect, file to load)
    for number, path in enumerate(paths):
        try:
            _refuse_worklist(path)
            if is_zip(path):
                unpacked = extract_exports(path, workdir / f"zip-{number:03d}")
                members += [(member, path) for member in unpacked]
            else:
                members.append((path, path))
        except FileRejected as error:
            previews.append(FilePreview(path.name, path, error=error.one_line()))
    checks = inspect_files([m for m, _ in members], context, progress=progress)
    try:
        plans = _plans(checks, warehouse)
        for (member, upload), check, plan in zip(members, checks, plans, strict=True):
            previews.append(_preview(check, member, upload, plan))
    finally:
        for check in checks:
            check.close()
    return previews


def _refuse_worklist(path: Path) -> None:
    """A quarantine download holds masked values: loading it would store them.

    Recognised by its first columns, as a CSV or re-saved as a workbook.
    """
    if _first_cells(path)[:4] == list(WORKLIST_COLUMNS[:4]):
        raise FileRejected(
            path.name,
            "this is a quarantine download (personal data masked), not an export; "
            "it cannot be loaded",
        )


def _first_cells(path: Path) -> list[str]:
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.startswith(b"PK\x03\x04"):
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
        first = text.splitlines()[0] if text else ""
        return [cell.strip() for cell in first.split(",")]
    if is_zip(path):
        return []
    try:  # an XLSX workbook: its first row, read without loading the sheet
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            row = next(book.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        finally:
            book.close()
    except Exception:  # a damaged workbook is reported by the reader, not here
        return []
    return [str(cell).strip() for cell in row if cell is not None]


def _plans(checks: list[FileCheck], warehouse: Path) -> list[dict[str, int] | None]:
    if not warehouse.is_file():
        return [_all_new(c) if c.error is None else None for c in checks]
    plans: list[dict[str, int] | None] = []
    with reading(warehouse) as con:
        for check in checks:
            if check.error is not None:
                plans.append(None)
                continue
            try:
                plans.append(plan_counts(con, check))
            except duckdb.CatalogException:
                # An older warehouse without this kind's table: everything is new.
                plans.append(_all_new(check))
            except duckdb.Error:
                plans.append(None)  # the page says it cannot be told before the load
    return plans


def _all_new(check: FileCheck) -> dict[str, int]:
    return {"insert": check.valid_count, "update": 0, "same": 0, "already_loaded": 0}


def _preview(
    check: FileCheck, member: Path, upload: Path, plan: dict[str, int] | None
) -> FilePreview:
    preview = FilePreview(member.name, upload, kind=check.kind)
    if check.error is not None:
        preview.error = check.error.one_line()
        return preview
    prepared = check.prepared
    preview.source = prepared.source
    preview.rows_read = check.rows_read
    preview.quarantined = check.quarantined
    preview.covers_from, preview.covers_to = check.covers
    preview.plan = plan
    preview.results = list(check.validation.results)
    preview.preview = first_rows(member, prepared.source)
    preview.notes = list(prepared.notes)
    if prepared.unmatched_headers:
        shown = ", ".join(prepared.unmatched_headers[:8])
        more = ", …" if len(prepared.unmatched_headers) > 8 else ""
        preview.notes.append(f"Columns not used: {shown}{more}")
    return preview


def first_rows(path: Path, source: str | None, n: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first ``n`` data rows as read (text), indexed by spreadsheet row,
    personal columns masked."""
    table = read_table(path)
    try:
        frame = table.con.execute(
            f"select * from {table.name} order by _source_row limit ?", [n]
        ).df()
    finally:
        table.con.close()
    frame = frame.set_index("_source_row")
    frame.index.name = "row"
    return mask_frame(frame, source)
