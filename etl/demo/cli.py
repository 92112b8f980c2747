"""The developer's shortcuts ``python -m etl.demo`` and ``python -m etl.demo.social``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from core.config import demo_dir


def run(write: Callable[..., list[Path]]) -> None:
    """Call ``write(folder, progress=...)`` (folder: the first argument, else the demo
    folder) and list what it wrote, with the time taken."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else demo_dir()
    began = time.perf_counter()
    written = write(target, progress=lambda f, m: print(f"[{f:4.0%}] {m}"))
    for path in written:
        print(f"{path.stat().st_size:>12,}  {path}")
    print(f"{time.perf_counter() - began:.1f} s")
