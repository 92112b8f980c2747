"""A donor's Overview: the scorecard after the monthly report's disclosure control.

``ROWS`` is a small register loaded by the real ETL into a real warehouse
file: last month (the sidebar's default period), 29 items, every one
answered 30 minutes after it arrived, by district and requester gender:

=========  ======  ====  ===========  =====
district   female  male  transgender  total
=========  ======  ====  ===========  =====
Peshawar        6     5            1     12
Mardan          4     3            1      8
Swat            3     3            0      6
Kohat           1     1            1      3
total          14    12            3     29
=========  ======  ====  ===========  =====

Worked out by hand with the rule of ``metrics.disclosure`` as the report
applies it (a count of 1-4 reads "<5"; transgender 1-9 "<10"; a shown
total with exactly one hidden cell gives up one more, first the groups the
report prefers, else the smallest non-zero cell: "suppressed"):

* Items by district (R1), total 29 shown on the R1 tile: Kohat 3 -> "<5";
  the total then reveals it, and no item names no district, so the smallest
  other cell goes too: Swat 6 -> "suppressed". Peshawar 12 and Mardan 8 are
  shown. Items per 100,000 people (R2) rest on R1: hidden for Kohat and Swat.
* Items by region: CCPO Peshawar 12, Mardan 8 shown; Kohat region 3 -> "<5";
  Malakand (Swat's region, 6) -> "suppressed": it is Swat's count.
* By gender: transgender 3 -> "<10" (sensitive). For item counts the
  report gives up the men's first: men 12 "suppressed". Women 14 and the
  known-gender total 29 stay shown (two hidden cells in 14 + 12 + 3 = 29),
  so the women's share 14 / 29 = 48.3% is published; the transgender share
  rests on the hidden 3: "suppressed".
* First replies (R4's n) by gender, 14, 12 and 3: transgender "<10"; no
  unknown-gender group to give up, so the smallest other, men's 12,
  "suppressed"; women's 14 shown. Both parity ratios against men rest on a
  hidden count: "suppressed".

Other roles see the same warehouse unprotected (Kohat's 3 items).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.warehouse import reading
from etl.load import load_paths
from metrics import published_scorecard, responsiveness, score_cells
from metrics.filters import Filters
from metrics.report.groups import (
    DISAGGREGATED,
    GENDER_COMPLEMENTS,
    NO_DISTRICT,
    NOT_RECORDED,
    Group,
    compute_groups,
    gender_groups,
    publish_kpis,
)
from tests.auth_support import login
from tests.etl_helpers import register_row, write_register
from tests.test_app import pin_navigation_mode

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard.py"

# (district, gender) -> items, as in the table above.
COUNTS: dict[tuple[str, str], int] = {
    ("Peshawar", "female"): 6,
    ("Peshawar", "male"): 5,
    ("Peshawar", "transgender"): 1,
    ("Mardan", "female"): 4,
    ("Mardan", "male"): 3,
    ("Mardan", "transgender"): 1,
    ("Swat", "female"): 3,
    ("Swat", "male"): 3,
    ("Kohat", "female"): 1,
    ("Kohat", "male"): 1,
    ("Kohat", "transgender"): 1,
}


def last_month_weekdays() -> list[date]:
    """Monday-to-Friday dates of last month (Pakistan), the sidebar's default period."""
    today = datetime.now(ZoneInfo("Asia/Karachi")).date()
    end = today.replace(day=1) - timedelta(days=1)
    days = [end.replace(day=d) for d in range(1, end.day + 1)]
    return [d for d in days if d.weekday() < 5]


def rows() -> list[dict[str, str]]:
    """One register row per item of ``COUNTS``, spread over last month's weekdays."""
    days = last_month_weekdays()
    places = [key for key, n in COUNTS.items() for _ in range(n)]
    out = []
    for i, (district, gender) in enumerate(places):
        day = days[i % len(days)]
        out.append(
            register_row(
                f"D-{i + 1:03d}",
                f"{day} 10:00",
                district=district,
                requester_gender=gender,
                first_response_at=f"{day} 10:30",
            )
        )
    return out


