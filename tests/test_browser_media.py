"""The Media and Outreach pages served by ``streamlit run`` in headless Chromium.

The pages are served by ``tests/media_pages_app.py`` (they frame exactly as
``dashboard.py`` frames them). The warehouse is tests/media_fixture.py moved
by whole weeks into last month, the dashboard's default period, so the
figures are the fixture's hand-worked ones. The live test loads one more
mention with the real loader while the page is open and waits for the page
to show it by itself: no reload, no click.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests import media_fixture as fx
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

pytestmark = pytest.mark.browser
APP = Path(__file__).resolve().parent / "media_pages_app.py"
LIVE_TIMEOUT_MS = 60_000  # the page polls every 5 s; a load takes a few more


def shift_into_last_month() -> int:
    """Days that move Monday 3 March 2025 to the first Monday of last month."""
    today = datetime.now(ZoneInfo("Asia/Karachi")).date()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    return (monday - date(2025, 3, 3)).days


@pytest.fixture(scope="module")
def shift() -> int:
    return shift_into_last_month()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, shift: int) -> Path:
    return fx.build(tmp_path_factory.mktemp("media_browser"), shift_days=shift)


def serve(warehouse: Path, inbox: Path, log: Path):
    """The two pages (``APP``) on a free port, reading ``warehouse``; yields the URL."""
    return serve_dashboard(warehouse, log, app=APP, env={"KP_INBOX": str(inbox)})


def card(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_media_page_in_chromium_updates_itself(warehouse: Path, shift: int, tmp_path: Path) -> None:
    RESULTS.mkdir(exist_ok=True)
    with (
        serve(warehouse, tmp_path / "inbox", tmp_path / "streamlit.log") as url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            # The app's first page holds the root URL (Streamlit's default page).
            open_app(page, url)
            expect(page.get_by_text("Crisis communication")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            wait_until_idle(page)
            assert_no_error(page)
            expect(card(page, "M4 · Media mentions")).to_have_text("12")
            expect(card(page, "M5 · Net tone")).to_have_text("+20")
            expect(page.get_by_text("1 incident(s) with no public statement yet")).to_be_visible()
            expect(page.locator(".js-plotly-plot").nth(6)).to_be_attached(timeout=PAGE_TIMEOUT_MS)
            screenshot_whole_page(page, RESULTS / "media.png")

            # A month's monitoring log arrives through the loader while the page is open.
            from etl.load import load_paths

            extra = fx.write_register(
                tmp_path / "monitoring_late.csv",
                "mentions",
                [
                    {
                        "mention_id": "MM-90",
                        "published_at": "2025-03-06 18:00",
                        "outlet": "Express Tribune",
                        "outlet_type": "print",
                        "tone": "negative",
                        "district": "Kurram",
                    }
                ],
                shift_days=shift,
            )
            report = load_paths([extra], warehouse=warehouse, loaded_by="test")
            assert report.swapped, [f.line() for f in report.files]
            expect(card(page, "M4 · Media mentions")).to_have_text("13", timeout=LIVE_TIMEOUT_MS)
            # (5 - 4) / 11 coded x 100
            expect(card(page, "M5 · Net tone")).to_have_text("+9", timeout=LIVE_TIMEOUT_MS)
            assert_no_error(page)
        finally:
            browser.close()


def test_outreach_page_in_chromium(warehouse: Path, tmp_path: Path) -> None:
    RESULTS.mkdir(exist_ok=True)
    with (
        serve(warehouse, tmp_path / "inbox", tmp_path / "streamlit.log") as url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            open_app(page, f"{url}/outreach")
            expect(page.get_by_text("Districts with no event in the period")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            wait_until_idle(page)
            assert_no_error(page)
            expect(card(page, "I4 · Outreach events held")).to_have_text("6")
            expect(card(page, "I4 · Participants")).to_have_text("233")
            expect(page.locator(".js-plotly-plot").nth(3)).to_be_attached(timeout=PAGE_TIMEOUT_MS)
            screenshot_whole_page(page, RESULTS / "outreach.png")
        finally:
            browser.close()
