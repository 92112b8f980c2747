"""The targets file the Directorate edits: dates, areas, and mistakes named by line.

Each test writes its own small targets file (``KP_KPI_TARGETS`` or an
explicit path points at it). Expected targets and statuses are worked out
by hand from the file and from the hand-checked fixture in
tests/metrics_fixture.py (March 2025; February the month before).
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from metrics import kpis
from metrics.targets import TargetsFileError, load_targets, region_of, target_for
from tests.metrics_fixture import FEBRUARY, MARCH, NOW, fixture_connection

HEAD = """\
status:
  within_pct: 10
  min_n: 1
kpis:
  R3:
    - effective_from: 2024-07-01
      target: 95
      target_text: "≥ 95%"
      owner: "PR director"
"""


def write(tmp_path: Path, text: str, name: str = "targets.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def con():
    connection = fixture_connection()
    yield connection
    connection.close()


# Mistakes are refused with the file and line --------------------------------


MALFORMED = [
    # (what is wrong, lines of the file after HEAD's first 6, line, message)
    ("not a number", "      target: ninety\n", 7, "R3 target must be a number or null"),
    ("a boolean", "      target: yes\n", 7, "R3 target must be a number or null"),
    ("YAML syntax", "      target: 95: 96\n", 7, "not valid YAML"),
    ("a misspelt key", "      taget: 95\n", 7, "unknown key 'taget'"),
    ("a band upside down", "      target_band: [1.1, 0.9]\n", 7, "target_band must be [low"),
    ("an unknown P90 unit", "      target_p90_unit: fortnights\n", 7, "target_p90_unit"),
    ("a negative min_n", "      min_n: -3\n", 7, "R3 min_n must be a whole number"),
    ("target without words", "      target: 97\n      owner: x\n", 6, "no target_text"),
]


@pytest.mark.parametrize(
    ("case", "body", "line", "message"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_a_malformed_entry_is_refused_naming_file_and_line(tmp_path, case, body, line, message):
    text = HEAD.split("      target: 95\n")[0] + body
    path = write(tmp_path, text)
    with pytest.raises(TargetsFileError) as error:
        load_targets(path)
    assert error.value.line == line, str(error.value)
    assert str(error.value).startswith(f"{path}, line {line}: ")
    assert message in str(error.value)


def test_an_unknown_kpi_and_a_repeated_kpi_are_refused_on_their_line(tmp_path):
    path = write(tmp_path, HEAD + "  R99:\n    - effective_from: 2024-07-01\n")
    with pytest.raises(TargetsFileError, match="unknown KPI id 'R99'") as error:
        load_targets(path)
    assert error.value.line == 10
    path = write(tmp_path, HEAD + "  R3:\n    - effective_from: 2025-07-01\n", "twice.yaml")
    with pytest.raises(TargetsFileError, match=r"R3 appears twice \(also line 5\)") as error:
        load_targets(path)
    assert error.value.line == 10


def test_dates_areas_and_duplicates_are_checked(tmp_path):
    cases = [
        # (appended after HEAD, line at fault, message)
        ("    - effective_from: 2025-13-01\n      owner: x\n", 10, "effective_from must be a date"),
        ("    - owner: x\n", 10, "needs an effective_from"),
        ("    - effective_from: 2025-01-01\n      district: Peshwar\n", 11, "'Peshwar' is not a"),
        ("    - effective_from: 2025-01-01\n      region: Swat\n", 11, "'Swat' is not a region"),
        (
            "    - effective_from: 2025-01-01\n      region: Mardan\n      district: Swabi\n",
            10,
            "both a region and a district",
        ),
        ("    - effective_from: 2024-07-01\n      owner: x\n", 10, "(the other on line 6)"),
    ]
    for appended, line, message in cases:
        path = write(tmp_path, HEAD + appended)
        with pytest.raises(TargetsFileError) as error:
            load_targets(path)
        assert (error.value.line, message in str(error.value)) == (line, True), str(error.value)


def test_file_level_mistakes(tmp_path):
    with pytest.raises(TargetsFileError, match="empty"):
        load_targets(write(tmp_path, "# nothing but a comment\n"))
    with pytest.raises(TargetsFileError, match="within_pct must be a number from 0") as error:
        load_targets(write(tmp_path, HEAD.replace("within_pct: 10", "within_pct: 150")))
    assert error.value.line == 2
    with pytest.raises(TargetsFileError, match="unknown key 'kpi'") as error:
        load_targets(write(tmp_path, HEAD.replace("kpis:", "kpi:")))
    assert error.value.line == 4
    with pytest.raises(TargetsFileError, match="R3 must be a list of entries") as error:
        load_targets(write(tmp_path, HEAD.split("    - ")[0] + "    target: 95\n"))
    assert error.value.line == 6
    with pytest.raises(FileNotFoundError, match="KP_KPI_TARGETS"):
        load_targets(tmp_path / "missing.yaml")


def test_the_page_code_is_refused_the_same_file(tmp_path, monkeypatch):
    # Every reader goes through the one loader: the catalogue refuses it too.
    monkeypatch.setenv("KP_KPI_TARGETS", str(write(tmp_path, HEAD.replace("95\n", "x\n", 1))))
    with pytest.raises(TargetsFileError, match="line 7"):
        kpis.catalogue()


# Effective dates ---------------------------------------------------------------

CHANGED_IN_MARCH = (
    HEAD
    + """\
    - effective_from: 2025-03-01
      target: 90
      target_text: "≥ 90%"
  R5:
    - effective_from: 2024-07-01
      target: 90
      target_text: "≥ 90%"
      owner: "PR director"
