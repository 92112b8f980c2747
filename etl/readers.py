"""Read an export file into a table of strings, whatever its encoding and traps.

Every value comes back as text (or NULL) in the in-memory DuckDB table
``source``, with ``_source_row`` numbered as a spreadsheet shows it (the
header is row 1 unless title lines sit above it; a value spanning lines is
one row; a blank line is a row too).

CSV parsing is DuckDB's strict parser for well-formed files (fast, handles
quoted newlines); DuckDB padding short rows for ragged ones whose quotes
pair up (a million rows in a few seconds); and Python's ``csv`` module,
row by row, for the rest (blank lines between rows, an unpaired quote, a
row too wide), so that every problem is named by its row (slower: about
ten seconds a million rows, only for damaged files). This module prepares
what none of them can guess: the encoding from the BOM, a leading ``sep=``
line, one-cell title lines above the header, ragged rows (padded with
NULL), duplicate header names (``Views (2)``). XLSX goes through openpyxl;
formula cells are kept as their formula text (``=HYPERLINK(...)``), never
evaluated or replaced by the value Excel cached.

Refused, with a one-line message naming the file (and row and column when
the problem has a place), never a traceback:

- files over ``core.config.MAX_FILE_BYTES``, empty files, binary data, PDFs,
  old-format (``.xls``) or password-protected workbooks, damaged zips and
  workbooks, workbooks that unpack to more than ``MAX_FILE_BYTES``;
- text that is not one encoding throughout (UTF-8 rows next to cp1252
  rows), or UTF-16 cut short in the middle of a character;
- more than ``MAX_COLUMNS`` columns; a value over ``MAX_VALUE_CHARS``
  characters (in practice a quote that is never closed);
- a quote that is never closed; text after a closing quote; in a file of
  one table, a row with more (non-blank) values than the header has
  columns (a comma that was not quoted shifts every later value into the
  wrong column). A file of several tables (Meta's ``Audience.csv``: one-cell
  title rows between tables of other widths) may have rows of any width.

Excel re-save damage (``export-formats.md``). Repaired only when the file
itself leaves no doubt, with a note in ``RawTable.notes`` (the person
loading it should see it):

- **Every row wrapped in one quoted field** (the file was pasted into
  column A and saved again): every non-blank line is a single field and
  at least one holds a comma. Each field is exactly the original line, so
  unwrapping loses nothing. When only *some* rows are wrapped the file is
  refused: which rows were touched cannot be trusted.
- **Semicolons with the ``sep=`` line gone**: the header has more ``;``
  than ``,``, every row split on ``;`` has exactly the header's number of
  values, and no value is a number written with a decimal comma
  (``2,5``: two and a half in the locale that wrote ``;``, twenty-five to
  every reader here). Then the file is read with ``;``. Otherwise refused.

Refused because the original cannot be recovered: cells that are Excel's
rendering of a number or code it turned into a date (``16-Jan``,
``Jan-16``: no export writes a value so), and in a workbook a whole number
of 16 or more digits (an id typed as a number: Excel keeps 15). Long ids
rounded in a CSV (``1.88896E+18``) are left to the sources, which know
their ids' form and quarantine such rows. Dates
rewritten as ``DD-MM-YYYY`` are the sources' business: a platform export is
read only when the file settles day versus month (YouTube ``Totals.csv``)
and refused otherwise; the cell's registers read numeric dates in the order
the file proves or ``date_order`` in the settings gives, and refuse a file
that is ambiguous (``etl.sources.common.read_register_dates``). Every refusal for damage asks the user to
download the export again and not open it in Excel first (``REDOWNLOAD``).

``reject_embedded_headers`` finds a second export's header inside the
rows (two exports joined into one file, or another platform's rows
appended); ``etl.detect`` calls it once it knows the file's kind.
"""

from __future__ import annotations

import codecs
import csv
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pandas as pd

from core.config import MAX_FILE_BYTES
from core.errors import FileRejected
from core.sql import quote_identifier
from etl import memory

