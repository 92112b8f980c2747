"""Disclosure control on crafted tables, every expected cell worked out by hand.

The rule (metrics/disclosure.py): counts 1-4 hidden as "<5", 1-9 in
transgender (sensitive) cells as "<10"; a shown total with exactly one
hidden cell in its row or column forces a second cell (the smallest
non-zero shown one) to be hidden as "suppressed", or the total itself
when there is none; a rate is hidden when its numerator or denominator is.
"""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.disclosure import (
    PRIMARY,
    RULE,
    SECONDARY,
    TOTAL,
    DisclosureRule,
    suppress_counts,
    suppress_derived,
)

GENDERS = ["female", "male", "transgender", "unknown"]


def districts_by_gender() -> pd.DataFrame:
    """Items received by district and requester gender; Kurram has 3
    transgender requesters, Bannu 2 of unknown gender."""
    return pd.DataFrame(
        [[20, 50, 3, 6], [30, 60, 0, 8], [12, 40, 0, 2]],
        index=pd.Index(["Kurram", "Swat", "Bannu"], name="district"),
        columns=GENDERS,
    )


def hidden_cells(status: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {
        (str(r), str(c)): status.at[r, c]
        for r in status.index
        for c in status.columns
        if status.at[r, c]
    }


def test_three_transgender_requesters_in_a_district():
    result = suppress_counts(districts_by_gender(), row_totals=True)

    # Totals as published: rows add across, the Total row adds down.
    assert result.table.loc["Kurram", TOTAL] == 79
    assert result.table.loc[TOTAL, TOTAL] == 231
    # By hand:
    # primary: Kurram/transgender 3 (<10, sensitive), Bannu/unknown 2 (<5),
    #   Total/transgender 3 (sensitive column total, <10).
    # Kurram row (total 79 shown) has one hidden cell -> smallest non-zero
    #   other: unknown 6. Bannu row: one hidden -> smallest other: female 12.
    # unknown column: Kurram 6 (S) and Bannu 2 (P) -> two, fine.
    # female column: Bannu 12 (S) alone -> smallest other: Kurram 20.
    # Total row (grand total 231 shown): transgender 3 (P) alone -> smallest
    #   other column total: unknown 16.
    # transgender column: its total is hidden, so it reveals nothing.
    assert hidden_cells(result.status) == {
        ("Kurram", "transgender"): PRIMARY,
        ("Bannu", "unknown"): PRIMARY,
        (TOTAL, "transgender"): PRIMARY,
        ("Kurram", "unknown"): SECONDARY,
        ("Bannu", "female"): SECONDARY,
        ("Kurram", "female"): SECONDARY,
        (TOTAL, "unknown"): SECONDARY,
    }
    labels = result.labels()
    assert labels.loc["Kurram", "transgender"] == "<10"
    assert labels.loc["Bannu", "unknown"] == "<5"
    assert labels.loc["Kurram", "unknown"] == "suppressed"
    assert labels.loc["Swat", "transgender"] == 0  # a zero describes nobody
    assert labels.loc["Swat", "male"] == 60


def test_no_shown_total_reveals_a_hidden_cell():
    result = suppress_counts(districts_by_gender(), row_totals=True)
    shown = result.table.astype(float).where(~result.hidden)
    for row in result.table.index:  # each row: shown total, hidden cells
        if result.hidden.at[row, TOTAL]:
            continue
        assert result.hidden.loc[row].drop(TOTAL).sum() != 1, row
    for column in result.table.columns:
        if result.hidden.at[TOTAL, column]:
            continue
        assert result.hidden[column].drop(TOTAL).sum() != 1, column
    assert shown.loc["Swat"].notna().all()


def test_a_row_whose_total_would_reveal_its_only_hidden_cell():
    # Swat: 2 of unknown gender; its total 162 would give 162 - 40 - 120 - 0.
    counts = pd.DataFrame([[40, 120, 0, 2]], index=["Swat"], columns=GENDERS)
    result = suppress_counts(counts, row_totals=True, column_totals=False)
    # By hand: unknown 2 primary; the row's smallest other non-zero cell is
    # female 40 (transgender is 0, not a useful complement).
    assert hidden_cells(result.status) == {
        ("Swat", "unknown"): PRIMARY,
        ("Swat", "female"): SECONDARY,
    }
    assert result.labels().loc["Swat", TOTAL] == 162


def test_the_total_is_hidden_when_no_other_cell_can_be():
    # Kurram: 7 transgender requesters and nobody else; its total 7 is not a
    # small count by itself (non-sensitive, >= 5) but equals the hidden cell.
    counts = pd.DataFrame([[0, 0, 7, 0], [30, 60, 0, 8]], index=["Kurram", "Swat"], columns=GENDERS)
    result = suppress_counts(counts, row_totals=True, column_totals=False)
    # By hand: Kurram/transgender 7 primary (<10); Kurram row has no non-zero
    # other cell -> the total 7 is hidden.
    assert hidden_cells(result.status) == {
        ("Kurram", "transgender"): PRIMARY,
        ("Kurram", TOTAL): SECONDARY,
    }


def test_thresholds_and_zeros():
    counts = pd.DataFrame(
        {"female": [4, 5, 0, 100], "transgender": [9, 10, 0, 0]},
        index=["a", "b", "c", "d"],
    )
    result = suppress_counts(counts, column_totals=False)
    # 4 < 5 hidden, 5 shown; transgender: 9 < 10 hidden, 10 shown; zeros shown.
    assert hidden_cells(result.status) == {("a", "female"): PRIMARY, ("a", "transgender"): PRIMARY}
    assert result.labels().loc["a", "female"] == "<5"
    assert result.labels().loc["a", "transgender"] == "<10"
    stricter = suppress_counts(counts, column_totals=False, rule=DisclosureRule(11, 20))
    assert stricter.hidden.loc["b"].tolist() == [True, True]


def test_sensitive_rows_as_well_as_columns():
    # A table by gender (rows) of two counts, with a Total row.
    counts = pd.DataFrame(
        {"received": [120, 200, 8, 30], "needing_reply": [110, 190, 8, 25]},
        index=GENDERS,
    )
    result = suppress_counts(counts)
    # By hand: transgender row is sensitive: 8 < 10 in both columns (primary).
    # Each column then has one hidden cell under a shown total: smallest other
    # non-zero is unknown (30; 25).
    assert hidden_cells(result.status) == {
        ("transgender", "received"): PRIMARY,
        ("transgender", "needing_reply"): PRIMARY,
        ("unknown", "received"): SECONDARY,
        ("unknown", "needing_reply"): SECONDARY,
    }
    assert result.table.loc[TOTAL, "received"] == 358


def test_rates_follow_their_numerator_and_denominator():
    # R3 by gender: replied ÷ needing a reply.
    counts = pd.DataFrame(
        {"needing_reply": [110, 190, 8, 25], "replied": [108, 187, 8, 3]},
        index=GENDERS,
    )
    result = suppress_counts(counts)
    # By hand: needing_reply: transgender 8 (P) -> unknown 25 (S).
    # replied: transgender 8 (P), unknown 3 (P): two hidden, no complement.
    rates = suppress_derived(result.hidden, {"response_rate": ["replied", "needing_reply"]})
    assert rates["response_rate"].to_dict() == {
        "female": False,
        "male": False,
        "transgender": True,
        "unknown": True,
        TOTAL: False,
    }
    # A percentile follows the number of items behind it.
    p50 = suppress_derived(result.hidden, {"p50": ["replied"]})
    assert p50.loc["unknown", "p50"] and not p50.loc["female", "p50"]
    with pytest.raises(KeyError, match="unknown counts"):
        suppress_derived(result.hidden, {"x": ["nope"]})


def test_an_unpublished_remainder_protects_only_when_not_zero():
    regions = pd.DataFrame({"received": [3, 400, 250]}, index=["Kohat", "Mardan", "Swat"])
    # The province total includes 6 items naming no district, not shown: the
    # total minus the shown regions gives Kohat + 6, not Kohat.
    with_rest = suppress_counts(regions, column_totals=pd.Series({"received": 659}))
    assert hidden_cells(with_rest.status) == {("Kohat", "received"): PRIMARY}
    assert with_rest.table.loc[TOTAL, "received"] == 659
    # With no remainder the total reveals Kohat: Swat (smallest other) goes too.
    exact = suppress_counts(regions, column_totals=pd.Series({"received": 653}))
    assert hidden_cells(exact.status) == {
        ("Kohat", "received"): PRIMARY,
        ("Swat", "received"): SECONDARY,
    }
    with pytest.raises(ValueError, match="groups overlap"):
        suppress_counts(regions, column_totals=pd.Series({"received": 600}))


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match="whole numbers"):
        suppress_counts(pd.DataFrame({"a": [1.0, None]}))
    with pytest.raises(ValueError, match="not both"):
        suppress_counts(
            pd.DataFrame({"a": [5]}),
            column_totals=pd.Series({"a": 5}),
            row_totals=pd.Series({0: 5}),
        )


