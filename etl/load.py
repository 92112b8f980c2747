"""Load export files into the warehouse: inspect, validate, then write atomically.

``inspect_file`` reads, recognises and validates one file without touching
the warehouse (the data page shows it before anyone confirms).
``load_paths`` writes every inspected file into a new version of the
warehouse and swaps it in: all of it or none of it. A file already loaded
(same sha256, under any name) changes nothing; a newer export of the same
register updates rows by id; rows that fail a check go to quarantine.

A file is read by a **recipe**: its source's column mapping (its content)
and the settings that decide dates and checks (``Source.recipe``). The same
file read under a changed recipe (a corrected mapping, another
``date_order``) is loaded again: its rows replace what the earlier reading
produced, that load's quarantine is cleared and it is marked ``replaced``.

A file none of whose rows pass the checks loads nothing: it is refused
(``rejected``, exit code 2) with its most common reasons first, e.g.
``924 of 924 rows: district 'BROOKLYN' is not one of the 36 districts …``.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from core.config import MAX_FILE_BYTES, Settings, load_settings, warehouse_path
from core.errors import EtlError, FileRejected
from core.privacy import redact
from core.sql import quote_literal
from core.warehouse import reading
from etl import gx_import
from etl.archives import extract_exports, is_zip
from etl.detect import detect
from etl.models import Changes
from etl.prepared_rows import FrameRows, PreparedRows, TableRows
from etl.readers import RawTable, read_table
from etl.rollback import RAW_TABLES
from etl.sources.base import LoadContext, Prepared, Source
from etl.sources.mapped import mapping_problems
from etl.validate import (
    FILE,
    KEY,
    ROW,
    ExpectationResult,
    ValidationOutcome,
    read_columns,
    validate,
)
from etl.warehouse import exclusive_lock, new_version

log = logging.getLogger(__name__)
Progress = Callable[[float, str], None]
READABLE_SUFFIXES = {".csv", ".xlsx", ".txt", ".zip"}


@dataclass
class FileCheck:
    """What a file holds and what loading it would do, before any write.

    A check whose rows live in the file's own DuckDB (``rows``, a
    ``TableRows``) holds that connection open until ``close``."""

    path: Path
    sha256: str
    kind: str | None = None
    prepared: Prepared | None = None
    validation: ValidationOutcome | None = None
    error: FileRejected | None = None
    original: pd.DataFrame | None = None  # failing rows as read: _source_row, original
    started_at: datetime | None = None  # when reading the file began
    recipe: str | None = None  # how it was read: mapping and settings (see the module)
    rows: PreparedRows | None = None  # where the prepared rows live (etl.prepared_rows)

    @property
    def rows_read(self) -> int:
        return 0 if self.rows is None else self.rows.count()

    @property
    def failing_rows(self) -> set[int]:
        return set() if self.validation is None else self.validation.failing_rows

    @property
    def valid(self) -> pd.DataFrame:
        """The rows that passed, as a frame (small files and tests: a large
        register is counted and written in SQL, never pulled whole)."""
        frame = self.rows.frame()
        return frame[~frame[ROW].isin(self.failing_rows)]

    @property
    def valid_count(self) -> int:
        return 0 if self.rows is None else self.rows.valid_count(self.failing_rows)

    @property
    def quarantined(self) -> int:
        return len(self.failing_rows)

    @property
    def covers(self) -> tuple[datetime | None, datetime | None]:
        if self.rows is None:
            return None, None
        return self.rows.covers(self.prepared.covers_column, self.failing_rows)

    def close(self) -> None:
        """Let go of the file's DuckDB connection (if the rows live there)."""
        if self.rows is not None:
            self.rows.close()


@dataclass
class FileResult:
    file_name: str
    kind: str | None
    outcome: str  # loaded | already loaded | rejected
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    message: str = ""
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.outcome == "rejected":
            return f"REJECTED {self.message}"
        if self.outcome == "already loaded":
            return f"{self.file_name}: already loaded, nothing changed"
        return (
            f"{self.file_name} ({self.kind}): {self.rows_read:,} rows read, "
            f"{self.inserted:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged, "
            f"{self.quarantined:,} quarantined"
        )