SNIFF_BYTES = 256 * 1024
MAX_COLUMNS = 2000
MAX_TITLE_LINES = 5
# The longest value read (characters). Every platform's longest field (a
# Facebook caption: 63,206) and any complaint text fit many times over.
MAX_VALUE_CHARS = 1_000_000
# What a workbook may unpack to (its XML), like a CSV's size limit.
MAX_UNPACKED_BYTES = MAX_FILE_BYTES
REDOWNLOAD = "download the export again and load it without opening it in Excel first"

OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")
_NOT_SPACE = re.compile(r"\S")
_DECIMAL_COMMA = re.compile(r"^[-+]?\d[\d.\s]*,\d+\s*%?$")
# Cells that only Excel writes: a number or code shown as a date (d-mmm,
# mmm-yy). (Long ids Excel rounded, ``1.88896E+18``, are the sources' to
# quarantine: each source knows its id's form.)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_EXCEL_DAMAGE = rf"(?i)^(\d{{1,2}}-({_MONTHS})|({_MONTHS})-\d{{2}})$"
# Every value _EXCEL_DAMAGE matches is this long ("3-Apr", "03-Apr", "Apr-26"):
# the length, stored with each string, rules out almost every cell for free.
_EXCEL_DAMAGE_LENGTHS = (5, 6)
# A cell that is a number, a date or a time: data rows have one, headers do not.
_NUMERIC_CELL = r"^[\s\d.,:/+%TZ()-]*\d[\s\d.,:/+%TZ()-]*$"
_SEPARATOR = "\x1f"

# Python's csv refuses fields over 128 KiB by default; DuckDB reads lines up
# to 64 MiB. Values are checked against MAX_VALUE_CHARS after reading.
csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))


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
    """An in-memory DuckDB without its terminal progress bar, in bounded memory."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    memory.bound(con)
    return con


def read_table(path: Path) -> RawTable:
    """Read a CSV or XLSX export into an in-memory DuckDB table of strings.

    Raises ``FileRejected`` with a plain-words message for anything that is
    not a readable table (see the module docstring for what is refused).
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRejected(
            path.name,
            f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes "
            f"({MAX_FILE_BYTES // 2**20} MB): export a shorter period",
        )
    if size == 0:
        raise FileRejected(path.name, "the file is empty")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(path)
        if kind == "xlsx":
            table = _read_xlsx(path)
        elif kind == "zip":
            raise FileRejected(path.name, "this is a zip archive, not a CSV or XLSX file")
        else:
            raise FileRejected(
                path.name,
                "the file is a damaged zip or Excel workbook (cut short while downloading?); "
                "download it again",
            )
    elif head.startswith(b"%PDF"):
        raise FileRejected(path.name, "this is a PDF, not a CSV or XLSX export")
    elif head.startswith(OLE_SIGNATURE):
        raise FileRejected(
            path.name,
            "this is an old-format (.xls) or password-protected Excel file: save it from "
            "Excel as an .xlsx workbook without a password, or load the CSV export instead",
        )
    else:
        table = _read_csv(path)
    try:
        _check_values(table)
    except FileRejected:
        table.con.close()
        raise
    return table


def _zip_kind(path: Path) -> str:
    """``xlsx``, ``zip`` (another archive) or ``damaged``."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "xlsx" if "xl/workbook.xml" in archive.namelist() else "zip"
    except (zipfile.BadZipFile, OSError, ValueError):
        return "damaged"


# --- encodings --------------------------------------------------------------


def detect_encoding(sample: bytes, file_name: str) -> str:
    """Encoding from the BOM; UTF-8 if it decodes, else cp1252 for old files.

    A sample holding both UTF-8 characters and bytes that are not UTF-8 is
    two files' text pasted together: refused, never decoded into mojibake.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if b"\x00" in sample:
        raise FileRejected(file_name, "the file holds binary data, not text: is it really a CSV?")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # A multi-byte character may be cut at the end of the sample.
        if len(sample) >= SNIFF_BYTES and error.start >= len(sample) - 3:
            return "utf-8"
        _reject_mixed(sample, error.start, file_name)
        return "cp1252"


