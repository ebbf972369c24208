"""Browsing: facets, the filter index, the overview's static pages and related stories.

Unit tests run on small banks written to a temp dir; the last tests read a real build.
"""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index, arg-type"

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import yaml
from conftest import FIXTURES, REPO, build_ok, html, write_tree
from videnbank import facets, paging, related, urls, views
from videnbank.derive import Catalogue
from videnbank.load import load_bank

PRINCIPLES = {"alfa": "Alfa", "beta": "Beta", "gamma": "Gamma"}
METHODS = {"dialogmoede": "Dialogmøde", "temadag": "Temadag", "borgermoede": "Borgermøde"}


def story(
    dato: str,
    principper: list[str],
    *,
    metoder: list[str] | None = None,
    målgrupper: list[str] | None = None,
    temaer: list[str] | None = None,
    sektorer: list[str] | None = None,
    kommune: str | None = None,
    status: str = "igang",
    publicering: str = "udgivet",
    titel: str = "En historie",
    periode: dict[str, str] | None = None,
    aktører: list[dict[str, str]] | None = None,
) -> str:
    meta: dict[str, Any] = {
        "titel": titel, "sammendrag": "Kort.", "dato": dato, "publicering": publicering,
        "principper": principper,
        "aktører": [{"navn": f"Aktør {i}", "sektor": s} for i, s in enumerate(sektorer or ["offentlig"])],
        "metoder": metoder or [], "målgrupper": målgrupper or [], "temaer": temaer or [],
        "status": status, "kontakt": {"organisation": "Kommunen"},
    }
    if kommune:
        meta["kommune"] = kommune
    if periode:
        meta["periode"] = periode
    if aktører:
        meta["aktører"] = aktører
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n## Udfordringen\n\nNoget.\n\n## Det gjorde vi\n\nNoget andet.\n"


def bank_of(root: Path, stories: dict[str, str], preview: bool = False) -> Catalogue:
    files = {f"principles/{slug}.md": f"---\nnummer: {n}\nnavn: {name}\nkort: Om {name}.\n---\nTekst.\n"
             for n, (slug, name) in enumerate(PRINCIPLES.items(), start=1)}
    files |= {f"methods/{slug}.md": f"---\nnavn: {name}\nkort: Om {name}.\n---\nTekst.\n"
              for slug, name in METHODS.items()}
    files |= {f"stories/{slug}.md": text for slug, text in stories.items()}
    bank = load_bank(write_tree(root, files))
    assert bank.problems == []
    return Catalogue(bank, preview=preview, this_year=2024)


SMALL = {
    "a": story("2021-03-01", ["alfa", "beta"], metoder=["dialogmoede"], målgrupper=["Unge"],
               temaer=["Natur"], sektorer=["offentlig", "civilsamfund", "borgere"], kommune="Århus",
               status="afsluttet", periode={"start": "2019-04", "slut": "2020"}),
    # Still going since 2022: it happened in 2022, 2023 and 2024 (this year in these tests).
    "b": story("2022-05-01", ["beta"], metoder=["temadag", "dialogmoede"], målgrupper=["unge", "Ældre"],
               temaer=["natur", "Kultur"], sektorer=["offentlig", "erhverv", "tvaersektoriel"], kommune="Vejle",
               periode={"start": "2022"}),
    "c": story("2022-06-01", ["gamma"], målgrupper=["unge"], sektorer=["civilsamfund"],
               kommune="Ærø", status="ide"),
    "d": story("2023-01-01", ["alfa"], metoder=["borgermoede"], sektorer=["offentlig", "erhverv", "borgere"],
               kommune="Aabenraa"),
    "kladde": story("2024-01-01", ["alfa", "beta"], metoder=["dialogmoede"], målgrupper=["unge"],
                    sektorer=["offentlig", "civilsamfund", "erhverv", "borgere"], kommune="Ødsted",
                    publicering="kladde"),
}


def by_key(catalogue: Catalogue) -> dict[str, facets.Facet]:
    return {f.key: f for f in facets.facets(catalogue)}


