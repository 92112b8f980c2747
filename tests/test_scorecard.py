"""The IG's scorecard (metrics.scorecard, metrics.score_cells) on hand-worked data.

``ROWS`` is a small warehouse of twelve items, worked out by hand below,
with its own targets file (``TARGETS``, through ``KP_KPI_TARGETS``): the
response-rate target R3 drops from 95% to 80% on 1 March 2025, so
February keeps 95% and March gets 80%; min_n is 2, so a figure on one item
is "n too small". Times are UTC (Pakistan = UTC+5); March 2025 is the main
period, February the previous one, "now" is 15 April 2025.

March (M1-M9), all replied within their 2-hour first-reply target except M4
(never replied):

====  ================  ===========  =====  ==============================
item  district          gender       reply  also
====  ================  ===========  =====  ==============================
M1    Peshawar          female       10     referral, acknowledged in time
M2    Peshawar          male         40     referral, acknowledged in time
M3    Mardan            male         20     referral, acknowledged in time
M4    Mardan            female       —      referral, acknowledged late
M5    Khyber (merged)   male         60
M6    Swabi             male         30     RTI request resolved in time
M7    Lower Chitral     female       50
M8    Upper Chitral     transgender  45
M9    Peshawar          unknown      5
====  ================  ===========  =====  ==============================

February: F1 Peshawar female replied in 15 min, F2 Mardan male never
replied, F3 Swabi male replied in 21 min.

By hand, March, everything: R3 = 8 of 9 replied = 88.9% (target 80:
ratio 1.111); R4 P50 of [5, 10, 20, 30, 40, 45, 50, 60] = 35 min (lower
is better, target 25: ratio 25/35 = 0.714); R5 = 8 of 9 = 88.9% (target
60: 1.481, capped at 1.25); R7 = 3 of 4 = 75% (target 95: 0.789); R9,
R10, R12, R13 rest on M6 alone (n too small); R6, R8, R14 have no data.
February: R3 = 2 of 3 = 66.7% against the old 95% target (0.702); R4 P50
of [15, 21] = 18 min (25/18 = 1.389, capped at 1.25); R5 = 2 of 3 (66.7%
against 60: 1.111).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from metrics import attention, inclusion, kpis, score_cells, scorecard
from metrics import responsiveness as r
from metrics.filters import Filters, preset_period
from tests import metrics_fixture as fx
from tests.metrics_fixture import FEBRUARY, MARCH, NOW

TARGETS = """\
status:
  within_pct: 10
  min_n: 2
kpis:
  R3:
    - effective_from: 2024-07-01
      target: 95
      target_text: "≥ 95%"
    - effective_from: 2025-03-01
      target: 80
      target_text: "≥ 80%"
  R4:
    - effective_from: 2024-07-01
      target: 25
      target_text: "P50 ≤ 25 min"
  R5:
    - effective_from: 2024-07-01
      target: 60
      target_text: "≥ 60%"
  R6:
    - effective_from: 2024-07-01
      target: 60
      target_text: "P50 ≤ 1 business hour"
  R7:
    - effective_from: 2024-07-01
      target: 95
      target_text: "≥ 95%"
  R8:
    - effective_from: 2024-07-01
      target: 85
      target_text: "≥ 85%"
  R9:
    - effective_from: 2024-07-01
      target: 48
      target_text: "P50 ≤ 48 h"
  R10:
    - effective_from: 2024-07-01
      target: 85
      target_text: "≥ 85%"
  R12:
    - effective_from: 2024-07-01
      target: 5
      target_text: "≤ 5%"
  R13:
    - effective_from: 2024-07-01
      target: 100
      target_text: "100%"
  R14:
    - effective_from: 2024-07-01
      target: 85
      target_text: "≥ 85%"
  I2:
    - effective_from: 2024-07-01
      target: 1.0
      target_band: [0.9, 1.1]
      target_text: "0.9–1.1"
  I3:
    - effective_from: 2024-07-01
      target: 36
      target_text: "36/36 districts"
  C1:
    - effective_from: 2024-07-01
      target: 1.0
      target_text: "≥ 1.0"
