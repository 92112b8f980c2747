"""Inquiry ids: a formula, a CNIC or a phone number is never an id (issue 14).

A register holding such ids loads its good rows; each bad one lands in
``meta.quarantine`` with the check that refused it and why, and never
reaches ``marts.inquiries``.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.config import DEFAULT_INQUIRY_ID_PATTERN, load_settings, settings_path
from core.errors import EtlError
from etl.load import load_paths, make_context
from tests.etl_helpers import read_warehouse, register_row, write_register

GOOD = ["KP-2025/001", "INQ_7.a", "2025-000123", "101004113298"]
# id -> (check that refuses it, words its reason must hold)
BAD = {
    "17301-1234567-1": ("expect_column_values_to_be_null", "shape of a CNIC"),
    "1730112345671": ("expect_column_values_to_be_null", "shape of a CNIC"),
    "0300-1234567": ("expect_column_values_to_be_null", "shape of a phone number"),
    "=HYPERLINK(A1)": ("expect_column_values_to_not_match_regex", "starts with '='"),
    "+1234": ("expect_column_values_to_not_match_regex", "starts with '+'"),
    "-1+1": ("expect_column_values_to_not_match_regex", "starts with '-'"),
    "@SUM(A1)": ("expect_column_values_to_not_match_regex", "starts with '@'"),
    "\tK-9": ("expect_column_values_to_not_match_regex", "starts with a tab"),
    "K 10": ("expect_column_values_to_match_regex", "inquiry_id_pattern"),
    "K<b>11": ("expect_column_values_to_match_regex", "inquiry_id_pattern"),
}


def _load(tmp_path, ids, settings=None):
    rows = [register_row(i, "2025-03-04 10:00") for i in ids]
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    context = make_context(settings=settings) if settings else None
    report = load_paths(
        [write_register(tmp_path / "register.csv", rows)], warehouse=warehouse, context=context
    )
    return report.files[0], warehouse


def test_formula_cnic_and_phone_ids_are_quarantined_with_the_check(tmp_path):
    result, warehouse = _load(tmp_path, [*GOOD, *BAD])
    assert (result.outcome, result.inserted, result.quarantined) == ("loaded", len(GOOD), len(BAD))
    mart = read_warehouse(warehouse, "select inquiry_id from marts.inquiries")
    assert sorted(mart["inquiry_id"]) == sorted(GOOD)
    quarantine = read_warehouse(
        warehouse, "select source_row, expectation, column_name, reason from meta.quarantine"
    )
    for row_number, (bad_id, (check, words)) in enumerate(BAD.items(), start=len(GOOD) + 2):
        found = quarantine[quarantine["source_row"] == row_number]
        assert not found.empty, bad_id
        # One quarantine row per source row: its checks and columns joined by ", ".
        checks = ", ".join(found["expectation"]).split(", ")
        assert check in checks, (bad_id, checks)
        reason = " ".join(found["reason"])
        assert words in reason, (bad_id, reason)
        assert set(", ".join(found["column_name"]).split(", ")) == {"inquiry_id"}
    # The personal numbers are not quoted back in the reasons.
    assert not quarantine["reason"].str.contains("1234567").any()


def test_the_pattern_comes_from_the_settings(tmp_path):
    settings = replace(load_settings(), inquiry_id_pattern=r"KP-\d{4}")
    result, warehouse = _load(tmp_path, ["KP-0001", "K-1", "KP-12345"], settings)
    assert (result.inserted, result.quarantined) == (1, 2)
    mart = read_warehouse(warehouse, "select inquiry_id from marts.inquiries")
    assert mart["inquiry_id"].tolist() == ["KP-0001"]
    reasons = read_warehouse(warehouse, "select reason from meta.quarantine")["reason"]
    assert reasons.str.contains(r"KP-\d{4}", regex=False).all()


def test_a_pattern_that_is_not_a_regular_expression_is_refused_naming_the_file(tmp_path):
    original = settings_path().read_text(encoding="utf-8")
    lines = [
        "inquiry_id_pattern: '[A-Z'" if line.startswith("inquiry_id_pattern:") else line
        for line in original.splitlines()
    ]
    assert lines != original.splitlines()
    broken = tmp_path / "s.yaml"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(EtlError, match=r"s\.yaml: inquiry_id_pattern '\[A-Z'"):
        load_settings(broken)
    assert load_settings(settings_path()).inquiry_id_pattern == DEFAULT_INQUIRY_ID_PATTERN


# The same rule for every register's ids (etl/sources/record_ids.py).
OTHER_BAD = {
    "17301-1234567-1": "has the shape of a CNIC",
    "0300-1234567": "has the shape of a phone number",
    "=HYPERLINK(A1)": "starts with '='",
}


def test_media_register_ids_that_are_formulas_or_numbers_are_quarantined(tmp_path):
    from tests import media_fixture

    rows = media_fixture.mention_rows()
    good = rows[0]
    bad = [{**good, "mention_id": bad_id} for bad_id in OTHER_BAD]
    path = media_fixture.write_register(tmp_path / "mentions.csv", "mentions", [good, *bad])
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    result = load_paths([path], warehouse=warehouse).files[0]
    assert (result.outcome, result.inserted, result.quarantined) == ("loaded", 1, len(OTHER_BAD))
    mart = read_warehouse(warehouse, "select mention_id from marts.media_mentions")
    assert mart["mention_id"].tolist() == [good["mention_id"]]
    reasons = " ".join(read_warehouse(warehouse, "select reason from meta.quarantine")["reason"])
    for words in OTHER_BAD.values():
        assert f"mention_id {words}" in reasons
    # Stored masked: the quarantine's record ids and reasons hold no number.
    stored = read_warehouse(warehouse, "select record_id, reason from meta.quarantine")
    assert not stored.apply(lambda c: c.str.contains("1234567")).any().any()


def test_event_log_ids_that_are_numbers_are_quarantined(tmp_path):
    import pandas as pd

    events = tmp_path / "events.csv"
    pd.DataFrame(
        [
            {"inquiry_id": "K-1", "event": "first_response", "at": "2025-03-04 10:20"},
            {"inquiry_id": "0300-1234567", "event": "first_response", "at": "2025-03-04 10:25"},
        ]
    ).to_csv(events, index=False)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    result = load_paths([events], warehouse=warehouse).files[0]
    assert (result.inserted, result.quarantined) == (1, 1)
    steps = read_warehouse(warehouse, "select inquiry_id from staging.inquiry_steps")
    assert steps["inquiry_id"].tolist() == ["K-1"]
    reasons = read_warehouse(warehouse, "select reason from meta.quarantine")["reason"]
    assert "inquiry_id has the shape of a phone number" in reasons.iloc[0]
