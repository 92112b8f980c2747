"""What a record id may be: a reference for staff, never a formula or a person's number.

Every register's id (inquiry ids, the events log's inquiry ids, the media
cell's mention, query, incident, output and outreach ids) is shown on pages
and written to downloads. An id that starts like a spreadsheet formula
(``=``, ``+``, ``-``, ``@``, a tab or a carriage return) would run in
Excel; an id that is, or holds, a CNIC or a phone number would put a
person's number on every page that lists the record. Such rows are
quarantined with the reason, never loaded.

``safety_checks(column)`` gives the two Great Expectations checks;
``id_shapes`` fills the helper column ``<column>__shape`` the second one
reads (the shapes ``core.privacy`` finds in free text).
"""

from __future__ import annotations

import pandas as pd

from core.privacy import CNIC, CNIC_RE, PHONE, ascii_digits, find_personal
from etl.gx_import import gx
from etl.validate import Check

# A cell a spreadsheet would run as a formula (or that splits a row) starts so.
FORMULA_LEAD = r"^[=+\-@\t\r]"
_LEAD_NAMES = {"\t": "a tab", "\r": "a carriage return"}
# Characters around a phone number that still leave an id "a phone number".
_PHONE_DRESSING = set(" +-().")
# An id can only be a phone number when nothing but dressing comes before its
# first digit: a phone number's span starts at a digit, ``+`` or ``(``, and
# whatever precedes it must be dressing. (``B0-0000001`` cannot be one.)
PHONE_START = r"^[ +\-().]*\d"
PHONE_START_RE2 = r"^[ +\-().]*\p{Nd}"  # the same, in DuckDB's RE2: any script's digit


def shape_column(column: str) -> str:
    return f"{column}__shape"


def id_shape(value: object) -> str | None:
    """``a CNIC`` or ``a phone number`` when an id is (or holds) one.

    An id holding a CNIC anywhere, or that is a phone number (dashes,
    spaces, brackets and ``+`` around its digits allowed), is a person's
    number."""
    if not isinstance(value, str):
        return None
    plain = ascii_digits(value)
    if sum(ch.isdigit() for ch in plain) < 7:  # shorter than any phone number or CNIC
        return None
    if CNIC_RE.search(plain):
        return "a CNIC"
    for finding in find_personal(value):
        outside = value[: finding.start] + value[finding.end :]
        if finding.kind == CNIC:
            return "a CNIC"
        if finding.kind == PHONE and set(outside) <= _PHONE_DRESSING:
            return "a phone number"
    return None


def id_shapes(ids: pd.Series) -> pd.Series:
    """``id_shape`` of each id (None for most). Only ids that could be a
    CNIC (13 digits or more) or a phone number (7 digits or more, starting
    like one) are scanned, so a register of ordinary references costs a
    vectorised count, not a phone-number parse per row."""
    shapes = pd.Series(None, index=ids.index, dtype="object")
    text = ids.astype("string")
    digits = text.str.count(r"\d").fillna(0)
    starts_like_phone = text.str.contains(PHONE_START, regex=True).fillna(False).astype(bool)
    candidates = (digits >= 13) | ((digits >= 7) & starts_like_phone)
    if candidates.any():
        shapes[candidates] = ids[candidates].map(id_shape)
    return shapes


def add_shapes(frame: pd.DataFrame, column: str) -> None:
    """Fill ``<column>__shape`` (what ``safety_checks`` reads), in place."""
    frame[shape_column(column)] = id_shapes(frame[column]).to_numpy()


def safety_checks(column: str) -> list[Check]:
    """An id is not a formula and not a person's number."""
    e = gx.expectations
    shape = shape_column(column)
    return [
        Check(
            e.ExpectColumnValuesToNotMatchRegex(column=column, regex=FORMULA_LEAD),
            lambda r: (
                f"{column} starts with {_LEAD_NAMES.get(r[column][0], repr(r[column][0]))}"
                ", which a spreadsheet would read as a formula; ids start with a letter or digit"
            ),
        ),
        Check(
            e.ExpectColumnValuesToBeNull(column=shape),
            lambda r: (
                f"{column} has the shape of {r[shape]}: an id must never be a "
                "person's number; give the item the register's own reference"
            ),
        ),
    ]