@dataclass
class LoadReport:
    files: list[FileResult] = field(default_factory=list)
    swapped: bool = False
    seconds: float = 0.0
    # Problems outside the files, said once per load: a broken column mapping.
    warnings: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.outcome == "rejected"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the readable files inside folders (sorted)."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES
            )
        elif path.exists():
            files.append(path)
        else:
            raise EtlError(f"{path}: no such file or folder")
    return files


def make_context(
    settings: Settings | None = None,
    now: datetime | None = None,
    *,
    year: int | None = None,
    account: str | None = None,
    platform: str | None = None,
) -> LoadContext:
    """The context of one load: settings, the clock, and what the user told us."""
    return LoadContext(
        settings=settings or load_settings(),
        now=now or datetime.now(UTC),
        year=year,
        account=account,
        platform=platform,
    )


def inspect_file(path: Path, context: LoadContext | None = None) -> FileCheck:
    """Read, recognise and validate one file; never raises for a bad file."""
    return inspect_files([path], context)[0]


def inspect_files(
    paths: list[Path],
    context: LoadContext | None = None,
    progress: Progress | None = None,
    context_for: Callable[[Path], LoadContext | None] | None = None,
) -> list[FileCheck]:
    """Read, recognise and validate files without touching the warehouse.

    Files of the same kind are validated together in one Great Expectations
    run: its cost is mostly per expectation, not per row, so a folder of
    monthly registers validates about as fast as one file of the same size.
    Checks that are about one file (unique ids) stay per file.
    """
    # GX is needed once the files are read: its import runs while they are.
    gx_import.start()
    context = context or make_context()
    progress = progress or (lambda fraction, message: None)
    # Too large a file is refused before it is even hashed. Files are hashed
    # on a thread while DuckDB reads them (both release the GIL).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as hashing:
        digests = [
            None if path.stat().st_size > MAX_FILE_BYTES else hashing.submit(sha256_of, path)
            for path in paths
        ]
        checks = [FileCheck(path=path, sha256="") for path in paths]
        tables = _read_files(checks, context, progress, context_for)
        for check, digest in zip(checks, digests, strict=True):
            check.sha256 = digest.result() if digest is not None else ""
    groups: dict[str, list[int]] = {}
    for index in tables:
        groups.setdefault(checks[index].kind, []).append(index)
    for number, (source, members) in enumerate(groups.items()):
        progress(0.5 + 0.5 * number / len(groups), f"validating {len(members)} {source} file(s)")
        _validate_group([checks[i] for i in members], source)
    for index in tables:
        _refuse_if_nothing_passes(checks[index])
    for index, table in tables.items():
        check = checks[index]
        check.original = table.con.execute(
            f"select _source_row, to_json(s) as original from {table.name} s "
            "where _source_row in (select unnest(?))",
            [sorted(check.failing_rows)],
        ).df()
        if isinstance(check.rows, TableRows) and check.error is None:
            table.con.execute(f"drop table {table.name}")  # the rows live on as prepared
        else:
            table.con.close()
    return checks


def _read_files(
    checks: list[FileCheck],
    context: LoadContext,
    progress: Progress,
    context_for: Callable[[Path], LoadContext | None] | None,
) -> dict[int, RawTable]:
    """Read and prepare each file; a file that cannot be read gets its error.
    Returns the tables read, by the file's index in ``checks``."""
    tables: dict[int, RawTable] = {}
    for index, check in enumerate(checks):
        progress(0.5 * index / max(len(checks), 1), f"reading {check.path.name}")
        check.started_at = datetime.now(UTC)
        table = None
        try:
            table = read_table(check.path)
            source = detect(table)
            check.kind = source.kind
            own = context_for(check.path) if context_for else None
            check.recipe = recipe_of(source, own or context)
            check.prepared = source.prepare(table, own or context)
            # What the reader repaired (Excel damage) is said with the file.
            check.prepared.notes[:0] = table.notes
            check.rows = rows_of(check.prepared, table)
            tables[index] = table
        except FileRejected as error:
            check.error = error
        except Exception as error:  # a bug must not stop the other files
            log.exception("unexpected error reading %s", check.path)
            check.error = FileRejected(
                check.path.name,
                f"could not be read ({type(error).__name__}: {error}); nothing from it was "
                "loaded: please report this file to the dashboard's maintainers",
            )
        if check.error is not None and table is not None:
            table.con.close()
    return tables


