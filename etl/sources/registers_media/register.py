"""What the media cell's registers share: recognising, parsing and checking a register.

Each register module (``mentions``, ``queries``, ``incidents``, ``outputs``,
``outreach``) declares a :class:`RegisterSpec` (columns, header spellings,
which columns are times, dates, vocabularies, yes/no, counts and districts)
and its Great Expectations suite, built on :func:`standard_checks`.
:class:`RegisterSource` turns a spec into a source the loader detects from
the header row, never from the file name.

Parsing goes through the shared register helpers of ``etl.sources.common``
(text, timestamps) and district names through ``etl.districts``, exactly as
the inquiry register does, so the rules for registers typed by hand apply
here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from core.config import Settings
from core.media_registers import yes_no
from core.privacy import redact_column
from core.sql import quote_literal
from etl.districts import default_reference
from etl.gx_import import gx
from etl.readers import RawTable
from etl.sources import common
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import match_headers, reject_damaged_timestamps, require_columns
from etl.sources.inquiries import (
    _implausible,
    _missing,
    _not_in_set,
    _out_of_order,
    _unparsed,
    register_recipe,
)
from etl.sources.record_ids import add_shapes, safety_checks
from etl.validate import FILE, Check, value_text

TIMESTAMP_FORM = "YYYY-MM-DD HH:MM"
MAX_COUNT = 1_000_000  # participants of one event: more is a typing slip


@dataclass(frozen=True)
class RegisterSpec:
    """One register: its columns and how each is read and checked."""

    name: str
    kind: str  # shown to people: "media monitoring log"
    source: str  # meta.loads.source
    raw_table: str
    record_id: str
    columns: tuple[str, ...]  # canonical, in template order
    aliases: Mapping[str, tuple[str, ...]]
    signature: tuple[str, ...]  # all found -> this register
    required: tuple[str, ...]
    covers_column: str
    timestamps: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    vocabularies: Mapping[str, tuple[tuple[str, ...], Mapping[str, str]]] = field(
        default_factory=dict
    )  # column -> (allowed values, folded spelling -> canonical)
    booleans: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    order: tuple[tuple[str, str], ...] = ()  # (later, earlier): later >= earlier
    future_ok: tuple[str, ...] = ()  # may lie after the load (deadlines, plans)
    personal: tuple[str, ...] = ()  # kept in raw only
    free_text: tuple[str, ...] = ()  # CNICs, phones and emails redacted at load
    extra_raw: tuple[str, ...] = ()  # computed columns stored in raw (plan_id)

    @property
    def raw_columns(self) -> list[str]:
        originals = [f"{column}_original" for column in self.districts]
        return [*self.columns, *self.extra_raw, *originals]


class RegisterSource:
    """A source the loader can detect: a spec, its checks and optional finishing."""

    def __init__(
        self,
        spec: RegisterSpec,
        checks: Callable[[Settings, datetime, str], list[Check]],
        finish: Callable[[pd.DataFrame], None] | None = None,
    ) -> None:
        self.spec = spec
        self.kind = spec.kind
        self.source = spec.source
        self._checks = checks
        self._finish = finish

    def matches(self, table: RawTable) -> bool:
        found = match_headers(table.headers, self.spec.aliases)
        return set(self.spec.signature) <= set(found)

    def recipe(self, settings: Settings) -> str:
        """The settings that decide how a file is read, as for the inquiry register."""
        return register_recipe(settings)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        spec = self.spec
        found = match_headers(table.headers, spec.aliases)
        require_columns(table, found, spec.required)
        frame, reading = parse(table, spec, found, context)
        for column in spec.free_text:
            # Headlines, titles and notes may quote a member of the public:
            # no CNIC, phone number or email is written, raw included.
            frame[column] = redact_column(frame[column])
        if self._finish is not None:
            self._finish(frame)
        add_shapes(frame, spec.record_id)  # after _finish: an id may be made there
        return Prepared(
            frame=frame,
            checks=self._checks(context.settings, context.now, reading.shown),
            columns=spec.raw_columns,
            record_id=spec.record_id,
            raw_table=spec.raw_table,
            source=spec.source,
            covers_column=spec.covers_column,
            keys=(spec.record_id,),
            unmatched_headers=[h for h in table.headers if h not in found.values()],
            notes=[reading.note] if reading.note else [],
        )


def parse(
    table: RawTable, spec: RegisterSpec, found: Mapping[str, str], context: LoadContext
) -> tuple[pd.DataFrame, common.DateReading]:
    """The file's rows in the register's canonical columns, typed, with helper
    columns (``*__unparsed``, ``*__problem``) for the checks, and how its
    dates were read (the shared register rules: placeholders such as ``N/A``
    are blank; numeric dates day-first or month-first as the file proves or
    the settings say)."""
    con = table.con
    timezone = context.settings.timezone
    texts = {c: common.blank_placeholders_sql(common.text_sql(found.get(c))) for c in spec.columns}
    con.execute(
        "create or replace temp table texts as select _source_row, "
        + ", ".join(f"{texts[c]} as {c}" for c in spec.columns)
        + f" from {table.name}"
    )
    timed = (*spec.timestamps, *spec.dates)
    labels = {c: found[c] for c in timed if c in found}
    reading = common.read_register_dates(
        table,
        "texts",
        list(labels),
        order=context.settings.date_order,
        timezone=timezone,
        now=context.now,
        labels=labels,
    )
    selects = ["t._source_row"]
    joins = []
    for column in spec.columns:
        text = f"t.{column}"
        if column in spec.timestamps:
            selects.append(f"{common.timestamp_sql(text, timezone, reading.formats)} as {column}")
            selects.append(f"{text} as {column}__text")
        elif column in spec.dates:
            stamp = common.timestamp_sql(text, timezone, reading.formats)
            selects.append(
                f"cast(timezone({quote_literal(timezone)}, {stamp}) as date) as {column}"
            )
            selects.append(f"{text} as {column}__text")
        elif column in spec.counts:
            selects.append(f"try_cast({text} as bigint) as {column}")
            selects.append(f"{text} as {column}__text")
        elif column in spec.vocabularies:
            _, table_of = spec.vocabularies[column]
            lookup = common.vocabulary_map(con, column, column, table_of)
            alias = f"v_{column}"
            joins.append(f"left join {lookup} {alias} on {alias}.text = {text}")
            selects.append(f"coalesce({alias}.canonical, {text}) as {column}")
        else:
            selects.append(f"{text} as {column}")
    sql = f"select {', '.join(selects)} from texts t {' '.join(joins)} order by t._source_row"
    frame = con.execute(sql).df()
    for column in (*spec.timestamps, *spec.dates, *spec.counts):
        text = frame.pop(f"{column}__text")
        frame[f"{column}__unparsed"] = text.where(frame[column].isna() & text.notna())
    for column in spec.counts:
        frame[column] = frame[column].astype("Int64")
    for column in spec.booleans:
        text = frame[column]
        values = text.map(lambda v: None if v is None or pd.isna(v) else yes_no(v))
        frame[column] = pd.Series(values, index=frame.index, dtype=object)
        frame[f"{column}__unparsed"] = text.where(values.isna() & text.notna())
    for column in spec.districts:
        _normalise_district(frame, column)
    for column in _parsed(spec):
        # Given at all, read or not: a value that is not a date is said as
        # such, never also as "blank".
        value = frame[column].astype(object).where(frame[column].notna(), None)
        frame[f"{column}__given"] = value.where(value.notna(), frame[f"{column}__unparsed"])
    for column in spec.districts:
        frame[f"{column}__given"] = frame[f"{column}_original"]
    reject_damaged_timestamps(table, frame, spec.timestamps, reading.shown)
    reject_damaged_timestamps(table, frame, spec.dates, date_form(reading.shown))
    return frame, reading


def _parsed(spec: RegisterSpec) -> tuple[str, ...]:
    """Columns read from text into another type (their text may be unreadable)."""
    return (*spec.timestamps, *spec.dates, *spec.counts, *spec.booleans)


def _normalise_district(frame: pd.DataFrame, column: str) -> None:
    matches = default_reference().normalise_series(frame[column])
    frame[f"{column}_original"] = frame[column]
    frame[column] = matches["district"].astype(object).where(matches["district"].notna(), None)
    problem = matches["status"].isin(["unknown", "ambiguous"]).to_numpy()
    frame[f"{column}__problem"] = matches["message"].where(problem, None).to_numpy()


# --- the standard suite -------------------------------------------------------


def standard_checks(
    spec: RegisterSpec, settings: Settings, now: datetime, form: str = TIMESTAMP_FORM
) -> list[Check]:
    """The contract every register row meets: required values, one row per id
    in a file, known vocabulary, readable times, dates, yes/no and counts,
    plausible times, steps in order, a known district."""
    e = gx.expectations
    earliest = pd.Timestamp(settings.plausible_from, tz="UTC")
    latest = pd.Timestamp(now + timedelta(minutes=10))
    far = pd.Timestamp(now + timedelta(days=400))
    parsed = _parsed(spec)
    checks = [
        Check(
            e.ExpectColumnValuesToNotBeNull(
                column=f"{c}__given" if c in (*parsed, *spec.districts) else c
            ),
            _missing(c),
        )
        for c in spec.required
    ]
    record = spec.record_id
    checks.append(
        Check(
            e.ExpectCompoundColumnsToBeUnique(column_list=[FILE, record]),
            lambda r: f"{record} {r[record]} appears more than once in this file",
        )
    )
    checks.append(
        Check(
            e.ExpectColumnValueLengthsToBeBetween(column=record, min_value=1, max_value=64),
            lambda r: f"{record} is longer than 64 characters",
        )
    )
    checks += safety_checks(record)
    for column, (allowed, _) in spec.vocabularies.items():
        checks.append(
            Check(
                e.ExpectColumnValuesToBeInSet(column=column, value_set=list(allowed)),
                _not_in_set(column, allowed),
            )
        )
    for column in spec.timestamps:
        checks.append(
            Check(
                e.ExpectColumnValuesToBeNull(column=f"{column}__unparsed"),
                _unparsed(column, form),
            )
        )
        until = far if column in spec.future_ok else latest
        checks.append(
            Check(
                e.ExpectColumnValuesToBeBetween(column=column, min_value=earliest, max_value=until),
                _implausible(column, earliest, until),
            )
        )
    for column in spec.dates:
        checks.append(
            Check(
                e.ExpectColumnValuesToBeNull(column=f"{column}__unparsed"),
                _not_a(column, f"a date in the form {date_form(form)}"),
            )
        )
        first = pd.Timestamp(settings.plausible_from)
        last = pd.Timestamp((far if column in spec.future_ok else latest).date())
        checks.append(
            Check(
                e.ExpectColumnValuesToBeBetween(column=column, min_value=first, max_value=last),
                _implausible_date(column, first, last),
            )
        )
    for column in spec.booleans:
        checks.append(
            Check(
                e.ExpectColumnValuesToBeNull(column=f"{column}__unparsed"),
                _not_a(column, "yes or no"),
            )
        )
    for column in spec.counts:
        checks.append(
            Check(
                e.ExpectColumnValuesToBeNull(column=f"{column}__unparsed"),
                _not_a(column, "a whole number"),
            )
        )
        checks.append(
            Check(
                e.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=MAX_COUNT),
                _count_range(column),
            )
        )
    for later, earlier in spec.order:
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
    for column in spec.districts:
        key = f"{column}__problem"
        checks.append(
            Check(e.ExpectColumnValuesToBeNull(column=key), lambda r, key=key: str(r[key]))
        )
    return checks


def date_form(form: str) -> str:
    """``YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM`` -> ``YYYY-MM-DD or DD/MM/YYYY``."""
    return form.replace(" HH:MM", "")


def _not_a(column: str, what: str):
    key = f"{column}__unparsed"
    return lambda row: f"{column} '{row[key]}' is not {what}"


def _implausible_date(column: str, first: pd.Timestamp, last: pd.Timestamp):
    def describe(row: dict) -> str:
        value = pd.Timestamp(row[column])
        if value > last:
            return f"{column} {value:%Y-%m-%d} is in the future"
        return f"{column} {value:%Y-%m-%d} is before {first:%Y-%m-%d}, the earliest plausible date"

    return describe


def _count_range(column: str):
    def describe(row: dict) -> str:
        value = row[column]
        if value is not None and not pd.isna(value) and value < 0:
            return f"{column} {value_text(value)} is negative"
        return f"{column} {value_text(value)} is more than {MAX_COUNT:,}: a typing slip?"

    return describe


def requires(column: str, needed: str):
    """A check: ``column`` given only when ``needed`` is too (a rebuttal needs
    the false claim it answers)."""
    e = gx.expectations
    key = f"{column}__without_{needed}"

    def add(frame: pd.DataFrame) -> None:
        frame[key] = frame[column].where(frame[needed].isna())

    check = Check(
        e.ExpectColumnValuesToBeNull(column=key),
        lambda r: f"{column} is given but {needed} is blank; fill in {needed}",
    )
    return add, check
