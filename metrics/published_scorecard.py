"""The IG's scorecard as the Overview page draws it: in full, or published to donors.

``board(measured, f)`` is the scorecard as the IG office sees it: every
figure of ``metrics.scorecard``, ``metrics.attention`` and
``metrics.inclusion`` for the page's one query
(``score_cells.overview_cells``), judged against the targets file.

``published_board(measured, f)`` is the same page for a role that may see
published figures only (``auth.policy.published_only``: donors). The
counts behind every figure go through the monthly report's disclosure
control first (``metrics.disclosure`` as ``metrics.report`` applies it:
``suppress_counts`` per KPI over a table of groups with the province as its
``Total``, with the report's complements given up first: items naming no
district, the unknown-gender group, the men's item count), so:

* a count of 1 to 4 reads "<5", a transgender count of 1 to 9 "<10", and
  the complement hidden beside it "suppressed" (league tables' items, tiles'
  numerators and denominators, the n of each KPI behind the score, the I1
  items and the I2 n);
* a figure computed from a hidden count (a rate, a percentile, R2 per
  100,000, a region's or merged/settled item count resting on a hidden
  district) is hidden too, and so is its status; a KPI whose value is
  hidden is left out of the score it would count in ("withheld under the
  disclosure rule"), so no score, sentence, trend or I3 tally rests on a
  hidden figure and none can be used to recover one;
* a figure hidden in one table is hidden wherever else it appears (the
  province's counts are the Total of four tables; a sparkline adding up to
  a tile's count loses every month once one month is hidden).

The protected query, ``overview_cells(con, f, published=True)``, adds
``value_flag``, ``n_flag`` and ``numerator_flag`` to each measured row: ""
for a published figure, else how it reads ("<5", "<10", "suppressed").
Hidden numbers are then removed from the judged rows (NaN; a hidden count
reads 0 inside, never shown) before any table is built, so a donor's page
never receives them, not even in a column it does not show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from metrics import attention, inclusion, score_cells, scorecard
from metrics.attention import Attention
from metrics.disclosure import (
    RULE,
    SENSITIVE_GROUPS,
    Suppression,
    suppress_counts,
    suppress_derived,
)
from metrics.filters import Filters
from metrics.inclusion import Coverage
from metrics.report.consistency import i1_safe, known_safe
from metrics.report.groups import (
    COUNT_KPIS,
    GENDER_COMPLEMENTS,
    NO_DISTRICT,
    NOT_RECORDED,
    TOTAL,
    count_of,
    counts_frame,
    flag_of,
    parts_of,
    with_remainder,
)
from metrics.report.indicators import Shape
from metrics.report.model import SUPPRESSED, PublishedTable
from metrics.report.trends import ADDITIVE
from metrics.responsiveness import KpiResult
from metrics.scorecard import Cells, ScoreSummary, as_number

Connection = duckdb.DuckDBPyConnection

WITHHELD = "withheld under the disclosure rule"
FLAG_COLUMNS: tuple[str, ...] = ("value_flag", "n_flag", "numerator_flag")
# The KPIs whose counts are protected; R2 (items per 100,000 people) is R1
# over a published census population, so it follows R1.
PROTECTED_KPIS: tuple[str, ...] = ("R1", *scorecard.SCORE_KPIS)
GROUPINGS: tuple[str, ...] = ("district", "region", "merged", "gender")
# What each table's groups leave out of the province (items naming no
# district, or no requester gender), and the groups it gives up first as
# complements: the monthly report's choices (metrics.report.data).
REMAINDERS = {
    "district": NO_DISTRICT,
    "region": NO_DISTRICT,
    "merged": NO_DISTRICT,
    "gender": NOT_RECORDED,
}
PREFER: dict[str, Mapping[str, Sequence[str]]] = {
    "district": {"*": (NO_DISTRICT,)},
    "region": {"*": (NO_DISTRICT,)},
    "merged": {"*": (NO_DISTRICT,)},
    "gender": GENDER_COMPLEMENTS,
}
LEAGUES: tuple[str, ...] = ("district", "region", "merged")
GENDER_LABELS = ("Female", "Male", "Transgender", "Unknown")

Flags = tuple[str, str, str]  # value_flag, n_flag, numerator_flag
Key = tuple[str, str, str | None, str]  # period, grouping, group, kpi_id
NO_FLAGS: Flags = ("", "", "")


# Disclosure control of the measured cells ---------------------------------------


def _result(row: Mapping[str, Any]) -> KpiResult:
    numerator = row["numerator"]
    return KpiResult(
        str(row["kpi_id"]),
        as_number(row["value"]),
        str(row["unit"]),
        int(row["n"]),
        None if numerator is None or pd.isna(numerator) else int(numerator),
        p90=as_number(row["p90"]),
    )


def _label(grouping: str, group: str | None) -> str:
    """A group as the report's tables name it (genders capitalised)."""
    if group is None:
        return REMAINDERS[grouping]
    return group.capitalize() if grouping == "gender" else group


