"""Make a load pause at a named point, so a test can kill it exactly there.

A killed load must leave the live warehouse either as it was or as the
complete new version (once ``os.replace`` has swapped it in), never partial,
and neither its lock nor its temporary file may block the next load. To
test that without racing the clock, the load process installs a hook for
one point of ``KILL_POINTS`` before it loads: when the load reaches that
point the hook writes a marker file and sleeps; the test waits for the
marker and sends SIGKILL. Nothing depends on how fast the machine is.

The hooks wrap functions of the real loader in the load's own process
(never in the test process): a forked child calls ``install_pause`` itself
(``tests/test_concurrency.py``); a fresh interpreter running the real
command line is started as::

    python -m tests.kill_points POINT LIVE MARKER -- [python -m etl arguments]

(``tests/test_atomic_load.py``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

PAUSE_SECONDS = 60  # a paused load is killed long before; it exits on its own after

# Each point: where the load pauses (writes its marker) to be killed.
KILL_POINTS = (
    "waiting for the lock",
    "lock taken, before the copy",
    "half-way through the copy",
    "rows written, transaction open",
    "marts rebuilt, not yet checkpointed",
    "checkpointed, right before os.replace",
    "right after os.replace",
)
# Only a kill after the swap leaves the new version live.
SWAPPED = frozenset({"right after os.replace"})


def mark(marker: Path) -> None:
    """Say "I am here": the marker appears whole, holding this process's id."""
    part = marker.with_name(marker.name + ".part")
    part.write_text(str(os.getpid()))
    os.rename(part, marker)  # not os.replace: a hook may wrap that


def pause(marker: Path) -> None:
    """Mark the point reached, then wait to be killed."""
    mark(marker)
    time.sleep(PAUSE_SECONDS)
    os._exit(99)


def install_pause(point: str, live: Path, marker: Path) -> None:
    """Make this process's next load of ``live`` pause at ``point``."""
    import fcntl
    import shutil

    import etl.load
    import etl.warehouse

    if point not in KILL_POINTS:
        raise ValueError(f"unknown kill point {point!r}; known: {', '.join(KILL_POINTS)}")
    if point == "waiting for the lock":
        # The lock is held elsewhere: once taking it has failed the load is
        # in its waiting loop; it keeps waiting (no pause needed).
        real_flock = fcntl.flock

        def flock(handle, operation):
            try:
                return real_flock(handle, operation)
            except BlockingIOError:
                mark(marker)
                raise

        etl.warehouse.fcntl.flock = flock
    elif point == "lock taken, before the copy":
        real_temps = etl.warehouse.temp_paths

        def temps(path):
            pause(marker)
            return real_temps(path)

        etl.warehouse.temp_paths = temps
    elif point == "half-way through the copy":
        real_copy = shutil.copyfile

        def copy(source, target, *args, **kwargs):
            if ".tmp-" not in str(target):
                return real_copy(source, target, *args, **kwargs)
            data = Path(source).read_bytes()
            Path(target).write_bytes(data[: len(data) // 2])
            pause(marker)

        etl.warehouse.shutil.copyfile = copy
    elif point == "rows written, transaction open":
        real_quarantine = etl.load._quarantine

        def quarantine(*args, **kwargs):
            pause(marker)
            return real_quarantine(*args, **kwargs)

        etl.load._quarantine = quarantine
    elif point == "marts rebuilt, not yet checkpointed":
        real_check = etl.warehouse.check_invariants

        def check(*args, **kwargs):
            problems = real_check(*args, **kwargs)
            pause(marker)
            return problems

        etl.warehouse.check_invariants = check
    else:  # right before / right after os.replace
        real_replace = os.replace

        def replace(source, target, *args, **kwargs):
            if Path(target) != live:
                return real_replace(source, target, *args, **kwargs)
            if point.startswith("checkpointed"):
                pause(marker)
            real_replace(source, target, *args, **kwargs)
            pause(marker)

        etl.warehouse.os.replace = replace


def main(argv: list[str]) -> int:
    """``POINT LIVE MARKER -- ARGS``: run ``python -m etl ARGS`` paused at POINT."""
    point, live, marker, separator, *cli = argv
    if separator != "--":
        raise SystemExit("usage: python -m tests.kill_points POINT LIVE MARKER -- ETL-ARGS")
    install_pause(point, Path(live), Path(marker))
    from etl.__main__ import main as etl_main

    return etl_main(cli)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
