"""Any screen (issue 16), in Debian's Chromium on the shipped site: no page is wider than the
screen at 320, 390 and 1280 px; a table wider than its column scrolls in its own labelled box, with
a shadow at the edge that has more and its first column kept in view; the keyboard meets the skip
link first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import PAGE_TYPES, page_type_path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 1280)
EXTRA_PAGES = ("startguide/", "data/", "om/", "metoder/", "principper/")

# Every box that scrolls sideways: is it labelled and focusable, does it show the cue, does its
# first column stay in view when scrolled to the end?
_MEASURE = """() => {
  const boxes = [...document.querySelectorAll('article .md-typeset__scrollwrap')]
    .filter(box => box.scrollWidth > box.clientWidth + 1 && !box.parentElement.closest('.md-typeset__scrollwrap'));
  return {
    width: document.documentElement.scrollWidth, viewport: window.innerWidth,
    boxes: boxes.map(box => {
      const style = getComputedStyle(box);
      const first = box.querySelector('tr > :first-child');
      box.scrollLeft = box.scrollWidth;
      const stuck = first.getBoundingClientRect().left >= box.getBoundingClientRect().left - 1;
      box.scrollLeft = 0;
      // Our templates' boxes are labelled regions the keyboard can scroll; a table in a page's
      // Markdown gets Material's plain box, which the keyboard scrolls through the table's links.
      const region = box.getAttribute('role') === 'region';
      return {address: location.pathname, label: region ? box.getAttribute('aria-label') : 'markdown',
              focusable: box.tabIndex === 0 || (!region && !!box.querySelector('a[href]')),
              cue: style.backgroundImage.includes('radial-gradient'), stuck};
    }),
  };
}"""


@pytest.fixture(scope="module")
def addresses(shipped_site: Path) -> list[str]:
    found = [page_type_path(shipped_site, kind) for kind in PAGE_TYPES]
    return sorted({a for a in found if a is not None} | set(EXTRA_PAGES))


@pytest.fixture(scope="module")
def pages(browser: Browser) -> Iterator[dict[int, Page]]:
    opened = {width: browser.new_page(viewport={"width": width, "height": 900}) for width in WIDTHS}
    yield opened
    for page in opened.values():
        page.close()


def test_no_page_is_wider_than_the_screen(
    pages: dict[int, Page], shipped_url: str, addresses: list[str], tmp_path: Path
) -> None:
    """Document width ≤ viewport on every page type; a wide table scrolls in its own box with a
    cue and a sticky first column (at 1280 px the evaluation's year × principle table is one).
    Screenshots of each page at each width are left in the test's temporary folder."""
    problems, scrolling = [], 0
    for width, page in pages.items():
        for address in addresses:
            page.goto(shipped_url + address)
            page.wait_for_load_state("load")
            result = page.evaluate(_MEASURE)
            page.screenshot(path=str(tmp_path / f"{width}-{address.strip('/').replace('/', '_') or 'forside'}.png"),
                            full_page=width < 1000)
            if result["width"] > result["viewport"]:
                problems.append(f"/{address} at {width}px is {result['width']}px wide")
            for box in result["boxes"]:
                scrolling += 1
                if not (box["label"] and box["focusable"] and box["cue"] and box["stuck"]):
                    problems.append(f"/{address} at {width}px: a wide table lacks label, focus, cue or sticky: {box}")
    assert not problems, "\n".join(problems)
    assert scrolling, "no table was wide enough to scroll: the test measured nothing about the boxes"


def test_principle_matrix_titles_stay_on_two_lines_on_a_desktop(pages: dict[int, Page], shipped_url: str) -> None:
    page = pages[1280]
    page.goto(shipped_url + "principper/")
    lines = page.evaluate("""() => [...document.querySelectorAll('.vb-matrix tbody th a')].map(a => {
        const style = getComputedStyle(a);
        return Math.round(a.getBoundingClientRect().height / parseFloat(style.lineHeight)); })""")
    assert lines and max(lines) <= 2, lines
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_tab_from_the_top_of_the_overview_reaches_the_skip_link_first(pages: dict[int, Page], shipped_url: str) -> None:
    """Before ~50 filter controls: the skip link, which leads into the content."""
    for width in (390, 1280):
        page = pages[width]
        page.goto(shipped_url + "historier/")
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.classList.contains('md-skip'), "
                                "document.activeElement.getAttribute('href')]")
        assert focused == [True, "#__skip"], (width, focused)
        assert page.locator("a.md-skip").is_visible()
        page.keyboard.press("Enter")
        page.wait_for_function("location.hash === '#__skip'")
        page.keyboard.press("Tab")
        inside = page.evaluate("!!document.activeElement.closest('article#__skip')")
        assert inside, page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