def protect(
    groups: Mapping[str, Mapping[str, KpiResult]],
    total: Mapping[str, KpiResult],
    kpi_ids: Sequence[str],
    *,
    remainder_label: str,
    prefer: Mapping[str, Sequence[str]],
) -> dict[str, Suppression | None]:
    """Each KPI's counts by group, protected as ``metrics.report.groups.publish_kpis``
    protects them (the same counts, remainder, totals, sensitive groups and
    complements), keeping each count's own status so it can be labelled.

    None for a KPI none of whose counts (totals included) is small even by
    the sensitive threshold: nothing is hidden, and nothing need be worked out."""
    columns = [f"{k}:{part}" for k in kpi_ids for part in parts_of(k)]
    counts = (
        counts_frame(groups, kpi_ids) if groups else pd.DataFrame(columns=columns, dtype="int64")
    )
    totals = counts_frame({TOTAL: total}, kpi_ids).loc[TOTAL]
    counts, _ = with_remainder(counts, totals, remainder_label)
    out: dict[str, Suppression | None] = {}
    for k in kpi_ids:
        table = counts[[f"{k}:{part}" for part in parts_of(k)]]
        values = [*table.to_numpy().ravel().tolist(), *totals[table.columns].tolist()]
        if not any(RULE.is_small(v, sensitive=True) for v in values):
            out[k] = None
            continue
        out[k] = suppress_counts(
            table,
            sensitive=SENSITIVE_GROUPS,
            column_totals=True,
            prefer=prefer.get(k, prefer.get("*", ())),
        )
    return out


def _flags_of(
    protected: Mapping[str, Suppression | None], labels: Sequence[str]
) -> dict[tuple[str, str], Flags]:
    """(row label, KPI) -> flags for ``labels`` and the Total; a value is
    hidden when a count it rests on is (``suppress_derived``) and reads as
    ``publish_kpis`` writes it."""
    out: dict[tuple[str, str], Flags] = {}
    for k, s in protected.items():
        if s is None:
            out.update({(label, k): NO_FLAGS for label in (*labels, TOTAL)})
            continue
        hidden = suppress_derived(s.hidden, {k: list(s.table.columns)})
        for label in s.table.index:
            value = ""
            if hidden.at[label, k]:
                value = flag_of(s, label, f"{k}:n") if k in COUNT_KPIS else SUPPRESSED
            numerator = f"{k}:numerator"
            out[(label, k)] = (
                value,
                flag_of(s, label, f"{k}:n"),
                flag_of(s, label, numerator) if numerator in s.table.columns else "",
            )
    return out


