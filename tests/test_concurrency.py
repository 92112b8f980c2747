"""Loads and readers at the same time: one writer, whole snapshots, no stale locks.

- Readers (threads with their own short-lived read-only connection, and
  separate processes) query the marts in a loop while loads swap in new
  warehouses: no error, and every read sees one whole load (the row count
  of ``marts.inquiries`` is one of the counts after each load, known in
  advance, and agrees with ``meta.loads`` and a second count on the same
  connection).
- Two loads started at once are serialised: the one that finds the lock
  taken waits and says so, both complete, the final mart holds both files.
- A load killed with SIGKILL at any point (waiting for the lock, half-way
  through the copy, before ``os.replace``, ...) leaves the live warehouse
  exactly as it was, and neither its lock nor its temporary file blocks
  the next load. (``test_atomic_load.py`` kills the whole command line in
  a fresh interpreter at the same points.)

Child processes are forked from the test process, which has imported the
ETL already (a fresh interpreter spends seconds importing Great
Expectations). Each child pauses at its moment by a hook that writes a
marker file (``tests/kill_points.py``, shared with ``test_atomic_load.py``),
so the test kills it exactly there: nothing depends on timing.

What is under test here is the writing and the swap, not the reading and
validating of files: the reader and kill tests read and validate their
files once, for real (``inspect_files``), and their loads reuse that
inspection instead of redoing it (``reuse_inspection``); everything after
it (lock, copy, upsert, models, checks, swap) is the real ``load_paths``.
The two-loads test runs the command line whole, inspection included.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

import etl.load
from core.warehouse import reading
from etl.load import FileCheck, inspect_files, load_paths
from etl.prepared_rows import FrameRows
from etl.warehouse import exclusive_lock, temp_paths
from tests.etl_helpers import file_digest, read_warehouse, register_row, write_register
from tests.kill_points import KILL_POINTS, SWAPPED, install_pause

FORK = multiprocessing.get_context("fork")
# A whole command in a child of its own: started fresh, not forked from this
# process, whose earlier loads may have left DuckDB's and Arrow's thread
# pools in a state a forked child cannot use.
SPAWN = multiprocessing.get_context("spawn")
WAIT = 60  # seconds any one wait may take before the test fails (never reached when well)
BATCHES = (3, 4, 5, 6)  # rows per file, loaded in this order


def register_file(folder: Path, name: str, rows: int) -> Path:
    """A register of ``rows`` new items (ids unique to the file)."""
    return write_register(
        folder / f"{name}.csv",
        [
            register_row(f"{name}-{i}", f"2025-03-{1 + i % 28:02d} {8 + i % 9:02d}:15")
            for i in range(rows)
        ],
    )


def inspected(paths: list[Path]) -> dict[Path, FileCheck]:
    """Read, recognise and validate files once (the real reader and checks)."""
    checks = inspect_files(paths)
    assert all(check.error is None for check in checks)
    for check in checks:
        # Held as frames, not in the file's DuckDB: a forked child must not
        # use its parent's DuckDB connection (DuckDB is not fork-safe), and a
        # check handed back twice must not find its connection closed.
        frame = check.rows.frame()
        check.close()
        check.rows = FrameRows(frame)
    return {check.path: check for check in checks}


def reuse_inspection(checks: dict[Path, FileCheck]):
    """An ``inspect_files`` that hands back the inspections made before."""
    return lambda files, *args, **kwargs: [checks[Path(f)] for f in files]


def wait_for(condition, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


# --- readers while loads swap -------------------------------------------------


def read_once(warehouse: Path) -> tuple[int, int, int]:
    """(marts count, loads, marts count again) on one read-only connection."""
    with reading(warehouse) as con:
        first = con.execute("select count(*) from marts.inquiries").fetchall()[0][0]
        loads = con.execute("select count(*) from meta.loads").fetchall()[0][0]
        again = con.execute("select count(*) from marts.inquiries").fetchall()[0][0]
    return first, loads, again


def reader_loop(warehouse, states, seen, stop, report) -> None:
    """Read until ``stop``; flag each state seen; report what was read."""
    reads: Counter = Counter()
    errors: list[str] = []
    while not stop.is_set():
        try:
            observed = read_once(warehouse)
        except Exception as error:  # any error is a failure of the test
            errors.append(f"{type(error).__name__}: {error}")
            continue
        reads[observed] += 1
        if observed in states:
            seen[states.index(observed)] = 1
        time.sleep(0.02)  # each read opens a database: leave the loads some CPU
    report(dict(reads), errors)


def _process_reader(warehouse, states, seen, stop, queue) -> None:
    reader_loop(warehouse, states, seen, stop, lambda reads, errors: queue.put((reads, errors)))


def test_readers_always_see_one_whole_load(tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse.duckdb"
    files = [register_file(tmp_path, f"batch{n}", rows) for n, rows in enumerate(BATCHES)]
    monkeypatch.setattr(etl.load, "inspect_files", reuse_inspection(inspected(files)))
    # After load k: 3, 3+4=7, 7+5=12, 12+6=18 items, and k loads in meta.loads.
    states = [(3, 1, 3), (7, 2, 7), (12, 3, 12), (18, 4, 18)]
    load_paths([files[0]], warehouse=warehouse)
    assert read_once(warehouse) == states[0]

    stop = FORK.Event()
    queue = FORK.Queue()
    process_seen = [FORK.Array("i", len(states)) for _ in range(2)]
    thread_seen = [[0] * len(states) for _ in range(2)]
    thread_reports: list = []
    # Processes are forked before any reader thread runs: a fork copies no
    # thread, so no connection of the parent is copied half-open.
    processes = [
        FORK.Process(target=_process_reader, args=(warehouse, states, seen, stop, queue))
        for seen in process_seen
    ]
    for process in processes:
        process.start()
    threads = [
        threading.Thread(
            target=reader_loop,
            args=(warehouse, states, seen, stop, lambda r, e: thread_reports.append((r, e))),
        )
        for seen in thread_seen
    ]
    for thread in threads:
        thread.start()
    try:
        everyone = [*process_seen, *thread_seen]
        for index, path in enumerate(files):
            if index:
                load_paths([path], warehouse=warehouse)
            # Every reader sees this load before the next one starts.
            wait_for(lambda i=index: all(seen[i] for seen in everyone), f"readers of load {index}")
    finally:
        stop.set()
        for thread in threads:
            thread.join(WAIT)
        reports = [queue.get(timeout=WAIT) for _ in processes]
        for process in processes:
            process.join(WAIT)
            if process.is_alive():
                process.kill()
    reports += thread_reports
    assert len(reports) == len(processes) + len(threads)
    assert [errors for _, errors in reports] == [[]] * len(reports)
    observed = set().union(*(reads for reads, _ in reports))
    assert observed == set(states)  # every read was a whole load, and all were seen
    assert all(process.exitcode == 0 for process in processes)


# --- two loads at once ------------------------------------------------------------


def _hold_when_first(log: Path, go: Path) -> None:
    """Hook: the load that takes the lock says so, then waits for ``go``."""
    import etl.warehouse

    real = etl.warehouse.migrate

    def migrate(con):
        (log.parent / f"holder-{log.stem}").write_text(str(os.getpid()))
        deadline = time.monotonic() + WAIT
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        return real(con)

    etl.warehouse.migrate = migrate


def _cli_load(warehouse: Path, path: Path, log: Path, go: Path) -> None:
    """``python -m etl load`` in this (spawned) process, its output to ``log``."""
    from etl.__main__ import main

    _hold_when_first(log, go)
    with log.open("w") as out:
        sys.stdout = sys.stderr = out
        code = main(["--warehouse", str(warehouse), "load", str(path)])
        out.flush()
    os._exit(code)


def test_two_loads_at_once_are_serialised(tmp_path):
    warehouse = tmp_path / "live" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    first, second = register_file(tmp_path, "first", 4), register_file(tmp_path, "second", 5)
    go = tmp_path / "go"
    logs = {"first": tmp_path / "first.log", "second": tmp_path / "second.log"}
    children = {
        name: SPAWN.Process(target=_cli_load, args=(warehouse, path, logs[name], go))
        for name, path in (("first", first), ("second", second))
    }
    for child in children.values():
        child.start()
    try:
        # Whichever takes the lock first holds it (hook) until the other says it waits.
        wait_for(
            lambda: (
                list(tmp_path.glob("holder-*")) or not all(c.is_alive() for c in children.values())
            ),
            "a load to take the lock",
        )
        (holder_marker,) = tmp_path.glob("holder-*")
        holder = holder_marker.name.removeprefix("holder-")
        waiter = "second" if holder == "first" else "first"
        holder_pid = children[holder].pid
        wait_for(
            lambda: (
                "waiting for another load to finish" in logs[waiter].read_text()
                or not children[waiter].is_alive()
            ),
            "the second load to say it waits",
        )
        assert f"waiting for another load to finish (pid {holder_pid} since " in (
            logs[waiter].read_text()
        )
        assert not (tmp_path / f"holder-{waiter}").exists()  # it really waits
        go.touch()
        for child in children.values():
            child.join(WAIT)
    finally:
        for child in children.values():
            if child.is_alive():
                child.kill()
    assert [children[n].exitcode for n in ("first", "second")] == [0, 0]
    assert "waiting" not in logs[holder].read_text()
    mart = read_warehouse(warehouse, "select inquiry_id from marts.inquiries order by 1")
    # 4 rows of first.csv and 5 of second.csv: nothing lost to an interleaving.
    assert mart["inquiry_id"].tolist() == sorted(
        [f"first-{i}" for i in range(4)] + [f"second-{i}" for i in range(5)]
    )
    loads = read_warehouse(
        warehouse,
        "select l.file_name, l.load_seq, l.finished_at, min(r._loaded_at) as writing_from "
        "from meta.loads l join raw.inquiry_register r on r._load_id = l.load_id "
        "group by all order by l.load_seq",
    )
    assert loads["file_name"].tolist() == [f"{holder}.csv", f"{waiter}.csv"]
    assert loads["load_seq"].tolist() == [1, 2]
    # The waiter began writing only after the holder had finished writing.
    assert loads["writing_from"].iloc[1] >= loads["finished_at"].iloc[0]
    assert not temp_paths(warehouse)


# --- a load killed at any point ---------------------------------------------------


def _killable_load(point: str, live: Path, path: Path, marker: Path, log: Path, checks) -> None:
    etl.load.inspect_files = reuse_inspection(checks)
    install_pause(point, live, marker)

    def progress(fraction: float, message: str) -> None:
        with log.open("a") as out:
            out.write(message + "\n")

    load_paths([path], warehouse=live, progress=progress, wait_seconds=WAIT)
    os._exit(0)


def test_a_killed_load_leaves_the_warehouse_and_no_obstacle(tmp_path, monkeypatch):
    base = tmp_path / "base.duckdb"
    before, incoming = register_file(tmp_path, "before", 3), register_file(tmp_path, "incoming", 20)
    checks = inspected([before, incoming])
    monkeypatch.setattr(etl.load, "inspect_files", reuse_inspection(checks))
    load_paths([before], warehouse=base)
    cases = {}
    for number, point in enumerate(KILL_POINTS):
        live = tmp_path / f"point{number}" / "warehouse.duckdb"
        live.parent.mkdir()
        shutil.copyfile(base, live)
        cases[point] = {
            "live": live,
            "digest": file_digest(live),
            "marker": live.parent / "paused",
            "log": live.parent / "progress.log",
        }
    # The first point's lock is held here before its child exists.
    holding = exclusive_lock(cases[KILL_POINTS[0]]["live"], wait_seconds=1)
    holding.__enter__()
    children = {}
    try:
        for point, case in cases.items():
            child = FORK.Process(
                target=_killable_load,
                args=(point, case["live"], incoming, case["marker"], case["log"], checks),
            )
            child.start()
            children[point] = child
        for point, child in children.items():
            marker = cases[point]["marker"]
            wait_for(lambda m=marker, c=child: m.exists() or not c.is_alive(), point)
            assert child.is_alive(), f"{point}: the load ended before its kill point"
            os.kill(child.pid, signal.SIGKILL)
            child.join(WAIT)
            assert child.exitcode == -signal.SIGKILL
    finally:
        holding.__exit__(None, None, None)
        for child in children.values():
            if child.is_alive():
                child.kill()
    assert "waiting for another load to finish" in cases[KILL_POINTS[0]]["log"].read_text()

    for point, case in cases.items():
        live = case["live"]
        count = read_warehouse(live, "select count(*) as n from marts.inquiries")["n"][0]
        if point in SWAPPED:
            # The swap is the commit: the live file is the new version, whole.
            assert (file_digest(live) != case["digest"], count) == (True, 3 + 20)
        else:
            assert (file_digest(live) == case["digest"], count) == (True, 3), point
        if point in KILL_POINTS[2:-1]:
            assert temp_paths(live), f"{point}: expected the killed load's temporary file"
        # The same load again neither waits for a lock nor trips on the temporary file.
        report = load_paths([incoming], warehouse=live, wait_seconds=1)
        outcome = "already loaded" if point in SWAPPED else "loaded"
        assert report.files[0].outcome == outcome, point
        assert temp_paths(live) == [], point
        count = read_warehouse(live, "select count(*) as n from marts.inquiries")["n"][0]
        assert count == 3 + 20, point


@pytest.fixture(autouse=True)
def _no_stray_children():
    yield
    for child in multiprocessing.active_children():
        child.kill()
