"""The evaluation: numbers per year computed from the stories, and the /evaluering/ page."""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index, arg-type"

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, build_ok, copy_site, html, write_tree
from videnbank.council import load_council
from videnbank.derive import Catalogue
from videnbank.evaluation import COUNTING, Evaluation, bar_chart, evaluate
from videnbank.load import load_bank


def _principle(number: int, name: str) -> str:
    return f"---\nnummer: {number}\nnavn: {name}\nkort: Princippet {name}.\n---\nOm {name}.\n"


def _method(name: str) -> str:
    return f"---\nnavn: {name}\nkort: Metoden {name}.\n---\nOm {name}.\n"


def _story(title: str, added: str, principles: list[str], actors: list[tuple[str, ...]], *,
           publication: str = "udgivet", role: str = "ingen", methods: str = "[]", groups: str = "[]",
           status: str = "igang", extra: str = "") -> str:
    actor_lines = "".join(
        f"  - navn: {name}\n    sektor: {sector}\n" + "".join(f"    type: {kind}\n" for kind in rest)
        for name, sector, *rest in actors
    )
    return (
        f"---\ntitel: {title}\nsammendrag: Om {title}.\ndato: {added}\npublicering: {publication}\n"
        f"principper: [{', '.join(principles)}]\naktører:\n{actor_lines}metoder: {methods}\n"
        f"målgrupper: {groups}\nstatus: {status}\nkontakt:\n  organisation: Kommunen\n"
        f"rådets_rolle: {role}\n{extra}---\n## Udfordringen\n\nNoget.\n\n## Det gjorde vi\n\nNoget andet.\n"
    )


FOCUS = "mennesker på kanten af fællesskaber"
BANK = {
    "principles/alfa.md": _principle(1, "Alfa"),
    "principles/beta.md": _principle(2, "Beta"),
    "principles/gamma.md": _principle(3, "Gamma"),
    "methods/folkemoede.md": _method("Folkemøde"),
    "methods/dialogmoede.md": _method("Dialogmøde"),
    "stories/folkemoedet.md": _story(
        "Folkemødet", "2019-03-01", ["alfa", "beta"],
        [("Kommunen", "offentlig"), ("Foreningen", "civilsamfund"), ("Firmaet", "erhverv")],
        role="igangsat", methods="[folkemoede]", groups="[Mennesker  på kanten af fællesskaber]",
        status="afsluttet",
        extra="periode:\n  start: 2019\nresultater:\n  tekst: Det gik godt.\n  evalueret: ja\n",
    ),
    "stories/raadgivning.md": _story(
        "Rådgivning", "2019-08-01", ["alfa"], [("Kommunen", "offentlig"), ("kommunen ", "offentlig")],
        role="stoettet", groups="[unge]",
    ),
    "stories/skolesamarbejde.md": _story(
        "Skolesamarbejde", "2021-02-01", ["gamma"],
        [("Foreningen", "civilsamfund"), ("Skolen", "uddannelse-og-forskning")],
        role="stoettet", groups=f"[{FOCUS}]",
    ),
    "stories/kladde.md": _story(
        "Kladden", "2021-05-01", ["beta"], [("Hemmelig Aktør", "borgere")], publication="kladde",
        role="igangsat", methods="[folkemoede]", groups=f"[{FOCUS}]",
    ),
}
COUNCIL = """navn: Rådet
regler:
  medlemmer_min: 1
  medlemmer_maks: 3
tekster:
  vision: En vision.
sekretariat:
  organisation: Kommunen
  tekst: Kontakt kommunen.
medlemmer:
  - navn: A
    rolle: Formand
    organisation: Foreningen
    sektor: civilsamfund
fokusmålgruppe: Mennesker på kanten af fællesskaber
succeskriterier:
  fra: 2019
  til: 2020
  kriterier:
    - tekst: Rådet sætter noget i gang.
      måling: raadets-initiativer
      kan_ikke_vise: Om det er større.
    - tekst: Rådet kobler aktører.
      måling: samarbejder
      kan_ikke_vise: Rådets andel.
    - tekst: Der holdes et folkemøde.
      måling: metode
      metode: folkemoede
      kan_ikke_vise: Om mødet blev holdt.
    - tekst: Flere kender rådet.
      måling: ingen
      kan_ikke_vise: Kendskab.
"""
CRITERIA_SHOWS = [
    "2019: 1 historie om initiativer, rådet har igangsat; 1 af dem har evaluerede resultater. "
    "2020: ingen historier om initiativer, rådet har igangsat.",
    "2019: 1 historie om samarbejder mellem aktører fra mindst 2 sektorer, som rådet har igangsat eller støttet. "
    "2020: ingen historier om samarbejder mellem aktører fra mindst 2 sektorer, som rådet har igangsat eller støttet.",
    "1 historie om metoden Folkemøde med en periode i 2019–2020: "
    "»Folkemødet« (tilføjet 2019, periode: fra 2019, status: afsluttet).",
    "Videnbanken har ingen tal for dette kriterium.",
]


