"""The inquiry register: the cell's own template, and its checks.

Other intake systems (a city 311 export, a helpdesk) arrive through a
column mapping (``etl/sources/mapped.py``) onto the same canonical columns
and pass the same checks, so every item in ``marts.inquiries`` met one
contract whatever file it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

import great_expectations as gx
import pandas as pd

from core import vocab
from core.config import Settings
from etl.districts import default_reference
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import (
    ISO_FORMATS,
    match_headers,
    reject_damaged_timestamps,
    require_columns,
    text_sql,
    timestamp_sql,
    vocabulary_map,
)
from etl.validate import FILE, Check, value_text

REGISTER_COLUMNS: tuple[str, ...] = (
    "inquiry_id",
    "received_at",
    "channel",
    "category",
    "district",
    "requester_gender",
    "language",
    "summary",
    "requester_name",
    "requester_phone",
    "requester_cnic",
    "requester_email",
    "priority",
    "first_response_at",
    "referred_at",
    "referred_to",
    "field_ack_at",
    "field_report_at",
    "resolved_at",
    "status",
    "reopened_at",
    "satisfaction",
)
REQUIRED: tuple[str, ...] = ("inquiry_id", "received_at", "channel", "category")
TIMESTAMPS: tuple[str, ...] = tuple(c for c in REGISTER_COLUMNS if c.endswith("_at"))
PERSONAL: tuple[str, ...] = (
    "summary",
    "requester_name",
    "requester_phone",
    "requester_cnic",
    "requester_email",
)

# Spellings of the template's headers seen in registers kept by hand.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "inquiry_id": ("id", "inquiry id", "enquiry id", "complaint no", "ticket id", "reference"),
    "received_at": ("received", "received at", "date received", "created at", "date time"),
    "channel": ("source channel", "medium", "via"),
    "category": ("type", "inquiry type", "nature"),
    "district": ("district name", "dpo district"),
    "requester_gender": ("gender", "sex"),
    "language": ("lang",),
    "summary": ("description", "details", "subject"),
    "requester_name": ("name", "complainant name", "requester"),
    "requester_phone": ("phone", "mobile", "contact no", "phone number"),
    "requester_cnic": ("cnic", "cnic no", "id card"),
    "requester_email": ("email", "e mail"),
    "priority": (),
    "first_response_at": ("first response", "first reply at", "replied at"),
    "referred_at": ("referred", "referred on", "forwarded at"),
    "referred_to": ("referred to office", "forwarded to"),
    "field_ack_at": ("field acknowledged at", "acknowledged at", "field ack"),
    "field_report_at": ("field report at", "report received at"),
    "resolved_at": ("resolved", "closed at", "resolved on"),
    "status": ("current status",),
    "reopened_at": ("reopened", "reopened on"),
    "satisfaction": ("feedback", "satisfied"),
}

VOCABULARIES: dict[str, dict[str, str]] = {
    "channel": vocab.lookup_table(vocab.CHANNELS, vocab.CHANNEL_ALIASES),
    "category": vocab.lookup_table(vocab.CATEGORIES, vocab.CATEGORY_ALIASES),
    "requester_gender": vocab.lookup_table(vocab.GENDERS, vocab.GENDER_ALIASES),
    "language": vocab.lookup_table(vocab.LANGUAGES, vocab.LANGUAGE_ALIASES),
    "priority": vocab.lookup_table(vocab.PRIORITIES, vocab.PRIORITY_ALIASES),
    "status": vocab.lookup_table(vocab.STATUSES, vocab.STATUS_ALIASES),
    "satisfaction": vocab.lookup_table(vocab.SATISFACTION, vocab.SATISFACTION_ALIASES),
}
# Blank means "not recorded": these get a default, the others stay NULL.
DEFAULTS: dict[str, str] = {"requester_gender": "unknown", "priority": "normal"}
ALLOWED: dict[str, tuple[str, ...]] = {
    "channel": vocab.CHANNELS,
    "category": vocab.CATEGORIES,
    "requester_gender": vocab.GENDERS,
    "language": vocab.LANGUAGES,
    "priority": vocab.PRIORITIES,
    "status": vocab.STATUSES,
    "satisfaction": vocab.SATISFACTION,
}
# Which step may not come before which (A >= B).
ORDER: tuple[tuple[str, str], ...] = (
    ("first_response_at", "received_at"),
    ("referred_at", "received_at"),
    ("field_ack_at", "referred_at"),
    ("field_report_at", "referred_at"),
    ("resolved_at", "received_at"),
    ("reopened_at", "received_at"),
)
RAW_COLUMNS: list[str] = [*REGISTER_COLUMNS, "district_original"]


class InquiryRegister:
    """The cell's inquiry register (CSV or XLSX of the template)."""

    kind = "inquiry register"
    source = "register"

    def matches(self, table: RawTable) -> bool:
        # Recognised by most of its columns, so that a register missing a
        # required column is told so, rather than "unknown kind of file".
        return len(match_headers(table.headers, HEADER_ALIASES)) >= 6

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        found = match_headers(table.headers, HEADER_ALIASES)
        require_columns(table, found, REQUIRED)
        texts = {column: text_sql(found.get(column)) for column in REGISTER_COLUMNS}
        unmatched = [h for h in table.headers if h not in found.values()]
        return prepare_inquiries(table, texts, context, source=self.source, unmatched=unmatched)


