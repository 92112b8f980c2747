"""Pieces every source uses: header matching, text and time parsing in SQL.

Parsing runs in the in-memory DuckDB that holds the file (set work, fast at
a million rows); the result comes back as a pandas DataFrame for Great
Expectations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import duckdb
import pandas as pd

from core.errors import FileRejected
from core.sql import quote_identifier, quote_literal
from core.vocab import fold
from etl.readers import REDOWNLOAD, RawTable

# Register timestamps: ISO dates with a time, as the template and Excel write.
ISO_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
)
_OFFSET = r"(Z|[+-]\d\d(:?\d\d)?)$"
# Share of unreadable values that says the column, not a row, is wrong.
COLUMN_DAMAGE_SHARE = 0.5


def match_headers(headers: Iterable[str], aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """canonical column -> header in the file, matched on folded names."""
    folded = {}
    for header in headers:
        folded.setdefault(fold(header), header)
    found = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            if fold(name) in folded:
                found[canonical] = folded[fold(name)]
                break
    return found


def require_columns(table: RawTable, found: Mapping[str, str], required: Iterable[str]) -> None:
    missing = [column for column in required if column not in found]
    if missing:
        raise FileRejected(
            table.path.name,
            f"required column {', '.join(missing)} is missing "
            f"(the header has: {', '.join(table.headers[:12])}"
            f"{', …' if len(table.headers) > 12 else ''})",
            row=table.header_row,
            column=missing[0],
        )


def text_sql(header: str | None) -> str:
    """A trimmed text column; blank and lone spaces become NULL."""
    if header is None:
        return "cast(null as varchar)"
    return f"nullif(trim({quote_identifier(header)}), '')"


def timestamp_sql(text: str, timezone: str, formats: Iterable[str] = ISO_FORMATS) -> str:
    """SQL turning ``text`` into a UTC TIMESTAMPTZ.

    A value carrying its own offset (``Z``, ``+05:00``) is taken as it says;
    a naive one is wall-clock time in ``timezone``. ISO text uses DuckDB's
    cast (fast); other formats go through ``strptime``.
    """
    formats = tuple(formats)
    if formats == ISO_FORMATS:
        naive = f"try_cast({text} as timestamp)"
    else:
        naive = "try_strptime({}, [{}])".format(text, ", ".join(quote_literal(f) for f in formats))
    return (
        f"case when {text} is null then null "
        f"when regexp_matches(right({text}, 6), '{_OFFSET}') "
        f"then try_cast({text} as timestamptz) "
        f"else timezone({quote_literal(timezone)}, {naive}) end"
    )


def vocabulary_map(
    con: duckdb.DuckDBPyConnection, name: str, column: str, table: Mapping[str, str]
) -> str:
    """Register ``vocab_<name>`` (text -> canonical) for the distinct values of
    ``column`` in table ``texts``; return its name. Folding runs once per
    distinct spelling, not once per row."""
    values = [v for (v,) in con.execute(f"select distinct {column} from texts").fetchall()]
    frame = pd.DataFrame(
        {"text": values, "canonical": [table.get(fold(v)) for v in values]}, dtype=object
    )
    con.register(f"vocab_{name}", frame)
    return f"vocab_{name}"


def reject_damaged_timestamps(
    table: RawTable, frame: pd.DataFrame, columns: Iterable[str], expected: str
) -> None:
    """Reject the file when most values of a timestamp column are unreadable.

    One bad value is a row's problem (quarantine); a whole column written
    as ``14/01/2025`` is the file's (Excel re-saved it): reject it.
    """
    for column in columns:
        unparsed = frame[f"{column}__unparsed"].dropna()
        given = frame[column].notna().sum() + len(unparsed)
        if len(unparsed) >= 5 and len(unparsed) > COLUMN_DAMAGE_SHARE * given:
            first = frame.loc[unparsed.index[0], "_source_row"]
            raise FileRejected(
                table.path.name,
                f"{len(unparsed):,} of {given:,} values are not dates in the form {expected} "
                f"(first: '{unparsed.iloc[0]}'); if Excel rewrote the dates, {REDOWNLOAD}",
                row=int(first),
                column=column,
            )
