"""The social engagement page served by ``streamlit run`` in headless Chromium.

Same pattern as tests/test_browser.py: Debian's ``/usr/bin/chromium``
through Python Playwright, and a full-page screenshot in ``test-results/``
for a person to look at. The warehouse is tests/social_fixture.py moved
from March 2025 to last month, the dashboard's default period.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect, sync_playwright

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
from tests.social_fixture import build_social_warehouse, shift_to_month_before

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    today = datetime.now(ZoneInfo("Asia/Karachi")).date()
    path = tmp_path_factory.mktemp("social_browser") / "warehouse.duckdb"
    return build_social_warehouse(path, shift=shift_to_month_before(today))


@pytest.fixture
def server(warehouse_path: Path, tmp_path: Path) -> Iterator[str]:
    with serve_dashboard(warehouse_path, tmp_path / "streamlit.log") as url:
        yield url


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
            open_app(page, f"{server}/social_engagement")
            expect(page.get_by_text("Top posts (S5)")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            wait_until_idle(page)
            assert_no_error(page)
            # Facebook's four posts of the month: 1000 + 2000 + 400 + 600 impressions
            assert card_value(page, "Facebook · Impressions (S1)") == "4,000"
            # S6 (3 of 4 replied) rests on fewer items than the targets file's minimum n
            # (10): the card says so rather than show a confident 75.0%.
            assert card_value(page, "Replied (R3 on social)") == "n too small"
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