def counts(facet: facets.Facet) -> dict[str, int]:
    return {v.value: v.count for v in facet.values}


def test_facet_vocabulary_and_counts(tmp_path: Path) -> None:
    found = by_key(bank_of(tmp_path, SMALL))
    assert list(found) == ["princip", "sektorer", "sektor", "metode", "maalgruppe", "tema", "kommune",
                           "aar", "status"]
    assert [(v.label, v.count) for v in found["princip"].values] == [("1. Alfa", 2), ("2. Beta", 2), ("3. Gamma", 1)]
    # Methods in Danish alphabetical order; the draft counts nowhere.
    assert [(v.label, v.count) for v in found["metode"].values] == [
        ("Borgermøde", 1), ("Dialogmøde", 2), ("Temadag", 1)]
    # No sector offered that no story has; the cross-sector body is found, but is no sector in the mix.
    assert counts(found["sektor"]) == {"offentlig": 3, "erhverv": 2, "civilsamfund": 2, "borgere": 2,
                                       "tvaersektoriel": 1}
    mix = found["sektorer"]
    assert (mix.match, mix.control) == ("any", "select")
    assert [(v.value, v.label, v.count) for v in mix.values] == [
        ("2", "Mindst 2 sektorer", 3), ("3", "Mindst 3 sektorer", 2)]
    # Free text is matched regardless of case; the most used spelling is shown.
    assert [(v.value, v.label, v.count) for v in found["maalgruppe"].values] == [
        ("unge", "unge", 3), ("aeldre", "Ældre", 1)]
    assert [v.label for v in found["tema"].values] == ["Kultur", "Natur"]
    # Danish order: Aabenraa first (as written), then Vejle, Ærø, Århus; the draft's Ødsted is absent.
    assert [v.label for v in found["kommune"].values] == ["Aabenraa", "Vejle", "Ærø", "Århus"]
    # The years it happened (its period), never the year it was added; no period: "ikke oplyst".
    assert [(v.value, v.label, v.count) for v in found["aar"].values] == [
        ("2024", "2024", 1), ("2023", "2023", 1), ("2022", "2022", 1), ("2020", "2020", 1), ("2019", "2019", 1),
        ("ikke-oplyst", "Ikke oplyst", 2)]
    assert found["aar"].hint == "Årene, historien stod på ifølge dens periode."
    assert counts(found["status"]) == {"ide": 1, "igang": 2, "afsluttet": 1}


def test_no_option_offered_that_finds_nothing(tmp_path: Path) -> None:
    found = by_key(bank_of(tmp_path, {k: v for k, v in SMALL.items() if k != "c"}))
    assert counts(found["status"]) == {"igang": 2, "afsluttet": 1}, "no 'Idé (0)'"
    assert "uddannelse-og-forskning" not in counts(found["sektor"])
    assert all(v.count > 0 for f in found.values() for v in f.values)


def test_counts_follow_the_other_choices(tmp_path: Path) -> None:
    catalogue = bank_of(tmp_path, SMALL)

    def n(**query: list[str]) -> int:
        return len(facets.select(catalogue, query))

    # With nothing chosen, the counts are the facets' own.
    assert facets.counts(catalogue, {}) == {f.key: counts(f) for f in facets.facets(catalogue)}
    query = {"princip": ["alfa"]}
    found = facets.counts(catalogue, query)
    assert found["status"] == {"ide": 0, "igang": 1, "afsluttet": 1}
    assert found["princip"] == {"alfa": 2, "beta": 2, "gamma": 1}, "a facet's own choice does not narrow its counts"
    assert found["aar"]["2019"] == 1 and found["aar"]["2023"] == 0 and found["aar"]["ikke-oplyst"] == 1
    # Every count is what choosing that value (alone in its facet) gives.
    for base in ({}, query, {"sektor": ["offentlig"]}, {"aar": ["2023"], "status": ["igang"]}):
        for key, per_value in facets.counts(catalogue, base).items():
            for value, count in per_value.items():
                own = {f.key: f.match for f in facets.facets(catalogue)}[key]
                chosen = [*base.get(key, []), value] if own == "all" else [value]
                assert n(**{**base, key: chosen}) == count, (base, key, value)


