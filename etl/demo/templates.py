"""The blank register templates shipped in ``data/templates`` (CSV and Excel).

Each workbook has the header row on its first sheet and a "Columns" sheet
saying what each column holds; ``tests/test_demo.py`` checks the shipped
files are what ``template_files`` makes.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from etl.demo.columns import (
    EVENT_COLUMNS,
    EVENT_DESCRIPTIONS,
    INQUIRY_COLUMNS,
    INQUIRY_DESCRIPTIONS,
)
from etl.demo.workbooks import xlsx_bytes
from etl.demo.writers import csv_bytes


def template_files() -> dict[str, bytes]:
    """The blank register templates of ``data/templates`` (name -> content)."""
    out: dict[str, bytes] = {}
    for stem, columns, descriptions in (
        ("inquiry_register", INQUIRY_COLUMNS, INQUIRY_DESCRIPTIONS),
        ("response_events", EVENT_COLUMNS, EVENT_DESCRIPTIONS),
    ):
        empty = {c: pa.array([], pa.string()) for c in columns}
        out[f"{stem}.csv"] = csv_bytes(empty)
        table = [("column", "description"), *((c, descriptions[c]) for c in columns)]
        datetimes = [c for c in columns if c.endswith("_at") or c == "at"]
        out[f"{stem}.xlsx"] = xlsx_bytes(
            columns,
            {},
            datetimes,
            extra_sheets=[("Columns", table)],
            widths={"summary": 40},
        )
    return out


def write_templates(directory: Path) -> list[Path]:
    """(Re)write the blank templates into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in template_files().items():
        (directory / name).write_bytes(content)
        paths.append(directory / name)
    return paths
