"""Hostile input from issue 17 (attributes, characters, line endings, docs/ files, the theme's
clothes, links): each one is a Danish message from `videnbank tjek` and the same message from the
strict build, and — with the checker's content rules switched off (VIDENBANK_USIKKER_TEST=1, for
tests only) — inert on the pages MkDocs, ProperDocs and Zensical build.

One bank holds every input, so `tjek`, the strict build and the three unsafe builds run once each.
"""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index"

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import REPO, TEST_ADDRESSES, copy_site, write_tree
from test_safety import png

ENGINES = ("mkdocs", "properdocs", "zensical")
PRINCIPLE = "ny-velfaerd-lokalt"
WEB_ATTACK = 'https://x.dk/" autofocus onfocus="alert(1)" style="position:fixed;inset:0;z-index:99999" x="'
IMAGE_ATTACK = 'x" onerror=alert(2) style=position:fixed y=".png'
SCRIPT_ATTACK = 'https://x.dk/"><script>alert(3)</script>'


def story(title: str, *, extra: str = "", body: str = "Tekst.", contact: str = "") -> str:
    return (
        "---\n"
        f"titel: {title}\n"
        "sammendrag: En historie, der prøver noget.\n"
        "dato: 2024-01-02\n"
        "publicering: udgivet\n"
        f"principper: [{PRINCIPLE}]\n"
        "aktører:\n"
        "  - navn: Foreningen\n"
        "    sektor: civilsamfund\n"
        "status: igang\n"
        "kontakt:\n"
        "  organisation: Foreningen\n"
        f"{contact}"
        f"{extra}"
        "---\n"
        "## Udfordringen\n\nEn udfordring.\n\n"
        f"## Det gjorde vi\n\n{body}\n"
    )


STORIES: dict[str, str] = {
    "angreb-web": story("Angreb i webadressen", contact=f"  web: '{WEB_ATTACK}'\n"),
    "angreb-billede": story("Angreb i billedets filnavn", extra=(
        "samtykke: ja\n"
        "billeder:\n"
        f"  - fil: '{IMAGE_ATTACK}'\n"
        "    alt: Et billede\n"
        "    kredit: Foreningen\n"
    )),
    "angreb-script": story("Et script i webadressen", contact=f"  web: '{SCRIPT_ATTACK}'\n"),
    "styretegn": story('"Titel med \\a klokke, \\e escape og \\0 nul"'),
    "bidi": story('"Titel med \u202eomvendt\u202c tekst"', body="Tekst med \u202eomvendt\u202c skrift."),
    "usynlig": story('"Titel med usyn\u200blig mellemrum"'),
    "dialog": story("En boks klædt ud som temaets dialog", body=(
        '!!! md-dialog md-dialog--active "Din session er udløbet. Log ind igen med MitID"\n'
        "    [Log ind](https://evil.example/mitid)\n")),
    "config": story("Et anker, der stopper temaets scripts", body=(
        "### __config\n\nTekst med et anker.\n{: #__config }\n")),
    "knap": story("Et link klædt ud som sitets knap", body=(
        "[Hent rapporten](https://evil.example/rapport.exe){: .md-button .md-button--primary }\n")),
    "http": story("Links uden https",
                  body="Se [den gamle side](http://example.dk/side) og [værten](//evil.example/x).\n"),
}
CRLF_STORY = story("Gemt på Windows").replace("\n", "\r\n")


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def expected_messages() -> list[str]:
    """Every problem the checker must report for the hostile bank: file:line: field: message."""
    s = STORIES
    return [
        f"stories/angreb-web.md:{line_of(s['angreb-web'], 'web:')}: kontakt.web: '{WEB_ATTACK[:57]}...' "
        "indeholder et anførselstegn",
        f"stories/angreb-billede.md:{line_of(s['angreb-billede'], 'fil:')}: billeder[1].fil: "
        f"'{IMAGE_ATTACK}' indeholder et anførselstegn",
        f"stories/angreb-script.md:{line_of(s['angreb-script'], 'web:')}: kontakt.web: HTML er ikke tilladt i feltet "
        "('<script>alert(3)</script>')",
        "stories/styretegn.md:2: titel: feltet indeholder et styretegn (U+0007)",
        "stories/bidi.md:2: titel: feltet indeholder et tegn, der vender skriveretningen (U+202E)",
        f"stories/bidi.md:{line_of(s['bidi'], 'Tekst med')}: tekst: linjen indeholder et tegn, der vender "
        "skriveretningen (U+202E)",
        "stories/usynlig.md:2: titel: feltet indeholder et usynligt tegn (U+200B)",
        f"stories/dialog.md:{line_of(s['dialog'], '!!!')}: tekst: boksen '!!! md-dialog md-dialog--active' er ikke "
        "en af de tilladte typer — skriv én af note, info, tip, example, quote, warning",
        f"stories/config.md:{line_of(s['config'], '{: #')}: tekst: ankeret '#__config' er forbeholdt sitet selv",
        f"stories/knap.md:{line_of(s['knap'], 'Hent')}: tekst: klassen '.md-button' er ikke tilladt",
        f"stories/knap.md:{line_of(s['knap'], 'Hent')}: tekst: klassen '.md-button--primary' er ikke tilladt",
        f"stories/http.md:{line_of(s['http'], 'Se [')}: tekst: linket 'http://example.dk/side' bruger http://, som "
        "ikke er krypteret — skriv https:// i stedet",
        f"stories/http.md:{line_of(s['http'], 'Se [')}: tekst: linket '//evil.example/x' mangler https: — skriv "
        "hele adressen med https:// foran",
    ]


