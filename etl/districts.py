"""District names: the 36 districts of Khyber Pakhtunkhwa and their spellings.

Registers spell districts in many ways (``D.I. Khan``, ``DI Khan``,
``Dera Ismail Khan``; ``Dir Lower``; ``Batagram``). Every spelling is folded
(:func:`core.vocab.fold`: lower case, punctuation and spaces collapsed) and
looked up among the district names, their census units and the aliases of
``data/reference/kp_districts.csv``.

Names of districts that have since been split (``Chitral``, ``Dir``,
``Kohistan``, ``South Waziristan``, ``Waziristan``) are *ambiguous*: they
could be any of several districts, so they are flagged with the candidates
and never guessed. The rule is derived from the reference, not listed: a
name is ambiguous when it is the spelling of two or more districts (the
census unit South Waziristan holds two districts), or when it matches no
spelling exactly but its words are all among the words of spellings of two
or more districts. Anything else is unknown.

Registers add words around the name (``Peshawar District``, ``District
Swat``, ``Distt. Mardan``, ``Zila Mardan``): when a spelling matches nothing
as written, those words (``AFFIXES``) are stripped from its start and end
and the rest is matched again, by the same rules (``District Dir`` is still
ambiguous). An explicit "no district" (``unknown``, ``not known``, ``N/A``:
``NO_DISTRICT``) is read as blank: the item loads, counts in the province's
totals, and in no district's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from core.config import REFERENCE_DIR
from core.vocab import fold

DISTRICTS_FILE = "kp_districts.csv"
CENSUS_FILE = "kp_census_2023.csv"

# Khyber Pakhtunkhwa has 36 districts; the reference must list all of them
# and the messages say so.
DISTRICT_COUNT = 36

STATUSES: tuple[str, ...] = ("ok", "blank", "unknown", "ambiguous")

# Words written before or after a district's name (folded): stripped when
# the spelling as written matches nothing.
AFFIXES: frozenset[str] = frozenset({"district", "distt", "dist", "zila", "zilla", "zillah"})
# Folded spellings of "no district": read as blank, never as a district.
NO_DISTRICT: frozenset[str] = frozenset(
    {
        "unknown",
        "not known",
        "no district",
        "not stated",
        "not recorded",
        "n a",
        "na",
        "none",
        "nil",
        "null",
        "not applicable",
    }
)

_CENSUS_COUNTS = ("population", "male", "female", "transgender", "population_2017")


def _join_or(names: tuple[str, ...]) -> str:
    """``A``, ``A or B``, ``A, B or C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


@dataclass(frozen=True)
class DistrictMatch:
    """The outcome of normalising one district name."""

    district: str | None
    """Canonical district name; ``None`` unless ``status == "ok"``."""
    status: str
    """``ok``, ``blank`` (nothing given), ``unknown`` or ``ambiguous``."""
    candidates: tuple[str, ...] = ()
    """For ``ambiguous``: the districts the name could be, sorted."""

    def message(self, original: str) -> str:
        """Say in plain words what happened to ``original``."""
        shown = str(original).strip()
        if self.status == "ok":
            return f"district '{shown}' is {self.district}"
        if self.status == "blank":
            return "no district given"
        if self.status == "ambiguous":
            return (
                f"district '{shown}' is ambiguous: it could be {_join_or(self.candidates)}; "
                "write the district in full"
            )
        return (
            f"district '{shown}' is not one of the {DISTRICT_COUNT} districts of Khyber Pakhtunkhwa"
        )


_BLANK = DistrictMatch(None, "blank")
_UNKNOWN = DistrictMatch(None, "unknown")


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values are not missing
        return False


def _split_aliases(text: object) -> list[str]:
    if _is_missing(text):
        return []
    return [part.strip() for part in str(text).split(";") if part.strip()]


