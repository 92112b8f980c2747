"""First run: build the demo warehouse when there is none, with visible progress.

A fresh install has no ``data/warehouse.duckdb``. Rather than an empty app,
the dashboard builds the demo one from the bundled exports (the same as
``python -m etl demo``) and shows how far it has got. One build per server
process: a second session arriving meanwhile waits for the first to finish.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from core.config import warehouse_path

log = logging.getLogger(__name__)


@st.cache_resource(max_entries=1, show_spinner=False)
def _build_lock() -> threading.Lock:
    return threading.Lock()


def ensure_warehouse() -> bool:
    """True when a warehouse is there to read (building the demo one if needed)."""
    path = warehouse_path()
    if path.exists():
        return True
    with _build_lock():
        if path.exists():  # another session built it while this one waited
            return True
        return _build_demo(path)


def _build_demo(path: Path) -> bool:
    with st.status("Building the demo warehouse…", expanded=True) as status:
        st.write(
            f"No warehouse at `{path}` yet, so the dashboard is loading the bundled "
            "demo exports. This happens once; real exports are loaded with `python -m etl`."
        )
        bar = st.progress(0.0, text="Starting…")

        def progress(fraction: float, message: str) -> None:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=message)

        try:
            # Imported here: the ETL (and Great Expectations) is only needed once.
            from etl.demo.build import build_demo_warehouse

            build_demo_warehouse(path, progress=progress)
        except Exception as exc:  # shown to the user; the log keeps the traceback
            log.exception("demo warehouse build failed")
            status.update(label="Could not build the demo warehouse", state="error")
            st.error(f"{type(exc).__name__}: {exc}")
            return False
        bar.progress(1.0, text="Done")
        status.update(label="Demo warehouse ready", state="complete", expanded=False)
    return True
