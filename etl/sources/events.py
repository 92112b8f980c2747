"""The response-events log: one row per step of an item, instead of columns.

``inquiry_id, event, at, actor``; the events fill the register's step
timestamps in staging (see ``etl/sql/staging_inquiry_steps.sql``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from core import vocab
from core.config import Settings
from core.sources import EVENT_HEADER_ALIASES
from etl.gx_import import gx
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import (
    match_headers,
    read_register_dates,
    reject_damaged_timestamps,
    require_columns,
    text_sql,
    timestamp_sql,
    vocabulary_map,
)
from etl.sources.inquiries import (
    _implausible,
    _missing,
    _not_in_set,
    _unparsed,
    register_recipe,
)
from etl.sources.record_ids import add_shapes, safety_checks
from etl.validate import Check

COLUMNS: tuple[str, ...] = ("inquiry_id", "event", "event_at", "actor")
HEADER_ALIASES = EVENT_HEADER_ALIASES  # one definition, shared with the read side
EVENT_NAMES: tuple[str, ...] = tuple(vocab.EVENTS)
EVENT_LOOKUP = vocab.lookup_table(EVENT_NAMES, vocab.EVENT_ALIASES)


class ResponseEvents:
    """The response-events log of the cell's ticketing system."""

    kind = "response events"
    source = "events"

    def matches(self, table: RawTable) -> bool:
        found = match_headers(table.headers, HEADER_ALIASES)
        return {"inquiry_id", "event", "event_at"} <= set(found) and len(table.headers) <= 8

    def recipe(self, settings: Settings) -> str:
        return register_recipe(settings)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        settings = context.settings
        found = match_headers(table.headers, HEADER_ALIASES)
        require_columns(table, found, ("inquiry_id", "event", "event_at"))
        texts = {c: text_sql(found.get(c)) for c in COLUMNS}
        table.con.execute(
            "create or replace temp table texts as select _source_row, "
            + ", ".join(f"{texts[c]} as {c}" for c in COLUMNS)
            + f" from {table.name}"
        )
        # Numeric dates read like the register's: in the order the file
        # proves or the settings give; an ambiguous file is refused.
        dates = read_register_dates(
            table,
            "texts",
            ["event_at"],
            order=settings.date_order,
            timezone=settings.timezone,
            now=context.now,
            labels=found,
        )
        lookup = vocabulary_map(table.con, "event", "event", EVENT_LOOKUP)
        sql = f"""
            select t._source_row, t.inquiry_id,
                   coalesce(v.canonical, t.event) as event,
                   {timestamp_sql("t.event_at", settings.timezone, dates.formats)} as event_at,
                   t.event_at as event_at__text,
                   t.actor
            from texts t
            left join {lookup} v on v.text = t.event
            order by t._source_row
        """
        frame = table.con.execute(sql).df()
        text = frame.pop("event_at__text")
        frame["event_at__unparsed"] = text.where(frame["event_at"].isna() & text.notna())
        reject_damaged_timestamps(table, frame, ["event_at"], dates.shown)
        add_shapes(frame, "inquiry_id")
        return Prepared(
            frame=frame,
            checks=_checks(settings, context.now, dates.shown),
            columns=list(COLUMNS),
            record_id="inquiry_id",
            raw_table="raw.response_events",
            source=self.source,
            covers_column="event_at",
            keys=("inquiry_id", "event", "event_at"),
            unmatched_headers=[h for h in table.headers if h not in found.values()],
            notes=[dates.note] if dates.note else [],
        )


def _checks(settings: Settings, now: datetime, form: str) -> list[Check]:
    e = gx.expectations
    earliest = pd.Timestamp(settings.plausible_from, tz="UTC")
    latest = pd.Timestamp(now + timedelta(minutes=10))
    return [
        Check(e.ExpectColumnValuesToNotBeNull(column="inquiry_id"), _missing("inquiry_id")),
        *safety_checks("inquiry_id"),
        Check(e.ExpectColumnValuesToNotBeNull(column="event_at"), _missing("at")),
        Check(
            e.ExpectColumnValuesToBeInSet(column="event", value_set=list(EVENT_NAMES)),
            _not_in_set("event", EVENT_NAMES),
        ),
        Check(
            e.ExpectColumnValuesToBeNull(column="event_at__unparsed"),
            _unparsed("event_at", form),
        ),
        Check(
            e.ExpectColumnValuesToBeBetween(
                column="event_at", min_value=earliest, max_value=latest
            ),
            _implausible("event_at", earliest, latest),
        ),
    ]