def _reject_mixed(raw: bytes, bad_at: int, file_name: str) -> None:
    """Refuse ``raw`` when it holds UTF-8 characters besides non-UTF-8 bytes."""
    found = _UTF8_MULTIBYTE.search(raw)
    if found is None:
        return
    utf8_line = raw[: found.start()].count(b"\n") + 1
    other_line = raw[:bad_at].count(b"\n") + 1
    raise FileRejected(
        file_name,
        f"the file mixes encodings: line {utf8_line} is UTF-8 text and line {other_line} is "
        f"not (rows pasted from another file?); {REDOWNLOAD}",
        row=other_line,
    )


def _decode_text(path: Path) -> tuple[str, str, bool]:
    """The file's text, its encoding, and whether the text is the file as it
    is on disk (so DuckDB can read the file itself)."""
    raw = path.read_bytes()
    encoding = detect_encoding(raw[:SNIFF_BYTES], path.name)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].decode(encoding, errors="replace").count("\n") + 1
        if encoding == "utf-16" and error.reason == "truncated data":
            problem = "the text ends in the middle of a character: the file was cut short"
        else:
            problem = (
                f"the text cannot be read as {encoding}: the file is damaged or mixes encodings"
            )
        raise FileRejected(path.name, f"{problem}; {REDOWNLOAD}", row=line) from None
    if encoding == "cp1252":
        first_bad = next((i for i, b in enumerate(raw) if b >= 0x80), len(raw))
        _reject_mixed(raw, first_bad, path.name)
    text = text.lstrip("\ufeff")
    exact = encoding in ("utf-8", "utf-8-sig")
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # old Mac line ends
        exact = False
    return text, encoding, exact


# --- lines, preamble and Excel repairs --------------------------------------


def _head_lines(text: str, count: int) -> list[tuple[int, str]]:
    """The first ``count`` lines as (offset in text, line without its end)."""
    lines = []
    start = 0
    while len(lines) < count and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        lines.append((start, text[start:end].rstrip("\r")))
        start = end + 1
    return lines


def _lines(text: str) -> Iterator[str]:
    """Lines with their ends, split on ``\\n`` only (as the csv module wants)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _cells(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _unwrap_rows(text: str, file_name: str, notes: list[str]) -> str:
    """Undo Excel's "whole row in one quoted field" when every line is one."""
    head = [line for _, line in _head_lines(text, MAX_TITLE_LINES + 3) if line.strip()]
    if head and head[0].strip().lower().startswith("sep="):
        head = head[1:]
    suspect = next((line for line in head if "," in line or line.startswith('"')), None)
    if suspect is None or not suspect.startswith('"'):
        return text
    cells = _cells(suspect, ",")
    if len(cells) != 1 or "," not in cells[0]:
        return text
    try:
        records = list(csv.reader(_lines(text), strict=True))
    except csv.Error:
        return text
    if any(len(record) > 1 for record in records):
        return text  # a one-cell title line with a comma: not wrapped
    notes.append("every row was wrapped in one quoted field (Excel re-saved the file): unwrapped")
    return "\n".join(record[0] if record else "" for record in records) + "\n"


@dataclass
class _Preamble:
    titles: list[str]
    header_offset: int  # where the header line starts in the text
    header_row: int  # its spreadsheet row
    delimiter: str
    sep_line: bool


