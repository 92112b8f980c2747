"""Read-side operations for the Data page: what was loaded, what waits, how fresh.

Everything here reads the warehouse (a read-only connection from
``core.warehouse.reading``) or files a person is about to load; it never
writes the warehouse (loading and rolling back stay in ``etl.load`` and
``etl.rollback``). No Streamlit: the page and its cached wrappers
(``ui/ops_data.py``) call these functions.

Definitions used on the page:

- **Load history**: one row per file load in ``meta.loads``, newest first.
  *Rows read* = data rows in the file; *inserted* = records the warehouse
  did not hold; *updated* = records whose values changed; *unchanged* =
  records carried again with the same values; *quarantined* = rows that
  failed a check and were kept aside. *Duration* = ``finished_at -
  started_at`` as recorded by the load.
- **Quarantine**: rows kept aside by a load and not yet cleared by a later
  load that carried the same record (``cleared_by_load_id`` is NULL).
- **Freshness** of a source (``meta.loads.source``): *latest covered* = the
  latest moment any loaded file of that source covers (``covers_to`` over
  loads still in effect, i.e. not rolled back); *days behind* = today's
  Pakistan date minus the Pakistan date of that moment; a source is *stale*
  when days behind exceed its threshold (``data/config/freshness.yaml``).

Personal data (names, phones, CNIC numbers, emails, free-text summaries)
lives in ``raw`` and in ``meta.quarantine.original``; whatever this module
returns for display or download has it masked (``mask_record``), and every
CSV it writes is protected against formula injection (``safe_csv``).
"""

from __future__ import annotations

import getpass
import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml

from core.config import CONFIG_DIR, MAX_FILE_BYTES
from core.csv_safety import safe_csv
from core.errors import FileRejected
from core.vocab import fold
from etl.archives import extract_exports, is_zip
from etl.detect import WORKLIST_COLUMNS
from etl.load import FileCheck, inspect_files, plan_counts
from etl.readers import read_table
from etl.sources.base import LoadContext
from etl.validate import ExpectationResult

TIMEZONE = "Asia/Karachi"
FRESHNESS_PATH = CONFIG_DIR / "freshness.yaml"
DEFAULT_STALE_DAYS = 7
PREVIEW_ROWS = 10
MAX_NAME_CHARS = 60
MASK = "•••"
REMOVED = "(removed)"

# ---------------------------------------------------------------------------
# Great Expectations results in plain words
# ---------------------------------------------------------------------------

_DATE_SUFFIXES = ("_at", "_date")


def expectation_words(expectation: str, column: str | None) -> str:
    """A Great Expectations check as a person would say it.

    ``column`` is the column a person looks at (helper columns such as
    ``received_at__unparsed`` are reported as ``received_at``).
    """
    column = column or ""
    if ", " in expectation:  # a quarantined row that failed several checks
        return f"several checks failed ({column})"
    words = {
        "expect_column_values_to_not_be_null": f"{column} is filled in",
        "expect_compound_columns_to_be_unique": f"each {column} appears only once in the file",
        "expect_column_value_lengths_to_be_between": f"{column} is not too long",
        "expect_column_values_to_be_in_set": f"{column} is one of the accepted values",
        "expect_column_values_to_match_regex": f"{column} has the expected form",
        "expect_column_values_to_be_null": _null_words(column),
        "expect_column_values_to_be_between": _between_words(column),
    }
    if expectation in words:
        return words[expectation]
    if expectation == "expect_column_pair_values_a_to_be_greater_than_b":
        later, _, earlier = column.partition(", ")
        return f"{later} is not before {earlier}"
    readable = expectation.removeprefix("expect_").replace("_", " ")
    return f"{column}: {readable}" if column else readable


def _null_words(column: str) -> str:
    # Checks on helper columns: a value that could not be read, or a problem found.
    if column == "district":
        return "district is one of the 36 districts, named unambiguously"
    if column.endswith(_DATE_SUFFIXES):
        return f"{column} can be read as a date"
    if column == "extra":
        return "the extra columns can be read"
    return f"{column} can be read (a number or date in the expected form)"