"""


def item(
    inquiry_id: str,
    district: str,
    gender: str,
    received: str,
    reply_minutes: int | None,
    **extra: Any,
) -> dict[str, Any]:
    """One register item: received at ``received`` (UTC), first-reply target two
    hours later, replied after ``reply_minutes`` (None: never)."""
    at = pd.Timestamp(received, tz="UTC")
    row: dict[str, Any] = {
        "inquiry_id": inquiry_id,
        "district": district,
        "requester_gender": gender,
        "channel": "Facebook",
        "category": "complaint",
        "priority": "normal",
        "status": "open",
        "received_at": received,
        "first_response_due_at": str(at + pd.Timedelta(hours=2)),
    }
    if reply_minutes is not None:
        row["first_response_at"] = str(at + pd.Timedelta(minutes=reply_minutes))
        row["first_response_minutes"] = reply_minutes
        row["first_response_business_minutes"] = reply_minutes
    return {**row, **extra}


def referral(referred: str, acknowledged: str) -> dict[str, Any]:
    """Referred at ``referred``; acknowledgement due 24 h later, made at ``acknowledged``."""
    at = pd.Timestamp(referred, tz="UTC")
    return {
        "needs_field_action": True,
        "referred_at": referred,
        "field_ack_due_at": str(at + pd.Timedelta(hours=24)),
        "field_ack_at": acknowledged,
    }


ROWS = [
    item("M1", "Peshawar", "female", "2025-03-03 05:00", 10,
         **referral("2025-03-03 06:00", "2025-03-03 20:00")),
    item("M2", "Peshawar", "male", "2025-03-04 05:00", 40,
         **referral("2025-03-04 06:00", "2025-03-05 05:00")),
    item("M3", "Mardan", "male", "2025-03-05 05:00", 20,
         **referral("2025-03-05 06:00", "2025-03-06 05:00")),
    item("M4", "Mardan", "female", "2025-03-06 05:00", None,
         **referral("2025-03-06 06:00", "2025-03-08 05:00")),
    item("M5", "Khyber", "male", "2025-03-07 05:00", 60),
    item("M6", "Swabi", "male", "2025-03-10 05:00", 30,
         category="information_request", status="resolved",
         resolved_at="2025-03-18 05:00", resolution_due_at="2025-03-20 05:00",
         resolution_minutes=11520, resolution_business_minutes=3840),
    item("M7", "Lower Chitral", "female", "2025-03-11 05:00", 50),
    item("M8", "Upper Chitral", "transgender", "2025-03-12 05:00", 45),
    item("M9", "Peshawar", "unknown", "2025-03-13 05:00", 5),
    item("F1", "Peshawar", "female", "2025-02-10 05:00", 15),
    item("F2", "Mardan", "male", "2025-02-11 05:00", None),
    item("F3", "Swabi", "male", "2025-02-12 05:00", 21),
]  # fmt: skip

# The figures above, by hand.
MARCH_R3 = 100 * 8 / 9
MARCH_R5 = 100 * 8 / 9
FEB_SHARE = 100 * 2 / 3  # R3 and R5 in February
MARCH_PARTS = {"R3": MARCH_R3 / 80, "R4": 25 / 35, "R5": 1.25, "R7": 75 / 95}
FEB_PARTS = {"R3": FEB_SHARE / 95, "R4": 1.25, "R5": FEB_SHARE / 60}
MARCH_SCORE = sum(MARCH_PARTS.values()) / 4
FEB_SCORE = sum(FEB_PARTS.values()) / 3


def frame_of(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as marts.inquiries, the derived columns filled as the metrics fixture does."""
    frame = pd.DataFrame(rows).reindex(columns=list(fx.MART_COLUMNS))
    for column in fx.TIMESTAMP_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["needs_reply"] = frame["needs_reply"].fillna(True).astype(bool)
    frame["needs_field_action"] = frame["needs_field_action"].fillna(False).astype(bool)
    frame["received_date"] = [ts.astimezone(fx.KARACHI).date() for ts in frame["received_at"]]
    by_district = fx.DISTRICTS.set_index("district")
    frame["region"] = frame["district"].map(by_district["region"])
    frame["is_merged_district"] = frame["district"].map(by_district["is_merged_district"])
    frame["source"] = "register"
    frame["is_own_source"] = True
    frame["first_response_recorded"] = True
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    fx.create_schema(connection)
    inquiries, districts, census = frame_of(ROWS), fx.DISTRICTS, fx.CENSUS  # noqa: F841
    connection.execute("insert into marts.inquiries by name select * from inquiries")
    connection.execute("insert into ref.districts by name select * from districts")
    connection.execute("insert into ref.census by name select * from census")
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def targets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(textwrap.dedent(TARGETS), encoding="utf-8")
    monkeypatch.setenv("KP_KPI_TARGETS", str(path))
    return path