def _split_preamble(text: str, file_name: str) -> _Preamble:
    """The ``sep=`` line, title lines, and where the header is."""
    lines = _head_lines(text, MAX_TITLE_LINES + 2)
    delimiter = ","
    index = 0
    sep_line = bool(lines) and lines[0][1].strip().lower().startswith("sep=")
    if sep_line:
        delimiter = lines[0][1].strip()[4:5] or ","
        index = 1
    titles: list[str] = []
    while index < len(lines) and len(titles) < MAX_TITLE_LINES:
        line = lines[index][1]
        cells = _cells(line, delimiter)
        if (
            not sep_line
            and ";" in line
            and len([c for c in _cells(line, ";") if c.strip()])
            > len([c for c in cells if c.strip()])
        ):
            delimiter = ";"  # checked by _semicolons before it is used
            break
        if len([c for c in cells if c.strip()]) > 1:
            break
        if not line.strip() and not titles:
            index += 1
            continue
        titles.append(line.strip().strip('"'))
        index += 1
    if index >= len(lines):
        raise FileRejected(file_name, "no header row found: the file has no table in it")
    return _Preamble(titles, lines[index][0], index + 1, delimiter, sep_line)


def _semicolons(body: str, file_name: str, header_row: int, notes: list[str]) -> None:
    """Accept a ``;`` file Excel wrote only when it is unambiguous (module docstring)."""
    lost = "the columns are separated by semicolons (Excel re-saved the file)"
    try:
        records = csv.reader(_lines(body), delimiter=";", strict=True)
        header = next(records)
        for row, record in enumerate(records, start=header_row + 1):
            if not record:
                continue
            if len(record) != len(header):
                raise FileRejected(
                    file_name,
                    f"{lost} and this row has {len(record)} values for {len(header)} columns; "
                    + REDOWNLOAD,
                    row=row,
                )
            for name, value in zip(header, record, strict=True):
                if _DECIMAL_COMMA.match(value):
                    # A long number may be a phone or CNIC: never echoed.
                    shown = (
                        f" ('{value}' could be {value.replace(',', '.')} or "
                        f"{value.replace(',', '')})"
                        if sum(c.isdigit() for c in value) <= 8
                        else ""
                    )
                    raise FileRejected(
                        file_name,
                        f"{lost} and numbers have decimal commas{shown}; " + REDOWNLOAD,
                        row=row,
                        column=name.strip(),
                    )
    except csv.Error as error:
        raise FileRejected(
            file_name, f"{lost} and cannot be read ({error}); {REDOWNLOAD}"
        ) from None
    notes.append(f"{lost}: read with ';' (every row has the header's number of values)")


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


# --- CSV --------------------------------------------------------------------


def _read_csv(path: Path) -> RawTable:
    text, encoding, exact = _decode_text(path)
    notes: list[str] = []
    unwrapped = _unwrap_rows(text, path.name, notes)
    preamble = _split_preamble(unwrapped, path.name)
    body = unwrapped[preamble.header_offset :]
    header_cells = _cells(_head_lines(body, 1)[0][1] if body else "", preamble.delimiter)
    if len(header_cells) > MAX_COLUMNS:
        raise FileRejected(
            path.name,
            f"the header has {len(header_cells):,} columns; at most {MAX_COLUMNS:,} are read",
        )
    if preamble.delimiter == ";" and not preamble.sep_line:
        _semicolons(body, path.name, preamble.header_row, notes)
    headers = unique_headers(header_cells)
    on_disk = exact and unwrapped is text and preamble.header_offset == 0
    con = quiet_connection()
    try:
        _load_csv(con, path, body, on_disk, headers, preamble)
    except BaseException:
        con.close()
        raise
    table = RawTable(
        path,
        headers,
        con,
        encoding=encoding,
        title_lines=preamble.titles,
        header_row=preamble.header_row,
        notes=notes,
    )
    if table.row_count == 0:
        con.close()
        raise FileRejected(path.name, "the file has a header but no data rows")
    return table