def _evaluate(root: Path, with_council: bool = True) -> Evaluation:
    bank = load_bank(root)
    assert bank.problems == []
    methods = {m.slug: m.meta.name for m in bank.methods}
    council = None
    if with_council:
        council, problems = load_council(root, methods)
        assert problems == []
    catalogue = Catalogue(bank)
    return evaluate(catalogue.stories, catalogue.principles, methods, council)


@pytest.fixture
def bank_root(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "bank", {**BANK, "council.yml": COUNCIL})


def _row(stats: Any) -> tuple[Any, ...]:
    return (stats.year, stats.added, stats.initiated, stats.supported, stats.sectors2, stats.sectors3,
            stats.actors, stats.new_actors, stats.principle_counts, stats.fewest, stats.fewest_count, stats.focus)


def test_numbers_per_year(bank_root: Path) -> None:
    result = _evaluate(bank_root)
    assert result.total == 3, "the draft is not counted"
    assert [_row(s) for s in result.years] == [
        (2019, 2, 1, 1, 1, 1, 3, ("Kommunen", "Foreningen", "Firmaet"), (2, 1, 0), ("Gamma",), 0, 1),
        (2020, 0, 0, 0, 0, 0, 0, (), (0, 0, 0), (), 0, 0),
        (2021, 1, 0, 1, 1, 0, 2, ("Skolen",), (0, 0, 1), ("Alfa", "Beta"), 0, 1),
    ]
    assert [(r.number, r.name, r.counts, r.total) for r in result.principle_rows] == [
        (1, "Alfa", (2, 0, 0), 2), (2, "Beta", (1, 0, 0), 1), (3, "Gamma", (0, 0, 1), 1),
    ]
    assert result.fewest_overall == ("Beta", "Gamma")
    assert result.focus_group == FOCUS.capitalize()


def test_success_criteria_next_to_the_data(bank_root: Path) -> None:
    result = _evaluate(bank_root)
    assert result.criteria_years == "2019–2020"
    assert [c.shows for c in result.criteria] == CRITERIA_SHOWS
    assert [c.limits for c in result.criteria] == [
        "Om det er større.", "Rådets andel.", "Om mødet blev holdt.", "Kendskab.",
    ]
    assert not any("opfyldt" in c.shows for c in result.criteria)


def test_without_council_there_is_no_focus_group_or_criteria(bank_root: Path) -> None:
    result = _evaluate(bank_root, with_council=False)
    assert result.focus_group is None and result.criteria == () and result.criteria_years is None
    assert [s.focus for s in result.years] == [0, 0, 0]
    assert [c.key for c in result.charts] == [
        "vb-chart-added", "vb-chart-council", "vb-chart-sectors", "vb-chart-actors", "vb-chart-principles",
    ]


def test_an_empty_bank_has_no_years(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {k: v for k, v in BANK.items() if not k.startswith("stories/")})
    result = _evaluate(root, with_council=False)
    assert (result.total, result.years, result.fewest_overall) == (0, (), ())
    assert all(c.bars == () for c in result.charts if c.key != "vb-chart-principles")


def test_chart_geometry_and_description(bank_root: Path) -> None:
    chart = _evaluate(bank_root).charts[0]
    assert chart.title == "Historier pr. år"
    assert [(b.label, b.value, b.width_percent, b.value_x_percent) for b in chart.bars] == [
        ("2019", 2, 85.0, 86.0), ("2020", 0, 0.0, 1.0), ("2021", 1, 42.5, 43.5),
    ]
    assert [b.bar_y for b in chart.bars] == [20, 60, 100]
    assert chart.height == 3 * 40 + 6
    assert chart.description.endswith("2019: 2; 2020: 0; 2021: 1.")
    flat = bar_chart("k", "T", "D.", "År", "Antal", [("a", 0), ("b", 0)])
    assert [b.width_percent for b in flat.bars] == [0.0, 0.0]