def rows_of(prepared: Prepared, table: RawTable) -> PreparedRows:
    """Where ``prepared``'s rows live: its frame, or its table in the file's DuckDB."""
    if prepared.table is not None:
        return TableRows(table.con, prepared.table)
    return FrameRows(prepared.frame)


def recipe_of(source: Source, context: LoadContext) -> str | None:
    """How ``source`` reads a file under ``context`` (None: nothing to vary)."""
    recipe = getattr(source, "recipe", None)
    return recipe(context.settings) if recipe is not None else None


def _refuse_if_nothing_passes(check: FileCheck) -> None:
    """A non-empty file none of whose rows pass loads nothing: a failure, said
    with its most common reasons first (not a success that "covers None")."""
    if check.rows_read == 0 or check.valid_count > 0:
        return
    check.error = FileRejected(check.path.name, nothing_passes_message(check))


def nothing_passes_message(check: FileCheck, shown: int = 3) -> str:
    """``924 of 924 rows: district 'BROOKLYN' is …; …``: reasons by how many
    rows (or folded items) they hold, most first."""
    failures = check.validation.failures
    unit = "items" if _folded(check) else "rows"
    total = check.rows_read
    # One failure per row and check: a row failing two checks counts under both.
    reasons = (
        failures.groupby("reason", sort=False)[ROW]
        .nunique()
        .sort_values(ascending=False, kind="stable")
    )
    parts = [f"{n:,} of {total:,} {unit}: {reason}" for reason, n in reasons.head(shown).items()]
    more = len(reasons) - shown
    tail = f"; and {more:,} other reason{'s' if more > 1 else ''}" if more > 0 else ""
    return (
        "; ".join(parts)
        + tail
        + f" (no {unit[:-1]} passed its checks, so nothing was loaded: fix the file"
        + (" or its column mapping" if "column mapping" in (check.kind or "") else "")
        + " and load it again)"
    )


def _folded(check: FileCheck) -> bool:
    return any(" items, one per " in note for note in check.prepared.notes)


def _validate_group(members: list[FileCheck], source: str) -> None:
    """One Great Expectations run over the rows of every member that a
    check might fail (``PreparedRows.suspects``), each row tagged with its
    file; the failures are handed back to each file."""
    checks = members[0].prepared.checks
    needed = read_columns(checks)
    frames = [
        m.rows.suspects(checks, needed).assign(**{FILE: number}) for number, m in enumerate(members)
    ]
    combined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    combined[KEY] = range(len(combined))
    outcome = validate(combined, checks, source, index_column=KEY)
    located = combined.set_index(KEY)[[FILE, ROW]]
    failures = outcome.failures.join(located, on=KEY)
    for number, member in enumerate(members):
        mine = failures[failures[FILE] == number].drop(columns=[KEY, FILE])
        member.validation = ValidationOutcome(
            mine.reset_index(drop=True), _results_of_file(outcome.results, mine)
        )


def _results_of_file(
    results: list[ExpectationResult], failures: pd.DataFrame
) -> list[ExpectationResult]:
    """A group's per-expectation results, narrowed to one file's failures."""
    narrowed = []
    for result in results:
        mine = failures[
            (failures["expectation"] == result.expectation)
            & (failures["column_name"] == result.column)
        ]
        examples = tuple(dict.fromkeys(mine["reason"].head(3)))
        narrowed.append(
            ExpectationResult(result.expectation, result.column, mine.empty, len(mine), examples)
        )
    return narrowed