@pytest.fixture(scope="module")
def cells(con) -> pd.DataFrame:
    return score_cells.comparison_cells(con, MARCH, now=NOW)


# C1 ----------------------------------------------------------------------------


def test_score_is_the_mean_of_capped_ratios(con):
    summary = scorecard.responsiveness_score(con, MARCH, now=NOW)
    parts = {p.kpi_id: p for p in summary.current.included}
    assert set(parts) == set(MARCH_PARTS)
    for kpi_id, expected in MARCH_PARTS.items():
        assert parts[kpi_id].capped == pytest.approx(expected), kpi_id
    assert summary.value == pytest.approx(MARCH_SCORE)
    assert summary.value == pytest.approx(0.96622, abs=1e-5)


def test_lower_is_better_uses_target_over_actual_and_the_cap_holds(con):
    parts = {p.kpi_id: p for p in scorecard.responsiveness_score(con, MARCH, now=NOW).current.parts}
    # R4, lower is better: P50 35 min against 25 -> 25 / 35, under 1 although 35 > 25.
    assert (parts["R4"].value, parts["R4"].target) == (35.0, 25.0)
    assert parts["R4"].ratio == pytest.approx(25 / 35)
    # R5: 88.9% against 60% is 1.48 on target, counted as 1.25.
    assert parts["R5"].ratio == pytest.approx(MARCH_R5 / 60)
    assert parts["R5"].ratio > 1.25 and parts["R5"].capped == 1.25
    # February's R4, 18 min against 25 (lower is better): 1.39, capped too.
    february = scorecard.responsiveness_score(con, FEBRUARY, now=NOW).current
    r4 = next(p for p in february.parts if p.kpi_id == "R4")
    assert (r4.value, r4.ratio, r4.capped) == (18.0, pytest.approx(25 / 18), 1.25)


def test_kpis_without_data_or_enough_items_are_left_out_and_named(con):
    score = scorecard.responsiveness_score(con, MARCH, now=NOW).current
    reasons = {p.kpi_id: p.excluded for p in score.excluded}
    assert reasons == {
        "R6": "no data in the period",
        "R8": "no data in the period",
        "R9": "n too small: 1 items, fewer than 2",
        "R10": "n too small: 1 items, fewer than 2",
        "R12": "n too small: 1 items, fewer than 2",
        "R13": "n too small: 1 items, fewer than 2",
        "R14": "no data in the period",
    }
    assert "R6 (no data in the period)" in score.excluded_text
    assert "R13 (n too small: 1 items, fewer than 2)" in score.excluded_text
    # A period with no data at all has no score, and says why for every KPI.
    last_year = scorecard.responsiveness_score(con, MARCH, now=NOW).last_year
    assert last_year.value is None and not last_year.included
    assert {p.excluded for p in last_year.parts} == {"no data in the period"}


def test_previous_period_and_same_period_last_year(con):
    summary = scorecard.responsiveness_score(con, MARCH, now=NOW)
    assert summary.previous.value == pytest.approx(FEB_SCORE)
    assert summary.delta == pytest.approx(MARCH_SCORE - FEB_SCORE)
    assert summary.delta_year is None  # March 2024: nothing to compare with
    assert summary.previous_words == "last month"
    # C1 at 0.966 against >= 1.0 is within 10% of target.
    assert (summary.target, summary.status) == (1.0, "near_target")
    assert summary.status_text == "within 10% of target"


def test_a_target_changed_mid_year_leaves_old_months_alone(con):
    trend = scorecard.score_trend(con, MARCH, now=NOW).set_index("period")
    assert list(trend.index) == [f"2024-{m:02d}" for m in range(4, 13)] + [
        "2025-01",
        "2025-02",
        "2025-03",
    ]
    # February is judged against R3's 95% (in effect then), March against 80%.
    assert trend.loc["2025-02", "score"] == pytest.approx(FEB_SCORE)
    assert trend.loc["2025-03", "score"] == pytest.approx(MARCH_SCORE)
    with_new_target = (FEB_SHARE / 80 + 1.25 + FEB_SHARE / 60) / 3
    assert trend.loc["2025-02", "score"] != pytest.approx(with_new_target)
    assert trend.loc["2025-03", "n_scored"] == 4
    assert trend["score"].isna().sum() == 10  # months with no items
    tiles = scorecard.judge_tiles(score_cells.comparison_cells(con, FEBRUARY, now=NOW), FEBRUARY)
    assert tiles.set_index("kpi_id").loc["R3", "target"] == 95.0


