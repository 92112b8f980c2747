"""``python -m etl.demo [FOLDER]``: write the register demo exports (a developer's shortcut).

Into ``FOLDER`` (default: the demo folder, ``KP_DEMO_DIR``), with progress
and each file's size; the warehouse is not touched. ``python -m etl demo``
writes every demo export and builds the warehouse from them.
"""

from etl.demo.cli import run
from etl.demo.generate import write_demo_files

if __name__ == "__main__":  # pragma: no cover - convenience for a developer
    run(write_demo_files)
