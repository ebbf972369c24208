"""Real builds of real sites into temp dirs, read back as HTML."""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index, arg-type"

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, build_ok, copy_site, html, run_build, write_tree
from videnbank import views
from videnbank.load import load_bank

DRAFT_SENTENCE = "Denne kladde må ikke blive offentlig."


def _text(site: Path, path: str) -> str:
    return " ".join(html(site, path).get_text(" ").split())


def test_story_page(shipped_site: Path) -> None:
    page = html(shipped_site, "historier/faaborg-midtfyn-dialogmoede-transport/")
    assert page.find("html")["lang"] == "da"
    assert page.find("h1").get_text(strip=True) == "Dialogmøde om transport i Faaborg-Midtfyn"
    facts = page.find("aside", class_="vb-facts")
    terms = [dt.get_text(strip=True) for dt in facts.find("dl").find_all("dt", recursive=False)]
    assert terms[:3] == ["Principper", "Aktører", "Metoder"]
    assert {"Målgrupper", "Temaer", "Kommune og sted", "Status", "Kontakt"} <= set(terms)
    principle_links = [a["href"] for a in facts.find("dd").find_all("a")]
    assert "../../principper/dialogbaseret-proces/" in principle_links
    sectors = [s.get_text(strip=True) for s in facts.select(".vb-facts__sub")]
    assert sectors == ["Offentlig sektor:", "Civilsamfund:"]
    methods = {a.get_text(strip=True): a["href"] for a in facts.find_all("a") if "metoder" in a["href"]}
    assert methods["Fremtidsværksted"] == "../../metoder/fremtidsvaerksted/"
    headings = [h.get_text(strip=True).rstrip("#") for h in page.select(".vb-body h2")]
    assert headings[:2] == ["Udfordringen", "Det gjorde vi"]
    # No edit pencil on a story (README: the secretariat changes stories; their readers are citizens).
    assert page.select_one("a.md-content__button") is None


def test_principle_page_lists_its_stories(shipped_site: Path) -> None:
    bank = load_bank(REPO)
    expected = [s.meta.title for s in bank.stories
                if s.meta.publication == "udgivet" and "dialogbaseret-proces" in [p.slug for p in s.meta.principles]]
    page = html(shipped_site, "principper/dialogbaseret-proces/")
    assert page.find("h1").get_text(strip=True) == "En proces bygget på dialog"
    assert page.find(id="refleksion") is not None
    titles = [h.get_text(strip=True) for h in page.select(".vb-card__title a")]
    assert titles == expected and len(titles) >= 2
    assert f"({len(expected)})" in page.find(id="historier").get_text()


def test_principle_index_matrix(shipped_site: Path) -> None:
    bank = load_bank(REPO)
    public = [s for s in bank.stories if s.meta.publication == "udgivet"]
    table = html(shipped_site, "principper/").select_one(".vb-matrix table")
    heads = table.select("thead th")
    assert heads[0].get_text(strip=True) == "Historie"
    for th, principle in zip(heads[1:], bank.principles, strict=True):  # short name shown, full name read aloud
        hidden = th.select_one(".vb-sr-only")
        assert hidden.get_text(strip=True) == f": {principle.meta.name}"
        hidden.extract()
        assert th.get_text(" ", strip=True) == f"{principle.meta.number} {principle.meta.short_name}"
        assert len(principle.meta.short_name or "") <= 24
    rows = table.select("tbody tr")
    assert len(rows) == len(public)
    counts = [int(td.get_text(strip=True)) for td in table.select("tfoot td")]
    for i, principle in enumerate(bank.principles):
        marked = sum(1 for r in rows if r.find_all("td")[i].get_text(strip=True))
        assert counts[i] == marked == sum(principle.slug in [p.slug for p in s.meta.principles] for s in public)


def test_overview_newest_first(shipped_site: Path) -> None:
    bank = load_bank(REPO)
    public = [s for s in bank.stories if s.meta.publication == "udgivet"]
    page = html(shipped_site, "historier/")
    titles = [a.get_text(strip=True) for a in page.select(".vb-card__title a")]
    assert titles[: len(public)] == [s.meta.title for s in public]
    first = page.select_one(".vb-card")
    assert first.select_one(".vb-card__summary").get_text(strip=True) == public[0].meta.summary
    assert first.select(".vb-badges a")