def test_statuses_of_the_tiles(con, cells):
    tiles = scorecard.judge_tiles(cells, MARCH).set_index("kpi_id")
    assert list(tiles.index) == list(scorecard.HEADLINE_KPIS)
    expected = {
        "R1": None,  # monitored
        "R3": "on_target",  # 88.9% >= 80%
        "R4": "off_target",  # 35 min > 25 min + 10% (27.5)
        "R5": "on_target",
        "R7": "off_target",  # 75% < 95% - 10% (85.5%)
        "R10": "n_too_small",  # one item
        "R13": "n_too_small",
        "R14": None,  # no survey
    }
    assert {k: (v if isinstance(v, str) else None) for k, v in tiles["status"].items()} == expected
    assert tiles.loc["R14", "status_text"] == "no value in this period"
    assert tiles.loc["R1", "value"] == 9 and tiles.loc["R1", "previous_value"] == 3
    assert tiles.loc["R3", "value"] == pytest.approx(MARCH_R3)
    assert tiles.loc["R3", "delta"] == pytest.approx(MARCH_R3 - FEB_SHARE)
    assert tiles.loc["R4", "delta"] == pytest.approx(35 - 18)


def test_tiles_give_the_catalogue_functions_values(con, cells):
    tiles = scorecard.judge_tiles(cells, MARCH).set_index("kpi_id")
    catalogue = kpis.catalogue()
    for kpi_id in scorecard.HEADLINE_KPIS:
        function = catalogue[kpi_id].compute
        result = r.compute_kpi(con, kpi_id, MARCH, now=NOW)
        assert function is r.KPI_FUNCTIONS[kpi_id]
        if result.value is None:
            assert pd.isna(tiles.loc[kpi_id, "value"]), kpi_id
        else:
            assert tiles.loc[kpi_id, "value"] == pytest.approx(result.value), kpi_id
        assert tiles.loc[kpi_id, "n"] == result.n, kpi_id


def test_c1_and_i1_i3_join_the_catalogue():
    catalogue = kpis.catalogue()
    assert catalogue["C1"].compute is scorecard.responsiveness_score
    assert catalogue["I1"].compute is inclusion.inclusion_share
    assert catalogue["I2"].compute is inclusion.parity
    assert catalogue["I3"].compute is inclusion.district_coverage
    # The score's KPIs, as its function's docstring (the Definitions page) names them.
    assert (*(f"R{i}" for i in range(3, 11)), "R12", "R13", "R14") == scorecard.SCORE_KPIS
    assert "R3-R10, R12-R14" in " ".join((scorecard.responsiveness_score.__doc__ or "").split())


# League tables ---------------------------------------------------------------------


def test_district_league_worst_first_with_per_capita(cells):
    league = scorecard.judge_league(cells, MARCH, by="district")
    assert list(league["group"]) == [
        "Mardan",
        "Peshawar",
        "Khyber",
        "Lower Chitral",
        "Swabi",
        "Upper Chitral",
    ]
    row = league.set_index("group")
    # Mardan: R3 1 of 2 (50/80), R5 1 of 2 (50/60), R7 1 of 2 (50/95); R4 on one reply.
    assert row.loc["Mardan", "score"] == pytest.approx((50 / 80 + 50 / 60 + 50 / 95) / 3)
    assert "R4 (n too small: 1 items, fewer than 2)" in row.loc["Mardan", "excluded"]
    # Peshawar: R3, R4 (P50 10 min: 2.5), R5 all capped at 1.25; R7 2 of 2 (100/95).
    assert row.loc["Peshawar", "score"] == pytest.approx((3 * 1.25 + 100 / 95) / 4)
    assert row["score"].isna().sum() == 4  # one item each: nothing to judge
    assert (row.loc["Khyber", "merged"], row.loc["Peshawar", "merged"]) == ("merged", "settled")
    assert row.loc["Swabi", "region"] == "Mardan"
    # R2: items per 100,000 people of the district's census unit.
    assert row.loc["Peshawar", "items_per_100k"] == pytest.approx(3 / 4_000_000 * 100_000)
    assert row.loc["Lower Chitral", "items_per_100k"] == pytest.approx(1 / 500_000 * 100_000)
    assert row.loc["Mardan", "status"] == "off_target"