def _single(row: Mapping[str, Any]) -> Flags:
    """A cell published alone (the province in a period no table splits): the
    report's indicator rule (``Shape``), primary suppression only. Its counts
    are never shown: hidden with the value."""
    result = _result(row)
    parts = parts_of(result.kpi_id)
    if not any(RULE.is_small(count_of(result, p), sensitive=False) for p in parts):
        return NO_FLAGS
    flag = Shape.of(result.kpi_id).flag(result)
    return (flag, flag, flag if "numerator" in parts else "")


def _first(*flags: str) -> str:
    """One figure, one fate: hidden if any table hides it (its first label)."""
    return next((f for f in flags if f), "")


def _derived_r1(flags: dict[Key, Flags], period: str, grouping: str, group: str) -> bool:
    """A region's or merged/settled item count is the sum of its districts':
    hidden when any of them is (else the hidden one is that sum minus the rest)."""
    facts = scorecard.area_facts()
    position = 0 if grouping == "region" else 1
    return any(
        flags.get((period, "district", d, "R1"), NO_FLAGS)[1]
        for d, fact in facts.items()
        if fact[position] == group
    )


def _period_flags(rows: pd.DataFrame, period: str) -> dict[Key, Flags]:
    """Every cell of one period whose groups are measured (current, previous)."""
    records = scorecard.records(rows)
    total = {
        str(r["kpi_id"]): _result(r)
        for r in records
        if r["grouping"] == "all" and r["kpi_id"] in PROTECTED_KPIS
    }
    flags: dict[Key, Flags] = {}
    totals: dict[str, list[Flags]] = {k: [] for k in PROTECTED_KPIS}
    for grouping in GROUPINGS:
        mine = [r for r in records if r["grouping"] == grouping and r["kpi_id"] in PROTECTED_KPIS]
        if not mine:
            continue
        groups: dict[str, dict[str, KpiResult]] = {}
        names: dict[str, str | None] = {}
        for r in mine:
            if r["group"] is None:
                continue  # the remainder: the total minus the named groups
            label = _label(grouping, r["group"])
            names[label] = r["group"]
            groups.setdefault(label, {})[str(r["kpi_id"])] = _result(r)
        remainder = REMAINDERS[grouping]
        protected = protect(
            groups, total, PROTECTED_KPIS, remainder_label=remainder, prefer=PREFER[grouping]
        )
        by_label = _flags_of(protected, [*groups, remainder])
        for (label, k), f in by_label.items():
            if label == TOTAL:
                totals[k].append(f)
                continue
            group = None if label == remainder and label not in names else names[label]
            flags[(period, grouping, group, k)] = f
    for grouping in ("region", "merged"):
        for r in records:
            if r["grouping"] != grouping or r["kpi_id"] != "R1" or r["group"] is None:
                continue
            key: Key = (period, grouping, r["group"], "R1")
            own = flags.get(key, NO_FLAGS)
            if _derived_r1(flags, period, grouping, r["group"]):
                flags[key] = tuple(_first(o, SUPPRESSED) for o in own)  # type: ignore[assignment]
    for k, found in totals.items():
        flags[(period, "all", None, k)] = tuple(_first(*slot) for slot in zip(*found, strict=True))  # type: ignore[assignment]
    return flags


def disclosure_flags(cells: pd.DataFrame) -> pd.DataFrame:
    """``cells`` (rows of ``score_cells``) with ``FLAG_COLUMNS`` added.

    For the periods whose groups are measured, each grouping is a table of
    groups (and the province as its Total), protected as the monthly
    report's disaggregation tables; the province is hidden wherever any of
    the four tables hides it. Other periods (the same period last year,
    the months of the trend) are the province alone: the report's
    indicator rule. R2 follows R1 in each cell.
    """
    flags: dict[Key, Flags] = {}
    split = cells[cells["grouping"] != "all"]["period"].unique()
    for period in split:
        flags.update(_period_flags(cells[cells["period"] == period], str(period)))
    out = cells.copy()
    columns: dict[str, list[str]] = {c: [] for c in FLAG_COLUMNS}
    for row in scorecard.records(cells):
        period, grouping, group = str(row["period"]), str(row["grouping"]), row["group"]
        k = str(row["kpi_id"])
        if k == "R2":
            r1 = flags.get((period, grouping, group, "R1"))
            if r1 is None:
                r1 = _single({**row, "kpi_id": "R1", "value": row["n"]})
            f: Flags = (SUPPRESSED if r1[1] else "", r1[1], r1[1])
        elif period in split:
            f = flags.get((period, grouping, group, k), NO_FLAGS)
        else:
            f = _single(row)
        for column, value in zip(FLAG_COLUMNS, f, strict=True):
            columns[column].append(value)
    for column, values in columns.items():
        out[column] = pd.Series(values, index=out.index, dtype="object")
    return out


