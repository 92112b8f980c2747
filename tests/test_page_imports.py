"""No page imports the loader or Great Expectations on its render path.

Pages read the warehouse through ``metrics`` and ``ui.queries``; the ETL
(readers, sources, Great Expectations checks, the loader, rollback, the demo
generators) is imported only when a person uploads files or presses Load or
Roll back on the Data page. Importing it costs every page's first run about
2 s, so a stray import is a real slowdown, and it is invisible on screen.

Each page is rendered by AppTest on the demo warehouse in a fresh Python
process (so ``sys.modules`` holds only what that render imported), in both
ways a person reaches it: through the app's router (``dashboard.py``, then the
page) and by a deep link on a freshly started server (the page file alone,
drawing its own frame). The process then lists the modules it holds. Every
page file in ``pages/`` is covered, including pages added later.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(PROJECT).as_posix() for p in (PROJECT / "pages").glob("*.py"))

# Modules no page may import while it renders (a name or a name's prefix).
FORBIDDEN = ("great_expectations", "etl.load", "etl.validate", "etl.sources", "etl.rollback")
FORBIDDEN_PREFIXES = ("etl.demo",)  # etl.demo, etl.demo_build, etl.demo_social, etl.demo.*
# The only ``etl`` modules a page may hold after rendering: the Data page's
# staging helpers (upload folder, the loader's name, advice), which import
# nothing of the ETL themselves.
ETL_ALLOWED = frozenset({"etl", "etl.uploads"})

# Runs in the child process: render the page, print what it imported.
CHILD = r"""
import json
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.auth_support import login  # every page needs a logged-in user

mode, page, project = sys.argv[1], sys.argv[2], Path(sys.argv[3])
if mode == "alone":
    at = login(AppTest.from_file(str(project / page), default_timeout=180)).run()
    before = []
else:
    from streamlit.runtime.pages_manager import PagesManager

    # As tests/test_app.py's pin_navigation_mode: reruns run the router, as a live
    # server does once st.navigation has run.
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    at = login(AppTest.from_file(str(project / "dashboard.py"), default_timeout=180)).run()
    before = sorted(sys.modules)  # the default page's imports, for the message
    at.switch_page(page).run()
print(
    "RESULT "
    + json.dumps(
        {
            "exceptions": [str(e.value) for e in at.exception],
            "titles": [str(t.value) for t in at.title],
            "modules": sorted(sys.modules),
            "before": before,
        }
    )
)
"""


def forbidden(modules: list[str]) -> list[str]:
    """The modules of ``modules`` that no page may import while rendering."""
    found = []
    for name in modules:
        top = name.split(".", 1)[0]
        if (
            any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
            or name.startswith(FORBIDDEN_PREFIXES)
            or (top == "etl" and name not in ETL_ALLOWED)
        ):
            found.append(name)
    return found


def run_fresh(code: str, *args: str, **env: str) -> dict:
    """Run ``code`` in a fresh interpreter at the project root; return what
    it printed after ``RESULT `` (JSON)."""
    env = {
        **os.environ,
        "GX_ANALYTICS_ENABLED": "false",
        # A page file alone is the script: the project root must be importable.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])),
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("RESULT "))


def render_in_fresh_process(mode: str, page: str, warehouse: Path) -> dict:
    return run_fresh(CHILD, mode, page, str(PROJECT), KP_WAREHOUSE=str(warehouse))


def test_the_check_knows_what_to_look_for() -> None:
    # The import chain of the old stale-source notice (ui/freshness.py imported
    # etl.operations, which imported the loader and every source).
    old_chain = ["ui.freshness", "etl", "etl.operations", "etl.load", "etl.sources.meta"]
    assert forbidden(old_chain) == ["etl.operations", "etl.load", "etl.sources.meta"]
    assert forbidden(["great_expectations.core", "etl.demo_build", "etl.demo.people"]) == [
        "great_expectations.core",
        "etl.demo_build",
        "etl.demo.people",
    ]
    assert forbidden(["etl", "etl.uploads", "metrics.freshness", "core.masking", "etlx"]) == []
    assert "pages/data_operations.py" in PAGES and len(PAGES) >= 3


@pytest.mark.parametrize("mode", ["routed", "alone"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_the_etl(page: str, mode: str, demo_warehouse: Path) -> None:
    result = render_in_fresh_process(mode, page, demo_warehouse)
    assert not result["exceptions"], result["exceptions"]
    assert result["titles"], f"{page} drew no title: it did not render"
    loaded = forbidden(result["modules"])
    earlier = set(forbidden(result["before"]))
    assert not loaded, f"{page} ({mode}) imported {', '.join(loaded[:12])}" + (
        f" (already after the default page: {', '.join(sorted(earlier)[:6])})" if earlier else ""
    )


WARM_CHILD = """
import json, sys
from ui.serve import page_imports, warm_imports
warm_imports()
print("RESULT " + json.dumps({"loaded": sorted(sys.modules), "wanted": page_imports()}))
"""


def test_the_server_warms_the_pages_imports_but_not_the_etl() -> None:
    """``python -m ui.serve`` imports what the pages import before the first
    request, and nothing of the loader or Great Expectations."""
    result = run_fresh(WARM_CHILD)
    loaded = set(result["loaded"])
    assert {"ui.frame", "ui.scorecard_view", "metrics.kpis", "ui.social_charts"} <= loaded
    assert {"ui.frame", "metrics.filters"} <= set(result["wanted"])
    assert forbidden(sorted(loaded)) == []


GX_CHILD = """
import json, sys
from pathlib import Path
import etl.load
before = "great_expectations" in sys.modules
checks = etl.load.inspect_files([Path(sys.argv[1])])
print("RESULT " + json.dumps({
    "before": before,
    "after": "great_expectations" in sys.modules,
    "valid": checks[0].valid_count,
    "error": None if checks[0].error is None else str(checks[0].error),
}))
"""


def test_the_loader_imports_great_expectations_only_when_it_reads_a_file(tmp_path: Path) -> None:
    """``import etl.load`` leaves GX out (its import runs on a thread while a
    load reads its files: ``etl.gx_import``); a file read is validated by it."""
    register = tmp_path / "register.csv"
    register.write_text(
        "inquiry_id,received_at,channel,category,district,requester_gender\n"
        "GX-1,2026-03-02 10:00,Facebook,complaint,Peshawar,female\n"
        "GX-2,2026-03-02 11:00,X,not-a-category,Peshawar,male\n",
        encoding="utf-8",
    )
    result = run_fresh(GX_CHILD, str(register))
    assert result["before"] is False
    assert result["after"] is True
    assert result["error"] is None
    assert result["valid"] == 1  # GX quarantined the row with the unknown category