def test_region_and_merged_leagues(cells):
    regions = scorecard.judge_league(cells, MARCH, by="region").set_index("group")
    assert list(regions.index) == ["Mardan", "Malakand", "CCPO Peshawar"]
    # Mardan region (Mardan, Swabi): R3 2 of 3, R4 P50 of [20, 30] = 25, R5 2 of 3, R7 1 of 2.
    expected = (FEB_SHARE / 80 + 25 / 25 + FEB_SHARE / 60 + 50 / 95) / 4
    assert regions.loc["Mardan", "score"] == pytest.approx(expected)
    # Malakand (the two Chitrals): R4 P50 of [45, 50] = 47.5 min.
    assert regions.loc["Malakand", "score"] == pytest.approx((1.25 + 25 / 47.5 + 1.25) / 3)
    # One census unit for both Chitrals, counted once: 2 items / 500,000.
    assert regions.loc["Malakand", "items_per_100k"] == pytest.approx(0.4)
    merged = scorecard.judge_league(cells, MARCH, by="merged").set_index("group")
    assert set(merged.index) == {"merged", "settled"}
    assert pd.isna(merged.loc["merged", "score"])  # Khyber's one item
    assert merged.loc["settled", "items_received"] == 8


# Inclusion ---------------------------------------------------------------------------


def test_i1_shares_of_known_gender(cells):
    shares = inclusion.judge_inclusion(cells, MARCH).set_index("group")
    assert shares.loc["female", "known"] == 8  # M9's unknown gender left out
    assert shares.loc["female", "share_pct"] == pytest.approx(100 * 3 / 8)
    assert shares.loc["transgender", "share_pct"] == pytest.approx(100 * 1 / 8)
    assert shares.loc["female", "change"] == pytest.approx(100 * 3 / 8 - 100 * 1 / 3)
    female, population = 4_178_550, 8_500_000  # fixture census, sum over units
    assert shares.loc["female", "census_share_pct"] == pytest.approx(100 * female / population)
    assert shares.loc["female", "status_text"] == "no target to compare with"


def test_i2_parity_ratios(cells):
    table = inclusion.judge_parity(cells, MARCH)
    r4 = table[table["kpi_id"] == "R4"].set_index("comparison")
    # Women: replies of 10 and 50 min (P50 30); men: 40, 20, 60, 30 (P50 35).
    women = r4.loc["Women ÷ men"]
    assert (women["group_value"], women["reference_value"]) == (30.0, 35.0)
    assert women["ratio"] == pytest.approx(30 / 35)
    assert women["status"] == "near_target"  # under 0.9, within 10% of the band
    # One transgender reply, one in a merged district: n too small, not a ratio to trust.
    assert r4.loc["Transgender ÷ men", "ratio"] == pytest.approx(45 / 35)
    assert r4.loc["Transgender ÷ men", "status"] == "n_too_small"
    merged = r4.loc["Merged ÷ settled districts"]
    assert merged["ratio"] == pytest.approx(60 / 30)  # settled P50 of 7 replies: 30
    assert merged["status"] == "n_too_small"
    r10 = table[table["kpi_id"] == "R10"].set_index("comparison")
    assert r10["ratio"].isna().all()  # only M6 has a resolution target


def test_i3_district_coverage(cells):
    coverage = inclusion.judge_coverage(cells, MARCH)
    assert coverage.meeting == ("Peshawar",)
    assert coverage.below == ("Mardan",)
    assert coverage.no_data == ("Khyber", "Lower Chitral", "Swabi", "Upper Chitral")
    assert (coverage.value, coverage.of) == (1, 6)
    assert (coverage.target, coverage.status) == (36.0, "off_target")
    in_region = inclusion.judge_coverage(cells, replace(MARCH, regions=("Mardan",)))
    assert in_region.status is None
    assert "whole province" in in_region.status_text


# Needs attention ---------------------------------------------------------------------