def overview_cells(
    con: Connection,
    f: Filters,
    *,
    published: bool = False,
    months: int = 12,
    now: datetime | None = None,
) -> pd.DataFrame:
    """``score_cells.overview_cells``: the page's one query; ``published``
    adds each figure's disclosure flags (``disclosure_flags``)."""
    measured = score_cells.overview_cells(con, f, months=months, now=now)
    return disclosure_flags(measured) if published else measured


# The page's figures ------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    """Everything the Overview page draws, for one role's view of ``f``.

    ``published``: after disclosure control (a count shown as text in the
    ``*_text`` columns, hidden figures absent); ``rule``: the disclosure
    rule in words (empty when not published).
    """

    published: bool
    summary: ScoreSummary
    parts: pd.DataFrame
    trend: pd.DataFrame
    tiles: pd.DataFrame
    sparks: dict[str, list[float]]
    attention: Attention
    leagues: dict[str, pd.DataFrame]
    inclusion: pd.DataFrame
    parity: pd.DataFrame
    coverage: Coverage
    rule: str = ""


def parts_frame(score: scorecard.Score, n_text: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The score's KPIs: value, n, target, ratio, counted or why not (for display).

    ``n_text``: each KPI's n as published ("<5" ...), for a published board."""
    return pd.DataFrame(
        [
            {
                "KPI": f"{p.kpi_id} · {p.name}",
                "Value": p.value,
                "n": p.n if n_text is None else n_text[p.kpi_id],
                "Target": p.target,
                "Ratio": p.ratio,
                "Counted as": p.capped,
                "Left out because": p.excluded or "",
            }
            for p in score.parts
        ]
    )


def board(measured: pd.DataFrame, f: Filters, *, path: Path | None = None) -> Board:
    """The scorecard of ``overview_cells`` as the IG office sees it."""
    cells = scorecard.judged_cells(score_cells.comparisons_of(measured), f, path=path)
    months = score_cells.months_of(measured)
    summary = scorecard.summarise(cells, f, path=path)
    tiles = scorecard.judge_tiles(cells, f, path=path)
    return Board(
        published=False,
        summary=summary,
        parts=parts_frame(summary.current),
        trend=scorecard.judge_trend(months, f, path=path),
        tiles=tiles,
        sparks=scorecard.sparklines(months, tiles["kpi_id"]),
        attention=attention.judge_attention(cells, f, path=path),
        leagues={by: scorecard.judge_league(cells, f, by=by, path=path) for by in LEAGUES},
        inclusion=inclusion.judge_inclusion(cells, f, path=path),
        parity=inclusion.judge_parity(cells, f, path=path),
        coverage=inclusion.judge_coverage(cells, f, path=path),
    )


