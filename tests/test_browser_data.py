"""The Data page in a real headless Chromium: upload, load, history, quarantine, fix.

Serves the app with ``streamlit run`` on a new, empty warehouse made by the
real ETL, drives Debian's ``/usr/bin/chromium`` through Python Playwright,
uploads files with ``set_input_files``, downloads the quarantine CSV and
saves a screenshot of the checked uploads to ``test-results/``. What the
page did is checked with plain SQL on the warehouse and on the download.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from etl.warehouse import new_version
from tests import browser_support as support
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    RESULTS,
    assert_no_error,
    open_app,
    screenshot_whole_page,
    serve_dashboard,
)
from tests.etl_helpers import register_row, write_register

pytestmark = pytest.mark.browser

PERSON = {
    "requester_name": "Ayesha Khan",
    "requester_phone": "0300-1234567",
    "requester_cnic": "17301-1234567-1",
    "requester_email": "ayesha.khan@example.org",
    "summary": "Threatening calls from a neighbour",
}
URDU_CHANNEL = "فیس بک"


@pytest.fixture
def live(tmp_path: Path) -> Path:
    """A new, empty warehouse (schema, reference tables, empty marts), as
    ``python -m etl rebuild`` makes it: the page's first use."""
    path = tmp_path / "wh" / "warehouse.duckdb"
    with new_version(path):
        pass
    return path


@pytest.fixture
def server(live: Path, tmp_path: Path) -> Iterator[str]:
    with serve_dashboard(live, tmp_path / "streamlit.log") as url:
        yield url


def sql(path: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query).fetchall()


def wait_until_idle(page: Page) -> None:
    """Until the script run has finished (no charts to wait for on this page)."""
    support.wait_until_idle(page, settle_ms=300)


def upload(page: Page, *files: Path) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])


def load(page: Page) -> None:
    page.get_by_role("button", name="Load 1 file(s)").click()
    expect(page.get_by_text("Loaded in").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_error(page)


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(200)


def download_quarantine(page: Page, target: Path) -> list[dict[str, str]]:
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
        page.get_by_text("Download these rows (CSV, personal data masked)").click()
    download.value.save_as(target)
    data = target.read_bytes()
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_data_page_in_chromium(server: str, live: Path, tmp_path: Path) -> None:
    RESULTS.mkdir(exist_ok=True)
    week1 = write_register(
        tmp_path / "week1.csv",
        [
            register_row("K-2", "2025-03-03 10:00"),
            register_row("K-3", "2025-03-04 11:00"),
            register_row("K-4", "2025-03-04 12:00", channel=URDU_CHANNEL, **PERSON),
            register_row("K-5", "2025-03-04 13:00", channel="=1+2", referred_to="-1"),
        ],
    )
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 not a table")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
            # A bookmark straight to the page, as staff would keep it.
            open_app(page, f"{server}/data", "data_officer")
            expect(page.get_by_role("heading", name="Data")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            wait_until_idle(page)
            assert_no_error(page)

            # Loads are recorded as the logged-in user: there is no name to type.
            expect(page.get_by_text("Loads are recorded as data_officer.")).to_be_visible()
            upload(page, week1, scan)
            expect(page.get_by_text("week1.csv · inquiry register")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            wait_until_idle(page)
            assert_no_error(page)
            expect(
                page.get_by_text("scan.pdf: this is a PDF, not a CSV or XLSX export")
            ).to_be_visible()
            expect(page.get_by_text("The wrong file was picked.")).to_be_visible()
            assert sql(live, "select count(*) from meta.loads") == [(0,)]  # not loaded yet
            screenshot_whole_page(page, RESULTS / "data_upload.png")

            load(page)
            # K-2 and K-3 new; K-4 (channel in Urdu) and K-5 (a formula) quarantined.
            expect(
                page.get_by_text(
                    "week1.csv (inquiry register): 4 rows read, 2 new, 0 updated, "
                    "0 unchanged, 2 quarantined"
                )
            ).to_be_visible()
            assert sql(live, "select file_name, loaded_by from meta.loads") == [
                ("week1.csv", "data_officer")
            ]

            open_tab(page, "Load history")
            # The history grid draws on a canvas: its own text is not in the page.
            expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
            report_load = page.get_by_role("combobox", name="Load", exact=True)
            expect(report_load).to_have_value(re.compile(r"^week1\.csv · "))
            # 37: the register suite's checks (three of them on the id, issue 14).
            expect(page.get_by_text("1 of 37 checks failed")).to_be_visible()

            open_tab(page, "Quarantine")
            expect(page.get_by_text("2 rows wait in quarantine")).to_be_visible()
            rows = download_quarantine(page, tmp_path / "quarantine.csv")
            by_id = {row["record_id"]: row for row in rows}
            assert set(by_id) == {"K-4", "K-5"}
            assert by_id["K-4"]["channel"] == URDU_CHANNEL
            assert by_id["K-4"]["requester_name"] == "A. K."
            assert (by_id["K-5"]["channel"], by_id["K-5"]["referred_to"]) == ("'=1+2", "'-1")
            text = (tmp_path / "quarantine.csv").read_text("utf-8-sig")
            assert not any(value in text for value in PERSON.values())

            # Staff fix both rows in the register and load it again.
            fixed = write_register(
                tmp_path / "week1_fixed.csv",
                [
                    register_row("K-4", "2025-03-04 12:00", channel="Facebook", **PERSON),
                    register_row("K-5", "2025-03-04 13:00", channel="WhatsApp", referred_to="-1"),
                ],
            )
            open_tab(page, "Load files")
            upload(page, fixed)
            expect(page.get_by_text("week1_fixed.csv · inquiry register")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            wait_until_idle(page)
            load(page)
            open_tab(page, "Quarantine")
            expect(page.get_by_text("0 rows wait in quarantine")).to_be_visible()
            assert sql(
                live,
                "select record_id from meta.quarantine where cleared_by_load_id is not null "
                "order by 1",
            ) == [("K-4",), ("K-5",)]
            assert_no_error(page)
        finally:
            browser.close()