def _between_words(column: str) -> str:
    if column.endswith(_DATE_SUFFIXES):
        return f"{column} is a plausible date (not in the future, not implausibly old)"
    if column == "share":
        return "share is between 0 and 1"
    return f"{column} is not negative"


def results_frame(results: Iterable[ExpectationResult]) -> pd.DataFrame:
    """Validation results for people: check, column, passed, rows failing, examples.

    Failing checks first. Examples are scrubbed of phone numbers, CNIC
    numbers and emails.
    """
    rows = [
        {
            "check": expectation_words(r.expectation, r.column),
            "column": r.column,
            "passed": bool(r.success),
            "rows_failing": int(r.unexpected_count),
            "examples": " · ".join(scrub_text(e) for e in r.examples),
            "expectation": r.expectation,
        }
        for r in results
    ]
    frame = pd.DataFrame(
        rows, columns=["check", "column", "passed", "rows_failing", "examples", "expectation"]
    )
    return frame.sort_values(["passed", "rows_failing"], ascending=[True, False], kind="stable")


# ---------------------------------------------------------------------------
# Personal data: which columns hold it, and how values are masked
# ---------------------------------------------------------------------------

NAME, PHONE, CNIC, EMAIL, TEXT = "name", "phone", "cnic", "email", "text"
CANONICAL_PERSONAL: dict[str, str] = {
    "requester_name": NAME,
    "requester_phone": PHONE,
    "requester_cnic": CNIC,
    "requester_email": EMAIL,
    "summary": TEXT,
    "actor": NAME,
}
# Headers that say "personal" whatever the file's kind (folded): whole headers
# naming a person, then words that make any header personal.
PERSON_HEADERS: frozenset[str] = frozenset(
    {"requester", "complainant", "caller", "citizen", "journalist", "agent", "officer", "actor"}
)
HEADER_WORDS: tuple[tuple[str, str], ...] = (
    ("cnic", CNIC),
    ("nic", CNIC),
    ("id card", CNIC),
    ("national id", CNIC),
    ("email", EMAIL),
    ("e mail", EMAIL),
    ("phone", PHONE),
    ("mobile", PHONE),
    ("contact", PHONE),
    ("cell", PHONE),
    ("tel", PHONE),
    ("name", NAME),
    ("summary", TEXT),
    ("description", TEXT),
    ("details", TEXT),
    ("subject", TEXT),
    ("comment", TEXT),
    ("message", TEXT),
    ("remarks", TEXT),
    ("notes", TEXT),
    ("address", TEXT),
    ("text", TEXT),
    ("title", TEXT),
    ("caption", TEXT),
    ("body", TEXT),
)
# Counts named after a personal thing ("Phone number clicks") are not personal.
COUNT_WORDS = frozenset({"clicks", "views", "count", "rate", "visits", "taps"})

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CNIC_RE = re.compile(r"(?<!\d)\d{5}-\d{7}-\d(?!\d)|(?<!\d)\d{13}(?!\d)")
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+|00)\d{1,3}[\s-]?\(?\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)"
    r"|(?<!\d)03\d{2}[\s-]?\d{7}(?!\d)"
    r"|(?<!\d)0\d{2,3}[\s-]\d{6,8}(?!\d)"
)


def personal_columns(headers: Iterable[str], source: str | None = None) -> dict[str, str]:
    """header -> how to mask it (name, phone, cnic, email, text), for a file's headers.

    A header the register, the events log or the source's column mapping
    knows is personal exactly when the column it means is (``District name``
    is a district, ``Complainant name`` a name). Any other header is personal
    when it names a person (``Requester``) or holds a personal word
    (``phone``, ``email``, ``address``, ``description``, …), unless it counts
    something (``Phone number clicks``). In platform exports (``social``
    sources) titles, captions and post text are the cell's own public posts:
    only phone, email and CNIC columns are masked there.
    """
    return dict(_personal_columns(tuple(h for h in headers if h != "_source_row"), source))