def unpack_archives(files: list[Path], folder: Path) -> tuple[list[Path], list[FileResult]]:
    """Replace zip archives by their CSV/XLSX members (extracted into ``folder``)."""
    unpacked: list[Path] = []
    rejected: list[FileResult] = []
    for path in files:
        if not is_zip(path):
            unpacked.append(path)
            continue
        try:
            unpacked += extract_exports(path, folder)
        except FileRejected as error:
            rejected.append(FileResult(path.name, "zip archive", "rejected", message=str(error)))
    return unpacked, rejected


def load_paths(
    paths: Iterable[Path],
    *,
    warehouse: Path | None = None,
    progress: Progress | None = None,
    loaded_by: str | None = None,
    wait_seconds: float = 600,
    context: LoadContext | None = None,
    context_for: Callable[[Path], LoadContext | None] | None = None,
) -> LoadReport:
    """Load files, folders of files and zip archives of files, atomically.

    ``context_for`` may give some files a context of their own (the demo
    names the Instagram account of its Insights folder, as staff would with
    ``--account``)."""
    started = time.monotonic()
    warehouse = warehouse or warehouse_path()
    context = context or make_context()
    progress = progress or (lambda fraction, message: None)
    with tempfile.TemporaryDirectory(prefix="kp-load-") as folder:
        files, rejected = unpack_archives(expand_paths(paths), Path(folder))
        checks = inspect_files(
            files, context, progress=lambda f, m: progress(0.6 * f, m), context_for=context_for
        )
        try:
            report = _load_checked(
                checks, rejected, warehouse, context, loaded_by, wait_seconds, progress
            )
        finally:
            for check in checks:
                check.close()
    report.warnings = mapping_problems()
    report.seconds = time.monotonic() - started
    return report


def _load_checked(
    checks: list[FileCheck],
    rejected: list[FileResult],
    warehouse: Path,
    context: LoadContext,
    loaded_by: str | None,
    wait_seconds: float,
    progress: Progress,
) -> LoadReport:
    settings = context.settings
    report = LoadReport(
        files=rejected
        + [
            FileResult(c.path.name, c.kind, "rejected", message=c.error.one_line())
            for c in checks
            if c.error
        ]
    )
    good = [c for c in checks if c.error is None]
    if good:
        progress(0.6, "writing a new version of the warehouse")
        report.files += _write_all(good, warehouse, settings, loaded_by, wait_seconds, progress)
        report.swapped = any(f.outcome == "loaded" for f in report.files)
    progress(1.0, "done")
    return report


class _NothingNew(Exception):
    """Every file was loaded before: abandon the copy, keep the live file."""


def _write_all(
    checks: list[FileCheck],
    warehouse: Path,
    settings: Settings,
    loaded_by: str | None,
    wait_seconds: float,
    progress: Progress,
) -> list[FileResult]:
    loaded_by = loaded_by or getpass.getuser()
    with exclusive_lock(
        warehouse, wait_seconds=wait_seconds, on_wait=lambda message: progress(0.6, message)
    ):
        # Every file loaded before: nothing to copy (a large warehouse's copy
        # is seconds). Asked under the writer's lock, so no load or rollback
        # can change the answer before it is acted on.
        if _all_loaded_before(warehouse, checks):
            results = [_already_loaded(check) for check in checks]
            for check in checks:
                check.close()
            return results
        return _write_new_version(checks, warehouse, settings, loaded_by, progress)


def _all_loaded_before(live: Path, checks: list[FileCheck]) -> bool:
    """Whether the live warehouse holds a load of every file (same sha256,
    same recipe). An older schema, or no warehouse: the copy decides."""
    if not live.exists():
        return False
    try:
        with reading(live) as con:
            return all(
                con.execute(ALREADY_LOADED_SQL, [c.sha256, c.recipe]).fetchall() for c in checks
            )
    except duckdb.Error:
        return False


def _already_loaded(check: FileCheck) -> FileResult:
    return FileResult(check.path.name, check.kind, "already loaded", check.rows_read)