def _load_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    body: str,
    on_disk: bool,
    headers: list[str],
    preamble: _Preamble,
) -> None:
    """Read the rows into ``source``, the fastest way that is exact.

    1. DuckDB's strict parser: a well-formed file (the usual case).
    2. DuckDB padding short rows, with one column more than the header to
       catch rows that are too wide: a ragged file whose quotes pair up
       (an odd number of quote characters means one is never closed, which
       DuckDB would read to the end of the file without a word).
    3. Python's csv module, row by row: a blank line between rows (DuckDB
       skips it, so every later row would be numbered one too low), an
       unpaired quote, or anything DuckDB refuses; it names the row.
    """
    if not _has_inner_blank_line(body):
        with _utf8_file(path, body, on_disk) as file:
            try:
                _duckdb_strict(con, file, headers, preamble)
                return
            except duckdb.Error:
                pass  # ragged rows, stray quotes
            if body.count('"') % 2 == 0:
                try:
                    if _duckdb_padded(con, file, headers, preamble):
                        return
                except duckdb.Error:
                    pass
    _python_csv(con, body, headers, preamble, path.name)


@contextmanager
def _utf8_file(path: Path, body: str, on_disk: bool) -> Iterator[str]:
    """The file itself when DuckDB can read it as it is; else ``body``
    written once, as UTF-8, to a private temporary file removed after."""
    if on_disk:
        yield str(path)
        return
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", newline="") as tmp:
        tmp.write(body)
        tmp.flush()
        yield tmp.name


_OVERFLOW = "__values_past_the_header__"


def _duckdb_padded(
    con: duckdb.DuckDBPyConnection,
    file: str,
    headers: list[str],
    preamble: _Preamble,
) -> bool:
    """Read a ragged file; ``False`` when a row needs the row-by-row reader
    to be judged (too wide, or a whole row in one field)."""
    columns = {**{name: "VARCHAR" for name in headers}, _OVERFLOW: "VARCHAR"}
    con.execute("drop table if exists source")
    con.execute(
        "create table source as "
        "select row_number() over () + $header_row as _source_row, * "
        "from read_csv($file, header = true, auto_detect = false, columns = $columns, "
        "delim = $delim, quote = '\"', escape = '\"', max_line_size = 67108864, "
        "parallel = false, null_padding = true, strict_mode = false)",
        {
            "file": file,
            "columns": columns,
            "delim": preamble.delimiter,
            "header_row": preamble.header_row,
        },
    )
    first, rest = quote_identifier(headers[0]), [quote_identifier(h) for h in headers[1:]]
    only_first = " and ".join(f"{c} is null" for c in rest) or "true"
    several = con.execute(
        f"select count(*) from source where {only_first} and trim({first}) <> '' "
        f"and not contains({first}, $delim)",
        {"delim": preamble.delimiter},
    ).fetchall()[0][0]
    if not several:
        # A file of one table: a row wider than the header, or a whole row in
        # one field, is damage; the row-by-row reader names it exactly.
        damaged = con.execute(
            f"select count(*) from source where trim({_OVERFLOW}) <> '' "
            f"or ({only_first} and contains({first}, $delim))",
            {"delim": preamble.delimiter},
        ).fetchall()[0][0]
        if damaged:
            return False
    con.execute(f"alter table source drop column {_OVERFLOW}")
    return True


def _has_inner_blank_line(body: str) -> bool:
    """A blank line with data after it (DuckDB would skip it and number the
    rows after it one too low); blank lines at the end do not count."""
    found = _BLANK_LINE.search(body)
    return found is not None and _NOT_SPACE.search(body, found.end()) is not None


def _duckdb_strict(
    con: duckdb.DuckDBPyConnection, file: str, headers: list[str], preamble: _Preamble
) -> None:
    columns = {name: "VARCHAR" for name in headers}
    con.execute("drop table if exists source")
    con.execute(
        "create table source as "
        "select row_number() over () + $header_row as _source_row, * "
        "from read_csv($file, header = true, auto_detect = false, columns = $columns, "
        "delim = $delim, quote = '\"', escape = '\"', max_line_size = 67108864)",
        {
            "file": file,
            "columns": columns,
            "delim": preamble.delimiter,
            "header_row": preamble.header_row,
        },
    )


