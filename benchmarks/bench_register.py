"""Benchmark: load 1,000,000 register rows and time the page's metric queries.

Not a test: run it by hand (``.venv/bin/python -m benchmarks.bench_register``)
and copy its report into docs/benchmarks.md. It measures
- the ETL's load time for one 1M-row register CSV, as a ratio to DuckDB's own
  ``read_csv`` of the same file in the same run (target: at most 3x);
- the time of every query the response-times page makes at 1M rows
  (target: under 1 s in all, cold, without Streamlit's cache);
- peak memory (resident set) of the load.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from core import vocab
from etl.load import load_paths
from etl.sources.inquiries import REGISTER_COLUMNS

DISTRICTS = pd.read_csv(Path(__file__).resolve().parents[1] / "data/reference/kp_districts.csv")


def write_register(path: Path, rows: int, seed: int = 7) -> None:
    """A valid register of ``rows`` items over 18 months, vectorised."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-01 00:00")
    received = start + pd.to_timedelta(rng.integers(0, 540 * 24 * 60, rows), unit="min")
    first = received + pd.to_timedelta(rng.lognormal(3.0, 1.2, rows).astype(int) + 1, unit="min")
    referred = received + pd.to_timedelta(rng.lognormal(4.0, 1.0, rows).astype(int) + 1, unit="min")
    resolved = first + pd.to_timedelta(rng.lognormal(7.0, 1.0, rows).astype(int), unit="min")
    is_referred = rng.random(rows) < 0.45
    is_resolved = rng.random(rows) < 0.9
    fmt = "%Y-%m-%d %H:%M"
    frame = pd.DataFrame({c: "" for c in REGISTER_COLUMNS}, index=range(rows))
    frame["inquiry_id"] = "B-" + pd.Series(np.arange(rows)).astype(str)
    frame["received_at"] = received.strftime(fmt)
    frame["channel"] = rng.choice(vocab.CHANNELS, rows)
    frame["category"] = rng.choice(vocab.CATEGORIES, rows)
    frame["district"] = rng.choice(DISTRICTS["district"].to_numpy(), rows)
    frame["requester_gender"] = rng.choice(vocab.GENDERS, rows, p=[0.15, 0.7, 0.002, 0.148])
    frame["language"] = rng.choice(["Urdu", "Pashto", "English"], rows)
    frame["summary"] = "benchmark item"
    frame["requester_name"] = "Name " + frame["inquiry_id"]
    frame["requester_phone"] = "0300-0000000"
    frame["priority"] = "normal"
    frame["first_response_at"] = first.strftime(fmt)
    frame["referred_at"] = np.where(is_referred, referred.strftime(fmt), "")
    frame["field_ack_at"] = np.where(
        is_referred, (referred + pd.Timedelta(hours=5)).strftime(fmt), ""
    )
    frame["resolved_at"] = np.where(is_resolved, resolved.strftime(fmt), "")
    frame["status"] = np.where(is_resolved, "resolved", "open")
    frame.to_csv(path, index=False)


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def page_queries(warehouse: Path) -> list[tuple[str, float]]:
    """Every metric the response-times page asks for, timed cold."""
    from core.warehouse import reading
    from metrics import kpis
    from metrics import responsiveness as r
    from metrics.filters import Filters

    filters = Filters(start=date(2026, 1, 1), end=date(2026, 3, 31))
    calls = [
        ("kpi_summary (13 KPIs, 2 periods)", lambda c: kpis.kpi_summary(c, filters)),
        ("weekly_trend", lambda c: r.weekly_trend(c, filters)),
        ("first_response_histogram", lambda c: r.first_response_histogram(c, filters)),
        ("sla_league by district", lambda c: r.sla_league(c, filters, by="district")),
        ("sla_league by channel", lambda c: r.sla_league(c, filters, by="channel")),
        ("overdue_aging", lambda c: r.overdue_aging(c, filters)),
        ("overdue_items", lambda c: r.overdue_items(c, filters, limit=1000)),
        ("district_items", lambda c: r.district_items(c, filters, "Peshawar")),
    ]
    timings = []
    for name, call in calls:
        with reading(warehouse) as con:
            seconds, _ = timed(lambda call=call, con=con: call(con))
        timings.append((name, seconds))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        csv = folder / "register_benchmark.csv"
        seconds, _ = timed(lambda: write_register(csv, args.rows))
        print(
            f"generated {args.rows:,} rows ({csv.stat().st_size / 2**20:.0f} MB) in {seconds:.1f} s"
        )

        def duckdb_read() -> None:
            con = duckdb.connect()
            con.execute(
                "create table t as select * from read_csv(?, all_varchar = true)", [str(csv)]
            )
            con.close()

        baseline, _ = timed(duckdb_read)
        warehouse = folder / "warehouse.duckdb"
        phases: list[tuple[str, float]] = []
        started = time.perf_counter()

        def phase(fraction: float, message: str) -> None:
            name = message.split(" ", 1)[0]
            if not phases or phases[-1][0] != name:
                phases.append((name, time.perf_counter() - started))

        load_seconds, report = timed(lambda: load_paths([csv], warehouse=warehouse, progress=phase))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(report.files[0].line())
        print(f"DuckDB read_csv of the same file: {baseline:.2f} s")
        print(f"ETL load (validate, write, rebuild marts): {load_seconds:.2f} s")
        print(f"ratio: {load_seconds / baseline:.1f}x (target <= 3x)")
        print(f"peak resident memory: {peak_mb:,.0f} MB")
        print("load phases (start time since the load began):")
        for name, at in phases:
            print(f"  {at:7.2f} s  {name}")
        timings = page_queries(warehouse)
        for name, seconds in timings:
            print(f"  {name:<36} {seconds * 1000:7.0f} ms")
        total = sum(s for _, s in timings)
        print(f"page queries in all: {total:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