def _write_new_version(
    checks: list[FileCheck],
    warehouse: Path,
    settings: Settings,
    loaded_by: str,
    progress: Progress,
) -> list[FileResult]:
    results: list[FileResult] = []
    changes = Changes()  # what the files write to raw: the models to rebuild
    try:
        with new_version(warehouse, settings, changes=changes, lock_held=True) as con:
            for index, check in enumerate(checks):
                progress(0.6 + 0.3 * index / len(checks), f"loading {check.path.name}")
                results.append(_write_file(con, check, loaded_by, changes))
                # Its rows are in the new warehouse now: the file's DuckDB
                # (a large register's prepared rows) goes before the marts build.
                check.close()
            if not any(r.outcome == "loaded" for r in results):
                raise _NothingNew
            progress(0.9, "rebuilding marts")
    except _NothingNew:
        pass
    return results


# A load of the same file (sha256) under the same recipe: nothing to do.
ALREADY_LOADED_SQL = """
    select load_id from meta.loads
    where sha256 = ? and outcome = 'loaded' and recipe is not distinct from ?
    limit 1
"""
LOAD_COLUMNS = (
    "load_id, load_seq, file_name, sha256, kind, source, loaded_by, started_at, finished_at, "
    "rows_read, rows_inserted, rows_updated, rows_unchanged, rows_quarantined, covers_from, "
    "covers_to, outcome, message, recipe"
)


def _write_file(
    con: duckdb.DuckDBPyConnection, check: FileCheck, loaded_by: str, changes: Changes
) -> FileResult:
    prepared = check.prepared
    already = con.execute(ALREADY_LOADED_SQL, [check.sha256, check.recipe]).fetchall()
    if already:
        return _already_loaded(check)
    loaded_at = datetime.now(UTC)
    load_seq = con.execute("select coalesce(max(load_seq), 0) + 1 from meta.loads").fetchall()[0][0]
    load_id = f"{loaded_at:%Y%m%dT%H%M%S}-{check.sha256[:8]}-{load_seq}"
    con.execute("begin")
    earlier, replaced = _replace_earlier_readings(con, check, load_id)
    if earlier:  # rows leave raw: which items they held is not kept, so all
        changes.rebuild_everything()
    counts = _upsert(con, check, prepared, load_id, load_seq, loaded_at)
    changes.append(prepared.raw_table, load_id)
    # After the upsert: the earlier reading's rows were the versions this
    # file's rows were compared with (updated, unchanged).
    for old_id in earlier:
        for table in RAW_TABLES:
            con.execute(f"delete from {table} where _load_id = ?", [old_id])
    _quarantine(con, check, load_id, loaded_at)
    _record_validation(con, check, load_id)
    covers_from, covers_to = check.covers
    con.execute(
        f"insert into meta.loads ({LOAD_COLUMNS}) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            load_seq,
            check.path.name,
            check.sha256,
            check.kind,
            prepared.source,
            loaded_by,
            check.started_at or loaded_at,
            datetime.now(UTC),
            check.rows_read,
            counts["insert"],
            counts["update"],
            counts["same"],
            check.quarantined,
            covers_from,
            covers_to,
            "loaded",
            "; ".join([*replaced, *prepared.notes]) or None,
            check.recipe,
        ],
    )
    con.execute("commit")
    return FileResult(
        check.path.name,
        check.kind,
        "loaded",
        check.rows_read,
        counts["insert"],
        counts["update"],
        counts["same"],
        check.quarantined,
        notes=[*replaced, *prepared.notes],
    )


def _replace_earlier_readings(
    con: duckdb.DuckDBPyConnection, check: FileCheck, load_id: str
) -> tuple[list[str], list[str]]:
    """Retire the earlier loads of this very file (same sha256, read under
    another recipe): marked ``replaced``, their quarantine cleared by this
    load, the quarantine they had cleared open again (unless this load
    clears it too). Their rows are deleted by the caller once this file's
    rows are in. Returns (their load ids, notes saying so)."""
    earlier = con.execute(
        "select load_id, rows_quarantined from meta.loads "
        "where sha256 = ? and outcome = 'loaded' order by load_seq",
        [check.sha256],
    ).fetchall()
    notes = []
    for old_id, quarantined in earlier:
        con.execute(
            "update meta.quarantine set cleared_by_load_id = null where cleared_by_load_id = ?",
            [old_id],
        )
        con.execute(
            "update meta.quarantine set cleared_by_load_id = ? "
            "where load_id = ? and cleared_by_load_id is null",
            [load_id, old_id],
        )
        con.execute(
            "update meta.loads set outcome = 'replaced', message = ? where load_id = ?",
            [
                f"replaced by {load_id}: the file was read again with a changed mapping or settings",
                old_id,
            ],
        )
        notes.append(
            f"replaces load {old_id} of the same file, read before with another mapping or "
            f"settings: its rows are taken out and its {quarantined or 0:,} quarantined rows "
            "cleared"
        )
    return [old_id for old_id, _ in earlier], notes


