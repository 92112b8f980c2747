"""Several rows per case folded into one item, by rules a column mapping writes.

Police-complaint systems export one row per allegation × officer: the case
id repeats. A mapping with a ``fold`` section says "one item per id" and
how each register column is taken from the case's rows:

- ``earliest`` / ``latest``: the earliest / latest time any row gives
  (blanks ignored); for times only;
- ``latest_if_all``: the latest time, but blank while any row is blank (a
  case is resolved only when every allegation is); for times only;
- ``first`` / ``last``: the value of the case's first / last row in the
  file that has one;
- ``{most_serious: [a, b, …]}``: the first of these register values that
  any row has (``a`` is the most serious); otherwise as ``first``.

Columns the mapping does not name take ``DEFAULT_RULES`` (the earliest
reception and first reply, the latest resolution), else ``first``.
Folding runs in DuckDB on the rows as read (times already parsed, values
already mapped onto the register's vocabularies).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.sql import quote_identifier, quote_literal

TIME_RULES: tuple[str, ...] = ("earliest", "latest", "latest_if_all")
VALUE_RULES: tuple[str, ...] = ("first", "last")
MOST_SERIOUS = "most_serious"

DEFAULT_RULES: dict[str, str] = {
    "received_at": "earliest",
    "first_response_at": "earliest",
    "referred_at": "earliest",
    "field_ack_at": "earliest",
    "field_report_at": "earliest",
    "resolved_at": "latest",
    "reopened_at": "latest",
}

Rule = str | tuple[str, ...]  # a rule name, or ("most_serious", value, ...)


@dataclass(frozen=True)
class FoldRules:
    """One item per id: ``by`` names the id column as the file does."""

    by: str
    rules: Mapping[str, Rule] = field(default_factory=dict)

    def rule(self, column: str) -> Rule:
        return self.rules.get(column, DEFAULT_RULES.get(column, "first"))

    def describe(self, columns: Iterable[str]) -> str:
        """The rules that differ from ``first``, in words (for the load's note)."""
        parts = []
        for column in columns:
            rule = self.rule(column)
            if isinstance(rule, tuple):
                parts.append(f"{column} most serious of {', '.join(rule[1:])}")
            elif rule != "first":
                parts.append(f"{column} {rule.replace('_', ' ')}")
        return "; ".join(parts)


def fold_sql(
    relation: str, columns: Iterable[str], timestamps: Iterable[str], fold: FoldRules
) -> str:
    """SQL folding ``relation`` (``_source_row``, ``inquiry_id``, ``columns``
    and ``<time>__unparsed``) into one row per ``inquiry_id``.

    A row without an id stays a row of its own (it is quarantined for its
    blank id). ``_source_row`` becomes the case's first row; ``_rows_folded``
    counts its rows. A time that could not be read in any row of the case
    is kept (the first such) so that the case is quarantined for it.
    """
    timestamps = set(timestamps)
    selects = [
        "min(_source_row) as _source_row",
        "count(*) as _rows_folded",
        "inquiry_id",
    ]
    for column in columns:
        if column == "inquiry_id":
            continue
        name = quote_identifier(column)
        selects.append(f"{_aggregate(name, fold.rule(column))} as {name}")
        if column in timestamps:
            unparsed = quote_identifier(f"{column}__unparsed")
            selects.append(f"{_first(unparsed)} as {unparsed}")
    return (
        f"select {', '.join(selects)} from {relation} "
        "group by inquiry_id, case when inquiry_id is null then _source_row end"
    )


def _first(name: str) -> str:
    return f"arg_min({name}, _source_row) filter (where {name} is not null)"


def _aggregate(name: str, rule: Rule) -> str:
    if isinstance(rule, tuple):
        cases = " ".join(
            f"when bool_or({name} = {quote_literal(v)}) then {quote_literal(v)}" for v in rule[1:]
        )
        return f"coalesce(case {cases} end, {_first(name)})"
    if rule == "earliest":
        return f"min({name})"
    if rule == "latest":
        return f"max({name})"
    if rule == "latest_if_all":
        return f"case when count({name}) = count(*) then max({name}) end"
    if rule == "last":
        return f"arg_max({name}, _source_row) filter (where {name} is not null)"
    return _first(name)
