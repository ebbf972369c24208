"""Accessibility in Debian's Chromium: axe-core finds 0 WCAG 2.1 A and AA violations on every page
type, in the light and the dark palette, also with the filters and the search in use; search and the
overview's filters work with the keyboard alone; every page links the accessibility statement."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import PAGE_TYPES, WAIT_MS, html, page_type_path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's palette in mkdocs.yml
SEARCH_FIELD = """() => {
  const e = document.activeElement;
  return !!e && e.tagName === 'INPUT' && (e.type === 'search' || e.getAttribute('role') === 'searchbox'
    || e.getAttribute('role') === 'combobox' || e.name === 'query' || /search|søg/i.test(e.className + e.placeholder));
}"""
FOCUSED_HREF = "() => { const e = document.activeElement; return e && e.tagName === 'A' ? e.href : ''; }"


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def _summary(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {' '.join((node.get('failureSummary') or '').split())[:300]}")
    return "\n".join(lines)


def _open(browser: Browser, url: str, scheme: str = "light") -> Page:
    page = browser.new_context(color_scheme=scheme).new_page()  # type: ignore[arg-type]
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme], "the palette did not switch"
    return page


def _path(site: Path, kind: str) -> str:
    path = page_type_path(site, kind)
    if path is None:
        pytest.fail(f"the built site has no page of type '{kind}'")
    return path


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_no_violations(
    kind: str, scheme: str, browser: Browser, shipped_site: Path, shipped_url: str
) -> None:
    page = _open(browser, shipped_url + _path(shipped_site, kind), scheme)
    try:
        violations = _axe_violations(page)
        assert violations == [], _summary(violations)
    finally:
        page.context.close()


def _tab_to(page: Page, test: str, limit: int = 60) -> None:
    """Press Tab until the JavaScript predicate ``test`` holds for the focused element."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    raise AssertionError(f"Tab never reached an element where {test} holds")


def _filter_control(page: Page) -> str:
    return str(page.evaluate("""() => {
      const e = document.activeElement;
      if (!e || !e.closest('#vb-filter')) return '';
      return e.tagName === 'SELECT' ? 'select' : (e.type || '');
    }"""))


def _use_first_filter(page: Page) -> None:
    """Tab to the "Filtrér" button, open the form, Tab to the first control and choose a value."""
    _tab_to(page, "() => !!document.activeElement && document.activeElement.id === 'vb-filter-toggle'")
    page.keyboard.press("Enter")
    page.wait_for_selector("#vb-filter", state="visible")
    _tab_to(page, "() => !!document.activeElement && !!document.activeElement.closest('#vb-filter')"
                  " && ['INPUT', 'SELECT'].includes(document.activeElement.tagName)")
    kind = _filter_control(page)
    page.keyboard.press({"checkbox": "Space", "radio": "ArrowRight", "select": "ArrowDown"}.get(kind, "Space"))
    page.wait_for_function("() => /passer til filtrene/.test(document.getElementById('vb-filter-status').textContent)")


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_with_filters_in_use(scheme: str, browser: Browser, shipped_site: Path, shipped_url: str) -> None:
    page = _open(browser, shipped_url + _path(shipped_site, "historier"), scheme)
    try:
        if not page.query_selector("#vb-filter"):
            pytest.fail("the overview has no filter form (#vb-filter)")
        _use_first_filter(page)
        violations = _axe_violations(page)
        assert violations == [], _summary(violations)
    finally:
        page.context.close()


def test_filters_work_with_the_keyboard_alone(browser: Browser, shipped_site: Path, shipped_url: str) -> None:
    page = _open(browser, shipped_url + _path(shipped_site, "historier"))
    try:
        if not page.query_selector("#vb-filter"):
            pytest.fail("the overview has no filter form (#vb-filter)")
        total = len(page.query_selector_all("#vb-all .vb-card"))
        _use_first_filter(page)
        status = page.text_content("#vb-filter-status") or ""
        shown = page.query_selector_all("#vb-results .vb-card")
        number = re.search(r"(\d+) historie", status)
        assert number and int(number.group(1)) == len(shown), status
        assert 0 < len(shown) <= total
        assert page.is_visible("#vb-results") and not page.is_visible("#vb-all")
        assert "?" in page.url, "the chosen filter is in the address"
        # Reset with the keyboard: Tab to the reset button and press Enter.
        _tab_to(page, "() => !!document.activeElement && document.activeElement.type === 'reset'")
        page.keyboard.press("Enter")
        page.wait_for_function("() => /nulstillet/.test(document.getElementById('vb-filter-status').textContent)")
        assert page.is_visible("#vb-all") and not page.is_visible("#vb-results")
    finally:
        page.context.close()


def _search_with_keyboard(page: Page, query: str) -> str:
    """Tab to the search field, type ``query``, move to the first result with the keyboard; its href."""
    _tab_to(page, SEARCH_FIELD)
    page.keyboard.type(query, delay=20)
    page.wait_for_function(  # search.js marks the list with the query it shows once the results are in
        "q => document.getElementById('vb-search-results').dataset.term === q", arg=query, timeout=WAIT_MS)
    for key, tries in (("ArrowDown", 3), ("Tab", 20)):
        for _ in range(tries):
            page.keyboard.press(key)  # returns once the page has handled the key (focus moved)
            href = page.evaluate(FOCUSED_HREF)
            if "/historier/" in href:
                return str(href)
    raise AssertionError("no search result could be reached with the keyboard")


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_search_works_with_the_keyboard_alone(
    scheme: str, browser: Browser, shipped_site: Path, shipped_url: str
) -> None:
    story = _path(shipped_site, "historie")
    title = html(shipped_site, story).find("h1").get_text(strip=True)  # type: ignore[union-attr]
    word = max(re.findall(r"\w+", title), key=len)
    page = _open(browser, shipped_url, scheme)
    try:
        href = _search_with_keyboard(page, word)
        violations = _axe_violations(page)  # the open search with its results
        assert violations == [], _summary(violations)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/historier/[^/]+/.*"))
        assert page.url.split("#")[0] == href.split("#")[0]
        assert word.lower() in (page.text_content("article") or "").lower()
    finally:
        page.context.close()


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_links_the_accessibility_statement(kind: str, shipped_site: Path) -> None:
    path = _path(shipped_site, kind)
    page = html(shipped_site, path)
    links = [a for a in page.select("footer a") if a.get_text(strip=True) == "Tilgængelighedserklæring"]
    assert len(links) == 1
    assert str(links[0]["href"]).startswith("https://")
