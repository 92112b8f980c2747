"""The inquiry register's reference in docs/operations.md, generated from the code.

The columns, their header spellings, the accepted values and every built-in
spelling of them, the date forms, the placeholders read as empty, the words
around district names, the events log's steps and the column mappings' keys
and fold rules are written out here from ``core.vocab``,
``etl.sources.inquiries``, ``etl.districts`` and ``etl.sources.mapped``, so
the document cannot drift from what the ETL accepts.

``python -m etl.register_docs`` rewrites the block between ``BEGIN`` and
``END`` in docs/operations.md; ``tests/test_intake_docs.py`` fails when the
block differs from what this module writes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from core import vocab
from core.config import PROJECT_ROOT
from etl import districts
from etl.sources import folding, inquiries, mapped
from etl.sources.common import numeric_formats
from etl.sources.events import EVENT_NAMES
from etl.sources.events import HEADER_ALIASES as EVENT_HEADERS

DOC = PROJECT_ROOT / "docs" / "operations.md"
BEGIN = "<!-- BEGIN GENERATED: register reference (python -m etl.register_docs) -->"
END = "<!-- END GENERATED: register reference -->"

_KIND = {
    **{c: "date and time" for c in inquiries.TIMESTAMPS},
    **{c: "one of the values below" for c in inquiries.ALLOWED},
    "district": "a district of Khyber Pakhtunkhwa, or none (below)",
    "inquiry_id": "text, unique within the file",
    "referred_to": "text",
}


def _code(items: Iterable[str]) -> str:
    return ", ".join(f"`{item}`" for item in items) or "–"


def _columns() -> list[str]:
    lines = [
        "| column | required | holds | header spellings also read |",
        "|---|---|---|---|",
    ]
    for column in inquiries.REGISTER_COLUMNS:
        kind = _KIND.get(column, "text")
        if column in inquiries.PERSONAL:
            kind += " (personal: never leaves the raw layer)"
        required = "yes" if column in inquiries.REQUIRED else ""
        spellings = _code(inquiries.HEADER_ALIASES.get(column, ()))
        lines.append(f"| `{column}` | {required} | {kind} | {spellings} |")
    return lines


def _values() -> list[str]:
    lines = []
    for column, (values, aliases) in vocab.REGISTER_VOCABULARIES.items():
        default = inquiries.DEFAULTS.get(column)
        blank = f"blank is read as `{default}`" if default else "blank stays blank"
        if column in inquiries.REQUIRED:
            blank = "required"
        if column == "channel":
            blank += f"; `{vocab.UNKNOWN_CHANNEL}` where the system does not record it"
        if column == "status":
            blank = "blank is read as `resolved` when `resolved_at` is filled, else `open`"
        lines += ["", f"**`{column}`** ({blank}):", "", "| value | also read as |", "|---|---|"]
        for value in values:
            spelled = sorted(a for a, target in aliases.items() if target == value and a)
            lines.append(f"| `{value}` | {_code(spelled)} |")
    return lines


def _dates() -> list[str]:
    day = numeric_formats("day-first")
    return [
        "Times (`*_at` columns) may be written:",
        "",
        "- `YYYY-MM-DD HH:MM` (also with seconds, or a `T`, or an offset such as `Z` or "
        "`+05:00`, taken as it says); never ambiguous;",
        "- numeric dates in the order of `date_order` (settings), e.g. day-first: "
        + _code(day[:5])
        + " and the same with `-` or `.` between the parts.",
        "",
        "Read as empty in time columns, value columns and the district (case-insensitive; "
        "also a cell of spaces): " + _code(vocab.PLACEHOLDERS) + ".",
    ]


def _districts() -> list[str]:
    return [
        "Districts: one of the "
        f"{districts.DISTRICT_COUNT} of `data/reference/kp_districts.csv` (name, census unit "
        "or alias; case and punctuation do not matter). Words before or after the name are "
        "dropped when the name as written matches nothing: "
        + _code(sorted(districts.AFFIXES))
        + ". Read as no district (the item counts in the province's totals, in no "
        "district's): blank, or " + _code(sorted(districts.NO_DISTRICT)) + ".",
    ]


def _events() -> list[str]:
    lines = [
        "Response-events log columns: "
        + "; ".join(f"`{c}` (also {_code(a)})" for c, a in EVENT_HEADERS.items())
        + ". Steps:",
        "",
        "| step | fills | also read as |",
        "|---|---|---|",
    ]
    for event in EVENT_NAMES:
        spelled = sorted(a for a, t in vocab.EVENT_ALIASES.items() if t == event)
        lines.append(f"| `{event}` | `{vocab.EVENTS[event]}` | {_code(spelled)} |")
    return lines


def _mapping_keys() -> list[str]:
    return [
        "Column-mapping keys: "
        + _code(sorted(mapped.KEYS))
        + ". Fold rules: "
        + _code([*folding.TIME_RULES, *folding.VALUE_RULES])
        + f", or `{{{folding.MOST_SERIOUS}: [value, …]}}` for "
        + _code(inquiries.ALLOWED)
        + "; unnamed columns fold by "
        + ", ".join(f"`{c}: {r}`" for c, r in folding.DEFAULT_RULES.items())
        + ", else `first`.",
    ]


def register_reference() -> str:
    """The generated block, markers included."""
    parts = [
        BEGIN,
        "",
        "#### Columns",
        "",
        *_columns(),
        "",
        "#### Accepted values and the spellings read as each",
        "",
        "Spellings are compared ignoring case, spaces and punctuation "
        "(`Whats-App` is `whats app`).",
        *_values(),
        "",
        "#### Dates, empty cells, districts",
        "",
        *_dates(),
        "",
        *_districts(),
        "",
        "#### Response events and column mappings",
        "",
        *_events(),
        "",
        *_mapping_keys(),
        "",
        END,
    ]
    return "\n".join(parts)


def current_block(text: str) -> str | None:
    """The block as it stands in ``text`` (markers included), or None."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0:
        return None
    return text[start : end + len(END)]


def rewrite(path: Path = DOC) -> bool:
    """Put the generated block in ``path``; True when it changed."""
    text = path.read_text(encoding="utf-8")
    block = current_block(text)
    if block is None:
        raise SystemExit(f"{path}: the markers {BEGIN!r} and {END!r} are missing")
    new = text.replace(block, register_reference())
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":
    changed = rewrite()
    print(f"{DOC.relative_to(PROJECT_ROOT)}: {'rewritten' if changed else 'already up to date'}")
    sys.exit(0)
