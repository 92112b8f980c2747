"""A load killed half-way leaves the live warehouse exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from etl.load import load_paths
from tests.etl_helpers import file_digest, read_warehouse, register_row, write_register

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


@pytest.mark.parametrize("delay", [0.0, 0.15, 0.4])
def test_killed_load_leaves_warehouse_unchanged(tmp_path, delay):
    warehouse = tmp_path / "warehouse.duckdb"
    load_paths([write_register(tmp_path / "first.csv", many_rows("A", 50))], warehouse=warehouse)
    before = file_digest(warehouse)
    second = write_register(tmp_path / "second.csv", many_rows("B", 3000))
    loader = subprocess.Popen(
        [sys.executable, "-m", "etl", "--warehouse", str(warehouse), "-q", "load", str(second)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        # Wait until the loader is writing its new version beside the live file.
        while not list(tmp_path.glob("warehouse.duckdb.tmp-*")):
            assert loader.poll() is None, "the load finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(delay)
        loader.send_signal(signal.SIGKILL)
        loader.wait(timeout=30)
    finally:
        if loader.poll() is None:
            loader.kill()
    assert loader.returncode == -signal.SIGKILL
    assert file_digest(warehouse) == before
    # No stale lock or temporary file blocks the next load.
    report = load_paths([second], warehouse=warehouse, wait_seconds=5)
    assert report.files[0].outcome == "loaded"
    assert not list(tmp_path.glob("warehouse.duckdb.tmp-*"))
    counts = read_warehouse(warehouse, "select count(*) as n from marts.inquiries")
    assert counts["n"].iloc[0] == 3050
