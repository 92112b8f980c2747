"""The social engagement page served by ``streamlit run`` in headless Chromium.

Same pattern as tests/test_browser.py: Debian's ``/usr/bin/chromium``
through Python Playwright, and a full-page screenshot in ``test-results/``
for a person to look at. The warehouse is tests/social_fixture.py moved
from March 2025 to last month, the dashboard's default period.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.social_fixture import build_social_warehouse, shift_to_month_before

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
RESULTS = ROOT / "test-results"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
START_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    today = datetime.now(ZoneInfo("Asia/Karachi")).date()
    path = tmp_path_factory.mktemp("social_browser") / "warehouse.duckdb"
    return build_social_warehouse(path, shift=shift_to_month_before(today))


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
def server(warehouse_path: Path, tmp_path: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run browser tests")
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


def wait_until_idle(page: Page) -> None:
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(1500)  # let Plotly finish drawing


def assert_no_error(page: Page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert "Traceback" not in page.inner_text("body")
    assert page.get_by_text("Page not found").count() == 0


def screenshot_whole_page(page: Page, path: Path) -> None:
    height = page.get_by_test_id("stMain").evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": 1440, "height": int(height) + 40})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def card_value(page: Page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(has_text=label)
    return card.get_by_test_id("stMetricValue").inner_text()


def test_social_page_in_chromium(server: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            # The server's first request is a deep link to the page.
            page.goto(f"{server}/social_engagement", wait_until="domcontentloaded")
            expect(page.get_by_text("Top posts (S5)")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            wait_until_idle(page)
            assert_no_error(page)
            # Facebook's four posts of the month: 1000 + 2000 + 400 + 600 impressions
            assert card_value(page, "Facebook · Impressions (S1)") == "4,000"
            assert card_value(page, "Replied (R3 on social)") == "75.0%"
            # Trend, box, followers, cadence, heat map, growth curve, types, tags, audience
            expect(page.locator(".js-plotly-plot").nth(8)).to_be_attached(timeout=PAGE_TIMEOUT_MS)
            screenshot_whole_page(page, RESULTS / "social_engagement.png")

            # Another platform's heat map.
            page.locator(".st-key-social_engagement_heat_platform").get_by_role(
                "radio", name="Instagram"
            ).click()
            wait_until_idle(page)
            assert_no_error(page)
            expect(page.get_by_text("of Instagram posts by the weekday")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
        finally:
            browser.close()