@dataclass(frozen=True, eq=False)
class DistrictReference:
    """The district reference data and the name matcher built from it.

    ``districts``: ``district``, ``region``, ``is_merged_district``, ``census_unit``
    (one row per district, in the order of the reference file).
    ``aliases``: ``alias`` (folded spelling), ``district``: every spelling that
    names exactly one district (its name, its census unit when that holds only
    this district, and its aliases), as loaded into ``ref.district_aliases``.
    ``census``: the 2023 census by census unit, typed.
    """

    districts: pd.DataFrame
    aliases: pd.DataFrame
    census: pd.DataFrame
    _exact: dict[str, DistrictMatch] = field(repr=False)
    _word_sets: tuple[tuple[frozenset[str], str], ...] = field(repr=False)

    @classmethod
    def load(cls, reference_dir: Path = REFERENCE_DIR) -> DistrictReference:
        """Read and check the reference files in ``reference_dir``.

        Raises ``ValueError`` naming the problem when the files are not a
        consistent list of the 36 districts.
        """
        reference_dir = Path(reference_dir)
        raw = pd.read_csv(reference_dir / DISTRICTS_FILE, dtype=str, keep_default_na=False)
        census = _read_census(reference_dir / CENSUS_FILE)
        return cls.from_frames(raw, census)

    @classmethod
    def from_frames(cls, raw: pd.DataFrame, census: pd.DataFrame) -> DistrictReference:
        """Build the reference from the two tables as read (see :meth:`load`)."""
        needed = {"district", "police_region", "merged_district", "census_unit", "aliases"}
        missing = needed - set(raw.columns)
        if missing:
            raise ValueError(f"{DISTRICTS_FILE} lacks the column(s) {', '.join(sorted(missing))}")
        raw = raw.apply(lambda column: column.str.strip())
        if len(raw) != DISTRICT_COUNT:
            raise ValueError(
                f"{DISTRICTS_FILE} lists {len(raw)} districts, expected {DISTRICT_COUNT}"
            )
        duplicated = sorted(set(raw.loc[raw["district"].duplicated(), "district"]))
        if duplicated:
            raise ValueError(f"{DISTRICTS_FILE} lists {', '.join(duplicated)} more than once")
        merged = raw["merged_district"].str.lower()
        bad_flags = sorted(set(raw.loc[~merged.isin(["yes", "no"]), "district"]))
        if bad_flags:
            raise ValueError(
                f"{DISTRICTS_FILE}: merged_district must be yes or no for {', '.join(bad_flags)}"
            )
        for column in ("district", "police_region", "census_unit"):
            empty = raw[column] == ""
            if empty.any():
                raise ValueError(f"{DISTRICTS_FILE}: {column} is empty in row(s) {_rows(empty)}")
        unknown_units = sorted(set(raw["census_unit"]) - set(census["census_unit"]))
        if unknown_units:
            raise ValueError(
                f"census unit(s) {', '.join(unknown_units)} of {DISTRICTS_FILE} "
                f"are not in {CENSUS_FILE}"
            )

        districts = pd.DataFrame(
            {
                "district": raw["district"],
                "region": raw["police_region"],
                "is_merged_district": merged.eq("yes").astype(bool),
                "census_unit": raw["census_unit"],
            }
        ).reset_index(drop=True)

        # Every spelling -> the districts it names.
        spellings: dict[str, set[str]] = {}
        word_sets: list[tuple[frozenset[str], str]] = []
        for row in raw.itertuples(index=False):
            names = [row.district, row.census_unit, *_split_aliases(row.aliases)]
            for name in names:
                folded = fold(name)
                if not folded:
                    continue
                spellings.setdefault(folded, set()).add(row.district)
                word_sets.append((frozenset(folded.split()), row.district))
        # A census unit holding several districts (South Waziristan) is a
        # spelling of each of them, hence ambiguous.
        exact: dict[str, DistrictMatch] = {}
        alias_rows: list[tuple[str, str]] = []
        for folded, named in spellings.items():
            if len(named) == 1:
                (district,) = named
                exact[folded] = DistrictMatch(district, "ok")
                alias_rows.append((folded, district))
            else:
                exact[folded] = DistrictMatch(None, "ambiguous", tuple(sorted(named)))
        aliases = (
            pd.DataFrame(alias_rows, columns=["alias", "district"])
            .sort_values(["district", "alias"], kind="stable")
            .reset_index(drop=True)
        )
        return cls(
            districts=districts,
            aliases=aliases,
            census=census,
            _exact=exact,
            _word_sets=tuple(word_sets),
        )

    def __post_init__(self) -> None:
        # One cache per reference: repeated spellings are matched once.
        object.__setattr__(self, "_match_folded", lru_cache(maxsize=65536)(self._match_uncached))

    def _match_uncached(self, folded: str) -> DistrictMatch:
        if not folded or folded in NO_DISTRICT:
            return _BLANK
        found = self._exact.get(folded)
        if found is not None:
            return found
        stripped = _strip_affixes(folded)
        if stripped != folded:
            if not stripped:  # "District" alone names no district
                return _UNKNOWN
            found = self._exact.get(stripped)
            if found is not None:
                return found
            folded = stripped
        words = frozenset(folded.split())
        candidates = {district for spelling, district in self._word_sets if words <= spelling}
        if len(candidates) >= 2:
            return DistrictMatch(None, "ambiguous", tuple(sorted(candidates)))
        return _UNKNOWN

    def normalise(self, name: object) -> DistrictMatch:
        """Match one district name (any spelling, any case; blank -> ``blank``)."""
        if _is_missing(name):
            return _BLANK
        folded = fold(name)
        if not folded and any(ch.isalpha() for ch in str(name)):
            # A name in another script (Urdu "پشاور") is a name we cannot
            # read, not a blank: it must go to quarantine, never vanish.
            return _UNKNOWN
        return self._match_folded(folded)  # type: ignore[attr-defined]

    def normalise_series(self, names: pd.Series) -> pd.DataFrame:
        """Match a column of names; one output row per input row, same index.

        Columns: ``district`` (canonical name or missing), ``status`` (``ok``,
        ``blank``, ``unknown``, ``ambiguous``) and ``message`` (what is wrong,
        in plain words, for ``unknown`` and ``ambiguous``; missing otherwise).
        Each distinct value is matched once, so a million rows that repeat a
        few hundred spellings take well under a second.
        """
        codes, uniques = pd.factorize(names, use_na_sentinel=True)
        district_of: list[str | None] = []
        status_of: list[str] = []
        message_of: list[str | None] = []
        for value in uniques:
            match = self.normalise(value)
            district_of.append(match.district)
            status_of.append(match.status)
            message_of.append(
                match.message(value) if match.status in ("unknown", "ambiguous") else None
            )
        # Code -1 (missing values) picks the extra last entry: blank.
        district_of.append(None)
        status_of.append("blank")
        message_of.append(None)

        def take(values: list[str | None]) -> pd.Series:
            return pd.Series(
                pd.array(values, dtype="string").take(codes),
                index=names.index,
                dtype="string",
            )

        return pd.DataFrame(
            {"district": take(district_of), "status": take(status_of), "message": take(message_of)}
        )

    @property
    def district_names(self) -> tuple[str, ...]:
        """The 36 canonical district names, in reference order."""
        return tuple(self.districts["district"])


