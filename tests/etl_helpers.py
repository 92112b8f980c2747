"""Small builders for ETL tests: register files written the way staff write them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd

from etl.sources.inquiries import REGISTER_COLUMNS


def register_row(inquiry_id: str, received_at: str, **values: str) -> dict[str, str]:
    """A valid register row; override any column with keyword arguments."""
    row = {column: "" for column in REGISTER_COLUMNS}
    row.update(
        inquiry_id=inquiry_id,
        received_at=received_at,
        channel="Facebook",
        category="inquiry",
        district="Peshawar",
        requester_gender="male",
        language="Urdu",
        summary="Where do I get a character certificate?",
        requester_name="Test Person",
        requester_phone="0300-0000000",
        requester_cnic="00000-0000000-0",
        requester_email="person@example.org",
        priority="normal",
        status="open",
    )
    row.update(values)
    return row


def write_register(path: Path, rows: list[dict[str, str]], *, bom: bool = True) -> Path:
    frame = pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))
    path.write_text(
        ("\ufeff" if bom else "") + frame.to_csv(index=False), encoding="utf-8", newline=""
    )
    return path


def read_warehouse(path: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
