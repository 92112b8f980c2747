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
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

ENTRYPOINT = Path(__file__).resolve().parent.parent / "dashboard.py"


def main(argv: list[str] | None = None) -> None:
    """Run the dashboard with Streamlit's own command line (options pass through)."""
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(ENTRYPOINT), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
