"""The inquiry register: the cell's own template, and its checks.

Other intake systems (a city 311 export, a helpdesk) arrive through a
column mapping (``etl/sources/mapped.py``) onto the same canonical columns
and pass the same checks, so every item in ``marts.inquiries`` met one
contract whatever file it came from.

Registers as staff keep them: cells such as ``N/A``, ``-`` or ``none`` are
empty in time and vocabulary columns and the district
(``core.vocab.PLACEHOLDERS``); numeric dates (``03/04/2026``) are
read in the order the file proves or ``date_order`` in the settings gives,
and an ambiguous file is refused (``etl.sources.common.read_register_dates``);
``District Swat`` is Swat (``etl.districts``); ``unknown`` is an honest
value for a channel or district. A mapping may fold several rows per case
into one item (``etl.sources.folding``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import duckdb
import pandas as pd

from core import vocab
from core.config import DEFAULT_INQUIRY_ID_PATTERN, Settings
from core.privacy import redact
from core.sources import REGISTER_HEADER_ALIASES
from etl.districts import default_reference
from etl.gx_import import gx
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import (
    DateReading,
    match_headers,
    placeholder_sql,
    read_explicit_dates,
    read_register_dates,
    reject_damaged_timestamps_sql,
    require_columns,
    text_sql,
    timestamp_sql,
    vocabulary_map,
)
from etl.sources.folding import FoldRules, fold_sql
from etl.sources.record_ids import PHONE_START_RE2, id_shapes, safety_checks
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

# Spellings of the template's headers seen in registers kept by hand: one
# definition, on the ground floor, that masking on the read side shares.
HEADER_ALIASES = REGISTER_HEADER_ALIASES

# Folded spelling -> canonical value, per vocabulary column.
VOCABULARIES: dict[str, dict[str, str]] = {
    column: vocab.lookup_table(values, aliases)
    for column, (values, aliases) in vocab.REGISTER_VOCABULARIES.items()
}
# Blank means "not recorded": these get a default, the others stay NULL.
DEFAULTS: dict[str, str] = {"requester_gender": "unknown", "priority": "normal"}
ALLOWED: dict[str, tuple[str, ...]] = {
    column: values for column, (values, _) in vocab.REGISTER_VOCABULARIES.items()
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
# ``first_response_recorded``: whether the row's source has a first-response
# column at all (a source without one leaves R3 and R5 out, not at 0 %).
RAW_COLUMNS: list[str] = [*REGISTER_COLUMNS, "district_original", "first_response_recorded"]


def register_recipe(settings: Settings) -> str:
    """The settings that decide how a register file is read: a file loaded
    under other settings may be loaded again (``etl.load``: its rows replace
    what the earlier reading produced)."""
    recipe = (
        f"date_order={settings.date_order or 'none'}; timezone={settings.timezone}; "
        f"plausible_from={settings.plausible_from}"
    )
    # Named only when changed, so files loaded under the default keep their recipe.
    if settings.inquiry_id_pattern != DEFAULT_INQUIRY_ID_PATTERN:
        recipe += f"; inquiry_id_pattern={settings.inquiry_id_pattern}"
    return recipe


class InquiryRegister:
    """The cell's inquiry register (CSV or XLSX of the template)."""

    kind = "inquiry register"
    source = "register"

    def matches(self, table: RawTable) -> bool:
        # Recognised by most of its columns, so that a register missing a
        # required column is told so, rather than "unknown kind of file".
        return len(match_headers(table.headers, HEADER_ALIASES)) >= 6

    def recipe(self, settings: Settings) -> str:
        return register_recipe(settings)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        found = match_headers(table.headers, HEADER_ALIASES)
        require_columns(table, found, REQUIRED)
        texts = {column: text_sql(found.get(column)) for column in REGISTER_COLUMNS}
        unmatched = [h for h in table.headers if h not in found.values()]
        return prepare_inquiries(
            table,
            texts,
            context,
            source=self.source,
            labels=found,
            records_first_response="first_response_at" in found,
            unmatched=unmatched,
        )


