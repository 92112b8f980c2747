"""Text writers every demo export shares: CSV as Excel and the vendors write it, timestamps.

Arrow compute builds the text: pandas' CSV writer and openpyxl's cell
writer take seconds for 100,000 rows, this takes a fraction of one, and the
bytes are exactly what the columns say (no float formatting, no index).

* ``csv_text`` / ``csv_bytes``: a header line and rows, quoting chosen per
  layout (``MINIMAL_QUOTE`` as Excel, ``META_QUOTE`` as Meta, or any
  ``quote_when`` pattern); ``csv_bytes`` adds Excel's BOM and CRLF.
* ``time_text``: minutes since an origin as ``YYYY-MM-DD HH:MM`` (the way
  staff type times in a register) or with seconds (a system log).
* ``write_files``: a name -> bytes mapping into a folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

UTF8_BOM = b"\xef\xbb\xbf"
# Zip entries get this time so that workbooks and zips are byte-identical run to run.
ZIP_TIME = (2023, 9, 4, 0, 0, 0)

Quote = Callable[[pa.Array], pa.Array]


def text_array(values: object) -> pa.Array:
    """Text for writing; missing values (None, NaN) become empty strings."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        values = pa.array(values, from_pandas=True)
    if values.type != pa.string():
        values = pc.cast(values, pa.string())
    return pc.fill_null(values, "")


def quoted(values: pa.Array) -> pa.Array:
    """Every field in double quotes, inner quotes doubled."""
    return pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")


def quote_when(pattern: str) -> Quote:
    """Quote a field when it matches ``pattern`` (Meta: a space too; others: minimal)."""

    def quote(values: pa.Array) -> pa.Array:
        # Most columns hold few distinct values: look at those before every row.
        if not pc.any(pc.match_substring_regex(pc.unique(values), pattern)).as_py():
            return values
        return pc.if_else(pc.match_substring_regex(values, pattern), quoted(values), values)

    return quote


MINIMAL_QUOTE = quote_when('[,"\r\n]')  # as Excel: a comma, quote or line break
META_QUOTE = quote_when('[ ,"\r\n]')


def csv_text(
    header: Sequence[str],
    columns: Sequence[object],
    *,
    quote: Quote = MINIMAL_QUOTE,
    header_quote: Quote | None = None,
    sep: str = ",",
    eol: str = "\n",
    ragged: np.ndarray | None = None,
    ragged_fields: int = 0,
) -> str:
    """CSV text: header line and rows; ``ragged`` rows keep only their first ``ragged_fields``."""
    names = (header_quote or quote)(pa.array(list(header), pa.string())).to_pylist()
    fields = [quote(text_array(c)) for c in columns]
    if not fields or not len(fields[0]):
        return sep.join(names) + eol
    lines = pc.binary_join_element_wise(*fields, sep)
    if ragged is not None and ragged.any():
        short = pc.binary_join_element_wise(*fields[:ragged_fields], sep)
        lines = pc.if_else(pa.array(ragged), short, lines)
    return eol.join([sep.join(names), *lines.to_pylist()]) + eol


def csv_bytes(columns: dict[str, object], *, bom: bool = True, crlf: bool = True) -> bytes:
    """CSV of ``columns`` (name -> values) as Excel's "CSV UTF-8" writes it: BOM and CRLF."""
    text = csv_text(list(columns), list(columns.values()), eol="\r\n" if crlf else "\n")
    return (UTF8_BOM if bom else b"") + text.encode("utf-8")


def utf8_bom(text: str) -> bytes:
    return UTF8_BOM + text.encode("utf-8")


def ints(values: np.ndarray) -> pa.Array:
    """Whole numbers as text (no ``.0``)."""
    return pc.cast(pa.array(np.asarray(values, np.int64)), pa.string())


def blank_unless(mask: np.ndarray, values: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(mask, bool)), values, "")


def constant(value: str, n: int) -> pa.Array:
    return pa.array([value] * n, pa.string())


def strftime(stamps: np.ndarray, fmt: str) -> pa.Array:
    """``datetime64`` values formatted with ``fmt`` (``%e``: day without padding)."""
    text = pc.strftime(pa.array(stamps.astype("datetime64[s]")), format=fmt)
    return pc.replace_substring(text, "  ", " ")  # %e pads days with a space


def to_datetime64(minutes: np.ndarray, origin: datetime) -> np.ndarray:
    """Minutes since ``origin`` as ``datetime64[s]`` (NaT for NaN)."""
    seconds = np.round(np.nan_to_num(minutes, nan=0.0) * 60.0).astype(np.int64)
    values = np.datetime64(origin, "s") + seconds.astype("timedelta64[s]")
    return np.where(np.isnan(minutes), np.datetime64("NaT"), values)


def minute_str(minutes: float, origin: datetime) -> str:
    """One time, minutes since ``origin``, as ``YYYY-MM-DD HH:MM`` (floored)."""
    return (origin + timedelta(minutes=float(np.floor(minutes)))).strftime("%Y-%m-%d %H:%M")


def time_text(minutes: np.ndarray, origin: datetime, *, seconds: bool = False) -> pa.Array:
    """Minutes since ``origin`` as ``YYYY-MM-DD HH:MM`` (``:SS`` with ``seconds``).

    Register times are floored to the minute, as staff type them; a system
    log keeps its seconds. Blank for NaN.
    """
    minutes = np.asarray(minutes, float)
    missing = np.isnan(minutes)
    step = np.nan_to_num(minutes) if seconds else np.floor(np.nan_to_num(minutes))
    offsets = np.floor(step * 60.0 + 1e-6).astype(np.int64).astype("timedelta64[s]")
    stamps = np.datetime64(origin, "s") + offsets
    text = pa.array(np.datetime_as_string(stamps, unit="s" if seconds else "m"))
    text = pc.replace_substring(text, "T", " ")
    return pc.if_else(pa.array(missing), "", text)


def write_files(root: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (path under ``root`` -> content), making folders; return the paths."""
    paths = []
    for name, content in files.items():
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        paths.append(path)
    return paths