def _cells(row: Any) -> list[str]:
    return [" ".join(c.get_text(" ", strip=True).split()) for c in row.find_all(["th", "td"])]


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    root = copy_site(tmp_path / "src", ("mkdocs.yml", "council.yml", "docs", "overrides", "hooks"))
    write_tree(root, BANK)
    return build_ok(root, tmp_path / "site")


def test_evaluation_page_from_a_fixture_bank(fixture_site: Path) -> None:
    page = html(fixture_site, "evaluering/")
    main = page.select_one("article")
    assert main.find("h1").get_text(strip=True) == "Evaluering"
    overview = main.find("h2", id="overblik").find_next("table")
    assert _cells(overview.select_one("thead tr"))[-1] == f"Målgruppe: {FOCUS}"
    assert [_cells(tr) for tr in overview.select("tbody tr")] == [
        ["2019", "2", "1", "1", "1", "1", "3", "3", "1"],
        ["2020", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["2021", "1", "0", "1", "1", "0", "2", "1", "1"],
    ]
    principles = main.find("h2", id="principper").find_next("table")
    assert [_cells(tr) for tr in principles.select("tbody tr")] == [
        ["1. Alfa", "2", "0", "0", "2"], ["2. Beta", "1", "0", "0", "1"], ["3. Gamma", "0", "0", "1", "1"],
    ]
    assert [" ".join(li.get_text(" ", strip=True).split()) for li in main.select("ul.vb-fewest li")] == [
        "2019: færrest historier (0) om Gamma.", "2020: ingen historier.",
        "2021: færrest historier (0) om Alfa, Beta.",
    ]
    assert "Færrest historier i alt: Beta, Gamma." in main.get_text()
    new_actors = [" ".join(d.get_text(" ", strip=True).split()) for d in main.select("details.vb-actors")]
    assert new_actors == ["2019: 3 nye aktører Kommunen, Foreningen, Firmaet", "2021: 1 ny aktør Skolen"]
    criteria = main.find("h2", id="succeskriterier").find_next("table")
    rows = [_cells(tr) for tr in criteria.select("tbody tr")]
    assert [r[1] for r in rows] == CRITERIA_SHOWS
    assert rows[0][0].startswith("Rådet sætter hvert år mindst én større aktivitet i gang")
    assert "kan tallene ikke afgøre" in main.get_text()
    assert "Hemmelig Aktør" not in page.get_text() and "Kladden" not in page.get_text()


def test_charts_are_accessible_svg_with_their_data_as_tables(fixture_site: Path) -> None:
    page = html(fixture_site, "evaluering/")
    figures = page.select("figure.vb-chart")
    assert [f["id"] for f in figures] == [
        "vb-chart-added", "vb-chart-council", "vb-chart-sectors", "vb-chart-actors", "vb-chart-principles",
        "vb-chart-focus",
    ]
    for figure in figures:
        svg = figure.find("svg")
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title")["id"] == title_id and svg.find("desc")["id"] == desc_id
        assert svg.find("title").get_text(strip=True) == figure.find("figcaption").get_text(strip=True)
        drawn = list(zip(
            [t.get_text(strip=True) for t in svg.select("text.vb-chart__label")],
            [t.get_text(strip=True) for t in svg.select("text.vb-chart__value")], strict=True,
        ))
        table = figure.find("table")
        assert table.find("caption") is not None
        assert [th["scope"] for th in table.select("thead th")] == ["col", "col"]
        assert [tuple(_cells(tr)) for tr in table.select("tbody tr")] == drawn
        assert drawn, figure["id"]
        assert "fill" not in str(svg), "colours come from CSS; the text carries the meaning"
    council = page.find("figure", id="vb-chart-council")
    assert [tuple(_cells(tr)) for tr in council.select("tbody tr")] == [
        ("2019: igangsat af rådet", "1"), ("2019: støttet af rådet", "1"),
        ("2020: igangsat af rådet", "0"), ("2020: støttet af rådet", "0"),
        ("2021: igangsat af rådet", "0"), ("2021: støttet af rådet", "1"),
    ]
    bars = council.select("rect.vb-chart__bar")
    assert [r["width"] for r in bars] == ["85.0%", "85.0%", "0.0%", "0.0%", "0.0%", "85.0%"]


def test_shipped_evaluation_matches_the_core(shipped_site: Path) -> None:
    result = _evaluate(REPO)
    page = html(shipped_site, "evaluering/")
    overview = page.find("h2", id="overblik").find_next("table")
    assert [_cells(tr) for tr in overview.select("tbody tr")] == [
        [str(s.year), str(s.added), str(s.initiated), str(s.supported), str(s.sectors2), str(s.sectors3),
         str(s.actors), str(len(s.new_actors)), str(s.focus)]
        for s in result.years
    ]
    assert sum(s.added for s in result.years) == result.total == len(Catalogue(load_bank(REPO)).stories)
    criteria = page.find("h2", id="succeskriterier")
    assert criteria is not None and criteria.get_text(strip=True) == "Succeskriterier 2019–2020"
    assert len(criteria.find_next("table").select("tbody tr")) == 4
    assert any(s.focus for s in result.years), "the shipped bank has a story for the focus group"


def test_success_criteria_follow_when_it_happened_not_when_it_was_added(tmp_path: Path) -> None:
    actors = [("Kommunen", "offentlig"), ("Foreningen", "civilsamfund")]
    stories = {
        # Added long after, but it happened in 2019–2020: it counts.
        "stories/senere.md": _story("Skrevet senere", "2026-11-26", ["alfa"], actors, role="igangsat",
                                    methods="[folkemoede]", extra="periode:\n  start: 2019-05\n  slut: 2020\n"),
        # Added in 2019, but no period: the bank cannot say when it happened, so it does not count.
        "stories/uden-periode.md": _story("Uden periode", "2019-06-01", ["alfa"], actors, role="igangsat",
                                          methods="[folkemoede]"),
        # Finished without an end date: counts in its start year only.
        "stories/afsluttet.md": _story("Afsluttet", "2026-11-26", ["beta"], actors, role="igangsat",
                                       status="afsluttet", extra="periode:\n  start: 2020\n"),
        # Still going since 2018: counts in both years.
        "stories/igang.md": _story("I gang", "2026-11-26", ["beta"], actors, role="stoettet",
                                   extra="periode:\n  start: 2018\n"),
    }
    vocab = {k: v for k, v in BANK.items() if not k.startswith("stories/")}
    root = write_tree(tmp_path / "bank", {**vocab, **stories, "council.yml": COUNCIL})
    initiatives, collaborations, method, _ = (c.shows for c in _evaluate(root).criteria)
    assert initiatives == (
        "2019: 1 historie om initiativer, rådet har igangsat; ingen af dem har evaluerede resultater. "
        "2020: 2 historier om initiativer, rådet har igangsat; ingen af dem har evaluerede resultater."
    )
    assert collaborations.startswith("2019: 2 historier om samarbejder") and "2020: 3 historier" in collaborations
    assert method.startswith("1 historie om metoden Folkemøde med en periode i 2019–2020: »Skrevet senere«")


def test_groups_of_people_are_not_new_actors_and_a_period_sets_the_year(tmp_path: Path) -> None:
    stories = {
        # Added in 2026, but it began in 2019: it counts in 2019.
        "stories/tidlig.md": _story(
            "Tidlig", "2026-11-26", ["alfa"],
            [("Kommunen", "offentlig"), ("borgere", "borgere", "gruppe"), ("Rådet", "tvaersektoriel")],
            extra="periode:\n  start: 2019-05\n",
        ),
        # No period: it counts in the year it was added.
        "stories/senere.md": _story(
            "Senere", "2021-02-01", ["beta"],
            [("Foreningen", "civilsamfund"), ("deltagere", "civilsamfund", "gruppe"), ("Rådet", "tvaersektoriel"),
             ("Firmaet", "erhverv", "organisation")],
        ),
    }
    vocab = {k: v for k, v in BANK.items() if not k.startswith("stories/")}
    result = _evaluate(write_tree(tmp_path / "bank", {**vocab, **stories}), with_council=False)
    assert [(s.year, s.added, s.actors, s.new_actors) for s in result.years] == [
        (2019, 1, 2, ("Kommunen", "Rådet")),
        (2020, 0, 0, ()),
        (2021, 1, 3, ("Foreningen", "Firmaet")),
    ]
    # A cross-sector council is no sector of its own: Kommunen + borgere is two sectors, not three.
    assert [(s.sectors2, s.sectors3) for s in result.years] == [(1, 0), (0, 0), (1, 0)]
    assert result.counting == COUNTING and any("borgere" in c for c in COUNTING)