def _strip_affixes(folded: str) -> str:
    """``peshawar district`` -> ``peshawar``; ``distt mardan`` -> ``mardan``."""
    words = folded.split()
    while words and words[0] in AFFIXES:
        words.pop(0)
    while words and words[-1] in AFFIXES:
        words.pop()
    return " ".join(words)


def _rows(mask: pd.Series) -> str:
    # Spreadsheet row numbers: the header is row 1.
    return ", ".join(str(i + 2) for i in mask[mask].index)


def _read_census(path: Path) -> pd.DataFrame:
    census = pd.read_csv(path, dtype=str, keep_default_na=False)
    needed = {"census_unit", "area_sqkm", *_CENSUS_COUNTS}
    missing = needed - set(census.columns)
    if missing:
        raise ValueError(f"{path.name} lacks the column(s) {', '.join(sorted(missing))}")
    out = pd.DataFrame({"census_unit": census["census_unit"].str.strip()})
    for column in _CENSUS_COUNTS:
        out[column] = pd.to_numeric(census[column].str.strip(), errors="raise").astype("int64")
    out["area_sqkm"] = pd.to_numeric(census["area_sqkm"].str.strip(), errors="raise").astype(
        "float64"
    )
    if out["census_unit"].duplicated().any():
        raise ValueError(f"{path.name} lists a census unit more than once")
    return out[
        [
            "census_unit",
            "population",
            "male",
            "female",
            "transgender",
            "area_sqkm",
            "population_2017",
        ]
    ]


@lru_cache(maxsize=1)
def default_reference() -> DistrictReference:
    """The reference in ``data/reference``, read once per process."""
    return DistrictReference.load()
