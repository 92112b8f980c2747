"""Conformance: the real city 311 sample, read through its column mapping.

Skips when ../shared (the workplace's reference samples) is absent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.load import load_paths
from tests.etl_helpers import read_warehouse

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "city311_sample_100.csv"

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason=f"{SAMPLE} is absent")


def test_city311_sample_through_its_mapping(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    report = load_paths([SAMPLE], warehouse=warehouse)
    result = report.files[0]
    assert result.kind == "city311 (column mapping)"

    # Independent reading of the same file with plain pandas.
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    opened = pd.to_datetime(raw["open_dt"].str.strip(), format="%Y-%m-%d %H:%M:%S")
    closed = pd.to_datetime(raw["closed_dt"].str.strip(), format="%Y-%m-%d %H:%M:%S")
    closed_before_open = closed < opened
    expected_loaded = len(raw) - int(closed_before_open.sum())
    assert result.rows_read == len(raw) == 100
    assert result.inserted == expected_loaded
    assert result.quarantined == int(closed_before_open.sum())

    mart = read_warehouse(
        warehouse,
        "select count(*) as n, count(resolved_at) as resolved, "
        "median(resolution_minutes) as median_minutes from marts.inquiries "
        "where source = 'city311'",
    ).iloc[0]
    valid = ~closed_before_open
    minutes = ((closed - opened).dt.total_seconds() / 60)[valid & closed.notna()]
    assert mart["n"] == expected_loaded
    assert mart["resolved"] == len(minutes)
    # January in Boston has no DST change, so wall-clock differences are exact.
    assert mart["median_minutes"] == pytest.approx(minutes.median())
    channels = read_warehouse(
        warehouse, "select channel, count(*) as n from marts.inquiries group by 1 order by 1"
    )
    expected_channels = (
        raw.loc[valid, "source"]
        .map({"Constituent Call": "Helpline phone"})
        .fillna("Web portal")
        .value_counts()
        .sort_index()
    )
    assert channels.set_index("channel")["n"].to_dict() == expected_channels.to_dict()
