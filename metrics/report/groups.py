"""Disaggregation tables after disclosure control: by gender, region, merged or settled.

Each group is the dashboard's own KPI functions
(``metrics.responsiveness.compute_kpis``, ``metrics.outreach``) over
narrower ``Filters``: one requester gender (``genders``), one police region,
the merged or the settled districts. ``publish_kpis`` turns the groups'
``KpiResult`` into a ``PublishedTable``: every count a figure rests on
(numerators, denominators, the n behind a percentile) is protected by
``metrics.disclosure`` against the table's Total row, and a figure resting
on a withheld count is withheld. ``outreach_table`` does the same for
outreach events and participants by gender.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import duckdb
import pandas as pd

from core.vocab import GENDERS
from metrics import kpis, outreach, responsiveness
from metrics.disclosure import (
    PRIMARY,
    SENSITIVE_GROUPS,
    Suppression,
    suppress_counts,
    suppress_derived,
)
from metrics.filters import Filters
from metrics.report.model import SUPPRESSED, PublishedTable
from metrics.responsiveness import KpiResult

Connection = duckdb.DuckDBPyConnection

TOTAL = "Total"


NO_DISTRICT = "No district named"


NOT_RECORDED = "Not recorded"


MERGED, SETTLED = "Merged districts", "Settled districts"


# The inquiry KPIs each disaggregation shows, and the counts each rests on.
DISAGGREGATED: tuple[str, ...] = ("R1", "R3", "R4", "R5", "R7", "R10", "R14")


COUNT_KPIS = frozenset({"R1", "R11"})  # the value is itself a count


PERCENTILES = frozenset({"R4", "R6", "R9"})  # rests on n items, no numerator


# Complements the gender table gives up first: the unknown-gender group; for
# the item counts (R1) the men's, so the women's share (I1) stays safe to
# publish beside the table (see ``i1_safe``).
GENDER_COMPLEMENTS: dict[str, tuple[str, ...]] = {"R1": ("Male",), "*": ("Unknown",)}


def parts_of(kpi_id: str) -> tuple[str, ...]:
    """The counts of a ``KpiResult`` its value is computed from."""
    if kpi_id == "R1":
        return ("n",)
    if kpi_id == "R11":
        return ("numerator", "n")  # overdue items, of the open ones
    if kpi_id in PERCENTILES:
        return ("n",)
    return ("numerator", "n")


def count_of(result: KpiResult, part: str) -> int:
    value = getattr(result, part)
    return int(value) if value is not None else 0


# Column headings of the disaggregation tables: short enough for a narrow
# column (the full name and definition are in the annex, by KPI id).
SHORT_LABELS: dict[str, str] = {
    "R1": "R1 Items received",
    "R3": "R3 Response rate",
    "R4": "R4 First reply, P50 (business time)",
    "R5": "R5 First reply within SLA",
    "R7": "R7 District contact within 24 h",
    "R10": "R10 Resolved within SLA",
    "R14": "R14 Satisfied (survey)",
}


def kpi_label(kpi_id: str, clock: str | None = None) -> str:
    """The catalogue's name, with what a duration's headline is."""
    name = kpis.DEFINITIONS[kpi_id].name
    if kpi_id in PERCENTILES:
        return f"{name} (P50, {clock or 'calendar'} time)"
    return name


def unit_of(kpi_id: str) -> str:
    return kpis.DEFINITIONS[kpi_id].unit


@dataclass(frozen=True)
class Group:
    label: str
    filters: Filters | None  # None: the remainder (total minus the groups)


def gender_groups(f: Filters) -> list[Group]:
    return [Group(g.capitalize(), replace(f, genders=(g,))) for g in GENDERS]


def region_groups(f: Filters, districts: pd.DataFrame) -> list[Group]:
    """One group per police region in scope; with districts chosen, the
    chosen districts of each region."""
    groups = []
    for region, rows in districts.groupby("region", sort=True):
        names = tuple(rows["district"])
        if f.regions and region not in f.regions:
            continue
        if f.districts:
            chosen = tuple(d for d in f.districts if d in names)
            if chosen:
                groups.append(Group(str(region), replace(f, districts=chosen)))
        else:
            groups.append(Group(str(region), replace(f, regions=(str(region),))))
    return groups


def merged_groups(f: Filters, districts: pd.DataFrame) -> list[Group]:
    """Merged (former FATA) and settled districts within the filters' area."""
    in_scope = districts
    if f.regions:
        in_scope = in_scope[in_scope["region"].isin(f.regions)]
    if f.districts:
        in_scope = in_scope[in_scope["district"].isin(f.districts)]
    groups = []
    for label, merged in ((MERGED, True), (SETTLED, False)):
        names = tuple(sorted(in_scope.loc[in_scope["is_merged_district"] == merged, "district"]))
        if names:
            groups.append(Group(label, replace(f, districts=names)))
    return groups


