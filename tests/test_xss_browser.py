"""Defence in depth against contributed scripts (tests/xss/vectors.yml).

The checker rejects every vector (tests/test_safety.py). Here the checker's HTML and link rules are
switched off with VIDENBANK_USIKKER_TEST=1 (read only by the hook, for this test only), so every
vector the schema itself lets through is built into a real site, next to the shipped content. Then
Debian's Chromium opens every page, uses the search and the filters, and records alerts, a flag
each payload sets, requests to other origins and anything left in the DOM that could run later
(event attributes, javascript:/data: links, frames, foreign scripts). The sanitiser, the
escaping of front matter for Material's templates and autoescape in ours must leave 0 of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from conftest import PAGE_TYPES, WAIT_MS, copy_site, page_type_path, run_build, serve_site
from test_safety import VECTORS, xss_story
from videnbank.load import load_bank

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

UNSAFE = {"VIDENBANK_USIKKER_TEST": "1"}
# Vectors the schema rejects even without the HTML rules: a link or web address must be http(s),
# an e-mail address must be one.
SCHEMA_REJECTS = {"felt-links-url-javascript", "felt-kontakt-web", "felt-kontakt-email"}

AUDIT = """() => {
  const found = [];
  const unsafe = (url) => /^\\s*(javascript|data|vbscript):/i.test(url || '');
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}`);
    }
    for (const prop of ['href', 'src', 'action', 'formAction', 'data']) {
      const value = typeof el[prop] === 'string' ? el[prop] : (el[prop] && el[prop].baseVal);
      if (unsafe(value)) found.push(`${el.tagName} ${prop}=${String(value).slice(0, 40)}`);
    }
  }
  const policies = document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]');
  if (policies.length !== 1 || document.head.firstElementChild !== policies[0]) {
    found.push('not one policy, first in <head>');
  }
  const others = 'iframe, frame, object, embed, base, .vb-body form, '
    + 'meta[http-equiv]:not([http-equiv="Content-Security-Policy"])';
  for (const el of document.querySelectorAll(others)) {
    found.push(`<${el.tagName.toLowerCase()}>`);
  }
  for (const el of document.querySelectorAll('script')) {
    if (el.src && new URL(el.src).origin !== location.origin) found.push(`script from ${el.src}`);
    const runs = ['', 'text/javascript', 'application/javascript', 'module'].includes((el.type || '').toLowerCase());
    if (runs && /alert\\(|__xss|msgbox\\(/.test(el.textContent)) found.push('a payload in a <script>');
  }
  for (const el of document.querySelectorAll('article style, article [style]')) {
    if (el.tagName === 'STYLE' || !/^\\s*text-align:\\s*\\w+;?\\s*$/.test(el.getAttribute('style'))) {
      found.push(`style in the text: ${(el.getAttribute('style') || el.textContent).slice(0, 40)}`);
    }
  }
  return found;
}"""


@dataclass
class UnsafeSite:
    out: Path
    built: list[str]
    result_without_test_mode: str


def _principle(root: Path) -> str:
    return sorted(p.stem for p in (root / "principles").glob("*.md"))[0]


@pytest.fixture(scope="module")
def unsafe_site(tmp_path_factory: pytest.TempPathFactory) -> UnsafeSite:
    root = copy_site(tmp_path_factory.mktemp("usikker") / "src")
    principle = _principle(root)
    for vector in VECTORS:
        (root / "stories" / f"xss-{vector['name']}.md").write_text(xss_story(vector, principle), encoding="utf-8")
    _other_kinds(root, principle)
    refused = run_build(root, tmp_path_factory.mktemp("afvist"))
    assert refused.returncode != 0
    for place in OTHER_KINDS:
        assert place in refused.stdout + refused.stderr, place
    rejected = {p.path for p in load_bank(root, check_markup=False).problems}
    for path in rejected:
        (root / path).unlink()
    built = sorted(p.stem.removeprefix("xss-") for p in (root / "stories").glob("xss-*.md"))
    out = tmp_path_factory.mktemp("usikker-site")
    result = run_build(root, out, env=UNSAFE, strict=False)
    assert result.returncode == 0, result.stderr
    # MkDocs warns about the javascript: links hidden behind entities; it leaves them as they are.
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert all("unrecognized relative link" in w and "script:" in w for w in warnings), warnings
    return UnsafeSite(out, built, refused.stdout + refused.stderr)


# Every other kind of content file that reaches a reader gets every text vector too.
OTHER_KINDS = ("principles/", "methods/", "docs/om.md", "council.yml")
BODY_VECTORS = "\n\n".join(v["tekst"] for v in VECTORS if "tekst" in v)
FIELD_PAYLOAD = "Navn</title><script>alert('felt')</script><img src=x onerror=alert('felt')>"


def _other_kinds(root: Path, principle: str) -> None:
    """Put the body vectors into a principle, a method and a hand-written page, and a payload
    into their names and the council's name."""
    method = sorted((root / "methods").glob("*.md"))[0]
    for file in (root / "principles" / f"{principle}.md", method, root / "docs" / "om.md"):
        text = file.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.replace("\nnavn: ", f"\nnavn: \"{FIELD_PAYLOAD}\" # ", 1)
        file.write_text(text + "\n\n" + BODY_VECTORS, encoding="utf-8")
    council = root / "council.yml"
    text = council.read_text(encoding="utf-8")
    council.write_text(text.replace("\nnavn: ", f"\nnavn: \"{FIELD_PAYLOAD}\" # ", 1), encoding="utf-8")


def test_the_checker_stops_every_vector_in_a_normal_build(unsafe_site: UnsafeSite) -> None:
    for vector in VECTORS:
        assert f"stories/xss-{vector['name']}.md:" in unsafe_site.result_without_test_mode, vector["name"]


def test_at_least_20_vectors_reach_the_browser(unsafe_site: UnsafeSite) -> None:
    assert set(unsafe_site.built) == {v["name"] for v in VECTORS} - SCHEMA_REJECTS
    assert len(unsafe_site.built) >= 20
    for name in unsafe_site.built:
        assert (unsafe_site.out / "historier" / f"xss-{name}" / "index.html").is_file()


@dataclass
class Visit:
    dialogs: list[str]
    foreign: list[str]


@pytest.fixture(scope="module")
def unsafe_url(unsafe_site: UnsafeSite) -> Iterator[str]:
    with serve_site(unsafe_site.out) as url:
        yield url


# Waits for the event loop, not for a clock: after the load event (every script of the page has run,
# deferred ones and image errors included), two animation frames (autofocus is run at a rendering step)
# and then one task (events queued at load, like ontoggle, have fired).
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0))))"


class Watch:
    """One browser page for many visits, noting per visit the dialogs and the requests to other origins."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.origin = urlsplit(base)._replace(path="", query="", fragment="").geturl()
        self.page = browser.new_context().new_page()
        self.visit = Visit([], [])
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)

    def _dialog(self, dialog: Any) -> None:
        self.visit.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        if urlsplit(request.url).scheme in {"http", "https"} and not request.url.startswith(self.origin):
            self.visit.foreign.append(request.url)

    def open(self, url: str, action: Any = None) -> list[str]:
        """Everything that ran or could run on the page at ``url`` (after ``action``)."""
        self.visit = Visit([], [])
        self.page.goto(url)  # returns after the load event
        if action:
            action(self.page)
        self.page.evaluate(SETTLED)
        found: list[str] = self.page.evaluate(AUDIT)
        if self.page.evaluate("() => window.__xss !== undefined"):
            found.append("window.__xss was set")
        if self.page.url.split("?")[0].split("#")[0] != url.split("?")[0].split("#")[0]:
            found.append(f"the page went to {self.page.url}")
        return self.visit.dialogs + self.visit.foreign + found

    def close(self) -> None:
        self.page.context.close()


def _pages(site: Path) -> list[str]:
    """Every story page of a vector, and one page of every other type the site has."""
    stories = sorted(f"historier/{p.parent.name}/" for p in site.glob("historier/xss-*/index.html"))
    others = [page_type_path(site, kind) for kind in PAGE_TYPES if kind != "historie"]
    return stories + [o for o in others if o is not None] + ["startguide/", "om/", "metoder/", "data/"]


@pytest.mark.browser
def test_no_vector_runs_a_script_in_chromium(unsafe_site: UnsafeSite, unsafe_url: str, browser: Browser) -> None:
    problems: list[str] = []
    pages = _pages(unsafe_site.out)
    assert len(pages) >= len(unsafe_site.built) + 5
    watch = Watch(browser, unsafe_url)
    try:
        for path in pages:
            problems += [f"{path}: {x}" for x in watch.open(unsafe_url + path)]
    finally:
        watch.close()
    assert problems == [], "\n".join(problems)


CANARY = """<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Kanariefugl</title></head><body>
<img src="findes-ikke.png" onerror="alert('onerror')">
<details open ontoggle="alert('ontoggle')"><summary>x</summary></details>
<input autofocus onfocus="alert('autofocus')">
<script>setTimeout(() => { window.__xss = 1 }, 0)</script>
<a href="javascript:alert('link')">link</a>
<img src="https://angriber.example/pixel.png" alt="">
</body></html>
"""


@pytest.mark.browser
def test_the_watch_sees_what_runs_just_after_load(
    unsafe_site: UnsafeSite, unsafe_url: str, browser: Browser
) -> None:
    """The waits above are conditions, not sleeps: a page without the site's policy and sanitiser, whose
    payloads fire at load, at the next rendering step and in the next task, is caught in every one."""
    canary = unsafe_site.out / "kanariefugl" / "index.html"
    canary.parent.mkdir(exist_ok=True)
    canary.write_text(CANARY, encoding="utf-8")
    watch = Watch(browser, unsafe_url)
    try:
        found = watch.open(unsafe_url + "kanariefugl/")
    finally:
        watch.close()
        canary.unlink()
    for expected in ("alert: onerror", "alert: ontoggle", "alert: autofocus", "window.__xss was set",
                     "A href=javascript:", "https://angriber.example/pixel.png", "IMG onerror"):
        assert any(expected in f for f in found), (expected, found)


# Results of the search (Material's search box, Pagefind's results).
RESULTS = ".md-search-result__item, .md-search-result a, [id*=search] li"


def _search(query: str) -> Any:
    def act(page: Page) -> None:
        field = page.locator("input[name=query], input[type=search]").first
        assert field.count(), "no search field"
        field.click()
        field.press_sequentially(query)
        try:
            page.wait_for_selector(RESULTS, timeout=WAIT_MS)
        except Exception:
            pytest.fail(f"the search for {query!r} found nothing")

    return act


def _filter(page: Page) -> None:
    if not page.query_selector("#vb-filter"):
        pytest.fail("the overview has no filter form (#vb-filter)")
    toggle = page.query_selector("#vb-filter-toggle")  # the form folds behind "Filtrér" (historier.html)
    if toggle is not None and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        page.wait_for_selector("#vb-filter input[type=checkbox]", state="visible")
    for box in page.query_selector_all("#vb-filter input[type=checkbox]")[:2]:
        box.check()
    page.wait_for_function("() => /passer/.test(document.getElementById('vb-filter-status').textContent)")


@pytest.mark.browser
@pytest.mark.parametrize("how", ["søg efter titlen", "søg efter payload", "filtre"])
def test_search_and_filters_show_vectors_as_text(
    how: str, unsafe_site: UnsafeSite, unsafe_url: str, browser: Browser
) -> None:
    action = {"søg efter titlen": _search("Sikkerhedstest"), "søg efter payload": _search("alert"),
              "filtre": _filter}[how]
    watch = Watch(browser, unsafe_url)
    try:
        assert watch.open(unsafe_url + ("historier/" if how == "filtre" else ""), action) == []
    finally:
        watch.close()