def test_front_page_and_about(shipped_site: Path) -> None:
    page = html(shipped_site, "")
    assert "samskabelse" in page.find("h1").get_text().lower()
    assert len(page.select("ol.vb-principles li")) == 6
    assert page.select(".vb-cards .vb-card")
    assert "Om videnbanken" in _text(shipped_site, "om/")


def test_site_settings(shipped_site: Path) -> None:
    page = html(shipped_site, "")
    assert not page.find("link", href=lambda h: h and "fonts.googleapis" in h)
    assert page.find("input", id="vb-search-input") is not None, "the header keeps its search box"
    search = json.loads((shipped_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(search["languages"]) == ["da"]
    nav_links = [a.get_text(strip=True) for a in page.select("nav.md-nav--primary a")]
    assert not any("Dialogmøde om transport" in t for t in nav_links), "stories stay out of the navigation"


def _every_output_text(site: Path) -> dict[str, str]:
    """Every file of a built site as text, by path; gzip files (``.gz``, Pagefind's ``.pf_*``
    fragments and indexes, whatever their name) decompressed first."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        while data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        out[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="ignore")
    return out


def _leaks(site: Path, secrets: tuple[str, ...]) -> list[str]:
    texts = _every_output_text(site)
    # The scan reads what a reader can download: the compressed search fragments and sitemap too.
    assert any(name.endswith(".pf_fragment") for name in texts) and "sitemap.xml.gz" in texts
    return [name for name, text in texts.items() if any(s in text for s in secrets)]


def test_draft_is_absent_from_the_built_site(shipped_site: Path) -> None:
    draft = REPO / "stories" / "faaborg-midtfyn-revision-af-politikken.md"
    assert draft.read_text(encoding="utf-8").count(DRAFT_SENTENCE) == 1
    assert _leaks(shipped_site, (DRAFT_SENTENCE, "faaborg-midtfyn-revision-af-politikken")) == []
    assert not (shipped_site / "historier" / "faaborg-midtfyn-revision-af-politikken").exists()
    # The scan sees a published story's text in the compressed search fragments and its address
    # in the compressed sitemap, so a draft there would be found.
    seen = _leaks(shipped_site, ("Folkemødet i Silkeborg", "historier/folkemoedet-i-silkeborg/"))
    assert any(name.endswith(".pf_fragment") for name in seen) and "sitemap.xml.gz" in seen


def test_story_waiting_for_review_is_absent_from_a_real_build(tmp_path: Path) -> None:
    secret = "Denne historie venter på gennemsyn og må ikke ses."
    root = copy_site(tmp_path / "src")
    story = root / "stories" / "folkemoedet-i-silkeborg.md"
    text = story.read_text(encoding="utf-8").replace("publicering: udgivet", "publicering: til-gennemsyn")
    story.write_text(text.replace("## Udfordringen\n", f"## Udfordringen\n\n{secret}\n", 1), encoding="utf-8")
    site = build_ok(root, tmp_path / "site")
    assert _leaks(site, (secret, "folkemoedet-i-silkeborg")) == []  # its title is also in council.yml


def test_preview_shows_drafts_marked(tmp_path: Path) -> None:
    site = build_ok(REPO, tmp_path / "site", env={"VIDENBANK_KLADDER": "1"})
    page = html(site, "historier/faaborg-midtfyn-revision-af-politikken/")
    assert page.select_one(".vb-draft") is not None
    assert DRAFT_SENTENCE in page.get_text()
    card = [c for c in html(site, "historier/").select(".vb-card") if "revision-af-politikken" in str(c)]
    assert card and card[0].select_one(".vb-draft-tag").get_text(strip=True) == "Kladde"


BROKEN = """---
titel: Ødelagt
sammendrag: Med fejl.
dato: 2024-02-30
publicering: udgivet
principper: [nye-kvalitet]
aktører:
  - navn: Kommunen
    sektor: kommune
status: igang
kontakt:
  organisation: Kommunen
---
## Udfordringen

x

## Det gjorde vi

y
"""


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "not-strict"])
def test_broken_story_fails_the_build_with_every_problem(tmp_path: Path, strict: bool) -> None:
    root = copy_site(tmp_path / "src")
    write_tree(root, {"stories/oedelagt.md": BROKEN})
    result = run_build(root, tmp_path / "site", strict=strict)
    assert result.returncode == 1
    out = result.stderr
    assert "Videnbanken har 3 problemer i indholdet:" in out
    assert "stories/oedelagt.md:4: dato: '2024-02-30' er ikke en gyldig dato" in out
    principle = "principper[1].princip: ukendt princip 'nye-kvalitet' — mente du 'nye-kvaliteter'?"
    assert f"stories/oedelagt.md:6: {principle}" in out
    assert "stories/oedelagt.md:9: aktører[1].sektor: ukendt værdi 'kommune'" in out
    assert "Traceback" not in out


def test_four_principles_under_other_slugs(tmp_path: Path) -> None:
    root = FIXTURES / "fire-principper"
    site = build_ok(root, tmp_path / "site")
    index = html(site, "principper/")
    header = [th.get_text(" ", strip=True) for th in index.select(".vb-matrix thead th")]
    assert header == ["Historie", *(f"{p.meta.number} {p.meta.name}" for p in load_bank(root).principles)]
    assert [int(td.get_text()) for td in index.select(".vb-matrix tfoot td")] == [1, 1, 2, 2]
    page = html(site, "principper/inddragelse/")
    titles = [a.get_text(strip=True) for a in page.select(".vb-card__title a")]
    assert titles == ["Vandresti langs åen", "Lokalt forum"]
    story = html(site, "historier/en-indgang/")
    assert "3. Let adgang til kommunen" in story.select_one(".vb-facts").get_text()
    assert not (site / "principper" / "nye-kvaliteter").exists()


def test_properdocs_builds_the_same_site(tmp_path: Path, shipped_site: Path) -> None:
    site = build_ok(REPO, tmp_path / "site", tool="properdocs")
    for path in ("historier/folkemoedet-i-silkeborg/", "principper/", "historier/", "principper/nye-kvaliteter/"):
        ours, theirs = html(shipped_site, path), html(site, path)
        assert theirs.find("h1").get_text(strip=True) == ours.find("h1").get_text(strip=True)
    pages = [sorted(p.relative_to(s).as_posix() for p in s.rglob("index.html")) for s in (shipped_site, site)]
    assert pages[0] == pages[1]


def test_principle_pages_are_paginated_and_list_every_story(tmp_path: Path) -> None:
    story = (REPO / "stories" / "folkemoedet-i-silkeborg.md").read_text(encoding="utf-8")
    extra = {f"stories/ekstra-{i:02d}.md": story.replace("titel: Folkemødet i Silkeborg", f"titel: Ekstra {i:02d}")
             for i in range(views.CARDS_PER_PAGE + 5)}
    root = write_tree(copy_site(tmp_path / "src"), extra)
    site = build_ok(root, tmp_path / "site")
    public = [s for s in load_bank(root).stories if s.meta.publication == "udgivet"]
    expected = [s.meta.title for s in public if "nye-kvaliteter" in [p.slug for p in s.meta.principles]]
    first = html(site, "principper/nye-kvaliteter/")
    second = html(site, "principper/nye-kvaliteter/side/2/")
    cards = [a.get_text(strip=True) for page in (first, second) for a in page.select(".vb-card__title a")]
    assert len(first.select(".vb-card")) == views.CARDS_PER_PAGE and cards == expected
    assert first.find("a", rel="next")["href"] == "side/2/"
    assert first.find("a", href="../../historier/?princip=nye-kvaliteter") is not None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"VIDENBANK_SITE_URL": "", "VIDENBANK_TILGAENGELIGHEDSERKLAERING": ""},
         ["Sitets offentlige adresse er ikke sat", "Adressen på tilgængelighedserklæringen mangler"]),
        ({"VIDENBANK_SITE_URL": "http://127.0.0.1:8000/"}, ["'http://127.0.0.1:8000/' er en lokal adresse"]),
        ({"VIDENBANK_SITE_URL": "http://localhost/"}, ["'http://localhost/' er en lokal adresse"]),
        ({"VIDENBANK_TILGAENGELIGHEDSERKLAERING": ""}, ["Adressen på tilgængelighedserklæringen mangler"]),
    ],
)
def test_a_publishing_build_says_where_it_lives(tmp_path: Path, env: dict[str, str], expected: list[str]) -> None:
    result = run_build(REPO, tmp_path / "site", env=env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for text in expected:
        assert text in output
    assert "VIDENBANK_SITE_URL=" in output or "VIDENBANK_TILGAENGELIGHEDSERKLAERING=" in output  # how to set it
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "index.html").exists()


NO_GITHUB = {"GITHUB_SERVER_URL": "", "GITHUB_REPOSITORY": ""}  # in GitHub Actions these name the repository


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"VIDENBANK_UDGIVER": ""}, "Udgiveren er ikke sat"),
        ({"VIDENBANK_SEKRETARIAT_EMAIL": ""}, "Sekretariatets e-mailadresse er ikke sat"),
        ({"VIDENBANK_SEKRETARIAT_EMAIL": "redaktionen"}, "'redaktionen' er ikke en e-mailadresse"),
        ({"VIDENBANK_REPO_URL": "", **NO_GITHUB}, "Adressen på videnbankens repository er ikke sat"),
        ({"VIDENBANK_REPO_URL": "http://github.com/x/y"}, "'http://github.com/x/y' er ikke en https-adresse"),
    ],
)
def test_a_publishing_build_says_who_stands_behind_it(tmp_path: Path, env: dict[str, str], expected: str) -> None:
    """Issue 16: no public site without its publisher, a contact and its repository; the message
    names the setting to set, in Danish."""
    result = run_build(REPO, tmp_path / "site", env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and expected in output, output[-2000:]
    setting = next(iter(env))
    assert f"{setting}=" in output and "Traceback" not in output
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_repository_comes_from_github_actions_and_the_site_says_who_stands_behind_it(tmp_path: Path) -> None:
    """In GitHub Actions the repository's address needs no setting; the footer names publisher,
    contact and licence on every page, /om/ says the same, /data/ and historier.json the licence;
    a story has no edit pencil, a hand-written page one into that repository."""
    env = {"VIDENBANK_REPO_URL": "", "GITHUB_SERVER_URL": "https://github.example", "GITHUB_REPOSITORY": "kommune/bank"}
    site = build_ok(REPO, tmp_path / "site", env=env)
    for address in ("", "historier/", "om/", "data/", "evaluering/"):
        footer = html(site, address).select_one("footer")
        assert "Udgivet af Sekretariatet for Testrådet" in footer.get_text(" ")
        assert footer.find("a", href="mailto:sekretariat@videnbank.example.dk") is not None
        licence = footer.find("a", rel="license")
        assert licence.get_text() == "CC BY 4.0" and "creativecommons.org/licenses/by/4.0" in licence["href"]
    about = html(site, "om/")
    assert about.find(id="udgiver") is not None and about.find("a", href="https://github.example/kommune/bank")
    assert about.select_one("a.md-content__button")["href"] == "https://github.example/kommune/bank/edit/main/docs/om.md"
    assert html(site, "data/").find(id="vilkaar").find_next("a", rel="license").get_text() == "CC BY 4.0"
    data = json.loads((site / "data" / "historier.json").read_text(encoding="utf-8"))
    assert data["licens"] == "CC BY 4.0" and data["licens_url"].startswith("https://creativecommons.org/")
    story = next(p for p in (site / "historier").glob("*/index.html") if p.parent.name != "side")
    assert html(site, f"historier/{story.parent.name}/").select_one("a.md-content__button") is None
    bidrag = html(site, "bidrag/")
    assert bidrag.find("a", href="https://github.example/kommune/bank/issues/new?template=historie.yml") is not None


def test_preview_and_plain_builds_need_no_public_address(tmp_path: Path) -> None:
    unset = {"VIDENBANK_SITE_URL": "", "VIDENBANK_TILGAENGELIGHEDSERKLAERING": ""}
    assert run_build(REPO, tmp_path / "a", env=unset, strict=False).returncode == 0
    assert run_build(REPO, tmp_path / "b", env={**unset, "VIDENBANK_KLADDER": "1"}).returncode == 0
