"""M1-M7 and I4 on the hand-checkable fixture (tests/media_fixture.py).

Every expected value is worked out by hand in the fixture's docstring and
the comments here, or computed with plain pandas/numpy over the fixture's
literal rows and the reference CSVs; none comes from the code under test.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from core.config import REFERENCE_DIR
from core.warehouse import connect
from metrics import media, outreach
from metrics import media_breakdowns as mb
from metrics.filters import Filters
from tests import media_fixture as fx
from tests.media_fixture import FEBRUARY, MARCH, NOW

LATER = datetime(2025, 4, 15, 7, 0, tzinfo=UTC)
APRIL = Filters(date(2025, 4, 1), date(2025, 4, 30))


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    warehouse = fx.build(tmp_path_factory.mktemp("media"))
    connection = connect(warehouse)
    yield connection
    connection.close()


def utc(text: str) -> pd.Timestamp:
    """A Pakistan wall-clock time as a UTC instant (PKT = UTC+5, no DST)."""
    return pd.Timestamp(text, tz="Asia/Karachi").tz_convert("UTC")


# M1: same business day across a weekend and Eid ------------------------------------


def test_query_mart_targets_and_business_minutes(con) -> None:
    frame = con.execute(
        "select query_id, same_day_due_at, response_business_minutes, response_minutes, "
        "answered_same_business_day from marts.media_queries order by query_id"
    ).df()
    got = frame.set_index("query_id")
    due = {
        "Q1": "2025-03-01 17:00",  # Saturday is a working day
        "Q2": "2025-03-01 17:00",
        "Q3": "2025-03-03 17:00",  # received on Sunday: Monday's close
        "Q4": "2025-03-03 17:00",  # received after hours on Saturday
        "Q5": "2025-02-28 17:00",
        "Q6": "2025-03-03 17:00",
        "Q7": "2025-03-04 17:00",
        "Q8": "2025-04-03 17:00",  # Sunday, then Eid 31 March - 2 April
    }
    for query_id, when in due.items():
        assert got.loc[query_id, "same_day_due_at"] == utc(when), query_id
    business = {"Q1": 120, "Q2": 90, "Q3": 420, "Q4": 479, "Q5": 90, "Q8": 60}
    for query_id, minutes in business.items():
        assert got.loc[query_id, "response_business_minutes"] == pytest.approx(minutes), query_id
    assert got.loc["Q2", "response_minutes"] == pytest.approx(2490)  # Sat 16:30 -> Mon 10:00
    same_day = got["answered_same_business_day"]
    assert list(got.index[same_day.fillna(False).astype(bool)]) == ["Q1", "Q3", "Q4", "Q8"]
    assert pd.isna(same_day["Q6"]) and pd.isna(same_day["Q7"])


def test_m1_same_business_day_attainment(con) -> None:
    result = media.media_query_response(con, MARCH, now=NOW)
    # Answered in March: Q1-Q5 (Q1, Q3, Q4 the same day); open past target: Q6.
    assert (result.n, result.numerator, result.answered, result.open_past_due) == (6, 3, 5, 1)
    assert result.value == pytest.approx(50.0)
    hours = np.array([120, 90, 420, 479, 90]) / 60
    assert result.p50_hours == pytest.approx(np.percentile(hours, 50))
    assert result.p90_hours == pytest.approx(np.percentile(hours, 90))  # linear, as quantile_cont
    # Deadlines: Q1 missed (answered 12:00, deadline 11:00), Q3 met.
    assert (result.deadline_judged, result.deadline_met) == (2, 1)
    calendar = media.media_query_response(con, MARCH, now=NOW, business=False)
    minutes = np.array([120, 2490, 29 * 60, 46 * 60 + 59, 17 * 60 + 30])
    assert calendar.p50_hours == pytest.approx(np.median(minutes) / 60)

    # Later, Q7's target (Tuesday 4 March 17:00) has passed too.
    later = media.media_query_response(con, MARCH, now=LATER)
    assert (later.n, later.numerator) == (7, 3)
    april = media.media_query_response(con, APRIL, now=LATER)
    assert (april.n, april.numerator, april.value) == (1, 1, 100.0)


def test_query_bands_and_open_queries(con) -> None:
    bands = mb.query_response_bands(con, MARCH, now=NOW)
    assert dict(zip(bands["band"], bands["queries"], strict=True)) == {
        "Same business day": 3,  # Q1, Q3, Q4
        "Next working day": 2,  # Q2 (Monday 10:00), Q5 (Saturday 09:30)
        "Later": 0,
        "Open, past same-day target": 1,  # Q6
    }
    still_open = mb.open_queries(con, MARCH, now=NOW)
    assert list(still_open["query_id"]) == ["Q6", "Q7"]
    assert list(still_open["is_past_same_day"]) == [True, False]
    assert still_open.loc[0, "hours_open"] == pytest.approx(27.0)  # Mon 09:00 -> Tue 12:00
    assert "journalist" not in still_open.columns
    weekly = mb.query_weekly(con, MARCH)
    received = dict(zip(weekly["week_start"].dt.date, weekly["received"], strict=True))
    # Week of 24 Feb: Q1, Q2, Q3, Q4 (1-2 March); of 3 March: Q6, Q7; of 24 March: Q8.
    assert received == {date(2025, 2, 24): 4, date(2025, 3, 3): 2, date(2025, 3, 24): 1}


# M2, M3: the golden hour and the rebuttal -------------------------------------------


def test_m2_time_to_first_statement(con) -> None:
    result = media.time_to_first_statement(con, MARCH, target_minutes=60)
    minutes = [45, 90, 0]  # INC-1 from verification, INC-2 from the media report, INC-3
    assert result.n == 3
    assert result.value == pytest.approx(np.percentile(minutes, 50))
    assert result.p90 == pytest.approx(np.percentile(minutes, 90))
    assert result.numerator == 2  # 45 and 0 are within the golden hour
    assert media.time_to_first_statement(con, MARCH).numerator is None  # no target given
    mart = con.execute(
        "select statement_clock_basis, first_media_report_at from marts.incidents "
        "where incident_id = 'INC-2'"
    ).fetchone()
    assert mart[0] == "first media report"
    assert pd.Timestamp(mart[1]) == utc("2025-03-06 20:40")


def test_m3_rebuttal_time(con) -> None:
    result = media.rebuttal_time(con, MARCH, target_minutes=120)
    minutes = [210, 60]
    assert result.n == 2
    assert result.value == pytest.approx(135.0)
    assert result.p90 == pytest.approx(np.percentile(minutes, 90))
    assert result.numerator == 1


def test_incident_timeline_puts_incidents_without_statement_first(con) -> None:
    at_now = mb.incident_timeline(con, MARCH, statement_target_minutes=60, now=NOW)
    # At Tuesday 4 March noon only INC-4 has happened: verified Monday 12:30, no statement.
    assert list(at_now["incident_id"]) == ["INC-4"]
    assert bool(at_now.loc[0, "awaiting_statement"])
    assert at_now.loc[0, "minutes_without_statement"] == pytest.approx(23.5 * 60)
    assert not at_now.loc[0, "statement_within_target"]

    later = mb.incident_timeline(
        con, MARCH, statement_target_minutes=60, rebuttal_target_minutes=120, now=LATER
    )
    assert list(later["incident_id"]) == ["INC-4", "INC-3", "INC-2", "INC-1"]
    by_id = later.set_index("incident_id")
    assert list(by_id["statement_minutes"].loc[["INC-3", "INC-2", "INC-1"]]) == [0, 90, 45]
    assert list(by_id["statement_within_target"].loc[["INC-3", "INC-2", "INC-1"]]) == [
        True,
        False,
        True,
    ]
    assert list(by_id["rebuttal_within_target"].loc[["INC-3", "INC-1"]]) == [True, False]


def test_tone_after_incidents(con) -> None:
    after = mb.tone_after_incidents(con, MARCH, days=3)
    assert len(after) == 4 * 4  # four incidents, days 0-3
    rows = after.set_index(["incident_id", "day"])
    assert rows.loc[("INC-1", 0), "mentions"] == 1  # MM-08, negative
    assert rows.loc[("INC-1", 1), "mentions"] == 1  # MM-09, negative
    assert rows.loc[("INC-1", 1), "net_tone"] == -100
    assert rows.loc[("INC-2", 0), "net_tone"] == 0  # MM-07, neutral
    assert rows.loc[("INC-4", 0), "mentions"] == 0 and pd.isna(rows.loc[("INC-4", 0), "net_tone"])


# M4, M5, M6: mentions, net tone, official line ----------------------------------------


def march_mentions() -> pd.DataFrame:
    """The fixture's March mentions with plain pandas: the independent reckoning."""
    frame = pd.DataFrame(
        fx.MENTIONS,
        columns=[
            "id", "published", "outlet", "outlet_type", "language", "tone", "district",
            "line", "incident", "topic",
        ],
    )  # fmt: skip
    return frame[frame["published"].str.startswith("2025-03")]


