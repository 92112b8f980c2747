"""The load benchmark's floor (``benchmarks/load_floor.py``) does the loader's
required work, not less: on a valid register it builds the same marts as
``python -m etl load`` (so "the floor ÷ read_csv" in ``docs/benchmarks.md`` is
the cost of real writes, not of a shortcut)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from benchmarks import load_floor
from benchmarks.data import write_register
from etl.load import load_paths

COMPARED = (
    "inquiry_id, source, received_at, channel, category, district, region, "
    "requester_gender, priority, status, first_response_at, resolved_at, "
    "first_response_business_minutes, referral_business_minutes, "
    "resolution_minutes, resolution_business_minutes, first_response_due_at, "
    "resolution_due_at, field_ack_due_at, field_report_due_at"
)


def marts_rows(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select {COMPARED} from marts.inquiries order by inquiry_id").fetchall()


def test_the_floor_builds_the_marts_the_loader_builds(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    write_register(register, 300, seed=11, prefix="F-")

    loaded = tmp_path / "loaded.duckdb"
    report = load_paths([register], warehouse=loaded)
    assert report.swapped and not report.rejected
    floor = tmp_path / "floor.duckdb"
    load_floor.load(floor, [register])

    expected, got = marts_rows(loaded), marts_rows(floor)
    assert len(expected) == 300
    assert got == expected