def _python_csv(
    con: duckdb.DuckDBPyConnection,
    body: str,
    headers: list[str],
    preamble: _Preamble,
    file_name: str,
) -> None:
    """Parse row by row, numbering rows as a spreadsheet does, and append the
    rows (padded to the header) to ``source`` in chunks as Arrow tables."""
    width = len(headers)
    delimiter = preamble.delimiter
    damage: tuple[int, str] | None = None  # the first row a one-table file may not hold
    several = False  # a one-cell title row between tables: rows may have any width
    names = ["_source_row", *headers]
    con.execute("drop table if exists source")
    con.execute(
        "create table source (_source_row bigint, "
        + ", ".join(f"{quote_identifier(h)} varchar" for h in headers)
        + ")"
    )
    chunk: list[list] = []
    reader = csv.reader(_lines(body), delimiter=delimiter, strict=True)
    row = preamble.header_row
    try:
        next(reader, None)
        for record in reader:
            row += 1
            if not record:
                continue
            if len(record) == 1 and record[0].strip() and delimiter not in record[0]:
                several = True
            if damage is None:
                problem = _width_problem(record, width, delimiter)
                damage = (row, problem) if problem else None
            chunk.append([row, *record[:width], *[None] * (width - len(record))])
            if len(chunk) >= _CHUNK_ROWS:
                _append(con, names, chunk)
                chunk = []
    except csv.Error as error:
        raise FileRejected(file_name, _csv_problem(str(error)), row=row + 1) from None
    # A file of several tables (Meta's Audience.csv: title rows such as "Top
    # countries" between tables of other widths) has rows of any width; in a
    # file of one table a wider row is damage.
    if damage is not None and not several:
        raise FileRejected(file_name, damage[1], row=damage[0])
    _append(con, names, chunk)
    # Empty values are NULL, as DuckDB's own reader makes them.
    con.execute(
        "update source set "
        + ", ".join(f"{quote_identifier(h)} = nullif({quote_identifier(h)}, '')" for h in headers)
    )


_CHUNK_ROWS = 100_000


def _append(con: duckdb.DuckDBPyConnection, names: list[str], rows: list[list]) -> None:
    if not rows:
        return
    import pyarrow as pa

    columns = list(zip(*rows, strict=True))
    chunk = pa.table(
        [pa.array(columns[0], pa.int64())]
        + [pa.array(column, pa.string()) for column in columns[1:]],
        names=[f"c{i}" for i in range(len(names))],
    )
    con.register("chunk", chunk)
    con.execute("insert into source select * from chunk")
    con.unregister("chunk")


