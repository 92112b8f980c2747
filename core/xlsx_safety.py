"""XLSX that is safe to open in a spreadsheet: the workbook twin of ``csv_safety``.

Every text cell gets the same treatment as in a CSV download: a leading
``'`` when it starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return
(``csv_safety.csv_cell``), so the text stays text even after someone saves
the workbook as CSV and opens that. On top of that each text cell is
written with the string type explicitly: openpyxl would otherwise store
text starting with ``=`` as a formula and ``#N/A`` as an error value.
Characters XML cannot hold (control characters other than tab, line feed
and carriage return) are removed rather than failing the whole download.

Timestamps with a time zone are written as Pakistan local time (Excel has
no time zones), the way the pages show them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import datetime

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from core.csv_safety import csv_cell

KARACHI = "Asia/Karachi"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


def sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: no ``[]:*?/\\``, 31 characters at most,
    not starting or ending with ``'``, never empty."""
    clean = _SHEET_NAME_BAD.sub(" ", str(name)).strip().strip("'")[:SHEET_NAME_MAX]
    return clean or "Sheet"


def _cell(sheet: Worksheet, value: object) -> WriteOnlyCell:
    if value is None or value is pd.NA or value is pd.NaT:
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, float) and pd.isna(value):
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = pd.Timestamp(value).tz_convert(KARACHI).tz_localize(None).to_pydatetime()
    if isinstance(value, bool | int | float | datetime) or hasattr(value, "isoformat"):
        try:
            return WriteOnlyCell(sheet, value=value)
        except (ValueError, TypeError):
            pass  # a type Excel has no cell for: written as text below
    text = _ILLEGAL_XML.sub("", csv_cell(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # never a formula or an error value, whatever the text
    return cell


def safe_xlsx(sheets: pd.DataFrame | Mapping[str, pd.DataFrame]) -> bytes:
    """One frame, or ``{sheet name: frame}``, as XLSX bytes with every text
    cell (header included) formula-safe."""
    frames = {"Sheet": sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    book = Workbook(write_only=True)
    used: set[str] = set()
    for name, frame in frames.items():
        title = sheet_name(name)
        base, n = title, 1
        while title.casefold() in used:  # Excel sheet names ignore case
            n += 1
            title = f"{base[: SHEET_NAME_MAX - len(str(n)) - 1]} {n}"
        used.add(title.casefold())
        sheet = book.create_sheet(title)
        sheet.append([_cell(sheet, str(column)) for column in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