"""
)


def test_a_target_changed_mid_year_leaves_earlier_days_alone(tmp_path):
    path = write(tmp_path, CHANGED_IN_MARCH)
    before = target_for("R3", on=date(2025, 2, 28), path=path)
    after = target_for("R3", on=date(2025, 3, 1), path=path)
    assert (before.target, before.target_text, before.effective_from) == (
        95.0,
        "≥ 95%",
        date(2024, 7, 1),
    )
    assert (after.target, after.target_text, after.effective_from) == (
        90.0,
        "≥ 90%",
        date(2025, 3, 1),
    )
    # The later entry left the owner out: it carries over.
    assert after.owner == "PR director" and after.line == 10
    # Before the first entry there was no target.
    assert target_for("R3", on=date(2024, 6, 30), path=path) is None


def test_old_months_keep_the_old_target_in_the_kpi_summary(tmp_path, monkeypatch, con):
    monkeypatch.setenv("KP_KPI_TARGETS", str(write(tmp_path, CHANGED_IN_MARCH)))
    february = kpis.kpi_summary(con, FEBRUARY, now=NOW).set_index("kpi_id")
    march = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id")
    # February: R3 3 of 3 replied (A10, A21, A22) = 100 % against the old 95 %.
    assert february.loc["R3", "target"] == 95.0
    assert february.loc["R3", "target_from"] == date(2024, 7, 1)
    assert february.loc["R3", "status"] == "on_target"
    # March: 20 of 22 = 90.9 %, on target against the new 90 %; against the old
    # 95 % it would be within 10 % (>= 85.5) but not on target.
    assert march.loc["R3", "value"] == pytest.approx(100 * 20 / 22)
    assert march.loc["R3", "target"] == 90.0
    assert march.loc["R3", "target_from"] == date(2025, 3, 1)
    assert march.loc["R3", "status"] == "on_target"
    assert bool(march.loc["R3", "meets_target"]) is True
    # A quarter is judged against the target in effect on its last day.
    quarter = kpis.kpi_summary(con, replace(MARCH, start=date(2025, 1, 1)), now=NOW)
    assert quarter.set_index("kpi_id").loc["R3", "target"] == 90.0
    # KPIs the file leaves out have no target and no status.
    assert pd.isna(march.loc["R12", "target"]) and pd.isna(march.loc["R12", "status"])
    assert march.loc["R12", "status_text"] == "no target to compare with"


# Areas ------------------------------------------------------------------------------

AREAS = (
    HEAD
    + """\
    - effective_from: 2024-07-01
      district: Peshawar
      target: 80
      target_text: "≥ 80% (Peshawar)"
    - effective_from: 2024-07-01
      region: Mardan
      target: 50
      target_text: "≥ 50% (Mardan region)"
      owner: "RPO Mardan"
    - effective_from: 2025-03-15
      district: Swabi
      owner: "DPO Swabi"
