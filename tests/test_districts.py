"""District name normalisation against data/reference/kp_districts.csv.

Expected values are read off the reference files by hand (see comments),
never produced by the code under test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.config import REFERENCE_DIR
from etl.districts import DistrictMatch, DistrictReference, default_reference


@pytest.fixture(scope="module")
def ref() -> DistrictReference:
    return DistrictReference.load()


# ------------------------------------------------------------ reference data


def test_36_districts_in_7_regions(ref: DistrictReference) -> None:
    districts = ref.districts
    assert list(districts.columns) == ["district", "region", "is_merged_district", "census_unit"]
    assert len(districts) == 36
    assert districts["district"].is_unique
    # Counted in kp_districts.csv: CCPO Peshawar (Peshawar, Khyber) 2;
    # Mardan (Mardan, Swabi, Charsadda, Nowshera, Mohmand) 5; Malakand (Swat,
    # Buner, Shangla, Lower/Upper Dir, Lower/Upper Chitral, Bajaur, Malakand) 9;
    # Hazara (Abbottabad, Mansehra, Haripur, Battagram, Torghar, Upper/Lower
    # Kohistan, Kolai Palas) 8; Kohat (Kohat, Hangu, Karak, Orakzai, Kurram) 5;
    # Bannu (Bannu, Lakki Marwat, North Waziristan) 3; D.I. Khan (Dera Ismail
    # Khan, Tank, Upper/Lower South Waziristan) 4. 2+5+9+8+5+3+4 = 36.
    assert districts["region"].value_counts().to_dict() == {
        "CCPO Peshawar": 2,
        "Mardan": 5,
        "Malakand": 9,
        "Hazara": 8,
        "Kohat": 5,
        "Bannu": 3,
        "D.I. Khan": 4,
    }


def test_merged_district_flags(ref: DistrictReference) -> None:
    districts = ref.districts
    assert districts["is_merged_district"].dtype == bool
    # The seven former agencies, South Waziristan now split in two: 8 rows
    # marked "yes" in the reference.
    merged = set(districts.loc[districts["is_merged_district"], "district"])
    assert merged == {
        "Khyber",
        "Mohmand",
        "Bajaur",
        "Orakzai",
        "Kurram",
        "North Waziristan",
        "Upper South Waziristan",
        "Lower South Waziristan",
    }
    by_name = districts.set_index("district")
    assert not by_name.loc["Peshawar", "is_merged_district"]
    assert by_name.loc["Khyber", "region"] == "CCPO Peshawar"
    assert by_name.loc["Dera Ismail Khan", "region"] == "D.I. Khan"


def test_census_units_and_types(ref: DistrictReference) -> None:
    census = ref.census
    # 36 districts, two of which share the census unit South Waziristan: 35 rows.
    assert len(census) == 35
    assert census["population"].dtype == np.int64
    south = census.set_index("census_unit").loc["South Waziristan"]
    assert south["population"] == 888675  # from kp_census_2023.csv
    by_name = ref.districts.set_index("district")
    assert by_name.loc["Upper South Waziristan", "census_unit"] == "South Waziristan"
    assert by_name.loc["Lower South Waziristan", "census_unit"] == "South Waziristan"
    assert by_name.loc["Battagram", "census_unit"] == "Batagram"
    assert set(ref.districts["census_unit"]) <= set(census["census_unit"])


def test_alias_table_is_folded_and_unambiguous(ref: DistrictReference) -> None:
    aliases = ref.aliases
    assert list(aliases.columns) == ["alias", "district"]
    assert aliases["alias"].is_unique
    pairs = set(aliases.itertuples(index=False, name=None))
    # "D.I. Khan" folds to "d i khan", "DIKhan" to "dikhan"; the census unit
    # Batagram is Battagram's only; district names are spellings too.
    assert ("d i khan", "Dera Ismail Khan") in pairs
    assert ("dikhan", "Dera Ismail Khan") in pairs
    assert ("batagram", "Battagram") in pairs
    assert ("peshawar", "Peshawar") in pairs
    assert ("kolai palas kohistan", "Kolai Palas") in pairs
    # The shared census unit names two districts, so it is no alias.
    assert "south waziristan" not in set(aliases["alias"])


def test_default_reference_is_cached() -> None:
    assert default_reference() is default_reference()
    assert len(default_reference().districts) == 36


def test_load_rejects_a_short_list(tmp_path: Path) -> None:
    shutil.copy(REFERENCE_DIR / "kp_census_2023.csv", tmp_path / "kp_census_2023.csv")
    lines = (REFERENCE_DIR / "kp_districts.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "kp_districts.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lists 35 districts, expected 36"):
        DistrictReference.load(tmp_path)


# ------------------------------------------------------------------ matching


@pytest.mark.parametrize(
    ("name", "district"),
    [
        ("D.I. Khan", "Dera Ismail Khan"),  # alias
        ("DI Khan", "Dera Ismail Khan"),  # alias
        ("D.I.Khan", "Dera Ismail Khan"),  # alias, folds to "d i khan"
        ("d. i. khan", "Dera Ismail Khan"),  # punctuation and case
        ("DIKhan", "Dera Ismail Khan"),  # alias
        ("dera ismail khan", "Dera Ismail Khan"),  # name, lower case
        ("Dera Ismael Khan", "Dera Ismail Khan"),  # alias (misspelling)
        ("Dir Lower", "Lower Dir"),  # alias
        ("  lower   DIR ", "Lower Dir"),  # name, spaces and case
        ("Batagram", "Battagram"),  # census unit and alias
        ("BATTAGRAM", "Battagram"),  # name, upper case
        ("kolai-palas", "Kolai Palas"),  # hyphen folds to a space
        ("Kolai Palas Kohistan", "Kolai Palas"),  # census unit
        ("Upper South Waziristan", "Upper South Waziristan"),
        ("Wana", "Lower South Waziristan"),  # alias
        ("North Waziristan Agency", "North Waziristan"),  # alias
        ("Chitral Upper", "Upper Chitral"),  # alias
        ("peshawar", "Peshawar"),
    ],
)
def test_spellings_resolve(ref: DistrictReference, name: str, district: str) -> None:
    assert ref.normalise(name) == DistrictMatch(district, "ok")


@pytest.mark.parametrize("name", [None, "", "   ", float("nan"), pd.NA, np.nan, "--"])
def test_blank(ref: DistrictReference, name: object) -> None:
    match = ref.normalise(name)
    assert match == DistrictMatch(None, "blank")
    assert match.message("") == "no district given"


@pytest.mark.parametrize("name", ["Xyz", "Lahore", "Khan", "Palas", 42])
def test_unknown(ref: DistrictReference, name: object) -> None:
    # "Khan" and "Palas" are words of one district only: not ambiguous, and
    # still not guessed.
    match = ref.normalise(name)
    assert match == DistrictMatch(None, "unknown")


def test_unknown_message(ref: DistrictReference) -> None:
    assert ref.normalise("Xyz").message("Xyz") == (
        "district 'Xyz' is not one of the 36 districts of Khyber Pakhtunkhwa"
    )


@pytest.mark.parametrize(
    ("name", "candidates"),
    [
        # The census unit holding both halves of South Waziristan.
        ("South Waziristan", ("Lower South Waziristan", "Upper South Waziristan")),
        ("south-waziristan", ("Lower South Waziristan", "Upper South Waziristan")),
        ("Waziristan South", ("Lower South Waziristan", "Upper South Waziristan")),
        ("Chitral", ("Lower Chitral", "Upper Chitral")),
        ("Dir", ("Lower Dir", "Upper Dir")),
        # Kohistan was split three ways: Kolai Palas's census unit is
        # "Kolai Palas Kohistan".
        ("Kohistan", ("Kolai Palas", "Lower Kohistan", "Upper Kohistan")),
        ("Waziristan", ("Lower South Waziristan", "North Waziristan", "Upper South Waziristan")),
    ],
)
def test_ambiguous(ref: DistrictReference, name: str, candidates: tuple[str, ...]) -> None:
    assert ref.normalise(name) == DistrictMatch(None, "ambiguous", candidates)


def test_ambiguous_messages(ref: DistrictReference) -> None:
    assert ref.normalise("South Waziristan").message("South Waziristan") == (
        "district 'South Waziristan' is ambiguous: it could be Lower South Waziristan "
        "or Upper South Waziristan; write the district in full"
    )
    assert ref.normalise("Kohistan").message("Kohistan") == (
        "district 'Kohistan' is ambiguous: it could be Kolai Palas, Lower Kohistan "
        "or Upper Kohistan; write the district in full"
    )


# ------------------------------------------------------------------- series


def test_normalise_series_mixed(ref: DistrictReference) -> None:
    names = pd.Series(
        ["D.I. Khan", None, "Chitral", "Xyz", "DI Khan", "", "Batagram", np.nan, "D.I. Khan"],
        index=[10, 11, 12, 13, 14, 15, 16, 17, 18],
        dtype=object,
    )
    out = ref.normalise_series(names)
    assert list(out.columns) == ["district", "status", "message"]
    assert list(out.index) == [10, 11, 12, 13, 14, 15, 16, 17, 18]
    assert out["district"].tolist() == [
        "Dera Ismail Khan",
        pd.NA,
        pd.NA,
        pd.NA,
        "Dera Ismail Khan",
        pd.NA,
        "Battagram",
        pd.NA,
        "Dera Ismail Khan",
    ]
    assert out["status"].tolist() == [
        "ok",
        "blank",
        "ambiguous",
        "unknown",
        "ok",
        "blank",
        "ok",
        "blank",
        "ok",
    ]
    assert out.loc[12, "message"] == (
        "district 'Chitral' is ambiguous: it could be Lower Chitral or Upper Chitral; "
        "write the district in full"
    )
    assert out.loc[13, "message"] == (
        "district 'Xyz' is not one of the 36 districts of Khyber Pakhtunkhwa"
    )
    # Good and blank rows carry no message.
    assert out["message"].isna().tolist() == [
        True,
        True,
        False,
        False,
        True,
        True,
        True,
        True,
        True,
    ]


def test_normalise_series_string_dtype_and_empty(ref: DistrictReference) -> None:
    names = pd.Series(["Swat", pd.NA, "dir"], dtype="string")
    out = ref.normalise_series(names)
    assert out["status"].tolist() == ["ok", "blank", "ambiguous"]
    empty = ref.normalise_series(pd.Series([], dtype=object))
    assert len(empty) == 0
    assert list(empty.columns) == ["district", "status", "message"]


def test_normalise_series_matches_each_distinct_value_once(
    ref: DistrictReference, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    original = DistrictReference.normalise

    def counting(self: DistrictReference, name: object) -> DistrictMatch:
        calls.append(name)
        return original(self, name)

    monkeypatch.setattr(DistrictReference, "normalise", counting)
    # 1,000,000 rows, 4 distinct non-missing values and missing ones.
    names = pd.Series(["Swat", "DI Khan", None, "Dir", "xyz"] * 200_000, dtype=object)
    out = ref.normalise_series(names)
    assert len(calls) == 4
    assert len(out) == 1_000_000
    assert out["status"].value_counts().to_dict() == {
        "ok": 400_000,
        "blank": 200_000,
        "ambiguous": 200_000,
        "unknown": 200_000,
    }


def test_a_name_in_another_script_is_unknown_not_blank():
    from etl.districts import default_reference

    # Urdu "Peshawar": not readable by the alias table, so it must be
    # quarantined (unknown), never loaded as "no district" (blank).
    assert default_reference().normalise("پشاور").status == "unknown"
    assert default_reference().normalise(" - ").status == "blank"