@lru_cache(maxsize=256)
def _personal_columns(headers: tuple[str, ...], source: str | None) -> tuple[tuple[str, str], ...]:
    social = source is not None and source in source_groups()["social"]
    known = {} if social else _known_meanings(list(headers), source)
    words_of_kind = [
        (w, how) for w, how in HEADER_WORDS if not social or how in (PHONE, EMAIL, CNIC)
    ]
    found: dict[str, str] = {}
    for header in headers:
        if header in known:
            if known[header] in CANONICAL_PERSONAL:
                found[header] = CANONICAL_PERSONAL[known[header]]
            continue
        words = fold(header)
        if words in PERSON_HEADERS:
            found[header] = NAME
            continue
        if COUNT_WORDS & set(words.split()):
            continue
        for word, how in words_of_kind:
            if f" {word} " in f" {words} ":
                found[header] = how
                break
    return tuple(found.items())


def _known_meanings(headers: list[str], source: str | None) -> dict[str, str]:
    """header -> register or events column it means (aliases and column mappings)."""
    # Imported here: the sources pull in Great Expectations.
    from etl.sources import events, inquiries
    from etl.sources.common import match_headers
    from etl.sources.mapped import load_mappings

    aliases: dict[str, tuple[str, ...]] = {
        **{c: tuple(a) for c, a in events.HEADER_ALIASES.items()},
        **{c: tuple(a) for c, a in inquiries.HEADER_ALIASES.items()},
    }
    for mapping in load_mappings():
        if mapping.name == source:
            for column, header in {"inquiry_id": mapping.id_column, **mapping.columns}.items():
                aliases[column] = (header, *aliases.get(column, ()))
    matched = match_headers(headers, aliases)
    return {header: column for column, header in matched.items()}


def mask_value(value: object, how: str) -> object:
    """One personal value masked: names to initials, numbers to dots, text removed."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return value
    text = str(value)
    if not text.strip():
        return text
    if how == TEXT:
        return REMOVED
    if how == NAME:
        initials = [w[0].upper() + "." for w in re.findall(r"\w+", text)[:4]]
        return " ".join(initials) or MASK
    if how == EMAIL:
        local = text.split("@", 1)[0].strip()
        return f"{local[:1]}{MASK}@{MASK}" if local else MASK
    digits = sum(c.isdigit() for c in text)
    if digits < 5:
        return MASK
    keep = 2 if how == PHONE else 0
    seen = 0
    masked = []
    for char in text:
        if char.isdigit():
            seen += 1
            masked.append(char if seen > digits - keep else "•")
        else:
            masked.append(char)
    return "".join(masked)


def scrub_text(text: object) -> object:
    """Emails, CNIC and phone numbers inside any text replaced by dots."""
    if not isinstance(text, str) or not text:
        return text
    text = EMAIL_RE.sub(f"{MASK}@{MASK}", text)
    text = CNIC_RE.sub("•••••-•••••••-•", text)
    return PHONE_RE.sub(MASK, text)


def mask_record(record: Mapping[str, object], source: str | None = None) -> dict[str, object]:
    """A row as read (header -> value) with its personal data masked."""
    personal = personal_columns(record.keys(), source)
    return {
        header: mask_value(value, personal[header]) if header in personal else scrub_text(value)
        for header, value in record.items()
        if header != "_source_row"
    }


def mask_frame(frame: pd.DataFrame, source: str | None = None) -> pd.DataFrame:
    """A table of text as read from a file, personal columns masked."""
    personal = personal_columns(frame.columns, source)
    masked = frame.copy()
    for column in masked.columns:
        how = personal.get(column)
        values = masked[column].astype(object)
        if how:
            masked[column] = values.map(lambda v, how=how: mask_value(v, how))
        else:
            masked[column] = values.map(scrub_text)
    return masked


# ---------------------------------------------------------------------------
# CSV files the app writes
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Queries on the warehouse (read-only connection)
# ---------------------------------------------------------------------------

LOAD_HISTORY_SQL = """
with loads as (
    select *
    from meta.loads
),

still_quarantined as (
    select load_id, count(*) as rows_still_quarantined
    from meta.quarantine
    where cleared_by_load_id is null
    group by load_id
),

