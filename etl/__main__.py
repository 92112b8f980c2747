"""Command line: ``python -m etl load|demo|status|rebuild|rollback|purge-personal``.

Exit codes: 0 done; 1 wrong usage or nothing loadable; 2 a file was
rejected (others in the same command still loaded), including a file none
of whose rows passed its checks; 3 another load holds the warehouse.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.config import warehouse_path
from core.errors import EtlError, LoadBusy


def _progress_printer(quiet: bool):
    last = {"message": None}

    def show(fraction: float, message: str) -> None:
        if quiet or message == last["message"]:
            return
        last["message"] = message
        print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)

    return show


def _print_report(report) -> int:
    # Said once per command, not once per file: a column mapping that cannot be used.
    for warning in getattr(report, "warnings", []):
        print(f"warning: {warning}", file=sys.stderr)
    for result in report.files:
        print(result.line())
        for note in result.notes:
            print(f"    note: {note}")
    if report.swapped:
        print(f"warehouse updated in {report.seconds:.1f} s")
    elif not report.rejected:
        print("nothing new to load: the warehouse is unchanged")
    else:
        print("the warehouse is unchanged")
    return 2 if report.rejected else 0


def cmd_load(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from core.config import load_settings
    from etl.load import load_paths, make_context

    settings = load_settings()
    if args.date_order:
        settings = replace(settings, date_order=args.date_order)
    report = load_paths(
        [Path(p) for p in args.paths],
        warehouse=args.warehouse,
        progress=_progress_printer(args.quiet),
        wait_seconds=args.wait,
        context=make_context(
            settings, year=args.year, account=args.account, platform=args.platform
        ),
    )
    if not report.files:
        print("error: no CSV or XLSX files found in the paths given", file=sys.stderr)
        return 1
    return _print_report(report)


def cmd_demo(args: argparse.Namespace) -> int:
    from etl.demo.build import build_demo_warehouse

    report = build_demo_warehouse(
        args.warehouse, progress=_progress_printer(args.quiet), months=args.months
    )
    code = _print_report(report)
    # The demo files carry planted bad rows on purpose: quarantine is expected.
    print(f"demo warehouse: {args.warehouse or warehouse_path()}")
    return code


def cmd_status(args: argparse.Namespace) -> int:
    from etl.status import status_text

    print(status_text(args.warehouse))
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from etl.warehouse import new_version

    path = args.warehouse or warehouse_path()
    if not path.exists():
        raise EtlError(f"{path}: no warehouse to rebuild; load files first")
    with new_version(path, wait_seconds=args.wait):
        pass
    print(f"rebuilt staging, marts and reference tables of {path}")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from etl.rollback import rollback

    name = rollback(args.load_id, warehouse=args.warehouse)
    print(f"rolled back {args.load_id} ({name}); the warehouse was rebuilt without it")
    return 0


def cmd_purge_personal(args: argparse.Namespace) -> int:
    import getpass
    from datetime import UTC, datetime

    from etl.purge import purge_personal, retention_days

    days = args.older_than if args.older_than is not None else retention_days()
    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            raise EtlError(
                f"--now '{args.now}' is not a date and time (2026-01-31T12:00Z)"
            ) from None
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    result = purge_personal(
        older_than_days=days,
        now=now,
        warehouse=args.warehouse,
        dry_run=args.dry_run,
        wait_seconds=args.wait,
    )
    print(result.line())
    if not args.dry_run:
        from auth import audit

        # Who ran it on the server: the account, not a name typed.
        audit.record(
            audit.PURGE,
            username=f"{getpass.getuser()} (server)",
            what=f"{result.line()} (older than {days} days)",
        )
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m etl",
        description="Load the media cell's exports into the DuckDB warehouse.",
    )
    main.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="warehouse file (default: $KP_WAREHOUSE or data/warehouse.duckdb)",
    )
    main.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    commands = main.add_subparsers(dest="command", required=True)

    load = commands.add_parser(
        "load",
        help="load export files or folders of them",
        description="Recognise, validate and load files; bad rows go to quarantine. "
        "Loading the same file twice changes nothing.",
    )
    load.add_argument("paths", nargs="+", help="CSV, XLSX or zip files, or folders")
    load.add_argument(
        "--year",
        type=int,
        default=None,
        help="the year of exports whose dates carry none (an older TikTok overview)",
    )
    load.add_argument(
        "--platform",
        default=None,
        choices=["Facebook", "Instagram"],
        help="the platform of Meta exports that do not name it (Audience.csv, 'Views')",
    )
    load.add_argument(
        "--account",
        default=None,
        help="the account of social exports that do not name it (default: settings)",
    )
    load.add_argument(
        "--date-order",
        default=None,
        choices=["day-first", "month-first"],
        help="how the registers' numeric dates (03/04/2026) are written, for this load "
        "(default: date_order in data/config/settings.yaml); a file whose dates prove "
        "their order is read that way",
    )
    load.add_argument(
        "--wait",
        type=float,
        default=600,
        help="seconds to wait for another running load (default 600)",
    )
    load.set_defaults(func=cmd_load)

    demo = commands.add_parser(
        "demo",
        help="write the demo exports and build the demo warehouse",
        description="Write deterministic demo exports (fixed seed) to data/demo/ "
        "(or $KP_DEMO_DIR) and load them.",
    )
    demo.add_argument("--months", type=int, default=20, help="months of data (default 20)")
    demo.set_defaults(func=cmd_demo)

    status = commands.add_parser(
        "status", help="what is loaded, from which files, when, what is quarantined"
    )
    status.set_defaults(func=cmd_status)

    undo = commands.add_parser(
        "rollback", help="remove one load's rows and rebuild (ids: python -m etl status)"
    )
    undo.add_argument("load_id")
    undo.set_defaults(func=cmd_rollback)

    rebuild = commands.add_parser(
        "rebuild", help="rebuild marts after a change of settings (business hours, targets)"
    )
    rebuild.add_argument("--wait", type=float, default=600)
    rebuild.set_defaults(func=cmd_rebuild)

    purge = commands.add_parser(
        "purge-personal",
        help="blank raw personal data loaded more than N days ago (retention)",
        description="Set the requester's name, phone, CNIC, email and summary (and a "
        "journalist's name and phone) to blank in raw rows loaded more than --older-than "
        "days ago, and the same fields of old quarantined rows; figures do not change. "
        "Written like a load (a new warehouse swapped in); running it again changes "
        "nothing. Recorded in the audit log.",
    )
    purge.add_argument(
        "--older-than",
        type=int,
        default=None,
        metavar="DAYS",
        help="retention period in days (default: retention_days in data/config/settings.yaml)",
    )
    purge.add_argument(
        "--dry-run", action="store_true", help="count the rows it would blank; change nothing"
    )
    purge.add_argument(
        "--now",
        default=None,
        help="the moment to count back from, ISO 8601 (default: now; UTC if no offset)",
    )
    purge.add_argument("--wait", type=float, default=600)
    purge.set_defaults(func=cmd_purge_personal)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except LoadBusy as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    except EtlError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the warehouse is unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
