"""What Streamlit's server answers outside any page run (issue 14), on a real
``python -m ui.serve`` server: ``/_stcore/metrics`` is off, and a download's
``/media/`` URL is served only to the browser of a logged-in session holding it.

Real HTTP (urllib, and Chromium's own request context through Playwright);
every wait is for a condition, with the generous deadlines of
tests/browser_support.py. Every download of the app is deferred (made on
click); the rule for files a page run adds (images, a download given bytes)
is checked in-process on Streamlit's real media file manager at the end.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

from auth import sessions, users
from tests.auth_support import ensure_test_users
from tests.browser_support import (
    PAGE_TIMEOUT_MS,
    open_app,
    serve_dashboard,
    wait_until_idle,
)
from ui import server_guard
from ui.login import KEY_SESSION

pytestmark = pytest.mark.browser

DOWNLOAD = "Download overdue list (CSV)"


@pytest.fixture(scope="module")
def server(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ensure_test_users()
    log = tmp_path_factory.mktemp("endpoints") / "streamlit.log"
    with serve_dashboard(demo_warehouse, log) as url:
        yield url


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    yield context
    context.close()


def status(url: str, method: str = "GET") -> int:
    """The HTTP status of ``url`` for a client with no cookies at all."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def download_overdue_csv(page: Page, server: str, role: str) -> tuple[str, bytes]:
    """Log in as ``role``, click the Response times page's CSV download;
    the URL it was fetched from and the bytes the browser saved."""
    open_app(page, f"{server}/response_times", role)
    expect(page.get_by_role("button", name=DOWNLOAD)).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page, settle_ms=0)
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
        page.get_by_role("button", name=DOWNLOAD).click()
    path = download.value.path()
    return download.value.url, Path(path).read_bytes()


def test_metrics_are_off_and_health_still_answers(server: str) -> None:
    assert status(f"{server}/_stcore/health") == 200
    assert status(f"{server}/_stcore/metrics") == 404
    assert status(f"{server}/_stcore/metrics?families=session_events") == 404
    assert status(f"{server}/_stcore/metrics", method="OPTIONS") == 404


def test_a_download_is_served_only_to_the_logged_in_browser_that_holds_it(
    server: str, browser: Browser, context: BrowserContext
) -> None:
    page = context.new_page()
    url, saved = download_overdue_csv(page, server, "admin")
    assert url.startswith(f"{server}/media/"), url
    assert saved.startswith(b"\xef\xbb\xbf") and b"inquiry_id" in saved[:200]

    # The same browser, still logged in: the same bytes again.
    again = context.request.get(url)
    assert again.status == 200 and again.body() == saved

    # Anyone else: no cookie (a program, a copied link) ...
    assert status(url) == 404
    # ... or another browser, on the login page with its own Streamlit cookies.
    other = browser.new_context()
    try:
        stranger = other.new_page()
        stranger.goto(server, wait_until="domcontentloaded")
        expect(stranger.get_by_label("Password", exact=True)).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        assert other.request.get(url).status == 404
    finally:
        other.close()

    # After logout, the same browser gets 404 too.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_label("Password", exact=True)).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert context.request.get(url).status == 404


def test_a_download_url_dies_with_its_session(server: str, context: BrowserContext) -> None:
    page = context.new_page()
    url, _ = download_overdue_csv(page, server, "ig_office")
    assert context.request.get(url).status == 200
    # Leaving the app ends the page's Streamlit session (its websocket closes);
    # the browser keeps its cookies, yet no logged-in session holds the file.
    page.goto("about:blank")
    page.close()
    expect_status(context, server, url, 404)


def expect_status(context: BrowserContext, server: str, url: str, code: int) -> None:
    """Wait (polling, up to the page deadline) until ``url`` answers ``code``
    to this browser: the server notices a closed websocket when it reads
    from it, not at once. Polled from a page of the server's own origin that
    starts no Streamlit session (the health check)."""
    deadline_page = context.new_page()
    try:
        deadline_page.goto(f"{server}/_stcore/health")
        deadline_page.wait_for_function(
            """async ([url, code]) => (await fetch(url)).status === code""",
            arg=[url, code],
            timeout=PAGE_TIMEOUT_MS,
            polling=500,
        )
    finally:
        deadline_page.close()


# The rule itself, in-process: Streamlit's real media file manager, a stand-in
# for the runtime's session lookup (a page run's files, not deferred ones).


def stand_in_runtime(state: dict[str, object], cookie: str) -> tuple[SimpleNamespace, str]:
    """A runtime whose one session (``state``, connected with ``cookie``)
    holds one file a page run added; and that file's id."""
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    url = manager.add(b"id,district\n1,Peshawar\n", "text/csv", "1.(2).3", "list.csv", True)
    session_id = "dontcare"  # what the manager files it under outside a script run
    client = SimpleNamespace(client_context=SimpleNamespace(cookies={"_streamlit_xsrf": cookie}))
    runtime = SimpleNamespace(
        media_file_mgr=manager,
        get_app_session=lambda sid: (
            SimpleNamespace(session_state=state) if sid == session_id else None
        ),
        get_client=lambda sid: client if sid == session_id else None,
    )
    return runtime, server_guard.file_id_of(url)


def test_a_page_runs_file_goes_only_to_its_logged_in_sessions_browser() -> None:
    ensure_test_users()
    user = users.get_user("admin")
    assert user is not None
    token = os.urandom(16)
    browser_cookie = generate_xsrf_token_string(token)
    state: dict[str, object] = {KEY_SESSION: sessions.start(user)}
    runtime, file_id = stand_in_runtime(state, browser_cookie)

    # The same browser (its cookie set again with a new mask): served.
    assert server_guard.may_fetch(runtime, file_id, generate_xsrf_token_string(token))
    # Another browser, no cookie, another file: not.
    assert not server_guard.may_fetch(runtime, file_id, generate_xsrf_token_string(os.urandom(16)))
    assert not server_guard.may_fetch(runtime, file_id, None)
    assert not server_guard.may_fetch(runtime, "0" * 56, browser_cookie)
    # The session's login idle too long, or gone: not.
    login = state[KEY_SESSION]
    state[KEY_SESSION] = replace(login, last_seen_at=login.last_seen_at - timedelta(hours=2))
    assert not server_guard.may_fetch(runtime, file_id, browser_cookie)
    del state[KEY_SESSION]
    assert not server_guard.may_fetch(runtime, file_id, browser_cookie)
