"""Privacy: the built site tells nobody else about its readers. In Debian's Chromium every page type
makes 0 requests to any origin but the site's own, also while the search and the filters are used,
and no page sets a cookie. The HTML of every page refers to no other origin for anything it loads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import PAGE_TYPES, REPO, WAIT_MS, page_type_path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

LOCAL_SCHEMES = {"data", "blob", "about"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _use_the_page(page: Page) -> None:
    """What a reader does that may load more: scroll, search, filter."""
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    toggle = page.query_selector("#vb-filter-toggle")
    if toggle and toggle.is_visible():
        toggle.click()
    box = page.query_selector("#vb-filter input[type=checkbox]")
    if box and box.is_visible():
        box.check()
        page.wait_for_function("() => /passer/.test(document.getElementById('vb-filter-status').textContent)")
    search = page.query_selector("input[name=query], input[type=search]")
    if search and search.is_visible():
        search.click()
        page.keyboard.type("samskabelse", delay=10)
        # search.js marks the list with the query it shows once the results are in
        page.wait_for_function(
            "() => document.getElementById('vb-search-results')?.dataset.term === 'samskabelse'", timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_request_leaves_the_site_and_no_cookie_is_set(
    kind: str, browser: Browser, shipped_site: Path, shipped_url: str
) -> None:
    path = page_type_path(shipped_site, kind)
    if path is None:
        pytest.fail(f"the built site has no page of type '{kind}'")
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    page.on("request", record)
    try:
        page.goto(shipped_url + path)
        page.wait_for_load_state("networkidle")
        _use_the_page(page)
        own = _origin(shipped_url)
        elsewhere = [u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and _origin(u) != own]
        assert requests, "the page made no request at all; the recorder is not working"
        assert elsewhere == []
        assert page.evaluate("() => document.cookie") == ""
        assert context.cookies() == []
    finally:
        context.close()


_LOADS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "video": "src",
          "audio": "src", "embed": "src", "object": "data", "track": "src"}


def test_no_page_loads_anything_from_another_origin(shipped_site: Path) -> None:
    pages = sorted(shipped_site.rglob("*.html"))
    assert len(pages) > 20
    for file in pages:
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in _LOADS.items():
            for element in soup.find_all(tag):
                if tag == "link" and not {"stylesheet", "preload", "icon", "modulepreload", "prefetch"} & set(
                    element.get("rel") or []
                ):
                    continue  # rel=alternate, canonical: a reference, nothing is loaded
                value = str(element.get(attribute) or "")
                assert not re.match(r"^(https?:)?//", value), f"{file}: <{tag} {attribute}={value}>"
        styles = " ".join(s.get_text() for s in soup.find_all("style")) + " ".join(
            str(e["style"]) for e in soup.find_all(style=True)
        )
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", styles), file


def test_no_analytics_and_no_cookie_consent_needed() -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "analytics" not in re.sub(r"#.*", "", config)
    assert "consent" not in re.sub(r"#.*", "", config)
    assert re.search(r"^\s*font:\s*false\s*$", config, re.MULTILINE), "theme.font: false keeps Google Fonts away"
