"""Print in Debian's Chromium: a story and the start guide laid out for A4 paper.

The checks read computed styles with the print media emulated (navigation gone, facts panel
kept in the flow) and render real PDFs, whose page size must come from print.css's @page rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import REPO, serve_site
from videnbank.load import load_bank

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

STORY = "historier/faaborg-midtfyn-dialogmoede-transport/"
A4_POINTS = (595.92, 842.88)  # 210 x 297 mm as Chromium writes it
DROPPED = (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
           ".md-content__button", ".vb-related")


@pytest.fixture(scope="module")
def base_url(shipped_site: Path) -> Iterator[str]:
    with serve_site(shipped_site) as url:
        yield url


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=base_url)
    page = context.new_page()
    yield page
    context.close()


def _display(page: Page, selector: str) -> str | None:
    result: str | None = page.evaluate(
        "s => { const e = document.querySelector(s); return e ? getComputedStyle(e).display : null; }", selector
    )
    return result


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The MediaBox width and height of every page in a PDF that Chromium wrote (uncompressed page dicts)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def test_story_prints_without_navigation_and_with_facts(page: Page) -> None:
    page.goto(STORY)
    on_screen = {s: _display(page, s) for s in DROPPED}
    assert on_screen[".md-header"] not in (None, "none"), "the header is there on screen"
    assert _display(page, ".vb-facts") == "block"
    page.emulate_media(media="print")
    for selector in DROPPED:
        assert _display(page, selector) in (None, "none"), selector
    facts = page.locator(".vb-facts")
    assert facts.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.vb-facts')).float") == "none"
    box = facts.bounding_box()
    content = page.locator(".md-content").bounding_box()
    assert box is not None and content is not None
    assert box["width"] >= 0.9 * content["width"], "the facts panel spans the text column on paper"
    assert page.locator("h1").is_visible() and page.locator(".vb-body").is_visible()
    color = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert color in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")


def test_story_pdf_is_a4(page: Page) -> None:
    page.goto(STORY)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    sizes = _pdf_pages(pdf)
    assert sizes, "Chromium's PDF lists its pages"
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes), sizes
    assert len(sizes) <= 3, f"a short story fits on a few pages, got {len(sizes)}"


def test_dark_scheme_prints_dark_text_on_white(page: Page) -> None:
    page.goto(STORY)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-typeset h1')).color") == "rgb(0, 0, 0)"


def test_start_guide_prints_every_principle_and_method(page: Page) -> None:
    bank = load_bank(REPO)
    page.goto("startguide/")
    button = page.locator("button[data-vb-print]")
    assert button.is_visible(), "the print button appears when scripts run"
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    button.click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert not button.is_visible() and not page.locator(".vb-print-note").is_visible()
    assert _display(page, ".md-header") == "none" and _display(page, ".md-sidebar--primary") == "none"
    headings = page.locator(".vb-startguide h3").all_inner_texts()
    assert [h.strip() for h in headings] == (
        [f"{p.meta.number}. {p.meta.name}" for p in bank.principles] + [m.meta.name for m in bank.methods]
    )
    questions = [q for p in bank.principles for q in p.meta.questions]
    text = page.locator(".vb-startguide").inner_text()
    assert all(q in text for q in questions)
    pdf = page.pdf(prefer_css_page_size=True)
    sizes = _pdf_pages(pdf)
    assert sizes and all(abs(w - A4_POINTS[0]) < 2 for w, _ in sizes)
    assert len(sizes) >= 2, "the method catalogue starts on its own page"


def test_feed_links_cost_no_failed_requests(page: Page) -> None:
    """Material fetches sitemap.xml beside every <link rel="alternate">; the feeds' folders have one."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in (STORY, f"principper/{load_bank(REPO).principles[0].slug}/", "data/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert failed == []
