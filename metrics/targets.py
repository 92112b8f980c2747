"""KPI targets from the file the Directorate edits, with the dates they apply from.

``data/config/targets.yaml`` (``KP_KPI_TARGETS`` points elsewhere, e.g. a
test's fixture) lists, per KPI, entries in effect from their
``effective_from`` date, province-wide or for one police region or district.
``target_for(kpi_id, on=day, region=..., district=...)`` answers with the
target in effect on that day there, so a target change never rewrites
history: a month before the change keeps its old target. The file's
``status`` section holds how values are judged: the "within" band around a
target and the minimum n below which a rate says "n too small".

The file is checked as a whole when read; a mistake is refused with a
``TargetsFileError`` naming the file and line (``targets.yaml, line 42: R3
target must be a number or null, not 'ninety'``). It is re-read when it
changes. What a KPI *means* is in ``metrics.catalogue``, not here.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from core.config import CONFIG_DIR, REFERENCE_DIR
from metrics.catalogue import KPI_IDS

TARGETS_ENV = "KP_KPI_TARGETS"
P90_UNITS: tuple[str, ...] = ("working days",)
_KARACHI = ZoneInfo("Asia/Karachi")

# Keys of an entry. The target group travels together (see the file's header).
_TARGET_GROUP = (
    "target",
    "target_p90",
    "target_p90_unit",
    "target_minutes",
    "target_band",
    "target_text",
)
_KEPT = ("baseline", "owner", "min_n")
_SCOPE = ("region", "district")
_ENTRY_KEYS = ("effective_from", *_SCOPE, *_TARGET_GROUP, *_KEPT)
_STATUS_KEYS = ("within_pct", "min_n")


class TargetsFileError(ValueError):
    """A targets file that cannot be used, with the file and line at fault."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class StatusRules:
    """How a value is judged against its target (the file's ``status``)."""

    within_pct: float = 10.0  # "within 10%" of the target: near, not on target
    min_n: int = 10  # fewer items behind a rate or percentile: "n too small"


@dataclass(frozen=True)
class Target:
    """The target of one KPI in effect on one day, for one area."""

    kpi_id: str
    effective_from: date  # of the latest entry that applies
    line: int  # that entry's line in the file
    scope: str = "province"  # "province", "region" or "district"
    area: str | None = None  # the region or district, for those scopes
    target: float | None = None
    target_p90: float | None = None
    target_p90_unit: str | None = None  # None: the KPI's unit; or "working days"
    target_minutes: float | None = None  # S6: first reply P50, clock minutes
    target_band: tuple[float, float] | None = None
    target_text: str = "—"
    baseline: float | None = None
    owner: str = "Not assigned"
    min_n: int | None = None  # this KPI's own threshold; None: the file's


@dataclass(frozen=True)
class _Entry:
    line: int
    effective_from: date
    scope: str
    area: str | None
    given: dict[str, Any]  # the keys the entry sets (besides date and scope)


@dataclass(frozen=True)
class TargetsFile:
    """A checked targets file: its status rules and every KPI's entries."""

    path: Path
    rules: StatusRules
    entries: dict[str, tuple[_Entry, ...]]  # per KPI, by effective_from

    def target_for(
        self,
        kpi_id: str,
        on: date,
        region: str | None = None,
        district: str | None = None,
    ) -> Target | None:
        """The target of ``kpi_id`` in effect on ``on`` in a district or region.

        The province-wide entries in effect that day are applied in date
        order, then the region's (of ``region``, or of ``district``'s region
        when only the district is given), then the district's: the narrowest
        scope wins, field by field as the file's header says. None when no
        entry is in effect yet (or the KPI has none).
        """
        if kpi_id not in KPI_IDS:
            raise KeyError(f"no KPI {kpi_id!r} in the catalogue")
        if district is not None and region is None:
            region = region_of(district)
        chain = [
            e
            for e in self.entries.get(kpi_id, ())
            if e.effective_from <= on
            and (
                e.scope == "province"
                or (e.scope == "region" and e.area == region)
                or (e.scope == "district" and e.area == district)
            )
        ]
        order = {"province": 0, "region": 1, "district": 2}
        chain.sort(key=lambda e: (order[e.scope], e.effective_from))
        if not chain:
            return None
        fields: dict[str, Any] = {}
        for entry in chain:
            if any(key in entry.given for key in _TARGET_GROUP):
                for key in _TARGET_GROUP:
                    fields.pop(key, None)
            fields.update(entry.given)
        last = chain[-1]
        return Target(
            kpi_id=kpi_id,
            effective_from=last.effective_from,
            line=last.line,
            scope=last.scope,
            area=last.area,
            **fields,
        )


