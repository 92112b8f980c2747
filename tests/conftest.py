"""Shared fixtures: a real demo warehouse built once per test session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# The users database and the hashing key of a test run live in a temporary
# folder, never data/users.sqlite or ~/.config (tests/auth_support.py makes
# the test users; dashboards served by browser tests inherit these).
_AUTH_DIR = tempfile.mkdtemp(prefix="kp-test-auth-")
atexit.register(shutil.rmtree, _AUTH_DIR, ignore_errors=True)
os.environ.setdefault("KP_USERS_DB", os.path.join(_AUTH_DIR, "users.sqlite"))
os.environ.setdefault("KP_SECRET_DIR", os.path.join(_AUTH_DIR, "secret"))


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory):
    """A warehouse built by the real ETL from the demo exports (smaller volume).

    Up to yesterday, so period presets relative to today have data.
    """
    from etl.demo.build import build_demo_warehouse

    folder = tmp_path_factory.mktemp("demo")
    warehouse = folder / "warehouse.duckdb"
    report = build_demo_warehouse(
        warehouse, out_dir=folder / "exports", months=19, daily_volume=40.0
    )
    assert report.swapped and not report.rejected, [f.line() for f in report.files]
    return warehouse


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, one per test module
    (tests/browser_support.py); the test is skipped where it is missing."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run browser tests")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
