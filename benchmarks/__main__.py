"""``python -m benchmarks``: every figure of issue 9, measured in one run.

Not a test (no test asserts a duration): run it by hand on a quiet machine
and copy its output into docs/benchmarks.md. Parts, each skippable:

- ``load``: a valid register of ``--rows`` items (one CSV per
  ``--file-rows``, as the cell's files are loaded one command each:
  the loader refuses files over 200 MB) loaded by ``python -m etl load``
  into a new warehouse, as a ratio to DuckDB's own ``read_csv`` of the same
  files in the same run; the load's peak resident memory (``os.wait4``);
  where its time goes (the ETL's progress lines).
- ``small``: a 100-row register loaded into that warehouse, as a ratio to
  the same kind of file loaded into an empty one (whole commands).
- ``queries``: the Response times page's queries at that size, cold.
- ``page``: the first page after the server starts, in Chromium, as a ratio
  to a one-metric Streamlit page on the same machine.
- ``social``: the Social engagement page's queries together, cold, at
  200,000 posts x 3 snapshots: each on its own connection, and on the one
  connection of a page run (``ui.queries.page_run``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

PARTS = ("load", "small", "queries", "page", "social")


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}, "
        f"load average {load:.1f} at start"
    )


def _register_files(folder: Path, rows: int, file_rows: int) -> list[Path]:
    from benchmarks.data import write_register

    files = []
    for number, first in enumerate(range(0, rows, file_rows)):
        path = folder / f"register_{number:02d}.csv"
        write_register(path, min(file_rows, rows - first), seed=7 + number, prefix=f"B{number}-")
        files.append(path)
    return files


def response_queries(warehouse: Path) -> list[tuple[str, float]]:
    """Every query of the Response times page for one quarter, each cold on
    its own short-lived read-only connection."""
    from core.warehouse import reading
    from metrics import kpis
    from metrics import responsiveness as r
    from metrics.filters import Filters

    filters = Filters(start=date(2026, 1, 1), end=date(2026, 3, 31))
    calls = [
        # The cards (13 KPIs, this period and the last) and both SLA
        # leagues: one call on the page (before: kpi_summary and two
        # sla_league calls, each reading the period-end counts again).
        ("cards_and_leagues", lambda c: kpis.cards_and_leagues(c, filters)),
        ("weekly_trend", lambda c: r.weekly_trend(c, filters)),
        ("first_response_histogram", lambda c: r.first_response_histogram(c, filters)),
        ("overdue_aging", lambda c: r.overdue_aging(c, filters)),
        ("overdue_items", lambda c: r.overdue_items(c, filters, limit=1000)),
        ("district_items", lambda c: r.district_items(c, filters, "Peshawar")),
    ]
    timings = []
    for name, call in calls:
        began = time.perf_counter()
        with reading(warehouse) as con:
            call(con)
        timings.append((name, time.perf_counter() - began))
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="register items (1M)")
    parser.add_argument(
        "--file-rows", type=int, default=1_000_000, help="items per file, one load each (1M)"
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=PARTS, help="parts to skip")
    parser.add_argument("--workdir", type=Path, help="keep files here (default: a temp folder)")
    args = parser.parse_args(argv)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    skip = set(args.skip)
    figures: list[tuple[str, str, str]] = []  # (what, measured, target)
    print(f"python -m benchmarks, {datetime.now():%Y-%m-%d %H:%M}, {_machine()}", flush=True)
    own = args.workdir is None
    folder = Path(tempfile.mkdtemp(prefix="kp-bench-")) if own else args.workdir
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _run(args, skip, folder, figures)
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)
    print("\nSummary (every figure measured in this run)")
    width = max(len(w) for w, _, _ in figures) if figures else 10
    for what, measured, target in figures:
        print(f"  {what:<{width}}  {measured:<34} {f'target {target}' if target else ''}".rstrip())


def _run(args: argparse.Namespace, skip: set[str], folder: Path, figures: list) -> None:
    from benchmarks import measure as m

    warehouse = folder / "warehouse.duckdb"
    rows = f"{args.rows:,}"
    if "load" not in skip:
        began = time.perf_counter()
        files = _register_files(folder, args.rows, args.file_rows)
        size = sum(p.stat().st_size for p in files) / 2**20
        print(
            f"\n[load] generated {rows} register rows in {len(files)} file(s), {size:,.0f} MB, "
            f"in {time.perf_counter() - began:.1f} s",
            flush=True,
        )
        baseline = m.duckdb_read_csv(files)
        print(f"  DuckDB read_csv of the same file(s): {baseline:.2f} s", flush=True)
        runs = []
        for path in files:
            run = m.etl_load([path], warehouse)
            runs.append(run)
            print(f"  {run.stdout.strip().splitlines()[0]}", flush=True)
            print(f"    {run.seconds:.1f} s, peak RSS {run.peak_mb:,.0f} MB", flush=True)
        total = sum(r.seconds for r in runs)
        peak = max(r.peak_mb for r in runs)
        print(f"  python -m etl load, whole command(s): {total:.1f} s", flush=True)
        print("  phases of the first load (seconds):")
        for name, seconds in runs[0].phases():
            print(f"    {seconds:7.2f}  {name}")
        if len(runs) > 1:
            print("  phases of the last load (seconds):")
            for name, seconds in runs[-1].phases():
                print(f"    {seconds:7.2f}  {name}")
        figures.append(
            (
                f"load {rows} rows ÷ DuckDB read_csv",
                f"{total / baseline:.1f}x ({total:.1f} s / {baseline:.2f} s)",
                "<= 5x",
            )
        )
        # The floor: the same first file through only the writes the design
        # requires (benchmarks.load_floor: no checks, no GX, no report).
        first_file = files[0]
        first_baseline = m.duckdb_read_csv([first_file]) if len(files) > 1 else baseline
        floor = m.load_floor([first_file], folder / "floor.duckdb")
        print(
            f"  the floor: {first_file.name} through the required writes alone "
            f"(python -m benchmarks.load_floor): {floor.seconds:.1f} s, "
            f"{floor.seconds / first_baseline:.1f}x read_csv; the load of it: "
            f"{runs[0].seconds / first_baseline:.1f}x",
            flush=True,
        )
        figures.append(
            (
                "  the required writes alone, first file",
                f"{floor.seconds / first_baseline:.1f}x ({floor.seconds:.1f} s / "
                f"{first_baseline:.2f} s)",
                "",
            )
        )
        figures.append(
            (
                f"peak RSS of that load ({len(files)} command(s))",
                f"{peak / 1024:.2f} GB",
                "<= 1.5 GB at 1M, <= 4 GB at 10M",
            )
        )
    has_warehouse = warehouse.exists()
    if not has_warehouse and ({"small", "queries", "page"} - skip):
        from benchmarks.data import write_register

        seed = folder / "register_seed.csv"
        write_register(seed, 10_000, prefix="B-")
        m.etl_load([seed], warehouse)
        rows = "10,000"
        print(f"\n(no load part: a {rows}-row warehouse stands in)", flush=True)
    if "small" not in skip:
        from benchmarks.data import write_register

        small = folder / "register_small.csv"
        write_register(small, 100, seed=99, prefix="S-")
        empty = m.etl_load([small], folder / "empty.duckdb")
        into = m.etl_load([small], warehouse)
        print("\n[small] 100-row register, whole command", flush=True)
        print(f"  into an empty warehouse: {empty.seconds:.2f} s", flush=True)
        for name, seconds in empty.phases():
            print(f"    {seconds:7.2f}  {name}")
        print(f"  into the {rows}-item warehouse: {into.seconds:.2f} s", flush=True)
        for name, seconds in into.phases():
            print(f"    {seconds:7.2f}  {name}")
        figures.append(
            (
                f"100 rows into {rows} ÷ into empty",
                f"{into.seconds / empty.seconds:.2f}x ({into.seconds:.1f} s / "
                f"{empty.seconds:.1f} s)",
                "<= 1.25x",
            )
        )
    if "queries" not in skip:
        timings = response_queries(warehouse)
        print(f"\n[queries] Response times page at {rows} items, one quarter, cold", flush=True)
        for name, seconds in timings:
            print(f"  {name:<36} {seconds * 1000:7.0f} ms")
        total = sum(s for _, s in timings)
        print(f"  {'all together':<36} {total * 1000:7.0f} ms", flush=True)
        figures.append((f"Response times page queries at {rows}", f"{total:.2f} s", "< 1 s"))
    if "page" not in skip:
        from benchmarks import first_page

        try:
            result = first_page.measure(warehouse)
        except Exception as error:  # a browser problem must not lose the other figures
            print(f"\n[page] failed: {type(error).__name__}: {error}", flush=True)
            figures.append(("first page ÷ one-metric page", "not measured (failed)", "<= 2x"))
            result = None
    if "page" not in skip and result is not None:
        print("\n[page] first page after the server starts, Chromium", flush=True)
        print(f"  dashboard server start (command to healthy): {result.server_start:.1f} s")
        print(f"  request to login form: {result.login_form:.2f} s")
        print(f"  'Log in' to the first page drawn: {result.after_login:.2f} s")
        print("  with the landing page's warm-up switched off (KP_WARM_CACHE=0):")
        print(f"    request to login form: {result.cold_login_form:.2f} s")
        print(f"    'Log in' to the first page drawn: {result.cold_after_login:.2f} s")
        print(f"  one-metric page server start: {result.reference_start:.1f} s")
        print(f"  one-metric page, request to drawn: {result.reference:.2f} s", flush=True)
        figures.append(
            (
                "first page ÷ one-metric page",
                f"{result.dashboard / result.reference:.2f}x ({result.dashboard:.2f} s / "
                f"{result.reference:.2f} s)",
                "<= 2x",
            )
        )
        figures.append(
            (
                "  the same, warm-up switched off",
                f"{result.cold / result.reference:.2f}x ({result.cold:.2f} s / "
                f"{result.reference:.2f} s)",
                "",
            )
        )
    if "social" not in skip:
        from benchmarks import social

        path = folder / "social.duckdb"
        seconds = social.build(path)
        print(f"\n[social] built 200,000 posts x 3 snapshots in {seconds:.1f} s", flush=True)
        for result in social.measure(path):
            print(f"  {result.period}:")
            for name, taken in result.separate:
                print(f"    {name:<18} {taken * 1000:7.0f} ms (own connection)")
            print(
                f"    all, one connection each: {result.separate_total * 1000:7.0f} ms; "
                f"one connection per page run: {result.shared * 1000:7.0f} ms",
                flush=True,
            )
            figures.append(
                (
                    f"Social page queries cold, {result.period}",
                    f"{result.shared:.2f} s (was {result.separate_total:.2f} s)",
                    "< 1 s",
                )
            )


if __name__ == "__main__":
    main()
