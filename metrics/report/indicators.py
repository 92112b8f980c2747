"""The indicator table in the donors' shape.

One row per indicator: baseline, target (in effect on the period's last
day, from ``metrics.kpis``), this period (the Response times page's own
``kpi_summary``, with its statuses), the fiscal year to date, the same
period last year and the previous period (``compute_kpis``, the function
``kpi_summary`` itself uses). R2, I1 (women's and transgender requesters'
share of items with a known gender) and I4 (outreach) are judged here with
the catalogue's ``kpis.judge``. A figure resting on a small count is
withheld (``Shape.flag``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import duckdb
import pandas as pd

from core.vocab import GENDERS
from metrics import kpis, outreach, responsiveness
from metrics.disclosure import RULE, suppress_counts
from metrics.filters import Filters
from metrics.report.groups import COUNT_KPIS, count_of, kpi_label, parts_of, unit_of
from metrics.report.model import INDICATOR_COLUMNS, PERIOD_COLUMNS, SUPPRESSED
from metrics.report.period import ReportPeriod
from metrics.responsiveness import KpiResult

Connection = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class Periods:
    this: Filters
    previous: Filters
    fiscal_ytd: Filters
    last_year: Filters

    def named(self) -> dict[str, Filters]:
        return {
            "this_period": self.this,
            "previous": self.previous,
            "fiscal_ytd": self.fiscal_ytd,
            "last_year": self.last_year,
        }


def periods_of(period: ReportPeriod, f: Filters) -> Periods:
    ytd_start, ytd_end = period.fiscal_year_to_date()
    return Periods(
        this=f,
        previous=f.previous(),
        fiscal_ytd=replace(f, start=ytd_start, end=ytd_end),
        last_year=period.last_year().filters(f),
    )


@dataclass(frozen=True)
class Shape:
    """How one indicator is protected: the counts its value rests on,
    whether the value is itself a count, whether its cells are sensitive."""

    parts: tuple[str, ...]
    count: bool = False
    sensitive: bool = False

    @classmethod
    def of(cls, kpi_id: str) -> Shape:
        if kpi_id == "R11":
            return cls(("numerator",), count=True)  # the overdue items; open ones unpublished
        return cls(parts_of(kpi_id), count=kpi_id in COUNT_KPIS)

    def flag(self, result: KpiResult | None) -> str:
        """How the value reads if the disclosure rule hides it, else ""."""
        if result is None or result.value is None:
            return ""
        frame = pd.DataFrame({p: [count_of(result, p)] for p in self.parts}, index=["cell"])
        marked = ("cell",) if self.sensitive else ()
        hidden = suppress_counts(frame, sensitive=marked, column_totals=False).hidden
        if not hidden.any().any():
            return ""
        return RULE.label(self.sensitive) if self.count else SUPPRESSED


def _indicator_row(
    kpi_id: str,
    name: str,
    unit: str,
    k: kpis.Kpi,
    results: Mapping[str, KpiResult | None],
    shape: Shape,
    row_id: str | None = None,
) -> dict[str, object]:
    """One line of the indicator table; the status is judged on this
    period's published value only (a hidden value has none)."""
    row: dict[str, object] = {
        "row_id": row_id or kpi_id,
        "kpi_id": kpi_id,
        "indicator": name,
        "unit": unit,
        "baseline": k.baseline,
        "target": k.target,
        "target_text": k.target_text,
        "target_from": k.effective_from,
        "direction": k.direction,
    }
    for column, result in results.items():
        flag = shape.flag(result)
        row[column] = None if flag or result is None else result.value
        row[f"{column}_flag"] = flag
    this = results["this_period"]
    shown = this is not None and not row["this_period_flag"]
    row["n"] = this.n if shown else None  # type: ignore[union-attr]
    row["p90"] = this.p90 if shown else None  # type: ignore[union-attr]
    both = row["this_period"] is not None and row["previous"] is not None
    row["delta"] = float(row["this_period"]) - float(row["previous"]) if both else None  # type: ignore[arg-type]
    if not shown:
        row["status"], row["status_text"] = (
            None,
            SUPPRESSED if this is not None and this.value is not None else kpis.status_text(None),
        )
    return row


