"""`videnbank byg --motor mkdocs|properdocs|zensical`: the three engines build the same site.

Real builds of the shipped bank, once per engine for this module; no mocks. MkDocs runs the hook
in memory; ProperDocs and Zensical build the plain docs tree written from the site plan; all
three then get the same finish (Pagefind, security policy).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import Tag
from conftest import REPO, TEST_ADDRESSES, copy_site, html, write_tree

ENGINES = ("mkdocs", "properdocs", "zensical")
# Files an engine adds by itself, outside our content: compared sets leave these out.
ENGINE_EXTRAS: dict[str, set[str]] = {
    "mkdocs": set(),
    "properdocs": set(),
    # Zensical always writes its own search index; the bank turns that search off (Pagefind is
    # the search), which leaves an index with no items.
    "zensical": {"search.json"},
}
# The theme's own scripts and styles (names carry hashes, Zensical lays them out differently) and
# Pagefind's chunks (names carry hashes of the indexed HTML) are left out of the file comparison.
THEME_AND_INDEX = ("assets/javascripts/", "assets/stylesheets/", "pagefind/")
SAMPLE = (
    "historier/faaborg-midtfyn-civilsamfundspolitik/", "historier/folkemoedet-i-silkeborg/",
    "principper/ny-velfaerd-lokalt/", "principper/dialogbaseret-proces/",
    "metoder/borgermoede/", "metoder/fremtidsvaerksted/",
)
CSP = 'http-equiv="Content-Security-Policy"'
OPEN_DATA = ("data/historier.json", "data/historier.schema.json", "data/historier.csv", "historier/index.json",
             "sitemap.xml", "sitemap.xml.gz")


def videnbank(*args: str, root: Path = REPO, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `videnbank` command of this environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIDENBANK_")}
    env.update({"NO_MKDOCS_2_WARNING": "1", **TEST_ADDRESSES, **(extra or {})})
    script = Path(sys.executable).parent / "videnbank"
    command = [str(script)] if script.exists() else [shutil.which("videnbank") or "videnbank"]
    return subprocess.run([*command, "--rod", str(root), *args], capture_output=True, text=True,
                          env=env, cwd=root, timeout=600, check=False)


def _build_all(tmp_path_factory: pytest.TempPathFactory, extra: dict[str, str] | None = None) -> dict[str, Path]:
    sites = {}
    for engine in ENGINES:
        out = tmp_path_factory.mktemp(engine) / "site"
        result = videnbank("byg", "--motor", engine, "-d", str(out), extra=extra)
        assert result.returncode == 0, f"{engine}:\n{result.stdout}{result.stderr}"
        assert f"Sitet er bygget med {engine}" in result.stdout
        sites[engine] = out
    return sites


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped bank built by each engine."""
    return _build_all(tmp_path_factory)


