"""Where a file's prepared rows live, and the set work the loader asks of them.

A source prepares a file's rows either as a pandas frame (the social
exports: a few thousand rows, shaped in Python) or as a table in the
file's own DuckDB connection (the inquiry registers: up to a million rows,
canonicalised in SQL and never pulled whole into Python). The loader asks
both the same things through ``PreparedRows``:

* which rows Great Expectations must see (``suspects``): a superset of the
  rows any check fails, found by a predicate per expectation, so GX
  validates a handful of rows, not the file. GX stays the judge: a row's
  verdict under a row-level expectation never depends on the other rows, so
  GX on the suspects reports exactly what it would on the whole file. An
  expectation no predicate can vouch for sends every row to GX;
* how many rows pass, the period they cover, the passing rows to write
  (``incoming``: a frame, or a stream of Arrow batches DuckDB reads
  without the rows ever being held whole), the ids of failing rows.

The predicates for a frame are pandas masks; for a table, SQL. Each is the
negation of what GX accepts for its expectation, including GX's rule that
value checks skip blank cells. A regular expression is handed to DuckDB
only when RE2 reads it as Python does (no class escapes like ``\\d``, whose
meaning differs); otherwise it is tested in Python over the column's
distinct values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

import duckdb
import pandas as pd

from etl.validate import ROW, Check

BATCH_ROWS = 100_000

# Expectation -> the keyword arguments whose meaning the predicates know
# (any other argument, ``mostly`` or a condition, and GX sees every row).
_EXACT_KWARGS = {
    "expect_column_values_to_not_be_null": {"column"},
    "expect_column_values_to_be_null": {"column"},
    "expect_column_values_to_be_in_set": {"column", "value_set"},
    "expect_column_value_lengths_to_be_between": {"column", "min_value", "max_value"},
    "expect_column_values_to_be_between": {"column", "min_value", "max_value"},
    "expect_column_values_to_match_regex": {"column", "regex"},
    "expect_column_values_to_not_match_regex": {"column", "regex"},
    "expect_column_pair_values_a_to_be_greater_than_b": {
        "column_A",
        "column_B",
        "or_equal",
        "ignore_row_if",
    },
    "expect_compound_columns_to_be_unique": {"column_list"},
}


def _known_kwargs(check: Check) -> dict[str, Any] | None:
    """The check's arguments, or None when the predicates cannot vouch for it."""
    kwargs = {k: v for k, v in check.expectation.configuration.kwargs.items() if v is not None}
    if check.name not in _EXACT_KWARGS or not set(kwargs) <= _EXACT_KWARGS[check.name]:
        return None
    return kwargs


class PreparedRows(Protocol):
    """What the loader asks of a file's prepared rows (see the module)."""

    def count(self) -> int: ...
    def suspects(self, checks: Sequence[Check], needed: Sequence[str]) -> pd.DataFrame: ...
    def valid_count(self, failing: set[int]) -> int: ...
    def covers(self, column: str, failing: set[int]) -> tuple[datetime | None, datetime | None]: ...
    def incoming(self, columns: Sequence[str], failing: set[int]) -> Any: ...
    def record_ids(self, record_id: str, rows: Sequence[int]) -> pd.Series: ...
    def frame(self) -> pd.DataFrame: ...
    def close(self) -> None: ...


# ------------------------------------------------------------------ frames


