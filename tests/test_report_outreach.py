"""Outreach in the donor report: participants by gender, suppressed, or skipped.

The outreach events are tests/media_fixture.py's March 2025 register,
loaded by the real ETL (no inquiries in that warehouse). Expected cells are
worked out by hand from its rows:

* OE-01 Swat (Malakand, settled) F10 M30 T0; OE-02 Swat F40 M45 T-;
  OE-03 Swat F25 M- T-: Malakand 3 events, F75 M75 T0, 150 counted.
* OE-04 Kurram (Kohat, merged) F5 M60 T1: Kohat 1 event, F5 M60 T1, 66.
* OE-05 Upper South Waziristan (D.I. Khan, merged), no counts; OE-06 Lower
  South Waziristan (D.I. Khan, merged) F2 M3 T12: D.I. Khan 2 events, 17.
* Province: 6 events, F82 M138 T13, 233 counted. (OE-07 is February.)

Participants by region, with a total per region and per gender:
primary: Kohat/T 1 (<10, sensitive), D.I. Khan/F 2 and /M 3 (<5).
Female column (total 82 shown): only D.I. Khan hidden -> the smallest other
non-zero, Kohat 5. Male column: only D.I. Khan -> Kohat 60. Transgender
column (total 13 shown): only Kohat -> D.I. Khan 12. Rows Kohat and D.I.
Khan then have three hidden cells each; the Total row none. Events: 3, 1
and 2 are all under 5 (hidden); the total 6 is shown.
Merged (Kurram, South Waziristan): 3 events, F7 M63 T13, 83; settled
(Swat): 3 events, F75 M75 T0, 150: no participant cell under its
threshold; both event counts are under 5.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from core.warehouse import reading
from metrics.report.data import gather
from metrics.report.groups import TOTAL
from metrics.report.period import month, parse_period
from tests.media_fixture import build

MARCH = parse_period("2025-03")
LATER = datetime(2025, 4, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    warehouse = build(tmp_path_factory.mktemp("outreach"))
    with reading(warehouse) as con:
        return gather(con, MARCH, now=LATER)


def cells(table, row):
    return {c: (table.values.at[row, c], table.flags.at[row, c]) for c in table.values.columns}


def test_participants_by_region_after_suppression(report):
    table = report.table("outreach_region")
    assert table is not None
    kohat = cells(table, "Kohat")
    assert {c: f for c, (_, f) in kohat.items()} == {
        "events": "<5",
        "female": "suppressed",
        "male": "suppressed",
        "transgender": "<10",
        "participants": "",
    }
    assert kohat["participants"][0] == 66
    dik = cells(table, "D.I. Khan")
    assert {c: f for c, (_, f) in dik.items()} == {
        "events": "<5",
        "female": "<5",
        "male": "<5",
        "transgender": "suppressed",
        "participants": "",
    }
    assert dik["participants"][0] == 17
    malakand = cells(table, "Malakand")
    assert [malakand[c][0] for c in ("female", "male", "transgender", "participants")] == [
        75,
        75,
        0,
        150,
    ]
    assert malakand["events"][1] == "<5"
    total = cells(table, TOTAL)
    assert [total[c][0] for c in ("events", "female", "male", "transgender", "participants")] == [
        6,
        82,
        138,
        13,
        233,
    ]
    assert all(flag == "" for _, flag in total.values())
    hidden = table.values.loc[["Kohat", "D.I. Khan"], ["female", "male", "transgender"]]
    assert hidden.isna().all().all()  # a withheld value is never a number


def test_participants_merged_and_settled(report):
    table = report.table("outreach_merged")
    assert table is not None
    merged, settled = cells(table, "Merged districts"), cells(table, "Settled districts")
    assert [merged[c][0] for c in ("female", "male", "transgender", "participants")] == [
        7,
        63,
        13,
        83,
    ]
    assert [settled[c][0] for c in ("female", "male", "transgender", "participants")] == [
        75,
        75,
        0,
        150,
    ]
    assert merged["events"][1] == "<5" and settled["events"][1] == "<5"


def test_outreach_in_the_indicator_table(report):
    rows = report.indicators.set_index("row_id")
    assert rows.at["I4_events", "this_period"] == 6
    assert rows.at["I4_participants", "this_period"] == 233
    # February: OE-07 only (7 + 8 + 0 = 15 counted), under 5 events: hidden.
    assert rows.at["I4_participants", "previous"] == 15
    assert rows.at["I4_events", "previous_flag"] == "<5"
    assert "6 outreach events were held" in report.outreach_note


def test_without_an_outreach_register_the_report_skips_outreach(
    demo_warehouse: Path, tmp_path: Path
):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    with duckdb.connect(str(copy)) as con:  # an older warehouse, before the register existed
        con.execute("drop table marts.outreach_events")
    today = datetime.now(UTC).date()
    with reading(copy) as con:
        data = gather(con, month(today.year, today.month).previous())
    assert "no outreach register" in data.outreach_note
    assert not any(t.key.startswith("outreach") for t in data.disaggregations)
    assert not data.indicators["row_id"].str.startswith("I4").any()
    assert any("outreach" in gap for gap in data.quality.gaps)