@pytest.fixture(scope="module")
def built_without_slash(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same, with the site's address written without its trailing slash."""
    bare = TEST_ADDRESSES["VIDENBANK_SITE_URL"].rstrip("/")
    return _build_all(tmp_path_factory, {"VIDENBANK_SITE_URL": bare})


def _files(site: Path, engine: str) -> set[str]:
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    return {n for n in names if not n.startswith(THEME_AND_INDEX)} - ENGINE_EXTRAS[engine]


def _text(node: Tag | None) -> str:
    assert node is not None
    return " ".join(node.get_text(" ").split())


def _article(site: Path, address: str) -> Tag:
    article = html(site, address).find("article")
    assert isinstance(article, Tag), f"{address}: no <article>"
    return article


def test_same_page_addresses(built: dict[str, Path]) -> None:
    pages = {e: sorted(p.relative_to(s).as_posix() for p in s.rglob("index.html")) for e, s in built.items()}
    assert pages["mkdocs"] == pages["properdocs"] == pages["zensical"]
    assert len(pages["mkdocs"]) > 30
    assert {f"{a}index.html" for a in SAMPLE} <= set(pages["mkdocs"])


def test_same_files_apart_from_the_theme_and_engine_extras(built: dict[str, Path]) -> None:
    files = {e: _files(s, e) for e, s in built.items()}
    assert files["mkdocs"] == files["properdocs"] == files["zensical"]
    for engine, extras in ENGINE_EXTRAS.items():
        assert all((built[engine] / name).is_file() for name in extras), engine


def test_same_article_text_on_every_page(built: dict[str, Path]) -> None:
    for page in sorted(built["mkdocs"].rglob("index.html")):
        address = page.parent.relative_to(built["mkdocs"]).as_posix() + "/"
        address = "" if address == "./" else address
        texts = {e: _text(_article(s, address)) for e, s in built.items()}
        assert texts["mkdocs"] == texts["properdocs"] == texts["zensical"], address


@pytest.mark.parametrize("address", SAMPLE)
def test_sample_pages_carry_our_content(built: dict[str, Path], address: str) -> None:
    parts = {}
    for engine, site in built.items():
        article = _article(site, address)
        ours = article.select("[class^=vb-], [class*=' vb-']")
        assert ours, f"{engine} {address}: none of our .vb-* parts"
        parts[engine] = [(" ".join(n.get("class") or []), _text(n)) for n in ours]
    assert parts["mkdocs"] == parts["properdocs"] == parts["zensical"]


def test_story_page_has_facts_body_and_principles(built: dict[str, Path]) -> None:
    story = (REPO / "stories" / "folkemoedet-i-silkeborg.md").read_text(encoding="utf-8")
    first_paragraph = story.split("## Udfordringen", 1)[1].strip().split("\n\n")[0]
    for engine, site in built.items():
        page = html(site, "historier/folkemoedet-i-silkeborg/")
        assert "Folkemødet i Silkeborg" in _text(page.title), engine
        facts = page.select_one("article .vb-facts")
        assert facts is not None, engine
        principles = [a["href"] for a in facts.select("a[href*='principper/']")]
        assert len(principles) == 2, engine
        assert " ".join(first_paragraph.split()) in _text(page.select_one("article .vb-body")), engine


def test_overview_has_cards_and_filter(built: dict[str, Path]) -> None:
    published = sum(1 for s in (REPO / "stories").glob("*.md")
                    if re.search(r"^publicering:\s*udgivet\s*$", s.read_text(encoding="utf-8"), re.MULTILINE))
    for engine, site in built.items():
        page = html(site, "historier/")
        cards = page.select("article .vb-card")
        assert len(cards) >= published > 0, engine
        assert all(card.select_one(".vb-card__title a") for card in cards), engine
        assert page.select_one("article .vb-filter") is not None, engine
        assert page.select("article .vb-filter__option"), engine


def test_search_and_open_data_present(built: dict[str, Path]) -> None:
    for engine, site in built.items():
        assert (site / "pagefind" / "pagefind.js").is_file(), engine
        assert list((site / "pagefind" / "fragment").glob("*.pf_fragment")), engine
        for name in ("data/historier.json", "data/historier.csv", "feeds/historier.xml"):
            assert (site / name).is_file() and (site / name).stat().st_size > 100, f"{engine}: {name}"


def test_security_policy_on_every_page(built: dict[str, Path]) -> None:
    for engine, site in built.items():
        pages = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("pagefind/")]
        missing = [p.relative_to(site).as_posix() for p in pages if CSP not in p.read_text(encoding="utf-8")]
        assert pages and not missing, f"{engine}: {missing}"


