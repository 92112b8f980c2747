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

import logging
import sys
from pathlib import Path
from typing import Any

from streamlit import runtime
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.web import cli

from etl import uploads
from ui import server_guard

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
    sys.argv = ["streamlit", "run", str(ENTRYPOINT), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


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
