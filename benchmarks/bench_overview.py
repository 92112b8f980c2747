"""Benchmark: the Overview page's queries (the IG's scorecard), timed.

Not a test: run it by hand and copy its report into docs/benchmarks.md.

    .venv/bin/python -m benchmarks.bench_overview                 # demo warehouse
    .venv/bin/python -m benchmarks.bench_overview --rows 1000000  # benchmark register
    .venv/bin/python -m benchmarks.bench_overview --warehouse PATH

It builds a warehouse in a temporary folder (the demo, as ``python -m etl
demo`` builds it, or ``--rows`` register items from
``benchmarks.data``), then times, for a month, a fiscal quarter,
a fiscal year and the fiscal year to date, the one query the page makes,
on a short-lived read-only connection without Streamlit's cache
(``score_cells.overview_cells``: the period, the previous one and the same
period last year in every grouping, and the 12-month trend; its two parts
alone beside it), and the judging of its rows against the targets file
(Python, no query). It reports the first (cold) run and the median and best
of ``--repeat`` runs (the queries' runs interleaved, so a burst of load
elsewhere does not fall on one of them only), and DuckDB's own CPU time for
each query (its profiler; on a busy machine the wall-clock time says more
about the other jobs). Target: the page's queries under 1 s at 1,000,000 items.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from metrics.filters import Filters, preset_period


def build_demo(folder: Path) -> Path:
    from etl.demo.build import build_demo_warehouse

    warehouse = folder / "warehouse.duckdb"
    build_demo_warehouse(warehouse, out_dir=folder / "exports")
    return warehouse


def build_register(folder: Path, rows: int) -> Path:
    from benchmarks.data import write_register
    from etl.load import load_paths

    csv = folder / "register_benchmark.csv"
    write_register(csv, rows)
    warehouse = folder / "warehouse.duckdb"
    load_paths([csv], warehouse=warehouse)
    csv.unlink()
    return warehouse


def latest_day(warehouse: Path) -> date:
    from core.warehouse import reading

    with reading(warehouse) as con:
        (latest,) = con.execute("select max(received_date) from marts.inquiries").fetchone()
    return latest


def periods(latest: date) -> dict[str, Filters]:
    """A whole month, fiscal quarter and fiscal year ending before the data does,
    and the fiscal year to the data's last day."""
    today = latest + timedelta(days=1)
    return {
        name: Filters(*preset_period(preset, today))
        for name, preset in (
            ("month", "Last month"),
            ("fiscal quarter", "Last fiscal quarter"),
            ("fiscal year", "Last fiscal year"),
            ("fiscal year to date", "Fiscal year to date"),
        )
    }


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def cpu_seconds(warehouse: Path, function: Callable[..., Any], f: Filters) -> float:
    """DuckDB's own CPU time for the function's query (its profiler), which a busy
    machine inflates far less than the wall-clock time."""
    from core.sql import quote_literal
    from core.warehouse import reading

    with tempfile.TemporaryDirectory() as folder, reading(warehouse) as con:
        out = Path(folder) / "profile.json"
        con.execute("pragma enable_profiling = 'json'")
        con.execute(f"pragma profiling_output = {quote_literal(str(out))}")
        function(con, f)
        return float(json.loads(out.read_text())["query"]["cpu_time"])


Timing = tuple[str, float, float, float, float]  # what, first, median, best, DuckDB CPU


def measure(warehouse: Path, f: Filters, repeat: int) -> list[Timing]:
    """(what, first run, median run, best run, DuckDB CPU) in seconds for the
    page's query, its two parts alone, and the judging (CPU 0: it is Python)."""
    from core.warehouse import reading
    from metrics import attention, inclusion, score_cells, scorecard

    def query(function: Callable[..., Any]) -> Callable[[], Any]:
        def run() -> Any:
            with reading(warehouse) as con:  # as ui.queries: a connection per query
                return function(con, f)

        return run

    functions = {
        "overview_cells: the page's one query": score_cells.overview_cells,
        "  its part comparison_cells alone": score_cells.comparison_cells,
        "  its part month_cells alone": score_cells.month_cells,
    }
    runs: dict[str, list[tuple[float, Any]]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            runs[name].append(timed(query(function)))
    measured = runs["overview_cells: the page's one query"][0][1]
    cells, months = score_cells.comparisons_of(measured), score_cells.months_of(measured)

    def judge() -> None:
        judged = scorecard.judged_cells(cells, f)
        scorecard.summarise(judged, f)
        scorecard.judge_trend(months, f)
        scorecard.judge_tiles(judged, f)
        attention.judge_attention(judged, f)
        for by in ("district", "region", "merged"):
            scorecard.judge_league(judged, f, by=by)
        inclusion.judge_inclusion(judged, f)
        inclusion.judge_parity(judged, f)
        inclusion.judge_coverage(judged, f)

    runs["judging against the targets (Python)"] = [timed(judge) for _ in range(repeat)]
    results = []
    for name, timings in runs.items():
        seconds = [s for s, _ in timings]
        function = functions.get(name)
        cpu = cpu_seconds(warehouse, function, f) if function else 0.0
        results.append((name, seconds[0], statistics.median(seconds), min(seconds), cpu))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, help="register items to generate (default: demo)")
    parser.add_argument("--warehouse", type=Path, help="an existing warehouse to time")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (default 5)")
    args = parser.parse_args()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with tempfile.TemporaryDirectory() as folder:
        if args.warehouse:
            warehouse, what = args.warehouse, str(args.warehouse)
        elif args.rows:
            seconds, warehouse = timed(lambda: build_register(Path(folder), args.rows))
            what = f"{args.rows:,} register items (built in {seconds:.0f} s)"
        else:
            seconds, warehouse = timed(lambda: build_demo(Path(folder)))
            what = f"the demo warehouse (built in {seconds:.0f} s)"
        from core.warehouse import reading

        with reading(warehouse) as con:
            (items,) = con.execute("select count(*) from marts.inquiries").fetchone()
        now = datetime.now(ZoneInfo("Asia/Karachi"))
        print(f"{what}: {items:,} items; {now:%Y-%m-%d %H:%M} PKT; load {os.getloadavg()[0]:.1f}")
        for name, f in periods(latest_day(warehouse)).items():
            print(f"\n{name}: {f.start} to {f.end}")
            results = measure(warehouse, f, args.repeat)
            for label, first, median, best, cpu in results:
                print(
                    f"  {label:<40} first {first * 1000:5.0f} ms  median {median * 1000:5.0f} ms"
                    f"  best {best * 1000:5.0f} ms"
                    + (f"  DuckDB CPU {cpu * 1000:5.0f} ms" if cpu else "")
                )
            page = results[0][2] + results[-1][2]
            print(f"  {'the page: query + judging (median)':<40} {page:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