final as (
    select
        l.load_id,
        l.load_seq,
        l.file_name,
        left(l.sha256, 12) as sha256_short,
        l.sha256,
        l.kind,
        l.source,
        l.loaded_by,
        l.started_at,
        l.finished_at,
        date_diff('millisecond', l.started_at, l.finished_at) / 1000.0
            as duration_seconds,
        l.rows_read,
        l.rows_inserted,
        l.rows_updated,
        l.rows_unchanged,
        l.rows_quarantined,
        coalesce(q.rows_still_quarantined, 0) as rows_still_quarantined,
        l.covers_from,
        l.covers_to,
        l.outcome,
        l.message
    from loads as l
    left join still_quarantined as q using (load_id)
)

select *
from final
order by load_seq desc, started_at desc
"""


def load_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every load, newest first: file, sha256 (first 12 hex digits), kind, who,
    when (UTC), rows read / inserted / updated / unchanged / quarantined (and
    still in quarantine now), duration in seconds, outcome and message."""
    return con.execute(LOAD_HISTORY_SQL).df()


QUARANTINE_SUMMARY_SQL = """
with open_rows as (
    select source, kind, expectation, column_name
    from meta.quarantine
    where cleared_by_load_id is null
),

summary as (
    select
        source,
        kind,
        expectation,
        column_name,
        expectation || ' | ' || coalesce(column_name, '') as check_key,
        count(*) as n_rows
    from open_rows
    group by all
)

select *
from summary
order by n_rows desc, source, check_key
"""


def quarantine_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows waiting in quarantine, by source and check: ``n_rows`` per
    (source, expectation, column); ``check`` says the check in plain words and
    ``check_key`` identifies it for ``quarantine_rows(checks=...)``."""
    frame = con.execute(QUARANTINE_SUMMARY_SQL).df()
    frame["check"] = [
        expectation_words(e, c)
        for e, c in zip(frame["expectation"], frame["column_name"], strict=True)
    ]
    return frame


QUARANTINE_ROWS_SQL = """
with chosen as (
    select *
    from meta.quarantine
    where ($include_cleared or cleared_by_load_id is null)
      and (len($sources) = 0 or list_contains($sources, source))
      and (
          len($checks) = 0
          or list_contains(
              $checks, expectation || ' | ' || coalesce(column_name, '')
          )
      )
),

final as (
    select
        load_id,
        kind,
        source,
        source_file,
        source_row,
        record_id,
        expectation,
        column_name,
        reason,
        cast(original as varchar) as original,
        quarantined_at,
        cleared_by_load_id
    from chosen
)

select *
from final
order by quarantined_at desc, source_file, source_row
limit $limit
"""


def quarantine_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    sources: Sequence[str] = (),
    checks: Sequence[str] = (),
    include_cleared: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    """Quarantined rows, newest first, personal data masked.

    ``sources`` and ``checks`` (``check_key`` values of ``quarantine_summary``)
    narrow the rows; empty means all. Rows a later load cleared are left out
    unless ``include_cleared``. ``original`` becomes ``row_as_read``: the
    row's values as text, masked; ``reason`` and ``check`` are in words.
    """
    frame = con.execute(
        QUARANTINE_ROWS_SQL,
        {
            "sources": list(sources),
            "checks": list(checks),
            "include_cleared": include_cleared,
            "limit": limit,
        },
    ).df()
    originals = [
        _masked_original(o, s) for o, s in zip(frame["original"], frame["source"], strict=True)
    ]
    frame["check"] = [
        expectation_words(e, c)
        for e, c in zip(frame["expectation"], frame["column_name"], strict=True)
    ]
    frame["reason"] = frame["reason"].map(scrub_text)
    frame["row_as_read"] = [
        " · ".join(f"{k}: {v}" for k, v in o.items() if v not in (None, "")) for o in originals
    ]
    frame["original"] = originals
    return frame


def _masked_original(original: object, source: str) -> dict[str, object]:
    if original is None or (isinstance(original, float) and pd.isna(original)):
        return {}
    record = json.loads(original) if isinstance(original, str) else dict(original)
    return mask_record(record, source)


def quarantine_worklist(rows: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows (from ``quarantine_rows``) as a table to work through:
    where each row is, what is wrong, then the row's columns as read, masked."""
    fixed = pd.DataFrame(
        {
            "source_file": rows["source_file"],
            "source_row": rows["source_row"],
            "record_id": rows["record_id"],
            "problem": rows["reason"],
            "check": rows["check"],
            "column_name": rows["column_name"],
            "source": rows["source"],
            "quarantined_at_pkt": _pkt_text(rows["quarantined_at"]),
            "load_id": rows["load_id"],
        },
        columns=list(WORKLIST_COLUMNS),
    )
    originals = pd.DataFrame(list(rows["original"]), index=rows.index)
    originals.columns = [
        f"{c} (in file)" if c in WORKLIST_COLUMNS else c for c in originals.columns
    ]
    return pd.concat([fixed, originals], axis=1).reset_index(drop=True)


