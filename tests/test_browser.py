"""The whole app once, served by ``streamlit run`` and opened in headless Chromium.

Uses Debian's ``/usr/bin/chromium`` through Python Playwright (never
``playwright install``) and saves a full-page screenshot to
``test-results/`` for a person to look at.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    RESULTS,
    assert_no_error,
    open_app,
    screenshot_whole_page,
    serve_dashboard,
    wait_until_idle,
)


@pytest.fixture(scope="module")
def warehouse_path(demo_warehouse: Path) -> Path:
    """The session's demo warehouse, built by the real ETL (tests/conftest.py)."""
    return demo_warehouse


pytestmark = pytest.mark.browser


@pytest.fixture
def server(warehouse_path: Path, tmp_path: Path) -> Iterator[str]:
    with serve_dashboard(warehouse_path, tmp_path / "streamlit.log") as url:
        yield url


def open_dashboard(page: Page, url: str) -> Locator:
    open_app(page, url)
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_text("Overdue backlog").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)
    return metrics


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
            # The server's very first request is a deep link to the page (every
            # page's is checked in test_browser_deep_links.py); it must work whole.
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
            metrics = open_dashboard(page, f"{server}/response_times")
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
