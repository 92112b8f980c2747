"""The first page a person sees after the server starts, in Chromium.

The dashboard is started as staff start it (``python -m ui.serve``), with a
users database of one benchmark user in a temporary folder; the browser
(Debian's ``/usr/bin/chromium`` through Playwright) is already running.
Measured from the page request to the first page drawn: the login form
shown, the user logged in (argon2 verification included), the first page's
script run finished. The reference is a one-metric Streamlit page (one
DuckDB count on the same warehouse, ``streamlit run``) on the same machine,
measured from the request to its metric drawn.

The dashboard is measured twice, each time on a freshly started server: as
it runs (``ui.warm_cache`` computes the landing page's queries as the server
starts, so a person logging in finds them cached), and with that switched
off (``KP_WARM_CACHE=0``: the first page's queries run when "Log in" is
pressed).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import environment
from core.config import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
USER = "benchmark"
PASSWORD = "benchmark-password-not-for-production"
TIMEOUT_MS = 120_000
FIRST_PAGE_TITLE = "Overview"  # the page an admin lands on after logging in
STREAMLIT_OPTIONS = [
    "--server.headless", "true", "--server.address", "127.0.0.1",
    "--browser.gatherUsageStats", "false",
]  # fmt: skip
ONE_METRIC = """
import streamlit as st
from core.warehouse import reading

with reading() as con:
    items = con.execute("select count(*) from marts.inquiries").fetchone()[0]
st.metric("Items in the warehouse", f"{items:,}")
"""


@dataclass
class FirstPage:
    server_start: float  # command to healthy
    login_form: float  # request to the login form shown
    after_login: float  # "Log in" pressed to the first page drawn
    reference_start: float
    reference: float  # request to the one-metric page drawn
    cold_login_form: float  # the same, with the warm-up switched off
    cold_after_login: float

    @property
    def dashboard(self) -> float:
        return self.login_form + self.after_login

    @property
    def cold(self) -> float:
        return self.cold_login_form + self.cold_after_login


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _served(command: list[str], env: dict[str, str], log: Path) -> Iterator[tuple[str, float]]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*command, *STREAMLIT_OPTIONS, "--server.port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
            if time.perf_counter() - started > 120:
                raise TimeoutError(f"streamlit not healthy:\n{log.read_text()}")
        yield url, time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


# Checked on every animation frame in the page (``polling="raf"``), not by
# Playwright's locator waits, whose polling backs off to 500 ms: a page
# drawn just after a check read up to half a second late.
_DRAWN = """([selector, text]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const found = Array.from(document.querySelectorAll(selector)).find(
        (e) => (!text || e.textContent.trim() === text) && e.getClientRects().length > 0
    );
    return Boolean(found);
}"""


def _drawn(page, selector: str, text: str = "") -> None:  # noqa: ANN001 (a Playwright Page)
    """Until an element matching ``selector`` (with exactly ``text``, if given)
    is on screen and Streamlit's script run has ended (its run state on the
    app root: the "running" widget shows only after a delay)."""
    page.wait_for_function(_DRAWN, arg=[selector, text], polling="raf", timeout=TIMEOUT_MS)


def _first_page(browser, env: dict[str, str], log: Path) -> tuple[float, float, float]:  # noqa: ANN001
    """(command to healthy, request to the login form drawn, "Log in" to the
    first page drawn) on a freshly started dashboard server."""
    with _served([sys.executable, "-m", "ui.serve"], env, log) as (url, server_start):
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        began = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded")
        _drawn(page, 'input[aria-label="Username"]')
        login_form = time.perf_counter() - began
        page.get_by_label("Username").fill(USER)
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        began = time.perf_counter()
        page.get_by_role("button", name="Log in").click()
        # The first page's own title (the login form's title stays on
        # screen until the new run replaces it), and the end of that run.
        _drawn(page, '[data-testid="stMain"] h1', FIRST_PAGE_TITLE)
        after_login = time.perf_counter() - began
        page.close()
    return server_start, login_form, after_login


def measure(warehouse: Path) -> FirstPage:
    """Both pages, each on a freshly started server, in one browser."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kp-bench-page-") as folder:
        folder = Path(folder)
        env = environment(
            KP_WAREHOUSE=str(warehouse),
            KP_USERS_DB=str(folder / "users.sqlite"),
            KP_SECRET_DIR=str(folder / "secret"),
        )
        # The user is created in a child process: the secret and users
        # database paths come from the environment the server also gets.
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from auth import users; "
                "users.add_user(sys.argv[1], sys.argv[2], 'admin')",
                USER,
                PASSWORD,
            ],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
        )
        script = folder / "one_metric.py"
        script.write_text(ONE_METRIC, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                server_start, login_form, after_login = _first_page(
                    browser, env, folder / "dashboard.log"
                )
                _, cold_login_form, cold_after_login = _first_page(
                    browser, {**env, "KP_WARM_CACHE": "0"}, folder / "dashboard_cold.log"
                )
                reference_env = {**env, "PYTHONPATH": str(PROJECT_ROOT)}
                command = [sys.executable, "-m", "streamlit", "run", str(script)]
                with _served(command, reference_env, folder / "reference.log") as (
                    url,
                    reference_start,
                ):
                    page = browser.new_page(viewport={"width": 1440, "height": 900})
                    began = time.perf_counter()
                    page.goto(url, wait_until="domcontentloaded")
                    _drawn(page, '[data-testid="stMetric"]')
                    reference = time.perf_counter() - began
                    page.close()
            finally:
                browser.close()
    return FirstPage(
        server_start,
        login_form,
        after_login,
        reference_start,
        reference,
        cold_login_form,
        cold_after_login,
    )
