"""What every real-browser test shares: a served dashboard and Debian's chromium.

Python Playwright drives ``/usr/bin/chromium`` (never ``playwright install``);
the dashboard runs as ``python -m ui.serve`` (``streamlit run dashboard.py``) on a free loopback port
with ``KP_WAREHOUSE`` pointing at the test's warehouse.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
RESULTS = ROOT / "test-results"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
START_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 90_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited ({proc.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit not healthy after {START_TIMEOUT_S}s:\n{log.read_text()}")


@contextmanager
def serve_dashboard(
    warehouse: Path,
    log: Path,
    *,
    app: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """The dashboard (or another ``app`` script) on a free port, reading
    ``warehouse`` with ``env`` added; yields its URL.

    Skips the test when Debian's chromium is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run browser tests")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        **(env or {}),
        "KP_WAREHOUSE": str(warehouse),
        "GX_ANALYTICS_ENABLED": "false",
    }
    start = ["-m", "ui.serve"] if app is None else ["-m", "streamlit", "run", str(app)]
    command = [
        sys.executable, *start,
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def open_app(page: Page, url: str, role: str | None = None) -> None:
    """Open ``url`` and log in on the app's login form as ``role`` (a test
    user of tests/auth_support.py; default ``KP_TEST_ROLE``, else admin).

    Every full page load is a new Streamlit session, so each ``goto`` logs in
    again; the page asked for opens once the login form is gone."""
    from tests.auth_support import DEMO_PASSWORD, ensure_test_users, role_under_test

    ensure_test_users()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("Username", exact=True).fill(role or role_under_test())
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("Password", exact=True)).to_have_count(0, timeout=PAGE_TIMEOUT_MS)


def wait_until_idle(page: Page, settle_ms: int = 1500) -> None:
    """Until the script run has finished (Streamlit's "running" widget is gone),
    then ``settle_ms`` for Plotly to finish drawing."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(settle_ms)


def assert_no_error(page: Page) -> None:
    assert page.get_by_test_id("stException").count() == 0, "the page shows an exception"
    assert "Traceback" not in page.inner_text("body"), "the page shows a traceback"
    assert page.get_by_text("Page not found").count() == 0, "a 'Page not found' dialog is open"


def screenshot_whole_page(page: Page, path: Path) -> None:
    """A full-page screenshot: the page scrolls inside Streamlit's main pane,
    so the viewport grows to the pane's height first."""
    height = page.get_by_test_id("stMain").evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": 1440, "height": int(height) + 40})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