def test_the_rule_in_words():
    words = RULE.words()
    assert '"<5"' in words and '"<10"' in words and "suppressed" in words


def test_a_preferred_group_is_given_up_first():
    # Items by gender: transgender 3 is hidden (<10); the smallest other is
    # unknown (40) by default, but the caller prefers to give up men (300).
    counts = pd.DataFrame({"received": [120, 300, 3, 40]}, index=GENDERS)
    default = suppress_counts(counts)
    assert hidden_cells(default.status) == {
        ("transgender", "received"): PRIMARY,
        ("unknown", "received"): SECONDARY,
    }
    preferring_men = suppress_counts(counts, prefer=("male",))
    assert hidden_cells(preferring_men.status) == {
        ("transgender", "received"): PRIMARY,
        ("male", "received"): SECONDARY,
    }
    # A preferred group that is zero is no complement: the smallest is used.
    counts.loc["male", "received"] = 0
    assert suppress_counts(counts, prefer=("male",)).hidden.loc["unknown", "received"]


def _gender_table(counts: dict[str, int], hidden: dict[str, str]):
    """A published gender table of R1 counts, with the given cells hidden."""
    from metrics.report.model import PublishedTable

    labels = list(counts)
    values = pd.DataFrame({"R1": [float(counts[g]) for g in labels]}, index=labels)
    flags = pd.DataFrame({"R1": [hidden.get(g, "") for g in labels]}, index=labels)
    return PublishedTable("gender", "By gender", "Gender", values, flags, {"R1": ""}, {"R1": ""})


def test_an_i1_share_is_withheld_when_it_would_reveal_a_hidden_unknown_count() -> None:
    """Female 40, male 30, transgender 12 shown; unknown 3 hidden ("<5") and
    not recorded 7 shown as the total's remainder. The transgender share
    12 / 82 = 14.6 % gives the known count 82, and total 92 - 82 - 7 = 3 is
    the hidden unknown count: neither share may be published."""
    from metrics.report.consistency import i1_safe

    counts = {"Female": 40, "Male": 30, "Transgender": 12, "Unknown": 3, "Not recorded": 7}
    table = _gender_table(counts, {"Unknown": "<5"})
    assert i1_safe(table) == {"female": False, "transgender": False}
    # With the unknown count shown as well, nothing is hidden: both shares publish.
    assert i1_safe(_gender_table(counts, {})) == {"female": True, "transgender": True}