def test_select_combines_facets(tmp_path: Path) -> None:
    catalogue = bank_of(tmp_path, SMALL)

    def chosen(**query: list[str]) -> list[str]:
        return [s.slug for s in facets.select(catalogue, query)]

    assert chosen() == ["d", "c", "b", "a"]
    assert chosen(princip=["alfa", "gamma"]) == ["d", "c", "a"]  # any of
    assert chosen(sektor=["offentlig", "borgere"]) == ["d", "a"]  # all of
    assert chosen(sektorer=["3"]) == ["d", "a"]
    assert chosen(sektor=["tvaersektoriel"]) == ["b"], "cross-sector actors are found"
    assert chosen(sektorer=["2"], sektor=["erhverv"]) == ["d", "b"]
    assert chosen(princip=["beta"], maalgruppe=["unge"], tema=["natur"]) == ["b", "a"]
    assert chosen(kommune=["aarhus"], aar=["2020"], status=["afsluttet"]) == ["a"]
    assert "2021" not in counts(by_key(catalogue)["aar"]), "the year a file was added is not a year it happened"
    assert chosen(metode=["dialogmoede"], aar=["2023"]) == ["b"]
    assert chosen(aar=["ikke-oplyst"]) == ["d", "c"]
    # Unknown keys and values are ignored, as the browser does.
    assert chosen(princip=["findes-ikke"], ukendt=["x"]) == ["d", "c", "b", "a"]
    assert chosen(kommune=["oedsted"]) == ["d", "c", "b", "a"]