def _width_problem(record: list[str], width: int, delimiter: str) -> str | None:
    """Why a row does not fit a one-table file's header, if it does not."""
    if len(record) == 1 and width > 1 and len(_cells(record[0], delimiter)) >= max(2, width // 2):
        return "the whole row is inside one quoted field (Excel re-saved the file); " + REDOWNLOAD
    if len(record) > width and any(value.strip() for value in record[width:]):
        return (
            f"the row has {len(record)} values but the header has {width} columns "
            f"(a '{delimiter}' inside a value that is not in quotes?); " + REDOWNLOAD
        )
    return None


def _csv_problem(error: str) -> str:
    if "unexpected end of data" in error:
        return f"a quoted value is never closed (it runs to the end of the file); {REDOWNLOAD}"
    if "expected after" in error:
        return f"a quoted value has text after its closing quote; {REDOWNLOAD}"
    return f"the CSV cannot be parsed ({error}); {REDOWNLOAD}"


# --- XLSX -------------------------------------------------------------------


def _read_xlsx(path: Path) -> RawTable:
    _check_unpacked_size(path)
    rows = _xlsx_rows(path)
    if not rows:
        raise FileRejected(path.name, "the workbook's first sheet is empty")
    titles: list[str] = []
    while len(titles) < len(rows) and len(titles) < MAX_TITLE_LINES:
        cells = [c for c in rows[len(titles)][1] if c is not None]
        if len(cells) > 1:
            break
        titles.append(cells[0])
    if len(titles) == len(rows) or len([c for c in rows[len(titles)][1] if c]) <= 1:
        raise FileRejected(
            path.name,
            "no header row found: no row of the first sheet has more than one value",
        )
    header_row, header_cells = rows[len(titles)]
    data = rows[len(titles) + 1 :]
    width = max(len(cells) for _, cells in rows[len(titles) :])
    headers = unique_headers([c or "" for c in header_cells] + [""] * (width - len(header_cells)))
    for number, cells in data:
        for index, cell in enumerate(cells):
            if isinstance(cell, _Rounded):
                raise FileRejected(
                    path.name,
                    f"a number of {len(cell.lstrip('-'))} digits: Excel keeps 15, so an id "
                    f"typed as a number has lost its last digits; {REDOWNLOAD}",
                    row=number,
                    column=headers[index],
                )
    frame = pd.DataFrame(
        [cells + [None] * (width - len(cells)) for _, cells in data],
        columns=headers,
        dtype=object,
    )
    frame.insert(0, "_source_row", pd.Series([number for number, _ in data], dtype="int64"))
    con = quiet_connection()
    con.register("frame", frame)
    con.execute(
        "create table source as select _source_row, "
        + ", ".join(
            f"cast({quote_identifier(h)} as varchar) as {quote_identifier(h)}" for h in headers
        )
        + " from frame"
    )
    con.unregister("frame")
    if frame.empty:
        con.close()
        raise FileRejected(path.name, "the sheet has a header but no data rows")
    return RawTable(path, headers, con, encoding="xlsx", title_lines=titles, header_row=header_row)


def _check_unpacked_size(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        declared = sum(member.file_size for member in archive.infolist())
    if declared > MAX_UNPACKED_BYTES:
        raise FileRejected(
            path.name,
            f"the workbook unpacks to {declared / 2**20:,.0f} MB; the limit is "
            f"{MAX_UNPACKED_BYTES // 2**20} MB: export a shorter period, or as CSV",
        )


def _xlsx_rows(path: Path) -> list[tuple[int, list[str | None]]]:
    """Non-blank rows of the first sheet as (sheet row, cells as text)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise FileRejected(
            path.name, f"the Excel file cannot be opened ({_first_line(error)}); download it again"
        ) from None
    rows = []
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            while cells and cells[-1] is None:
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise FileRejected(
                    path.name,
                    f"the sheet has {len(cells):,} columns; at most {MAX_COLUMNS:,} are read",
                    row=number,
                )
            if cells:
                rows.append((number, cells))
    except FileRejected:
        raise
    except Exception as error:
        raise FileRejected(
            path.name, f"the Excel file cannot be read ({_first_line(error)}); download it again"
        ) from None
    finally:
        workbook.close()
    return rows


def _first_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


class _Rounded(str):
    """A whole number of 16 or more digits read from a workbook: Excel keeps
    15 significant digits, so the rest were lost (an id typed as a number)."""


def _cell_text(value: Any) -> str | None:
    """Excel cell as text: datetimes in ISO form, whole floats without ``.0``,
    formulas as their text; a whole number Excel could not hold exactly comes
    back marked (``_Rounded``) for the caller to refuse."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return _Rounded(int(value)) if abs(value) >= 1e15 else str(int(value))
    text = str(value)
    return text if text.strip() else None


# --- checks on the values read ----------------------------------------------


def _check_values(table: RawTable) -> None:
    """Refuse values too long to be real and cells only Excel writes."""
    names = table.headers
    lengths = table.con.execute(
        "select "
        + ", ".join(f"max(length({quote_identifier(h)}))" for h in names)
        + f" from {table.name}"
    ).fetchall()[0]
    for name, longest in zip(names, lengths, strict=True):
        if longest is not None and longest > MAX_VALUE_CHARS:
            (row,) = table.con.execute(
                f"select min(_source_row) from {table.name} where length({quote_identifier(name)}) > ?",
                [MAX_VALUE_CHARS],
            ).fetchall()[0]
            raise FileRejected(
                table.path.name,
                f"a value of {longest:,} characters (at most {MAX_VALUE_CHARS:,} are read): "
                f"probably a quote that is never closed; {REDOWNLOAD}",
                row=row,
                column=name,
            )
    found = _first_match(table, _EXCEL_DAMAGE, _EXCEL_DAMAGE_LENGTHS)
    if found is not None:
        row, column, value = found
        raise FileRejected(
            table.path.name,
            f"'{value}' is how Excel shows a number or code it turned into a date; {REDOWNLOAD}",
            row=row,
            column=column,
        )


def _first_match(
    table: RawTable, pattern: str, lengths: tuple[int, int]
) -> tuple[int, str, str] | None:
    """The first (row, column, value) whose whole value matches ``pattern``;
    every value it matches is ``lengths[0]`` to ``lengths[1]`` characters."""
    low, high = lengths
    cells = " or ".join(
        f"(length({name}) between {low} and {high} and regexp_full_match({name}, $pattern))"
        for name in (quote_identifier(h) for h in table.headers)
    )
    rows = table.con.execute(
        f"select * from {table.name} where {cells} order by _source_row limit 1",
        {"pattern": pattern},
    ).fetchall()
    if not rows:
        return None
    compiled = re.compile(pattern)
    for name, value in zip(table.headers, rows[0][1:], strict=True):
        if value is not None and compiled.match(value):
            return rows[0][0], name, value
    return None


class _Recognises(Protocol):
    kind: str

    def matches(self, table: RawTable) -> bool: ...


def header_like_rows(table: RawTable, limit: int = 20) -> list[tuple[int, list[str]]]:
    """Data rows that could be a header: three or more values, none of them a
    number, a date or a time (every data row of every export has one)."""
    joined = (
        f"concat_ws('{_SEPARATOR}', " + ", ".join(quote_identifier(h) for h in table.headers) + ")"
    )
    searched = _NUMERIC_CELL.replace("^", f"(^|{_SEPARATOR})").replace("$", f"({_SEPARATOR}|$)")
    rows = table.con.execute(
        f"select * from {table.name} where not regexp_matches({joined}, ?) "
        "order by _source_row limit 500",
        [searched],
    ).fetchall()
    found = []
    for row in rows:
        cells = [value or "" for value in row[1:]]
        if len([c for c in cells if c.strip()]) >= 3:
            found.append((row[0], cells))
            if len(found) >= limit:
                break
    return found


def reject_embedded_headers(
    table: RawTable, source: _Recognises, sources: Iterable[_Recognises]
) -> None:
    """Refuse a file with another export's header inside its rows.

    A row is such a header when, read as a header, it matches one of
    ``sources``: another kind than the file's own (rows of another platform
    appended), or the file's own kind with the file's own header again (two
    exports joined). A row matching the file's own kind with other names
    (the description row of a legacy Page Insights export) is data.
    """
    own = [h.strip().lower() for h in table.headers]
    for row, cells in header_like_rows(table):
        probe = RawTable(table.path, unique_headers(cells), table.con)
        for other in sources:
            try:
                if not other.matches(probe):
                    continue
            except Exception:  # a probe is not a real table; a source may not cope
                continue
            if other.kind == source.kind and [c.strip().lower() for c in cells] != own:
                continue
            shown = ", ".join(c for c in cells[:4] if c.strip())
            what = (
                "the header again: two exports were joined into one file"
                if other.kind == source.kind
                else f"the header of another export ({other.kind}: {shown}, …) inside this "
                f"{source.kind} file"
            )
            raise FileRejected(
                table.path.name,
                f"this row is {what}; load each export as its own file, as downloaded",
                row=row,
            )
