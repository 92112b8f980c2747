"""Read an export file into a table of strings, whatever its encoding and traps.

CSV parsing is DuckDB's (fast, handles quoted newlines); this module only
prepares what DuckDB cannot guess: the encoding from the BOM, a leading
``sep=`` line, one-cell title lines above the header, ragged rows and
duplicate header names. XLSX goes through openpyxl. Every value comes back
as text (or NULL), with ``_source_row`` numbered as a spreadsheet shows it.
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl.config import MAX_FILE_BYTES
from etl.errors import FileRejected

SNIFF_BYTES = 256 * 1024
MAX_COLUMNS = 2000
MAX_TITLE_LINES = 5
REDOWNLOAD = "download the export again and load it without opening it in Excel first"


@dataclass
class RawTable:
    """A file read as text: header names, and rows in DuckDB table ``name``."""

    path: Path
    headers: list[str]
    con: duckdb.DuckDBPyConnection
    name: str = "source"
    encoding: str = "utf-8"
    title_lines: list[str] = field(default_factory=list)
    header_row: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return self.con.execute(f"select count(*) from {self.name}").fetchall()[0][0]


def quiet_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB without its terminal progress bar."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    return con


def read_table(path: Path) -> RawTable:
    """Read a CSV or XLSX export into an in-memory DuckDB table of strings.

    Raises ``FileRejected`` with a plain-words message for anything that is
    not a readable table.
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRejected(
            path.name,
            f"the file is {size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB",
        )
    if size == 0:
        raise FileRejected(path.name, "the file is empty")
    head = path.open("rb").read(8)
    if head.startswith(b"PK\x03\x04"):
        if _is_xlsx(path):
            return _read_xlsx(path)
        raise FileRejected(path.name, "this is a zip archive, not a CSV or XLSX file")
    if head.startswith(b"%PDF"):
        raise FileRejected(path.name, "this is a PDF, not a CSV or XLSX export")
    return _read_csv(path)


