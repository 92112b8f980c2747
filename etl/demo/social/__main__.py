"""``python -m etl.demo.social [FOLDER]``: write the social demo exports (a developer's shortcut).

Into ``FOLDER/social`` (default: the demo folder, ``KP_DEMO_DIR``), with
progress and each file's size; the warehouse is not touched.
"""

from __future__ import annotations

from etl.demo.cli import run
from etl.demo.social.generate import write_social_demo_files

if __name__ == "__main__":  # pragma: no cover - convenience for a developer
    run(write_social_demo_files)