def test_the_fixture_is_the_table_above() -> None:
    frame = pd.DataFrame(rows())
    assert len(frame) == 29
    by_district = frame.groupby("district").size().to_dict()
    assert by_district == {"Peshawar": 12, "Mardan": 8, "Swat": 6, "Kohat": 3}
    by_gender = frame.groupby("requester_gender").size().to_dict()
    assert by_gender == {"female": 14, "male": 12, "transgender": 3}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("donor")
    path = folder / "wh" / "warehouse.duckdb"
    report = load_paths([write_register(folder / "register.csv", rows())], warehouse=path)
    assert report.files[0].inserted == 29, [f.line() for f in report.files]
    return path


def open_overview(warehouse: Path, monkeypatch: pytest.MonkeyPatch, user: str) -> AppTest:
    monkeypatch.setenv("KP_WAREHOUSE", str(warehouse))
    pin_navigation_mode(monkeypatch)
    at = login(AppTest.from_file(str(APP), default_timeout=120), user)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def league(at: AppTest, kind: str) -> pd.DataFrame:
    """The league table of districts (it lists Swat) or regions (CCPO Peshawar), by area."""
    tables = [t.value for t in at.dataframe if "items_per_100k" in t.value.columns]
    name = {"district": "Swat", "region": "CCPO Peshawar"}[kind]
    return next(t for t in tables if name in set(t["group"])).set_index("group")


def metric(at: AppTest, label_start: str):  # noqa: ANN201  (an AppTest Metric)
    return next(m for m in at.metric if m.label.startswith(label_start))


