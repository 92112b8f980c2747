"""Great Expectations results in plain words, and each load's validation report.

Every load records how its file fared against each check in
``meta.validation_results``: the expectation, the column a person looks at,
whether it passed, how many rows failed it and up to three examples. The
Data page shows these per load (and for a file about to load) as a person
would say them: "channel is one of the accepted values", failing checks
first, examples scrubbed of phone numbers, CNIC numbers and emails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

import duckdb
import pandas as pd

from core.masking import scrub_text

_DATE_SUFFIXES = ("_at", "_date")


class CheckOutcome(Protocol):
    """How one expectation fared (``etl.validate.ExpectationResult`` is one)."""

    @property
    def expectation(self) -> str: ...
    @property
    def column(self) -> str | None: ...
    @property
    def success(self) -> bool: ...
    @property
    def unexpected_count(self) -> int: ...
    @property
    def examples(self) -> Sequence[str]: ...


class StoredOutcome(NamedTuple):
    """A ``CheckOutcome`` as ``meta.validation_results`` keeps it."""

    expectation: str
    column: str | None
    success: bool
    unexpected_count: int
    examples: tuple[str, ...]


def expectation_words(expectation: str, column: str | None) -> str:
    """A Great Expectations check as a person would say it.

    ``column`` is the column a person looks at (helper columns such as
    ``received_at__unparsed`` are reported as ``received_at``).
    """
    column = column or ""
    if ", " in expectation:  # a quarantined row that failed several checks
        return f"several checks failed ({column})"
    words = {
        "expect_column_values_to_not_be_null": f"{column} is filled in",
        "expect_compound_columns_to_be_unique": f"each {column} appears only once in the file",
        "expect_column_value_lengths_to_be_between": f"{column} is not too long",
        "expect_column_values_to_be_in_set": f"{column} is one of the accepted values",
        "expect_column_values_to_match_regex": f"{column} has the expected form",
        "expect_column_values_to_be_null": _null_words(column),
        "expect_column_values_to_be_between": _between_words(column),
    }
    if expectation in words:
        return words[expectation]
    if expectation == "expect_column_pair_values_a_to_be_greater_than_b":
        later, _, earlier = column.partition(", ")
        return f"{later} is not before {earlier}"
    readable = expectation.removeprefix("expect_").replace("_", " ")
    return f"{column}: {readable}" if column else readable


def _null_words(column: str) -> str:
    # Checks on helper columns: a value that could not be read, or a problem found.
    if column == "district":
        return "district is one of the 36 districts, named unambiguously"
    if column.endswith(_DATE_SUFFIXES):
        return f"{column} can be read as a date"
    if column == "extra":
        return "the extra columns can be read"
    return f"{column} can be read (a number or date in the expected form)"


def _between_words(column: str) -> str:
    if column.endswith(_DATE_SUFFIXES):
        return f"{column} is a plausible date (not in the future, not implausibly old)"
    if column == "share":
        return "share is between 0 and 1"
    return f"{column} is not negative"


def results_frame(results: Iterable[CheckOutcome]) -> pd.DataFrame:
    """Validation results for people: check, column, passed, rows failing, examples.

    Failing checks first. Examples are scrubbed of phone numbers, CNIC
    numbers and emails.
    """
    rows = [
        {
            "check": expectation_words(r.expectation, r.column),
            "column": r.column,
            "passed": bool(r.success),
            "rows_failing": int(r.unexpected_count),
            "examples": " · ".join(scrub_text(e) for e in r.examples),
            "expectation": r.expectation,
        }
        for r in results
    ]
    frame = pd.DataFrame(
        rows, columns=["check", "column", "passed", "rows_failing", "examples", "expectation"]
    )
    return frame.sort_values(["passed", "rows_failing"], ascending=[True, False], kind="stable")


VALIDATION_REPORT_SQL = """
with results as (
    select expectation, column_name, success, unexpected_count, examples
    from meta.validation_results
    where load_id = ?
)

select *
from results
order by success, unexpected_count desc, expectation, column_name
"""


def validation_report(con: duckdb.DuckDBPyConnection, load_id: str) -> pd.DataFrame:
    """How one load's file fared against each check: check in plain words,
    column, passed, rows failing and up to three examples (scrubbed)."""
    frame = con.execute(VALIDATION_REPORT_SQL, [load_id]).df()
    results = [
        StoredOutcome(
            row.expectation,
            row.column_name,
            bool(row.success),
            int(row.unexpected_count),
            tuple(row.examples) if row.examples is not None else (),
        )
        for row in frame.itertuples(index=False)
    ]
    return results_frame(results)
