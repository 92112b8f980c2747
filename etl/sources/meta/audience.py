"""Meta's ``Audience.csv`` (several titled tables one after another) as
audience shares."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC

import pandas as pd

from core.errors import FileRejected
from core.vocab import fold
from etl.gx_import import gx
from etl.readers import REDOWNLOAD, SNIFF_BYTES, RawTable, detect_encoding
from etl.sources.base import LoadContext, Prepared
from etl.sources.meta.shared import AUDIENCE_SOURCE, PLATFORM_WORDS, platform_for
from etl.sources.platform_exports import account_for
from etl.sources.social import prepare_audience
from etl.validate import Check

AUDIENCE_GENDERS: dict[str, str] = {"women": "female", "men": "male"}
AUDIENCE_PAIRS: dict[str, str] = {"top countries": "country", "top cities": "city"}


@dataclass
class _Section:
    title: str
    row: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        words = [w for w in fold(self.title).split() if w not in PLATFORM_WORDS]
        return " ".join(words)


class MetaAudience:
    """``Audience.csv``: ``Age & gender``, ``Top countries``, ``Top cities``."""

    kind = "Meta audience"
    source = AUDIENCE_SOURCE

    def matches(self, table: RawTable) -> bool:
        titles = [_Section(t, 0).name for t in table.title_lines]
        return any(t == "age gender" or t in AUDIENCE_PAIRS for t in titles)

    def prepare(self, table: RawTable, context: LoadContext) -> Prepared:
        lines = _audience_lines(table)
        sections = _audience_sections(table, lines)
        first = sections[0].row if sections else table.header_row
        platform = platform_for(
            table, [s.title for s in sections], context, first, "section titles"
        )
        rows: list[dict] = []
        notes: list[str] = []
        for section in sections:
            if section.name == "age gender":
                rows += _age_gender(section, notes)
            elif section.name in AUDIENCE_PAIRS:
                rows += _pairs(section, AUDIENCE_PAIRS[section.name])
            else:
                notes.append(f"section '{section.title}' (row {section.row}) kept aside")
        frame = _audience_frame(rows, platform, context)
        _replace_source(table, lines)
        prepared = prepare_audience(frame, context, source=self.source, unmatched=[])
        prepared.notes += notes
        prepared.checks.extend(_audience_checks())
        return prepared


def _audience_checks() -> list[Check]:
    e = gx.expectations
    return [
        Check(
            e.ExpectColumnValuesToBeNull(column="share__unparsed"),
            lambda r: f"audience share '{r['share__unparsed']}' is not a percentage",
        ),
        Check(
            e.ExpectCompoundColumnsToBeUnique(
                column_list=["_file_index", "dimension", "category", "gender"]
            ),
            lambda r: f"{r['dimension']} '{r['category']}' appears twice in this file",
        ),
    ]


def _audience_lines(table: RawTable) -> list[tuple[int, list[str]]]:
    """Every line of the file as cells, numbered as the reader numbers rows
    (the first line of the file is row 1). The reader's table cannot hold a
    file of several tables, so the text is read again with its encoding rules."""
    raw = table.path.read_bytes()
    encoding = detect_encoding(raw[:SNIFF_BYTES], table.path.name)
    try:
        text = raw.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        raise FileRejected(
            table.path.name, f"the text cannot be read as {encoding}; {REDOWNLOAD}"
        ) from None
    lines = text.splitlines()
    delimiter = ","
    if lines and lines[0].strip().lower().startswith("sep="):
        delimiter = lines[0].strip()[4:5] or ","
    numbered = []
    for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
        numbered.append((number, cells))
    return numbered


def _audience_sections(table: RawTable, lines: list[tuple[int, list[str]]]) -> list[_Section]:
    """Split the lines into titled tables. A one-cell line is a title when it
    is a known title, or when the current table is complete (a pair table
    with an even number of rows); otherwise it is data (a top-cities table
    of one city has one-cell rows)."""
    sections: list[_Section] = []
    for number, cells in lines:
        filled = [c.strip() for c in cells if c.strip()]
        if not filled or (number == 1 and filled[0].lower().startswith("sep=")):
            continue
        current = sections[-1] if sections else None
        if len(cells) == 1 and _starts_section(filled[0], current):
            sections.append(_Section(filled[0], number))
        elif current is None:
            raise FileRejected(table.path.name, "data before the first table title", row=number)
        else:
            current.rows.append((number, cells))
    return sections


def _starts_section(text: str, current: _Section | None) -> bool:
    name = _Section(text, 0).name
    if current is None or name == "age gender" or name in AUDIENCE_PAIRS:
        return True
    if _is_number(text):
        return False
    if current.name == "age gender":
        return True
    return bool(current.rows) and len(current.rows) % 2 == 0


def _is_number(text: str) -> bool:
    try:
        float(text.replace("%", "").replace(",", "").strip())
        return True
    except ValueError:
        return False


def _share(text: str | None) -> tuple[float | None, str | None]:
    """A percentage cell as a 0..1 share, or the text that is not one."""
    if text is None or not text.strip():
        return None, None
    cleaned = text.replace("%", "").replace(",", "").strip()
    try:
        return float(cleaned) / 100, None
    except ValueError:
        return None, text.strip()


def _age_gender(section: _Section, notes: list[str]) -> list[dict]:
    """``"","Women","Men"`` then one row per age band."""
    if not section.rows:
        return []
    header_row, header = section.rows[0]
    genders = {i: AUDIENCE_GENDERS.get(fold(h)) for i, h in enumerate(header) if i > 0}
    kept = [h for i, h in enumerate(header) if i > 0 and genders[i] is None and h.strip()]
    if kept:
        notes.append(f"age & gender columns kept aside (row {header_row}): {', '.join(kept)}")
    rows = []
    for number, cells in section.rows[1:]:
        band = cells[0].strip() if cells else ""
        for index, gender in genders.items():
            if gender is None:
                continue
            share, bad = _share(cells[index] if index < len(cells) else None)
            rows.append(_audience_row(number, "age_gender", band, gender, share, bad))
    return rows


def _pairs(section: _Section, dimension: str) -> list[dict]:
    """Transposed pairs of rows: names, then percentages, one column each."""
    rows = []
    for start in range(0, len(section.rows), 2):
        names_row, names = section.rows[start]
        values_row, values = (
            section.rows[start + 1] if start + 1 < len(section.rows) else (names_row, [])
        )
        for index, name in enumerate(names):
            if not name.strip():
                continue
            value = values[index] if index < len(values) else None
            share, bad = _share(value)
            if share is None and bad is None:
                bad = "(missing)"
            rows.append(_audience_row(values_row, dimension, name.strip(), None, share, bad))
    return rows


def _audience_row(
    row: int,
    dimension: str,
    category: str,
    gender: str | None,
    share: float | None,
    bad: str | None,
) -> dict:
    return {
        "_source_row": row,
        "dimension": dimension,
        "category": category or None,
        "gender": gender,
        "share": share,
        "share__unparsed": bad,
    }


def _audience_frame(rows: list[dict], platform: str, context: LoadContext) -> pd.DataFrame:
    columns = ["_source_row", "dimension", "category", "gender", "share", "share__unparsed"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["_source_row"] = frame["_source_row"].astype("int64")
    frame["share"] = frame["share"].astype("float64")
    for column in ("dimension", "category", "gender", "share__unparsed"):
        frame[column] = frame[column].astype(object)
    now = context.now if context.now.tzinfo else context.now.replace(tzinfo=UTC)
    frame.insert(1, "platform", platform)
    frame.insert(2, "account", account_for(context))
    frame.insert(3, "snapshot_at", pd.Timestamp(now).tz_convert("UTC"))
    return frame


def _replace_source(table: RawTable, lines: list[tuple[int, list[str]]]) -> None:
    """Give the reader's table this file's real rows, so that a quarantined
    row's ``original`` is the line it came from (the reader's one-table view
    skips blank lines and so shifts the rows of a multi-table file)."""
    width = max((len(cells) for _, cells in lines), default=1)
    data = {"_source_row": [n for n, _ in lines]}
    for i in range(width):
        data[f"column_{i + 1}"] = [c[i] if i < len(c) and c[i] != "" else None for _, c in lines]
    frame = pd.DataFrame(data).astype({f"column_{i + 1}": object for i in range(width)})
    table.con.register("meta_lines", frame)
    table.con.execute(f"create or replace table {table.name} as select * from meta_lines")
    table.con.unregister("meta_lines")