"""
)


def test_a_district_or_region_entry_overrides_the_province(tmp_path):
    path = write(tmp_path, AREAS)
    day = date(2025, 3, 31)
    assert target_for("R3", on=day, path=path).target == 95.0
    peshawar = target_for("R3", on=day, district="Peshawar", path=path)
    assert (peshawar.target, peshawar.scope, peshawar.area) == (80.0, "district", "Peshawar")
    assert peshawar.owner == "PR director"  # left out: the province's
    # Mardan (district) has no entry of its own: its region's.
    mardan = target_for("R3", on=day, district="Mardan", path=path)
    assert (mardan.target, mardan.owner, mardan.scope) == (50.0, "RPO Mardan", "region")
    # Swabi's own entry from 15 March names an owner only: the region's target stays.
    swabi = target_for("R3", on=day, district="Swabi", path=path)
    assert (swabi.target, swabi.target_text, swabi.owner) == (
        50.0,
        "≥ 50% (Mardan region)",
        "DPO Swabi",
    )
    assert target_for("R3", on=date(2025, 3, 14), district="Swabi", path=path).owner == "RPO Mardan"
    assert region_of("Swabi") == "Mardan"
    # A district of another region: the province's.
    assert target_for("R3", on=day, district="Swat", path=path).target == 95.0


def test_a_district_filter_gets_the_district_target_in_the_summary(tmp_path, monkeypatch, con):
    monkeypatch.setenv("KP_KPI_TARGETS", str(write(tmp_path, AREAS)))
    peshawar = kpis.kpi_summary(con, MARCH.with_district("Peshawar"), now=NOW)
    row = peshawar.set_index("kpi_id").loc["R3"]
    # Peshawar, March: A01 A02 A03 A08 A16 A19 A24 A27 need a reply (A12 and
    # A28 do not); all but A19 were replied: 7 of 8 = 87.5 %.
    assert (row["n"], row["numerator"]) == (8, 7)
    assert row["value"] == pytest.approx(87.5)
    assert (row["target"], row["target_text"]) == (80.0, "≥ 80% (Peshawar)")
    assert row["status"] == "on_target"
    # The province in March: 20 of 22 = 90.9 % against 95 %: within 10 %.
    province = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id").loc["R3"]
    assert (province["target"], province["status"]) == (95.0, "near_target")
    # Two districts chosen: no single area, so the province's target.
    two = kpis.kpi_for("R3", replace(MARCH, districts=("Peshawar", "Mardan")))
    assert two.target == 95.0
    # One region chosen: the region's.
    assert kpis.kpi_for("R3", replace(MARCH, regions=("Mardan",))).target == 50.0


def test_status_rules_come_from_the_file(tmp_path, monkeypatch, con):
    strict = HEAD.replace("within_pct: 10", "within_pct: 2").replace("min_n: 1", "min_n: 30")
    monkeypatch.setenv("KP_KPI_TARGETS", str(write(tmp_path, strict)))
    row = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id").loc["R3"]
    # n 22 < 30: too few items to judge, whatever the value.
    assert row["status"] == "n_too_small"
    assert row["status_text"] == "n too small (fewer than 30 items)"
    monkeypatch.setenv("KP_KPI_TARGETS", str(write(tmp_path, strict.replace("30", "5"), "b.yaml")))
    row = kpis.kpi_summary(con, MARCH, now=NOW).set_index("kpi_id").loc["R3"]
    # 90.9 % against 95 % is more than 2 % short (93.1 %): off target.
    assert (row["status"], row["status_text"]) == ("off_target", "off target")


def test_a_target_without_a_value_says_so(tmp_path, monkeypatch, con):
    monkeypatch.setenv("KP_KPI_TARGETS", str(write(tmp_path, HEAD)))
    nowhere = kpis.kpi_summary(con, replace(MARCH, districts=("Nowhere",)), now=NOW)
    rows = nowhere.set_index("kpi_id")
    # R3 has a target but no item in scope; R5 has no target in this file.
    assert pd.isna(rows.loc["R3", "status"])
    assert rows.loc["R3", "status_text"] == "no value in this period"
    assert rows.loc["R5", "status_text"] == "no target to compare with"
