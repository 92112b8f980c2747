"""The warehouse file: schema migrations, models, and the one-writer swap.

DuckDB allows one writing process or many reading ones, never both. So a
load never writes the live file: it takes the lock, copies the live file to
a temporary file beside it, writes there, checks it, and swaps it in with
``os.replace``. Readers that opened the old file keep their snapshot; new
connections see the new one. A failed or killed load leaves the live file
as it was; its temporary file is removed by the next load.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from core.config import Settings, load_settings
from core.errors import LoadBusy
from etl import business_time, memory, models
from etl.districts import default_reference

MIGRATIONS_DIR = Path(__file__).resolve().parent / "sql" / "migrations"


def connect_for_write(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    memory.bound(con, spill_to=path.with_name(path.name + ".spill"))
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'meta' and table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from meta.schema_version").fetchall()[0][0]


def migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        found.append((int(path.name.split("_", 1)[0]), path))
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration newer than the file's schema version; return the version."""
    current = schema_version(con)
    for version, path in migrations():
        if version <= current:
            continue
        con.execute("begin")
        con.execute(path.read_text(encoding="utf-8"))
        con.execute("create schema if not exists meta")
        con.execute(
            "create table if not exists meta.schema_version "
            "(version integer, applied_at timestamptz)"
        )
        con.execute("insert into meta.schema_version values (?, now())", [version])
        con.execute("commit")
        current = version
    return current


def install_reference(con: duckdb.DuckDBPyConnection, settings: Settings) -> str:
    """(Re)build the ``ref`` tables from data/reference and the settings;
    returns a hash of their content (the marts depend on it: ``etl.models``)."""
    reference = default_reference()
    con.execute("create schema if not exists ref")
    start, end = business_time.DEFAULT_RANGE
    calendar = business_time.calendar_frame(start, end, settings)
    digest = hashlib.sha256()
    for name, frame in (
        ("districts", reference.districts),
        ("district_aliases", reference.aliases),
        ("census", reference.census),
        ("resolution_targets", _resolution_targets(settings)),
        ("sla", _sla_table(settings)),
        ("business_calendar", calendar),
    ):
        digest.update(name.encode() + _frame_digest(frame))
        if name == "business_calendar":
            continue  # installed with its macros below
        con.register("frame", frame)
        con.execute(f"create or replace table ref.{name} as select * from frame")
        con.unregister("frame")
    business_time.install(con, calendar)
    return digest.hexdigest()


def _frame_digest(frame: pd.DataFrame) -> bytes:
    """Content hash of a small reference frame (columns, then every value)."""
    values = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    return hashlib.sha256(repr(list(frame.columns)).encode() + values).digest()


def _resolution_targets(settings: Settings) -> pd.DataFrame:
    per_day = int(settings.sla["working_day_business_minutes"])
    rows = []
    for category, days in settings.sla["resolution_working_days"].items():
        for priority in ("normal", "high", "urgent"):
            working_days = int(days)
            if category == "information_request" and priority == "urgent":
                working_days = int(settings.sla["rti_urgent_working_days"])
            rows.append((category, priority, working_days, working_days * per_day))
    return pd.DataFrame(rows, columns=["category", "priority", "working_days", "business_minutes"])


def _sla_table(settings: Settings) -> pd.DataFrame:
    names = (
        "first_response_business_minutes",
        "referral_business_minutes",
        "field_ack_hours",
        "field_report_days",
        "working_day_business_minutes",
    )
    return pd.DataFrame({"name": names, "value": [float(settings.sla[n]) for n in names]})


def check_invariants(
    con: duckdb.DuckDBPyConnection, built: models.Built | None = None
) -> list[str]:
    """SQL-level contracts of the marts; a non-empty list stops the swap.

    After a build that rebuilt only some items (``built.item_keys``), only
    those are checked for duplicates: the others were checked when they
    were written, and counting every item of a 10M warehouse again costs
    most of a small load."""
    problems = []
    scope = ""
    if built is not None and built.item_keys is not None:
        scope = f" where (source, inquiry_id) in (select source, inquiry_id from {built.item_keys})"
    duplicated = con.execute(
        "select count(*) from (select source, inquiry_id from marts.inquiries"
        f"{scope} group by all having count(*) > 1)"
    ).fetchall()[0][0]
    if duplicated:
        problems.append(f"{duplicated} inquiries appear twice in marts.inquiries")
    posts = con.execute(
        "select count(*) from (select platform, account, post_id from marts.social_posts "
        "group by all having count(*) > 1)"
    ).fetchall()[0][0]
    if posts:
        problems.append(f"{posts} posts appear twice in marts.social_posts")
    return problems


def lock_path(live: Path) -> Path:
    return live.with_name(live.name + ".lock")


def temp_paths(live: Path) -> list[Path]:
    return sorted(live.parent.glob(live.name + ".tmp-*"))


@contextmanager
def exclusive_lock(
    live: Path, *, wait_seconds: float = 600, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the writer's lock. The kernel drops it when the process dies,
    so a killed load never leaves a stale lock behind."""
    live.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_path(live).open("a+")
    deadline = time.monotonic() + wait_seconds
    told = False
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = lock_path(live).read_text().strip()
                if time.monotonic() >= deadline:
                    raise LoadBusy(
                        f"another load is running ({holder or 'another process'}); "
                        "try again when it has finished"
                    ) from None
                # The holder writes who it is right after taking the lock: the
                # wait is said once that is readable, never with a blank name.
                if on_wait and not told and holder:
                    on_wait(f"waiting for another load to finish ({holder})")
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}")
        handle.flush()
        yield
    finally:
        handle.close()


@contextmanager
def new_version(
    live: Path,
    settings: Settings | None = None,
    *,
    wait_seconds: float = 600,
    on_wait: Callable[[str], None] | None = None,
    changes: models.Changes | None = None,
    lock_held: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the live warehouse, swapped in when the block succeeds.

    Raise inside the block to abandon the copy; the live file is untouched.
    ``changes``, filled in by the block, says what it wrote to raw, so that
    only the models it touched are rebuilt (``etl.models``); without it
    every model is rebuilt. ``lock_held``: the caller already holds
    ``exclusive_lock`` (to look at the live file before it is copied).
    """
    settings = settings or load_settings()
    held = (
        contextlib.nullcontext()
        if lock_held
        else exclusive_lock(live, wait_seconds=wait_seconds, on_wait=on_wait)
    )
    with held:
        for stale in temp_paths(live):
            stale.unlink(missing_ok=True)
        temp = live.with_name(f"{live.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        if live.exists():
            shutil.copyfile(live, temp)
        con = connect_for_write(temp)
        try:
            version = migrate(con)
            reference = install_reference(con, settings)
            yield con
            built = models.build(con, changes, models.fingerprint(reference, version))
            problems = check_invariants(con, built)
            if problems:
                raise RuntimeError("the new warehouse failed its checks: " + "; ".join(problems))
            con.execute("checkpoint")
            con.close()
            _fsync(temp)
            os.replace(temp, live)
            _fsync(live.parent)
        except BaseException:
            con.close()
            temp.unlink(missing_ok=True)
            Path(str(temp) + ".wal").unlink(missing_ok=True)
            raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def today_karachi() -> date:
    return pd.Timestamp.now(tz="Asia/Karachi").date()
