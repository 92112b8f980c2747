"""Logging in, in a real browser: the form, a deep link kept through login,
a donor kept off row-level pages, and nothing fetched from outside the app.

Debian's chromium through Python Playwright (tests/browser_support.py); the
test users and their password are tests/auth_support.py's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.auth_support import DEMO_PASSWORD, ensure_test_users
from tests.browser_support import (
    PAGE_TIMEOUT_MS,
    assert_no_error,
    open_app,
    serve_dashboard,
    wait_until_idle,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ensure_test_users()
    log = tmp_path_factory.mktemp("login") / "streamlit.log"
    with serve_dashboard(demo_warehouse, log) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


def log_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_deep_link_asks_for_a_login_then_opens_the_page(server: str, page: Page) -> None:
    page.goto(f"{server}/data", wait_until="domcontentloaded")
    expect(page.get_by_label("Password", exact=True)).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("type", "password")
    assert page.get_by_test_id("stMetric").count() == 0
    assert page.get_by_role("heading", name="Data").count() == 0

    log_in(page, "data_officer", "not the password")
    expect(page.get_by_text("Wrong username or password.")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert page.get_by_role("heading", name="Data").count() == 0

    log_in(page, "data_officer", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Data")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert page.url == f"{server}/data"
    wait_until_idle(page)
    assert_no_error(page)
    expect(page.get_by_text("data_officer")).not_to_have_count(0)

    # A refresh is a new session: the password is asked for again.
    page.reload(wait_until="domcontentloaded")
    expect(page.get_by_label("Password", exact=True)).to_be_visible(timeout=PAGE_TIMEOUT_MS)


def test_a_donor_never_reaches_a_row_level_page(server: str, page: Page) -> None:
    row_level = (  # the Overview is not among them: a donor gets it published
        "Response times",
        "Social engagement",
        "Media",
        "Outreach",
        "Data",
        "Audit log",
    )
    open_app(page, server, "donor")
    wait_until_idle(page)
    nav = page.get_by_test_id("stSidebarNav")
    for title in row_level:
        assert nav.get_by_text(title, exact=True).count() == 0, title
    for path in ("response_times", "data", "social_engagement", "audit"):
        open_app(page, f"{server}/{path}", "donor")
        wait_until_idle(page)
        for title in row_level:
            heading = page.get_by_role("heading", level=1, name=title, exact=True)
            assert heading.count() == 0, (path, title)
        assert page.get_by_text("District drill-down").count() == 0, path


def test_logging_out_shows_the_form_again(server: str, page: Page) -> None:
    open_app(page, f"{server}/response_times", "ig_office")
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_label("Password", exact=True)).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    # The page's cards go when the run that drew the form ends (Streamlit
    # keeps the last run's elements, faded, until then): wait for that.
    expect(page.get_by_test_id("stMetric")).to_have_count(0, timeout=PAGE_TIMEOUT_MS)


def test_a_page_fetches_nothing_from_outside_the_app(server: str, page: Page) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_app(page, f"{server}/response_times", "admin")
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)
    outside = [url for url in requested if not url.startswith((server, "data:", "blob:", "about:"))]
    assert requested and not outside, outside