def prepare_inquiries(
    table: RawTable,
    texts: Mapping[str, str],
    context: LoadContext,
    *,
    source: str,
    timezone: str | None = None,
    formats: tuple[str, ...] | None = None,
    formats_where: str = "",
    fold: FoldRules | None = None,
    hints: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    records_first_response: bool = True,
    unmatched: list[str] | None = None,
) -> Prepared:
    """Canonical inquiry rows from SQL text expressions, one per register column.

    ``formats``: the strptime formats a column mapping gives (checked
    against the file's dates: ``read_explicit_dates``; ``formats_where``
    says where they are written); ``None`` reads the register's forms, ISO
    or numeric dates in the order the file proves or the settings give
    (``read_register_dates``). ``fold`` folds several rows per id into one
    item. ``hints`` add to a value's message what to change (a mapping's
    line); ``labels`` name register columns as the file does.
    """
    con = table.con
    settings = context.settings
    timezone = timezone or settings.timezone
    labels = labels or {}
    # ``texts`` and ``parsed`` are views: the date checks and lookups read
    # only the columns they ask for, and the file's values are parsed once,
    # into ``prepared``.
    con.execute(
        "create or replace temp view texts as select _source_row, "
        + ", ".join(f"{texts[c]} as {c}" for c in REGISTER_COLUMNS)
        + f" from {table.name}"
    )
    dates = _date_reading(table, context, timezone, formats, formats_where, labels)
    selects = ["t._source_row", "t.inquiry_id"]
    joins = []
    for column in REGISTER_COLUMNS[1:]:
        text = f"t.{column}"
        if column in TIMESTAMPS:
            selects.append(f"{timestamp_sql(text, timezone, dates.formats)} as {column}")
            selects.append(f"{text} as {column}__text")
        elif column in VOCABULARIES:
            lookup = vocabulary_map(con, column, column, VOCABULARIES[column])
            alias = f"v_{column}"
            joins.append(f"left join {lookup} {alias} on {alias}.text = {text}")
            # A placeholder (N/A, -, none) is blank; its default, if any, follows.
            selects.append(
                f"case when {alias}.blank then null "
                f"else coalesce({alias}.canonical, {text}) end as {column}"
            )
        else:
            selects.append(f"{text} as {column}")
    # A time that did not parse is kept to be named in its row's quarantine,
    # unless it is a placeholder (N/A, -, none): that is an empty cell.
    # (Nested so that the placeholder test runs on unparsed values only.)
    unparsed = ", ".join(
        f"case when {c} is not null or {c}__text is null then null "
        f"when {placeholder_sql(f'{c}__text')} then null else {c}__text end as {c}__unparsed"
        for c in TIMESTAMPS
    )
    con.execute(
        "create or replace temp view parsed as "
        f"select * exclude ({', '.join(f'{c}__text' for c in TIMESTAMPS)}), {unparsed} "
        f"from (select {', '.join(selects)} from texts t {' '.join(joins)})"
    )
    notes = [dates.note] if dates.note else []
    rows_read = "parsed"
    if fold is not None:
        # Counted before folding: a case's rows are each a row of the file.
        reject_damaged_timestamps_sql(table, "parsed", TIMESTAMPS, dates.shown, labels)
        rows_read = "folded"
        con.execute(
            "create or replace temp table folded as "
            + fold_sql("parsed", REGISTER_COLUMNS, TIMESTAMPS, fold)
        )
        rows, items = con.execute("select sum(_rows_folded), count(*) from folded").fetchall()[0]
        con.execute("alter table folded drop column _rows_folded")
        rules = fold.describe(REGISTER_COLUMNS[1:])
        notes.append(
            f"{int(rows or 0):,} rows read as {items:,} items, one per {fold.by}"
            + (f" ({rules})" if rules else "")
        )
    _finish(con, rows_read, records_first_response)
    if fold is None:
        reject_damaged_timestamps_sql(table, PREPARED_TABLE, TIMESTAMPS, dates.shown, labels)
    notes += _unknown_notes(con, records_first_response)
    return Prepared(
        frame=None,
        table=PREPARED_TABLE,
        checks=inquiry_checks(settings, context.now, dates.shown, hints),
        columns=RAW_COLUMNS,
        record_id="inquiry_id",
        raw_table="raw.inquiry_register",
        source=source,
        covers_column="received_at",
        keys=("inquiry_id",),
        unmatched_headers=unmatched or [],
        notes=notes,
    )


PREPARED_TABLE = "prepared"


def _finish(con: duckdb.DuckDBPyConnection, rows_read: str, records_first_response: bool) -> None:
    """The canonical rows as table ``prepared``, built from ``rows_read``
    (``parsed``, or ``folded``) in SQL:
    defaults for blanks, status read from the timestamps where blank,
    districts matched, ids' shapes. Python sees only the distinct district
    spellings and the few ids that could be a person's number."""
    defaults = ", ".join(f"coalesce(p.{c}, '{d}') as {c}" for c, d in DEFAULTS.items())
    # The lookups come from the file's texts (a superset of the folded values).
    _register_lookup(con, "district_matches", _district_matches(con))
    _register_lookup(con, "id_shapes", _id_shapes(con))
    con.execute(
        f"""
        create or replace temp table {PREPARED_TABLE} as
        select p.* replace (
                   {defaults},
                   -- A blank status is read from the timestamps.
                   coalesce(p.status, case when p.resolved_at is not null
                                           then 'resolved' else 'open' end) as status,
                   d.district as district
               ),
               p.district as district_original,
               d.problem as district__problem,
               s.shape as inquiry_id__shape,
               ? as first_response_recorded
        from {rows_read} p
        left join district_matches d on d.text = p.district
        left join id_shapes s on s.inquiry_id = p.inquiry_id
        order by p._source_row
        """,
        [records_first_response],
    )
    # The intermediate copies go: only the prepared rows stay in memory.
    for name in ("parsed", "texts"):
        con.execute(f"drop view if exists {name}")
    for name in ("folded", "district_matches", "id_shapes"):
        con.execute(f"drop table if exists {name}")


