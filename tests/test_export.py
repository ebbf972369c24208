"""Open data, feeds and sharing: the core on a small bank, then every output of real builds read back
with a real parser (json + jsonschema, csv, feedparser, an HTML parser)."""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index, arg-type"

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
from conftest import FIXTURES, REPO, build_ok, copy_site, html, write_tree
from videnbank import export, gitdates, startguide
from videnbank.derive import Catalogue, danish_date
from videnbank.load import load_bank
from videnbank.model import Story
from videnbank.settings import Licence, Site

SITE = Site("Testbanken", "https://videnbank.example.dk/",
            Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.da"))
DRAFT_SLUG = "faaborg-midtfyn-revision-af-politikken"
DRAFT_SENTENCE = "Denne kladde må ikke blive offentlig."


def _story(title: str, date: str, *, publication: str = "udgivet", principles: str = "[alfa]",
           extra: str = "", summary: str = "Et kort sammendrag.",
           contact: str = "kontakt:\n  organisation: Kommunen\n") -> str:
    return f"""---
titel: {title}
sammendrag: {summary}
dato: {date}
publicering: {publication}
principper: {principles}
aktører:
  - navn: Kommunen
    sektor: offentlig
  - navn: Foreningen Ærø & Å
    sektor: civilsamfund
status: igang
{contact}{extra}---
## Udfordringen

Noget.

## Det gjorde vi

Noget andet.
"""


TRICKY = _story(
    "Møde; med \"citat\" og æøå", "2023-03-01", principles="[alfa, beta]",
    summary="Et *vigtigt* sammendrag med [et link](https://example.dk) & mere.",
    extra="""metoder: [dialogmoede]
målgrupper: ["unge, også de ældste", ældre]
periode:
  start: 2022-09
resultater:
  tekst: |
    Første linje;
    anden linje.
  evalueret: ja
links:
  - titel: Mere
    url: https://example.dk/mere
kilder:
  - titel: "Referat; møde 1"
    udgiver: Kommunen
    år: 2022
    link: https://example.dk/referat
  - titel: Foreningens blad
    udgiver: Foreningen Ærø & Å
""",
    contact='kontakt:\n  organisation: Kommunen\n  telefon: "+45 11 22 33 44"\n',
)


def _bank(tmp_path: Path) -> Catalogue:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    write_tree(tmp_path, {
        "stories/gammel.md": _story("Gammel historie", "2021-01-05"),
        "stories/svaer.md": TRICKY,
        "stories/kladde.md": _story("Hemmelig kladde", "2024-06-01", publication="kladde",
                                    summary="Kladdetekst, der ikke må ud."),
    })
    bank = load_bank(tmp_path)
    assert bank.problems == [], bank.problems
    return Catalogue(bank)


def _validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


# --- the core, on a small bank -------------------------------------------------------------------


def test_document_has_published_stories_newest_first(tmp_path: Path) -> None:
    catalogue = _bank(tmp_path)
    doc = export.document(catalogue, SITE)
    assert doc["version"] == 1
    assert doc["opdateret"] == "2023-03-01", "the newest published story, not the newer draft nor the clock"
    assert doc["antal"] == 2
    assert [s["kortnavn"] for s in doc["historier"]] == ["svaer", "gammel"]
    first = doc["historier"][0]
    assert first["url"] == "https://videnbank.example.dk/historier/svaer/"
    assert first["sammendrag"] == "Et vigtigt sammendrag med et link & mere."
    assert first["principper"] == [{"princip": "alfa", "hvordan": None}, {"princip": "beta", "hvordan": None}]
    assert first["aktører"][1] == {"navn": "Foreningen Ærø & Å", "sektor": "civilsamfund", "type": "organisation"}
    assert first["kilder"] == [
        {"titel": "Referat; møde 1", "udgiver": "Kommunen", "år": 2022, "link": "https://example.dk/referat"},
        {"titel": "Foreningens blad", "udgiver": "Foreningen Ærø & Å", "år": None, "link": None},
    ]
    assert doc["historier"][1]["kilder"] == []
    assert first["resultater"] == {"tekst": "Første linje;\nanden linje.", "evalueret": True}
    assert first["periode"] == {"start": "2022-09", "slut": None}
    assert set(first) == {"kortnavn", "url"} | {f.alias or name for name, f in Story.model_fields.items()}
    assert [p["kortnavn"] for p in doc["principper"]] == ["alfa", "beta"]
    assert doc["metoder"][0]["url"] == "https://videnbank.example.dk/metoder/dialogmoede/"
    assert "Hemmelig" not in json.dumps(doc, ensure_ascii=False)


def test_document_validates_against_its_schema(tmp_path: Path) -> None:
    catalogue = _bank(tmp_path)
    doc, schema = export.document(catalogue, SITE), export.json_schema(catalogue, SITE)
    assert schema["$id"] == doc["$schema"] == "https://videnbank.example.dk/data/historier.schema.json"
    validator = _validator(schema)
    validator.validate(doc)
    wrong_principle = json.loads(json.dumps(doc))
    wrong_principle["historier"][0]["principper"][0]["princip"] = "gamma"
    unknown_field = json.loads(json.dumps(doc))
    unknown_field["historier"][1]["ukendt"] = 1
    bad_date = json.loads(json.dumps(doc))
    bad_date["historier"][1]["dato"] = "5. januar 2021"
    missing = json.loads(json.dumps(doc))
    del missing["historier"][0]["url"]
    no_publisher = json.loads(json.dumps(doc))
    del no_publisher["historier"][0]["kilder"][0]["udgiver"]
    bad_kind = json.loads(json.dumps(doc))
    bad_kind["historier"][0]["aktører"][0]["type"] = "person"
    for broken in (wrong_principle, unknown_field, bad_date, missing, no_publisher, bad_kind):
        assert not validator.is_valid(broken)


def test_schema_field_table_covers_every_story_field(tmp_path: Path) -> None:
    fields = export.schema_fields(export.json_schema(_bank(tmp_path), SITE))
    names = [f.name for f in fields]
    assert names[:2] == ["kortnavn", "url"]
    top = {n for n in names if "." not in n and "[" not in n}
    assert top == {"kortnavn", "url"} | {f.alias or name for name, f in Story.model_fields.items()}
    by_name = {f.name: f for f in fields}
    assert "aktører[].sektor" in by_name and "offentlig" in by_name["aktører[].sektor"].kind
    assert by_name["aktører[].type"].kind == "tekst: organisation, gruppe"
    assert [n for n in names if n.startswith("kilder")] == [
        "kilder", "kilder[].titel", "kilder[].udgiver", "kilder[].år", "kilder[].link",
    ]
    assert by_name["kilder[].udgiver"].required and not by_name["kilder[].link"].required
    assert by_name["titel"].required and not by_name["kommune"].required
    assert by_name["dato"].kind.startswith("dato")
    assert all(f.description for f in fields)


def test_csv_is_made_for_danish_excel(tmp_path: Path) -> None:
    data = export.csv_bytes(_bank(tmp_path), SITE)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark, so Excel reads UTF-8"
    body = data[3:]
    assert body.count(b"\r\n") == 3 and b"\n" not in body.replace(b"\r\n", b""), "CRLF line ends only"
    header = body.split(b"\r\n")[0].decode("utf-8")
    assert header.split(";") == [c.name for c in export.CSV_COLUMNS]
    rows = _csv_rows(data)
    assert [r["kortnavn"] for r in rows] == ["svaer", "gammel"]
    tricky = rows[0]
    assert tricky["titel"] == 'Møde; med "citat" og æøå'
    assert '"Møde; med ""citat"" og æøå"' in data.decode("utf-8-sig"), "quoted, with doubled quotes"
    assert tricky["principper"] == "alfa | beta"
    assert tricky["målgrupper"] == "unge, også de ældste | ældre"
    assert tricky["aktører"] == "Kommunen (offentlig) | Foreningen Ærø & Å (civilsamfund)"
    assert tricky["resultater"] == "Første linje; anden linje."
    assert tricky["resultater_evalueret"] == "ja"
    assert tricky["kontakt_telefon"] == "'+45 11 22 33 44", "kept from being read as a formula"
    assert tricky["periode_start"] == "2022-09" and tricky["periode_slut"] == ""
    assert tricky["links"] == "Mere (https://example.dk/mere)"
    assert tricky["kilder"] == (
        "Referat; møde 1, Kommunen, 2022 (https://example.dk/referat) | Foreningens blad, Foreningen Ærø & Å"
    )
    assert rows[1]["kilder"] == ""
    assert rows[1]["resultater_evalueret"] == "" and rows[1]["metoder"] == ""
    assert "Hemmelig" not in data.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('"=HYPERLINK(\\"https://x.example\\";\\"klik\\")"', "'=HYPERLINK(\"https://x.example\";\"klik\")"),
        ('"+45 11 22 33 44"', "'+45 11 22 33 44"),
        ('"-2+3+cmd|\' /C calc\'!A0"', "'-2+3+cmd|' /C calc'!A0"),
        ('"@SUM(1+1)"', "'@SUM(1+1)"),
        ('"\\t=1+1"', "'=1+1"),
        ('"\\r@SUM(1)"', "'@SUM(1)"),
        ('"\\t\\r-1"', "'-1"),
    ],
)
def test_csv_keeps_every_formula_start_as_text(tmp_path: Path, value: str, cell: str) -> None:
    """Pins the CSV-injection guard for '=', '+', '-', '@', tab and CR at the start of a cell."""
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    write_tree(tmp_path, {"stories/formel.md": _story("Formel", "2023-03-01", extra=f"sted: {value}\n")})
    bank = load_bank(tmp_path)
    assert bank.problems == [], bank.problems
    row = _csv_rows(export.csv_bytes(Catalogue(bank), SITE))[0]
    assert row["sted"] == cell
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_starting_like_a_formula_is_text(start: str) -> None:
    assert export._cell(f"{start}1+1") == f"'{start}1+1"
    assert export._cell(f"  {start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("start", ["\t", "\r", "\r\n"])
def test_a_cell_never_starts_with_a_tab_or_line_break(start: str) -> None:
    assert export._cell(f"{start}=1+1") == "'=1+1"
    assert export._cell(f"{start}tekst") == "tekst"


def test_atom_feeds(tmp_path: Path) -> None:
    catalogue = _bank(tmp_path)
    files = export.files(catalogue, SITE)
    assert set(files) == {export.JSON_FILE, export.SCHEMA_FILE, export.CSV_FILE, export.SITE_FEED,
                          "feeds/principper/alfa.xml", "feeds/principper/beta.xml"}
    feed = feedparser.parse(files[export.SITE_FEED])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == "https://videnbank.example.dk/feeds/historier.xml"
    assert feed.feed.updated == "2023-03-01T00:00:00Z"
    assert feed.feed.language == "da"
    ids = [e.id for e in feed.entries]
    assert ids == ["https://videnbank.example.dk/historier/svaer/", "https://videnbank.example.dk/historier/gammel/"]
    first = feed.entries[0]
    assert first.title == 'Møde; med "citat" og æøå'
    assert first.link == ids[0]
    assert first.updated_parsed[:3] == (2023, 3, 1)
    assert first.summary == "Et vigtigt sammendrag med et link & mere."
    assert [t.term for t in first.tags] == ["alfa", "beta"] and first.tags[0].label == "Alfa"
    assert [c.name for c in first.contributors] == ["Kommunen", "Foreningen Ærø & Å"]
    beta = feedparser.parse(files["feeds/principper/beta.xml"])
    assert not beta.bozo and [e.id for e in beta.entries] == ids[:1]
    assert beta.feed.title == "Testbanken: Beta"
    assert all(b"Hemmelig" not in content for content in files.values())


def test_empty_principle_feed_is_still_valid(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    write_tree(tmp_path, {"stories/en.md": _story("En", "2022-02-02")})
    files = export.files(Catalogue(load_bank(tmp_path)), SITE)
    beta = feedparser.parse(files["feeds/principper/beta.xml"])
    assert not beta.bozo and beta.entries == []
    assert beta.feed.updated == "2022-02-02T00:00:00Z"


def test_outputs_are_deterministic_and_never_hold_drafts(tmp_path: Path) -> None:
    catalogue = _bank(tmp_path)
    preview = Catalogue(catalogue.bank, preview=True)
    assert any(s.meta.publication == "kladde" for s in preview.stories)
    assert export.files(catalogue, SITE) == export.files(preview, SITE) == export.files(_bank(tmp_path), SITE)


def test_plain_text() -> None:
    assert export.plain_text("**Fed** og <em>kursiv</em> &amp; [link](https://x.dk)\n\nnyt afsnit") == (
        "Fed og kursiv & link nyt afsnit"
    )


def test_danish_dates_with_babel() -> None:
    assert danish_date(dt.date(2021, 3, 3)) == "3. marts 2021"
    assert danish_date("2020-12") == "december 2020"
    assert danish_date("2020-08-01") == "1. august 2020"


def test_start_guide_markdown_follows_the_vocabulary(tmp_path: Path) -> None:
    catalogue = _bank(tmp_path)
    text = startguide.markdown(catalogue)
    assert text.index("### 1. Alfa") < text.index("### 2. Beta") < text.index("## Metodekataloget")
    assert "### Dialogmøde" in text and "(../metoder/dialogmoede/index.md)" in text
    source = "## Hvad\n```\n## kode\n```\n###### Dybt"
    assert startguide.demote(source, 2) == "#### Hvad\n```\n## kode\n```\n###### Dybt"


GIT = shutil.which("git")


def _git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.dk",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.dk"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_last_changed_from_one_git_log(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    site = write_tree(repo / "site", {"stories/a.md": "a", "stories/b.md": "b", "docs/x.md": "x"})
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "første", date="2021-03-03T12:00:00+01:00")
    write_tree(site, {"stories/b.md": "b2"})
    _git(repo, "commit", "-q", "-am", "anden", date="2022-04-05T12:00:00+02:00")
    assert gitdates.last_changed(site) == {"stories/a.md": dt.date(2021, 3, 3), "stories/b.md": dt.date(2022, 4, 5)}
    assert gitdates.last_changed(tmp_path / "nowhere") == {}
    assert gitdates.parse_log("\x1e2022-01-02\n\nstories/x.md\n\x1e2021-01-01\n\nstories/x.md\nstories/y.md\n") == {
        "stories/x.md": dt.date(2022, 1, 2), "stories/y.md": dt.date(2021, 1, 1)}


# --- real builds ---------------------------------------------------------------------------------


def _published_slugs() -> list[str]:
    return [s.slug for s in load_bank(REPO).stories if s.meta.publication == "udgivet"]


def _principle_feeds(site: Path) -> list[Path]:
    return sorted(p for p in (site / "feeds" / "principper").glob("*.xml") if p.name != "sitemap.xml")


def _site_url(site: Path) -> str:
    return str(json.loads((site / export.JSON_FILE).read_text(encoding="utf-8"))["url"])


def test_built_json_and_schema(shipped_site: Path) -> None:
    doc = json.loads((shipped_site / export.JSON_FILE).read_text(encoding="utf-8"))
    schema = json.loads((shipped_site / export.SCHEMA_FILE).read_text(encoding="utf-8"))
    _validator(schema).validate(doc)
    assert doc["version"] == 1
    assert [s["kortnavn"] for s in doc["historier"]] == _published_slugs()
    assert doc["opdateret"] == max(s["dato"] for s in doc["historier"])
    for story in doc["historier"]:
        assert story["url"] == f"{doc['url']}historier/{story['kortnavn']}/"
        assert (shipped_site / "historier" / story["kortnavn"] / "index.html").is_file()
    assert len(doc["principper"]) == len(load_bank(REPO).principles)


def test_built_csv(shipped_site: Path) -> None:
    data = (shipped_site / export.CSV_FILE).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].count(b"\r\n") == len(_published_slugs()) + 1
    dialect = csv.Sniffer().sniff(data.decode("utf-8-sig").split("\r\n")[0])
    assert dialect.delimiter == ";"
    rows = _csv_rows(data)
    assert [r["kortnavn"] for r in rows] == _published_slugs()
    assert all(len(r) == len(export.CSV_COLUMNS) and None not in r for r in rows)
    text = data.decode("utf-8-sig")
    assert "æ" in text and "ø" in text and "å" in text
    assert "Ã" not in text, "æøå written once as UTF-8, not twice"


def test_built_feeds(shipped_site: Path) -> None:
    url = _site_url(shipped_site)
    bank = load_bank(REPO)
    published = [s for s in bank.stories if s.meta.publication == "udgivet"]
    site_feed = feedparser.parse((shipped_site / export.SITE_FEED).read_bytes())
    assert not site_feed.bozo, site_feed.get("bozo_exception")
    assert [e.id for e in site_feed.entries] == [f"{url}historier/{s.slug}/" for s in published][:export.FEED_LENGTH]
    dates = [f"{s.meta.added.isoformat()}T00:00:00Z" for s in published][:export.FEED_LENGTH]
    assert [e.updated for e in site_feed.entries] == dates
    feeds = _principle_feeds(shipped_site)
    assert [f.stem for f in feeds] == sorted(p.slug for p in bank.principles)
    for file in feeds:
        feed = feedparser.parse(file.read_bytes())
        assert not feed.bozo, (file, feed.get("bozo_exception"))
        expected = [f"{url}historier/{s.slug}/" for s in published if file.stem in {p.slug for p in s.meta.principles}]
        assert [e.id for e in feed.entries] == expected
        assert all(file.stem in {t.term for t in e.tags} for e in feed.entries)


def test_every_page_links_the_site_feed_and_principle_pages_their_own(shipped_site: Path) -> None:
    pages = sorted(shipped_site.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        soup = html(shipped_site, page.relative_to(shipped_site).as_posix())
        feeds = soup.head.find_all("link", rel="alternate", type="application/atom+xml")
        targets = {(page.parent / str(link["href"])).resolve() for link in feeds}
        assert (shipped_site / export.SITE_FEED).resolve() in targets, page
        assert all(t.is_file() for t in targets), page
    for principle in load_bank(REPO).principles:
        soup = html(shipped_site, f"principper/{principle.slug}/")
        hrefs = [link["href"] for link in soup.head.find_all("link", rel="alternate")]
        assert f"../../feeds/principper/{principle.slug}.xml" in hrefs
        assert soup.select_one(".vb-feed a")["href"] == f"../../feeds/principper/{principle.slug}.xml"


def test_story_pages_carry_open_graph_and_json_ld(shipped_site: Path) -> None:
    url = _site_url(shipped_site)
    bank = load_bank(REPO)
    names = {p.slug: p.meta.name for p in bank.principles}
    for story in (s for s in bank.stories if s.meta.publication == "udgivet"):
        soup = html(shipped_site, f"historier/{story.slug}/")
        og = {m["property"]: m["content"] for m in soup.head.find_all("meta", property=True)
              if m["property"].startswith("og:")}
        assert og == {
            "og:type": "article", "og:locale": "da_DK", "og:site_name": "Videnbank for samskabelse",
            "og:title": story.meta.title, "og:description": story.meta.summary,
            "og:url": f"{url}historier/{story.slug}/",
        }
        scripts = soup.find_all("script", type="application/ld+json")
        assert len(scripts) == 1
        ld = json.loads(scripts[0].string)
        assert ld["@context"] == "https://schema.org" and ld["@type"] == "Article"
        assert ld["headline"] == story.meta.title and ld["description"] == story.meta.summary
        assert ld["datePublished"] == story.meta.added.isoformat() and ld["inLanguage"] == "da"
        assert ld["url"] == og["og:url"]
        assert [a["name"] for a in ld["about"]] == [names[p.slug] for p in story.meta.principles]
        actors = [("Organization", a.name) for a in story.meta.actors]
        assert [(c["@type"], c["name"]) for c in ld["contributor"]] == actors
        if story.meta.municipality:
            assert ld["spatialCoverage"] == {"@type": "Place", "name": story.meta.municipality}
        else:
            assert "spatialCoverage" not in ld


def test_sitemap_lists_every_story_and_no_draft(shipped_site: Path) -> None:
    from xml.etree import ElementTree

    url = _site_url(shipped_site)
    tree = ElementTree.parse(shipped_site / "sitemap.xml")
    locs = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {f"{url}historier/{slug}/" for slug in _published_slugs()} <= locs
    assert not any(DRAFT_SLUG in str(loc) for loc in locs)
    assert f"{url}data/" in locs and f"{url}startguide/" in locs


def test_open_data_page_documents_every_file(shipped_site: Path) -> None:
    page = html(shipped_site, "data/")
    assert page.find("h1").get_text(strip=True).rstrip("#") == "Åbne data"
    content = page.select_one(".md-content")
    hrefs = {a["href"] for a in content.find_all("a")}
    published = {p.relative_to(shipped_site).as_posix() for d in ("data", "feeds")
                 for p in (shipped_site / d).rglob("*") if p.is_file() and p.name not in {"index.html", "sitemap.xml"}}
    assert published == {export.JSON_FILE, export.SCHEMA_FILE, export.CSV_FILE, export.SITE_FEED} | {
        export.principle_feed(p.slug) for p in load_bank(REPO).principles}
    for path in published:
        assert ("../" + path if not path.startswith("data/") else path.removeprefix("data/")) in hrefs, path
    schema = json.loads((shipped_site / export.SCHEMA_FILE).read_text(encoding="utf-8"))
    rows = [th.get_text(strip=True) for th in content.select("#felter ~ div table")[0].select("tbody th")]
    assert rows == [f.name for f in export.schema_fields(schema)]
    columns = [th.get_text(strip=True) for th in content.select("#kolonner ~ div table")[0].select("tbody th")]
    assert columns == [c.name for c in export.CSV_COLUMNS]
    text = " ".join(content.get_text(" ").split())
    assert "UTF-8 med BOM" in text and "semikolon" in text.lower()
    nav = [a.get_text(strip=True) for a in html(shipped_site, "").select("nav.md-nav--primary a")]
    assert "Åbne data" in nav and "Startguide" in nav


def test_start_guide_collects_principles_questions_and_methods(shipped_site: Path) -> None:
    bank = load_bank(REPO)
    page = html(shipped_site, "startguide/")
    guide = page.select_one(".vb-startguide")
    text = " ".join(guide.get_text(" ").split())
    headings = [h.get_text(strip=True).rstrip("#") for h in guide.find_all("h3")]
    principles = [f"{p.meta.number}. {p.meta.name}" for p in bank.principles]
    assert headings == principles + [m.meta.name for m in bank.methods]
    for principle in bank.principles:
        assert principle.meta.statement in text
        assert all(" ".join(q.split()) in text for q in principle.meta.questions)
    links = {a["href"] for a in guide.find_all("a")}
    assert {f"../principper/{p.slug}/" for p in bank.principles} <= links
    assert {f"../metoder/{m.slug}/" for m in bank.methods} <= links
    assert page.select_one("button[data-vb-print]") is not None


def test_last_updated_from_git_on_story_pages(tmp_path: Path) -> None:
    if GIT is None:
        pytest.skip("git is not installed")
    root = copy_site(tmp_path / "src")
    no_git = build_ok(root, tmp_path / "plain")
    story = "historier/folkemoedet-i-silkeborg/"
    assert "Senest opdateret" not in html(no_git, story).get_text(), "no git, no date, no error"
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "indhold", date="2021-03-03T10:00:00+01:00")
    site = build_ok(root, tmp_path / "site")
    page = html(site, story)
    assert "Senest opdateret 3. marts 2021." in " ".join(page.select_one(".vb-dates").get_text().split())
    assert page.select(".vb-dates time")[-1]["datetime"] == "2021-03-03"
    ld = json.loads(page.find("script", type="application/ld+json").string)
    assert ld["dateModified"] == "2021-03-03"


def test_preview_build_gives_the_same_open_data(tmp_path: Path, shipped_site: Path) -> None:
    """Drafts never reach the data or the feeds, also when drafts are shown; and builds are byte-identical."""
    preview = build_ok(REPO, tmp_path / "site", env={"VIDENBANK_KLADDER": "1"})
    assert (preview / "historier" / DRAFT_SLUG / "index.html").is_file()
    files = [p.relative_to(shipped_site) for d in ("data", "feeds") for p in (shipped_site / d).rglob("*")
             if p.is_file() and p.name != "index.html"]
    assert len(files) >= 4
    for file in files:
        assert (preview / file).read_bytes() == (shipped_site / file).read_bytes(), file
        assert DRAFT_SLUG not in (preview / file).read_text(encoding="utf-8")
        assert DRAFT_SENTENCE not in (preview / file).read_text(encoding="utf-8")


def test_another_banks_vocabulary_drives_the_feeds(tmp_path: Path) -> None:
    root = FIXTURES / "fire-principper"
    site = build_ok(root, tmp_path / "site")
    bank = load_bank(root)
    assert [f.stem for f in _principle_feeds(site)] == sorted(p.slug for p in bank.principles)
    doc = json.loads((site / export.JSON_FILE).read_text(encoding="utf-8"))
    assert doc["titel"] == "Fællesskabsbanken" and len(doc["principper"]) == 4
    schema = json.loads((site / export.SCHEMA_FILE).read_text(encoding="utf-8"))
    _validator(schema).validate(doc)
    assert len(html(site, "startguide/").select(".vb-startguide h3")) == 4 + len(bank.methods)
