"""Quoting for the few SQL texts that cannot take ``?`` parameters.

DuckDB binds values with ``?``, and every query that can uses that. Some
statements cannot: a column name taken from a file's header, a ``create
macro`` body, a ``case`` folded from a mapping's vocabulary. Those quote
here, in one place, so there is one rule to review.
"""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    """``name`` as a double-quoted SQL identifier (``"a""b"`` for ``a"b``)."""
    return '"' + str(name).replace('"', '""') + '"'


def quote_literal(value: object) -> str:
    """``value`` as a single-quoted SQL string literal (``'it''s'``)."""
    return "'" + str(value).replace("'", "''") + "'"