def indicator_table(
    con: Connection,
    periods: Periods,
    *,
    now: datetime | None,
    gender_counts: Mapping[str, Mapping[str, int]],
    outreach_results: Mapping[str, outreach.OutreachResult] | None,
) -> pd.DataFrame:
    """The donors' table: one row per indicator, this period (``kpi_summary``,
    the Response times page's table, with its targets and statuses), the
    fiscal year to date, the same period last year and the previous period."""
    f = periods.this
    summary_frame = kpis.kpi_summary(con, f, now=now).set_index("kpi_id")
    named = periods.named()
    computed = {
        column: responsiveness.compute_kpis(con, kpis.PAGE_KPIS, g, now=now)
        for column, g in named.items()
        if column != "this_period"
    }
    rows = []
    for kpi_id in kpis.PAGE_KPIS:
        line = summary_frame.loc[kpi_id]
        this = KpiResult(
            kpi_id,
            _number(line["value"]),
            str(line["unit"]),
            int(line["n"]),
            None if pd.isna(line["numerator"]) else int(line["numerator"]),
            p90=_number(line["p90"]),
        )
        results = {"this_period": this, **{c: computed[c][kpi_id] for c in computed}}
        clock = line["clock"] if isinstance(line["clock"], str) else None
        row = _indicator_row(
            kpi_id,
            kpi_label(kpi_id, clock),
            str(line["unit"]),
            kpis.kpi_for(kpi_id, f),
            results,
            Shape.of(kpi_id),
        )
        if "status" not in row:
            row["status"] = line["status"] if isinstance(line["status"], str) else None
            row["status_text"] = str(line["status_text"])
        rows.append(row)
        if kpi_id == "R1":
            rows.append(_judged_row("R2", kpi_label("R2"), unit_of("R2"), named, _r2(con, named)))
    rows.extend(_inclusion_rows(named, gender_counts))
    if outreach_results is not None:
        rows.extend(_outreach_rows(named, outreach_results))
    frame = pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))
    for column in ("baseline", "target", "delta", "p90", *PERIOD_COLUMNS):
        frame[column] = frame[column].astype("float64")
    frame["n"] = frame["n"].astype("Int64")
    return frame


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _judged_row(
    kpi_id: str,
    name: str,
    unit: str,
    named: Mapping[str, Filters],
    results: Mapping[str, KpiResult | None],
    shape: Shape | None = None,
    *,
    judge: bool = True,
    row_id: str | None = None,
) -> dict[str, object]:
    """A row for an indicator ``kpi_summary`` does not carry, judged here
    with the catalogue's rules (``kpis.judge``) against its target."""
    k = kpis.kpi_for(kpi_id, named["this_period"])
    if not judge:
        k = replace(k, target=None, target_text="—", baseline=None)
    row = _indicator_row(kpi_id, name, unit, k, results, shape or Shape.of(kpi_id), row_id)
    if "status" not in row:
        this = results["this_period"]
        status = (
            kpis.judge(k, this.value, n=this.n)
            if this is not None and this.value is not None and judge
            else None
        )
        row["status"], row["status_text"] = status, kpis.status_text(status)
    return row


def _r2(con: Connection, named: Mapping[str, Filters]) -> dict[str, KpiResult | None]:
    return {c: responsiveness.items_per_100k(con, g) for c, g in named.items()}


def _share(part: str, counts: Mapping[str, int]) -> KpiResult:
    known = sum(counts[g] for g in ("female", "male", "transgender"))
    value = 100.0 * counts[part] / known if known else None
    return KpiResult("I1", value, "%", known, counts[part])


def _inclusion_rows(
    named: Mapping[str, Filters], gender_counts: Mapping[str, Mapping[str, int]]
) -> list[dict[str, object]]:
    """I1: the share of items with a known gender that came from women, and
    from transgender requesters (a sensitive count: hidden under 10)."""
    rows = []
    for part, who in (("female", "Women's"), ("transgender", "Transgender requesters'")):
        results = {c: _share(part, counts) for c, counts in gender_counts.items()}
        shape = Shape(("numerator", "n"), sensitive=part == "transgender")
        rows.append(
            _judged_row(
                "I1",
                f"{who} share of items with a known gender",
                "%",
                named,
                results,
                shape,
                row_id=f"I1_{part}",
            )
        )
    return rows


def _outreach_rows(
    named: Mapping[str, Filters], results: Mapping[str, outreach.OutreachResult]
) -> list[dict[str, object]]:
    """I4: events held (judged against its target) and participants counted."""
    people = {
        c: KpiResult("I4", float(r.participants_total), "count", r.participants_total)
        for c, r in results.items()
    }
    count = Shape(("n",), count=True)
    return [
        _judged_row(
            "I4", "Outreach events held", "count", named, dict(results), count, row_id="I4_events"
        ),
        _judged_row(
            "I4",
            "Outreach participants (counted)",
            "count",
            named,
            people,
            count,
            judge=False,
            row_id="I4_participants",
        ),
    ]


def gender_counts_by_period(
    con: Connection, periods: Periods, this: Mapping[str, Mapping[str, KpiResult]]
) -> dict[str, dict[str, int]]:
    """Items received per gender, per period (this period from the table)."""
    out: dict[str, dict[str, int]] = {}
    for column, g in periods.named().items():
        if column == "this_period":
            out[column] = {gn: this[gn.capitalize()]["R1"].n for gn in GENDERS}
        else:
            out[column] = {
                gn: responsiveness.items_received(con, replace(g, genders=(gn,))).n
                for gn in GENDERS
            }
    return out