LINEAGE = (
    "_row_hash",
    "_source_file",
    "_source_sha256",
    "_source_row",
    "_load_id",
    "_load_seq",
    "_loaded_at",
)


def _incoming_sql(columns: list[str]) -> str:
    """Rows of ``incoming_frame`` with their source, content hash and lineage."""
    hashed = ", ".join(f"coalesce(cast({c} as varchar), '\x00')" for c in columns)
    return f"""
        select $source as source, {", ".join(columns)},
               md5(concat_ws('\x1f', {hashed})) as _row_hash,
               $file as _source_file, $sha as _source_sha256, {ROW} as _source_row,
               $load_id as _load_id, $load_seq as _load_seq, $loaded_at as _loaded_at
        from incoming_frame
    """


def _classified_sql(table: str, keys: tuple[str, ...]) -> str:
    """Each row of ``incoming`` as insert (new key), update (changed) or same,
    against the latest version of its key in loads other than ``$load_id``."""
    key_list = ", ".join(keys)
    return f"""
        with current as (
            select {key_list}, _row_hash from (
                select {key_list}, _row_hash, row_number() over (
                    partition by {key_list} order by _load_seq desc, _source_row desc
                ) as version_rank
                from {table}
                -- Only the versions of keys the file carries: the cost
                -- follows the file, not the warehouse.
                where source = $source
                  and _load_id <> $load_id
                  and ({key_list}) in (select {key_list} from incoming)
            ) where version_rank = 1
        )
        select i.*,
               case when c._row_hash is null then 'insert'
                    when c._row_hash <> i._row_hash then 'update'
                    else 'same' end as action
        from incoming i left join current c using ({key_list})
    """


def _bindings(check: FileCheck, load_id: str, load_seq: int, loaded_at: datetime) -> dict:
    return {
        "source": check.prepared.source,
        "file": check.path.name,
        "sha": check.sha256,
        "load_id": load_id,
        "load_seq": load_seq,
        "loaded_at": loaded_at,
    }


def _counts(rows: list[tuple[str, int]]) -> dict[str, int]:
    counts = {"insert": 0, "update": 0, "same": 0}
    counts.update(dict(rows))
    return counts


def _upsert(
    con: duckdb.DuckDBPyConnection,
    check: FileCheck,
    prepared: Prepared,
    load_id: str,
    load_seq: int,
    loaded_at: datetime,
) -> dict[str, int]:
    """Insert every valid row of the file and count new, changed and unchanged ones.

    Unchanged rows are stored too (they cost little): each load then holds
    all of its rows, so rolling a load back never takes away a record that
    a later file also carried.
    """
    columns = prepared.columns
    bindings = _bindings(check, load_id, load_seq, loaded_at)
    names = ", ".join(["source", *columns, *LINEAGE])
    # Straight from the file's rows into raw (no copy in between); the
    # classification then compares them with the earlier loads' versions.
    con.register("incoming_frame", check.rows.incoming([ROW, *columns], check.failing_rows))
    try:
        con.execute(
            f"insert into {prepared.raw_table} ({names}) "
            f"select {names} from ({_incoming_sql(columns)})",
            bindings,
        )
    finally:
        con.unregister("incoming_frame")
    # This load's rows, as the classification and the quarantine read them.
    con.execute(
        "create or replace temp view incoming as "
        f"select * from {prepared.raw_table} "
        f"where _load_seq = {int(load_seq)} and _load_id = {quote_literal(load_id)}"
    )
    return _counts(
        con.execute(
            "with classified as ("
            + _classified_sql(prepared.raw_table, ("source", *prepared.keys))
            + ") select action, count(*) from classified group by 1",
            {"source": prepared.source, "load_id": load_id},
        ).fetchall()
    )