def test_needs_attention_sentences(cells):
    found = attention.judge_attention(cells, MARCH)
    assert found.districts == (
        "Mardan: 50% of referrals acknowledged within 24 h against a 95% target; "
        "no figure for last month",
    )
    assert found.kpis == (
        "First response time (R4): median first reply 35 min (business time) against a "
        "target of at most 25 min; up 17 min on last month",
        "District acknowledgement within 24 h (R7): 75% of referrals acknowledged within "
        "24 h against a 95% target; no figure for last month; lowest in Mardan (50%)",
    )


def test_sentence_wording():
    part = scorecard.ScorePart(
        "R7", "District acknowledgement within 24 h", "%", "higher", 41.0, 30, 80.0, 0.51,
        0.51, "off_target", None,
    )  # fmt: skip
    assert attention.sentence("Kurram", part, 53.0, "last month") == (
        "Kurram: 41% of referrals acknowledged within 24 h against an 80% target; "
        "down 12 points on last month"
    )
    quarter = Filters(date(2025, 1, 1), date(2025, 3, 31))
    year = Filters(date(2024, 7, 1), date(2025, 6, 30))
    assert scorecard.previous_words(MARCH) == "last month"
    assert scorecard.previous_words(quarter) == "the previous quarter"
    assert scorecard.previous_words(year) == "the previous fiscal year"
    assert scorecard.previous_words(Filters(date(2025, 3, 1), date(2025, 3, 14))) == (
        "the previous 14 days"
    )


# Periods ---------------------------------------------------------------------------


def test_fiscal_presets_and_same_period_last_year():
    today = date(2025, 11, 14)
    assert preset_period("Last fiscal quarter", today) == (date(2025, 7, 1), date(2025, 9, 30))
    assert preset_period("Last fiscal year", today) == (date(2024, 7, 1), date(2025, 6, 30))
    assert preset_period("Last fiscal quarter", date(2025, 7, 3)) == (
        date(2025, 4, 1),
        date(2025, 6, 30),
    )
    last = MARCH.same_period_last_year()
    assert (last.start, last.end) == (date(2024, 3, 1), date(2024, 3, 31))
    february = Filters(date(2024, 2, 1), date(2024, 2, 29)).same_period_last_year()
    assert (february.start, february.end) == (date(2023, 2, 1), date(2023, 2, 28))
    leap_day = Filters(date(2024, 2, 20), date(2024, 2, 29)).same_period_last_year()
    assert (leap_day.start, leap_day.end) == (date(2023, 2, 20), date(2023, 2, 28))


def test_trend_months_cut_at_the_period_end():
    f = Filters(date(2025, 3, 1), date(2025, 3, 14))
    months = score_cells.trend_periods(f)
    assert len(months) == 12
    assert (months[0].f.start, months[-1].f.start, months[-1].f.end) == (
        date(2024, 4, 1),
        date(2025, 3, 1),
        date(2025, 3, 14),
    )
    long = score_cells.trend_periods(Filters(date(2023, 7, 1), date(2025, 6, 30)))
    assert len(long) == 24 and long[0].key == "2023-07"


# One definition: every cell equals the responsiveness functions for its filters ------


def _same(a: object, b: object) -> bool:
    missing_a = a is None or (isinstance(a, float) and math.isnan(a))
    missing_b = b is None or (isinstance(b, float) and math.isnan(b))
    return missing_a == missing_b and (missing_a or a == pytest.approx(b))


def _cell_filters(period: Filters, grouping: str, group: str | None) -> Filters | None:
    if grouping == "all":
        return period
    if group is None:
        return None
    return {
        "district": period.with_district(group),
        "region": replace(period, regions=(group,)),
        "gender": replace(period, genders=(group,)),
    }.get(grouping)