def targets_path() -> Path:
    """``KP_KPI_TARGETS`` or ``data/config/targets.yaml``."""
    return Path(os.environ.get(TARGETS_ENV, CONFIG_DIR / "targets.yaml"))


def load_targets(path: Path | None = None) -> TargetsFile:
    """The checked targets file (read on every call, parsed again when it changed).

    Raises ``TargetsFileError`` naming the file and line of the first
    mistake, and ``FileNotFoundError`` naming a missing file.
    """
    path = path or targets_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{path}: the KPI targets file is missing (set {TARGETS_ENV} or restore it)"
        ) from None
    # Keyed on the content (a few kB): an edit shows at once, however close in
    # time to the previous one; an unchanged file is parsed once.
    return _load(str(path), text)


def target_for(
    kpi_id: str,
    on: date | None = None,
    region: str | None = None,
    district: str | None = None,
    *,
    path: Path | None = None,
) -> Target | None:
    """The target of ``kpi_id`` in effect on ``on`` (default: today in Pakistan).

    ``region`` or ``district`` picks an area's own target where the file
    has one, else the province's. See ``TargetsFile.target_for``.
    """
    day = on if on is not None else datetime.now(_KARACHI).date()
    return load_targets(path).target_for(kpi_id, day, region, district)


def status_rules(path: Path | None = None) -> StatusRules:
    """The file's ``status`` section."""
    return load_targets(path).rules


# Areas --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _areas() -> dict[str, str]:
    """District -> police region, from the reference list the ETL uses."""
    with (REFERENCE_DIR / "kp_districts.csv").open(encoding="utf-8", newline="") as handle:
        return {row["district"]: row["police_region"] for row in csv.DictReader(handle)}


def region_of(district: str) -> str | None:
    """The police region of a district (None for a name not on the list)."""
    return _areas().get(district)


# Reading and checking the file --------------------------------------------------