def _mask(judged: pd.DataFrame) -> pd.DataFrame:
    """Judged rows with every hidden figure removed: a hidden value, its P90,
    ratio and status; a hidden count (0 inside, NaN in every table built)."""
    out = judged.copy()
    hidden = out["value_flag"] != ""
    for column in ("value", "p90", "business_p90", "ratio", "capped"):
        out[column] = out[column].astype("float64").mask(hidden)
    out["status"] = out["status"].astype("object").mask(hidden, None)
    out["status_text"] = out["status_text"].astype("object").mask(hidden, SUPPRESSED)
    scored = hidden & out["kpi_id"].isin(scorecard.SCORE_KPIS)
    out["excluded"] = out["excluded"].astype("object").mask(scored, WITHHELD)
    out["n"] = out["n"].mask(out["n_flag"] != "", 0)
    out["numerator"] = out["numerator"].astype("Int64").mask(out["numerator_flag"] != "")
    return out


def count_text(value: object, flag: str) -> str:
    """A count as a donor reads it: ``1,204``, or its flag (``<5``, ``suppressed``)."""
    if flag:
        return flag
    number = as_number(value)
    return "—" if number is None else f"{number:,.0f}"


class _Flags:
    """The flags of the masked rows, by cell."""

    def __init__(self, masked: pd.DataFrame) -> None:
        self._by: dict[Key, Flags] = {
            (str(r["period"]), str(r["grouping"]), r["group"], str(r["kpi_id"])): (
                str(r["value_flag"]),
                str(r["n_flag"]),
                str(r["numerator_flag"]),
            )
            for r in scorecard.records(masked)
        }

    def __call__(
        self, period: str, grouping: str, group: str | None, kpi_id: str
    ) -> tuple[str, str, str]:
        return self._by.get((period, grouping, group, kpi_id), NO_FLAGS)


def _tiles(tiles: pd.DataFrame, flags: _Flags) -> pd.DataFrame:
    """The headline tiles with their flags; hidden counts absent."""
    out = tiles.copy()
    found = [flags("current", "all", None, str(k)) for k in out["kpi_id"]]
    for i, column in enumerate(FLAG_COLUMNS):
        out[column] = pd.Series([f[i] for f in found], index=out.index, dtype="object")
    for column, flag in (("n", "n_flag"), ("numerator", "numerator_flag")):
        numbers = pd.to_numeric(out[column], errors="coerce").astype("float64")
        out[column] = numbers.mask(out[flag] != "")
    return out


def _sparks(
    months: pd.DataFrame, tiles: pd.DataFrame, kpi_ids: Sequence[str]
) -> dict[str, list[float]]:
    """Each KPI's months, hidden months left out; a KPI whose months add up to
    the tile's count (items received: ``ADDITIVE``) loses the whole line when
    one month is hidden, and so does any KPI whose tile value is hidden."""
    sparks = scorecard.sparklines(months, kpi_ids)
    rows = months[months["grouping"] == "all"]
    for k in kpi_ids:
        month_hidden = (rows.loc[rows["kpi_id"] == k, "value_flag"] != "").any()
        tile_hidden = (tiles.loc[tiles["kpi_id"] == k, "value_flag"] != "").any()
        if tile_hidden or (k in ADDITIVE and month_hidden):
            sparks[k] = []
    return sparks


def _league(table: pd.DataFrame, by: str, flags: _Flags) -> pd.DataFrame:
    out = table.copy()
    r1 = [flags("current", by, g, "R1") for g in out["group"]]
    r2 = [flags("current", by, g, "R2") for g in out["group"]]
    out["items_text"] = [
        count_text(n, f[1]) for n, f in zip(out["items_received"], r1, strict=True)
    ]
    out["items_received"] = (
        out["items_received"]
        .astype("float64")
        .mask(pd.Series([bool(f[1]) for f in r1], index=out.index))
    )
    out["items_per_100k"] = out["items_per_100k"].mask(
        pd.Series([bool(f[0]) for f in r2], index=out.index)
    )
    out["per_100k_text"] = [
        f[0] or ("—" if pd.isna(v) else f"{v:,.1f}")
        for v, f in zip(out["items_per_100k"], r2, strict=True)
    ]
    return out


