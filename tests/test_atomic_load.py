"""A killed ``python -m etl load`` leaves the old warehouse or the complete new one.

The whole command line runs in a fresh interpreter, reading and validating
a file of 3,000 rows for real, and is killed with SIGKILL at each point of
``tests/kill_points.py``: waiting for the lock, before the temporary copy,
half-way through the copy, with its rows written, with the marts rebuilt,
right before the swap and right after it. The load pauses at its point (a
hook writes a marker file and sleeps) and is killed there, so nothing
depends on the machine's speed.

After the kill the live warehouse is either byte-identical to the old one
or the complete new one (every row of both files, the load recorded in
``meta.loads``), never something in between: the swap is the commit. And
neither the lock nor a temporary file blocks the next load.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.load import load_paths, sha256_of
from etl.warehouse import exclusive_lock, temp_paths
from tests.etl_helpers import file_digest, read_warehouse, register_row, write_register
from tests.kill_points import KILL_POINTS, SWAPPED

ROOT = Path(__file__).resolve().parent.parent
WAIT = 120  # seconds any one wait may take before the test fails (never reached when well)
FIRST_ROWS, SECOND_ROWS = 50, 3000


def many_rows(prefix: str, count: int) -> list[dict[str, str]]:
    return [
        register_row(
            f"{prefix}-{i}",
            f"2025-0{1 + i % 9}-{1 + i % 27:02d} {8 + i % 12:02d}:{i % 60:02d}",
            first_response_at=f"2025-0{1 + i % 9}-{1 + i % 27:02d} {9 + i % 12:02d}:{i % 60:02d}",
            district=("Swat", "Kohat", "DI Khan", "Bajaur")[i % 4],
        )
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The two register files and a warehouse holding the first one."""
    folder = tmp_path_factory.mktemp("atomic")
    first = write_register(folder / "first.csv", many_rows("A", FIRST_ROWS))
    second = write_register(folder / "second.csv", many_rows("B", SECOND_ROWS))
    base = folder / "base.duckdb"
    report = load_paths([first], warehouse=base)
    assert report.swapped
    return {"first": first, "second": second, "base": base}


def live_state(live: Path, old_digest: str, second: Path) -> str:
    """Which version is live: "old" (byte-identical) or "new" (complete); fail if partial."""
    if file_digest(live) == old_digest:
        return "old"
    ids = read_warehouse(live, "select inquiry_id from marts.inquiries order by 1")
    expected = sorted(
        [f"A-{i}" for i in range(FIRST_ROWS)] + [f"B-{i}" for i in range(SECOND_ROWS)]
    )
    assert ids["inquiry_id"].tolist() == expected, "the live warehouse is partial"
    loads = read_warehouse(
        live, "select file_name, sha256, rows_read, finished_at from meta.loads order by load_seq"
    )
    assert loads["file_name"].tolist() == ["first.csv", "second.csv"]
    assert loads["sha256"].iloc[1] == sha256_of(second)
    assert loads["rows_read"].iloc[1] == SECOND_ROWS
    assert loads["finished_at"].notna().all()
    return "new"


def kill_at(point: str, live: Path, second: Path) -> None:
    """Run ``python -m etl load second`` on ``live``, SIGKILL it at ``point``."""
    marker, errors = live.parent / "paused", live.parent / "stderr.txt"
    command = [sys.executable, "-m", "tests.kill_points", point, str(live), str(marker), "--"]
    command += ["--warehouse", str(live), "-q", "load", "--wait", str(WAIT), str(second)]
    with errors.open("w") as stderr:
        loader = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + WAIT
        while not marker.exists() and loader.poll() is None:
            assert time.monotonic() < deadline, f"timed out waiting for {point}"
            time.sleep(0.02)
        assert loader.poll() is None, f"the load ended before {point}: {errors.read_text()}"
        assert marker.read_text() == str(loader.pid)
        loader.send_signal(signal.SIGKILL)
        loader.wait(timeout=WAIT)
    finally:
        if loader.poll() is None:
            loader.kill()
            loader.wait()
    assert loader.returncode == -signal.SIGKILL


@pytest.mark.parametrize("point", KILL_POINTS)
def test_killed_load_leaves_old_or_complete_new_warehouse(files, tmp_path, point):
    live = tmp_path / "warehouse.duckdb"
    shutil.copyfile(files["base"], live)
    before = file_digest(live)
    if point == "waiting for the lock":
        with exclusive_lock(live, wait_seconds=1):  # another load holds it
            kill_at(point, live, files["second"])
    else:
        kill_at(point, live, files["second"])

    expected = "new" if point in SWAPPED else "old"
    assert live_state(live, before, files["second"]) == expected
    if point in KILL_POINTS[2:-1]:  # killed while writing beside the live file
        assert temp_paths(live), f"{point}: expected the killed load's temporary file"

    # No stale lock or temporary file blocks the next load.
    report = load_paths([files["second"]], warehouse=live, wait_seconds=5)
    assert report.files[0].outcome == ("already loaded" if point in SWAPPED else "loaded")
    assert temp_paths(live) == []
    assert live_state(live, before, files["second"]) == "new"