@pytest.mark.parametrize(
    "f",
    [
        MARCH,
        Filters(date(2025, 1, 1), date(2025, 3, 31)),
        Filters(date(2025, 3, 10), date(2025, 4, 20)),  # ends after "now"
        replace(MARCH, channels=("Facebook", "WhatsApp")),
    ],
    ids=["march", "quarter", "open-ended", "channels"],
)
def test_every_cell_equals_the_responsiveness_functions(f):
    """On the 30-item metrics fixture: the grouped query and the page's KPI
    functions agree for every period, district, region and gender."""
    con = fx.fixture_connection()
    cells = score_cells.comparison_cells(con, f, now=NOW)
    checked = 0
    for period in score_cells.comparison_periods(f):
        rows = cells[cells["period"] == period.key]
        for (grouping, group), cell in rows.groupby(["grouping", "group"], dropna=False):
            narrowed = _cell_filters(period.f, grouping, None if pd.isna(group) else group)
            if narrowed is None:
                continue
            expected = r.compute_kpis(con, score_cells.CELL_KPIS, narrowed, now=NOW)
            for row in cell.itertuples():
                if grouping == "gender" and row.kpi_id == "R2":
                    continue  # per 100,000 people of that gender, not of everyone
                want = expected[row.kpi_id]
                assert _same(row.value, want.value), (period.key, grouping, group, row.kpi_id)
                assert row.n == want.n, (period.key, grouping, group, row.kpi_id)
                assert _same(row.p90, want.p90), (period.key, grouping, group, row.kpi_id)
                checked += 1
    assert checked > 300
    months = score_cells.month_cells(con, f, now=NOW)
    for period in score_cells.trend_periods(f)[-3:]:
        expected = r.compute_kpis(con, score_cells.CELL_KPIS, period.f, now=NOW)
        for row in months[months["period"] == period.key].itertuples():
            assert _same(row.value, expected[row.kpi_id].value), (period.key, row.kpi_id)
    con.close()


def test_unknown_grouping_is_refused(con):
    with pytest.raises(ValueError, match="cannot measure by"):
        score_cells.score_cells(con, MARCH, score_cells.comparison_periods(MARCH), groupings=["x"])
    with pytest.raises(ValueError, match="league by"):
        scorecard.judge_league(pd.DataFrame(columns=score_cells.CELL_COLUMNS), MARCH, by="x")


def test_preset_filters_have_a_current_and_a_whole_month_trend():
    f = Filters(*preset_period("Last fiscal quarter", date(2025, 11, 14)))
    assert scorecard.previous_words(f) == "the previous quarter"
    assert [p.key for p in score_cells.comparison_periods(f)] == [
        "current",
        "previous",
        "last_year",
    ]


@pytest.mark.parametrize(
    "f",
    [
        MARCH,
        Filters(date(2024, 7, 1), date(2025, 6, 30)),
        Filters(date(2025, 3, 3), date(2025, 3, 20)),
    ],
    ids=["month", "fiscal-year", "days"],
)
def test_the_overviews_one_query_equals_its_two_parts(f):
    con = fx.fixture_connection()
    both = score_cells.overview_cells(con, f, now=NOW)
    key = ["period", "grouping", "group", "kpi_id"]
    for part, alone in (
        (score_cells.comparisons_of(both), score_cells.comparison_cells(con, f, now=NOW)),
        (score_cells.months_of(both), score_cells.month_cells(con, f, now=NOW)),
    ):
        pd.testing.assert_frame_equal(
            part.sort_values(key, na_position="first").reset_index(drop=True),
            alone.sort_values(key, na_position="first").reset_index(drop=True),
        )
    con.close()


def test_definitions_come_from_the_code_and_the_targets_file():
    from metrics import glossary

    entries = {e.id: e for e in glossary.glossary(MARCH)}
    assert list(entries) == list(kpis.catalogue())
    r3 = entries["R3"]
    # The definition is the function's docstring; the formula its first clause.
    assert r3.definition == kpis.definition_of(r.response_rate)
    assert r3.formula.startswith("Items with at least one human reply ÷ items needing a reply")
    assert r3.computed_by == "metrics.responsiveness.response_rate"
    # Tables found in the SQL the function runs.
    assert r3.source_tables == ("marts.inquiries",)
    assert entries["R2"].source_tables == ("marts.inquiries", "ref.census", "ref.districts")
    # Both entries of the targets file (lines 6 and 9 of TARGETS), as read in March.
    assert [(h.effective_from, h.target_text, h.line) for h in r3.history] == [
        (date(2024, 7, 1), "≥ 95%", 6),
        (date(2025, 3, 1), "≥ 80%", 9),
    ]
    assert (r3.target_text, r3.target_from) == ("≥ 80%", date(2025, 3, 1))
    assert any("fewer than 2 items" in c for c in r3.caveats)
    assert r3.in_score and not entries["R1"].in_score
    assert entries["C1"].computed_by == "metrics.scorecard.responsiveness_score"
    assert any("left out of the mean" in c for c in entries["C1"].caveats)
