"""One figure, one fate: what a table withholds is withheld everywhere.

The indicator table repeats the disaggregation tables' Total rows, the
women's share of items (I1) can be combined with the gender table, and the
monthly and weekly trends add up to the indicator table's figures. So
after each table is protected on its own, ``reconcile`` withholds in the
indicator table every figure another table withholds, and ``i1_safe`` says
when the women's and transgender shares can be published beside the
gender table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from metrics.report.groups import NOT_RECORDED, TOTAL
from metrics.report.model import SUPPRESSED, PublishedTable

COMPLEMENT_WORDS = (
    "In this report the groups given up first as complements are: in the gender table the "
    "unknown-gender group, and for the item counts the men's group (so that the women's "
    "figures stay published and the women's share of items cannot be used to recover the "
    "transgender count); in the region and district tables the items naming no district. "
    "A figure hidden in one table is hidden wherever else it would appear (the indicator "
    "table, the monthly and weekly trends)."
)


def i1_safe(gender: PublishedTable) -> dict[str, bool]:
    """Whether each I1 share can be published beside the gender table.

    A share of items with a known gender, with the table's total and
    unknown-gender count, gives the known-gender count exactly; with the
    women's count it then gives female + male + transgender. So the women's
    share is published only when the women's and the unknown counts are, and
    the men's and transgender counts are not exactly one hidden cell (the
    table gives up the men's count first to keep that so); the transgender
    share only when the transgender count is published. Either share also
    reveals the known-gender count (its count ÷ the share), so neither is
    published unless that count is safe to reveal (``known_safe``).
    """
    flag = gender.flags["R1"]
    shown = {
        label: not flag.get(label, "") for label in ("Female", "Male", "Transgender", "Unknown")
    }
    women = shown["Female"] and shown["Unknown"] and (shown["Male"] + shown["Transgender"]) != 1
    known = known_safe(gender)
    return {"female": women and known, "transgender": shown["Transgender"] and known}


def known_safe(gender: PublishedTable) -> bool:
    """Whether the known-gender count (female + male + transgender) may be
    revealed, as any published I1 share reveals it: then neither of the sums
    it completes, female + male + transgender and unknown + not recorded
    (their difference from the published total), may have exactly one
    hidden count."""
    flag = gender.flags["R1"]
    hidden = {label: bool(flag.get(label, "")) for label in flag.index}
    known = sum(hidden.get(g, False) for g in ("Female", "Male", "Transgender"))
    rest = sum(hidden.get(g, False) for g in ("Unknown", NOT_RECORDED))
    return known != 1 and rest != 1


def _hide(indicators: pd.DataFrame, mask: pd.Series, column: str) -> None:
    """Hide one period's value of the rows in ``mask`` (in place)."""
    rows = mask & indicators[column].notna()
    indicators.loc[rows, column] = float("nan")
    indicators.loc[rows, f"{column}_flag"] = SUPPRESSED
    if column in ("this_period", "previous"):
        indicators.loc[rows, "delta"] = float("nan")
    if column == "this_period":
        indicators.loc[rows, ["n", "p90"]] = pd.NA
        indicators.loc[rows, "status"] = None
        indicators.loc[rows, "status_text"] = SUPPRESSED


def reconcile(
    indicators: pd.DataFrame,
    tables: Sequence[PublishedTable],
    *,
    hide_fiscal_ytd: set[str],
    hide_this_r1: bool,
) -> pd.DataFrame:
    """The indicator table with every figure a disaggregation, the monthly
    or the weekly table hides hidden too: the same figure must never be
    published in one place and withheld in another."""
    out = indicators.copy()
    for table in tables:
        if TOTAL not in table.flags.index or table.key.startswith("outreach"):
            continue
        for k in table.flags.columns:
            if table.flags.at[TOTAL, k]:
                _hide(out, out["row_id"] == k, "this_period")
    gender = next((t for t in tables if t.key == "gender"), None)
    if gender is not None:
        safe = i1_safe(gender)
        for part in ("female", "transgender"):
            if not safe[part]:
                _hide(out, out["row_id"] == f"I1_{part}", "this_period")
    for k in hide_fiscal_ytd:
        _hide(out, out["row_id"] == k, "fiscal_ytd")
    if hide_this_r1:
        _hide(out, out["row_id"] == "R1", "this_period")
    for table in tables:
        if table.key == "outreach_region" and table.flags.at[TOTAL, "participants"]:
            _hide(out, out["row_id"] == "I4_participants", "this_period")
        if table.key == "outreach_region" and table.flags.at[TOTAL, "events"]:
            _hide(out, out["row_id"] == "I4_events", "this_period")
    return out