def test_bad_story_stops_zensical_with_a_danish_message(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    good = (root / "stories" / "folkemoedet-i-silkeborg.md").read_text(encoding="utf-8")
    write_tree(root, {"stories/folkemoedet-i-silkeborg.md": good.replace("status: igang", "status: maaske")})
    line = next(i for i, text in enumerate(good.splitlines(), 1) if text.startswith("status:"))
    out = tmp_path / "out"
    result = videnbank("byg", "--motor", "zensical", "-d", str(out), root=root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"stories/folkemoedet-i-silkeborg.md:{line}: status" in output
    assert "Traceback" not in output
    assert not out.exists()


def test_refuses_to_build_over_the_bank(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src", ("mkdocs.yml", "council.yml", "principles"))
    result = videnbank("byg", "--motor", "properdocs", "-d", str(tmp_path), root=root)
    assert result.returncode == 1
    assert "videnbankens mappe" in result.stderr
    assert (root / "mkdocs.yml").is_file()


def _open_data(site: Path) -> dict[str, bytes]:
    """The open data and the files made for machines: JSON, CSV, feeds, the filter's index, the sitemap."""
    files = [*OPEN_DATA, *(p.relative_to(site).as_posix() for p in sorted((site / "feeds").rglob("*")) if p.is_file())]
    return {name: (site / name).read_bytes() for name in files}


def _json_ld(site: Path, address: str) -> str:
    script = html(site, address).find("script", type="application/ld+json")
    assert isinstance(script, Tag), address
    return script.get_text()


def test_open_data_byte_for_byte_on_every_engine_with_and_without_the_slash(
    built: dict[str, Path], built_without_slash: dict[str, Path],
) -> None:
    reference = _open_data(built["mkdocs"])
    assert len([n for n in reference if n.startswith("feeds/") and n.endswith(".xml")]) > 3
    base = TEST_ADDRESSES["VIDENBANK_SITE_URL"]
    story = f"{base}historier/folkemoedet-i-silkeborg/".encode()
    for name in ("data/historier.json", "feeds/historier.xml", "sitemap.xml"):
        assert story in reference[name], name
        assert base.rstrip("/").encode() + b"historier" not in reference[name], name
    json_ld = _json_ld(built["mkdocs"], "historier/folkemoedet-i-silkeborg/")
    assert story.decode() in json_ld
    for sites in (built, built_without_slash):
        for engine, site in sites.items():
            found = _open_data(site)
            assert found.keys() == reference.keys(), engine
            assert [n for n in found if found[n] != reference[n]] == [], engine
            assert _json_ld(site, "historier/folkemoedet-i-silkeborg/") == json_ld, engine


TOC_PAGES = ("om/", "startguide/", "evaluering/", "data/", "raadet/", "historier/faaborg-midtfyn-civilsamfundspolitik/")


@pytest.mark.parametrize("engine", ENGINES)
def test_every_page_with_sections_has_a_table_of_contents_and_a_skip_link(
    built: dict[str, Path], engine: str
) -> None:
    """Issue 16: bodies arrive as HTML, so the engine gets the page's headings from the core (the
    plan's Markdown) and builds the table of contents and the skip link from them. Every entry
    points at a heading of the page with the same text, and every section heading is listed."""
    for address in (*TOC_PAGES, "historier/"):
        page = html(built[engine], address)
        skip = page.select_one("a.md-skip")
        assert skip is not None and skip["href"] == "#__skip", f"{engine} {address}: skip link"
        article = page.find("article", id="__skip")
        assert article is not None, f"{engine} {address}: the skip link's target"
        toc = page.select_one("nav.md-nav--secondary [data-md-component=toc]")
        if address == "historier/":
            continue  # a listing without sections: the skip link, no table of contents
        assert toc is not None, f"{engine} {address}: no table of contents"
        entries = [(str(a["href"]).removeprefix("#"), _text(a)) for a in toc.select("a.md-nav__link")]
        headings = [(str(h["id"]), _text(h).removesuffix(" #").strip()) for h in article.select("h2[id], h3[id]")
                    if not str(h["id"]).startswith("vb-")]  # the template's own boxes (facts, sources): no sections
        assert entries, f"{engine} {address}: an empty table of contents"
        assert set(entries) <= set(headings), f"{engine} {address}: {set(entries) - set(headings)}"
        assert [e for e in headings if e[0] in dict(entries)] == entries, f"{engine} {address}: order"
        sections = {str(h["id"]) for h in article.select("h2[id]") if not str(h["id"]).startswith("vb-")}
        assert sections <= {i for i, _ in entries}, (
            f"{engine} {address}: a section missing from the table of contents")


TITLE = 'En <historie> & "x"'


def test_a_title_is_escaped_exactly_once_on_every_engine(tmp_path: Path) -> None:
    """The view hands the title as plain text and the templates escape it; the engine's own front
    matter (Page.meta), which Material and Zensical print into <title> as it is, carries it escaped.
    With the checker's markup rules off (the test switch), every place shows the title once escaped."""
    root = copy_site(tmp_path / "bank")
    story = root / "stories" / "faaborg-midtfyn-civilsamfundspolitik.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(re.sub(r"^titel: .*$", "titel: 'En <historie> & \"x\"'", text, count=1, flags=re.MULTILINE),
                     encoding="utf-8")
    address = "historier/faaborg-midtfyn-civilsamfundspolitik/"
    for engine in ENGINES:
        out = tmp_path / engine
        result = videnbank("byg", "--motor", engine, "-d", str(out), root=root,
                           extra={"VIDENBANK_USIKKER_TEST": "1"})
        assert result.returncode == 0, f"{engine}:\n{result.stdout}{result.stderr}"
        raw = (out / address / "index.html").read_text(encoding="utf-8")
        assert "<historie>" not in raw and "&amp;lt;" not in raw and "&amp;amp;" not in raw, engine
        page = html(out, address)
        assert page.title is not None and _text(page.title).startswith(TITLE), engine
        assert _text(page.find("h1")) == TITLE, engine
        og = page.find("meta", property="og:title")
        assert isinstance(og, Tag) and og["content"] == TITLE, engine
        assert TITLE in _text(page.select_one(".md-header__topic:last-child")), engine
