"""The stories overview on a bank too big for one page: static pages in the built HTML, and the
filters in Debian's Chromium (filters in the address, reload, back button, keyboard, no JavaScript).

The bank is the shipped one plus copies of every story under other slugs and dates, so it spans
three static pages; copies of the shipped draft stay drafts and must never be listed.
"""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index, arg-type"

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml
from conftest import WAIT_MS, build_ok, copy_site, html, serve_site
from videnbank import facets
from videnbank.derive import Catalogue
from videnbank.load import load_bank

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

COPIES = 12


@dataclass
class Site:
    root: Path
    out: Path
    url: str
    catalogue: Catalogue

    def index(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / "historier" / "index.json").read_text(encoding="utf-8"))
        return data


def _grow(root: Path) -> None:
    for path in sorted((root / "stories").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        for n in range(1, COPIES + 1):
            copy = {**meta, "titel": f"{meta['titel']} (kopi {n})",
                    "dato": meta["dato"] - dt.timedelta(days=61 * n)}
            text = "---\n" + yaml.safe_dump(copy, allow_unicode=True, sort_keys=False) + "---\n" + body
            (path.parent / f"{path.stem}-kopi-{n}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = copy_site(tmp_path_factory.mktemp("stor") / "src")
    _grow(root)
    out = build_ok(root, root.parent / "site")
    catalogue = Catalogue(load_bank(root))
    assert catalogue.hidden and len(catalogue.stories) > 2 * facets.PER_PAGE
    with serve_site(out) as url:
        yield Site(root, out, url, catalogue)


def _slug(href: str) -> str:
    return urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1]


# The static pages, read from the built HTML


def test_static_pages_list_every_story_once(big: Site) -> None:
    stories = big.catalogue.stories
    pages = facets.page_count(len(stories))
    assert pages == 3
    seen: list[str] = []
    for n in range(1, pages + 1):
        path = "historier/" if n == 1 else f"historier/side/{n}/"
        page = html(big.out, path)
        cards = page.select("#vb-all ol.vb-cards > li.vb-card")
        assert len(cards) == (facets.PER_PAGE if n < pages else len(stories) - facets.PER_PAGE * (pages - 1))
        assert page.select_one("#vb-all ol.vb-cards")["start"] == str(facets.PER_PAGE * (n - 1) + 1)
        seen += [_slug(a["href"]) for a in page.select("#vb-all .vb-card__title a")]
        nav = page.find("nav", class_="vb-pages")
        assert nav["aria-label"] == "Sider med historier"
        numbers = [a.get_text(strip=True) for a in nav.find_all("a") if a.get_text(strip=True).isdigit()]
        assert numbers == [str(i) for i in range(1, pages + 1)]
        assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == str(n)
        assert (nav.find("a", rel="prev") is None) == (n == 1)
        assert (nav.find("a", rel="next") is None) == (n == pages)
        if n > 1:
            assert page.find("form", id="vb-filter") is None
            assert not [s for s in page.find_all("script", src=True) if "filtre" in s["src"]]
            assert f"side {n} af {pages}" in page.find("h1").get_text()
            assert nav.find("a", string="1")["href"] == "../../"
    assert seen == [s.slug for s in stories]
    assert not (big.out / "historier" / "side" / "1").exists()
    assert not (big.out / "historier" / "side" / str(pages + 1)).exists()
    # Search indexes the stories themselves, not the listings of them.
    assert not html(big.out, "historier/side/2/").select("[data-pagefind-body]")


def test_index_matches_the_core(big: Site) -> None:
    data = big.index()
    assert data == facets.index_data(big.catalogue)
    assert not [row for row in data["stories"] if "revision-af-politikken" in row[0]], "drafts stay out"


# In Chromium


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert errors == []


def _core(big: Site, query: dict[str, list[str]]) -> list[str]:
    return [s.slug for s in facets.select(big.catalogue, query)]


def _from_json(data: dict[str, Any], query: dict[str, list[str]]) -> list[str]:
    """The same filter, computed straight from the built index."""
    field = {name: i for i, name in enumerate(data["fields"])}
    spec = {f["key"]: f for f in data["facets"]}
    kept = []
    for row in data["stories"]:
        ok = True
        for key, wanted in query.items():
            f = spec[key]
            has = row[field[key]]
            positions = [f["values"].index(v) for v in wanted if v in f["values"]]  # unknown: ignored
            if positions:
                ok &= (all if f["match"] == "all" else any)(p in has for p in positions)
        if ok:
            kept.append(_slug(row[0]))
    return kept


def _status(n: int) -> str:
    if n == 0:
        return "Ingen historier passer til filtrene. Prøv at fjerne et filter."
    return f"{n} historie{'r' if n != 1 else ''} passer til filtrene."


def _shown(page: Page, expected: int) -> list[str]:
    """Wait for the announced count, then the slugs of every result (pressing 'Vis flere')."""
    from playwright.sync_api import expect

    expect(page.locator("#vb-filter-status")).to_have_text(_status(expected))
    expect(page.locator("#vb-all")).to_be_hidden()
    more = page.locator("#vb-more")
    for _ in range(expected // facets.PER_PAGE):
        more.click()
    expect(more).to_be_hidden()
    hrefs: list[str] = page.eval_on_selector_all("#vb-results-cards .vb-card__title a", "els => els.map(a => a.href)")
    return [_slug(h) for h in hrefs]


def _unfold(page: Page) -> None:
    """Open the folded filter form with its "Filtrér" button."""
    from playwright.sync_api import expect

    toggle = page.locator("#vb-filter-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(page.locator("#vb-filter")).to_be_visible()


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _top(big: Site, key: str, among: Sequence[str] | None = None) -> str:
    """The value of a facet that most stories (or most of ``among``) have."""
    pool = [s for s in big.catalogue.stories if among is None or s.slug in among]
    values = [v for s in pool for v in facets.story_values(big.catalogue, s)[key]]
    return max(sorted(set(values)), key=values.count)


@pytest.mark.browser
def test_two_filters_address_reload_and_back(big: Site, page: Page) -> None:
    from playwright.sync_api import expect

    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith("index.json") else None)
    page.goto(big.url + "historier/")
    expect(page.locator("#vb-filter")).to_be_hidden()
    _unfold(page)
    assert fetched == [], "the index is fetched only when a filter is used"

    principle = _top(big, "princip")
    one = {"princip": [principle]}
    municipality = _top(big, "kommune", _core(big, one))
    two = {"princip": [principle], "kommune": [municipality]}
    expected_one, expected_two = _core(big, one), _core(big, two)
    assert 0 < len(expected_two) < len(expected_one) < len(big.catalogue.stories)
    assert _from_json(big.index(), two) == expected_two

    page.check(f"input[name=princip][value='{principle}']")
    assert _shown(page, len(expected_one)) == expected_one
    assert _query(page) == one
    page.select_option("select[name=kommune]", municipality)
    assert _shown(page, len(expected_two)) == expected_two
    assert _query(page) == two
    assert len(fetched) == 1

    page.reload()
    assert _shown(page, len(expected_two)) == expected_two
    _unfold(page)
    expect(page.locator(f"input[name=princip][value='{principle}']")).to_be_checked()
    expect(page.locator("select[name=kommune]")).to_have_value(municipality)

    page.go_back()
    assert _query(page) == one
    assert _shown(page, len(expected_one)) == expected_one
    expect(page.locator("select[name=kommune]")).to_have_value("")

    page.go_back()
    assert urlsplit(page.url).query == ""
    expect(page.locator("#vb-all")).to_be_visible()
    expect(page.locator("#vb-results")).to_be_hidden()
    expect(page.locator(f"input[name=princip][value='{principle}']")).not_to_be_checked()

    page.go_forward()
    assert _shown(page, len(expected_one)) == expected_one


QUERIES: list[dict[str, list[str]]] = [
    {"sektorer": ["3"]},
    {"sektorer": ["2"], "sektor": ["offentlig", "civilsamfund"]},
    {"sektor": ["borgere"], "status": ["ide", "afsluttet"]},
    {"metode": ["arbejdsgruppe", "dialogmoede"]},
    {"status": ["igang"]},
]


@pytest.mark.browser
def test_every_facet_matches_the_core(big: Site, page: Page) -> None:
    queries = [*QUERIES, *({key: [_top(big, key)]} for key in ("maalgruppe", "tema", "aar"))]
    queries.append({"princip": [_top(big, "princip")], "aar": [_top(big, "aar")], "metode": [_top(big, "metode")]})
    for query in queries:
        expected = _core(big, query)
        assert expected == _from_json(big.index(), query), query
        page.goto(big.url + "historier/?" + urlencode(query, doseq=True))
        assert _shown(page, len(expected)) == expected, query
    assert any(len(_core(big, q)) > facets.PER_PAGE for q in queries), "'Vis flere' is exercised"


@pytest.mark.browser
def test_show_more_moves_focus(big: Site, page: Page) -> None:
    from playwright.sync_api import expect

    query = {"status": ["igang"]}
    expected = _core(big, query)
    assert len(expected) > facets.PER_PAGE
    page.goto(big.url + "historier/?status=igang")
    expect(page.locator("#vb-filter-status")).to_have_text(_status(len(expected)))
    expect(page.locator("#vb-results-cards > li")).to_have_count(facets.PER_PAGE)
    page.click("#vb-more")
    focused = page.evaluate("document.activeElement.href")
    assert _slug(focused) == expected[facets.PER_PAGE]


@pytest.mark.browser
def test_unknown_values_show_the_whole_list(big: Site, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(big.url + "historier/?princip=findes-ikke&ukendt=1")
    expect(page.locator("#vb-filter-toggle")).to_be_visible()
    expect(page.locator("#vb-all")).to_be_visible()
    expect(page.locator("#vb-results")).to_be_hidden()


@pytest.mark.browser
def test_keyboard_only(big: Site, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(big.url + "historier/")
    page.locator("#vb-filter-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#vb-filter")).to_be_visible()
    first, second = (p.slug for p in big.catalogue.principles[:2])
    page.locator(f"input[name=princip][value={first}]").focus()
    page.keyboard.press("Space")
    expected = _core(big, {"princip": [first]})
    expect(page.locator("#vb-filter-status")).to_have_text(_status(len(expected)))
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    both = _core(big, {"princip": [first, second]})
    expect(page.locator("#vb-filter-status")).to_have_text(_status(len(both)))
    assert _query(page) == {"princip": [first, second]}
    page.locator("#vb-filter button[type=reset]").focus()
    page.keyboard.press("Enter")
    total = len(big.catalogue.stories)
    expect(page.locator("#vb-filter-status")).to_have_text(f"Filtrene er nulstillet. Alle {total} historier vises.")
    expect(page.locator("#vb-all")).to_be_visible()
    assert urlsplit(page.url).query == ""


@pytest.mark.browser
def test_without_javascript_every_story_is_reachable(big: Site, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(big.url + "historier/")
        assert not page.locator("#vb-filter").is_visible()
        pages = page.eval_on_selector_all("nav.vb-pages a[aria-label^='Side']", "els => els.map(a => a.href)")
        assert len(pages) == facets.page_count(len(big.catalogue.stories))
        seen: list[str] = []
        while True:
            seen += [_slug(h) for h in page.eval_on_selector_all(
                "#vb-all .vb-card__title a", "els => els.map(a => a.href)")]
            following = page.locator("nav.vb-pages a[rel=next]")
            if not following.count():
                break
            following.click()
            page.wait_for_load_state()
        assert seen == [s.slug for s in big.catalogue.stories]
        assert not [s for s in seen if "revision-af-politikken" in s]
    finally:
        context.close()


def _options(page: Page) -> list[dict[str, Any]]:
    """Every option of the form as the reader sees it: facet, value, the count it shows, disabled."""
    found: list[dict[str, Any]] = page.eval_on_selector_all("#vb-filter input[type=checkbox], #vb-filter option", r"""
        els => els.filter(el => el.value !== "").map(el => {
          const box = el.tagName === "INPUT";
          const text = box ? el.labels[0].textContent : el.textContent;
          return {key: box ? el.name : el.parentElement.name, value: el.value, box: box,
                  count: Number(/\((\d+)\)\s*$/.exec(text.trim())[1]), disabled: el.disabled};
        })""")
    return found


@pytest.mark.browser
def test_each_option_alone_gives_as_many_stories_as_its_count(big: Site, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(big.url + "historier/")
    _unfold(page)
    options = _options(page)
    assert {o["key"] for o in options} == {f.key for f in facets.facets(big.catalogue)}
    assert all(o["count"] > 0 for o in options), "no option is offered that finds nothing"
    tried = 0
    for option in options:
        key, value = option["key"], option["value"]
        if option["box"]:
            page.check(f"#vb-filter input[name={key}][value='{value}']")
        else:
            page.select_option(f"#vb-filter select[name={key}]", value)
        expected = _core(big, {key: [value]})
        expect(page.locator("#vb-filter-status")).to_have_text(_status(option["count"]))
        assert len(expected) == option["count"], (key, value)
        # The counts now follow this choice, as in the core; what would find nothing is disabled.
        shown = {(o["key"], o["value"]): o for o in _options(page)}
        core = facets.counts(big.catalogue, {key: [value]})
        assert {k: o["count"] for k, o in shown.items()} == {
            (k, v): n for k, per in core.items() for v, n in per.items()}, (key, value)
        assert all(o["disabled"] == (o["count"] == 0 and (o["key"], o["value"]) != (key, value))
                   for o in shown.values()), (key, value)
        if option["box"]:
            page.uncheck(f"#vb-filter input[name={key}][value='{value}']")
        else:
            page.select_option(f"#vb-filter select[name={key}]", "")
        expect(page.locator("#vb-all")).to_be_visible()
        tried += 1
    assert tried == len(options) > 40
    # With nothing chosen, the counts are back to the whole bank's.
    expect(page.locator("#vb-filter-status")).to_have_text(
        f"Filtrene er nulstillet. Alle {len(big.catalogue.stories)} historier vises.")
    assert [o["count"] for o in _options(page)] == [o["count"] for o in options]
    # The cross-sector facet finds the stories with a cross-sector actor.
    cross = [o for o in options if (o["key"], o["value"]) == ("sektor", "tvaersektoriel")]
    assert cross and cross[0]["count"] > 0


@pytest.mark.browser
def test_first_stories_on_the_first_screen_and_few_tabs_away(big: Site, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(big.url + "historier/")
    first = page.locator("#vb-all .vb-card__title a").first
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 900, "the first story shows without scrolling"
    third = page.locator("#vb-all .vb-card").nth(2).bounding_box()
    assert third is not None and third["y"] < 900, "more than one story shows on the first screen"
    href = first.get_attribute("href")
    presses = 0
    while presses < 50:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            break
    assert presses < 50, "Tab from the top reaches the first story within 50 presses"
    # The cards' headings follow an <h2>, not the <h1> directly (heading order), also while folded.
    levels = page.eval_on_selector_all(
        "article h1, article h2, article h3",
        "els => els.filter(e => e.offsetParent !== null).map(e => Number(e.tagName[1]))")
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
