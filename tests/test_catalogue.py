"""The machine-readable KPI catalogue and the targets file the Directorate edits."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pytest
import yaml

from metrics import responsiveness as r
from metrics.catalogue import DIRECTIONS, KPI_IDS, Kpi, catalogue, meets_target, targets_path

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
    from metrics import social

    for kpi_id, function in {**R_FUNCTIONS, **social.KPI_FUNCTIONS}.items():
        assert kpis[kpi_id].compute is function
    others = [k for k in SPEC_IDS if k[0] not in "RS"]
    assert all(kpis[k].compute is None for k in others)


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
    raw = yaml.safe_load((ROOT / "data" / "config" / "kpi_targets.yaml").read_text("utf-8"))
    assert list(raw["kpis"]) == SPEC_IDS
    for kpi_id, entry in raw["kpis"].items():
        target = entry.get("target")
        assert kpis[kpi_id].target == (None if target is None else float(target))
        assert kpis[kpi_id].target_text == entry["target_text"]
        assert kpis[kpi_id].owner == entry["owner"]


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
    assert kpis["I2"].target_band == (0.9, 1.1)
    assert kpis["I3"].target == 36.0
    assert kpis["C1"].target == 1.0


def write_targets(path: Path, **overrides) -> Path:
    raw = yaml.safe_load(targets_path().read_text("utf-8"))
    for kpi_id, entry in overrides.items():
        raw["kpis"][kpi_id] = {**raw["kpis"].get(kpi_id, {}), **entry}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_an_edited_targets_file_changes_the_target_not_the_definition(tmp_path, kpis):
    path = write_targets(tmp_path / "targets.yaml", R3={"target": 97.5, "baseline": 81})
    edited = catalogue(path)
    assert edited["R3"].target == 97.5 and edited["R3"].baseline == 81.0
    assert edited["R3"].definition == kpis["R3"].definition


def test_targets_path_follows_the_environment(tmp_path, monkeypatch):
    path = write_targets(tmp_path / "other.yaml", R5={"target": 80})
    monkeypatch.setenv("KP_KPI_TARGETS", str(path))
    assert targets_path() == path
    assert catalogue()["R5"].target == 80.0


def test_the_file_is_reread_when_it_changes(tmp_path):
    path = write_targets(tmp_path / "targets.yaml", R14={"target": 85})
    assert catalogue(path)["R14"].target == 85.0
    write_targets(path, R14={"target": 70})
    import os

    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert catalogue(path)["R14"].target == 70.0


@pytest.mark.parametrize("bad", ["ninety", True, [90], float("nan")])
def test_a_non_numeric_target_is_refused_with_file_and_key(tmp_path, bad):
    path = write_targets(tmp_path / "bad.yaml", R3={"target": bad})
    with pytest.raises(ValueError, match="R3.target"):
        catalogue(path)


def test_an_unknown_kpi_id_is_refused(tmp_path):
    path = write_targets(tmp_path / "unknown.yaml", R99={"target": 1})
    with pytest.raises(ValueError, match="R99"):
        catalogue(path)


def test_a_missing_entry_means_no_target(tmp_path):
    raw = yaml.safe_load(targets_path().read_text("utf-8"))
    del raw["kpis"]["R12"]
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    kpi = catalogue(path)["R12"]
    assert kpi.target is None and kpi.owner == "Not assigned"
    assert meets_target(kpi, 1.0) is None


# meets_target ---------------------------------------------------------------


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
