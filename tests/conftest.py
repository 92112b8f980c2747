"""Shared fixtures: a real demo warehouse built once per test session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory):
    """A warehouse built by the real ETL from the demo exports (smaller volume).

    Up to yesterday, so period presets relative to today have data.
    """
    from etl.demo.build import build_demo_warehouse

    folder = tmp_path_factory.mktemp("demo")
    warehouse = folder / "warehouse.duckdb"
    report = build_demo_warehouse(
        warehouse, out_dir=folder / "exports", months=19, daily_volume=40.0
    )
    assert report.swapped and not report.rejected, [f.line() for f in report.files]
    return warehouse