def quarantine_csv(
    con: duckdb.DuckDBPyConnection,
    *,
    sources: Sequence[str] = (),
    checks: Sequence[str] = (),
    include_cleared: bool = False,
) -> bytes:
    """The quarantined rows as an injection-safe CSV, personal data masked.

    A worklist, not a file to load back: it names the file and row to fix in
    the original register (which holds the personal data the download masks).
    """
    rows = quarantine_rows(con, sources=sources, checks=checks, include_cleared=include_cleared)
    return safe_csv(quarantine_worklist(rows))


def _pkt_text(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values, utc=True)
    return stamps.dt.tz_convert(TIMEZONE).dt.strftime("%Y-%m-%d %H:%M")


FRESHNESS_SQL = """
with loaded as (
    select source, kind, covers_to, started_at, load_seq
    from meta.loads
    where outcome = 'loaded'
),

per_source as (
    select
        source,
        arg_max(kind, load_seq) as kind,
        max(covers_to) as latest_covered_at,
        max(started_at) as last_loaded_at,
        count(*) as n_loads
    from loaded
    group by source
),

open_quarantine as (
    select source, count(*) as n_quarantined
    from meta.quarantine
    where cleared_by_load_id is null
    group by source
),

final as (
    select
        p.source,
        p.kind,
        p.latest_covered_at,
        cast(timezone($timezone, p.latest_covered_at) as date)
            as latest_covered_date,
        date_diff(
            'day',
            cast(timezone($timezone, p.latest_covered_at) as date),
            cast($today as date)
        ) as days_behind,
        p.last_loaded_at,
        p.n_loads,
        coalesce(q.n_quarantined, 0) as n_quarantined
    from per_source as p
    left join open_quarantine as q using (source)
)

select *
from final
order by kind, source
"""


