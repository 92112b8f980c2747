"""Hostile text renders as text in a real browser, on the page and in charts
(issues 13 and 14).

The warehouse of tests/hostile_fixture.py (real Meta exports loaded by the
real loader) names an account ``[Verify your account](https://evil.example/x)
<a href=…>click</a> <b>bold</b> :material/warning:``, and puts Markdown links,
``<a href>``, ``<script>``, ``<img onerror>`` and ``<b>`` in captions, custom
labels (campaigns) and beside hashtags. The Social engagement page is served
by ``python -m ui.serve`` and read in Debian's Chromium: every string must be
there as typed (audience header, top-posts table, growth-curve picker, chart
labels and legends), and nothing from the data may become a link, an icon, a
bold element or a script that runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    assert_no_error,
    open_app,
    serve_dashboard,
    wait_until_idle,
)
from tests.hostile_fixture import (
    A_HREF,
    ACCOUNT,
    BOLD,
    CAPTION_A,
    CAPTION_B,
    HASHTAGS,
    ICON,
    LABELS,
    MD_LINK,
    build_hostile_warehouse,
)

pytestmark = pytest.mark.browser

# Every attribute through which an element could link, load or run something
# that names the hostile host (SVG links carry xlink:href).
HOSTILE_ATTRIBUTES_JS = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const linking = ['href', 'xlink:href', 'src', 'action', 'formaction'].includes(name);
      if ((linking && attr.value.includes('evil.example')) || name.startsWith('on')) {
        found.push(`${el.tagName} ${attr.name}=${attr.value}`);
      }
    }
  }
  return found;
}
"""
SVG_TEXTS_JS = "() => Array.from(document.querySelectorAll('.main-svg text'), t => t.textContent)"
DIALOGS: list[str] = []  # alert(), confirm() or prompt() the page opened


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    """One server and one logged-in page on Social engagement for the module."""
    root = tmp_path_factory.mktemp("hostile_browser")
    today = datetime.now(ZoneInfo("Asia/Karachi")).date()
    warehouse = root / "warehouse.duckdb"
    build_hostile_warehouse(warehouse, root / "exports", today)
    with serve_dashboard(warehouse, root / "streamlit.log") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.on("dialog", lambda d: (DIALOGS.append(d.message), d.dismiss()))
            open_app(page, f"{url}/social_engagement", "pr_director")
            expect(page.get_by_text("Top posts (S5)")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            wait_until_idle(page)
            assert_no_error(page)
            yield page
        finally:
            browser.close()


def assert_nothing_ran_or_links(page: Page) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined", "a script from data ran"
    assert DIALOGS == [], DIALOGS
    assert page.evaluate(HOSTILE_ATTRIBUTES_JS) == []
    # No <b> (HTML) or bold tspan (Plotly's <b>) made from the data's "<b>bold</b>".
    bold = page.evaluate(
        "() => Array.from(document.querySelectorAll('b, strong, tspan[style*=\"bold\"]'))"
        ".map(e => e.textContent).filter(t => t.trim() === 'bold')"
    )
    assert bold == []
    # Scripts and images in the DOM are Streamlit's own, never the data's.
    assert page.locator("script", has_text="__pwned").count() == 0
    assert page.locator('img[src="x"]').count() == 0
    # Nor an icon drawn from the account's ":material/warning:".
    assert page.get_by_test_id("stIconMaterial").filter(has_text="warning").count() == 0


def test_account_name_is_drawn_as_typed(page: Page) -> None:
    # Audience header: "Facebook · <account> · as of …", every character as
    # typed (word joiners, invisible, may break up what Markdown would link).
    header = page.get_by_test_id("stMain").get_by_text(re.compile(r" · as of \d"))
    expect(header).to_have_count(1, timeout=PAGE_TIMEOUT_MS)
    shown = header.inner_text().replace("\u2060", "")
    assert shown.startswith(f"Facebook · {ACCOUNT} · as of "), shown
    for piece in (MD_LINK, A_HREF, BOLD, ICON):
        assert piece in shown
    assert_nothing_ran_or_links(page)


def test_captions_in_the_table_and_the_picker_are_text(page: Page) -> None:
    # The top-posts grid draws on a canvas; its accessible table (built once the
    # grid is in view) holds each caption as typed.
    grid = page.get_by_test_id("stDataFrame").last
    grid.scroll_into_view_if_needed()
    expect(grid.locator("td").first).to_be_attached(timeout=PAGE_TIMEOUT_MS)
    cells = grid.locator("td").all_text_contents()
    assert CAPTION_A in cells and CAPTION_B in cells, [c[:60] for c in cells]
    # The growth-curve picker names post A (first by engagement rate), cut at 59 characters.
    picker = page.get_by_role("combobox", name="Growth over exports of")
    shown = picker.input_value()
    assert shown.endswith(" · " + CAPTION_A[:59] + "…"), shown
    assert f"{MD_LINK} {BOLD}" in shown
    picker.click()
    options = page.get_by_role("option")
    expect(options).to_have_count(2, timeout=PAGE_TIMEOUT_MS)
    assert any(text.endswith(" · " + CAPTION_B[:59] + "…") for text in options.all_inner_texts())
    page.keyboard.press("Escape")
    assert_nothing_ran_or_links(page)


def test_chart_labels_and_legends_are_text(page: Page) -> None:
    # Follower chart: two Facebook accounts, so one line each, named in the legend.
    texts = page.evaluate(SVG_TEXTS_JS)
    assert f"Facebook · {ACCOUNT}" in texts, [t for t in texts if "Facebook" in t]
    # Hashtags: the markup beside them is not part of a tag.
    for tag in HASHTAGS:
        assert any(t.lstrip("#") == tag for t in texts), tag
    # Campaigns: Meta custom labels as the bars' labels, as typed.
    tags = page.locator(".st-key-social_engagement_tags")
    tags.get_by_role("radio", name="Campaigns (Meta custom labels)").click()
    wait_until_idle(page)
    assert_no_error(page)
    texts = page.evaluate(SVG_TEXTS_JS)
    for label in LABELS:
        assert label in texts, (label, [t for t in texts if "evil" in t or "bold" in t])
    # No element inside a figure is a link (Plotly draws <a href> as an SVG <a>).
    assert page.locator(".main-svg a").count() == 0
    assert_nothing_ran_or_links(page)
