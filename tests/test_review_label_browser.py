"""The preview names what is not published by its state, also in the cards the overview's filter
script (filtre.js) fills from the index in Chromium: 'Til gennemsyn' or 'Kladde', never the one
for the other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from conftest import WAIT_MS, build_ok, copy_site, serve_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REVIEW = "folkemoedet-i-silkeborg"  # status igang, set to til-gennemsyn below
DRAFT = "faaborg-midtfyn-revision-af-politikken"  # the shipped draft, status ide


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_site(tmp_path_factory.mktemp("gennemsyn") / "src")
    story = root / "stories" / f"{REVIEW}.md"
    story.write_text(story.read_text(encoding="utf-8").replace("publicering: udgivet", "publicering: til-gennemsyn"),
                     encoding="utf-8")
    out = build_ok(root, root.parent / "site", env={"VIDENBANK_KLADDER": "1"})
    with serve_site(out) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize(("query", "slug", "label", "published"), [
    ("status=igang", REVIEW, "Til gennemsyn", True),  # with the published stories that are under way
    ("status=ide", DRAFT, "Kladde", False),
])
def test_filtered_cards_name_the_state(
    preview: str, browser: Browser, query: str, slug: str, label: str, published: bool
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{preview}historier/?{query}")
        card = page.locator("#vb-results-cards > li").filter(has=page.locator(f"a[href*='/{slug}/']"))
        expect(card).to_have_count(1)
        expect(card.locator("[data-vb=draft]")).to_have_text(label)
        untagged = page.locator("#vb-results-cards > li").filter(has_not=page.locator("[data-vb=draft]"))
        assert (untagged.count() > 0) is published  # a published story carries no tag
    finally:
        context.close()
    assert errors == []