@lru_cache(maxsize=8)
def _load(path_text: str, text: str) -> TargetsFile:
    path = Path(path_text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise TargetsFileError(path, line, f"not valid YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        raise TargetsFileError(path, None, f"not valid YAML: {error}") from None
    return _Reader(path).file(root)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


# (key node, value node) of a mapping entry; mistakes are reported on the key's
# line, where the name the person wrote (``target:``) is.
_Pair = tuple[yaml.Node, yaml.Node]


class _Reader:
    """Turns the composed YAML (nodes keep their line) into a ``TargetsFile``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node | None, message: str) -> TargetsFileError:
        return TargetsFileError(self.path, _line(node) if node is not None else None, message)

    def value(self, node: yaml.Node) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as error:  # e.g. 2025-13-01 looks like a date
            raise self.fail(node, f"cannot read {node.value!r}: {error}") from None

    def mapping(
        self, node: yaml.Node | None, what: str, allowed: tuple[str, ...] | None
    ) -> dict[str, _Pair]:
        """A mapping's entries by key (key node, value node); unknown and repeated keys refused."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of names to values")
        found: dict[str, _Pair] = {}
        for key_node, value_node in node.value:
            key = str(self.value(key_node))
            if key in found:
                raise self.fail(
                    key_node, f"{what}: {key} appears twice (also line {_line(found[key][0])})"
                )
            if allowed is not None and key not in allowed:
                raise self.fail(
                    key_node, f"{what}: unknown key {key!r}; allowed: {', '.join(allowed)}"
                )
            found[key] = (key_node, value_node)
        return found

    def file(self, root: yaml.Node | None) -> TargetsFile:
        if root is None:
            raise self.fail(None, "the file is empty; it needs a 'kpis' section")
        top = self.mapping(root, "the file", ("status", "kpis"))
        rules = self.rules(top["status"][1]) if "status" in top else StatusRules()
        if "kpis" not in top:
            raise self.fail(root, "the file needs a 'kpis' section")
        kpis_node = top["kpis"][1]
        entries: dict[str, tuple[_Entry, ...]] = {}
        for kpi_id, (key_node, node) in self.mapping(kpis_node, "kpis", None).items():
            if kpi_id not in KPI_IDS:
                raise self.fail(key_node, f"unknown KPI id {kpi_id!r}; the catalogue has R1-C1")
            entries[kpi_id] = self.kpi_entries(kpi_id, node)
        return TargetsFile(self.path, rules, entries)

    def rules(self, node: yaml.Node) -> StatusRules:
        found = self.mapping(node, "status", _STATUS_KEYS)
        rules = StatusRules()
        if "within_pct" in found:
            within = self.number(found["within_pct"], "status within_pct")
            if within is None or not 0 <= within < 100:
                raise self.fail(
                    found["within_pct"][0], "status within_pct must be a number from 0 to 99"
                )
            rules = replace(rules, within_pct=within)
        if "min_n" in found:
            rules = replace(rules, min_n=self.count(found["min_n"], "status min_n"))
        return rules

    def kpi_entries(self, kpi_id: str, node: yaml.Node) -> tuple[_Entry, ...]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.fail(
                node, f"{kpi_id} must be a list of entries, each starting '- effective_from:'"
            )
        entries = [self.entry(kpi_id, item) for item in node.value]
        seen: dict[tuple[str, str | None, date], int] = {}
        for entry in entries:
            key = (entry.scope, entry.area, entry.effective_from)
            if key in seen:
                where = entry.area or "the province"
                raise TargetsFileError(
                    self.path,
                    entry.line,
                    f"{kpi_id} has two entries for {where} from {entry.effective_from} "
                    f"(the other on line {seen[key]})",
                )
            seen[key] = entry.line
        return tuple(sorted(entries, key=lambda e: e.effective_from))

    def entry(self, kpi_id: str, node: yaml.Node) -> _Entry:
        found = self.mapping(node, f"{kpi_id} entry", _ENTRY_KEYS)
        if "effective_from" not in found:
            raise self.fail(node, f"{kpi_id} entry needs an effective_from date (YYYY-MM-DD)")
        effective_from = self.day(found["effective_from"], kpi_id)
        scope, area = self.scope(kpi_id, node, found)
        given: dict[str, Any] = {}
        for key in ("target", "target_p90", "target_minutes", "baseline"):
            if key in found:
                given[key] = self.number(found[key], f"{kpi_id} {key}")
        if "target_band" in found:
            given["target_band"] = self.band(found["target_band"], kpi_id)
        if "target_p90_unit" in found:
            key_node, value_node = found["target_p90_unit"]
            unit = self.value(value_node)
            if unit is not None and unit not in P90_UNITS:
                raise self.fail(
                    key_node,
                    f"{kpi_id} target_p90_unit must be null or one of {', '.join(P90_UNITS)}",
                )
            given["target_p90_unit"] = unit
        for key in ("target_text", "owner"):
            if key in found:
                given[key] = self.text(found[key], f"{kpi_id} {key}")
        if "min_n" in found:
            given["min_n"] = self.count(found["min_n"], f"{kpi_id} min_n")
        numbers = [k for k in _TARGET_GROUP if k != "target_text" and given.get(k) is not None]
        if numbers and "target_text" not in given:
            raise self.fail(
                node,
                f"{kpi_id} entry sets {', '.join(numbers)} but no target_text: say how the "
                "target reads, so the page never shows an older target's words",
            )
        return _Entry(_line(node), effective_from, scope, area, given)

    def scope(
        self, kpi_id: str, node: yaml.Node, found: dict[str, _Pair]
    ) -> tuple[str, str | None]:
        if "region" in found and "district" in found:
            raise self.fail(node, f"{kpi_id} entry names both a region and a district: pick one")
        for scope in _SCOPE:
            if scope in found:
                key_node, value_node = found[scope]
                area = self.value(value_node)
                known = set(_areas().values()) if scope == "region" else set(_areas())
                if area not in known:
                    raise self.fail(
                        key_node,
                        f"{kpi_id} {scope} {area!r} is not a {scope} of "
                        "data/reference/kp_districts.csv",
                    )
                return scope, str(area)
        return "province", None

    def day(self, pair: _Pair, kpi_id: str) -> date:
        node = pair[0]
        try:
            value = self.value(pair[1])
        except TargetsFileError:
            value = None
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                value = None
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self.fail(node, f"{kpi_id} effective_from must be a date, YYYY-MM-DD")
        return value

    def number(self, pair: _Pair, what: str) -> float | None:
        node, value = pair[0], self.value(pair[1])
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise self.fail(node, f"{what} must be a number or null, not {value!r}")
        if math.isinf(value):
            raise self.fail(node, f"{what} must be a finite number, not {value!r}")
        return float(value)

    def count(self, pair: _Pair, what: str) -> int:
        node, value = pair[0], self.value(pair[1])
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(node, f"{what} must be a whole number >= 0, not {value!r}")
        return value

    def text(self, pair: _Pair, what: str) -> str:
        node, value = pair[0], self.value(pair[1])
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node, f"{what} must be text in quotes, not {value!r}")
        return value.strip()

    def band(self, pair: _Pair, kpi_id: str) -> tuple[float, float] | None:
        key, node = pair
        if isinstance(node, yaml.ScalarNode) and self.value(node) is None:
            return None
        message = f"{kpi_id} target_band must be [low, high] with low <= high"
        if not isinstance(node, yaml.SequenceNode) or len(node.value) != 2:
            raise self.fail(key, message)
        low, high = (self.number((key, item), f"{kpi_id} target_band") for item in node.value)
        if low is None or high is None or low > high:
            raise self.fail(key, message)
        return (low, high)