def hostile_bank(root: Path) -> Path:
    copy_site(root)
    write_tree(root, {f"stories/{name}.md": text for name, text in STORIES.items()})
    (root / "stories" / IMAGE_ATTACK).write_bytes(png())
    (root / "stories" / "crlf.md").write_bytes(CRLF_STORY.encode("utf-8"))
    return root


def run(args: list[str], root: Path, *, unsafe: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIDENBANK_")}
    env.update({"NO_MKDOCS_2_WARNING": "1", **TEST_ADDRESSES})
    if unsafe:
        env["VIDENBANK_USIKKER_TEST"] = "1"
    script = Path(sys.executable).parent / "videnbank"
    return subprocess.run([str(script), "--rod", str(root), *args], capture_output=True, text=True, env=env,
                          cwd=root, timeout=600, check=False)


@dataclass
class Hostile:
    root: Path
    tjek: str
    build: str
    sites: dict[str, Path]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    root = hostile_bank(tmp_path_factory.mktemp("fjendtlig") / "src")
    tjek = run(["tjek"], root)
    assert tjek.returncode == 1, tjek.stdout + tjek.stderr
    build = run(["byg", "--motor", "mkdocs", "-d", str(tmp_path_factory.mktemp("afvist") / "site")], root)
    assert build.returncode == 1, build.stdout + build.stderr
    sites = {}
    for engine in ENGINES:
        out = tmp_path_factory.mktemp(f"usikker-{engine}") / "site"
        result = run(["byg", "--motor", engine, "--ikke-streng", "-d", str(out)], root, unsafe=True)
        assert result.returncode == 0, f"{engine}:\n{result.stdout}{result.stderr}"
        sites[engine] = out
    return Hostile(root, tjek.stdout + tjek.stderr, build.stdout + build.stderr, sites)


def test_tjek_and_the_build_give_the_same_danish_messages(hostile: Hostile) -> None:
    for message in expected_messages():
        assert message in hostile.tjek, f"tjek: {message}\n{hostile.tjek}"
        assert message in hostile.build, f"build: {message}\n{hostile.build}"
    assert "Traceback" not in hostile.tjek + hostile.build


def test_a_story_saved_with_crlf_reads_like_lf(hostile: Hostile) -> None:
    assert "stories/crlf.md" not in hostile.tjek
    assert "stories/crlf.md" not in hostile.build
    for engine, site in hostile.sites.items():
        page = _page(site, "historier/crlf/")
        assert page.h1 is not None and "Gemt på Windows" in page.h1.get_text(), engine


def _page(site: Path, address: str) -> BeautifulSoup:
    return BeautifulSoup((site / address / "index.html").read_text(encoding="utf-8"), "html.parser")


_EVENT = re.compile(r"^on", re.IGNORECASE)


def _injected(page: BeautifulSoup) -> list[str]:
    """Attributes in the page that a contributor's value could have opened: event handlers,
    autofocus, and inline style inside the article."""
    found = []
    for element in page.find_all(True):
        assert isinstance(element, Tag)
        for name in element.attrs:
            if _EVENT.match(name) or name == "autofocus" or name in {"x", "y"}:
                found.append(f"<{element.name} {name}>")
    article = page.find("article")
    found += [f"<{e.name} style>" for e in article.find_all(style=True)] if isinstance(article, Tag) else []
    return found


@pytest.mark.parametrize("engine", ENGINES)
def test_a_quote_in_the_web_address_opens_no_attribute(hostile: Hostile, engine: str) -> None:
    page = _page(hostile.sites[engine], "historier/angreb-web/")
    assert _injected(page) == []
    facts = page.select_one(".vb-facts")
    assert WEB_ATTACK in facts.get_text(), "the address is shown as text"
    assert not [a for a in facts.find_all("a") if "x.dk" in str(a.get("href"))], "and is no link"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_quote_in_an_image_name_opens_no_attribute(hostile: Hostile, engine: str) -> None:
    page = _page(hostile.sites[engine], "historier/angreb-billede/")
    assert _injected(page) == []
    assert not [img for img in page.select("article img") if "onerror" in str(img.get("src"))]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_feed_is_well_formed_xml_with_control_characters_in_a_title(hostile: Hostile, engine: str) -> None:
    feeds = sorted((hostile.sites[engine] / "feeds").rglob("*.xml"))
    assert len(feeds) >= 2
    titles = []
    for feed in feeds:
        root = ET.fromstring(feed.read_bytes())  # raises on ill-formed XML
        titles += [t.text or "" for t in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Titel med  klokke,  escape og  nul" in titles


# --- docs/: only pages, images and PDF; no address the bank makes --------------------------------

KINDS_FIX = ("docs/ må kun indeholde sider i Markdown (.md), billeder (JPEG, PNG, WebP, GIF, AVIF) og PDF-filer; "
             "skriv indholdet som en side i Markdown, eller fjern filen")
RENAME = "giv filen et andet navn, eller læg den i en anden mappe i docs/"
PAGE = "# En side\n\nTekst.\n"
DOCS_FILES: dict[str, tuple[bytes, str]] = {
    "docs/x.html": (b"<script>alert(1)</script>", f"en fil med endelsen '.html' må ikke ligge i docs/ — {KINDS_FIX}"),
    "docs/x.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                   f"en fil med endelsen '.svg' må ikke ligge i docs/ — {KINDS_FIX}"),
    "docs/billeder/falsk.png": (b"<script>alert(1)</script>",
                                "filen er ikke en PNG-fil, selv om den hedder .png — gem filen igen som PNG, "
                                "eller giv den den endelse, der passer til indholdet"),
    "docs/assets/search.js": (b"alert(1)", f"filen ville få adressen /assets/search.js, som videnbanken selv bruger "
                                           f"til sitets scripts og stilark — {RENAME}"),
    "docs/assets/videnbank.css": (b"body{display:none}", "filen ville få adressen /assets/videnbank.css, som "
                                  f"videnbanken selv bruger til sitets scripts og stilark — {RENAME}"),
    "docs/data/historier.json": (b"[]", "filen ville få adressen /data/historier.json, som videnbanken selv bruger "
                                        f"til de åbne data — {RENAME}"),
    "docs/feeds/historier.xml": (b"<feed/>", "filen ville få adressen /feeds/historier.xml, som videnbanken selv "
                                             f"bruger til feeds — {RENAME}"),
    "docs/raadet.md": (PAGE.encode(), f"filen ville få adressen /raadet/, som videnbanken selv bruger til rådets side "
                                      f"— {RENAME}"),
    "docs/historier.md": (PAGE.encode(), "filen ville få adressen /historier/, som videnbanken selv bruger til "
                                         f"historierne — {RENAME}"),
    "docs/pagefind/pagefind.js": (b"alert(1)", "filen ville få adressen /pagefind/pagefind.js, som videnbanken selv "
                                               f"bruger til søgningen — {RENAME}"),
    "docs/stor.pdf": (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "filen fylder 10,1 MB; højst 10 MB er tilladt — gør "
                      "filen mindre, fx et billede 1600 punkter bredt, eller en PDF med mindre billeder"),
    "docs/navn med mellemrum.md": (PAGE.encode(), "filnavnet indeholder et mellemrum — giv filen et navn med "
                                                  "bogstaver, tal og -, fx rapport-2024.pdf"),
    "docs/om\u202egnp.md": (PAGE.encode(), "filnavnet indeholder et tegn, der vender skriveretningen (U+202E) — "
                                          "giv filen et navn med bogstaver, tal og -, fx rapport-2024.pdf"),
}
ALLOWED_DOCS_FILES = {"docs/rapport.pdf": b"%PDF-1.4\n%%EOF\n", "docs/billeder/kort.png": png()}


@pytest.fixture(scope="module")
def docs_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """`tjek` and a build with each engine of a bank whose docs/ holds every file above."""
    root = copy_site(tmp_path_factory.mktemp("docs") / "src")
    for name, content in [*((n, c) for n, (c, _) in DOCS_FILES.items()), *ALLOWED_DOCS_FILES.items()]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    runs = {"tjek": run(["tjek"], root)}
    for engine in ENGINES:
        runs[engine] = run(["byg", "--motor", engine, "-d", str(tmp_path_factory.mktemp(engine) / "site")], root)
    for name, result in runs.items():
        assert result.returncode == 1, f"{name}:\n{result.stdout}{result.stderr}"
    return {name: result.stdout + result.stderr for name, result in runs.items()}


@pytest.mark.parametrize("name", sorted(DOCS_FILES))
def test_a_file_docs_may_not_publish_is_refused_by_tjek_and_every_engine(docs_runs: dict[str, str], name: str) -> None:
    message = f"{name}:1: fil: {DOCS_FILES[name][1]}"
    for run_name, output in docs_runs.items():
        assert message in output, f"{run_name}: {message}\n{output}"


def test_images_and_pdf_in_docs_are_allowed(docs_runs: dict[str, str]) -> None:
    for output in docs_runs.values():
        assert not any(name in output for name in ALLOWED_DOCS_FILES), output
        assert "Traceback" not in output


@pytest.mark.parametrize("engine", ENGINES)
def test_content_keeps_its_own_clothes(hostile: Hostile, engine: str) -> None:
    site = hostile.sites[engine]
    dialog = _page(site, "historier/dialog/").select_one("article .vb-body")
    assert not dialog.select("[class*=md-dialog]")
    assert [" ".join(d["class"]) for d in dialog.select("div.admonition")] == ["admonition note"]
    page = _page(site, "historier/config/")
    assert [e.name for e in page.select("[id=__config]")] == ["script"], "only Material's own configuration"
    heading = page.select_one("article .vb-body h3")
    # '### __config': the one Danish slugify (model.slugify) makes the anchor 'config', no reserved id
    assert str(heading["id"]) in {"config", "afsnit-config"}
    assert heading.select_one("a.headerlink")["href"] == f"#{heading['id']}"
    assert not [e for e in page.select("article [id]") if e["id"].startswith(("__", "md-", "vb-body"))]
    links = _page(site, "historier/knap/").select("article .vb-body a:not(.headerlink)")
    assert [(a["href"], a.get("class")) for a in links] == [("https://evil.example/rapport.exe", None)]


@pytest.mark.parametrize("engine", ENGINES)
def test_http_and_host_relative_links_are_no_links(hostile: Hostile, engine: str) -> None:
    body = _page(hostile.sites[engine], "historier/http/").select_one("article .vb-body")
    assert [a.get("href") for a in body.select("a:not(.headerlink)")] == [None, None]
    assert "den gamle side" in body.get_text() and "værten" in body.get_text()


def test_the_guide_names_every_box_type_and_button_class() -> None:
    from videnbank.contentrules import ADMONITION_TYPES, BUTTON_CLASSES

    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("## Links, bokse og knapper", 1)[1].split("\n## ", 1)[0]
    assert all(f"`{kind}` ({what})" in section for kind, what in ADMONITION_TYPES.items())
    assert all(f".{name}" in section for name in BUTTON_CLASSES)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_script_in_a_field_is_text_and_the_policy_trusts_only_the_theme(hostile: Hostile, engine: str) -> None:
    from videnbank import csp

    site = hostile.sites[engine]
    text = (site / "historier" / "angreb-script" / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(text, "html.parser")
    assert not [s for s in page.find_all("script") if "alert(3)" in s.get_text()]
    assert SCRIPT_ATTACK in page.select_one(".vb-facts").get_text()
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    known = csp.Policy.for_build(REPO / "overrides")
    theirs = {csp._hash(body) for _, body in csp._inline_scripts(text) if known.is_known(body)}
    assert set(re.findall(r"'sha256-[^']+'", str(policy))) == theirs and theirs
