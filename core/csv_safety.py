"""CSV that is safe to open in a spreadsheet.

Every CSV the app writes (quarantine worklists, overdue lists, reports)
goes through here: cells a spreadsheet would run as a formula get a
leading apostrophe (OWASP CSV injection), text is otherwise kept exactly,
and the file is UTF-8 with a BOM so Excel shows Urdu and Pashto correctly.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell as text, a leading ``'`` added when a spreadsheet would run it as
    a formula (OWASP's CSV-injection advice); other text is kept exactly."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and pd.isna(value):
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells and column names made safe as ``csv_cell``
    makes them, for tables a page shows: Streamlit's own "Download as CSV"
    button on every table writes cells as they are."""
    safe = frame.rename(columns=lambda c: csv_cell(c) if isinstance(c, str) else c)
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: csv_cell(v) if isinstance(v, str) else v)
    return safe


def safe_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes for a spreadsheet: UTF-8 with BOM (Excel then shows
    Urdu and Pashto correctly), every cell, header included, injection-safe."""
    text = frame.astype(object).map(csv_cell)
    text.columns = [csv_cell(c) for c in frame.columns]
    buffer = io.StringIO()
    text.to_csv(buffer, index=False, lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
