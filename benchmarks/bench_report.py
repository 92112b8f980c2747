"""Benchmark: one month's donor report (PDF and XLSX) on the demo data.

Not a test: run it by hand (``.venv/bin/python -m benchmarks.bench_report``)
and copy its report into docs/benchmarks.md. It builds the demo warehouse
the tests use (the real ETL on the demo exports, 19 months, about 40 items
a day) in a temporary folder, unless ``--warehouse`` names an existing one,
then times, for the last whole month: gathering the figures (every metric
function on a read-only connection, disclosure control), the charts
(kaleido: one browser start, then each figure), the PDF and the XLSX; and
the same end to end through the command line, as staff run it. Target
(issue 11): under 30 s for both files.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from core.warehouse import reading
from metrics.report import charts
from metrics.report.data import gather
from metrics.report.pdf import render_pdf
from metrics.report.period import month
from metrics.report.xlsx import render_xlsx

PROJECT = Path(__file__).resolve().parent.parent


def _demo(folder: Path) -> Path:
    from etl.demo.build import build_demo_warehouse  # the ETL: only for the fixture

    path = folder / "warehouse.duckdb"
    started = time.perf_counter()
    report = build_demo_warehouse(path, out_dir=folder / "exports", months=19, daily_volume=40.0)
    assert report.swapped and not report.rejected
    print(f"demo warehouse built in {time.perf_counter() - started:.1f} s (not part of the report)")
    return path


def _timed(label: str, results: list[tuple[str, float]], function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    results.append((label, time.perf_counter() - started))
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse", type=Path, help="an existing warehouse (default: build the demo)"
    )
    args = parser.parse_args()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.warehouse or _demo(Path(tmp))
        today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Karachi")).date()
        last = today.replace(day=1) - timedelta(days=1)
        period = month(last.year, last.month)
        results: list[tuple[str, float]] = []
        with reading(path) as con:
            data = _timed("gather figures (metrics, disclosure)", results, gather, con, period)
        figs = _timed("build Plotly figures", results, charts.figures, data)
        images = _timed(
            f"render {len(figs)} charts (kaleido, one browser)", results, charts.render_png, figs
        )
        pdf = _timed("PDF (reportlab)", results, render_pdf, data, images, charts.captions(data))
        xlsx = _timed("XLSX (xlsxwriter)", results, render_xlsx, data)
        total = sum(seconds for _, seconds in results)
        print(
            f"\nReport for {period.label}: PDF {len(pdf) / 1024:,.0f} kB, XLSX {len(xlsx) / 1024:,.0f} kB"
        )
        for label, seconds in results:
            print(f"  {label:<45} {seconds:6.2f} s")
        print(f"  {'in process, total':<45} {total:6.2f} s")
        env = {**os.environ, "KP_WAREHOUSE": str(path)}
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "metrics.report",
                "--month",
                period.code,
                "--out",
                str(Path(tmp) / "out"),
            ],
            cwd=PROJECT,
            env=env,
            check=True,
            capture_output=True,
        )
        cli = time.perf_counter() - started
        print(f"  {'command line, end to end (new process)':<45} {cli:6.2f} s")
        print(f"\nTarget: under 30 s. {'Met' if cli < 30 else 'NOT met'}.")


if __name__ == "__main__":
    main()
