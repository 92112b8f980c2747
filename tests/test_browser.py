"""The whole app once, served by ``streamlit run`` and opened in headless Chromium.

Uses Debian's ``/usr/bin/chromium`` through Python Playwright (never
``playwright install``) and saves a full-page screenshot to
``test-results/`` for a person to look at.
"""

from __future__ import annotations

import csv
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
from playwright.sync_api import Locator, Page, expect, sync_playwright


@pytest.fixture(scope="module")
def warehouse_path(demo_warehouse: Path) -> Path:
    """The session's demo warehouse, built by the real ETL (tests/conftest.py)."""
    return demo_warehouse


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
    """Until the script run has finished (Streamlit's "running" widget is gone)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(1500)  # let Plotly finish drawing


def assert_no_error(page: Page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert "Traceback" not in page.inner_text("body")
    assert page.get_by_text("Page not found").count() == 0


def open_dashboard(page: Page, url: str) -> Locator:
    page.goto(url, wait_until="domcontentloaded")
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_text("Overdue backlog").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)
    return metrics


def screenshot_whole_page(page: Page, path: Path) -> None:
    # The page scrolls inside Streamlit's main pane, not the body: grow the
    # viewport to the pane's height to capture all of it.
    height = page.get_by_test_id("stMain").evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": 1440, "height": int(height) + 40})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def check_download(page: Page, tmp_path: Path) -> None:
    """The overdue CSV is built on click, has every overdue item, no personal data."""
    pattern = re.compile(r"Overdue items \((?:the oldest [\d,]+ of )?([\d,]+)\)")
    heading = page.get_by_text(pattern).inner_text()
    listed = int(pattern.search(heading).group(1).replace(",", ""))
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
        page.get_by_text("Download overdue list (CSV)").click()
    target = tmp_path / "overdue.csv"
    download.value.save_as(target)
    # UTF-8 with a BOM, so Excel shows Urdu and Pashto correctly.
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == listed
    assert {"inquiry_id", "district", "overdue_days", "received_at_pkt"} <= set(rows[0])
    assert not {"name", "phone", "cnic", "email", "summary"} & {c.lower() for c in rows[0]}


def test_dashboard_in_chromium(server: str, tmp_path: Path) -> None:
    RESULTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # The server's very first request is a deep link to the page: Streamlit
            # runs the page file alone then (legacy pages/ mode); it must still work.
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            metrics = open_dashboard(page, f"{server}/response_times")
            assert_no_error(page)
            # ...and its sidebar filters work there too.
            before = metrics.first.get_by_test_id("stMetricValue").inner_text()
            page.locator(".st-key-filters_preset").click()
            page.get_by_role("option", name="Fiscal year to date").click()
            expect(metrics.first.get_by_test_id("stMetricValue")).not_to_have_text(
                before, timeout=PAGE_TIMEOUT_MS
            )
            wait_until_idle(page)
            assert_no_error(page)
            page.close()

            page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
            metrics = open_dashboard(page, server)
            page.screenshot(path=str(RESULTS / "dashboard_top.png"))
            screenshot_whole_page(page, RESULTS / "dashboard.png")
            assert metrics.count() == 13
            labels = metrics.get_by_test_id("stMetricLabel").all_inner_texts()
            # A label may start with its on/off-target icon (a font ligature).
            ids = [re.search(r"\bR\d+\b", label).group() for label in labels]
            assert ids == [
                "R1",
                "R3",
                "R4",
                "R5",
                "R6",
                "R7",
                "R8",
                "R9",
                "R10",
                "R11",
                "R12",
                "R13",
                "R14",
            ]
            assert_no_error(page)
            check_download(page, tmp_path)

            # The drill-down answers a choice of district.
            page.locator(".st-key-response_times_district").click()
            page.keyboard.type("Peshawar")
            page.keyboard.press("Enter")
            expect(page.get_by_text("Peshawar vs the province")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            wait_until_idle(page)
            assert_no_error(page)
            screenshot_whole_page(page, RESULTS / "dashboard_drilldown.png")
        finally:
            browser.close()
