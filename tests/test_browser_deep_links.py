"""Every page opens by its own URL, also as the first request a fresh server gets.

For each page of ``ui.frame.PAGES`` (and the root URL) a freshly started
``streamlit run dashboard.py`` gets ``http://host/<url_path>`` as its very
first request, in headless Chromium. The page's heading shows, under its own
URL, with no "Page not found" dialog and no exception, and the sidebar menu
is the app's own list of pages (every page's title linking to its URL, the
open one marked), not a list of files. Then, on the same server, the next
page is opened from the menu and by its URL.

Why a fresh server each time: Streamlit serves a server's first request
differently (see ``ui/frame.py``), so only a first request shows whether a
deep link works for someone who follows a shared link.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from etl.load import load_paths
from tests.browser_support import (
    PAGE_TIMEOUT_MS,
    ROOT,
    assert_no_error,
    open_app,
    serve_dashboard,
    wait_until_idle,
)
from tests.etl_helpers import register_row, write_register
from ui.frame import PAGES, PageEntry


def test_the_page_list_can_be_served_by_url() -> None:
    """What the deep links rely on, checked without a browser."""
    # pages/ holds pages only: every file in it is listed (the legacy mode
    # that ui/serve.py keeps a fresh server out of would serve each of them).
    listed = {entry.script for entry in PAGES}
    on_disk = {f"pages/{f.name}" for f in (ROOT / "pages").glob("*.py")}
    assert on_disk <= listed, f"files in pages/ that are not pages: {sorted(on_disk - listed)}"
    for entry in PAGES:
        assert (ROOT / entry.script).is_file(), entry.script
        assert re.fullmatch(r"[a-z0-9_-]+", entry.url_path), entry.url_path
    assert len({entry.url_path for entry in PAGES}) == len(PAGES)
    assert len({entry.title for entry in PAGES}) == len(PAGES)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """A small warehouse loaded by the real ETL: the pages only need to open."""
    folder = tmp_path_factory.mktemp("deep_links")
    rows = [
        register_row(
            f"DL-{i}",
            f"2025-0{1 + i % 9}-{1 + i % 27:02d} 10:00",
            first_response_at=f"2025-0{1 + i % 9}-{1 + i % 27:02d} 11:30",
            district=("Peshawar", "Swat", "Kohat")[i % 3],
        )
        for i in range(30)
    ]
    path = folder / "warehouse.duckdb"
    report = load_paths([write_register(folder / "register.csv", rows)], warehouse=path)
    assert report.swapped and not report.rejected
    return path


def expect_page(page: Page, server: str, entry: PageEntry) -> None:
    """``entry`` is open under its own URL: heading, menu, no dialog, no error."""
    own_url = f"{server}/{entry.url_path}"
    heading = page.get_by_role("heading", level=1, name=entry.title, exact=True)
    expect(heading).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page).to_have_url(own_url, timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page, settle_ms=0)
    # The app's own menu: every page's title, linking to its own URL, in order.
    links = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")
    expect(links, "the menu must list the app's pages, not the files in a folder").to_have_count(
        len(PAGES), timeout=PAGE_TIMEOUT_MS
    )
    assert [link.get_attribute("href") for link in links.all()] == [
        f"{server}/{other.url_path}" for other in PAGES
    ]
    for link, other in zip(links.all(), PAGES, strict=True):
        expect(link).to_contain_text(other.title)
    expect(links.and_(page.locator("[aria-current='page']"))).to_have_attribute("href", own_url)
    assert_no_error(page)


# The root URL ("") opens the first page, under that page's own URL.
FIRST_REQUESTS = ["", *(entry.url_path for entry in PAGES)]


@pytest.mark.browser
@pytest.mark.parametrize("path", FIRST_REQUESTS, ids=lambda path: f"/{path}")
def test_deep_link_as_first_request(path: str, warehouse: Path, browser: Browser, tmp_path):
    entry = next((e for e in PAGES if e.url_path == path), PAGES[0])
    following = PAGES[(PAGES.index(entry) + 1) % len(PAGES)]
    with serve_dashboard(warehouse, tmp_path / "streamlit.log") as server:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        try:
            page = context.new_page()
            open_app(page, f"{server}/{path}")
            expect_page(page, server, entry)

            # After navigation: the next page from the menu, then by its URL.
            page.locator(
                f'[data-testid="stSidebarNavLink"][href="{server}/{following.url_path}"]'
            ).click()
            expect_page(page, server, following)
            open_app(page, f"{server}/{following.url_path}")
            expect_page(page, server, following)
        finally:
            context.close()
