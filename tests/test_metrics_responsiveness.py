"""Responsiveness KPIs (R1-R14) and the page's tables, on a hand-checkable fixture.

Every expectation is worked out by hand (the comments show the items) or
by a small, separate pandas implementation of the catalogue's definition
(``ref_*`` below); none calls the code under test. Percentiles: DuckDB's
quantile_cont is linear interpolation, pandas' default quantile method.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

import pandas as pd
import pytest

from core.warehouse import connect, reading, snapshot_id
from metrics import kpis
from metrics import responsiveness as r
from metrics.filters import (
    KARACHI,
    PRESETS,
    Filters,
    fiscal_quarter,
    fiscal_year_label,
    fiscal_year_start,
    preset_period,
)
from tests.metrics_fixture import (
    ALL_KP_POPULATION,
    FEBRUARY,
    MARCH,
    NOW,
    PERSONAL_DATA_COLUMNS,
    fixture_connection,
    inquiries_frame,
)


@pytest.fixture(scope="module")
def con():
    connection = fixture_connection()
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def mart() -> pd.DataFrame:
    return inquiries_frame()


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def as_of(f: Filters, now: datetime = NOW) -> pd.Timestamp:
    return pd.Timestamp(min(f.end_at, now))


# Reference implementations in plain pandas ---------------------------------
# Comparisons with NaT are False, which is what SQL's NULL does in a WHERE.


def scoped(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    keep = pd.Series(True, index=df.index)
    if f.regions:
        keep &= df["region"].isin(f.regions)
    if f.districts:
        keep &= df["district"].isin(f.districts)
    if f.channels:
        keep &= df["channel"].isin(f.channels)
    return df[keep]


def in_window(column: pd.Series, start, end) -> pd.Series:
    return (column >= pd.Timestamp(start)) & (column < pd.Timestamp(end))


@dataclass
class Expected:
    value: float | None
    n: int
    numerator: int | None = None
    p90: float | None = None


def share(n: int, numerator: int) -> Expected:
    return Expected(100.0 * numerator / n if n else None, n, numerator)


def quantiles(values: pd.Series) -> Expected:
    values = values.dropna().astype(float)
    if values.empty:
        return Expected(None, 0)
    return Expected(values.quantile(0.5), len(values), None, values.quantile(0.9))


def ref_r1(df, f):
    n = int(in_window(scoped(df, f)["received_at"], f.start_at, f.end_at).sum())
    return Expected(float(n), n, n)


def ref_r3(df, f):
    s = scoped(df, f)
    cohort = s[s["needs_reply"] & in_window(s["received_at"], f.start_at, f.end_at)]
    return share(len(cohort), int(cohort["first_response_at"].notna().sum()))


def ref_r4(df, f, business=True):
    s = scoped(df, f)
    cohort = s[s["needs_reply"] & in_window(s["first_response_at"], f.start_at, f.end_at)]
    column = "first_response_business_minutes" if business else "first_response_minutes"
    return quantiles(cohort[column])


def ref_r5(df, start, judged_at):
    s = df[df["needs_reply"] & df["first_response_due_at"].notna()]
    replied = s[in_window(s["first_response_at"], start, judged_at)]
    awaiting = s[
        (s["received_at"] < judged_at)
        & ~(s["first_response_at"] < judged_at)
        & in_window(s["first_response_due_at"], start, judged_at)
    ]
    on_time = int((replied["first_response_at"] <= replied["first_response_due_at"]).sum())
    return share(len(replied) + len(awaiting), on_time)


def ref_r6(df, f, business=True):
    s = scoped(df, f)
    cohort = s[s["needs_field_action"] & in_window(s["referred_at"], f.start_at, f.end_at)]
    column = "referral_business_minutes" if business else "referral_minutes"
    return quantiles(cohort[column])


def ref_due_share(df, f, due, done, now=NOW):
    s = scoped(df, f)
    cohort = s[s["needs_field_action"] & in_window(s[due], f.start_at, as_of(f, now))]
    return share(len(cohort), int((cohort[done] <= cohort[due]).sum()))


def resolved_in(df, f):
    return df[in_window(df["resolved_at"], f.start_at, f.end_at)]


def ref_r9(df, f, business=False):
    column = "resolution_business_minutes" if business else "resolution_minutes"
    return quantiles(resolved_in(scoped(df, f), f)[column] / 60.0)


def state_at(df, judged_at):
    resolved = (df["resolved_at"] < judged_at) & ~(
        (df["reopened_at"] > df["resolved_at"]) & (df["reopened_at"] < judged_at)
    )
    is_open = df["needs_reply"] & (df["received_at"] < judged_at) & ~resolved
    return resolved, is_open


def ref_r10(df, start, judged_at):
    resolved, is_open = state_at(df, judged_at)
    has_due = df["resolution_due_at"].notna()
    done = df[has_due & resolved & (df["resolved_at"] >= start)]
    late_open = df[has_due & is_open & in_window(df["resolution_due_at"], start, judged_at)]
    on_time = int((done["resolved_at"] <= done["resolution_due_at"]).sum())
    return share(len(done) + len(late_open), on_time)


def ref_r11(df, judged_at):
    _, is_open = state_at(df, judged_at)
    overdue = int((is_open & (df["resolution_due_at"] < judged_at)).sum())
    return Expected(float(overdue), int(is_open.sum()), overdue)


def ref_r12(df, f):
    cohort = resolved_in(scoped(df, f), f)
    return share(len(cohort), int(cohort["reopened_at"].notna().sum()))


def ref_r13(df, f, now=NOW):
    s = scoped(df, f)
    cohort = s[
        (s["category"] == "information_request")
        & in_window(s["resolution_due_at"], f.start_at, as_of(f, now))
    ]
    return share(len(cohort), int((cohort["resolved_at"] <= cohort["resolution_due_at"]).sum()))


def ref_r14(df, f):
    cohort = resolved_in(scoped(df, f), f)
    cohort = cohort[cohort["satisfaction"].notna()]
    return share(len(cohort), int((cohort["satisfaction"] == "satisfied").sum()))


def reference(df: pd.DataFrame, kpi_id: str, f: Filters, now: datetime = NOW) -> Expected:
    end = as_of(f, now)
    return {
        "R1": lambda: ref_r1(df, f),
        "R3": lambda: ref_r3(df, f),
        "R4": lambda: ref_r4(df, f),
        "R5": lambda: ref_r5(scoped(df, f), f.start_at, end),
        "R6": lambda: ref_r6(df, f),
        "R7": lambda: ref_due_share(df, f, "field_ack_due_at", "field_ack_at", now),
        "R8": lambda: ref_due_share(df, f, "field_report_due_at", "field_report_at", now),
        "R9": lambda: ref_r9(df, f),
        "R10": lambda: ref_r10(scoped(df, f), f.start_at, end),
        "R11": lambda: ref_r11(scoped(df, f), end),
        "R12": lambda: ref_r12(df, f),
        "R13": lambda: ref_r13(df, f, now),
        "R14": lambda: ref_r14(df, f),
    }[kpi_id]()


def assert_matches(result: r.KpiResult, expected: Expected) -> None:
    if expected.value is None:
        assert result.value is None
    else:
        assert result.value == pytest.approx(expected.value)
    assert result.n == expected.n
    if expected.numerator is not None:
        assert result.numerator == expected.numerator
    if expected.p90 is None:
        assert result.p90 is None
    else:
        assert result.p90 == pytest.approx(expected.p90)


# The fixture itself -----------------------------------------------------------


def test_fixture_has_every_mart_column_and_no_personal_data(mart):
    documented = Path(__file__).resolve().parent.parent / "docs" / "warehouse.md"
    section = documented.read_text(encoding="utf-8").split("## `marts.inquiries`")[1]
    section = section.split("## `ref` tables")[0]
    columns = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    assert list(mart.columns) == columns
    assert not set(PERSONAL_DATA_COLUMNS) & set(mart.columns)
    assert mart["inquiry_id"].is_unique


# R1 and R2 --------------------------------------------------------------------


def test_r1_items_received_counts_the_period_in_karachi_time(con, mart):
    # March: A01-A09, A11-A19, A23-A28 = 24. A28 (2025-02-28 19:00 UTC, i.e.
    # 1 March 00:00 PKT) is in; A29 one minute earlier is February's.
    result = r.items_received(con, MARCH)
    assert (result.value, result.n, result.numerator, result.unit) == (24.0, 24, 24, "count")
    assert r.items_received(con, FEBRUARY).n == 4  # A10, A21, A22, A29
    walk_in = Filters(MARCH.start, MARCH.end, channels=("Walk-in",))
    assert r.items_received(con, walk_in).n == 1  # A28 only
    assert_matches(result, ref_r1(mart, MARCH))


def test_r1_counts_every_item_not_only_those_needing_a_reply(con, mart):
    # R1 is items received (the catalogue), as its docstring now says: A12 and
    # A28 need no reply and still count. Beside it, the items needing a reply:
    # the 24 less A12 and A28 = 22, R3's denominator.
    march = mart[in_window(mart["received_at"], MARCH.start_at, MARCH.end_at)]
    assert set(march.loc[~march["needs_reply"], "inquiry_id"]) == {"A12", "A28"}
    assert r.items_received(con, MARCH).n == len(march) == 24
    row = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id").loc["R1"]
    assert (row["value"], row["needing_reply"]) == (24, 22)
    assert row["needing_reply"] == int(march["needs_reply"].sum())
    assert "no_reply_needed" in r.items_received.__doc__


def test_r1_items_without_district_count_only_unfiltered(con):
    # A13 names no district: in the 24, in no region's count.
    regions = ("CCPO Peshawar", "Mardan", "Malakand")
    every_region = Filters(MARCH.start, MARCH.end, regions=regions)
    assert r.items_received(con, every_region).n == 23


def test_r2_items_per_100k_uses_each_census_unit_once(con):
    result = r.items_per_100k(con, MARCH)
    # all KP: 24 items / 8,500,000 people (Chitral's 500,000 once)
    assert ALL_KP_POPULATION == 8_500_000
    assert result.value == pytest.approx(24 / 8_500_000 * 100_000)
    assert (result.n, result.numerator, result.unit) == (24, 24, "per 100,000")

    chitral = Filters(MARCH.start, MARCH.end, districts=("Lower Chitral", "Upper Chitral"))
    assert r.items_per_100k(con, chitral).value == pytest.approx(0.4)  # 2 / 500,000
    malakand = Filters(MARCH.start, MARCH.end, regions=("Malakand",))
    assert r.items_per_100k(con, malakand).value == pytest.approx(0.4)
    lower = Filters(MARCH.start, MARCH.end, districts=("Lower Chitral",))
    assert r.items_per_100k(con, lower).value == pytest.approx(0.2)  # A25 / 500,000
    mardan = Filters(MARCH.start, MARCH.end, regions=("Mardan",))
    # Mardan 5 + Swabi 4 items / (2,000,000 + 1,000,000)
    assert r.items_per_100k(con, mardan).value == pytest.approx(0.3)
    facebook = Filters(MARCH.start, MARCH.end, channels=("Facebook",))
    # the channel narrows the items, not the population: 8 / 8,500,000
    assert r.items_per_100k(con, facebook).value == pytest.approx(8 / 85)


def test_r2_unknown_district_has_no_rate(con):
    result = r.items_per_100k(con, Filters(MARCH.start, MARCH.end, districts=("Nowhere",)))
    assert (result.value, result.n) == (None, 0)


# R3-R14 on March, by hand ------------------------------------------------------


def test_r3_response_rate(con, mart):
    # 22 March items need a reply (all but A12, A28); A17 and A19 have none.
    # A18 was replied on 1 April: a reply on record counts.
    result = r.response_rate(con, MARCH)
    assert (result.n, result.numerator, result.unit) == (22, 20, "%")
    assert result.value == pytest.approx(100 * 20 / 22)
    assert_matches(result, ref_r3(mart, MARCH))


def test_r4_first_response_time_p50_p90(con, mart):
    # Business minutes of the 19 first replies in March, sorted:
    # 5 10 10 10 15 20 25 30 30 30 30 45 60 60 60 100 150 180 180
    # P50 = 10th value = 30; P90 at position 16.2 = 150 + 0.2 * 30 = 156.
    result = r.first_response_time(con, MARCH)
    assert (result.value, result.n, result.unit) == (30.0, 19, "minutes")
    assert result.p90 == pytest.approx(156.0)
    assert_matches(result, ref_r4(mart, MARCH))

    # Calendar minutes: A14 510 and A15 660 instead of 30 and 60, so
    # P50 = 30 and P90 = 180 + 0.2 * (510 - 180) = 246.
    calendar = r.first_response_time(con, MARCH, business=False)
    assert calendar.value == pytest.approx(30.0)
    assert calendar.p90 == pytest.approx(246.0)
    assert_matches(calendar, ref_r4(mart, MARCH, business=False))


def test_r5_counts_open_overdue_items_as_breaches(con, mart):
    # 19 replied in March, 16 within target (A04, A06, A09 late), plus 2
    # whose target fell in March and still unreplied at its end: A17, and
    # A18 (replied 1 April). A19 is unreplied but not yet due. A20 has been
    # unreplied past target since 20 January: a breach in January, not
    # counted again. 16 / 21 = 76.2 %; without the open breaches: 16 / 19.
    result = r.first_response_sla(con, MARCH, now=NOW)
    assert (result.n, result.numerator) == (21, 16)
    assert result.value == pytest.approx(100 * 16 / 21)
    assert_matches(result, ref_r5(mart, MARCH.start_at, as_of(MARCH)))
    # February: A10, A21 on time, A22 late: 2 / 3.
    february = r.first_response_sla(con, FEBRUARY, now=NOW)
    assert (february.n, february.numerator) == (3, 2)
    # January: A20 fell due on 20 January and was still unreplied: 0 / 1.
    january = r.first_response_sla(con, Filters(date(2025, 1, 1), date(2025, 1, 31)), now=NOW)
    assert (january.n, january.numerator, january.value) == (1, 0, 0.0)
    # April: A18 replied late on 1 April counts again, as a late reply.
    april = Filters(date(2025, 4, 1), date(2025, 4, 30))
    assert "A18" in set(
        mart.loc[in_window(mart["first_response_at"], april.start_at, as_of(april)), "inquiry_id"]
    )
    assert_matches(r.first_response_sla(con, april, now=NOW), ref_r5(mart, april.start_at, NOW))


def test_r6_referral_time(con, mart):
    # Referred in March: A03 60, A04 300, A23 240, A24 180 business minutes.
    # Sorted 60 180 240 300: P50 = 210, P90 at 2.7 = 240 + 0.7 * 60 = 282.
    result = r.referral_time(con, MARCH)
    assert (result.value, result.n, result.unit) == (210.0, 4, "minutes")
    assert result.p90 == pytest.approx(282.0)
    assert_matches(result, ref_r6(mart, MARCH))
    assert_matches(r.referral_time(con, MARCH, business=False), ref_r6(mart, MARCH, False))


def test_r7_district_acknowledgement_within_24h(con, mart):
    # Acknowledgement due in March: A03 (in time), A04 (late), A22 (referred
    # in February, due 1 March, late), A24 (never). A23's is due in April.
    result = r.field_ack_within_24h(con, MARCH, now=NOW)
    assert (result.n, result.numerator, result.value) == (4, 1, 25.0)
    assert_matches(result, ref_due_share(mart, MARCH, "field_ack_due_at", "field_ack_at"))


def test_r8_field_report_within_3_days(con, mart):
    # Report due in March: A03 and A24 in time, A04 late, A22 none.
    result = r.field_report_within_3_days(con, MARCH, now=NOW)
    assert (result.n, result.numerator, result.value) == (4, 2, 50.0)
    assert_matches(result, ref_due_share(mart, MARCH, "field_report_due_at", "field_report_at"))


def test_r9_resolution_time_hours(con, mart):
    # 16 resolutions in March (A27's too, though reopened later), minutes:
    # 120 240 1440 1440 1740 2880 4980 5760 5760 5760 7200 7260 12960 14400
    # 14760 31680. P50 = 5760 min = 96 h; P90 at 13.5 = (14400 + 14760) / 2
    # = 14580 min = 243 h.
    result = r.resolution_time(con, MARCH)
    assert (result.value, result.n, result.unit) == (96.0, 16, "hours")
    assert result.p90 == pytest.approx(243.0)
    assert_matches(result, ref_r9(mart, MARCH))
    assert_matches(r.resolution_time(con, MARCH, business=True), ref_r9(mart, MARCH, True))


def test_r10_resolution_sla(con, mart):
    # Resolved in March and still resolved at its end: 15 (A27 was reopened
    # on 20 March; A06's reopening on 2 April comes after). Late: A05 (after
    # its reopening), A10. Target fell in March, open at its end: A09, A14,
    # A16, A17, A22, A27 = 6 (A20, overdue since 3 February, is backlog).
    # 13 / (15 + 6).
    result = r.resolution_sla(con, MARCH, now=NOW)
    assert (result.n, result.numerator) == (21, 13)
    assert result.value == pytest.approx(100 * 13 / 21)
    assert_matches(result, ref_r10(mart, MARCH.start_at, as_of(MARCH)))


def test_r11_overdue_backlog_and_aging(con, mart):
    # Open at the March end: A09 A14 A16 A17 A18 A19 A20 A22 A23 A27 (A12
    # needs no reply). Past target: all but A18, A19, A23.
    result = r.overdue_backlog(con, MARCH, now=NOW)
    assert (result.value, result.numerator, result.n, result.unit) == (7.0, 7, 10, "count")
    assert_matches(result, ref_r11(mart, as_of(MARCH)))
    # Aging buckets by days past the resolution target (the catalogue's
    # phrasing), at 2025-03-31 19:00 UTC: A16 and A17 due 31 Mar 12:00, 7 h
    # past; A09 due 27 Mar 05:00, 4.6 d; A14 due 17 Mar 04:00, 14.6 d; A27
    # 19.6 d; A22 20.6 d; A20 due 3 Feb, 56.6 d. (By days since received it
    # would have been 1, 1, 1, 4: A17 was received two days before.)
    aging = r.overdue_aging(con, MARCH, now=NOW)
    assert list(aging["bucket"]) == ["0–1 d", "1–3 d", "3–10 d", "> 10 d"]
    assert list(aging["items"]) == [2, 0, 1, 4]
    assert tuple(aging["bucket"]) == r.AGING_BUCKETS
    # The same from the mart in pandas.
    judged_at = as_of(MARCH)
    _, is_open = state_at(mart, judged_at)
    overdue = mart[is_open & (mart["resolution_due_at"] < judged_at)]
    days_past = (judged_at - overdue["resolution_due_at"]).dt.total_seconds() / 86400
    buckets = pd.cut(days_past, [0, 1, 3, 10, float("inf")], right=False)
    assert list(buckets.value_counts(sort=False)) == list(aging["items"])
    # Each item's bucket agrees with its overdue_days in the item list.
    items = r.overdue_items(con, MARCH, now=NOW)
    assert sorted(items["overdue_days"].round(1)) == sorted(days_past.round(1))


def test_overdue_aging_keeps_empty_buckets(con):
    khyber = Filters(MARCH.start, MARCH.end, districts=("Khyber",))
    aging = r.overdue_aging(con, khyber, now=NOW)
    assert list(aging["items"]) == [0, 0, 0, 1]  # A14
    nowhere = Filters(MARCH.start, MARCH.end, districts=("Nowhere",))
    assert list(r.overdue_aging(con, nowhere, now=NOW)["items"]) == [0, 0, 0, 0]


def test_r12_reopen_rate(con, mart):
    # Of the 16 resolved in March, A05, A06 and A27 were reopened.
    result = r.reopen_rate(con, MARCH)
    assert (result.n, result.numerator, result.value) == (16, 3, 18.75)
    assert_matches(result, ref_r12(mart, MARCH))


def test_r13_rti_compliance_with_urgent_requests(con, mart):
    # Information requests due in March: A07 (10 working days, in time),
    # A08 (urgent, 2 days, in time), A09 (urgent, unanswered). A10 fell due
    # in February (answered late), A11 falls due in April.
    result = r.rti_compliance(con, MARCH, now=NOW)
    assert (result.n, result.numerator) == (3, 2)
    assert result.value == pytest.approx(100 * 2 / 3)
    assert_matches(result, ref_r13(mart, MARCH))
    assert r.rti_compliance(con, FEBRUARY, now=NOW).value == 0.0  # A10
    april = Filters(date(2025, 4, 1), date(2025, 4, 30))
    assert r.rti_compliance(con, april, now=NOW).numerator == 1  # A11


def test_r14_satisfaction_with_n(con, mart):
    # Surveyed among March resolutions: A01 A03 A05 A08 A24 satisfied, A02
    # neutral, A04 dissatisfied. A21's answer belongs to February.
    result = r.satisfaction(con, MARCH)
    assert (result.n, result.numerator) == (7, 5)
    assert result.value == pytest.approx(100 * 5 / 7)
    assert_matches(result, ref_r14(mart, MARCH))


def test_empty_cohorts_give_none_not_zero(con):
    nowhere = Filters(MARCH.start, MARCH.end, districts=("Nowhere",))
    for kpi_id in r.PAGE_KPIS:
        result = r.compute_kpi(con, kpi_id, nowhere, now=NOW)
        assert result.n == 0
        if kpi_id not in ("R1", "R11"):  # counts are 0, the rest undefined
            assert result.value is None, kpi_id


# Filters ---------------------------------------------------------------------

FILTER_CASES = [
    MARCH,
    FEBRUARY,
    Filters(MARCH.start, MARCH.end, regions=("Mardan",)),
    Filters(MARCH.start, MARCH.end, regions=("CCPO Peshawar",)),
    Filters(MARCH.start, MARCH.end, districts=("Peshawar", "Khyber")),
    Filters(MARCH.start, MARCH.end, channels=("Facebook",)),
    Filters(MARCH.start, MARCH.end, regions=("Mardan",), channels=("Helpline phone", "WhatsApp")),
    Filters(MARCH.start, MARCH.end, regions=("Mardan",), districts=("Peshawar",)),
    Filters(date(2025, 3, 10), date(2025, 3, 23)),
    Filters(date(2025, 1, 1), date(2025, 4, 30)),
]


def case_id(f: Filters) -> str:
    return f"{f.start}..{f.end} r={f.regions} d={f.districts} c={f.channels}"


@pytest.mark.parametrize("f", FILTER_CASES, ids=case_id)
@pytest.mark.parametrize("kpi_id", r.PAGE_KPIS)
def test_every_kpi_matches_the_pandas_reference_under_filters(con, mart, f, kpi_id):
    assert_matches(r.compute_kpi(con, kpi_id, f, now=NOW), reference(mart, kpi_id, f))


def test_region_filter_narrows_as_expected(con):
    mardan = Filters(MARCH.start, MARCH.end, regions=("Mardan",))
    # Mardan region = Mardan + Swabi districts: A04 A05 A06 A07 A09 A11 A17 A18 A23
    assert r.items_received(con, mardan).n == 9
    # R5: replies A04 late, A05, A06 late, A07, A09 late, A11, A23; fell due
    # in March and unreplied at its end: A17, A18 -> 4 / 9
    result = r.first_response_sla(con, mardan, now=NOW)
    assert (result.n, result.numerator) == (9, 4)


def test_compute_kpis_equals_one_at_a_time(con):
    together = r.compute_kpis(con, tuple(r.KPI_FUNCTIONS), MARCH, now=NOW)
    for kpi_id, result in together.items():
        assert result == r.compute_kpi(con, kpi_id, MARCH, now=NOW)


# Period end: min(end of period, now) ------------------------------------------


def test_a_period_ending_in_the_future_is_judged_as_of_now(con, mart):
    f = Filters(date(2025, 3, 1), date(2025, 4, 30))  # now is 15 April 12:00 UTC
    # R7: due by now: A03, A04, A22, A24 as in March, plus A23 (in time).
    # A30's acknowledgement falls due on 16 April: not yet judged.
    r7 = r.field_ack_within_24h(con, f, now=NOW)
    assert (r7.n, r7.numerator) == (5, 2)
    # R11 at now: open A06 (reopened 2 April) A09 A14 A16 A17 A18 A19 A20
    # A22 A23 A27 A30; all overdue but A30 (due 29 April).
    r11 = r.overdue_backlog(con, f, now=NOW)
    assert (r11.numerator, r11.n) == (11, 12)
    # Judged at the end of April instead, A30 would be overdue and late.
    later = datetime(2025, 6, 1, tzinfo=UTC)
    assert r.overdue_backlog(con, f, now=later).numerator == 12
    assert r.field_ack_within_24h(con, f, now=later).n == 6
    for kpi_id in ("R5", "R7", "R8", "R10", "R11", "R13"):
        assert_matches(r.compute_kpi(con, kpi_id, f, now=NOW), reference(mart, kpi_id, f))


def test_a_past_period_does_not_depend_on_now(con):
    much_later = datetime(2030, 1, 1, tzinfo=UTC)
    for kpi_id in r.PAGE_KPIS:
        assert r.compute_kpi(con, kpi_id, MARCH, now=NOW) == r.compute_kpi(
            con, kpi_id, MARCH, now=much_later
        )


def test_now_must_be_timezone_aware(con):
    with pytest.raises(ValueError, match="timezone-aware"):
        r.overdue_backlog(con, MARCH, now=datetime(2025, 4, 15, 12))


# KPI summary and previous period ---------------------------------------------

SUMMARY_COLUMNS = [
    "kpi_id",
    "name",
    "unit",
    "value",
    "previous_value",
    "delta",
    "n",
    "numerator",
    "p90",
    "target",
    "target_text",
    "direction",
    "meets_target",
    "cohort",
    "definition",
    # new columns come after the fifteen the page always had
    "needing_reply",
    "clock",
    "business_p50",
    "business_p90",
    "calendar_p50",
    "calendar_p90",
    "target_p90",
    "target_p90_unit",
    "p90_for_target",
    "target_from",
    "status",
    "status_text",
]


def test_kpi_summary_rows_values_and_previous_period(con):
    summary = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id")
    assert list(summary.index) == list(r.PAGE_KPIS)
    assert list(summary.reset_index().columns) == SUMMARY_COLUMNS
    # (March, February) by hand; see the single-KPI tests for March.
    # February: R1 A10 A21 A22 A29; R3 3/3; R4 60 20 180 -> 60; R5 2/3;
    # R6 A22 1440; R7 and R8 nothing due; R9 A21 48 h; R10 A21 in time, A10
    # and A20 fell due and open -> 1/3; R11 A10 A20 overdue of A10 A20 A22;
    # R12 0/1; R13 A10 late 0/1; R14 A21 satisfied 1/1.
    expected = {
        "R1": (24, 4),
        "R3": (100 * 20 / 22, 100.0),
        "R4": (30, 60),
        "R5": (100 * 16 / 21, 100 * 2 / 3),
        "R6": (210, 1440),
        "R7": (25.0, None),
        "R8": (50.0, None),
        "R9": (96, 48),
        "R10": (100 * 13 / 21, 100 / 3),
        "R11": (7, 2),
        "R12": (18.75, 0.0),
        "R13": (100 * 2 / 3, 0.0),
        "R14": (100 * 5 / 7, 100.0),
    }
    for kpi_id, (value, previous) in expected.items():
        row = summary.loc[kpi_id]
        assert row["value"] == pytest.approx(value), kpi_id
        if previous is None:
            assert pd.isna(row["previous_value"]) and pd.isna(row["delta"]), kpi_id
        else:
            assert row["previous_value"] == pytest.approx(previous), kpi_id
            assert row["delta"] == pytest.approx(value - previous), kpi_id
    assert summary.loc["R11", "n"] == 10 and summary.loc["R11", "numerator"] == 7
    assert summary.loc["R4", "p90"] == pytest.approx(156.0)
    assert summary.loc["R14", "n"] == 7


def test_kpi_summary_targets_and_meets_target(con):
    summary = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id")
    assert summary.loc["R3", "target"] == 95.0
    assert not summary.loc["R3", "meets_target"]  # 90.9 % < 95 %
    assert not summary.loc["R12", "meets_target"]  # 18.75 % > 5 %
    assert not summary.loc["R4", "meets_target"]  # P50 30 > 15
    assert pd.isna(summary.loc["R1", "meets_target"])  # monitor: no target
    assert pd.isna(summary.loc["R1", "target"])
    assert summary.loc["R4", "direction"] == "lower"
    assert summary.loc["R5", "cohort"].startswith("completed")
    assert summary.loc["R4", "definition"].startswith("First response time:")


def test_kpi_summary_meets_target_when_on_target(con):
    # Peshawar's replies in March (A01 A02 A03 A08 A16 A24 A27) are all in
    # time and nothing unreplied is past target: R5 100 % >= 90 %.
    peshawar = Filters(MARCH.start, MARCH.end, districts=("Peshawar",))
    summary = kpis.kpi_summary(con, peshawar, now=NOW).set_index("kpi_id")
    assert summary.loc["R5", "value"] == 100.0
    assert summary.loc["R5", "meets_target"]


def test_kpi_summary_shows_clock_time_beside_business_time(con, mart):
    summary = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id")
    # R4 (business headline): clock minutes of March's 19 first replies are
    # the business ones with A14 510 and A15 660 instead of 30 and 60; sorted
    # 5 10 10 10 15 20 25 30 30 30 45 60 60 100 150 180 180 510 660: P50 =
    # 10th value = 30; P90 at position 16.2 = 180 + 0.2 * (510 - 180) = 246.
    r4 = summary.loc["R4"]
    assert r4["clock"] == "business"
    assert (r4["value"], r4["business_p50"]) == (30.0, 30.0)
    assert r4["business_p90"] == pytest.approx(156.0) == r4["p90"]
    assert (r4["calendar_p50"], r4["calendar_p90"]) == (30.0, pytest.approx(246.0))
    calendar = ref_r4(mart, MARCH, business=False)
    assert (r4["calendar_p50"], r4["calendar_p90"]) == (
        pytest.approx(calendar.value),
        pytest.approx(calendar.p90),
    )
    # R6: the four March referrals, in both clocks, from pandas.
    r6 = summary.loc["R6"]
    for clock, business in (("business", True), ("calendar", False)):
        expected = ref_r6(mart, MARCH, business=business)
        assert r6[f"{clock}_p50"] == pytest.approx(expected.value)
        assert r6[f"{clock}_p90"] == pytest.approx(expected.p90)
    # R9 (calendar headline): business hours beside it. Business minutes of
    # the 16 March resolutions, sorted: 120 240 480 480 780 960 1380 1440 1920
    # 1920 1920 2460 3360 3960 4320 7680: P50 (1440 + 1920) / 2 = 1680 min =
    # 28 h; P90 at 13.5 = (3960 + 4320) / 2 = 4140 min = 69 h.
    r9 = summary.loc["R9"]
    assert r9["clock"] == "calendar"
    assert (r9["value"], r9["calendar_p50"], r9["calendar_p90"]) == (96.0, 96.0, 243.0)
    assert (r9["business_p50"], r9["business_p90"]) == (pytest.approx(28.0), pytest.approx(69.0))
    expected = ref_r9(mart, MARCH, business=True)
    assert r9["business_p90"] == pytest.approx(expected.p90)
    # Other KPIs have no clocks.
    assert summary.loc[["R1", "R3", "R5"], "calendar_p50"].isna().all()
    assert summary.loc[["R3", "R4"], "needing_reply"].isna().all()


def write_targets(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


R9_TARGETS = """\
status:
  within_pct: 10
  min_n: 1
