"""How the benchmarks measure: whole commands in child processes.

``run_command`` starts a command, timestamps each line it writes to stderr
(the ETL's progress lines: its phases) and waits for it with ``os.wait4``,
which gives that one child's resource usage: its peak resident set
(``ru_maxrss``) is the load's peak memory, without polling.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from core.config import PROJECT_ROOT


@dataclass
class CommandRun:
    """One finished command: wall time, peak RSS, its output and stderr lines."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    lines: list[tuple[float, str]] = field(default_factory=list)  # (seconds in, line)

    def phases(self) -> list[tuple[str, float]]:
        """(phase, seconds) from the ETL's ``[ 60%] writing …`` lines: each
        progress line starts a phase that lasts until the next one."""
        marks = [(0.0, "start: Python and imports")]
        marks += [(at, text.split("] ", 1)[-1]) for at, text in self.lines if text.startswith("[")]
        names = [_phase_name(message) for _, message in marks]
        ends = [at for at, _ in marks[1:]] + [self.seconds]
        merged: list[tuple[str, float]] = []
        for name, (at, _), end in zip(names, marks, ends, strict=True):
            if merged and merged[-1][0] == name:
                merged[-1] = (name, merged[-1][1] + end - at)
            else:
                merged.append((name, end - at))
        return merged


def _phase_name(message: str) -> str:
    """A progress line as a phase: ``done`` is the report and the process exit."""
    if message == "done":
        return "done: report, exit"
    words = message.split()
    return " ".join(words[:3] if words[0] == "validating" else words[:1])


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "GX_ANALYTICS_ENABLED": "false", **extra}


# The peak memory of a command is taken by a small launcher process that
# starts it and reads its ``ru_maxrss``: a process started straight from this
# one (vfork, then exec) inherits this process's high-water mark, which
# after generating and reading gigabytes of CSV here would hide the
# command's own peak (every 10M load read "4,042 MB" so).
MAXRSS_MARK = "KP_BENCH_MAXRSS_KB"
LAUNCHER = f"""
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_pid, status, usage = os.wait4(child.pid, 0)
sys.stderr.write("{MAXRSS_MARK} " + str(usage.ru_maxrss) + "\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_command(command: list[str], env: dict[str, str] | None = None) -> CommandRun:
    """Run ``command`` from the project root; time it and take its peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, *command],
        cwd=PROJECT_ROOT,
        env=env or environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[tuple[float, str]] = []
    out: list[str] = []

    def follow_stderr() -> None:
        for line in proc.stderr:
            lines.append((time.perf_counter() - started, line.rstrip()))

    def follow_stdout() -> None:
        out.append(proc.stdout.read())

    readers = [threading.Thread(target=follow_stderr), threading.Thread(target=follow_stdout)]
    for reader in readers:
        reader.start()
    status = proc.wait()
    seconds = time.perf_counter() - started
    for reader in readers:
        reader.join()
    peaks = [text for _, text in lines if text.startswith(MAXRSS_MARK)]
    lines = [(at, text) for at, text in lines if not text.startswith(MAXRSS_MARK)]
    peak_kb = int(peaks[-1].split()[1]) if peaks else 0
    return CommandRun(seconds, peak_kb / 1024, status, "".join(out), lines)


def etl_load(paths: list[Path], warehouse: Path) -> CommandRun:
    """``python -m etl --warehouse W load PATHS`` as staff run it."""
    command = [sys.executable, "-m", "etl", "--warehouse", str(warehouse), "load"]
    run = run_command([*command, *map(str, paths)])
    if run.returncode != 0:
        tail = "\n".join(text for _, text in run.lines[-15:])
        raise RuntimeError(f"load failed ({run.returncode}):\n{run.stdout}\n{tail}")
    return run


def load_floor(paths: list[Path], warehouse: Path) -> CommandRun:
    """``python -m benchmarks.load_floor W PATHS`` into a new warehouse: the
    writes a load requires, without any check (``benchmarks/load_floor.py``)."""
    for stale in (warehouse, Path(f"{warehouse}.wal")):
        stale.unlink(missing_ok=True)
    command = [sys.executable, "-m", "benchmarks.load_floor", str(warehouse)]
    run = run_command([*command, *map(str, paths)])
    if run.returncode != 0:
        tail = "\n".join(text for _, text in run.lines[-15:])
        raise RuntimeError(f"floor load failed ({run.returncode}):\n{tail}")
    return run


def duckdb_read_csv(paths: list[Path]) -> float:
    """Seconds for DuckDB's own ``read_csv`` of ``paths`` into a table, in memory."""
    started = time.perf_counter()
    con = duckdb.connect()
    try:
        con.execute(
            "create table t as select * from read_csv(?, all_varchar = true)",
            [[str(p) for p in paths]],
        )
    finally:
        con.close()
    return time.perf_counter() - started