def prepare_inquiries(
    table: RawTable,
    texts: Mapping[str, str],
    context: LoadContext,
    *,
    source: str,
    timezone: str | None = None,
    formats: Iterable[str] = ISO_FORMATS,
    unmatched: list[str] | None = None,
) -> Prepared:
    """Canonical inquiry rows from SQL text expressions, one per register column."""
    con = table.con
    settings = context.settings
    timezone = timezone or settings.timezone
    formats = tuple(formats)
    con.execute(
        "create or replace temp table texts as select _source_row, "
        + ", ".join(f"{texts[c]} as {c}" for c in REGISTER_COLUMNS)
        + f" from {table.name}"
    )
    selects = ["t._source_row", "t.inquiry_id"]
    joins = []
    for column in REGISTER_COLUMNS[1:]:
        text = f"t.{column}"
        if column in TIMESTAMPS:
            selects.append(f"{timestamp_sql(text, timezone, formats)} as {column}")
            selects.append(f"{text} as {column}__text")
        elif column in VOCABULARIES:
            lookup = vocabulary_map(con, column, column, VOCABULARIES[column])
            alias = f"v_{column}"
            joins.append(f"left join {lookup} {alias} on {alias}.text = {text}")
            default = DEFAULTS.get(column)
            fallback = f"'{default}'" if default else "null"
            selects.append(f"coalesce({alias}.canonical, {text}, {fallback}) as {column}")
        else:
            selects.append(f"{text} as {column}")
    sql = f"select {', '.join(selects)} from texts t {' '.join(joins)} order by t._source_row"
    frame = con.execute(sql).df()
    for column in TIMESTAMPS:
        text = frame.pop(f"{column}__text")
        frame[f"{column}__unparsed"] = text.where(frame[column].isna() & text.notna())
    _default_status(frame)
    _normalise_districts(frame)
    shown = "YYYY-MM-DD HH:MM" if formats == ISO_FORMATS else " or ".join(formats)
    reject_damaged_timestamps(table, frame, TIMESTAMPS, shown)
    return Prepared(
        frame=frame,
        checks=inquiry_checks(settings, context.now, shown),
        columns=RAW_COLUMNS,
        record_id="inquiry_id",
        raw_table="raw.inquiry_register",
        source=source,
        covers_column="received_at",
        keys=("inquiry_id",),
        unmatched_headers=unmatched or [],
    )


def _default_status(frame: pd.DataFrame) -> None:
    """A blank status is read from the timestamps: resolved if resolved_at is set."""
    blank = frame["status"].isna()
    frame.loc[blank, "status"] = (
        frame.loc[blank, "resolved_at"].notna().map({True: "resolved", False: "open"})
    )


def _normalise_districts(frame: pd.DataFrame) -> None:
    matches = default_reference().normalise_series(frame["district"])
    frame["district_original"] = frame["district"]
    frame["district"] = matches["district"].to_numpy()
    problem = matches["status"].isin(["unknown", "ambiguous"]).to_numpy()
    frame["district__problem"] = matches["message"].where(problem, None).to_numpy()


def inquiry_checks(settings: Settings, now: datetime, timestamp_form: str) -> list[Check]:
    """The contract every inquiry row meets before it is loaded."""
    e = gx.expectations
    earliest = pd.Timestamp(settings.plausible_from, tz="UTC")
    latest = pd.Timestamp(now + timedelta(minutes=10))
    checks = [Check(e.ExpectColumnValuesToNotBeNull(column=c), _missing(c)) for c in REQUIRED]
    checks.append(
        Check(
            e.ExpectCompoundColumnsToBeUnique(column_list=[FILE, "inquiry_id"]),
            lambda r: f"inquiry_id {r['inquiry_id']} appears more than once in this file",
        )
    )
    checks.append(
        Check(
            e.ExpectColumnValueLengthsToBeBetween(column="inquiry_id", min_value=1, max_value=64),
            lambda r: "inquiry_id is longer than 64 characters",
        )
    )
    for column, allowed in ALLOWED.items():
        checks.append(
            Check(
                e.ExpectColumnValuesToBeInSet(column=column, value_set=list(allowed)),
                _not_in_set(column, allowed),
            )
        )
    for column in TIMESTAMPS:
        checks.append(
            Check(
                e.ExpectColumnValuesToBeNull(column=f"{column}__unparsed"),
                _unparsed(column, timestamp_form),
            )
        )
        checks.append(
            Check(
                e.ExpectColumnValuesToBeBetween(
                    column=column, min_value=earliest, max_value=latest
                ),
                _implausible(column, earliest, latest),
            )
        )
    for later, earlier in ORDER:
        checks.append(
            Check(
                e.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A=later,
                    column_B=earlier,
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                _out_of_order(later, earlier),
            )
        )
    checks.append(
        Check(
            e.ExpectColumnValuesToBeNull(column="district__problem"),
            lambda r: str(r["district__problem"]),
        )
    )
    return checks


def _missing(column: str):
    return lambda row: f"{column} is blank; it is required"


def _not_in_set(column: str, allowed: tuple[str, ...]):
    shown = ", ".join(allowed[:8]) + (", …" if len(allowed) > 8 else "")
    return lambda row: f"{column} '{row[column]}' is not one of: {shown}"


def _unparsed(column: str, form: str):
    key = f"{column}__unparsed"
    return lambda row: f"{column} '{row[key]}' is not a date and time in the form {form}"


def _implausible(column: str, earliest: pd.Timestamp, latest: pd.Timestamp):
    def describe(row: dict) -> str:
        value = row[column]
        when = value_text(value)
        if value > latest:
            return f"{column} {when} is in the future"
        return f"{column} {when} is before {earliest:%Y-%m-%d}, the earliest plausible date"

    return describe


def _out_of_order(later: str, earlier: str):
    return lambda row: (
        f"{later} ({value_text(row[later])}) is before {earlier} ({value_text(row[earlier])})"
    )