def test_a_donor_opens_the_published_scorecard(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_overview(warehouse, monkeypatch, "donor")
    assert [t.value for t in at.title] == ["Overview"]
    assert any("Published view" in c.value for c in at.caption)
    assert metric(at, "R1 ·").value == "29"

    # A district with 3 items reads "<5"; its complement, the smallest other
    # district (Swat, 6), "suppressed"; the 3 and the 6 are not in the table sent.
    districts = league(at, "district")
    assert districts.loc["Kohat", "items_text"] == "<5"
    assert districts.loc["Swat", "items_text"] == "suppressed"
    assert districts.loc["Peshawar", "items_text"] == "12"
    assert districts.loc["Mardan", "items_text"] == "8"
    assert pd.isna(districts.loc["Kohat", "items_received"])
    assert pd.isna(districts.loc["Swat", "items_received"])
    assert districts.loc["Peshawar", "items_received"] == 12
    # Rates computed from a hidden count are hidden (R2 per 100,000 people).
    for hidden in ("Kohat", "Swat"):
        assert pd.isna(districts.loc[hidden, "items_per_100k"]), hidden
        assert districts.loc[hidden, "per_100k_text"] == "suppressed", hidden
    assert districts.loc["Peshawar", "items_per_100k"] > 0

    # A district's score leaves out each KPI resting on a hidden count:
    # Kohat's response rate R3 (3 of 3 items) is withheld, Peshawar's (12 of 12) not.
    assert "R3 (withheld under the disclosure rule)" in districts.loc["Kohat", "excluded"]
    assert "R3 (" not in districts.loc["Peshawar", "excluded"]

    regions = league(at, "region")
    assert regions.loc["Kohat", "items_text"] == "<5"
    assert regions.loc["Malakand", "items_text"] == "suppressed"
    assert regions.loc["CCPO Peshawar", "items_text"] == "12"
    assert pd.isna(regions.loc["Malakand", "items_received"])


def test_transgender_counts_read_under_ten_and_their_complements_are_hidden(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_overview(warehouse, monkeypatch, "donor")
    women = metric(at, "I1 · Women")
    trans = metric(at, "I1 · Transgender")
    assert women.value == f"{100 * 14 / 29:.1f}%"
    assert trans.value == "suppressed"  # the share rests on the hidden 3
    descriptions = {m.label: m.proto.delta_description for m in (women, trans)}
    assert descriptions[women.label].startswith("14 of 29 with known gender")
    assert descriptions[trans.label].startswith("<10 of 29 with known gender")

    parity = next(t.value for t in at.dataframe if "comparison" in t.value.columns)
    r4 = parity[parity["kpi_id"] == "R4"].set_index("comparison")
    # One row, one hidden cell (transgender "<10"): its complement, men's n, goes too.
    assert r4.loc["Transgender ÷ men", "group_n"] == "<10"
    assert r4.loc["Transgender ÷ men", "reference_n"] == "suppressed"
    assert r4.loc["Women ÷ men", "group_n"] == "14"
    assert r4.loc["Women ÷ men", "reference_n"] == "suppressed"
    for comparison in ("Transgender ÷ men", "Women ÷ men"):
        assert pd.isna(r4.loc[comparison, "ratio"]), comparison
        assert r4.loc[comparison, "ratio_text"] == "suppressed", comparison


def test_a_donors_page_links_to_no_row_level_page(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_overview(warehouse, monkeypatch, "donor")
    # The tiles' "Explained on Response times" links are not drawn: that page
    # is not in a donor's navigation. Only the Definitions page is linked.
    links = {str(p.proto.page) for p in at.page_link}
    assert links == {"definitions"}


def test_other_roles_see_the_same_page_unprotected(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_overview(warehouse, monkeypatch, "ig_office")
    assert not any("Published view" in c.value for c in at.caption)
    districts = league(at, "district")
    assert "items_text" not in districts.columns
    assert districts.loc["Kohat", "items_received"] == 3
    assert districts.loc["Swat", "items_received"] == 6
    assert metric(at, "I1 · Transgender").value == f"{100 * 3 / 29:.1f}%"


def test_the_rule_is_the_monthly_reports(warehouse: Path) -> None:
    """The district and gender tables hide what the report's own
    ``publish_kpis`` hides for the same groups (computed by the report's
    functions, group by group)."""
    days = last_month_weekdays()
    first = days[0].replace(day=1)
    f = Filters(first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1))
    with reading(warehouse) as con:
        flagged = published_scorecard.disclosure_flags(score_cells.comparison_cells(con, f))
        total = responsiveness.compute_kpis(con, DISAGGREGATED, f)
        by_district = compute_groups(
            con,
            [Group(d, f.with_district(d)) for d in ("Peshawar", "Mardan", "Swat", "Kohat")],
            DISAGGREGATED,
            None,
        )
        by_gender = compute_groups(con, gender_groups(f), DISAGGREGATED, None)
    tables = {
        "district": publish_kpis(
            "d", "", "", by_district, total, DISAGGREGATED,
            remainder_label=NO_DISTRICT, prefer={"*": (NO_DISTRICT,)},
        ),
        "gender": publish_kpis(
            "g", "", "", by_gender, total, DISAGGREGATED,
            remainder_label=NOT_RECORDED, prefer=GENDER_COMPLEMENTS,
        ),
    }  # fmt: skip
    current = flagged[flagged["period"] == "current"]
    checked = 0
    for grouping, table in tables.items():
        for label in table.flags.index:
            if label in ("Total", NO_DISTRICT, NOT_RECORDED):
                continue
            group = label.lower() if grouping == "gender" else label
            for k in DISAGGREGATED:
                row = current[
                    (current["grouping"] == grouping)
                    & (current["group"] == group)
                    & (current["kpi_id"] == k)
                ]
                # A group with no item is not measured (unknown gender here): nothing to hide.
                mine = row["value_flag"].item() if len(row) else ""
                assert mine == table.flags.at[label, k], (grouping, label, k)
                checked += 1
    assert checked == (4 + 4) * len(DISAGGREGATED)
    # ... and the hand-worked cells above are among them.
    assert tables["district"].flags.at["Kohat", "R1"] == "<5"
    assert tables["gender"].flags.at["Transgender", "R1"] == "<10"


def test_unprotected_cells_are_never_published() -> None:
    with pytest.raises(ValueError, match="without disclosure flags"):
        published_scorecard.published_board(
            pd.DataFrame(columns=["period", "kpi_id"]), Filters(date(2025, 3, 1), date(2025, 3, 31))
        )