def compute_groups(
    con: Connection, groups: Sequence[Group], kpi_ids: Sequence[str], now: datetime | None
) -> dict[str, dict[str, KpiResult]]:
    return {
        g.label: responsiveness.compute_kpis(con, tuple(kpi_ids), g.filters, now=now)
        for g in groups
        if g.filters is not None
    }


def counts_frame(
    results: Mapping[str, Mapping[str, KpiResult]], kpi_ids: Sequence[str]
) -> pd.DataFrame:
    """rows = group labels, columns = ``kpi:part`` counts."""
    rows = {
        label: {f"{k}:{part}": count_of(by_kpi[k], part) for k in kpi_ids for part in parts_of(k)}
        for label, by_kpi in results.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def with_remainder(
    counts: pd.DataFrame, totals: pd.Series, label: str
) -> tuple[pd.DataFrame, bool]:
    """``counts`` plus a row for what the groups leave out of the total
    (items naming no district), when any; published like any other row,
    so it never counts as a hidden complement."""
    rest = totals - counts.sum(axis=0)
    if (rest < 0).any():
        raise ValueError(f"groups add up to more than the total: {rest[rest < 0].to_dict()}")
    if not (rest > 0).any():
        return counts, False
    return pd.concat([counts, rest.to_frame(label).T]), True


def _rate(numerator: float, n: float) -> float | None:
    return 100.0 * numerator / n if n else None


def publish_kpis(
    key: str,
    title: str,
    index_label: str,
    groups: Mapping[str, Mapping[str, KpiResult]],
    total: Mapping[str, KpiResult],
    kpi_ids: Sequence[str],
    *,
    remainder_label: str,
    prefer: Mapping[str, Sequence[str]] | None = None,
    notes: tuple[str, ...] = (),
) -> PublishedTable:
    """A table of KPIs by group, after primary and complementary suppression.

    The ``Total`` row is the KPIs over the whole scope (the indicator
    table's figures). What the groups leave out of it becomes its own row
    (``remainder_label``), its counts by subtraction; its shares are those
    counts' ratio, its percentiles cannot be split and show a dash.
    ``prefer``: per KPI id (or ``"*"`` for any), the groups given up first
    as complements. Each KPI's counts are protected on their own: the table
    has no row totals, so no equation links two KPIs.
    """
    counts = counts_frame(groups, kpi_ids)
    totals = counts_frame({TOTAL: total}, kpi_ids).loc[TOTAL]
    counts, has_rest = with_remainder(counts, totals, remainder_label)
    prefer = prefer or {}
    protected = {
        k: suppress_counts(
            counts[[f"{k}:{part}" for part in parts_of(k)]],
            sensitive=SENSITIVE_GROUPS,
            column_totals=True,
            prefer=prefer.get(k, prefer.get("*", ())),
        )
        for k in kpi_ids
    }
    rows = [*groups, *([remainder_label] if has_rest else []), TOTAL]
    values = pd.DataFrame(index=pd.Index(rows, name=index_label), columns=list(kpi_ids))
    flags = pd.DataFrame("", index=values.index, columns=list(kpi_ids))
    for k in kpi_ids:
        hidden = suppress_derived(protected[k].hidden, {k: list(protected[k].table.columns)})
        for row in rows:
            if hidden.at[row, k]:
                flags.at[row, k] = flag_of(protected[k], row, f"{k}:n") if k == "R1" else SUPPRESSED
            else:
                values.at[row, k] = _group_value(row, k, groups, total, counts)
    return PublishedTable(
        key=key,
        title=title,
        index_label=index_label,
        values=values.astype("float64"),
        flags=flags,
        units={k: unit_of(k) for k in kpi_ids},
        labels={k: SHORT_LABELS.get(k, kpi_label(k, total[k].clock)) for k in kpi_ids},
        notes=notes,
    )


def _group_value(
    row: str,
    k: str,
    groups: Mapping[str, Mapping[str, KpiResult]],
    total: Mapping[str, KpiResult],
    counts: pd.DataFrame,
) -> float | None:
    """A group's KPI from its function; the remainder's from its counts."""
    if row in groups:
        return groups[row][k].value
    if row == TOTAL:
        return total[k].value
    if k in PERCENTILES:
        return None  # a median cannot be split by subtraction
    if k in COUNT_KPIS:
        return float(counts.at[row, f"{k}:n"])
    return _rate(counts.at[row, f"{k}:numerator"], counts.at[row, f"{k}:n"])


def flag_of(suppression: Suppression, row: str, column: str) -> str:
    status = suppression.status.at[row, column]
    if not status:
        return ""
    if status == PRIMARY:
        return suppression.rule.label(bool(suppression.sensitive.at[row, column]))
    return SUPPRESSED


TABLES_SQL = """
select count(*)
from information_schema.tables
where table_schema = ? and table_name = ?
"""


def has_table(con: Connection, schema: str, table: str) -> bool:
    """Whether the warehouse has ``schema.table`` (a mart another load adds)."""
    row = con.execute(TABLES_SQL, [schema, table]).fetchone()
    return bool(row and row[0])


def outreach_table(
    con: Connection,
    groups: Sequence[Group],
    total: outreach.OutreachResult,
    key: str,
    label: str,
    title: str,
) -> PublishedTable:
    """Events and participants by gender per group, suppressed: events as a
    column with a total; participants with a total per row and per gender
    (transgender participants are sensitive)."""
    results = {g.label: outreach.outreach_events_held(con, g.filters) for g in groups if g.filters}
    genders = ("female", "male", "transgender")

    def people(r: outreach.OutreachResult) -> dict[str, int]:
        return {gn: getattr(r, f"participants_{gn}") for gn in genders}

    events = pd.DataFrame({"events": {k: r.n for k, r in results.items()}})
    events_rest = pd.Series({"events": total.n})
    events, has_rest = with_remainder(events, events_rest, NO_DISTRICT)
    event_cells = suppress_counts(events, sensitive=(), column_totals=True)
    part = pd.DataFrame({k: people(r) for k, r in results.items()}).T[list(genders)]
    part, _ = with_remainder(part, pd.Series(people(total)), NO_DISTRICT)
    part = part.reindex(events.index, fill_value=0)
    people_cells = suppress_counts(part, sensitive=SENSITIVE_GROUPS, row_totals=True)
    rows = [*events.index, TOTAL]
    columns = ["events", *genders, "participants"]
    values = pd.DataFrame(index=pd.Index(rows, name=label), columns=columns, dtype="float64")
    flags = pd.DataFrame("", index=values.index, columns=columns)
    for row in rows:
        values.at[row, "events"] = event_cells.table.at[row, "events"]
        flags.at[row, "events"] = flag_of(event_cells, row, "events")
        for column, source in (*((gn, gn) for gn in genders), ("participants", TOTAL)):
            values.at[row, column] = people_cells.table.at[row, source]
            flags.at[row, column] = flag_of(people_cells, row, source)
    values = values.mask(flags != "")
    words = {"events": "Events held", "participants": "Participants (counted)"}
    return PublishedTable(
        key=key,
        title=title,
        index_label=label,
        values=values,
        flags=flags,
        units=dict.fromkeys(columns, "count"),
        labels={c: words.get(c, f"{c.capitalize()} participants") for c in columns},
        notes=(
            "Participants are the counts the register gives; events with no count are not "
            "read as zero." + (" Some events name no district." if has_rest else ""),
        ),
    )
