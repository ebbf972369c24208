"""The writing page "Skriv en historie" (/bidrag/skriv/, issue 15) in Debian's Chromium on the built
site: what a person types and downloads is a story file `videnbank tjek` accepts and that builds into
a page showing what was typed; hostile values stay text; an empty form gets the summary with a link
per missing field; a reload keeps everything; the mail link carries the whole file (or asks for the
attachment); the prefilled issue address becomes the same story through `fra-issue`; no request
leaves the site; axe finds nothing in either palette; it works with the keyboard alone and at 390 px."""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index, arg-type, operator"

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner
from conftest import REPO, TEST_ADDRESSES, copy_site, html, run_build
from videnbank import issueform, schema, urls, writing
from videnbank.cli import main
from videnbank.issueform import FORM

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PATH = urls.WRITE
PHONE = {"width": 390, "height": 844}
VOCAB = schema.vocabulary(REPO)
PRINCIPLE_NAMES = list(VOCAB.principles.values())
METHOD_NAMES = list(VOCAB.methods.values())
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

GOOD: dict[str, Any] = {
    "titel": "Fælles have i Vestbyen",
    "sammendrag": "Naboer og kommune anlagde sammen en have, hvor beboerne nu mødes.",
    "afsnit-udfordringen": "Naboerne manglede et sted at mødes.\n\nDer var ingen grønne områder i bydelen.",
    "afsnit-det-gjorde-vi": "Foreningen og kommunen anlagde haven sammen.\nBeboerne passer den på skift.",
    "afsnit-det-laerte-vi": "Det tager tid at finde en fælles rytme.",
    "principper": PRINCIPLE_NAMES[2:4],
    "hvordan": f"{PRINCIPLE_NAMES[2]}: Beboerne og kommunen planlagde haven på tre møder.",
    "aktoerer": "Vestbyens Haveforening (civilsamfund)\nSilkeborg Kommune (offentlig)\nBeboerne (borgere, gruppe)",
    "metoder": METHOD_NAMES[:2],
    "maalgrupper": "beboere, børnefamilier",
    "temaer": "natur, fællesskab",
    "kommune": "Silkeborg",
    "sted": "Vestbyen",
    "start": "2023-04",
    "slut": "2024",
    "status": "Afsluttet",
    "resultater": "Haven er anlagt og bruges hver uge.",
    "evalueret": "Nej",
    "organisation": "Vestbyens Haveforening",
    "email": "kontakt@vestbyenshave.dk",
    "web": "https://vestbyenshave.dk",
    "links": "Foreningens side: https://vestbyenshave.dk/have",
    "kilder": "Referat fra stormødet; Vestbyens Haveforening; 2023; https://vestbyenshave.dk/referat",
    "raadets-rolle": "Støttet af rådet",
    "samtykke": True,
    "bekraeftelse": True,
}
# Everything that could end a YAML string, start a field, close the front matter or make markup.
HOSTILE: dict[str, Any] = {
    "titel": 'Han sagde: "ja" og \'nej\' # ikke en kommentar {x: 1} [a] & publicering: udgivet',
    "sammendrag": "publicering: udgivet\n---\ntitel: Falsk\n# overskrift {: onclick=x } \\ slut",
    "afsnit-udfordringen": (
        "---\npublicering: udgivet\n---\n# Ikke en overskrift\n## Det gjorde vi\n"
        "Tekst {#id .klasse} med `kode`, *stjerner*, _streg_, <b>fed</b>, &amp; og [link](https://eksempel.dk) [usikker](http://eksempel.dk)"
    ),
    "afsnit-det-gjorde-vi": (
        "Linje et\nLinje to: med kolon\n\n> citat\n- punkt\n+ plus\n1. nummer\n    indrykket\n===\n"
        "~~~\n!!! note\n| a | b |\n|---|---|\n***\nslut\n---"
    ),
    "principper": PRINCIPLE_NAMES[:1],
    "aktoerer": 'Forening "Ja: nej" # {x} --- (civilsamfund)',
    "status": "I gang",
    "kommune": "Silkeborg: {a: b}",
    "maalgrupper": "a: b, c # d, \"e\"",
    "resultater": "publicering: udgivet",
    "organisation": 'Org: "x" --- # {y}',
    "kilder": 'Titel: "x" {y}; Udgiver #1',
    "links": 'Se her: "x" https://eksempel.dk/a?b=c#d',
    "bekraeftelse": True,
}
REQUIRED = [f for f in FORM if f.required]
# A story with only what must be filled in: short enough for the whole file to go in a mail link.
SHORT = {name: GOOD[name] for name in ("titel", "sammendrag", "afsnit-udfordringen", "afsnit-det-gjorde-vi",
                                       "principper", "aktoerer", "status", "organisation", "bekraeftelse")}


