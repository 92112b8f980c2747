"""The whole app once, served by ``streamlit run`` and opened in headless Chromium.

Uses Debian's ``/usr/bin/chromium`` through Python Playwright (never
``playwright install``) and saves a full-page screenshot to
``test-results/`` for a person to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui_fixture import warehouse_path  # noqa: F401  (the one line to swap)

pytestmark = pytest.mark.browser

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


@pytest.fixture
def server(warehouse_path: Path, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run browser tests")
    pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "KP_WAREHOUSE": str(warehouse_path)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
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


def test_dashboard_in_chromium(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    RESULTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(server, wait_until="domcontentloaded")
            metrics = page.get_by_test_id("stMetric")
            expect(metrics.first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_text("Overdue backlog").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_text("Download overdue list (CSV)")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            # The script has finished when the "running" indicator is gone.
            expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_timeout(1500)  # let Plotly finish drawing before the screenshot
            page.screenshot(path=str(RESULTS / "dashboard_top.png"))
            # The page scrolls inside Streamlit's main pane, not the body: grow the
            # viewport to the pane's height for a screenshot of the whole page.
            height = page.get_by_test_id("stMain").evaluate("el => el.scrollHeight")
            page.set_viewport_size({"width": 1440, "height": int(height) + 40})
            page.wait_for_timeout(1500)
            page.screenshot(path=str(RESULTS / "dashboard.png"), full_page=True)

            # The drill-down answers a choice of district.
            page.locator(".st-key-response_times_district").click()
            page.keyboard.type("Peshawar")
            page.keyboard.press("Enter")
            expect(page.get_by_text("Peshawar and the province")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(RESULTS / "dashboard_drilldown.png"), full_page=True)

            assert metrics.count() == 13
            labels = metrics.get_by_test_id("stMetricLabel").all_inner_texts()
            # A label may start with its on/off-target icon (a font ligature).
            ids = [re.search(r"\bR\d+\b", label).group() for label in labels]
            assert ids[:3] == ["R1", "R3", "R4"]
            assert page.get_by_test_id("stException").count() == 0
            assert "Traceback" not in page.inner_text("body")
        finally:
            browser.close()