def freshness(con: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    """Per source with a load in effect: ``latest_covered_at`` (UTC) and its
    Pakistan date, ``days_behind`` = ``today`` (a Pakistan date) minus that
    date, ``last_loaded_at`` (UTC), ``n_loads`` and rows still in quarantine."""
    return con.execute(FRESHNESS_SQL, {"timezone": TIMEZONE, "today": today}).df()


VALIDATION_REPORT_SQL = """
with results as (
    select expectation, column_name, success, unexpected_count, examples
    from meta.validation_results
    where load_id = ?
)

select *
from results
order by success, unexpected_count desc, expectation, column_name
"""


def validation_report(con: duckdb.DuckDBPyConnection, load_id: str) -> pd.DataFrame:
    """How one load's file fared against each check: check in plain words,
    column, passed, rows failing and up to three examples (scrubbed)."""
    frame = con.execute(VALIDATION_REPORT_SQL, [load_id]).df()
    results = [
        ExpectationResult(
            row.expectation,
            row.column_name,
            bool(row.success),
            int(row.unexpected_count),
            tuple(row.examples) if row.examples is not None else (),
        )
        for row in frame.itertuples(index=False)
    ]
    return results_frame(results)


# ---------------------------------------------------------------------------
# Freshness thresholds and stale sources
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """Days after which a source's data counts as stale (``freshness.yaml``).

    ``sources`` maps a folded source name or kind to its days; ``None``
    there means the source is never called stale (a legacy export).
    """

    default_days: int = DEFAULT_STALE_DAYS
    sources: Mapping[str, int | None] = field(default_factory=dict)

    def days_for(self, source: str, kind: str | None = None) -> int | None:
        """The threshold of a source, looked up by its name, then its kind."""
        for key in (source, kind):
            if key is not None and fold(key) in self.sources:
                return self.sources[fold(key)]
        return self.default_days


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Read ``data/config/freshness.yaml`` (re-read when it changes on disk)."""
    path = Path(path or FRESHNESS_PATH)
    if not path.exists():
        return Thresholds()
    return _read_thresholds(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _read_thresholds(path: str, mtime_ns: int) -> Thresholds:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    default = int(raw.get("default_days", DEFAULT_STALE_DAYS))
    sources = {
        fold(k): None if v is None else int(v) for k, v in (raw.get("sources") or {}).items()
    }
    return Thresholds(default, sources)


def source_groups() -> dict[str, tuple[str, ...]]:
    """Names for the sources behind a page: ``inquiries`` (the register, the
    events log and every column mapping: ``marts.inquiries``) and ``social``
    (every platform export)."""
    from etl.detect import known_sources

    inquiry = {"register", "events"}
    sources = [s.source for s in known_sources()]
    mapped = [s.source for s in known_sources() if s.kind.endswith("(column mapping)")]
    inquiries = tuple(dict.fromkeys([*sorted(inquiry), *mapped]))
    social = tuple(s for s in dict.fromkeys(sources) if s not in inquiries)
    return {"inquiries": inquiries, "social": social}


def expand_sources(sources: str | Iterable[str]) -> set[str]:
    """Source names, with group names (``inquiries``, ``social``) expanded."""
    names = [sources] if isinstance(sources, str) else list(sources)
    groups = source_groups()
    expanded: set[str] = set()
    for name in names:
        expanded.update(groups.get(name, (name,)))
    return expanded


def stale_sources(
    fresh: pd.DataFrame, thresholds: Thresholds, sources: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """Rows of ``freshness`` whose ``days_behind`` exceed their threshold,
    narrowed to ``sources`` (names or groups; None = all), most behind first.
    Adds ``threshold_days``."""
    frame = fresh.copy()
    frame["threshold_days"] = pd.array(
        [thresholds.days_for(s, k) for s, k in zip(frame["source"], frame["kind"], strict=True)],
        dtype="Int64",
    )
    if sources is not None:
        frame = frame[frame["source"].isin(expand_sources(sources))]
    behind = frame["days_behind"].astype("Int64")
    stale = (behind > frame["threshold_days"]).fillna(False).astype(bool)
    return frame[stale].sort_values("days_behind", ascending=False)


def stale_message(row: Mapping[str, Any]) -> str:
    """``Inquiry register data ends 9 days ago (4 Nov 2026; stale after 7 days).``"""
    kind = str(row["kind"])
    days = int(row["days_behind"])
    day = pd.Timestamp(row["latest_covered_date"])
    return (
        f"{kind[:1].upper()}{kind[1:]} data ends {days} day{'s' if days != 1 else ''} ago "
        f"({day.day} {day:%b %Y}; stale after {int(row['threshold_days'])} days)."
    )


# ---------------------------------------------------------------------------
# Files a person is about to load
# ---------------------------------------------------------------------------

# What to do about a rejected file (docs/operations.md, "When a whole file is rejected"),
# first match wins: the more specific messages come first.
EXCEL_RESAVED = "Download the export again and load it without opening it in Excel first."
ADVICE: tuple[tuple[str, str], ...] = (
    ("quarantine download", "Fix the rows in the original file and load that file again."),
    ("required column", "The header row lost a column: use the template in data/templates/."),
    (
        "match no export",
        "A file of an unknown kind: check it is the export you meant; for a new intake "
        "system, write a column mapping.",
    ),
    ("separated by semicolons", EXCEL_RESAVED),
    ("inside one quoted field", EXCEL_RESAVED),
    ("decimal commas", EXCEL_RESAVED),
    ("more digits than excel keeps", EXCEL_RESAVED),
    (
        "are not dates in the form",
        "Excel rewrote the dates (e.g. 14/03/2025): export again, or fix the column's format.",
    ),
    ("the file is empty", "The export was interrupted: download it again."),
    ("no data rows", "The export was interrupted: download it again."),
    ("no header row found", "The export was interrupted: download it again."),
    ("password-protected", "Download or save the file again, without a password."),
    ("old-format (.xls)", "Save it from Excel as an .xlsx workbook, or load the CSV export."),
    ("compression", "Unpack the archive and load its files."),
    ("binary data", "The wrong file was picked."),
    ("this is a pdf", "The wrong file was picked."),
    ("this is a zip archive", "The wrong file was picked."),
    ("holds no csv or xlsx", "The wrong file was picked."),
    ("unsafe path", "The wrong file was picked: this archive is not an export."),
    ("damaged", "The download was interrupted: download it again."),
    ("mixes encodings", "The file mixes encodings: download it again."),
    ("cannot be read as", "The file mixes encodings: download it again."),
    ("cannot be parsed", EXCEL_RESAVED),
    ("excel file cannot be", "The workbook is damaged: download or save it again."),
    ("the limit is", "Split the export by date."),
    ("files; at most", "Load the files of the archive in smaller batches, unpacked."),
    ("at most", "Split the export, or export fewer columns."),
    ("another load is running", "Wait for it to finish, then load again."),
    ("download", EXCEL_RESAVED),
)


def advice_for(message: str) -> str:
    """What to do about a rejected file, in the words of docs/operations.md."""
    lowered = message.lower()
    for needle, advice in ADVICE:
        if needle in lowered:
            return advice
    return (
        "Check that this is the export you meant to load (docs/operations.md lists every message)."
    )


def who_loads(name: str | None = None) -> str:
    """The name recorded with a load: the one typed on the page, else the OS user."""
    name = " ".join((name or "").split())[:MAX_NAME_CHARS]
    return name or getpass.getuser()


UPLOAD_PREFIX = "kp-upload-"
UPLOAD_MAX_AGE_HOURS = 24


def upload_folder() -> Path:
    """A new private temporary folder (mode 0700, outside the project) for one
    set of uploads. Folders older than a day that a session left behind (the
    browser closed before loading) are removed first: uploads hold personal data."""
    root = Path(tempfile.gettempdir())
    cutoff = time.time() - UPLOAD_MAX_AGE_HOURS * 3600
    for old in root.glob(f"{UPLOAD_PREFIX}*"):
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff and old.owner() == getpass.getuser():
                shutil.rmtree(old, ignore_errors=True)
        except (OSError, KeyError):
            continue
    return Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))


_UNSAFE_NAME = re.compile(r"[^\w .()»\-+]", re.UNICODE)


def stage_upload(folder: Path, index: int, name: str, data: bytes | memoryview) -> Path:
    """Write an uploaded file into its own subfolder of a private temporary
    folder, under its own (sanitised) name, so load history names it as the
    person knows it. Raises ``FileRejected`` above the size limit."""
    size = len(data)
    safe = _UNSAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip(" .") or "upload"
    if size > MAX_FILE_BYTES:
        raise FileRejected(
            safe,
            f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes "
            f"({MAX_FILE_BYTES // 2**20} MB)",
        )
    target = folder / f"{index:03d}" / safe
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    target.touch(mode=0o600)
    target.write_bytes(bytes(data))
    return target


@dataclass
class FilePreview:
    """One file (or one member of an uploaded zip) as it would load.

    ``upload`` is the file to hand to ``load_paths`` (the zip for a member).
    ``plan`` holds ``insert``/``update``/``same``/``already_loaded`` rows
    (``etl.load.plan_counts``), or None when it cannot be told.
    """

    name: str
    upload: Path
    kind: str | None = None
    source: str | None = None
    rows_read: int = 0
    quarantined: int = 0
    covers_from: datetime | None = None
    covers_to: datetime | None = None
    plan: dict[str, int] | None = None
    results: pd.DataFrame | None = None
    preview: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def advice(self) -> str | None:
        return None if self.error is None else advice_for(self.error)

    @property
    def loadable(self) -> bool:
        return self.error is None

    @property
    def already_loaded(self) -> bool:
        return bool(self.plan and self.plan.get("already_loaded"))


def preview_files(
    paths: Sequence[Path],
    *,
    warehouse: Path,
    context: LoadContext,
    workdir: Path,
    progress: Callable[[float, str], None] | None = None,
) -> list[FilePreview]:
    """Read, recognise and validate files without loading anything.

    Zip archives are unpacked into ``workdir`` first (one preview per
    member). What loading would do is asked of the live warehouse on a
    read-only connection. Never raises for a bad file: it gets ``error``.
    """
    previews: list[FilePreview] = []
    members: list[tuple[Path, Path]] = []  # (file to inspect, file to load)
    for number, path in enumerate(paths):
        try:
            _refuse_worklist(path)
            if is_zip(path):
                unpacked = extract_exports(path, workdir / f"zip-{number:03d}")
                members += [(member, path) for member in unpacked]
            else:
                members.append((path, path))
        except FileRejected as error:
            previews.append(FilePreview(path.name, path, error=error.one_line()))
    checks = inspect_files([m for m, _ in members], context, progress=progress)
    plans = _plans(checks, warehouse)
    for (member, upload), check, plan in zip(members, checks, plans, strict=True):
        previews.append(_preview(check, member, upload, plan))
    return previews


def _refuse_worklist(path: Path) -> None:
    """A quarantine download holds masked values: loading it would store them.

    Recognised by its first columns, as a CSV or re-saved as a workbook.
    """
    if _first_cells(path)[:4] == list(WORKLIST_COLUMNS[:4]):
        raise FileRejected(
            path.name,
            "this is a quarantine download (personal data masked), not an export; "
            "it cannot be loaded",
        )


def _first_cells(path: Path) -> list[str]:
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.startswith(b"PK\x03\x04"):
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
        first = text.splitlines()[0] if text else ""
        return [cell.strip() for cell in first.split(",")]
    if is_zip(path):
        return []
    try:  # an XLSX workbook: its first row, read without loading the sheet
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            row = next(book.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        finally:
            book.close()
    except Exception:  # a damaged workbook is reported by the reader, not here
        return []
    return [str(cell).strip() for cell in row if cell is not None]


def _plans(checks: list[FileCheck], warehouse: Path) -> list[dict[str, int] | None]:
    from core.warehouse import reading

    if not warehouse.is_file():
        return [_all_new(c) if c.error is None else None for c in checks]
    plans: list[dict[str, int] | None] = []
    with reading(warehouse) as con:
        for check in checks:
            if check.error is not None:
                plans.append(None)
                continue
            try:
                plans.append(plan_counts(con, check))
            except duckdb.CatalogException:
                # An older warehouse without this kind's table: everything is new.
                plans.append(_all_new(check))
            except duckdb.Error:
                plans.append(None)  # the page says it cannot be told before the load
    return plans


def _all_new(check: FileCheck) -> dict[str, int]:
    return {"insert": len(check.valid), "update": 0, "same": 0, "already_loaded": 0}


def _preview(
    check: FileCheck, member: Path, upload: Path, plan: dict[str, int] | None
) -> FilePreview:
    preview = FilePreview(member.name, upload, kind=check.kind)
    if check.error is not None:
        preview.error = check.error.one_line()
        return preview
    prepared = check.prepared
    preview.source = prepared.source
    preview.rows_read = check.rows_read
    preview.quarantined = check.quarantined
    preview.covers_from, preview.covers_to = check.covers
    preview.plan = plan
    preview.results = results_frame(check.validation.results)
    preview.preview = first_rows(member, prepared.source)
    preview.notes = list(prepared.notes)
    if prepared.unmatched_headers:
        shown = ", ".join(prepared.unmatched_headers[:8])
        more = ", …" if len(prepared.unmatched_headers) > 8 else ""
        preview.notes.append(f"Columns not used: {shown}{more}")
    return preview


def first_rows(path: Path, source: str | None, n: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first ``n`` data rows as read (text), indexed by spreadsheet row,
    personal columns masked."""
    table = read_table(path)
    try:
        frame = table.con.execute(
            f"select * from {table.name} order by _source_row limit ?", [n]
        ).df()
    finally:
        table.con.close()
    frame = frame.set_index("_source_row")
    frame.index.name = "row"
    return mask_frame(frame, source)
