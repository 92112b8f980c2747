"""The machine-readable KPI catalogue, joined to its functions and targets.

``metrics.catalogue`` defines, ``metrics.kpis`` joins (``catalogue()``,
``Kpi``, ``judge``), ``metrics.targets`` reads the file the Directorate
edits (see tests/test_targets.py for the file itself).
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from metrics import responsiveness as r
from metrics.catalogue import DEFINITIONS, DIRECTIONS, KPI_IDS
from metrics.kpis import Kpi, catalogue, judge, meets_target
from metrics.targets import StatusRules, TargetsFileError, targets_path

ROOT = Path(__file__).resolve().parent.parent
SPEC_IDS = (
    [f"R{i}" for i in range(1, 15)]
    + [f"M{i}" for i in range(1, 8)]
    + [f"S{i}" for i in range(1, 7)]
    + [f"I{i}" for i in range(1, 5)]
    + ["C1"]
)
R_FUNCTIONS = {
    "R1": r.items_received,
    "R2": r.items_per_100k,
    "R3": r.response_rate,
    "R4": r.first_response_time,
    "R5": r.first_response_sla,
    "R6": r.referral_time,
    "R7": r.field_ack_within_24h,
    "R8": r.field_report_within_3_days,
    "R9": r.resolution_time,
    "R10": r.resolution_sla,
    "R11": r.overdue_backlog,
    "R12": r.reopen_rate,
    "R13": r.rti_compliance,
    "R14": r.satisfaction,
}


@pytest.fixture(scope="module")
def kpis() -> dict[str, Kpi]:
    return catalogue()


def first_paragraph(function) -> str:
    doc = function.__doc__ or ""
    paragraph = re.split(r"\n\s*\n", doc.strip(), maxsplit=1)[0]
    return re.sub(r"\s+", " ", paragraph).strip()


def test_every_catalogue_kpi_is_there_in_order(kpis):
    assert list(kpis) == SPEC_IDS
    assert tuple(SPEC_IDS) == KPI_IDS
    assert all(kpi.id == kpi_id for kpi_id, kpi in kpis.items())


def test_fields_are_complete_and_valid(kpis):
    names = [field.name for field in dataclasses.fields(Kpi)]
    assert names[:12] == [
        "id",
        "name",
        "definition",
        "unit",
        "direction",
        "target",
        "target_text",
        "baseline",
        "owner",
        "disaggregations",
        "cohort",
        "compute",
    ]
    for kpi in kpis.values():
        assert kpi.name and kpi.definition and kpi.unit and kpi.owner and kpi.cohort
        assert kpi.direction in DIRECTIONS
        assert isinstance(kpi.disaggregations, tuple) and kpi.disaggregations
        assert kpi.target is None or isinstance(kpi.target, float)
        assert kpi.baseline is None or isinstance(kpi.baseline, float)


def test_kpi_is_frozen(kpis):
    with pytest.raises(dataclasses.FrozenInstanceError):
        kpis["R3"].target = 50.0  # type: ignore[misc]


def test_kpis_compute_with_their_function(kpis):
    from metrics import media, outreach, social

    functions = {
        **R_FUNCTIONS,
        **social.KPI_FUNCTIONS,
        **media.KPI_FUNCTIONS,
        **outreach.KPI_FUNCTIONS,
    }
    for kpi_id, function in functions.items():
        assert kpis[kpi_id].compute is function
    assert {f"M{i}" for i in range(1, 8)} | {"I4"} <= set(functions)


def test_definition_is_the_functions_docstring_first_paragraph(kpis):
    for kpi_id, function in R_FUNCTIONS.items():
        definition = kpis[kpi_id].definition
        assert definition == first_paragraph(function), kpi_id
        assert definition.startswith(kpis[kpi_id].name + ":"), kpi_id
        assert "Unit:" in definition or "unit" in definition.lower(), kpi_id


def test_definitions_state_cohort_and_quantile_method(kpis):
    for kpi_id in R_FUNCTIONS:
        assert "cohort" in kpis[kpi_id].definition.lower(), kpi_id
    for kpi_id in ("R4", "R6", "R9"):
        definition = kpis[kpi_id].definition
        assert "P50" in definition and "P90" in definition, kpi_id
        assert "quantile_cont" in definition, kpi_id
    assert "breach" in kpis["R5"].definition and "breach" in kpis["R10"].definition
    assert "always show n" in kpis["R14"].definition


def test_page_summary_uses_the_catalogue_definitions(kpis):
    # kpi_summary reads the catalogue; the docstring is its single source.
    for kpi_id in r.PAGE_KPIS:
        assert kpis[kpi_id].definition
        assert inspect.getdoc(R_FUNCTIONS[kpi_id])


def test_r1_is_items_received_and_its_docstring_says_what_the_code_counts(kpis):
    definition = kpis["R1"].definition
    assert definition.startswith("Items received: the count of items received in the period")
    # the code counts every item in the mart, those needing no reply too
    assert "no_reply_needed" in definition and "included" in definition
    assert "needing a reply" not in definition.split("included")[0]


def test_the_catalogue_module_holds_definitions_only():
    # What a KPI means, with no target and no function: those are joined in metrics.kpis.
    fields = {field.name for field in dataclasses.fields(next(iter(DEFINITIONS.values())))}
    assert not {f for f in fields if f.startswith("target") or f in {"compute", "owner"}}
    assert tuple(DEFINITIONS) == KPI_IDS


@pytest.mark.parametrize(
    ("module", "must_not_import"),
    [
        ("metrics.catalogue", ("metrics.responsiveness", "metrics.social", "metrics.kpis")),
        ("metrics.targets", ("metrics.responsiveness", "metrics.social", "metrics.kpis")),
        ("metrics.responsiveness", ("metrics.catalogue", "metrics.targets", "metrics.kpis")),
        ("metrics.social", ("metrics.catalogue", "metrics.targets", "metrics.kpis")),
        ("metrics.breakdowns", ("metrics.catalogue", "metrics.targets", "metrics.kpis")),
        ("metrics.social_breakdowns", ("metrics.catalogue", "metrics.targets", "metrics.kpis")),
    ],
)
def test_no_import_circle_between_catalogue_and_functions(module, must_not_import):
    # A fresh interpreter: what importing the module pulls in, nothing cached.
    code = (
        f"import sys, {module}; print(','.join(m for m in {must_not_import!r} if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, check=True, capture_output=True, text=True
    )
    assert done.stdout.strip() == "", f"{module} imports {done.stdout.strip()}"


def test_units_match_the_kpi_results(kpis):
    expected = {
        "R1": "count",
        "R2": "per 100,000",
        "R3": "%",
        "R4": "minutes",
        "R5": "%",
        "R6": "minutes",
        "R7": "%",
        "R8": "%",
        "R9": "hours",
        "R10": "%",
        "R11": "count",
        "R12": "%",
        "R13": "%",
        "R14": "%",
    }
    assert {k: kpis[k].unit for k in expected} == expected


def test_directions_follow_the_catalogue(kpis):
    assert kpis["R1"].direction == "monitor"
    assert kpis["R2"].direction == "higher"
    assert {kpis[k].direction for k in ("R4", "R6", "R9", "R11", "R12")} == {"lower"}
    assert {kpis[k].direction for k in ("R3", "R5", "R7", "R8", "R10", "R13", "R14")} == {"higher"}
    assert kpis["M7"].direction == "plan" and kpis["S4"].direction == "plan"
    assert kpis["I2"].direction == "→ 1.0"
    assert kpis["C1"].direction == "higher"


def test_cohorts(kpis):
    assert kpis["R1"].cohort == "received"
    assert kpis["R3"].cohort == "received"
    assert kpis["R4"].cohort == "completed"
    assert kpis["R7"].cohort == "due" and kpis["R13"].cohort == "due"
    assert kpis["R11"].cohort == "open at period end"
    assert kpis["R5"].cohort == kpis["R10"].cohort == "completed + open past target at period end"


def test_standard_disaggregations_on_responsiveness(kpis):
    standard = {
        "month",
        "fiscal_quarter",
        "region",
        "district",
        "merged_vs_settled",
        "channel",
        "category",
        "requester_gender",
        "language",
    }
    for kpi_id in R_FUNCTIONS:
        assert set(kpis[kpi_id].disaggregations) == standard


# Targets file ----------------------------------------------------------------


def test_targets_come_from_the_yaml_file(kpis):
    raw = yaml.safe_load((ROOT / "data" / "config" / "targets.yaml").read_text("utf-8"))
    assert targets_path() == ROOT / "data" / "config" / "targets.yaml"
    assert list(raw["kpis"]) == SPEC_IDS
    for kpi_id, entries in raw["kpis"].items():
        # The shipped file has one province-wide entry per KPI, in effect today.
        (entry,) = entries
        assert entry["effective_from"] <= date.today()
        target = entry.get("target")
        assert kpis[kpi_id].target == (None if target is None else float(target))
        assert kpis[kpi_id].target_text == entry["target_text"]
        assert kpis[kpi_id].owner == entry["owner"]
        assert kpis[kpi_id].effective_from == entry["effective_from"]
    assert raw["status"] == {"within_pct": 10, "min_n": 10}


def test_catalogue_proposed_targets(kpis):
    # The catalogue's proposals, as numbers in the headline's unit.
    assert {k: kpis[k].target for k in R_FUNCTIONS} == {
        "R1": None,
        "R2": None,
        "R3": 95.0,
        "R4": 15.0,
        "R5": 90.0,
        "R6": 60.0,
        "R7": 95.0,
        "R8": 85.0,
        "R9": 48.0,
        "R10": 85.0,
        "R11": None,
        "R12": 5.0,
        "R13": 100.0,
        "R14": 85.0,
    }
    assert kpis["R4"].target_p90 == 120.0  # P90 <= 2 business hours
    assert kpis["R4"].target_p90_unit is None  # in R4's own unit and clock
    assert (kpis["R9"].target_p90, kpis["R9"].target_p90_unit) == (10.0, "working days")
    assert kpis["S4"].target == 2.0  # posts a day: the page's target line
    assert (kpis["S6"].target, kpis["S6"].target_minutes) == (90.0, 15.0)  # Meta's badge
    assert kpis["I2"].target_band == (0.9, 1.1)
    assert kpis["I3"].target == 36.0
    assert kpis["C1"].target == 1.0


def write_targets(path: Path, **overrides) -> Path:
    """The shipped targets file with the first entry of some KPIs changed."""
    raw = yaml.safe_load(targets_path().read_text("utf-8"))
    for kpi_id, entry in overrides.items():
        first = (raw["kpis"].get(kpi_id) or [{"effective_from": date(2024, 7, 1)}])[0]
        raw["kpis"][kpi_id] = [{**first, **entry}]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_an_edited_targets_file_changes_the_target_not_the_definition(tmp_path, kpis):
    path = write_targets(tmp_path / "targets.yaml", R3={"target": 97.5, "baseline": 81})
    edited = catalogue(path)
    assert edited["R3"].target == 97.5 and edited["R3"].baseline == 81.0
    assert edited["R3"].definition == kpis["R3"].definition


def test_targets_path_follows_the_environment(tmp_path, monkeypatch):
    # KP_KPI_TARGETS points tests (or a second deployment) at another file.
    path = write_targets(tmp_path / "other.yaml", R5={"target": 80})
    monkeypatch.setenv("KP_KPI_TARGETS", str(path))
    assert targets_path() == path
    assert catalogue()["R5"].target == 80.0


def test_the_file_is_reread_when_it_changes(tmp_path):
    import os

    path = write_targets(tmp_path / "targets.yaml", R14={"target": 85})
    assert catalogue(path)["R14"].target == 85.0
    before = path.stat()
    write_targets(path, R14={"target": 70})
    # Even an edit within the file system's clock resolution (same mtime) shows.
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert catalogue(path)["R14"].target == 70.0


@pytest.mark.parametrize("bad", ["ninety", True, [90], float("nan")])
def test_a_non_numeric_target_is_refused_with_file_and_line(tmp_path, bad):
    path = write_targets(tmp_path / "bad.yaml", R3={"target": bad})
    with pytest.raises(TargetsFileError, match="R3 target") as error:
        catalogue(path)
    assert str(path) in str(error.value) and "line" in str(error.value)
    lines = path.read_text("utf-8").splitlines()
    assert lines[error.value.line - 1].strip().startswith("target:")


def test_an_unknown_kpi_id_is_refused(tmp_path):
    path = write_targets(tmp_path / "unknown.yaml", R99={"target": 1, "target_text": "1"})
    with pytest.raises(TargetsFileError, match="R99"):
        catalogue(path)


def test_a_missing_entry_means_no_target(tmp_path):
    raw = yaml.safe_load(targets_path().read_text("utf-8"))
    del raw["kpis"]["R12"]
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    kpi = catalogue(path)["R12"]
    assert kpi.target is None and kpi.owner == "Not assigned"
    assert kpi.effective_from is None
    assert meets_target(kpi, 1.0) is None


def test_before_the_first_entry_a_kpi_has_no_target():
    # The shipped targets apply from 1 July 2024 (FY2024-25).
    old = catalogue(on=date(2024, 6, 30))
    assert old["R3"].target is None and old["R3"].target_text == "—"
    assert catalogue(on=date(2024, 7, 1))["R3"].target == 95.0


# meets_target and judge ------------------------------------------------------


def kpi_with(direction: str, target: float | None, **extra) -> Kpi:
    return Kpi(
        id="X1",
        name="Test",
        definition="d",
        unit="%",
        direction=direction,
        target=target,
        target_text="t",
        baseline=None,
        owner="o",
        disaggregations=("month",),
        cohort="received",
        **extra,
    )


@pytest.mark.parametrize(
    ("direction", "target", "value", "expected"),
    [
        ("higher", 90.0, 90.0, True),
        ("higher", 90.0, 89.99, False),
        ("lower", 5.0, 5.0, True),
        ("lower", 5.0, 5.01, False),
        ("plan", 2.0, 2.5, True),
        ("plan", 2.0, 1.5, False),
        ("monitor", 10.0, 3.0, None),
        ("higher", None, 3.0, None),
        ("higher", 90.0, None, None),
        ("higher", 90.0, float("nan"), None),
        ("→ 1.0", 1.0, 1.08, True),
        ("→ 1.0", 1.0, 0.85, False),
    ],
)
def test_meets_target(direction, target, value, expected):
    assert meets_target(kpi_with(direction, target), value) is expected


def test_meets_target_uses_the_band_and_the_p90_target(kpis):
    band = kpi_with("→ 1.0", 1.0, target_band=(0.8, 1.25))
    assert meets_target(band, 0.85) is True
    assert meets_target(band, 1.3) is False
    r4 = kpis["R4"]  # P50 <= 15 and P90 <= 120
    assert meets_target(r4, 12.0) is True
    assert meets_target(r4, 12.0, p90=100.0) is True
    assert meets_target(r4, 12.0, p90=150.0) is False
    assert meets_target(r4, 20.0, p90=100.0) is False


RULES = StatusRules(within_pct=10.0, min_n=10)


@pytest.mark.parametrize(
    ("direction", "target", "value", "expected"),
    [
        # higher: on at or above; within 10 % of the target (>= 85.5 for 95): near
        ("higher", 95.0, 95.0, "on_target"),
        ("higher", 95.0, 85.5, "near_target"),
        ("higher", 95.0, 85.4, "off_target"),
        # lower: on at or below; up to 110 % of the target (<= 16.5 for 15): near
        ("lower", 15.0, 15.0, "on_target"),
        ("lower", 15.0, 16.5, "near_target"),
        ("lower", 15.0, 16.6, "off_target"),
        ("plan", 2.0, 1.8, "near_target"),
        # ratios aiming at 1.0, band 0.9-1.1: near within 0.81-1.21
        ("→ 1.0", 1.0, 1.2, "near_target"),
        ("→ 1.0", 1.0, 0.8, "off_target"),
        ("monitor", 10.0, 3.0, None),
        ("higher", None, 3.0, None),
        ("higher", 95.0, None, None),
    ],
)
def test_judge_grades_on_near_and_off_target(direction, target, value, expected):
    kpi = kpi_with(direction, target, target_band=(0.9, 1.1) if direction == "→ 1.0" else None)
    assert judge(kpi, value, n=100, rules=RULES) == expected


def test_judge_says_n_too_small_for_rates_and_percentiles_only():
    rate = kpi_with("higher", 95.0)
    assert judge(rate, 100.0, n=9, rules=RULES) == "n_too_small"
    assert judge(rate, 100.0, n=10, rules=RULES) == "on_target"
    assert judge(rate, 100.0, n=9, rules=StatusRules(min_n=5)) == "on_target"
    # a KPI's own min_n wins over the file's
    assert judge(kpi_with("higher", 95.0, min_n=3), 100.0, n=4, rules=RULES) == "on_target"
    # counts are always shown
    count = dataclasses.replace(kpi_with("lower", 0.0), unit="count")
    assert judge(count, 3.0, n=1, rules=RULES) == "off_target"
    # nothing to show: no status at all
    assert judge(rate, None, n=0, rules=RULES) is None


def test_judge_uses_every_target_and_the_worst_grade_wins():
    # R9-like: P50 <= 48 h and P90 <= 10 working days (given in working days)
    r9 = dataclasses.replace(
        kpi_with("lower", 48.0, target_p90=10.0, target_p90_unit="working days"), unit="hours"
    )
    assert judge(r9, 40.0, n=50, p90=9.0, rules=RULES) == "on_target"
    assert judge(r9, 40.0, n=50, p90=10.5, rules=RULES) == "near_target"
    assert judge(r9, 40.0, n=50, p90=12.0, rules=RULES) == "off_target"
    assert judge(r9, 50.0, n=50, p90=12.0, rules=RULES) == "off_target"
    assert judge(r9, 50.0, n=50, p90=9.0, rules=RULES) == "near_target"
    # S6-like: a rate target and a minutes target
    s6 = kpi_with("higher", 90.0, target_minutes=15.0)
    assert judge(s6, 92.0, n=50, minutes=14.0, rules=RULES) == "on_target"
    assert judge(s6, 92.0, n=50, minutes=40.0, rules=RULES) == "off_target"
    # the "within" share comes from the file
    assert judge(kpi_with("higher", 95.0), 90.0, n=50, rules=StatusRules(within_pct=2)) == (
        "off_target"
    )
