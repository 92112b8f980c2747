"""Great Expectations, imported on a thread while a load reads its files.

GX's import is about 1.6 s of a load command (pydantic models, scipy for
its statistical expectations), and a load first spends seconds reading its
files in DuckDB, which releases the GIL. ``start()`` begins the import on a
daemon thread at the start of a load; ``gx`` stands for the module and
imports it on first use, waiting for the thread if the import is under way
(Python's per-module import lock: a module is never imported twice).

Sources write ``gx.expectations.…`` as they would with the module itself.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading
from types import ModuleType
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

_MODULE = "great_expectations"
_started: threading.Thread | None = None
_lock = threading.Lock()


def start() -> None:
    """Import GX on a daemon thread, once per process (no-op once imported)."""
    global _started
    with _lock:
        if _started is not None or _MODULE in sys.modules:
            return
        _started = threading.Thread(target=_import_quietly, name="gx-import", daemon=True)
        _started.start()


def _import_quietly() -> None:
    # A failure here is raised again, with its traceback, by the first use.
    with contextlib.suppress(Exception):
        importlib.import_module(_MODULE)


def module() -> ModuleType:
    """The ``great_expectations`` module (waits for ``start()``'s import)."""
    if _started is not None:
        _started.join()
    return importlib.import_module(_MODULE)


class _LazyModule:
    """``gx.<name>`` is ``great_expectations.<name>``, imported on first use."""

    def __getattr__(self, name: str) -> Any:
        return getattr(module(), name)


gx = _LazyModule()