# --- helpers -------------------------------------------------------------------------------------


def _field(name: str) -> issueform.FormField:
    return next(f for f in FORM if f.id == name)


def _fill(page: Page, values: dict[str, Any]) -> None:
    for name, value in values.items():
        f = _field(name)
        if f.kind == "checkboxes":
            for box in page.query_selector_all(f'input[name="{name}"]'):
                box.set_checked(bool(value))
        elif f.kind == "dropdown" and f.multiple:
            for label in value:
                page.get_by_label(label, exact=True).check()
        elif f.kind == "dropdown":
            page.select_option(f"#skriv-{name}", label=value)
        else:
            page.fill(f"#skriv-{name}", value)


class Session:
    """A browser page on the writing page that records every request it makes."""

    def __init__(self, browser: Browser, base: str, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", lambda d: d.accept())
        self.open()

    def open(self) -> None:
        self.page.goto(self.base + PATH)
        self.page.wait_for_selector("form#skriv[data-klar]", state="attached")

    def ready(self) -> None:
        self.page.click("#skriv-klar")
        self.page.wait_for_selector("#skriv-send:not([hidden])")

    def download(self) -> str:
        with self.page.expect_download() as info:
            self.page.click("#skriv-hent")
        return Path(info.value.path()).read_text(encoding="utf-8")

    def close(self) -> None:
        own = urlsplit(self.base)
        elsewhere = [u for u in self.requests
                     if urlsplit(u).scheme in {"http", "https"} and urlsplit(u).netloc != own.netloc]
        self.context.close()
        assert self.requests, "no request recorded: the recorder is not working"
        assert elsewhere == [], f"requests to other hosts: {elsewhere}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def session(browser: Browser, shipped_url: str) -> Iterator[Session]:
    s = Session(browser, shipped_url)
    yield s
    s.close()


def _front(text: str) -> tuple[dict[str, Any], str]:
    match = re.match(r"^---\n(.*?\n)---\n(.*)$", text, re.DOTALL)
    assert match, text[:300]
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data, match.group(2)


def _axe(page: Page) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    # Moving the focus scrolls the page, and Material's tabs and "back to top" button fade in or out:
    # axe would measure their contrast half-way. Wait until no transition is running.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations: list[dict[str, Any]] = result.response["violations"]
    return violations


def _words(text: str) -> str:
    return " ".join(text.split())


def _section_text(soup: BeautifulSoup, title: str) -> str:
    heading = next(h for h in soup.select(".vb-body h2") if h.find(string=True, recursive=False).strip() == title)
    parts = []
    for sibling in heading.find_next_siblings():
        if isinstance(sibling, Tag) and sibling.name == "h2":
            break
        parts.append(sibling.get_text(" "))
    return _words(" ".join(parts))


# --- downloaded files, checked and built ------------------------------------------------------------


@pytest.fixture(scope="module")
def downloaded(browser: Browser, shipped_url: str) -> dict[str, str]:
    files = {}
    for name, values in (("good", GOOD), ("hostile", HOSTILE)):
        s = Session(browser, shipped_url)
        try:
            _fill(s.page, values)
            s.ready()
            files[name] = s.download()
            assert s.page.get_attribute("#skriv-hent", "download") == writing_slug(values["titel"]) + ".md"
        finally:
            s.close()
    return files


def writing_slug(title: str) -> str:
    from videnbank.model import file_slug

    return file_slug(title)


@pytest.fixture(scope="module")
def built(downloaded: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the shipped bank with both downloaded stories, checked by `videnbank tjek` and built
    as a preview (a story 'til-gennemsyn' is shown only there)."""
    root = copy_site(tmp_path_factory.mktemp("skriv") / "src")
    for name, text in downloaded.items():
        (root / "stories" / f"skrevet-{name}.md").write_text(text, encoding="utf-8")
    check = subprocess.run([sys.executable, "-c", "from videnbank.cli import main; main()", "--rod", str(root), "tjek"],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    out = tmp_path_factory.mktemp("skriv-site")
    result = run_build(root, out, env={"VIDENBANK_KLADDER": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return root, out


def test_valid_values_download_into_a_file_tjek_accepts_and_a_page_showing_them(
    downloaded: dict[str, str], built: tuple[Path, Path]
) -> None:
    front, body = _front(downloaded["good"])
    assert front["publicering"] == "til-gennemsyn"
    assert front["dato"] == dt.date.today()
    assert front["titel"] == GOOD["titel"]
    assert front["principper"][0] == {"princip": list(VOCAB.principles)[2],
                                      "hvordan": "Beboerne og kommunen planlagde haven på tre møder."}
    assert front["aktører"][2] == {"navn": "Beboerne", "sektor": "borgere", "type": "gruppe"}
    assert front["kilder"] == [{"titel": "Referat fra stormødet", "udgiver": "Vestbyens Haveforening", "år": 2023,
                                "link": "https://vestbyenshave.dk/referat"}]
    assert front["samtykke"] == "ja" and front["rådets_rolle"] == "stoettet"
    assert [line for line in body.splitlines() if line.startswith("#")] == [
        "## Udfordringen", "## Det gjorde vi", "## Det lærte vi"]
    soup = html(built[1], urls.story("skrevet-good"))
    assert _words(soup.h1.get_text()) == GOOD["titel"]
    assert _words(soup.select_one(".vb-lead").get_text()) == GOOD["sammendrag"]
    facts = _words(soup.select_one(".vb-facts").get_text(" "))
    for shown in ("Vestbyens Haveforening", "Silkeborg Kommune", "Beboerne", "Silkeborg, Vestbyen", "Afsluttet",
                  "Støttet af rådet", "Haven er anlagt og bruges hver uge.", "beboere, børnefamilier",
                  PRINCIPLE_NAMES[2], METHOD_NAMES[0]):
        assert shown in facts
    for section in ("Udfordringen", "Det gjorde vi", "Det lærte vi"):
        field = next(f.id for f in FORM if f.label == section)
        assert _section_text(soup, section) == _words(GOOD[field])


def test_hostile_values_travel_as_text(downloaded: dict[str, str], built: tuple[Path, Path]) -> None:
    front, body = _front(downloaded["hostile"])
    assert set(front) == {"titel", "sammendrag", "dato", "publicering", "principper", "aktører", "målgrupper",
                          "kommune", "status", "resultater", "kontakt", "kilder", "links"}
    assert front["publicering"] == "til-gennemsyn"
    assert front["titel"] == HOSTILE["titel"]
    assert front["sammendrag"] == _words(HOSTILE["sammendrag"])
    assert front["kommune"] == HOSTILE["kommune"]
    assert front["resultater"] == {"tekst": "publicering: udgivet"}
    assert front["kontakt"] == {"organisation": HOSTILE["organisation"]}
    assert front["aktører"] == [{"navn": 'Forening "Ja: nej" # {x} ---', "sektor": "civilsamfund"}]
    assert front["målgrupper"] == ["a: b", "c # d", '"e"']
    assert front["kilder"] == [{"titel": 'Titel: "x" {y}', "udgiver": "Udgiver #1"}]
    assert front["links"] == [{"titel": 'Se her: "x"', "url": "https://eksempel.dk/a?b=c#d"}]
    assert [line for line in body.splitlines() if line.startswith("#")] == ["## Udfordringen", "## Det gjorde vi"]
    assert "\n---" not in body
    soup = html(built[1], urls.story("skrevet-hostile"))
    assert _words(soup.h1.get_text()) == HOSTILE["titel"]
    assert _words(soup.select_one(".vb-lead").get_text()) == _words(HOSTILE["sammendrag"])
    assert [_words(h.find(string=True, recursive=False)) for h in soup.select(".vb-body h2")] == [
        "Udfordringen", "Det gjorde vi"]
    for section, name in (("Udfordringen", "afsnit-udfordringen"), ("Det gjorde vi", "afsnit-det-gjorde-vi")):
        assert _section_text(soup, section) == _words(HOSTILE[name])
    text_body = soup.select_one(".vb-body")
    made = [e for e in text_body.find_all(["h1", "h3", "h4", "ul", "ol", "blockquote", "pre", "code", "table", "hr",
                                           "em", "strong", "b", "a", "div"]) if "headerlink" not in e.get("class", [])]
    assert made == []
    assert not soup.select(".vb-body [id='id'], .vb-body .klasse, .admonition")


# --- the form in use --------------------------------------------------------------------------------


def test_an_empty_form_shows_the_summary_with_a_link_per_missing_field(session: Session) -> None:
    page = session.page
    page.click("#skriv-klar")
    page.wait_for_selector("#skriv-fejl:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "skriv-fejl"
    links = page.query_selector_all("#skriv-fejl-liste a")
    targets = [link.get_attribute("href") for link in links]
    boxes = {f.id for f in FORM if f.kind == "checkboxes" or f.multiple}  # a link to the first box
    expected = [f"#skriv-{f.id}-1" if f.id in boxes else f"#skriv-{f.id}" for f in REQUIRED]
    assert targets == expected
    for f in REQUIRED:  # the message beside each field, and the field marked
        note = page.locator(f"#skriv-{f.id}-fejl")
        assert note.is_visible() and note.inner_text().strip()
    assert page.get_attribute("#skriv-titel", "aria-invalid") == "true"
    assert "skriv-titel-fejl" in (page.get_attribute("#skriv-titel", "aria-describedby") or "")
    assert page.is_hidden("#skriv-send") and page.is_hidden("#skriv-visning")
    links[0].click()
    assert page.evaluate("document.activeElement.id") == "skriv-titel"


def test_the_browser_checks_what_the_schema_says(session: Session) -> None:
    page = session.page
    _fill(page, {**GOOD, "start": "foråret 2023", "web": "www.vestbyenshave.dk", "email": "kontakt",
                 "aktoerer": "Vestbyens Haveforening", "kommune": "Silkeborg <b>", "temaer": "natur, " + "x" * 81})
    page.click("#skriv-klar")
    page.wait_for_selector("#skriv-fejl:not([hidden])")
    messages = {a.get_attribute("href"): a.inner_text() for a in page.query_selector_all("#skriv-fejl-liste a")}
    assert set(messages) == {"#skriv-start", "#skriv-web", "#skriv-email", "#skriv-aktoerer", "#skriv-kommune",
                             "#skriv-temaer"}
    assert "80 tegn" in messages["#skriv-temaer"]
    assert "ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD" in messages["#skriv-start"]
    assert "https://" in messages["#skriv-web"]
    assert "parentes" in messages["#skriv-aktoerer"]
    assert page.get_attribute("#skriv-titel", "maxlength") == "150"
    assert page.get_attribute("#skriv-sammendrag", "maxlength") == "400"
    assert page.evaluate("document.getElementById('skriv-start').validity.patternMismatch")
    assert page.evaluate("document.getElementById('skriv-web').validity.patternMismatch")


def test_a_reload_keeps_every_typed_value_and_the_draft_can_be_deleted(session: Session) -> None:
    page = session.page
    _fill(page, GOOD)
    read = """() => Array.from(document.querySelectorAll('#skriv input, #skriv textarea, #skriv select'))
                 .map(e => [e.id, e.type === 'checkbox' ? e.checked : e.value])"""
    before = page.evaluate(read)
    assert any(v is True for _, v in before) and any(v == GOOD["titel"] for _, v in before)
    page.reload()
    page.wait_for_selector("form#skriv[data-klar]", state="attached")
    assert page.evaluate(read) == before
    assert "fra sidst" in page.inner_text("#skriv-kladde-status")


def test_the_draft_survives_a_closed_tab_and_is_deleted_on_request(session: Session) -> None:
    page = session.page
    _fill(page, {"titel": GOOD["titel"], "kommune": "Silkeborg"})
    page.close()
    page = session.page = session.context.new_page()
    page.on("request", lambda r: session.requests.append(r.url))
    page.on("dialog", lambda d: d.accept())
    session.open()
    assert page.input_value("#skriv-titel") == GOOD["titel"]
    page.click("#skriv-slet")
    assert page.input_value("#skriv-titel") == "" and page.input_value("#skriv-kommune") == ""
    assert "slettet" in page.inner_text("#skriv-kladde-status")
    page.reload()
    page.wait_for_selector("form#skriv[data-klar]", state="attached")
    assert page.input_value("#skriv-titel") == ""


def test_the_preview_shows_the_story_as_text(session: Session) -> None:
    page = session.page
    _fill(page, HOSTILE)
    session.ready()
    assert page.evaluate("document.activeElement.id") == "skriv-visning-titel"
    story = page.locator("#skriv-historie")
    assert story.locator("h3").inner_text() == HOSTILE["titel"]
    assert story.locator(".vb-lead").inner_text() == _words(HOSTILE["sammendrag"])
    assert [h.inner_text() for h in story.locator("h4").all()] == ["Udfordringen", "Det gjorde vi"]
    assert "<b>fed</b>" in story.inner_text()
    assert page.evaluate("document.querySelectorAll('#skriv-historie b, #skriv-historie a, "
                         "#skriv-historie code').length") == 0
    assert "Silkeborg: {a: b}" in story.locator("dl").inner_text()


def test_the_mail_link_carries_the_whole_file_or_asks_for_the_attachment(session: Session) -> None:
    page = session.page
    _fill(page, SHORT)
    session.ready()
    text = session.download()
    href = page.get_attribute("#skriv-mail", "href") or ""
    to, _, query = href.partition("?")
    params = dict(parse_qsl(query))
    assert to == "mailto:" + TEST_ADDRESSES["VIDENBANK_SEKRETARIAT_EMAIL"]
    assert len(href) <= writing.MAIL_LIMIT
    assert GOOD["titel"] in params["subject"]
    assert params["body"].replace("\r\n", "\n") == text
    assert page.is_hidden("#skriv-mail-lang")
    page.fill("#skriv-afsnit-det-laerte-vi", "Et langt afsnit om det, vi lærte. " * 60)
    page.wait_for_selector("#skriv-mail-lang:not([hidden])")
    href = page.get_attribute("#skriv-mail", "href") or ""
    body = dict(parse_qsl(href.partition("?")[2]))["body"]
    assert "vedhæftet" in body and "faelles-have-i-vestbyen.md" in body
    assert "vedhæft" in page.inner_text("#skriv-mail-lang")
    assert unquote(href).startswith("mailto:")


def _github_body(address: str, values: dict[str, Any]) -> str:
    """The issue body GitHub shows after the person has opened the prefilled form, ticked the
    confirmations (GitHub cannot tick boxes from the address) and submitted it: '### Label', a
    blank line, the answer ('_No response_' when empty), options chosen joined by ', '."""
    params = dict(parse_qsl(urlsplit(address).query))
    parts = []
    for f in FORM:
        if f.kind == "checkboxes":
            ticked = f.id == "bekraeftelse" or values.get(f.id)
            value = "\n".join(f"- [{'X' if ticked else ' '}] {o}" for o in f.options)
        else:
            value = params.get(f.id) or issueform.NO_RESPONSE
        parts.append(f"### {f.label}\n\n{value}\n")
    return "\n".join(parts)


@pytest.mark.parametrize("values", [GOOD, HOSTILE], ids=["valid", "hostile"])
def test_the_prefilled_issue_becomes_the_same_story_with_fra_issue(
    values: dict[str, Any], session: Session, tmp_path: Path
) -> None:
    page = session.page
    form = page.get_attribute("#skriv-github", "href") or ""  # the repository's setting, made by urls.issue_form
    assert form.endswith("/issues/new?template=" + urls.ISSUE_TEMPLATE)
    _fill(page, values)
    session.ready()
    text = session.download()
    address = page.get_attribute("#skriv-github", "href") or ""
    assert address.startswith(form + "&title=")
    assert len(address) <= writing.ISSUE_LIMIT and page.is_hidden("#skriv-github-lang")
    assert dict(parse_qsl(urlsplit(address).query))["title"] == writing.ISSUE_TITLE_PREFIX + values["titel"]
    root = copy_site(tmp_path / "src", ("mkdocs.yml", "council.yml", "principles", "methods", "stories"))
    issue = tmp_path / "issue.md"
    issue.write_text(_github_body(address, values), encoding="utf-8")
    result = CliRunner().invoke(main, ["--rod", str(root), "fra-issue", str(issue)])
    assert result.exit_code == 0, result.output
    slug = writing_slug(values["titel"])
    converted = (root / "stories" / f"{slug}.md").read_text(encoding="utf-8")
    assert _front(converted) == _front(text)
    if values is GOOD:
        page.fill("#skriv-afsnit-det-laerte-vi", "Et meget langt afsnit. " * 400)
        page.wait_for_selector("#skriv-github-lang:not([hidden])")
        assert page.get_attribute("#skriv-github", "href") == form


def test_keyboard_alone_reaches_every_field_sends_and_follows_the_summary(session: Session) -> None:
    page = session.page
    page.focus("#skriv-slet")
    seen: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        current = page.evaluate("document.activeElement.id")
        seen.append(current)
        if current == "skriv-klar":
            break
    fields = page.evaluate("Array.from(document.querySelectorAll('#skriv input, #skriv textarea, #skriv select'))"
                           ".map(e => e.id)")
    assert [i for i in seen if i in fields] == fields
    page.keyboard.press("Enter")
    page.wait_for_selector("#skriv-fejl:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "skriv-fejl"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "skriv-titel"
    page.keyboard.type(GOOD["titel"])
    page.focus("#skriv-bekraeftelse-1")
    page.keyboard.press("Space")
    assert page.is_checked("#skriv-bekraeftelse-1")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_empty_with_problems_and_with_the_preview(scheme: str, browser: Browser,
                                                                    shipped_url: str) -> None:
    s = Session(browser, shipped_url, color_scheme=scheme)
    try:
        page = s.page
        found = _axe(page)
        page.click("#skriv-klar")
        page.wait_for_selector("#skriv-fejl:not([hidden])")
        found += _axe(page)
        _fill(page, GOOD)
        s.ready()
        found += _axe(page)
        assert found == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in found]
    finally:
        s.close()


def test_usable_on_a_phone(browser: Browser, shipped_url: str) -> None:
    s = Session(browser, shipped_url, viewport=PHONE)
    try:
        page = s.page
        wide = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        assert page.evaluate(wide)
        page.click("#skriv-klar")
        page.wait_for_selector("#skriv-fejl:not([hidden])")
        assert page.evaluate(wide)
        _fill(page, HOSTILE)
        s.ready()
        assert page.evaluate(wide)
        box = page.locator("#skriv-titel").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    finally:
        s.close()


def test_the_page_without_the_secretariats_address_says_so(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    out = tmp_path / "site"
    env = {"VIDENBANK_KLADDER": "1", "VIDENBANK_SEKRETARIAT_EMAIL": ""}
    result = run_build(root, out, env=env, strict=False)
    assert result.returncode == 0, result.stderr
    soup = html(out, PATH)
    assert "VIDENBANK_SEKRETARIAT_EMAIL" in soup.select_one(".vb-write").get_text()
    assert soup.select_one("#skriv-mail") is None
    shutil.rmtree(out)