def _gender_table(flags: _Flags, period: str) -> PublishedTable:
    """The R1 flags of the gender groups, in the shape ``i1_safe`` reads."""
    labels = [*GENDER_LABELS, NOT_RECORDED]
    groups = [g.lower() for g in GENDER_LABELS] + [None]
    frame = pd.DataFrame(
        {"R1": [flags(period, "gender", g, "R1")[1] for g in groups]}, index=labels
    )
    return PublishedTable(
        key="gender",
        title="",
        index_label="Requester gender",
        values=pd.DataFrame(index=labels, columns=["R1"], dtype="float64"),
        flags=frame,
        units={"R1": "count"},
        labels={"R1": "R1"},
    )


def _share_hidden(row: Mapping[str, Any], gender: PublishedTable) -> bool:
    """A published I1 share: the report's rule (``i1_safe`` beside the gender
    table, the indicator's own counts), and the known count safe to reveal."""
    group = str(row["group"])
    if row["share_pct"] is None or pd.isna(row["share_pct"]):
        return False
    shape = Shape(("numerator", "n"), sensitive=group == "transgender")
    result = KpiResult("I1", float(row["share_pct"]), "%", int(row["known"]), int(row["items"]))
    return bool(shape.flag(result)) or not i1_safe(gender)[group]


def _previous_share_hidden(group: str, gender: PublishedTable, cells: Cells) -> bool:
    counts = {
        g: int((cells.record("previous", "gender", g, "R1") or {}).get("n", 0))
        for g in ("female", "male", "transgender")
    }
    known = sum(counts.values())
    if not known:
        return False
    result = KpiResult("I1", 100.0 * counts[group] / known, "%", known, counts[group])
    shape = Shape(("numerator", "n"), sensitive=group == "transgender")
    return bool(shape.flag(result)) or not i1_safe(gender)[group]


def _inclusion(cells: Cells, f: Filters, flags: _Flags, path: Path | None) -> pd.DataFrame:
    """I1 from the true counts (``cells`` unmasked), then hidden as the report
    hides it; the known-gender count shown only when it may be revealed."""
    table = inclusion.judge_inclusion(cells, f, path=path)
    now, before = _gender_table(flags, "current"), _gender_table(flags, "previous")
    safe = known_safe(now)
    rows = scorecard.records(table)
    r1 = [flags("current", "gender", str(r["group"]), "R1")[1] for r in rows]
    hidden = pd.Series([_share_hidden(r, now) for r in rows], index=table.index)
    earlier = pd.Series(
        [_previous_share_hidden(str(r["group"]), before, cells) for r in rows], index=table.index
    )
    out = table.copy()
    out["items_text"] = [count_text(r["items"], flag) for r, flag in zip(rows, r1, strict=True)]
    out["items"] = (
        out["items"].astype("float64").mask(pd.Series([bool(x) for x in r1], index=out.index))
    )
    out["known_text"] = [count_text(r["known"], "" if safe else SUPPRESSED) for r in rows]
    out["known"] = out["known"].astype("float64").mask(pd.Series(not safe, index=out.index))
    out["share_flag"] = [SUPPRESSED if h else "" for h in hidden]
    out["share_pct"] = out["share_pct"].mask(hidden)
    out["previous_share_pct"] = out["previous_share_pct"].mask(earlier)
    out["change"] = out["change"].mask(hidden | earlier)
    out["status"] = out["status"].astype("object").mask(hidden, None)
    out["status_text"] = out["status_text"].astype("object").mask(hidden, SUPPRESSED)
    return out