def test_m4_m5_net_tone_and_negative_share(con) -> None:
    rows = march_mentions()
    coded = rows[rows["tone"] != ""]
    expected = 100 * ((coded["tone"] == "positive").sum() - (coded["tone"] == "negative").sum())
    expected /= len(coded)
    assert expected == pytest.approx(20.0)  # (5 - 3) / 10 x 100, by hand
    assert media.media_mentions(con, MARCH).value == 12
    tone = media.net_tone(con, MARCH)
    assert tone.value == pytest.approx(expected)
    assert (tone.n, tone.positive, tone.neutral, tone.negative) == (10, 5, 2, 3)
    assert tone.negative_share_pct == pytest.approx(30.0)
    assert media.net_tone(con, FEBRUARY).value == pytest.approx(100.0)  # MM-13 alone
    # TV only: MM-03, MM-04 positive, MM-07 neutral, MM-08 negative: (2 - 1) / 4.
    assert media.net_tone(con, MARCH, outlet_types=("tv",)).value == pytest.approx(25.0)


def test_m6_official_line_share(con) -> None:
    rows = march_mentions()
    coded = rows[rows["line"] != ""]
    expected = 100 * (coded["line"] == "yes").sum() / len(coded)
    result = media.official_line_share(con, MARCH)
    assert (result.numerator, result.n) == (5, 9)
    assert result.value == pytest.approx(expected)
    # Coverage of incidents: MM-08 yes, MM-09 yes, MM-10 no (MM-07 not coded).
    major = media.official_line_share(con, MARCH, incidents_only=True)
    assert (major.numerator, major.n) == (2, 3)