def _register_lookup(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("lookup_frame", frame)
    con.execute(f"create or replace temp table {name} as select * from lookup_frame")
    con.unregister("lookup_frame")


def _district_matches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each distinct district spelling: the district it names, or what is wrong."""
    spellings = con.execute("select distinct district from texts where district is not null").df()[
        "district"
    ]
    matches = default_reference().normalise_series(spellings)
    problem = matches["status"].isin(["unknown", "ambiguous"])
    return pd.DataFrame(
        {
            "text": spellings.astype("string"),
            "district": matches["district"].astype("string"),
            "problem": matches["message"].where(problem, None).astype("string"),
        }
    )


def _id_shapes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Ids that are (or hold) a CNIC or a phone number, with which (see
    ``id_shapes``): SQL picks the few that could be one."""
    candidates = con.execute(
        f"""
        select distinct inquiry_id from (
            select inquiry_id,
                   length(regexp_replace(inquiry_id, '[^\\p{{Nd}}]', '', 'g')) as digits
            from texts where inquiry_id is not null
        )
        where digits >= 13 or (digits >= 7 and regexp_matches(inquiry_id, '{PHONE_START_RE2}'))
        """
    ).df()["inquiry_id"]
    shapes = id_shapes(candidates)
    return pd.DataFrame(
        {"inquiry_id": candidates.astype("string"), "shape": shapes.astype("string")}
    )


def _date_reading(
    table: RawTable,
    context: LoadContext,
    timezone: str,
    formats: tuple[str, ...] | None,
    where: str,
    labels: Mapping[str, str],
) -> DateReading:
    if formats is None:
        return read_register_dates(
            table,
            "texts",
            TIMESTAMPS,
            order=context.settings.date_order,
            timezone=timezone,
            now=context.now,
            labels=labels,
        )
    return read_explicit_dates(
        table,
        "texts",
        TIMESTAMPS,
        formats,
        timezone=timezone,
        now=context.now,
        where=where,
        labels=labels,
    )


def _unknown_notes(con: duckdb.DuckDBPyConnection, records_first_response: bool) -> list[str]:
    """How many items say honestly that their district or channel is unknown."""
    notes = []
    total, no_district, unknown_channel = con.execute(
        f"select count(*), count(*) filter (where district is null), "
        f"count(*) filter (where channel = ?) from {PREPARED_TABLE}",
        [vocab.UNKNOWN_CHANNEL],
    ).fetchall()[0]
    if no_district:
        notes.append(
            f"{no_district:,} of {total:,} items name no district (blank or 'unknown'): they "
            "count in the province's totals, not in any district's"
        )
    if unknown_channel:
        notes.append(
            f"{unknown_channel:,} of {total:,} items have channel {vocab.UNKNOWN_CHANNEL}: they "
            "count in every total, and under that channel"
        )
    if not records_first_response and total:
        notes.append(
            "this source records no first response: R3 (response rate) and R5 (first-response "
            "SLA) leave its items out ('not recorded by this source')"
        )
    return notes


def inquiry_checks(
    settings: Settings,
    now: datetime,
    timestamp_form: str,
    hints: Mapping[str, str] | None = None,
) -> list[Check]:
    """The contract every inquiry row meets before it is loaded.

    ``hints`` (register column -> text) say where to change a value that is
    not accepted (a mapping's file and line)."""
    hints = hints or {}
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
    checks += id_checks(settings.inquiry_id_pattern)
    for column, allowed in ALLOWED.items():
        checks.append(
            Check(
                e.ExpectColumnValuesToBeInSet(column=column, value_set=list(allowed)),
                _not_in_set(column, allowed, hints.get(column)),
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
    district_hint = f"; {hints['district']}" if hints.get("district") else ""
    checks.append(
        Check(
            e.ExpectColumnValuesToBeNull(column="district__problem"),
            lambda r: str(r["district__problem"]) + district_hint,
        )
    )
    return checks


def id_checks(pattern: str) -> list[Check]:
    """What an inquiry id may be: not a formula, not a person's number
    (``etl.sources.record_ids``), and the settings' ``inquiry_id_pattern``
    (the whole id)."""
    e = gx.expectations
    return [
        *safety_checks("inquiry_id"),
        Check(
            e.ExpectColumnValuesToMatchRegex(column="inquiry_id", regex=f"^(?:{pattern})\\Z"),
            lambda r: (
                f"inquiry_id '{redact(r['inquiry_id'])[:40]}' does not follow inquiry_id_pattern "
                f"in the settings ({pattern})"
            ),
        ),
    ]


def _missing(column: str):
    return lambda row: f"{column} is blank; it is required"


def _not_in_set(column: str, allowed: tuple[str, ...], hint: str | None = None):
    # The whole list: the person fixing the row needs every accepted value.
    shown = ", ".join(allowed) + (f"; {hint}" if hint else "")
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
