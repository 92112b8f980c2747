"""Sources without a fixed format, read through a column-mapping file (YAML).

A mapping renames columns onto the inquiry register, maps values onto its
vocabularies, sets constants, says how to read timestamps and which column
is the id, and (``fold``) how several rows of one case become one item.
Shipped mappings live in ``etl/mappings/``; a deployment adds its own in
``KP_MAPPINGS_DIR``. docs/operations.md walks through writing one.

Mappings are read again whenever a file's content changes (the cache is
keyed on the content, not the name), so a running dashboard sees an edited
mapping at its next load. A mapping with an error is reported once, by its
file and line (``mapping_problems``), and stands in as a source that refuses
only the files it would have read; every other mapping and kind keeps
working.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from core.config import Settings
from core.errors import EtlError, FileRejected
from core.sources import mapping_dirs
from core.sql import quote_literal
from core.vocab import fold
from etl.districts import default_reference
from etl.readers import RawTable
from etl.sources.base import LoadContext, Prepared
from etl.sources.common import match_headers, require_columns, text_sql
from etl.sources.folding import MOST_SERIOUS, TIME_RULES, VALUE_RULES, FoldRules, Rule
from etl.sources.inquiries import (
    ALLOWED,
    REGISTER_COLUMNS,
    TIMESTAMPS,
    VOCABULARIES,
    prepare_inquiries,
    register_recipe,
)

log = logging.getLogger(__name__)

KEYS = {
    "name",
    "description",
    "detect",
    "id_column",
    "timezone",
    "timestamp_formats",
    "columns",
    "values",
    "constants",
    "fold",
}
DEFAULT_FORMATS: tuple[str, ...] = ("%Y-%m-%d %H:%M:%S",)

Lines = dict[tuple[str, ...], int]


class MappingError(EtlError):
    """A column-mapping file that cannot be used: said with its file and line."""

    def __init__(self, file_name: str, line: int | None, message: str) -> None:
        self.file_name = file_name
        self.line = line
        self.message = message
        place = f"{file_name}, line {line}" if line else file_name
        super().__init__(f"{place}: {message}")


@dataclass(frozen=True)
class ColumnMapping:
    """A parsed mapping file."""

    name: str
    description: str
    detect_headers: tuple[str, ...]
    id_column: str
    timezone: str
    timestamp_formats: tuple[str, ...]
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str | None] = field(default_factory=dict)
    fold: FoldRules | None = None
    path: Path | None = None
    digest: str = ""
    lines: Lines = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return f"{self.name} (column mapping)"

    @property
    def source(self) -> str:
        return self.name

    @property
    def file_name(self) -> str:
        return self.path.name if self.path else "mapping"

    def where(self, *keys: str) -> str:
        """``city311.yaml, line 14``: where a key is written (its nearest parent
        when the key itself is not)."""
        for end in range(len(keys), 0, -1):
            line = self.lines.get(tuple(keys[:end]))
            if line:
                return f"{self.file_name}, line {line}"
        return self.file_name

    def matches(self, table: RawTable) -> bool:
        folded = {fold(h) for h in table.headers}
        return all(fold(h) in folded for h in self.detect_headers)

    def recipe(self, settings: Settings) -> str:
        """The mapping's content and the settings: a change to either makes a
        file loaded with them loadable again (``etl.load``)."""
        return f"{register_recipe(settings)}; mapping {self.file_name} sha256 {self.digest[:16]}"

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        wanted = {"inquiry_id": self.id_column, **self.columns}
        found = match_headers(table.headers, {c: (h,) for c, h in wanted.items()})
        # Name the missing column as the file names it, not as the register does.
        require_columns(table, {wanted[c]: h for c, h in found.items()}, wanted.values())
        texts = {}
        for column in REGISTER_COLUMNS:
            if column in self.constants:
                value = self.constants[column]
                texts[column] = text_sql(None) if value is None else quote_literal(value)
            elif column in found:
                texts[column] = _mapped(text_sql(found[column]), self.values.get(column, {}))
            else:
                texts[column] = text_sql(None)
        recorded = "first_response_at" in found or self.constants.get("first_response_at")
        return prepare_inquiries(
            table,
            texts,
            context,
            source=self.name,
            timezone=self.timezone,
            formats=self.timestamp_formats,
            formats_where=self.where("timestamp_formats"),
            fold=self.fold,
            hints=self._hints(),
            labels=found,
            records_first_response=bool(recorded),
            unmatched=[h for h in table.headers if h not in found.values()],
        )

    def _hints(self) -> dict[str, str]:
        """What to change when a row's value is not accepted: the mapping's line."""
        hints = {}
        for column in [*ALLOWED, "district"]:
            if column in self.constants:
                hints[column] = f"change constants: {column} ({self.where('constants', column)})"
            elif column in self.values:
                hints[column] = (
                    f"map it to one of them under values: {column} ({self.where('values', column)})"
                )
            elif column in self.columns:
                hints[column] = (
                    f"map it under values: {column} in {self.file_name} (the column is read at "
                    f"{self.where('columns', column)})"
                )
        if "district" in hints:
            hints["district"] += "; a value meaning 'no district' may be mapped to unknown"
        return hints


class BrokenMapping:
    """A mapping file with an error: recognises the files it was written for
    (when its headers can be told) and refuses them, naming the error."""

    def __init__(self, path: Path, error: MappingError, headers: tuple[str, ...]) -> None:
        self.path = path
        self.error = error
        self.detect_headers = headers
        self.name = f"{path.name} (broken)"
        self.id_column = ""
        self.columns: dict[str, str] = {}
        self.kind = f"{path.stem} (column mapping with an error: {path.name})"
        self.source = self.name

    def matches(self, table: RawTable) -> bool:
        if not self.detect_headers:
            return False
        folded = {fold(h) for h in table.headers}
        return all(fold(h) in folded for h in self.detect_headers)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        raise FileRejected(
            table.path.name,
            f"its columns match the column mapping {self.path.name}, which has an error "
            f"({self.error}); fix the mapping, then load the file again",
            row=table.header_row,
        )


def _mapped(text: str, values: dict[str, str]) -> str:
    """Map listed values (case-insensitively); others pass through for validation."""
    if not values:
        return text
    cases = " ".join(
        f"when lower({text}) = lower({quote_literal(source)}) then {quote_literal(target)}"
        for source, target in values.items()
    )
    return f"case {cases} else {text} end"


# --- reading a mapping file ----------------------------------------------------


def key_lines(text: str) -> Lines:
    """(key, subkey, …) -> line number of every mapping key in a YAML text."""
    lines: Lines = {}

    def walk(node: yaml.Node | None, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = (*path, str(key.value))
                lines[here] = key.start_mark.line + 1
                walk(value, here)

    walk(yaml.compose(text), ())
    return lines


def parse_mapping(
    data: object, path: Path | None = None, lines: Lines | None = None
) -> ColumnMapping:
    """Check a mapping's shape and values; say plainly what is wrong, and where."""
    lines = lines or {}
    name = path.name if path else "mapping"

    def error(message: str, *keys: str) -> MappingError:
        for end in range(len(keys), 0, -1):
            if tuple(keys[:end]) in lines:
                return MappingError(name, lines[tuple(keys[:end])], message)
        return MappingError(name, None, message)

    if not isinstance(data, dict):
        raise error("a column mapping must be a YAML mapping of keys (name:, columns:, …)")
    unknown = sorted(set(map(str, data)) - KEYS)
    if unknown:
        raise error(
            f"unknown key '{unknown[0]}'; the keys are: {', '.join(sorted(KEYS))}", unknown[0]
        )
    for key in ("name", "id_column", "columns"):
        if not data.get(key):
            raise error(f"the key '{key}' is required")
    for key in ("columns", "values", "constants"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            raise error(f"'{key}' must be a mapping of register column: …", key)
    columns = {str(k): str(v) for k, v in data["columns"].items()}
    # An empty constant (``district:`` with nothing after it) means blank, never 'None'.
    constants = {
        str(k): None if v is None or not str(v).strip() else str(v).strip()
        for k, v in (data.get("constants") or {}).items()
    }
    raw_values = data.get("values") or {}
    for section, keys in (("columns", columns), ("constants", constants), ("values", raw_values)):
        for column in keys:
            if str(column) not in REGISTER_COLUMNS:
                raise error(
                    f"'{column}' is not a register column; the register columns are: "
                    f"{', '.join(REGISTER_COLUMNS)}",
                    section,
                    str(column),
                )
    if "received_at" not in columns:
        raise error("'columns' must map received_at (when each item was received)", "columns")
    values = {}
    for column, table in raw_values.items():
        if not isinstance(table, dict):
            raise error(
                f"values: {column} must be a mapping of file value: register value",
                "values",
                str(column),
            )
        values[str(column)] = {
            str(source): _accepted(str(column), target, error, ("values", str(column), str(source)))
            for source, target in table.items()
        }
    for column, value in list(constants.items()):
        if value is not None:
            constants[column] = _accepted(column, value, error, ("constants", column))
    timezone = str(data.get("timezone") or "Asia/Karachi")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise error(
            f"unknown timezone '{timezone}' (write e.g. Asia/Karachi)", "timezone"
        ) from None
    formats = data.get("timestamp_formats") or DEFAULT_FORMATS
    if isinstance(formats, str):
        formats = [formats]
    if not all(isinstance(f, str) and "%" in f for f in formats):
        raise error(
            'timestamp_formats must be a list of formats such as "%Y-%m-%d %H:%M:%S"',
            "timestamp_formats",
        )
    detect = data.get("detect") or {}
    headers = (detect.get("headers") if isinstance(detect, dict) else None) or [
        data["id_column"],
        *columns.values(),
    ]
    return ColumnMapping(
        name=str(data["name"]),
        description=str(data.get("description", "")),
        detect_headers=tuple(str(h) for h in headers),
        id_column=str(data["id_column"]),
        timezone=timezone,
        timestamp_formats=tuple(formats),
        columns=columns,
        values=values,
        constants=constants,
        fold=_fold_rules(data, error) if "fold" in data else None,
        path=path,
        lines=lines,
    )


def _accepted(column: str, value: object, error, keys: tuple[str, ...]) -> str:
    """A value a mapping writes for ``column``, as the register holds it.

    Vocabulary columns take a value or one of its spellings (``helpline`` is
    ``Helpline phone``); the district takes a district or ``unknown``."""
    text = str(value).strip() if value is not None else ""
    if column in VOCABULARIES:
        canonical = VOCABULARIES[column].get(fold(text))
        if canonical is None:
            raise error(
                f"'{text}' is not a {column} value; the {column} values are: "
                f"{', '.join(ALLOWED[column])}",
                *keys,
            )
        return canonical
    if column == "district":
        match = default_reference().normalise(text)
        if match.status not in ("ok", "blank"):
            raise error(match.message(text) + " (or write unknown)", *keys)
        return match.district or "unknown"
    return text


def _fold_rules(data: dict, error) -> FoldRules:
    """``fold:`` says the id repeats: one item per id, with these rules."""
    rules_in = data.get("fold") or {}
    if not isinstance(rules_in, dict):
        raise error("fold must be a mapping of register column: rule", "fold")
    rules: dict[str, Rule] = {}
    for column, rule in rules_in.items():
        column = str(column)
        keys = ("fold", column)
        if column not in REGISTER_COLUMNS or column == "inquiry_id":
            raise error(f"'{column}' is not a register column that can be folded", *keys)
        if isinstance(rule, dict) and set(rule) == {MOST_SERIOUS}:
            listed = rule[MOST_SERIOUS] or []
            if column not in VOCABULARIES or not isinstance(listed, list) or not listed:
                raise error(
                    f"most_serious needs a list of {column} values, most serious first "
                    f"(for {', '.join(VOCABULARIES)})",
                    *keys,
                )
            rules[column] = (MOST_SERIOUS, *(_accepted(column, v, error, keys) for v in listed))
            continue
        allowed = (*TIME_RULES, *VALUE_RULES) if column in TIMESTAMPS else VALUE_RULES
        if rule not in allowed:
            raise error(
                f"'{rule}' is not a rule for {column}; write one of: {', '.join(allowed)}"
                + ("" if column in TIMESTAMPS else ", or {most_serious: [values, …]}"),
                *keys,
            )
        rules[column] = str(rule)
    return FoldRules(by=str(data["id_column"]), rules=rules)


def _best_headers(data: object) -> tuple[str, ...]:
    """The headers a broken mapping was written for, when they can be told."""
    if not isinstance(data, dict):
        return ()
    detect = data.get("detect")
    if isinstance(detect, dict) and isinstance(detect.get("headers"), list):
        return tuple(str(h) for h in detect["headers"])
    columns = data.get("columns")
    if data.get("id_column") and isinstance(columns, dict) and columns:
        return (str(data["id_column"]), *(str(v) for v in columns.values()))
    return ()


@lru_cache(maxsize=64)
def _parse_file(path: Path, content: bytes) -> ColumnMapping | BrokenMapping:
    """One mapping file, parsed once per content."""
    name = path.name
    data: object = None
    try:
        text = content.decode("utf-8-sig")
        lines = key_lines(text)
        data = yaml.safe_load(text)
        mapping = parse_mapping(data, path, lines)
    except UnicodeDecodeError:
        problem = MappingError(name, None, "the file is not UTF-8 text")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem = MappingError(name, mark.line + 1 if mark else None, f"not valid YAML: {reason}")
    except MappingError as exc:
        problem = exc
    else:
        return _with_digest(mapping, content)
    log.warning("column mapping %s is not used: %s", path, problem)
    return BrokenMapping(path, problem, _best_headers(data))


def _with_digest(mapping: ColumnMapping, content: bytes) -> ColumnMapping:
    return replace(mapping, digest=hashlib.sha256(content).hexdigest())


def _mapping_files() -> list[Path]:
    files = []
    for directory in mapping_dirs():
        if directory.is_dir():
            files += sorted(directory.glob("*.yaml"))
    return files


def load_mappings() -> tuple[ColumnMapping | BrokenMapping, ...]:
    """Every mapping file in the shipped and the deployment's folders, read
    as it is now. A broken one comes as a ``BrokenMapping``: it refuses the
    files it was written for and nothing else."""
    found = []
    for path in _mapping_files():
        try:
            content = path.read_bytes()
        except OSError as exc:
            found.append(BrokenMapping(path, MappingError(path.name, None, str(exc)), ()))
            continue
        found.append(_parse_file(path, content))
    return tuple(found)


def mapping_problems() -> list[str]:
    """One line per mapping file that cannot be used: file, line, what is wrong."""
    return [
        f"column mapping {m.error} (files of that kind are refused until it is fixed)"
        for m in load_mappings()
        if isinstance(m, BrokenMapping)
    ]
