"""Run a Great Expectations suite on a pandas DataFrame and say what failed.

Each source defines its checks in code beside its loader as a list of
``Check``: a GX expectation plus how to put one failing row into words.
``validate`` returns every failing row (whether or not the suite passed as
a whole) and a per-expectation summary for the validation report.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from core.privacy import redact_message
from etl.gx_import import gx

ROW = "_source_row"
FILE = "_file_index"  # which file of a group a row came from
KEY = "_row_key"  # unique row number across a group of files


@dataclass(frozen=True)
class Check:
    """One expectation and how to describe a row that fails it."""

    expectation: Any
    describe: Callable[[dict[str, Any]], str]
    # Other columns ``describe`` may read from a failing row (e.g. which
    # metric a failing value belongs to).
    context: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.expectation.expectation_type

    @property
    def columns(self) -> str:
        """The columns a person would look at: helper columns named as the
        column they check (``received_at__unparsed`` is ``received_at``)."""
        names = [_shown(n) for n in _columns_of(self) if n != FILE]
        return ", ".join(dict.fromkeys(names))


def _shown(column: str) -> str:
    return column.split("__", 1)[0]


@dataclass(frozen=True)
class ExpectationResult:
    """How one expectation fared, for the validation report."""

    expectation: str
    column: str
    success: bool
    unexpected_count: int
    examples: tuple[str, ...]


@dataclass
class ValidationOutcome:
    failures: pd.DataFrame  # _source_row, expectation, column_name, reason
    results: list[ExpectationResult]

    @property
    def failing_rows(self) -> set[int]:
        return set(self.failures[ROW].tolist())


@lru_cache(maxsize=1)
def _batch_definition() -> Any:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("exports")
    asset = source.add_dataframe_asset("frame")
    return context, asset.add_batch_definition_whole_dataframe("whole")


def validate(
    frame: pd.DataFrame, checks: Sequence[Check], suite_name: str, *, index_column: str = ROW
) -> ValidationOutcome:
    """Validate ``frame`` against ``checks``; ``index_column`` identifies rows.

    ``frame`` may hold several files told apart by ``_file_index``; checks
    about one file (unique ids) use it as part of their key.
    """
    if FILE not in frame.columns:
        frame = frame.assign(**{FILE: 0})
    context, batch_definition = _batch_definition()
    suite = gx.ExpectationSuite(name=f"{suite_name}-{uuid.uuid4().hex[:8]}")
    for index, check in enumerate(checks):
        expectation = check.expectation.copy()
        expectation.meta = {**(expectation.meta or {}), "check": index}
        suite.add_expectation(expectation)
    suite = context.suites.add(suite)
    # Only the columns the checks read: GX hashes and copies what it is given.
    shown_with = list(dict.fromkeys(c for check in checks for c in check.context))
    needed = [index_column, *read_columns(checks)]
    try:
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame[needed]})
        result = batch.validate(
            suite,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [index_column, *shown_with],
            },
        )
    finally:
        context.suites.delete(suite.name)
    return _collect(result.results, checks, index_column)


def _collect(
    results: Sequence[Any], checks: Sequence[Check], index_column: str
) -> ValidationOutcome:
    rows: list[dict[str, Any]] = []
    summaries = []
    for result in results:
        check = checks[result.expectation_config.meta["check"]]
        if result.exception_info and result.exception_info.get("raised_exception"):
            message = result.exception_info.get("exception_message", "unknown error")
            raise RuntimeError(f"expectation {check.name} on {check.columns} failed: {message}")
        failed = result.result.get("unexpected_index_list") or []
        # Reasons quote the offending value, which may be a name and number
        # typed into the wrong column: they are stored (meta.quarantine,
        # meta.validation_results) and shown, so they are masked here, once.
        for entry in failed:
            rows.append(
                {
                    index_column: int(entry[index_column]),
                    "expectation": check.name,
                    "column_name": check.columns,
                    "reason": redact_message(check.describe(entry)),
                }
            )
        examples = tuple(dict.fromkeys(redact_message(check.describe(e)) for e in failed[:3]))
        summaries.append(
            ExpectationResult(check.name, check.columns, not failed, len(failed), examples)
        )
    failures = pd.DataFrame(rows, columns=[index_column, "expectation", "column_name", "reason"])
    return ValidationOutcome(failures, summaries)


def read_columns(checks: Sequence[Check]) -> list[str]:
    """Every column the checks read or quote in their reasons, in order."""
    shown_with = [c for check in checks for c in check.context]
    return list(dict.fromkeys(c for check in checks for c in [*_columns_of(check), *shown_with]))


def _columns_of(check: Check) -> list[str]:
    kwargs = check.expectation.configuration.kwargs
    names = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B")]
    return [n for n in [*names, *kwargs.get("column_list", [])] if n]


def value_text(value: Any) -> str:
    """A failing value as a person would type it."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return "(blank)"
    if isinstance(value, pd.Timestamp):
        return value.tz_convert("Asia/Karachi").strftime("%Y-%m-%d %H:%M PKT")
    return str(value)