def _parity(table: pd.DataFrame, flags: _Flags) -> pd.DataFrame:
    """I2 on the masked rows (a hidden side has no value, so no ratio), with
    each side's n as published."""
    out = table.copy()
    groupings = {g: grouping for _, grouping, g, _ in inclusion.PARITY_PAIRS}
    groupings.update({ref: grouping for _, grouping, _, ref in inclusion.PARITY_PAIRS})
    side_flags = {
        side: [
            flags("current", groupings[g], g, k)
            for g, k in zip(out[side], out["kpi_id"], strict=True)
        ]
        for side in ("group", "reference")
    }
    hidden = pd.Series(
        [
            bool(a[0] or b[0])
            for a, b in zip(side_flags["group"], side_flags["reference"], strict=True)
        ],
        index=out.index,
    )
    for side in ("group", "reference"):
        found = side_flags[side]
        out[f"{side}_n_text"] = [
            count_text(n, f[1]) for n, f in zip(out[f"{side}_n"], found, strict=True)
        ]
        out[f"{side}_n"] = (
            out[f"{side}_n"]
            .astype("float64")
            .mask(pd.Series([bool(f[1]) for f in found], index=out.index))
        )
    out["ratio"] = out["ratio"].mask(hidden)
    out["ratio_flag"] = [SUPPRESSED if h else "" for h in hidden]
    out["status"] = out["status"].astype("object").mask(hidden, None)
    out["status_text"] = out["status_text"].astype("object").mask(hidden, SUPPRESSED)
    return out


def _coverage(coverage: Coverage, cells: Cells, flags: _Flags) -> Coverage:
    """I3 with each district whose R7 is withheld named as such, not as "no
    referral due": it counts as neither meeting nor below."""
    withheld = tuple(
        g for g in cells.groups("district") if flags("current", "district", g, "R7")[0]
    )
    return replace(
        coverage,
        no_data=tuple(g for g in coverage.no_data if g not in withheld),
        withheld=withheld,
    )


def published_board(measured: pd.DataFrame, f: Filters, *, path: Path | None = None) -> Board:
    """The scorecard of ``overview_cells(..., published=True)`` as published to
    donors: every count and every figure resting on one after disclosure
    control (see the module's docstring).

    Raises ``ValueError`` when ``measured`` has no disclosure flags: a
    published board is never drawn from unprotected counts."""
    missing = [c for c in FLAG_COLUMNS if c not in measured.columns]
    if missing:
        raise ValueError(f"cells without disclosure flags ({', '.join(missing)}): not publishable")
    judged = scorecard.judge_cells(measured.drop(columns=list(FLAG_COLUMNS)), f, path=path)
    judged = pd.concat([judged, measured[list(FLAG_COLUMNS)]], axis=1)
    comparing = judged["period"].isin(score_cells.COMPARISON_KEYS)
    true_cells = Cells(judged[comparing].reset_index(drop=True))
    masked = _mask(judged)
    cells = Cells(masked[comparing].reset_index(drop=True))
    months_frame = masked[~comparing & (masked["grouping"] == "all")].reset_index(drop=True)
    months = Cells(months_frame)
    flags = _Flags(masked)

    summary = scorecard.summarise(cells, f, path=path)
    n_text = {
        k: count_text(
            (cells.record("current", "all", None, k) or {}).get("n"),
            flags("current", "all", None, k)[1],
        )
        for k in scorecard.SCORE_KPIS
    }
    tiles = _tiles(scorecard.judge_tiles(cells, f, path=path), flags)
    coverage = inclusion.judge_coverage(cells, f, path=path)
    return Board(
        published=True,
        summary=summary,
        parts=parts_frame(summary.current, n_text),
        trend=scorecard.judge_trend(months, f, path=path),
        tiles=tiles,
        sparks=_sparks(months_frame, tiles, list(tiles["kpi_id"])),
        attention=attention.judge_attention(cells, f, path=path),
        leagues={
            by: _league(scorecard.judge_league(cells, f, by=by, path=path), by, flags)
            for by in LEAGUES
        },
        inclusion=_inclusion(true_cells, f, flags, path),
        parity=_parity(inclusion.judge_parity(cells, f, path=path), flags),
        coverage=_coverage(coverage, cells, flags),
        rule=RULE.words(),
    )
