"""Start the dashboard: ``python -m ui.serve [streamlit options]``.

The same as ``streamlit run dashboard.py [options]``, with one difference
that makes every page reachable by its own URL, also as the first request a
freshly started server gets.

Why: a folder named ``pages/`` beside the entrypoint (the project's layout)
makes Streamlit start each new server in its legacy multipage mode, decided
once per process by ``PagesManager.uses_pages_directory`` when the first
session starts, and left only when ``st.navigation`` first runs. In that
mode the first request is served from the list of files in ``pages/``: a
bookmark to ``/data`` (the page ``pages/data_operations.py``) opens "Page
not found", and ``/response_times`` runs alone under a menu of file names.
The app always calls ``st.navigation`` (``dashboard.py``), so the legacy
mode is never wanted: this launcher settles the flag before the server
starts, in the server's own process, and the first request runs
``dashboard.py`` like every other one.

It also removes uploads staged by an earlier server (``etl.uploads``) before
this one starts, and gives the Data page a staging folder tied to its
session (``session_upload_folder``): removed when the session ends, or by
the next upload of any session once this one is gone.

And it guards what Streamlit's server answers outside any page run
(``ui.server_guard``, issue 14): ``/_stcore/metrics`` is off (404), and a
``/media/`` file (a download's bytes) is served only to the browser of a
logged-in session that holds it.
"""

from __future__ import annotations

import ast
import importlib
import logging
import sys
from pathlib import Path
from typing import Any

from streamlit import runtime
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.web import cli

from etl import uploads
from ui import server_guard, warm_cache

log = logging.getLogger(__name__)

ENTRYPOINT = Path(__file__).resolve().parent.parent / "dashboard.py"


def main(argv: list[str] | None = None) -> None:
    """Run the dashboard with Streamlit's own command line (options pass through)."""
    PagesManager.uses_pages_directory = False
    server_guard.install()
    # No session exists yet: whatever an earlier server staged is left behind.
    removed = uploads.remove_all_uploads()
    if removed:
        log.info("removed %d upload folder(s) left by an earlier server", len(removed))
    warm_imports()
    warm_libraries()
    warm_cache.start()  # the landing page, computed before its first visitor
    sys.argv = ["streamlit", "run", str(ENTRYPOINT), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


def page_imports(paths: list[Path] | None = None) -> list[str]:
    """The modules ``dashboard.py`` and the pages import at their top level
    (read from their source, so a new page's imports are included)."""
    paths = paths or [ENTRYPOINT, *sorted((ENTRYPOINT.parent / "pages").glob("*.py"))]
    names: list[str] = []
    for path in paths:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
                # ``from ui import frame``: ``ui.frame`` is a module too.
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    return list(dict.fromkeys(n for n in names if n != "__future__"))


def warm_imports() -> None:
    """Import what the pages need before the server takes its first request.

    Streamlit runs the pages in this process, so the first visitor would
    otherwise wait for Plotly, pandas and the metrics modules to load (about
    as long as the login form itself takes to draw). Only top-level imports
    are taken: the loader and Great Expectations, which the Data page
    imports when a person presses Load, stay unloaded."""
    # A cached function defined before the runtime exists makes Streamlit
    # warn that it checked the cache's settings without one: harmless (the
    # cache itself is taken from the runtime at the first call), and noise.
    caching = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = caching.level
    caching.setLevel(logging.ERROR)
    try:
        for name in page_imports():
            try:
                importlib.import_module(name)
            except ImportError:  # ``from x import name`` of a function, not a module
                continue
    finally:
        caching.setLevel(level)


def warm_libraries() -> None:
    """Draw one throwaway chart and table, so the first page run does not pay
    for the lazy imports a first chart and table set off.

    Plotly loads the classes of a figure's parts (axes, legend, line,
    marker) and the narwhals adapters it reads a pandas column through
    only when a figure first uses them, and pyarrow its pandas bridge when
    Streamlit first sends a table: about a tenth of a second of the first
    page after "Log in", measured with the first-page benchmark. Nothing of
    the warehouse is read."""
    import pandas as pd
    import plotly.express as px
    import plotly.graph_objects as go
    import pyarrow as pa

    frame = pd.DataFrame(
        {
            "month": pd.date_range("2026-01-01", periods=3, freq="MS"),
            "value": [1.0, 2.0, 3.0],
            "name": ["a", "b", "c"],
        }
    )
    figure = px.line(frame, x="month", y="value", color="name", markers=True)
    figure.add_trace(go.Bar(x=frame["value"], y=frame["name"], orientation="h"))
    figure.add_trace(go.Scatter(x=frame["month"], y=frame["value"], line={"dash": "dot"}))
    figure.update_layout(
        title={"text": "warm"},
        xaxis={"title": {"text": "x"}},
        yaxis={"title": {"text": "y"}},
        legend={"orientation": "h"},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        font={"size": 12},
    )
    figure.to_json()
    pa.Table.from_pandas(frame)


def _session_manager() -> Any | None:
    """Streamlit's session manager (an internal), or None outside a running
    server (a test's stand-in runtime has none): then only the age rule applies."""
    if not runtime.exists():
        return None
    return getattr(runtime.get_instance(), "_session_mgr", None)


def live_session_ids() -> set[str] | None:
    """Ids of the sessions the server still holds (connected or waiting to
    reconnect); None when they cannot be told."""
    manager = _session_manager()
    if manager is None:
        return None
    try:
        return {info.session.id for info in manager.list_sessions()}
    except Exception:  # an internal that changed: fall back to the age rule
        log.warning("cannot list the server's sessions", exc_info=True)
        return None


def session_upload_folder() -> Path:
    """A staging folder for this session's uploads (``etl.uploads.upload_folder``),
    removed when the session object goes (the session ended), and marked
    with the session so a later upload removes it once the session is gone."""
    ctx = get_script_run_ctx()
    session_id = ctx.session_id if ctx is not None else None
    folder = uploads.upload_folder(session_id, live_session_ids())
    manager = _session_manager()
    if session_id is not None and manager is not None:
        try:
            info = manager.get_session_info(session_id)
        except Exception:  # an internal that changed: the sweep still removes it
            log.warning("cannot find this session to tie its uploads to", exc_info=True)
            info = None
        if info is not None:
            uploads.remove_with(info.session, folder)
    return folder


if __name__ == "__main__":
    main()
