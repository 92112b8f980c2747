"""Disclosure control for published (donor) tables: small cells are hidden.

Nothing a donor receives may identify a person. A table of counts by group
(requester gender, region, merged or settled districts) can: "3
transgender requesters in Kurram this month" points at three people. The
rule, applied to every count a published table shows or lets a reader
derive (the numerators and denominators behind its rates included):

1. **Primary suppression.** A count of 1 to 4 is hidden and shown as
   "<5"; in a sensitive cell (a transgender row or column, or any cell the
   caller marks sensitive) a count of 1 to 9 is hidden and shown as "<10".
   A zero is shown: it describes nobody. Totals are counts too.
2. **Complementary (secondary) suppression.** Wherever a shown total would
   let a reader subtract the shown cells from it and recover the single
   hidden cell of its row or column, one more cell of that row or column
   is hidden ("suppressed"): the smallest non-zero shown cell (the first
   in table order on a tie), or one of a group the caller prefers to
   give up first (unknown gender, items naming no district). If there is
   none, the total itself is hidden.
   This repeats until no shown total has exactly one hidden cell, since a
   cell hidden for one column can leave its row with exactly one. A
   remainder the table does not show (items naming no district, when the
   published total includes them) protects like a hidden cell when it is
   not zero.
3. **Rates.** A rate (or a percentile, or any figure computed from counts)
   is hidden when any count it is computed from is hidden: its numerator
   or its denominator (for a percentile, the number of items behind it).

Pure pandas over small aggregate tables (a few dozen cells): the counts
come from the metric functions, never from rows. ``suppress_counts`` does
1 and 2; ``suppress_derived`` does 3; ``RULE.words()`` says the rule in the
methodology annex.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

TOTAL = "Total"
PRIMARY = "primary"
SECONDARY = "secondary"
SUPPRESSED_WORD = "suppressed"

# The rows and columns a published table treats as sensitive by default.
SENSITIVE_GROUPS: tuple[str, ...] = ("transgender",)


@dataclass(frozen=True)
class DisclosureRule:
    """Thresholds: counts from 1 to ``min_count - 1`` are hidden (sensitive:
    1 to ``min_sensitive_count - 1``)."""

    min_count: int = 5
    min_sensitive_count: int = 10

    def threshold(self, sensitive: bool) -> int:
        return self.min_sensitive_count if sensitive else self.min_count

    def is_small(self, value: float, sensitive: bool) -> bool:
        """A count that must be hidden: at least 1 and under the threshold."""
        return 0 < value < self.threshold(sensitive)

    def label(self, sensitive: bool) -> str:
        """How a primary-suppressed count reads: ``<5`` or ``<10``."""
        return f"<{self.threshold(sensitive)}"

    def words(self) -> str:
        """The rule in plain words, for the methodology annex."""
        low, high = self.min_count - 1, self.min_sensitive_count - 1
        return (
            f'Counts from 1 to {low} are not published and show as "<{self.min_count}"; '
            f"in sensitive cells (transgender requesters or participants) counts from 1 to "
            f'{high} show as "<{self.min_sensitive_count}". Zeros are published. Where a '
            "published total would let a reader recover a single hidden cell of its row or "
            "column by subtraction, a second non-zero cell is hidden too and shows as "
            f'"{SUPPRESSED_WORD}": by preference one of a group the table gives up first '
            "(below), else the smallest; if there is none, the total is hidden. "
            "This is repeated until no total reveals a hidden cell. A rate, share or "
            "percentile is hidden when a count it is computed from (its numerator, its "
            "denominator, or the number of items behind a percentile) is hidden. Reports "
            "carry no row-level data and no free text from the public."
        )


RULE = DisclosureRule()

# A cell of the working grid: (row label, column label). Totals use TOTAL;
# the hidden remainders use _REMAINDER.
_REMAINDER = "\x00remainder"
Cell = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class Suppression:
    """A count table as published, and which of its cells are hidden.

    ``table``: the counts with the totals shown (a ``Total`` row, and a
    ``Total`` column when row totals are shown). ``status``: same shape,
    "" for a shown cell, ``PRIMARY`` or ``SECONDARY`` for a hidden one.
    ``sensitive``: same shape, True where the sensitive threshold applied.
    """

    table: pd.DataFrame
    status: pd.DataFrame
    sensitive: pd.DataFrame
    rule: DisclosureRule = RULE

    @property
    def hidden(self) -> pd.DataFrame:
        """True where a cell is suppressed (primary or secondary)."""
        return self.status != ""

    def values(self) -> pd.DataFrame:
        """The counts with every hidden cell as NA (for arithmetic and charts)."""
        return self.table.astype("Float64").mask(self.hidden)

    def labels(self) -> pd.DataFrame:
        """What a reader sees: the count, ``<5``/``<10`` (primary) or
        ``suppressed`` (secondary)."""
        shown = self.table.astype(object).copy()
        for row in shown.index:
            for column in shown.columns:
                status = self.status.at[row, column]
                if status == PRIMARY:
                    shown.at[row, column] = self.rule.label(bool(self.sensitive.at[row, column]))
                elif status == SECONDARY:
                    shown.at[row, column] = SUPPRESSED_WORD
        return shown


def _labels(labels: Iterable[Hashable]) -> set[Hashable]:
    """Labels to match case-blind (text is compared folded)."""
    return {s.casefold() if isinstance(s, str) else s for s in labels}


def _sensitive_label(label: Hashable, sensitive: set[Hashable]) -> bool:
    return label in sensitive or (isinstance(label, str) and label.casefold() in sensitive)


def _given_totals(
    totals: pd.Series | bool, labels: pd.Index, sums: pd.Series, what: str
) -> pd.Series | None:
    """Published totals: the sums (True), none (False), or the given ones."""
    if totals is False:
        return None
    if totals is True:
        return sums
    given = pd.Series(totals, dtype="float64").reindex(labels)
    if given.isna().any():
        missing = [str(x) for x in given[given.isna()].index]
        raise ValueError(f"{what} totals miss {', '.join(missing)}")
    short = given < sums - 1e-9
    if short.any():
        raise ValueError(
            f"{what} total of {', '.join(str(x) for x in given[short].index)} is smaller "
            "than the sum of its cells: the groups overlap"
        )
    return given


@dataclass
class _Grid:
    """The table as cells and the additive equations (members sum to a total)."""

    value: dict[Cell, float]
    published: dict[Cell, bool]
    sensitive: dict[Cell, bool]
    equations: list[tuple[list[Cell], Cell]]


def _grid(
    counts: pd.DataFrame,
    column_totals: pd.Series | bool,
    row_totals: pd.Series | bool,
    sensitive_labels: set[Hashable],
) -> _Grid:
    if not isinstance(column_totals, bool) and not isinstance(row_totals, bool):
        raise ValueError("give explicit totals for rows or for columns, not both")
    rows, columns = list(counts.index), list(counts.columns)
    data = counts.astype("float64")
    if data.isna().any().any() or (data < 0).any().any():
        raise ValueError("counts must be whole numbers >= 0 (no blanks)")
    col_tot = _given_totals(column_totals, counts.columns, data.sum(axis=0), "column")
    row_tot = _given_totals(row_totals, counts.index, data.sum(axis=1), "row")

    value: dict[Cell, float] = {}
    published: dict[Cell, bool] = {}
    sensitive: dict[Cell, bool] = {}

    def put(cell: Cell, v: float, shown: bool) -> None:
        value[cell] = float(v)
        published[cell] = shown
        sensitive[cell] = _sensitive_label(cell[0], sensitive_labels) or _sensitive_label(
            cell[1], sensitive_labels
        )

    for r in rows:
        for c in columns:
            put((r, c), data.at[r, c], True)
    all_rows, all_columns = list(rows), list(columns)
    if not isinstance(column_totals, bool):  # explicit totals: a hidden remainder row
        for c in columns:
            put((_REMAINDER, c), col_tot[c] - data[c].sum(), False)
        all_rows.append(_REMAINDER)
    if not isinstance(row_totals, bool):
        for r in rows:
            put((r, _REMAINDER), row_tot[r] - data.loc[r].sum(), False)
        all_columns.append(_REMAINDER)

    equations: list[tuple[list[Cell], Cell]] = []
    if col_tot is not None:
        for c in all_columns:
            total = float(sum(value[(r, c)] for r in all_rows))
            put((TOTAL, c), total, c != _REMAINDER)
            equations.append(([(r, c) for r in all_rows], (TOTAL, c)))
    if row_tot is not None:
        for r in all_rows:
            total = float(sum(value[(r, c)] for c in all_columns))
            put((r, TOTAL), total, r != _REMAINDER)
            equations.append(([(r, c) for c in all_columns], (r, TOTAL)))
    if col_tot is not None and row_tot is not None:
        grand = float(sum(value[(TOTAL, c)] for c in all_columns))
        put((TOTAL, TOTAL), grand, True)
        equations.append(([(TOTAL, c) for c in all_columns], (TOTAL, TOTAL)))
        equations.append(([(r, TOTAL) for r in all_rows], (TOTAL, TOTAL)))
    return _Grid(value, published, sensitive, equations)


def _complement(grid: _Grid, status: dict[Cell, str], prefer: set[Hashable]) -> None:
    """Secondary suppressions until no shown total reveals a single hidden cell."""
    changed = True
    while changed:
        changed = False
        for members, total in grid.equations:
            if not grid.published[total] or status.get(total):
                continue  # a hidden total reveals nothing here
            hidden = [m for m in members if grid.published[m] and status.get(m)]
            # A remainder the table never shows protects when it is not zero.
            unseen = [m for m in members if not grid.published[m] and grid.value[m] > 0]
            if len(hidden) != 1 or unseen:
                continue
            candidates = [
                m for m in members if grid.published[m] and not status.get(m) and grid.value[m] > 0
            ]
            if candidates:
                # Preferred rows or columns first, then the smallest; the first on a tie.
                choice = min(
                    candidates,
                    key=lambda m: (
                        not (_sensitive_label(m[0], prefer) or _sensitive_label(m[1], prefer)),
                        grid.value[m],
                    ),
                )
                status[choice] = SECONDARY
            else:
                status[total] = SECONDARY
            changed = True


def suppress_counts(
    counts: pd.DataFrame,
    *,
    sensitive: Iterable[Hashable] = SENSITIVE_GROUPS,
    column_totals: pd.Series | bool = True,
    row_totals: pd.Series | bool = False,
    prefer: Iterable[Hashable] = (),
    rule: DisclosureRule = RULE,
) -> Suppression:
    """Primary and complementary suppression of a table of counts.

    ``counts``: one row per group, one column per count (no totals in it).
    ``sensitive``: row or column labels (compared case-blind for text) whose
    cells use the sensitive threshold. ``column_totals``: True publishes a
    ``Total`` row of column sums; a Series publishes those totals instead
    (e.g. province figures that include items naming no district: the
    difference is a remainder the table does not show); False, none.
    ``row_totals``: the same for a ``Total`` column (explicit totals on one
    side only). ``prefer``: row or column labels whose cells are taken as
    complements first (e.g. "unknown", so women's and men's figures stay
    published), before the smallest cell. Returns the published table and
    each cell's status.
    """
    labels = _labels(sensitive)
    grid = _grid(counts, column_totals, row_totals, labels)
    status: dict[Cell, str] = {
        cell: PRIMARY
        for cell, v in grid.value.items()
        if grid.published[cell] and rule.is_small(v, grid.sensitive[cell])
    }
    _complement(grid, status, _labels(prefer))

    rows = list(counts.index) + ([TOTAL] if (TOTAL, counts.columns[0]) in grid.value else [])
    has_row_totals = (counts.index[0], TOTAL) in grid.value if len(counts.index) else False
    columns = list(counts.columns) + ([TOTAL] if has_row_totals else [])
    table = pd.DataFrame(index=pd.Index(rows, name=counts.index.name), columns=columns)
    flags = pd.DataFrame("", index=table.index, columns=columns)
    marks = pd.DataFrame(False, index=table.index, columns=columns)
    for r in rows:
        for c in columns:
            table.at[r, c] = grid.value[(r, c)]
            flags.at[r, c] = status.get((r, c), "")
            marks.at[r, c] = grid.sensitive[(r, c)]
    table = table.astype("float64")
    if (table == table.round()).all().all():
        table = table.astype("int64")
    return Suppression(table, flags, marks, rule)


def suppress_derived(
    hidden: pd.DataFrame,
    inputs: Mapping[str, Sequence[str]],
    index: pd.Index | None = None,
) -> pd.DataFrame:
    """Which derived figures (rates, shares, percentiles) must be hidden.

    ``hidden``: a ``Suppression.hidden`` table of counts. ``inputs``: per
    derived column, the count columns it is computed from (numerator and
    denominator; for a percentile, its n). Returns a boolean table, one
    column per derived figure, rows of ``hidden`` (or ``index``): True
    where any input count of that row is hidden.
    """
    rows = hidden.index if index is None else index
    out = pd.DataFrame(False, index=rows, columns=list(inputs))
    for derived, columns in inputs.items():
        missing = [c for c in columns if c not in hidden.columns]
        if missing:
            raise KeyError(f"{derived} is computed from unknown counts {missing}")
        for row in rows:
            out.at[row, derived] = bool(any(hidden.at[row, c] for c in columns))
    return out
