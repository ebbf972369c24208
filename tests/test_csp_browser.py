"""The security policy: every page carries one Content-Security-Policy, made by the build from the
page itself (postbuild.py), and in Chromium no page type breaks it, also while the search and the
filters are used: the policy is strict and still true."""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr"

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from conftest import PAGE_TYPES, page_type_path
from test_privacy_browser import _use_the_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser

RECORD = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
MORE_PAGES = ("startguide/", "data/", "om/", "metoder/")


def test_every_page_has_one_strict_policy_first_in_head(shipped_site: Path) -> None:
    pages = sorted(shipped_site.rglob("*.html"))
    assert len(pages) > 20
    for file in pages:
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        policies = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(policies) == 1, file
        assert soup.head.find(True) is policies[0], file
        policy = policies[0]["content"]
        for part in ("default-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'self'",
                     "form-action 'self'", "'wasm-unsafe-eval'"):
            assert part in policy, (file, part)
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1], file


@pytest.mark.browser
@pytest.mark.parametrize("kind", [*PAGE_TYPES, *MORE_PAGES])
def test_no_page_type_violates_its_policy(kind: str, browser: Browser, shipped_site: Path, shipped_url: str) -> None:
    path = page_type_path(shipped_site, kind) if kind in PAGE_TYPES else kind
    assert path is not None, f"the built site has no page of type '{kind}'"
    context = browser.new_context()
    context.add_init_script(RECORD)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(shipped_url + path)
        page.wait_for_load_state("networkidle")
        _use_the_page(page)
        # A violation is reported as an event after the work that caused it: let the page's queued
        # tasks and the next frame run before reading what was recorded.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
        violations = page.evaluate("() => window.__violations")
        assert violations == [] and messages == [], violations + messages
        assert page.evaluate("() => typeof document$ !== 'undefined'"), "Material's own script did not run"
    finally:
        context.close()