def test_place_filters_narrow_mentions(con) -> None:
    peshawar = MARCH.with_district("Peshawar")
    assert media.media_mentions(con, peshawar).value == 4  # MM-01, 02, 06, 11
    kohat = replace(MARCH, regions=("Kohat",))
    assert media.media_mentions(con, kohat).value == 4  # Orakzai, Kurram x2, Hangu
    # Queries name no district: a district filter leaves M1 as it is.
    assert media.media_query_response(con, peshawar, now=NOW).n == 6
    assert media.time_to_first_statement(con, MARCH.with_district("Kurram")).n == 1


def test_mention_breakdowns(con) -> None:
    rows = march_mentions()
    by_type = mb.mentions_over_time(con, MARCH, by="outlet_type")
    expected = rows.groupby("outlet_type").size().to_dict()
    assert dict(zip(by_type["group"], by_type["mentions"], strict=True)) == expected
    assert set(by_type["week_start"].dt.date) == {date(2025, 3, 3)}
    top = mb.top_outlets(con, MARCH, limit=3)
    assert list(top["outlet"]) == ["Dawn", "Geo News", "Khyber News"]  # 3, 2, 2 (then by name)
    districts = mb.mentions_by_district(con, MARCH)
    expected_districts = rows[rows["district"] != ""].groupby("district").size().to_dict()
    assert dict(zip(districts["district"], districts["mentions"], strict=True)) == (
        expected_districts
    )


# M7: outputs against the plan --------------------------------------------------------


def test_m7_outputs_against_the_plan(con) -> None:
    result = media.outputs_published(con, MARCH)
    assert result.value == 5
    # 7 x 2/7 (24 Feb - 2 Mar) + 7 + 14 (week of 3 March) + 7 x 1/7 (31 March).
    assert result.planned == pytest.approx(24.0)
    posts = media.outputs_published(con, MARCH, output_types=("post",))
    assert (posts.value, posts.planned) == (2, pytest.approx(15.0))
    weekly = mb.outputs_weekly(con, MARCH)
    got = {
        (w.date(), t): (p, None if pd.isna(n) else n)
        for w, t, p, n in weekly[["week_start", "output_type", "published", "planned"]].itertuples(
            index=False
        )
    }
    assert got == {
        (date(2025, 2, 24), "press release"): (0, 7),
        (date(2025, 3, 3), "press release"): (2, 7),
        (date(2025, 3, 3), "post"): (2, 14),
        (date(2025, 3, 10), "video"): (1, None),
        (date(2025, 3, 31), "post"): (0, 7),
    }


