"""Full-text search with Pagefind, in the shipped site built into a temp dir and in Debian's Chromium.

The index is Danish (stemming), holds the content pages and not the listings, is fetched only when
the reader uses the search box, and the box in the header works from the keyboard alone.
"""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index, misc"

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import REPO, WAIT_MS, html

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Not in any source file: only Danish stemming makes it match "fællesskaber" in this story.
STEMMED_QUERY = "fællesskaberne"
STORY = "samskabelsesraadet-i-silkeborg"
STORY_TITLE = "Samskabelsesrådet i Silkeborg bliver til"
DRAFT = "faaborg-midtfyn-revision-af-politikken"

pytestmark = pytest.mark.browser


def _indexed(site: Path) -> list[str]:
    return sorted(
        p.parent.relative_to(site).as_posix() for p in site.rglob("*.html")
        if "pagefind" not in p.parts and "data-pagefind-body" in p.read_text(encoding="utf-8")
    )


def test_pagefind_index_is_danish_and_holds_the_content_pages(shipped_site: Path) -> None:
    entry = json.loads((shipped_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["da"]
    assert entry["languages"]["da"]["wasm"] == "da", "Danish stemming is compiled into the search"
    indexed = _indexed(shipped_site)
    assert entry["languages"]["da"]["page_count"] == len(indexed)
    assert f"historier/{STORY}" in indexed and "principper/nye-kvaliteter" in indexed and "om" in indexed
    assert not {"historier", "principper", "metoder", "."} & set(indexed), "listings are not indexed"
    assert not (shipped_site / "search" / "search_index.json").exists(), "Material's whole-index search is gone"
    story = html(shipped_site, f"historier/{STORY}/")
    assert story.find("html")["lang"] == "da"
    assert story.select_one("article[data-pagefind-body] h1").get_text(strip=True) == STORY_TITLE
    assert "pagefind" not in " ".join(s.get("src", "") for s in story.find_all("script"))
    # Each indexed page says what it is (Pagefind's meta "type"); stories also carry it as the one filter.
    for path, kind in ((f"historier/{STORY}/", "Historie"), ("metoder/borgermoede/", "Metode"),
                       ("principper/nye-kvaliteter/", "Princip"), ("om/", "Side"), ("evaluering/", "Side")):
        article = html(shipped_site, path).select_one("article[data-pagefind-body]")
        assert article["data-pagefind-meta"] == f"type:{kind}"
        assert article.get("data-pagefind-filter") == ("type:Historie" if kind == "Historie" else None)


@pytest.fixture
def page(browser: Browser, shipped_url: str) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def _requested(page: Page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    return urls


def _results(page: Page, query: str) -> list[tuple[str, str]]:
    """The results shown for ``query`` (title, address), once the list shows that query."""
    page.wait_for_function(
        "q => document.getElementById('vb-search-results').dataset.term === q", arg=query, timeout=WAIT_MS
    )
    links = page.locator("#vb-search-results a")
    return [(links.nth(i).locator("h1").inner_text(), links.nth(i).get_attribute("href") or "")
            for i in range(links.count())]


def test_first_visit_fetches_no_search_index_until_the_box_is_used(page: Page, shipped_url: str) -> None:
    urls = _requested(page)
    page.goto(f"{shipped_url}historier/folkemoedet-i-silkeborg/", wait_until="networkidle")
    assert not [u for u in urls if "/pagefind/" in u or "search_index" in u]
    # Focusing the box starts loading Pagefind: wait for that request, not for a quiet network
    # (which may come before the request starts).
    with page.expect_request(lambda r: r.url.endswith("/pagefind/pagefind.js"), timeout=WAIT_MS):
        page.keyboard.press("/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in urls if "search_index" in u]


def test_keyboard_only_search_with_danish_stemming_opens_the_story(page: Page, shipped_url: str) -> None:
    page.goto(f"{shipped_url}om/", wait_until="networkidle")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "vb-search-input"
    assert page.evaluate("document.getElementById('__search').checked"), "the search panel is open"
    page.keyboard.type(STEMMED_QUERY)
    results = _results(page, STEMMED_QUERY)
    assert (STORY_TITLE, f"/historier/{STORY}/") in results
    shown = page.locator("#vb-search-meta").inner_text()
    assert shown.endswith(" resultater") and int(shown.split()[0]) >= len(results)
    page.keyboard.press("ArrowDown")
    for _ in range(len(results)):
        if page.evaluate("document.activeElement.getAttribute('href')") == f"/historier/{STORY}/":
            break
        page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{shipped_url}historier/{STORY}/"
    assert page.locator("h1").first.inner_text() == STORY_TITLE


def test_tab_into_the_box_and_enter_opens_the_first_result(page: Page, shipped_url: str) -> None:
    page.goto(shipped_url, wait_until="networkidle")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "vb-search-input":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("Elfac")
    first_title, first_href = _results(page, "Elfac")[0]
    assert first_href == f"/historier/{STORY}/" and first_title == STORY_TITLE
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{shipped_url}historier/{STORY}/"


def test_arrows_move_between_results_and_escape_closes(page: Page, shipped_url: str) -> None:
    page.goto(shipped_url, wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("frivillige")
    results = _results(page, "frivillige")
    assert len(results) >= 2
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == results[1][1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "vb-search-input"
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")


def test_drafts_are_not_found(page: Page, shipped_url: str) -> None:
    title = (REPO / "stories" / f"{DRAFT}.md").read_text(encoding="utf-8").split("titel:", 1)[1].splitlines()[0]
    page.goto(shipped_url, wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type(title.strip())
    assert [h for _, h in _results(page, title.strip())], "the words of the title are found elsewhere"
    hrefs = page.locator("#vb-search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if DRAFT in h]


KINDS = {"/historier/": "Historie", "/metoder/": "Metode", "/principper/": "Princip"}


def _kind_of(href: str) -> str:
    return next((kind for prefix, kind in KINDS.items() if href.startswith(prefix)), "Side")


def test_results_say_what_they_are_and_stories_come_first(page: Page, shipped_url: str) -> None:
    page.goto(shipped_url, wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("borgere")
    results = _results(page, "borgere")
    kinds = page.locator("#vb-search-results a .vb-search-kind").all_text_contents()
    hrefs = [href for _, href in results]
    assert len(kinds) == len(hrefs) >= 4
    assert kinds == [_kind_of(h) for h in hrefs], "each result says what it is, and says it right"
    assert kinds[0] == "Historie" and hrefs[0].startswith("/historier/"), "a story comes first"
    others = kinds.index(next(k for k in kinds if k != "Historie"))
    assert "Historie" not in kinds[others:], "stories first, then the other pages"
    assert "Metode" in kinds, "the method pages are still in reach"
    groups = page.locator("#vb-search-results .vb-search-group").all_inner_texts()
    assert [g.split(" (")[0] for g in groups] == ["Historier", "Andre sider"]
    assert sum(int(g.split("(")[1].rstrip(")")) for g in groups) == int(
        page.locator("#vb-search-meta").inner_text().split()[0])


def test_snippets_come_from_running_text_not_tables(page: Page, shipped_url: str) -> None:
    page.goto(shipped_url, wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("kortnavn")
    results = _results(page, "kortnavn")
    assert ("Åbne data", "/data/") in [(t, h) for t, h in results] or any(h == "/data/" for _, h in results)
    snippets = page.locator("#vb-search-results a article > p:last-child").all_inner_texts()
    assert snippets and not [s for s in snippets if "KortnavnNavn" in s.replace(" ", "") or "borgermoede" in s]


def test_an_index_in_parts_finds_what_each_part_holds(
    browser: Browser, shipped_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large bank's index is built in parts (postbuild.SEARCH_PART_PAGES pages each, so Pagefind's
    memory stays bounded) and merged in the browser: here parts of 5 pages, over the shipped pages."""
    from conftest import serve_site
    from videnbank import postbuild
    from videnbank.settings import Settings, Site

    site = tmp_path / "site"
    shutil.copytree(shipped_site, site)
    shutil.rmtree(site / "pagefind")
    settings = Settings(root=REPO, site=Site("Videnbank", "https://x.dk/", None), docs_dir=REPO / "docs")
    finisher = postbuild.Finisher(settings, policy=False, part_pages=5)
    building: list[int] = []  # when a part is full: how many earlier parts are still building their index
    start = postbuild._Part.__init__

    def part(self: postbuild._Part, indexer: Any) -> None:
        building.append(sum(p._thread.is_alive() for p in finisher._parts))
        start(self, indexer)

    monkeypatch.setattr(postbuild._Part, "__init__", part)
    pages = sorted(site.rglob("index.html"))
    first = f"/historier/{STORY}/"  # given to Pagefind first: in the first part, not the one loaded first
    pages.sort(key=lambda p: "/" + p.parent.relative_to(site).as_posix() + "/" != first)
    for file in pages:
        finisher.page("/" + file.parent.relative_to(site).as_posix() + "/", file.read_text(encoding="utf-8"))
    lines = finisher.finish(site)
    parts = json.loads((site / "pagefind" / "vb-dele.json").read_text(encoding="utf-8"))
    assert len(parts) >= 2 and " dele" in lines[0], lines
    assert len(building) == len(parts) and set(building) == {0}, "one part's index is built at a time (memory)"
    assert all((site / "pagefind" / part / "pagefind-entry.json").is_file() for part in parts)
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        with serve_site(site) as url:
            page.goto(f"{url}om/", wait_until="networkidle")
            page.keyboard.press("/")
            page.keyboard.type(STEMMED_QUERY)
            assert (STORY_TITLE, f"/historier/{STORY}/") in _results(page, STEMMED_QUERY)
            page.keyboard.press("Escape")
    finally:
        context.close()
    assert errors == []