def _is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def detect_encoding(sample: bytes, file_name: str) -> str:
    """Encoding from the BOM; UTF-8 if it decodes, else cp1252 for old files."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if b"\x00" in sample:
        raise FileRejected(file_name, "the file holds binary data, not text: is it really a CSV?")
    try:
        # A multi-byte character may be cut at the end of the sample.
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if len(sample) >= SNIFF_BYTES and error.start >= len(sample) - 3:
            return "utf-8"
        return "cp1252"


def _decode_text(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    encoding = detect_encoding(raw[:SNIFF_BYTES], path.name)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FileRejected(
            path.name,
            f"the text cannot be read as {encoding} (line {line}): the file is damaged or "
            f"mixes encodings; {REDOWNLOAD}",
            row=line,
        ) from None
    return text.lstrip("\ufeff"), encoding


def _split_preamble(text: str, file_name: str) -> tuple[list[str], int, str]:
    """Return (title lines, line index of the header, delimiter)."""
    lines = text.splitlines()[: MAX_TITLE_LINES + 2]
    delimiter = ","
    skip = 0
    titles: list[str] = []
    if lines and lines[0].strip().lower().startswith("sep="):
        delimiter = lines[0].strip()[4:5] or ","
        skip = 1
    first = lines[skip] if skip < len(lines) else ""
    if delimiter == "," and first.count(";") >= 1 and first.count(";") > first.count(","):
        raise FileRejected(
            file_name,
            "the columns are separated by semicolons: the file was re-saved by Excel; "
            + REDOWNLOAD,
            row=skip + 1,
        )
    while skip < len(lines) and len(titles) < MAX_TITLE_LINES:
        cells = next(csv.reader([lines[skip]], delimiter=delimiter), [])
        if len([c for c in cells if c.strip()]) > 1:
            break
        if not lines[skip].strip() and not titles:
            skip += 1
            continue
        titles.append(lines[skip].strip().strip('"'))
        skip += 1
    if skip >= len(lines):
        raise FileRejected(file_name, "no header row found: the file has no table in it")
    return titles, skip, delimiter


def unique_headers(names: list[str]) -> list[str]:
    """Blank names become ``column_N``; repeats get `` (2)``, `` (3)``."""
    seen: dict[str, int] = {}
    result = []
    for index, name in enumerate(names, start=1):
        name = name.strip() or f"column_{index}"
        count = seen.get(name.lower(), 0) + 1
        seen[name.lower()] = count
        result.append(name if count == 1 else f"{name} ({count})")
    return result


def _read_csv(path: Path) -> RawTable:
    text, encoding = _decode_text(path)
    titles, skip, delimiter = _split_preamble(text, path.name)
    body = text.split("\n", skip)[-1] if skip else text
    header_cells = next(csv.reader(io.StringIO(body), delimiter=delimiter), [])
    if len(header_cells) > MAX_COLUMNS:
        raise FileRejected(
            path.name,
            f"the header has {len(header_cells):,} columns; at most {MAX_COLUMNS:,} are read",
        )
    headers = unique_headers(header_cells)
    con = quiet_connection()
    if encoding in ("utf-8", "utf-8-sig") and skip == 0:
        _duckdb_read(con, str(path), headers, delimiter, path.name, header_row=1)
    else:
        # DuckDB reads UTF-8 from the first line; anything else is re-encoded
        # once into a private temporary file, removed as soon as it is read.
        with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", newline="") as tmp:
            tmp.write(body)
            tmp.flush()
            _duckdb_read(con, tmp.name, headers, delimiter, path.name, header_row=skip + 1)
    table = RawTable(path, headers, con, encoding=encoding, title_lines=titles, header_row=skip + 1)
    if table.row_count == 0:
        raise FileRejected(path.name, "the file has a header but no data rows")
    return table


def _duckdb_read(
    con: duckdb.DuckDBPyConnection,
    file: str,
    headers: list[str],
    delimiter: str,
    file_name: str,
    header_row: int,
) -> None:
    base = (
        "header = true, all_varchar = true, names = $names, delim = $delim, "
        "quote = '\"', escape = '\"', max_line_size = 67108864"
    )
    # Fast parallel read first; ragged rows need the serial reader with padding.
    attempts = ["", ", parallel = false, null_padding = true, strict_mode = false"]
    last_error: Exception | None = None
    for extra in attempts:
        try:
            con.execute("drop table if exists source")
            con.execute(
                "create table source as "
                "select row_number() over () + $header_row as _source_row, * "
                f"from read_csv($file, {base}{extra})",
                {"file": file, "names": headers, "delim": delimiter, "header_row": header_row},
            )
            return
        except duckdb.Error as error:
            last_error = error
    raise FileRejected(file_name, _duckdb_csv_message(str(last_error), header_row)) from None


def _duckdb_csv_message(message: str, header_row: int) -> str:
    first = message.strip().splitlines()[0] if message.strip() else "unreadable CSV"
    first = first.replace("CSV Error on Line:", "CSV error on line")
    return f"the CSV cannot be parsed ({first}); {REDOWNLOAD}"


def _read_xlsx(path: Path) -> RawTable:
    try:
        frame = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except Exception as error:  # openpyxl raises many types for damaged files
        raise FileRejected(path.name, f"the Excel file cannot be opened ({error})") from None
    frame = frame.dropna(how="all")
    if frame.empty:
        raise FileRejected(path.name, "the workbook's first sheet is empty")
    titles: list[str] = []
    while len(titles) < MAX_TITLE_LINES and frame.iloc[len(titles)].notna().sum() <= 1:
        titles.append(str(frame.iloc[len(titles)].dropna().iloc[0]))
    header_index = frame.index[len(titles)]
    headers = unique_headers([_cell_text(v) or "" for v in frame.loc[header_index]])
    data = frame.loc[frame.index > header_index]
    strings = pd.DataFrame(
        {name: [_cell_text(v) for v in data.iloc[:, i]] for i, name in enumerate(headers)},
        dtype=object,
    )
    strings.insert(0, "_source_row", (data.index + 1).astype("int64"))
    con = quiet_connection()
    con.register("frame", strings)
    con.execute("create table source as select * from frame")
    con.unregister("frame")
    if strings.empty:
        raise FileRejected(path.name, "the sheet has a header but no data rows")
    return RawTable(
        path, headers, con, encoding="xlsx", title_lines=titles, header_row=header_index + 1
    )


def _cell_text(value: object) -> str | None:
    """Excel cell as text: datetimes in ISO form, whole floats without ``.0``."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None