class FrameRows:
    """Rows held as a pandas frame."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def count(self) -> int:
        return len(self._frame)

    def frame(self) -> pd.DataFrame:
        return self._frame

    def _valid(self, failing: set[int]) -> pd.DataFrame:
        return self._frame[~self._frame[ROW].isin(failing)] if failing else self._frame

    def valid_count(self, failing: set[int]) -> int:
        return len(self._valid(failing))

    def covers(self, column: str, failing: set[int]) -> tuple[datetime | None, datetime | None]:
        values = self._valid(failing)[column].dropna()
        if values.empty:
            return None, None
        return values.min().to_pydatetime(), values.max().to_pydatetime()

    def incoming(self, columns: Sequence[str], failing: set[int]) -> pd.DataFrame:
        return self._valid(failing)[list(columns)]

    def record_ids(self, record_id: str, rows: Sequence[int]) -> pd.Series:
        # One source row can hold several records (a legacy Page Insights
        # row holds many metrics): any one of them names the row.
        return self._frame.drop_duplicates(ROW).set_index(ROW)[record_id]

    def suspects(self, checks: Sequence[Check], needed: Sequence[str]) -> pd.DataFrame:
        frame = self._frame
        if frame.empty:
            return frame
        suspect = pd.Series(False, index=frame.index)
        for check in checks:
            try:
                mask = _suspect_mask(frame, check)
            except (TypeError, ValueError, KeyError, AttributeError):
                mask = None  # a type the predicate cannot compare: GX decides
            if mask is None:
                return frame
            suspect |= mask.to_numpy(dtype=bool)
        suspect.iloc[0] = True  # GX always runs, and writes its report, on a row at least
        return frame[suspect.to_numpy()]

    def close(self) -> None:
        pass


def _suspect_mask(frame: pd.DataFrame, check: Check) -> pd.Series | None:
    """Rows that might fail ``check`` (a superset of those that do), or None."""
    kwargs = _known_kwargs(check)
    if kwargs is None:
        return None
    name = check.name
    if name == "expect_compound_columns_to_be_unique":
        columns = list(kwargs["column_list"])
        # Every member of a repeated key, and any key with a blank part.
        return frame.duplicated(columns, keep=False) | frame[columns].isna().any(axis=1)
    if name == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = frame[kwargs["column_A"]], frame[kwargs["column_B"]]
        fine = a >= b if kwargs.get("or_equal") else a > b
        suspect = ~fine.fillna(False).astype(bool)
        if kwargs.get("ignore_row_if") == "either_value_is_missing":
            return suspect & a.notna() & b.notna()  # GX skips these rows
        return suspect
    column = frame[kwargs["column"]]
    if name == "expect_column_values_to_not_be_null":
        return column.isna()
    if name == "expect_column_values_to_be_null":
        return column.notna()
    # GX's value expectations skip blank cells (only the null checks see them).
    blank = column.isna()
    if name == "expect_column_values_to_be_in_set":
        return ~column.isin(list(kwargs["value_set"])) & ~blank
    if name in (
        "expect_column_value_lengths_to_be_between",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_not_match_regex",
    ) and not all(isinstance(v, str) for v in column.dropna().head(1000)):
        return None
    if name == "expect_column_value_lengths_to_be_between":
        lengths = column.str.len()
        fine = pd.Series(True, index=frame.index)
        if "min_value" in kwargs:
            fine &= lengths >= kwargs["min_value"]
        if "max_value" in kwargs:
            fine &= lengths <= kwargs["max_value"]
        return ~fine.fillna(False).astype(bool) & ~blank
    if name == "expect_column_values_to_be_between":
        fine = pd.Series(True, index=frame.index)
        if "min_value" in kwargs:
            fine &= column >= kwargs["min_value"]
        if "max_value" in kwargs:
            fine &= column <= kwargs["max_value"]
        return ~fine.fillna(False).astype(bool) & ~blank
    matched = column.str.contains(kwargs["regex"], regex=True).fillna(False).astype(bool)
    if name == "expect_column_values_to_match_regex":
        return ~matched & ~blank
    return matched & ~blank  # expect_column_values_to_not_match_regex


# ------------------------------------------------------------------ tables


class TableRows:
    """Rows held as table ``name`` in ``con`` (the file's own DuckDB, which
    this object closes): counted, filtered and streamed in SQL."""

    def __init__(self, con: duckdb.DuckDBPyConnection, name: str) -> None:
        self.con = con
        self.name = name
        self._failing: frozenset[int] | None = None

    def count(self) -> int:
        return self.con.execute(f"select count(*) from {self.name}").fetchall()[0][0]

    def frame(self) -> pd.DataFrame:
        """Every row as a frame: for tests and small files only."""
        return self.con.execute(f"select * from {self.name} order by {ROW}").df()

    def _passing(self, failing: set[int]) -> str:
        """A condition for the rows that pass (a temporary table of the failing rows)."""
        if not failing:
            return "true"
        if self._failing != frozenset(failing):
            self.con.execute(
                f"create or replace temp table failing_rows as select unnest(?) as {ROW}",
                [sorted(failing)],
            )
            self._failing = frozenset(failing)
        return f"{ROW} not in (select {ROW} from failing_rows)"

    def valid_count(self, failing: set[int]) -> int:
        where = self._passing(failing)
        return self.con.execute(f"select count(*) from {self.name} where {where}").fetchall()[0][0]

    def covers(self, column: str, failing: set[int]) -> tuple[datetime | None, datetime | None]:
        where = self._passing(failing)
        low, high = self.con.execute(
            f"select min({column}), max({column}) from {self.name} where {where}"
        ).fetchall()[0]
        return _utc(low), _utc(high)

    def incoming(self, columns: Sequence[str], failing: set[int]) -> Any:
        """The passing rows as a stream of Arrow record batches (bounded memory)."""
        where = self._passing(failing)
        # In file order: the table was written so (``preserve_insertion_order``).
        return self.con.sql(
            f"select {', '.join(columns)} from {self.name} where {where}"
        ).to_arrow_reader(BATCH_ROWS)

    def record_ids(self, record_id: str, rows: Sequence[int]) -> pd.Series:
        frame = self.con.execute(
            f"select {ROW}, {record_id} from {self.name} where {ROW} in (select unnest(?))",
            [sorted(rows)],
        ).df()
        return frame.drop_duplicates(ROW).set_index(ROW)[record_id]

    def suspects(self, checks: Sequence[Check], needed: Sequence[str]) -> pd.DataFrame:
        """The rows GX must see: those a predicate flags, and the first row."""
        types = dict(
            self.con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_name = ?",
                [self.name],
            ).fetchall()
        )
        conditions: list[str] = [f"{ROW} = (select min({ROW}) from {self.name})"]
        params: list[Any] = []
        for check in checks:
            predicate = self._predicate(check, types)
            if predicate is None:
                conditions = ["true"]  # GX sees every row
                params = []
                break
            sql, values = predicate
            conditions.append(f"({sql})")
            params += values
        columns = ", ".join(dict.fromkeys([ROW, *(c for c in needed if c in types)]))
        return self.con.execute(
            f"select {columns} from {self.name} where {' or '.join(conditions)} order by {ROW}",
            params,
        ).df()

    def _predicate(self, check: Check, types: dict[str, str]) -> tuple[str, list[Any]] | None:
        """SQL true for every row ``check`` might fail, with its parameters."""
        kwargs = _known_kwargs(check)
        if kwargs is None:
            return None
        name = check.name
        if name == "expect_compound_columns_to_be_unique":
            columns = [c for c in kwargs["column_list"] if c in types]
            if not columns:
                return None
            # A column the table lacks is one value per file (the file's number).
            key = ", ".join(columns)
            blank = " or ".join(f"{c} is null" for c in columns)
            return (
                f"{ROW} in (select {ROW} from (select {ROW}, {blank} as blank, "
                f"count(*) over (partition by {key}) as n from {self.name}) "
                "where n > 1 or blank)",
                [],
            )
        if name == "expect_column_pair_values_a_to_be_greater_than_b":
            a, b = kwargs["column_A"], kwargs["column_B"]
            operator = ">=" if kwargs.get("or_equal") else ">"
            if kwargs.get("ignore_row_if") == "either_value_is_missing":
                return f"{a} is not null and {b} is not null and not ({a} {operator} {b})", []
            return f"not coalesce({a} {operator} {b}, false)", []
        column = kwargs["column"]
        if column not in types:
            return None
        if name == "expect_column_values_to_not_be_null":
            return f"{column} is null", []
        if name == "expect_column_values_to_be_null":
            return f"{column} is not null", []
        # GX's value expectations skip blank cells (only the null checks see them).
        if name == "expect_column_values_to_be_in_set":
            values = list(kwargs["value_set"])
            if not all(isinstance(v, str) for v in values) or types[column] != "VARCHAR":
                return None
            return f"{column} is not null and {column} not in (select unnest(?::varchar[]))", [
                values
            ]
        if name == "expect_column_values_to_be_between":
            fine, params = _within(column, kwargs)
            return f"{column} is not null and not coalesce({fine}, false)", params
        if types[column] != "VARCHAR":
            return None
        if name == "expect_column_value_lengths_to_be_between":
            fine, params = _within(f"length({column})", kwargs)
            return f"{column} is not null and not ({fine})", params
        matches = self._matches(column, kwargs["regex"], negated=name.endswith("not_match_regex"))
        if name == "expect_column_values_to_match_regex":
            return f"{column} is not null and not ({matches[0]})", matches[1]
        return f"{column} is not null and ({matches[0]})", matches[1]

    def _matches(self, column: str, pattern: str, *, negated: bool) -> tuple[str, list[Any]]:
        """SQL for "``column`` matches ``pattern`` as Python's ``re.search`` would"."""
        translated = _re2_equivalent(pattern, negated=negated)
        if translated is not None:
            return f"regexp_matches({column}, ?)", [translated]
        # Python decides, once per distinct value.
        regex = re.compile(pattern)
        values = [
            v
            for (v,) in self.con.execute(
                f"select distinct {column} from {self.name} where {column} is not null"
            ).fetchall()
            if regex.search(v)
        ]
        return f"{column} in (select unnest(?::varchar[]))", [values]

    def close(self) -> None:
        self.con.close()


def _within(value: str, kwargs: dict[str, Any]) -> tuple[str, list[Any]]:
    """SQL for ``min_value <= value <= max_value`` (either bound may be absent)."""
    bounds, params = [], []
    for key, operator in (("min_value", ">="), ("max_value", "<=")):
        if key in kwargs:
            bounds.append(f"{value} {operator} ?")
            params.append(kwargs[key])
    return " and ".join(bounds) or "true", params


# Escapes that mean the same in RE2 and Python's ``re`` (literal characters,
# anchors); class escapes (``\d \w \s \b``) are Unicode-aware in Python and
# ASCII in RE2, so a pattern with one is tested in Python.
_SAFE_ESCAPES = set("-.\\/[](){}*+?|^$tnrAZ'\"#&~@=!:,<>%")


def _re2_equivalent(pattern: str, *, negated: bool) -> str | None:
    """``pattern`` as RE2 reads it with Python's meaning, or None if unsure."""
    if not pattern.isascii() or "(?" in pattern.replace("(?:", ""):
        return None  # flags, lookarounds, named groups: Python's own
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char != "\\":
            # Python's ``$`` also matches before a final newline; RE2's does
            # not. For "must match" that only over-reports (GX decides); for
            # "must not match" it could miss a row: Python tests it.
            if char == "$" and negated:
                return None
            out.append(char)
            index += 1
            continue
        escaped = pattern[index + 1 : index + 2]
        if not escaped or escaped not in _SAFE_ESCAPES:
            return None
        out.append("\\z" if escaped == "Z" else "\\" + escaped)  # \Z is RE2's \z
        index += 2
    return "".join(out)


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return pd.Timestamp(value).tz_convert("UTC").to_pydatetime() if value.tzinfo else value
    return value