def decode(data: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    fields = data["fields"]
    values = {f["key"]: f["values"] for f in data["facets"]}
    return {row[0].split("/")[-2]: {key: [values[key][i] for i in row[n]] for n, key in enumerate(fields) if n >= 5}
            for row in data["stories"]}


def test_index_data_round_trips(tmp_path: Path) -> None:
    catalogue = bank_of(tmp_path, SMALL)
    data = json.loads(facets.index_json(catalogue))
    assert data["fields"][:5] == ["url", "title", "meta", "summary", "draft"]
    assert [row[0] for row in data["stories"]] == [urls.story(s) for s in ("d", "c", "b", "a")]
    decoded = decode(data)
    for entry in catalogue.stories:
        expected = facets.story_values(catalogue, entry)
        assert {k: sorted(v) for k, v in decoded[entry.slug].items()} == {k: sorted(v) for k, v in expected.items()}
    assert {f["key"]: f["match"] for f in data["facets"]}["sektor"] == "all"
    assert all(row[4] == "" for row in data["stories"])
    cards = {views.card(catalogue, s)["url"]: views.card(catalogue, s) for s in catalogue.stories}
    for row in data["stories"]:  # the filtered results show the same card as the static listing
        card = cards[row[0]]
        assert [card["title"], card["meta"], card["summary"]] == row[1:4]
    preview = json.loads(facets.index_json(bank_of(tmp_path / "p", SMALL, preview=True)))
    assert (preview["stories"][0][0], preview["stories"][0][4]) == (urls.story("kladde"), "Kladde")


def test_listing_pages() -> None:
    assert [facets.page_count(n, 50) for n in (0, 1, 50, 51, 100, 101, 5000)] == [1, 1, 1, 2, 2, 3, 100]


def test_listing_slices(tmp_path: Path) -> None:
    catalogue = bank_of(tmp_path, SMALL)
    pages = [facets.listing(catalogue, n, per_page=3) for n in (1, 2)]
    assert [(p.number, p.pages, p.total, p.first) for p in pages] == [(1, 2, 4, 1), (2, 2, 4, 4)]
    assert [s.slug for p in pages for s in p.stories] == [s.slug for s in catalogue.stories]


def test_related_weights_and_order(tmp_path: Path) -> None:
    catalogue = bank_of(tmp_path, {
        "mig": story("2020-01-01", ["alfa"], metoder=["temadag"], målgrupper=["Unge"]),
        "metode": story("2019-01-01", ["gamma"], metoder=["temadag"]),  # 3
        "princip-ny": story("2021-01-01", ["alfa"]),  # 2, newer
        "princip-b": story("2018-01-01", ["alfa"]),  # 2, same day as princip-a: slug decides
        "princip-a": story("2018-01-01", ["alfa"]),
        "maalgruppe": story("2023-01-01", ["beta"], målgrupper=["unge"]),  # 1
        "intet": story("2024-01-01", ["beta"]),  # 0: never related
        "alt": story("2017-01-01", ["alfa"], metoder=["temadag"], målgrupper=["UNGE"],
                     publicering="kladde"),  # would score 6, but is a hidden draft
    })
    me = catalogue.story_by_slug["mig"]
    found = catalogue.related(me)
    assert [(r.story.slug, r.score) for r in found] == [
        ("metode", 3), ("princip-ny", 2), ("princip-a", 2), ("princip-b", 2)]
    assert (found[0].methods, found[0].principles, found[1].principles) == (("temadag",), (), ("alfa",))
    everyone = related.related_stories(catalogue.stories, limit=10)
    assert [r.story.slug for r in everyone["mig"]][-1] == "maalgruppe"
    assert everyone["mig"][-1].target_groups == ("unge",)
    assert all(r.story.slug not in {"mig", "intet", "alt"} for r in everyone["mig"])
    assert everyone["intet"] == [r for r in everyone["intet"] if r.score > 0]
    # In preview the draft is visible, and then it is the best match.
    shown = Catalogue(catalogue.bank, preview=True)
    assert shown.related(shown.story_by_slug["mig"])[0].story.slug == "alt"


def test_related_equals_brute_force_and_is_deterministic(tmp_path: Path) -> None:
    rnd = random.Random(7)
    groups = ["unge", "Ældre", "foreninger", "familier", "borgere"]
    stories = {
        f"h{i:03d}": story(
            f"20{rnd.randint(15, 24)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}",
            rnd.sample(list(PRINCIPLES), rnd.randint(1, 3)),
            metoder=rnd.sample(list(METHODS), rnd.randint(0, 2)),
            målgrupper=rnd.sample(groups, rnd.randint(0, 2)),
            publicering=rnd.choice(["udgivet"] * 5 + ["kladde"]),
        )
        for i in range(90)
    }
    catalogue = bank_of(tmp_path, stories)
    visible = catalogue.stories
    assert catalogue.hidden, "the sample has drafts"
    for me in visible:
        expected = sorted(
            (o for o in visible if o is not me and related.score(me, o) > 0),
            key=lambda o: (-related.score(me, o), -o.meta.added.toordinal(), o.slug),
        )[: related.LIMIT]
        found = catalogue.related(me)
        assert [r.story.slug for r in found] == [o.slug for o in expected]
        assert [r.score for r in found] == [related.score(me, o) for o in expected]
    shuffled = list(visible)
    rnd.shuffle(shuffled)
    again = related.related_stories(shuffled)
    assert {k: [r.story.slug for r in v] for k, v in again.items()} == {
        s.slug: [r.story.slug for r in catalogue.related(s)] for s in visible}


# Real builds


def test_overview_form_and_list(shipped_site: Path) -> None:
    catalogue = Catalogue(load_bank(REPO))
    page = html(shipped_site, "historier/")
    form = page.find("form", id="vb-filter")
    hiding = " ".join(str(n) for n in page.find_all("noscript"))
    assert ".vb-filter" in hiding and "display: none" in hiding, "without JavaScript the list is the overview"
    assert form["method"] == "get" and form["data-index"] == "index.json"
    legends = [fs.legend.get_text(strip=True) for fs in form.find_all("fieldset")]
    assert legends == ["Principper", "Sektorer", "Metoder", "Status"]
    for control in form.find_all(["input", "select"]):
        label = form.find("label", attrs={"for": control["id"]})
        assert label is not None and label.get_text(strip=True), control
    boxes = form.find_all("input", attrs={"name": "princip"})
    assert [b["value"] for b in boxes] == [p.slug for p in catalogue.principles]
    for box in boxes:
        count = len(catalogue.by_principle[box["value"]])
        assert form.find("label", attrs={"for": box["id"]}).get_text(" ", strip=True).endswith(f"({count})")
    mix = form.find("select", attrs={"name": "sektorer"})
    assert [o.get_text(strip=True).split(" (")[0] for o in mix.find_all("option")][:3] == [
        "Alle", "Mindst 2 sektorer", "Mindst 3 sektorer"]
    assert {s["name"] for s in form.find_all("select")} == {"sektorer", "maalgruppe", "tema", "kommune", "aar"}
    status = page.find(id="vb-filter-status")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    # Heading order: the cards' <h3> follow an <h2> even while the form (and its <h2>) is folded.
    assert page.select_one("#vb-all > h2").get_text(strip=True) == "Alle historier"
    assert page.select_one("#vb-all > h2").find_next(["h2", "h3"]).name == "h3"
    titles = [a.get_text(strip=True) for a in page.select("#vb-all .vb-card__title a")]
    assert titles == [s.meta.title for s in catalogue.stories]
    assert page.select_one("nav.vb-pages") is None, "one page only at this size"
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert "../assets/filtre.js" in scripts
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))]
    story = html(shipped_site, "historier/folkemoedet-i-silkeborg/")
    assert not story.select("script[src*=filtre]"), "the filter script loads on the overview only"
    assert (shipped_site / "assets" / "filtre.js").is_file()


