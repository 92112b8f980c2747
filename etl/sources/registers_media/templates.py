"""Blank templates of the media registers, as CSV and XLSX, in ``data/templates``.

Each CSV is the header row alone, UTF-8 with BOM and CRLF (as Excel's "CSV
UTF-8" saves it, so Urdu and Pashto survive). Each XLSX has the header row
on its first sheet (bold, frozen, time columns formatted as date-times) and
a second sheet, ``Columns``, with a one-line description of each column.
``python -m etl.sources.registers_media.templates [folder]`` rewrites them.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.config import DATA_DIR
from core.media_registers import REGISTERS, header_of

TEMPLATES_DIR = DATA_DIR / "templates"
_FIXED_TIME = datetime(2023, 9, 4)  # the media cell's launch: byte-stable workbooks


def headers(register: str) -> list[str]:
    """The template's header row of a register (``REGISTERS`` key)."""
    return [header_of(column) for column in REGISTERS[register][2]]


def csv_bytes(register: str) -> bytes:
    return ("\ufeff" + ",".join(headers(register)) + "\r\n").encode("utf-8")


def xlsx_bytes(register: str) -> bytes:
    _, title, columns = REGISTERS[register]
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Register"
    sheet.append(headers(register))
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        letter = get_column_letter(index)
        wide = column in ("headline", "title", "url", "topic", "notes")
        sheet.column_dimensions[letter].width = 36 if wide else 18
        if column.endswith("_at") or column in ("event_date", "week_start"):
            form = "yyyy-mm-dd hh:mm" if column.endswith("_at") else "yyyy-mm-dd"
            for row in range(2, 501):
                sheet.cell(row=row, column=index).number_format = form
    sheet.freeze_panes = "A2"
    described = wb.create_sheet("Columns")
    described.append(["column", "description"])
    described["A1"].font = bold
    described["B1"].font = bold
    for column, description in columns.items():
        described.append([header_of(column), description])
    described.column_dimensions["A"].width = 28
    described.column_dimensions["B"].width = 110
    described.append([])
    described.append([title])
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_files() -> dict[str, bytes]:
    """File name -> content of every media register template."""
    files: dict[str, bytes] = {}
    for register, (stem, _, _) in REGISTERS.items():
        files[f"{stem}.csv"] = csv_bytes(register)
        files[f"{stem}.xlsx"] = xlsx_bytes(register)
    return files


def write_templates(folder: Path = TEMPLATES_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in template_files().items():
        path = folder / name
        path.write_bytes(content)
        paths.append(path)
    return paths


if __name__ == "__main__":  # pragma: no cover - a developer's convenience
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES_DIR
    for written in write_templates(target):
        print(written)
