"""The ``extra`` JSON of a Meta post export: every column no canonical
column takes, kept per row in one set-based pass.

``retention``: interval number -> percent of views still watching at it
(the 41 ``Percentage of total views at interval N`` columns);
``by_country``: metric -> ISO2 -> count (``<metric> by country
(<Country> (<ISO2>))``); ``other``: header -> value, ids kept as text.
"""

from __future__ import annotations

import re

import pandas as pd

from core.sql import quote_identifier
from core.vocab import fold
from etl.readers import RawTable
from etl.sources.social import number_sql, placeholder_free_sql

_INTERVAL = re.compile(r"percentage of total views at interval (\d+)", re.IGNORECASE)
_BY_COUNTRY = re.compile(r"(.+?) by country \((.+) \(([A-Za-z]{2})\)\)")


def extra_columns(headers: list[str], used: set[str]) -> pd.DataFrame:
    """Where each column kept aside goes in ``extra``: one row per header.

    ``retention``: interval number -> percent of views still watching at it;
    ``by_country``: metric -> ISO2 -> count; ``other``: header -> value.
    """
    rows = []
    for position, header in enumerate(headers):
        if header in used:
            continue
        if interval := _INTERVAL.fullmatch(header):
            rows.append((position, header, "retention", "", interval.group(1), False))
        elif country := _BY_COUNTRY.fullmatch(header):
            iso = country.group(3).upper()
            rows.append((position, header, "by_country", country.group(1), iso, False))
        else:
            # Ids stay text: a 17-digit account id does not survive a double.
            as_text = fold(header).endswith(" id")
            rows.append((position, header, "other", "", header, as_text))
    columns = ["position", "header", "grp", "metric", "key", "as_text"]
    return pd.DataFrame(rows, columns=columns).astype({"metric": object, "key": object})


def build_extra(table: RawTable, headers: list[str], used: set[str]) -> list[str]:
    """Temp table ``meta_extra`` (``_source_row``, ``extra`` JSON text) of the
    columns kept aside; returns a note on what they are.

    Set-based (one unpivot, then JSON aggregates in a fixed key order, so
    that the same values always hash alike): a 304-column export would
    otherwise need an expression per column.
    """
    mapping = extra_columns(headers, used)
    if mapping.empty:
        table.con.execute(
            "create or replace temp table meta_extra as "
            f"select _source_row, cast(null as varchar) as extra from {table.name} limit 0"
        )
        return []
    columns = ", ".join(quote_identifier(h) for h in mapping["header"])
    table.con.register("meta_extra_columns", mapping)
    try:
        table.con.execute(_extra_sql(columns, table.name))
    finally:
        table.con.unregister("meta_extra_columns")
    counts = mapping["grp"].value_counts()
    if counts.get("retention", 0) or counts.get("by_country", 0):
        return [
            f"kept aside in extra: {counts.get('retention', 0)} retention interval columns, "
            f"{counts.get('by_country', 0)} per-country columns"
        ]
    return []


def _ordered_object(key: str, value: str) -> str:
    """SQL aggregate: a JSON object of ``key`` -> ``value``, keys in column
    order (a map keeps the order it is built in; json_group_object, a macro,
    takes no ORDER BY)."""
    return f"to_json(map_from_entries(list({{'key': {key}, 'value': {value}}} order by position)))"


def _extra_sql(columns: str, source: str) -> str:
    """SQL: ``meta_extra`` from the unpivoted cells and ``meta_extra_columns``."""
    cell = "nullif(trim(c.cell), '')"
    return f"""
        create or replace temp table meta_extra as
        with cells as (
            unpivot (select _source_row, {columns} from {source})
            on columns(* exclude (_source_row)) into name header value cell
        ),
        typed as (
            select c._source_row, m.position, m.grp, m.metric, m.key, m.as_text,
                   {placeholder_free_sql(cell)} as text,
                   {number_sql(cell)} as number
            from cells c
            join meta_extra_columns m using (header)
        ),
        valued as (
            select _source_row, position, grp, metric, key,
                   case when number is not null and not as_text then to_json(number)
                        else to_json(text) end as value
            from typed
            where text is not null
        ),
        per_metric as (
            select _source_row, grp, metric, min(position) as position,
                   {_ordered_object("key", "value")} as object
            from valued
            group by _source_row, grp, metric
        ),
        per_group as (
            select _source_row, grp, min(position) as position,
                   case when grp = 'by_country'
                        then {_ordered_object("metric", "object")}
                        else any_value(object) end as object
            from per_metric
            group by _source_row, grp
        )
        select _source_row, cast({_ordered_object("grp", "object")} as varchar) as extra
        from per_group
        group by _source_row
    """