def plan_counts(con: duckdb.DuckDBPyConnection, check: FileCheck) -> dict[str, int]:
    """What loading ``check`` would do, on a read-only connection to the live warehouse:
    rows to insert, update, leave unchanged (``same``), and ``already_loaded``
    when this very file (same sha256) was loaded before."""
    prepared = check.prepared
    try:
        loaded = con.execute(ALREADY_LOADED_SQL, [check.sha256, check.recipe]).fetchall()
    except duckdb.BinderException:  # a warehouse from before recipes: by sha256 alone
        loaded = con.execute(
            "select load_id from meta.loads where sha256 = ? and outcome = 'loaded'",
            [check.sha256],
        ).fetchall()
    if loaded:
        return {"insert": 0, "update": 0, "same": 0, "already_loaded": check.valid_count}
    con.register(
        "incoming_frame", check.rows.incoming([ROW, *prepared.columns], check.failing_rows)
    )
    try:
        sql = (
            f"with incoming as ({_incoming_sql(prepared.columns)}), classified as ("
            + _classified_sql(prepared.raw_table, ("source", *prepared.keys))
            + ") select action, count(*) from classified group by 1"
        )
        bindings = _bindings(check, "plan", 0, datetime.now(UTC))
        counts = _counts(con.execute(sql, bindings).fetchall())
    finally:
        con.unregister("incoming_frame")
    counts["already_loaded"] = 0
    return counts


def _record_text(value: object) -> str | None:
    """A record id as text, the same way SQL's cast(... as varchar) writes it."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return str(value.date()) if value == value.normalize() else str(value)
    return str(value)


def _record_validation(con: duckdb.DuckDBPyConnection, check: FileCheck, load_id: str) -> None:
    rows = [
        (load_id, r.expectation, r.column, r.success, r.unexpected_count, list(r.examples))
        for r in check.validation.results
    ]
    if rows:
        con.executemany("insert into meta.validation_results values (?, ?, ?, ?, ?, ?)", rows)


def _quarantine(
    con: duckdb.DuckDBPyConnection, check: FileCheck, load_id: str, loaded_at: datetime
) -> None:
    """Record failing rows; clear earlier quarantine of records this file now carries."""
    prepared = check.prepared
    con.execute(
        f"""
        update meta.quarantine set cleared_by_load_id = ?
        where cleared_by_load_id is null and source = ?
          and record_id in (select cast({prepared.record_id} as varchar) from incoming)
        """,
        [load_id, prepared.source],
    )
    failures = check.validation.failures
    if failures.empty:
        return
    ids = check.rows.record_ids(prepared.record_id, sorted(check.failing_rows))
    grouped = (
        failures.groupby(ROW, sort=True)
        .agg(
            expectation=("expectation", lambda s: ", ".join(dict.fromkeys(s))),
            column_name=("column_name", lambda s: ", ".join(dict.fromkeys(s))),
            reason=("reason", lambda s: "; ".join(dict.fromkeys(s))),
        )
        .reset_index()
    )
    # An id can be a CNIC or a phone number pasted into the id column.
    grouped["record_id"] = grouped[ROW].map(ids).map(_record_text).map(redact).astype(object)
    grouped = grouped.merge(check.original, on=ROW, how="left")
    con.register("failed", grouped)
    con.execute(
        """
        update meta.quarantine set cleared_by_load_id = ?
        where cleared_by_load_id is null and source = ?
          and record_id in (select record_id from failed)
        """,
        [load_id, prepared.source],
    )
    con.execute(
        f"""
        insert into meta.quarantine
        select ?, ?, ?, record_id, ?, ?, {ROW}, expectation, column_name, reason,
               cast(original as json), ?, null
        from failed
        """,
        [load_id, check.kind, prepared.source, check.path.name, check.sha256, loaded_at],
    )
    con.unregister("failed")