# I4 and events per 100,000 ----------------------------------------------------------


def census() -> tuple[pd.DataFrame, pd.Series]:
    districts = pd.read_csv(REFERENCE_DIR / "kp_districts.csv", dtype=str)
    population = pd.read_csv(REFERENCE_DIR / "kp_census_2023.csv").set_index("census_unit")[
        "population"
    ]
    return districts, population


def test_i4_events_and_participants(con) -> None:
    result = outreach.outreach_events_held(con, MARCH)
    assert result.value == 6
    assert (
        result.participants_female,
        result.participants_male,
        result.participants_transgender,
    ) == (82, 138, 13)  # blank counts add nothing
    assert result.participants_total == 233
    assert result.events_without_counts == 1  # OE-05
    assert outreach.outreach_events_held(con, FEBRUARY).value == 1
    genders = outreach.participants_by_gender(con, MARCH)
    court = genders[genders["event_type"] == "open court"].set_index("gender")
    assert court.loc["female", "participants"] == 10
    assert court.loc["female", "events_counted"] == 1  # OE-05 gave no count


def test_events_per_100k_by_area(con) -> None:
    districts, population = census()
    rates = outreach.events_per_100k(con, MARCH).set_index("census_unit")
    assert rates.loc["Swat", "events"] == 3
    assert rates.loc["Swat", "events_per_100k"] == pytest.approx(3 / population["Swat"] * 100_000)
    # Upper and Lower South Waziristan share one census unit: one area, never split.
    assert rates.loc["South Waziristan", "events"] == 2
    assert rates.loc["South Waziristan", "area"] == (
        "South Waziristan (Lower South Waziristan, Upper South Waziristan)"
    )
    assert rates.loc["South Waziristan", "events_per_100k"] == pytest.approx(
        2 / population["South Waziristan"] * 100_000
    )
    assert len(rates) == districts["census_unit"].nunique()
    assert rates.loc["Peshawar", "events"] == 0  # OE-07 was in February

    merged = outreach.merged_vs_settled(con, MARCH).set_index("is_merged_district")
    units = districts.drop_duplicates("census_unit")
    is_merged = units["merged_district"] == "yes"
    merged_population = population[units.loc[is_merged, "census_unit"]].sum()
    settled_population = population[units.loc[~is_merged, "census_unit"]].sum()
    assert merged.loc[True, "events"] == 3  # Kurram, Upper and Lower South Waziristan
    assert merged.loc[True, "population"] == merged_population
    assert merged.loc[True, "events_per_100k"] == pytest.approx(3 / merged_population * 1e5)
    assert merged.loc[False, "events_per_100k"] == pytest.approx(3 / settled_population * 1e5)


def test_districts_without_events(con) -> None:
    districts, _ = census()
    missing = outreach.districts_without_events(con, MARCH)
    held = {"Swat", "Kurram", "Upper South Waziristan", "Lower South Waziristan"}
    assert set(missing["district"]) == set(districts["district"]) - held
    malakand = outreach.districts_without_events(con, replace(MARCH, regions=("Malakand",)))
    expected = set(districts.loc[districts["police_region"] == "Malakand", "district"]) - held
    assert set(malakand["district"]) == expected


def test_kpi_functions_are_exposed_with_definitions() -> None:
    assert list(media.KPI_FUNCTIONS) == ["M1", "M2", "M3", "M4", "M5", "M6", "M7"]
    assert list(outreach.KPI_FUNCTIONS) == ["I4"]
    for function in (*media.KPI_FUNCTIONS.values(), *outreach.KPI_FUNCTIONS.values()):
        first = (function.__doc__ or "").split("\n\n")[0]
        assert len(first.split()) > 12, function.__name__


def test_no_mart_path_returns_personal_data(con) -> None:
    tables = [
        mb.open_queries(con, MARCH, now=NOW),
        mb.incident_timeline(con, MARCH, now=LATER),
        mb.top_outlets(con, MARCH),
        mb.recent_incidents(con),
    ]
    names = {"Asma Khan", "Bilal Shah", "Sana Gul", "Imran Ali", "Noor Jan"}
    for table in tables:
        text = " ".join(str(v) for v in table.to_numpy().ravel())
        assert not any(name in text for name in names)
        assert "0300-" not in text