kpis:
  R9:
    - effective_from: 2024-07-01
      target: 500
      target_p90: {p90}
      target_p90_unit: working days
      target_text: "P50 ≤ 500 h; P90 ≤ {p90} working days"
"""


@pytest.mark.parametrize(
    ("p90_target", "status"),
    [
        # March's business P90 is 4140 min = 8.625 working days of 480 min
        # (settings.yaml), P50 96 h well under 500 h: only the P90 decides.
        (10, "on_target"),
        (8.7, "on_target"),
        (8, "near_target"),  # 8.625 <= 8 * 1.1
        (7, "off_target"),  # 8.625 > 7.7
    ],
)
def test_r9_status_uses_its_second_target_in_working_days(
    con, tmp_path, monkeypatch, p90_target, status
):
    text = R9_TARGETS.format(p90=p90_target)
    monkeypatch.setenv("KP_KPI_TARGETS", str(write_targets(tmp_path, text)))
    row = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id").loc["R9"]
    assert row["p90_for_target"] == pytest.approx(4140 / 480)
    assert (row["target"], row["target_p90"], row["target_p90_unit"]) == (
        500.0,
        float(p90_target),
        "working days",
    )
    assert row["status"] == status
    assert bool(row["meets_target"]) is (status == "on_target")


def test_r9_with_the_shipped_targets_is_off_on_its_p50_and_on_its_p90(con):
    # 96 h against 48 h (more than 52.8 h: off); P90 8.6 working days <= 10.
    row = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id").loc["R9"]
    assert row["p90_for_target"] == pytest.approx(8.625)
    assert row["p90_for_target"] <= row["target_p90"] == 10.0
    assert row["status"] == "off_target"


# Weekly trend --------------------------------------------------------------


def karachi_midnight(day: date) -> pd.Timestamp:
    """00:00 Asia/Karachi on ``day``, as a UTC instant."""
    return pd.Timestamp(datetime.combine(day, dt_time(0), KARACHI)).tz_convert("UTC")


def test_weekly_trend_weeks_are_karachi_mondays(con, mart):
    trend = r.weekly_trend(con, MARCH, now=NOW)
    assert list(trend["week_start"]) == [
        date(2025, 2, 24),
        date(2025, 3, 3),
        date(2025, 3, 10),
        date(2025, 3, 17),
        date(2025, 3, 24),
        date(2025, 3, 31),
    ]
    assert all(isinstance(d, date) and d.weekday() == 0 for d in trend["week_start"])
    # Week of 24 Feb (clipped to 1-2 March): A15 (Sunday 2 March 23:00 PKT)
    # and A28. A14 at 2025-03-02 20:00 UTC is Monday 01:00 PKT: next week.
    # Week of 3 March: A01 A02 A03 A07 A12 A13 A14.
    assert list(trend["items_received"]) == [2, 7, 4, 4, 4, 3]
    assert trend["items_received"].sum() == r.items_received(con, MARCH).n
    assert list(trend["days_in_period"]) == [2, 7, 7, 7, 7, 1]


def test_weekly_trend_first_response_by_week(con, mart):
    trend = r.weekly_trend(con, MARCH, now=NOW).set_index("week_start")
    # Week of 24 Feb (1-2 March): no reply, no target passing: no value.
    first = trend.loc[date(2025, 2, 24)]
    assert pd.isna(first["first_response_p50_business_minutes"])
    assert pd.isna(first["first_response_sla_pct"]) and first["first_response_sla_n"] == 0
    # Week of 3 March: A01 A02 A03 A07 A13 A14 A15 replied in time
    # (10 20 30 60 15 30 60 -> P50 30): 7 / 7.
    second = trend.loc[date(2025, 3, 3)]
    assert second["first_response_p50_business_minutes"] == 30.0
    assert (second["first_response_sla_pct"], second["first_response_sla_n"]) == (100.0, 7)
    # Week of 24 March: A09 A11 replied (A09 late); A18's target (27 March)
    # passed unreplied; A17's (31 March) falls in the next week: 1 / 3.
    fifth = trend.loc[date(2025, 3, 24)]
    assert fifth["first_response_sla_n"] == 3
    assert fifth["first_response_sla_pct"] == pytest.approx(100 / 3)

    # Every week against the pandas reference, with its own Karachi bounds.
    for week_start, row in trend.iterrows():
        lo = max(karachi_midnight(week_start), pd.Timestamp(MARCH.start_at))
        hi = min(karachi_midnight(week_start + timedelta(days=7)), pd.Timestamp(MARCH.end_at))
        replies = mart[mart["needs_reply"] & in_window(mart["first_response_at"], lo, hi)]
        expected_p50 = replies["first_response_business_minutes"].median()
        if replies.empty:
            assert pd.isna(row["first_response_p50_business_minutes"])
        else:
            assert row["first_response_p50_business_minutes"] == pytest.approx(expected_p50)
        expected = ref_r5(mart, lo, min(hi, as_of(MARCH)))
        assert row["first_response_sla_n"] == expected.n
        if expected.value is None:
            assert pd.isna(row["first_response_sla_pct"])
        else:
            assert row["first_response_sla_pct"] == pytest.approx(expected.value)


def test_weekly_trend_future_weeks_have_no_sla(con):
    f = Filters(date(2025, 4, 1), date(2025, 4, 30))
    trend = r.weekly_trend(con, f, now=NOW).set_index("week_start")
    assert list(trend.index) == [date(2025, 3, 31) + timedelta(weeks=i) for i in range(5)]
    # now = Tuesday 15 April: the weeks of 21 and 28 April have not started.
    assert trend.loc[date(2025, 4, 21), "first_response_sla_n"] == 0
    assert pd.isna(trend.loc[date(2025, 4, 21), "first_response_sla_pct"])
    assert trend["items_received"].sum() == 1  # A30


def test_weekly_trend_without_a_fixed_utc_offset_gives_the_same_weeks(con, monkeypatch):
    # The SQL falls back to a time-zone conversion per row when Asia/Karachi
    # changes offset inside the period (2008-2009); force that path.
    from metrics import breakdowns

    fast = r.weekly_trend(con, MARCH, now=NOW)
    monkeypatch.setattr(breakdowns, "_fixed_offset_us", lambda f: None)
    slow = r.weekly_trend(con, MARCH, now=NOW)
    pd.testing.assert_frame_equal(fast, slow)


def test_fixed_offset_detects_karachi_daylight_saving():
    from metrics import breakdowns

    assert breakdowns._fixed_offset_us(MARCH) == 5 * 3600 * 1_000_000
    # Pakistan kept daylight saving from 15 April 2009.
    assert breakdowns._fixed_offset_us(Filters(date(2009, 4, 1), date(2009, 4, 30))) is None


# Histogram ----------------------------------------------------------------


def test_first_response_histogram_bins_in_sql(con):
    hist = r.first_response_histogram(con, MARCH)
    # 32 bins of 15 minutes up to 480, then ">= 480".
    assert len(hist) == 33
    assert list(hist["bin_start_minutes"][:3]) == [0, 15, 30]
    assert pd.isna(hist["bin_end_minutes"].iloc[-1])
    assert hist["label"].iloc[-1] == "≥ 480"
    counts = dict(zip(hist["bin_start_minutes"], hist["items"], strict=True))
    # 5 10 10 10 | 15 20 25 | 30 30 30 30 | 45 | 60 60 60 | 100 | 150 | 180 180
    nonempty = {k: v for k, v in counts.items() if v}
    assert nonempty == {0: 4, 15: 3, 30: 4, 45: 1, 60: 3, 90: 1, 150: 1, 180: 2}
    assert hist["items"].sum() == r.first_response_time(con, MARCH).n


def test_first_response_histogram_cap_and_uneven_bins(con):
    capped = r.first_response_histogram(con, MARCH, bin_minutes=15, cap_minutes=120)
    assert capped["items"].iloc[-1] == 3  # 150 180 180
    assert capped["bin_start_minutes"].iloc[-1] == 120
    uneven = r.first_response_histogram(con, MARCH, bin_minutes=50, cap_minutes=120)
    # [0,50) [50,100) [100,120) >=120: 12, 3, 1 (100), 3
    assert list(uneven["bin_start_minutes"]) == [0, 50, 100, 120]
    assert list(uneven["bin_end_minutes"][:3]) == [50, 100, 120]
    assert list(uneven["items"]) == [12, 3, 1, 3]


@pytest.mark.parametrize("bad", [0, -15, 1.5, True, "15"])
def test_first_response_histogram_rejects_bad_bins(con, bad):
    with pytest.raises(ValueError):
        r.first_response_histogram(con, MARCH, bin_minutes=bad)


# SLA league ----------------------------------------------------------------

LEAGUE_COLUMNS = [
    "group",
    "items_received",
    "first_response_sla_pct",
    "first_response_sla_n",
    "resolution_sla_pct",
    "resolution_sla_n",
    "overdue",
]


def test_sla_league_by_district_worst_first(con, mart):
    league = r.sla_league(con, MARCH, by="district", now=NOW)
    assert list(league.columns) == LEAGUE_COLUMNS
    # R5 by district: Mardan 2/5 (A05 A23 in time; A04 A09 late; A17
    # awaiting), Swabi 2/4 (A07 A11; A06 late; A18 awaiting), then the 100 %
    # districts by items received, the no-district group last.
    assert list(league["group"]) == [
        "Mardan",
        "Swabi",
        "Peshawar",
        "Khyber",
        "Lower Chitral",
        "Upper Chitral",
        None,
    ]
    mardan = league.iloc[0]
    assert mardan["first_response_sla_pct"] == pytest.approx(100 * 2 / 5)
    assert (mardan["items_received"], mardan["first_response_sla_n"]) == (5, 5)
    assert mardan["overdue"] == 3  # A09 A17 A20
    assert_league_is_the_references(league, mart, MARCH, "district")


def assert_league_is_the_references(
    league: pd.DataFrame, selected: pd.DataFrame, f: Filters, by: str
) -> None:
    """Every row of a league equals the pandas references over its group's
    items (``selected``: the mart as the filters select it)."""
    end = as_of(f)
    for _, row in league.iterrows():
        group = (
            selected[selected[by].isna()]
            if row["group"] is None
            else selected[selected[by] == row["group"]]
        )
        assert row["items_received"] == ref_r1(group, f).n
        expected_r5 = ref_r5(group, f.start_at, end)
        assert row["first_response_sla_n"] == expected_r5.n
        if expected_r5.value is None:  # nothing judged: no share, drawn as blank
            assert pd.isna(row["first_response_sla_pct"])
        else:
            assert row["first_response_sla_pct"] == pytest.approx(expected_r5.value)
        expected_r10 = ref_r10(group, f.start_at, end)
        assert row["resolution_sla_n"] == expected_r10.n
        assert row["overdue"] == ref_r11(group, end).numerator


def test_sla_league_adds_up_to_the_headline(con):
    for by in r.LEAGUE_GROUPS:
        league = r.sla_league(con, MARCH, by=by, now=NOW)
        assert league["items_received"].sum() == r.items_received(con, MARCH).n
        assert league["first_response_sla_n"].sum() == r.first_response_sla(con, MARCH, now=NOW).n
        assert league["resolution_sla_n"].sum() == r.resolution_sla(con, MARCH, now=NOW).n
        assert league["overdue"].sum() == r.overdue_backlog(con, MARCH, now=NOW).numerator


def test_sla_league_by_channel_nulls_last(con):
    league = r.sla_league(con, MARCH, by="channel", now=NOW)
    pct = league["first_response_sla_pct"]
    known = pct.dropna()
    assert list(known) == sorted(known)
    assert pct.isna().sum() == 1 and pd.isna(pct.iloc[-1])  # Walk-in: nothing to judge
    assert league["group"].iloc[-1] == "Walk-in"


@pytest.mark.parametrize("by", ["region", "district; drop table x", "", "DISTRICT"])
def test_sla_league_validates_by(con, by):
    with pytest.raises(ValueError, match="district, channel"):
        r.sla_league(con, MARCH, by=by)


# Item lists ----------------------------------------------------------------


def test_overdue_items_oldest_first_without_personal_data(con):
    items = r.overdue_items(con, MARCH, now=NOW)
    assert list(items.columns) == [
        "inquiry_id",
        "source",
        "district",
        "region",
        "channel",
        "category",
        "priority",
        "received_at",
        "resolution_due_at",
        "age_days",
        "overdue_days",
        "source_file",
        "source_row",
    ]
    assert not {c.lower() for c in items.columns} & set(PERSONAL_DATA_COLUMNS)
    assert list(items["inquiry_id"]) == ["A20", "A22", "A14", "A27", "A09", "A17", "A16"]
    a20 = items.iloc[0]
    # received 20 Jan 05:00, due 3 Feb 05:00, judged 31 Mar 19:00 (UTC)
    assert a20["age_days"] == pytest.approx(70 + 14 / 24, abs=0.01)
    assert a20["overdue_days"] == pytest.approx(56 + 14 / 24, abs=0.01)
    assert a20["source_file"] == "register_2025-04.xlsx"
    assert a20["source_row"] == 21  # A20 is the fixture's 20th row: row 21 with the header
    assert len(r.overdue_items(con, MARCH, limit=2, now=NOW)) == 2
    with pytest.raises(ValueError):
        r.overdue_items(con, MARCH, limit=-1)


def test_district_items(con):
    items = r.district_items(con, MARCH, "Peshawar", now=NOW)
    assert list(items.columns) == [
        "inquiry_id",
        "source",
        "received_at",
        "channel",
        "category",
        "status",
        "first_response_minutes",
        "first_response_business_minutes",
        "resolution_minutes",
        "is_overdue",
        "source_file",
        "source_row",
    ]
    # Peshawar, received in March, newest first.
    newest_first = ["A19", "A16", "A08", "A24", "A27", "A12", "A03", "A02", "A01", "A28"]
    assert list(items["inquiry_id"]) == newest_first
    overdue = set(items.loc[items["is_overdue"], "inquiry_id"])
    assert overdue == {"A16", "A27"}
    assert len(r.district_items(con, MARCH, "Peshawar", limit=3, now=NOW)) == 3
    facebook = Filters(MARCH.start, MARCH.end, channels=("Facebook",))
    assert list(r.district_items(con, facebook, "Peshawar", now=NOW)["inquiry_id"]) == [
        "A19",
        "A12",
        "A02",
        "A01",
    ]


# SQL hygiene ---------------------------------------------------------------


def test_user_values_are_bound_not_interpolated(con):
    # A district name that would break (or change) SQL if pasted into it.
    hostile = "Peshawar' or '1'='1"
    f = Filters(MARCH.start, MARCH.end, districts=(hostile,))
    assert r.items_received(con, f).n == 0
    assert r.district_items(con, MARCH, hostile).empty


def test_metrics_never_import_streamlit():
    code = (
        "import sys, metrics.responsiveness, metrics.catalogue, metrics.kpis,"
        " metrics.targets, core.warehouse;"
        "sys.exit('streamlit' in sys.modules)"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], cwd=root, check=False)
    assert done.returncode == 0


# Warehouse access ----------------------------------------------------------


def _tiny_warehouse(path: Path, rows: int) -> None:
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select * from range(?) as r(i)", [rows])


def test_connect_is_read_only_and_utc(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    _tiny_warehouse(path, 3)
    con = connect(path)
    try:
        assert con.execute("select current_setting('TimeZone')").fetchone()[0] == "UTC"
        assert con.execute("select count(*) from t").fetchone()[0] == 3
        with pytest.raises(Exception, match="read-only"):
            con.execute("insert into t values (4)")
    finally:
        con.close()


def test_connect_defaults_to_kp_warehouse(tmp_path, monkeypatch):
    path = tmp_path / "live.duckdb"
    _tiny_warehouse(path, 2)
    monkeypatch.setenv("KP_WAREHOUSE", str(path))
    with reading() as con:
        assert con.execute("select count(*) from t").fetchone()[0] == 2
    assert snapshot_id() == snapshot_id(path) != ""


def test_connect_missing_file_says_what_to_do(tmp_path):
    missing = tmp_path / "nope.duckdb"
    with pytest.raises(FileNotFoundError, match="python -m etl") as error:
        connect(missing)
    assert str(missing) in str(error.value)
    assert snapshot_id(missing) == ""


def test_snapshot_id_changes_when_a_load_swaps_the_file(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    _tiny_warehouse(live, 1)
    before = snapshot_id(live)
    assert before == snapshot_id(live)
    fresh = tmp_path / "warehouse.duckdb.tmp"
    _tiny_warehouse(fresh, 1)  # same content, new file
    os.replace(fresh, live)
    assert snapshot_id(live) != before


def test_reading_closes_the_connection(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    _tiny_warehouse(path, 1)
    with reading(path) as con:
        con.execute("select 1")
    with pytest.raises(Exception, match="closed"):
        con.execute("select 1")


def test_a_reader_keeps_its_snapshot_across_a_swap(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    _tiny_warehouse(live, 1)
    with reading(live) as old:
        fresh = tmp_path / "next.duckdb"
        _tiny_warehouse(fresh, 5)
        os.replace(fresh, live)
        assert old.execute("select count(*) from t").fetchone()[0] == 1
        with reading(live) as new:
            assert new.execute("select count(*) from t").fetchone()[0] == 5


# Fiscal helpers and periods (metrics/filters.py) -------------------------------


@pytest.mark.parametrize(
    ("today", "preset", "expected"),
    [
        (date(2025, 11, 14), "This month", (date(2025, 11, 1), date(2025, 11, 14))),
        (date(2025, 11, 14), "Last month", (date(2025, 10, 1), date(2025, 10, 31))),
        (date(2025, 11, 14), "This fiscal quarter", (date(2025, 10, 1), date(2025, 11, 14))),
        (date(2025, 11, 14), "Fiscal year to date", (date(2025, 7, 1), date(2025, 11, 14))),
        (date(2026, 1, 10), "Last month", (date(2025, 12, 1), date(2025, 12, 31))),
        (date(2026, 1, 10), "This fiscal quarter", (date(2026, 1, 1), date(2026, 1, 10))),
        (date(2026, 1, 10), "Fiscal year to date", (date(2025, 7, 1), date(2026, 1, 10))),
        (date(2025, 7, 1), "This fiscal quarter", (date(2025, 7, 1), date(2025, 7, 1))),
        (date(2025, 7, 1), "Fiscal year to date", (date(2025, 7, 1), date(2025, 7, 1))),
        (date(2025, 6, 30), "This fiscal quarter", (date(2025, 4, 1), date(2025, 6, 30))),
        (date(2025, 6, 30), "Fiscal year to date", (date(2024, 7, 1), date(2025, 6, 30))),
        (date(2024, 3, 31), "Last month", (date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_preset_period(today, preset, expected):
    assert preset_period(preset, today) == expected


def test_every_named_preset_but_custom_has_a_period():
    today = date(2025, 11, 14)
    for preset in PRESETS:
        if preset == "Custom":
            with pytest.raises(ValueError, match="unknown period preset"):
                preset_period(preset, today)
        else:
            start, end = preset_period(preset, today)
            assert start <= end
            ended = {
                "Last month": date(2025, 10, 31),
                "Last fiscal quarter": date(2025, 9, 30),
                "Last fiscal year": date(2025, 6, 30),
            }
            assert end == ended.get(preset, today)


@pytest.mark.parametrize(
    ("day", "label", "quarter"),
    [
        (date(2025, 7, 1), "FY2025-26", 1),
        (date(2025, 9, 30), "FY2025-26", 1),
        (date(2025, 10, 1), "FY2025-26", 2),
        (date(2025, 12, 31), "FY2025-26", 2),
        (date(2026, 1, 1), "FY2025-26", 3),
        (date(2026, 3, 31), "FY2025-26", 3),
        (date(2026, 4, 1), "FY2025-26", 4),
        (date(2026, 6, 30), "FY2025-26", 4),
        (date(2025, 6, 30), "FY2024-25", 4),
        (date(1999, 7, 1), "FY1999-00", 1),
    ],
)
def test_fiscal_year_label_and_quarter(day, label, quarter):
    assert fiscal_year_label(day) == label
    assert fiscal_quarter(day) == quarter
    assert fiscal_year_start(day) == date(int(label[2:6]), 7, 1)


@pytest.mark.parametrize(
    ("start", "end", "previous"),
    [
        # whole months compare with the whole month(s) before
        (date(2025, 3, 1), date(2025, 3, 31), (date(2025, 2, 1), date(2025, 2, 28))),
        (date(2025, 5, 1), date(2025, 5, 31), (date(2025, 4, 1), date(2025, 4, 30))),
        (date(2024, 3, 1), date(2024, 3, 31), (date(2024, 2, 1), date(2024, 2, 29))),
        (date(2025, 1, 1), date(2025, 3, 31), (date(2024, 10, 1), date(2024, 12, 31))),
        (date(2025, 7, 1), date(2026, 6, 30), (date(2024, 7, 1), date(2025, 6, 30))),
        # a custom range compares with the same number of days just before
        (date(2025, 3, 10), date(2025, 3, 16), (date(2025, 3, 3), date(2025, 3, 9))),
        (date(2025, 3, 1), date(2025, 3, 15), (date(2025, 2, 14), date(2025, 2, 28))),
        (date(2025, 3, 5), date(2025, 3, 5), (date(2025, 3, 4), date(2025, 3, 4))),
    ],
)
def test_previous_period(start, end, previous):
    f = Filters(start, end, regions=("Mardan",), channels=("X",))
    before = f.previous()
    assert (before.start, before.end) == previous
    assert (before.regions, before.districts, before.channels) == (("Mardan",), (), ("X",))


def test_period_bounds_are_karachi_midnights_in_utc():
    assert MARCH.start_at == datetime(2025, 2, 28, 19, 0, tzinfo=UTC)
    assert MARCH.end_at == datetime(2025, 3, 31, 19, 0, tzinfo=UTC)
    assert MARCH.days == 31
    with pytest.raises(ValueError, match="before it starts"):
        Filters(date(2025, 3, 2), date(2025, 3, 1))


# On a warehouse built by the real ETL ----------------------------------------


def test_on_the_demo_warehouse_the_tables_add_up_to_the_headlines(demo_warehouse):
    # Not values (the demo is random) but the identities that must hold on
    # any data: every breakdown sums to its headline KPI.
    today = datetime.now(KARACHI).date()
    with reading(demo_warehouse) as con:
        for preset in ("Last month", "Fiscal year to date"):
            f = Filters(*preset_period(preset, today))
            summary = kpis.kpi_summary(con, f).set_index("kpi_id")
            assert summary.loc["R1", "n"] > 0, preset
            trend = r.weekly_trend(con, f)
            assert trend["items_received"].sum() == summary.loc["R1", "n"]
            hist = r.first_response_histogram(con, f)
            assert hist["items"].sum() == summary.loc["R4", "n"]
            aging = r.overdue_aging(con, f)
            items = r.overdue_items(con, f)
            assert aging["items"].sum() == summary.loc["R11", "numerator"] == len(items)
            assert not {c.lower() for c in items.columns} & set(PERSONAL_DATA_COLUMNS)
            for by in r.LEAGUE_GROUPS:
                league = r.sla_league(con, f, by=by)
                assert league["items_received"].sum() == summary.loc["R1", "n"]
                assert league["first_response_sla_n"].sum() == summary.loc["R5", "n"]
                assert league["resolution_sla_n"].sum() == summary.loc["R10", "n"]
                assert league["overdue"].sum() == summary.loc["R11", "numerator"]
            for kpi_id in ("R3", "R5", "R7", "R8", "R10", "R12", "R13", "R14"):
                value = summary.loc[kpi_id, "value"]
                assert pd.isna(value) or 0 <= value <= 100, kpi_id
            r4 = summary.loc["R4"]
            assert r4["value"] <= r4["p90"]
            assert r.items_per_100k(con, f).value > 0


@pytest.mark.parametrize(
    "f",
    [MARCH, replace(MARCH, channels=("Facebook", "Helpline phone")), MARCH.with_district("Mardan")],
    ids=["march", "two-channels", "one-district"],
)
def test_cards_and_leagues_equal_the_cards_and_the_leagues_alone(con, mart, f):
    """The Response times page reads its cards and both leagues together
    (one scan of the period-end counts, grouping sets): the same figures as
    kpi_values and sla_league, and every league's rows are the pandas
    references' for each district and channel."""
    together = kpis.cards_and_leagues(con, f, now=NOW)
    pd.testing.assert_frame_equal(together.values, kpis.kpi_values(con, f, now=NOW))
    assert set(together.leagues) == set(r.LEAGUE_GROUPS)
    for by in r.LEAGUE_GROUPS:
        pd.testing.assert_frame_equal(together.leagues[by], r.sla_league(con, f, by=by, now=NOW))
    selected = scoped(mart, f)
    for by in r.LEAGUE_GROUPS:
        assert_league_is_the_references(together.leagues[by], selected, f, by)
    if f.districts:
        assert list(together.leagues["district"]["group"]) == list(f.districts)


def test_period_end_counts_by_several_groupings_are_the_references(con, mart):
    """One scan, three groupings: everything and each channel's counts equal
    the pandas references (each district's: the league tests above)."""
    from metrics import sla

    end = as_of(MARCH)
    counts = sla.period_end_counts_by(con, MARCH, ("all", "district", "channel"), now=NOW)
    groups = {(None, None): mart}
    groups |= {("channel", name): rows for name, rows in mart.groupby("channel")}
    for (by, name), rows in groups.items():
        got = counts["all"][None] if by is None else counts[by][name]
        r5, r10, r11 = (
            ref_r5(rows, MARCH.start_at, end),
            ref_r10(rows, MARCH.start_at, end),
            ref_r11(rows, end),
        )
        assert got.received == ref_r1(rows, MARCH).n, (by, name)
        assert (got.reply_judged, got.reply_on_time) == (r5.n, r5.numerator), (by, name)
        assert (got.resolution_judged, got.resolution_on_time) == (r10.n, r10.numerator)
        assert (got.open_at_end, got.overdue_at_end) == (r11.n, r11.numerator), (by, name)
    with pytest.raises(ValueError, match="cannot count by"):
        sla.period_end_counts_by(con, MARCH, ("region",), now=NOW)