def test_built_index_is_the_core_index(shipped_site: Path) -> None:
    built = json.loads((shipped_site / "historier" / "index.json").read_text(encoding="utf-8"))
    assert built == facets.index_data(Catalogue(load_bank(REPO)))
    assert len(built["stories"]) == len(Catalogue(load_bank(REPO)).stories)


def test_related_block_on_story_pages(shipped_site: Path) -> None:
    catalogue = Catalogue(load_bank(REPO))
    shown = 0
    for entry in catalogue.stories:
        page = html(shipped_site, f"historier/{entry.slug}/")
        block = page.find("section", class_="vb-related")
        expected = catalogue.related(entry)
        if not expected:
            assert block is None
            continue
        shown += 1
        assert block.h2.get_text(strip=True) == "Relaterede historier"
        links = block.select("li > a")
        assert [a.get_text(strip=True) for a in links] == [r.story.meta.title for r in expected]
        assert [a["href"] for a in links] == [f"../{r.story.slug}/" for r in expected]
        assert all((shipped_site / "historier" / r.story.slug / "index.html").is_file() for r in expected)
        assert entry.slug not in [r.story.slug for r in expected]
        why = block.select_one(".vb-related__why").get_text(" ", strip=True)
        first = expected[0]
        names = [catalogue.method_by_slug[m].meta.name for m in first.methods]
        assert why.startswith("Fælles:") and all(n in why for n in names)
    assert shown > 0


def test_another_banks_facets_and_related(tmp_path: Path) -> None:
    root = FIXTURES / "fire-principper"
    site = build_ok(root, tmp_path / "site")
    catalogue = Catalogue(load_bank(root))
    linked = 0
    for entry in catalogue.stories:
        hrefs = [a["href"] for a in html(site, f"historier/{entry.slug}/").select(".vb-related a")]
        assert hrefs == [f"../{r.story.slug}/" for r in catalogue.related(entry)]
        linked += len(hrefs)
    assert linked > 0
    boxes = html(site, "historier/").find_all("input", attrs={"name": "princip"})
    assert len(boxes) == 4, "the facets come from the bank's own principles"



def test_one_page_size_for_the_overview_and_its_filter(tmp_path: Path) -> None:
    """The filter script shows as many stories at a time as a static page of the overview: it reads
    the size from the index (no number of its own)."""
    data = facets.index_data(bank_of(tmp_path, SMALL))
    assert data["page"] == facets.PER_PAGE == paging.STORIES_PER_PAGE
    script = (REPO / "overrides" / "assets" / "filtre.js").read_text(encoding="utf-8")
    assert "index.page" in script and not re.search(r"\b\d{2,}\b", script.split("function showMore", 1)[1][:400])
