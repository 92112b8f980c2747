"""``python -m metrics.report --month 2026-10 --out reports/``: the donor report.

Writes ``kp-police-outreach-report-<period>.pdf`` and ``.xlsx`` into
``--out`` from the live warehouse (``KP_WAREHOUSE`` or
``data/warehouse.duckdb``), read-only. ``--quarter FY2026-27Q1`` reports a
fiscal quarter instead. Progress goes to stderr; the files' paths to
stdout. Exit codes: 0 written; 1 nothing to report for the period; 2 bad
arguments or no warehouse.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from core.warehouse import reading
from metrics.filters import Filters
from metrics.report.build import build_files, write_files
from metrics.report.data import NoDataError, gather
from metrics.report.period import parse_period

EXIT_NO_DATA = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m metrics.report",
        description="Write the monthly (or quarterly) report for UNDP and the EU as PDF and "
        "XLSX, from the warehouse, with small counts withheld.",
        epilog="Example: python -m metrics.report --month 2026-10 --out reports/",
    )
    period = parser.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", metavar="YYYY-MM", help="a calendar month, e.g. 2026-10")
    period.add_argument(
        "--quarter",
        metavar="FYyyyy-yyQn",
        help="a fiscal quarter (July-June year), e.g. FY2026-27Q1 = July-September 2026",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("reports"), help="folder for the files (default: reports/)"
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        help="warehouse file (default: KP_WAREHOUSE or data/warehouse.duckdb)",
    )
    parser.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="REGION",
        help="only this police region (repeatable)",
    )
    parser.add_argument(
        "--district",
        action="append",
        default=[],
        metavar="DISTRICT",
        help="only this district (repeatable)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.1f} s] {message}", file=sys.stderr, flush=True)

    try:
        period = parse_period(args.month or args.quarter)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    say(f"report for {period.label}")
    try:
        with reading(args.warehouse) as con:
            base = None
            if args.region or args.district:
                from metrics.report.data import default_filters

                base = default_filters(con, period)
                base = Filters(
                    period.start,
                    period.end,
                    tuple(sorted(args.region)),
                    tuple(sorted(args.district)),
                    sources=base.sources,
                )
            data = gather(con, period, base, progress=say)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except NoDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_NO_DATA
    files = build_files(data, progress=say)
    pdf, xlsx = write_files(files, data, args.out)
    say(
        f"done: {pdf.name} ({len(files.pdf) / 1024:,.0f} kB), {xlsx.name} ({len(files.xlsx) / 1024:,.0f} kB)"
    )
    print(pdf)
    print(xlsx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
