"""The evaluation: numbers per year computed from the stories, and the /evaluering/ page."""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index, arg-type"

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, build_ok, copy_site, html, write_tree
from videnbank.council import load_council
from videnbank.derive import Catalogue
from videnbank.evaluation import Evaluation, bar_chart, counting, evaluate, year_ranges
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
THIS_YEAR = 2026
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
    # Added in 2019 but no period: it counts under "år ikke oplyst", not in 2019.
    "stories/raadgivning.md": _story(
        "Rådgivning", "2019-08-01", ["alfa"], [("Kommunen", "offentlig"), ("kommunen ", "offentlig")],
        role="stoettet", groups="[unge]",
    ),
    # Two years: counts in both; 2020 between has no story.
    "stories/skolesamarbejde.md": _story(
        "Skolesamarbejde", "2021-02-01", ["gamma"],
        [("Foreningen", "civilsamfund"), ("Skolen", "uddannelse-og-forskning")],
        role="stoettet", groups=f"[{FOCUS}]", extra="periode:\n  start: 2021-09\n  slut: 2022-06\n",
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
    "»Folkemødet« (periode: fra 2019, status: afsluttet).",
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
    catalogue = Catalogue(bank, this_year=THIS_YEAR)
    return evaluate(catalogue.stories, catalogue.principles, methods, council, this_year=catalogue.this_year)


@pytest.fixture
def bank_root(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "bank", {**BANK, "council.yml": COUNCIL})


def _row(stats: Any) -> tuple[Any, ...]:
    return (stats.label, stats.stories, stats.initiated, stats.supported, stats.sectors2, stats.sectors3,
            stats.actors, stats.new_actors, stats.principle_counts, stats.focus)


def test_numbers_per_year(bank_root: Path) -> None:
    result = _evaluate(bank_root)
    assert result.total == 3, "the draft is not counted"
    assert [_row(s) for s in result.years] == [
        ("2019", 1, 1, 0, 1, 1, 3, ("Kommunen", "Foreningen", "Firmaet"), (1, 1, 0), 1),
        ("2021", 1, 0, 1, 1, 0, 2, ("Skolen",), (0, 0, 1), 1),
        ("2022", 1, 0, 1, 1, 0, 2, (), (0, 0, 1), 1),
        ("År ikke oplyst", 1, 0, 1, 0, 0, 1, (), (1, 0, 0), 0),
    ]
    assert [s.year for s in result.years] == [2019, 2021, 2022, None]
    assert result.empty_years == "2020", "a year without stories is named once, not drawn as a row of zeros"
    assert result.added == ((2019, 2), (2021, 1)), "when the files came in is a figure of its own"
    assert [(c.number, c.name, c.total) for c in result.principles] == [(1, "Alfa", 2), (2, "Beta", 1), (3, "Gamma", 1)]
    assert result.without_stories == ()
    assert result.no_new_actors == "2022 og år ikke oplyst"
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
    assert [s.focus for s in result.years] == [0, 0, 0, 0]
    assert [c.key for c in result.charts] == [
        "vb-chart-years", "vb-chart-council", "vb-chart-sectors", "vb-chart-actors", "vb-chart-principles",
        "vb-chart-added",
    ]


def test_an_empty_bank_has_no_years(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {k: v for k, v in BANK.items() if not k.startswith("stories/")})
    result = _evaluate(root, with_council=False)
    assert (result.total, result.years, result.without_stories, result.empty_years) == (0, (), (), "")
    assert all(c.bars == () for c in result.charts if c.key != "vb-chart-principles")


def test_chart_geometry_and_description(bank_root: Path) -> None:
    result = _evaluate(bank_root)
    chart = result.charts[0]
    assert chart.title == "Historier pr. år"
    assert [(b.label, b.value, b.width_percent, b.value_x_percent) for b in chart.bars] == [
        ("2019", 1, 85.0, 86.0), ("2021", 1, 85.0, 86.0), ("2022", 1, 85.0, 86.0), ("År ikke oplyst", 1, 85.0, 86.0),
    ]
    assert [b.bar_y for b in chart.bars] == [20, 60, 100, 140]
    assert chart.height == 4 * 40 + 6
    assert chart.description.endswith("2019: 1; 2021: 1; 2022: 1; År ikke oplyst: 1.")
    council = {c.key: c for c in result.charts}["vb-chart-council"]
    assert [b.label for b in council.bars] == [
        "2019: igangsat af rådet", "2019: støttet af rådet", "2021: igangsat af rådet", "2021: støttet af rådet",
        "2022: igangsat af rådet", "2022: støttet af rådet", "År ikke oplyst: igangsat af rådet",
        "År ikke oplyst: støttet af rådet",
    ]
    focus = {c.key: c for c in result.charts}["vb-chart-focus"]
    assert [(b.label, b.value) for b in focus.bars] == [("2019", 1), ("2021", 1), ("2022", 1)]
    assert focus.note == "Ingen historier for målgruppen i år ikke oplyst."
    flat = bar_chart("k", "T", "D.", "År", "Antal", [("a", 0), ("b", 0)])
    assert [b.width_percent for b in flat.bars] == [0.0, 0.0]


def test_year_ranges() -> None:
    assert year_ranges([]) == ""
    assert year_ranges([2020]) == "2020"
    assert year_ranges([2021, 2016, 2017, 2018]) == "2016–2018 og 2021"
    assert year_ranges([2016, 2018, 2020, 2021]) == "2016, 2018 og 2020–2021"


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
    heading = main.find("h2", id="overblik")
    assert "Ingen historier stod på i 2020" in heading.find_next("p").get_text()
    stories, sectors = heading.find_all_next("table", limit=2)
    assert _cells(stories.select_one("thead tr"))[-1] == f"Målgruppe: {FOCUS}"
    assert [_cells(tr) for tr in stories.select("tbody tr")] == [
        ["2019", "1", "1", "0", "1"], ["2021", "1", "0", "1", "1"], ["2022", "1", "0", "1", "1"],
        ["År ikke oplyst", "1", "0", "1", "0"],
    ]
    assert [_cells(tr) for tr in sectors.select("tbody tr")] == [
        ["2019", "1", "1", "3", "3"], ["2021", "1", "0", "2", "1"], ["2022", "1", "0", "2", "0"],
        ["År ikke oplyst", "0", "0", "1", "0"],
    ]
    added = " ".join(main.find(id="tilfoejet").get_text(" ", strip=True).split())
    assert added.endswith("2019: 2 historier; 2021: 1 historie.")
    principles = main.find("h2", id="principper").find_next("table")
    assert _cells(principles.select_one("thead tr")) == ["År", "1. Alfa", "2. Beta", "3. Gamma"]
    assert [_cells(tr) for tr in principles.select("tbody tr, tfoot tr")] == [
        ["2019", "1", "1", "0"], ["2021", "0", "0", "1"], ["2022", "0", "0", "1"], ["År ikke oplyst", "1", "0", "0"],
        ["I alt", "2", "1", "1"],
    ]
    assert "færrest" not in main.get_text().lower()
    new_actors = [" ".join(d.get_text(" ", strip=True).split()) for d in main.select("details.vb-actors")]
    assert new_actors == ["2019: 3 nye aktører Kommunen, Foreningen, Firmaet", "2021: 1 ny aktør Skolen"]
    assert "Ingen nye aktører i 2022 og år ikke oplyst." in main.get_text()
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
        "vb-chart-years", "vb-chart-council", "vb-chart-sectors", "vb-chart-actors", "vb-chart-principles",
        "vb-chart-focus", "vb-chart-added",
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
        ("2019: igangsat af rådet", "1"), ("2019: støttet af rådet", "0"),
        ("2021: igangsat af rådet", "0"), ("2021: støttet af rådet", "1"),
        ("2022: igangsat af rådet", "0"), ("2022: støttet af rådet", "1"),
        ("År ikke oplyst: igangsat af rådet", "0"), ("År ikke oplyst: støttet af rådet", "1"),
    ]
    bars = council.select("rect.vb-chart__bar")
    assert [r["width"] for r in bars] == ["85.0%", "0.0%", "0.0%", "85.0%", "0.0%", "85.0%", "0.0%", "85.0%"]
    focus = page.find("figure", id="vb-chart-focus")
    note = focus.select_one("p.vb-chart__note").get_text(strip=True)
    assert note == "Ingen historier for målgruppen i år ikke oplyst."


def _years_from_files(root: Path, this_year: int) -> tuple[dict[str, set[str]], set[str], dict[str, dict[str, Any]]]:
    """Which published story happened in which year, read straight from the story files with
    plain YAML (not the core's model): every year from the period's start to its end; still going
    (status igang, no end), up to this year; otherwise the start year. No period: no year."""
    per_year: dict[str, set[str]] = {}
    undated: set[str] = set()
    metas: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "stories").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if meta["publicering"] != "udgivet":
            continue
        metas[path.stem] = meta
        period = meta.get("periode")
        if not period:
            undated.add(path.stem)
            continue
        start = int(str(period["start"])[:4])
        if period.get("slut"):
            end = int(str(period["slut"])[:4])
        else:
            end = max(start, this_year) if meta["status"] == "igang" else start
        for year in range(start, end + 1):
            per_year.setdefault(str(year), set()).add(path.stem)
    return per_year, undated, metas


def test_shipped_evaluation_counts_each_story_in_the_years_it_happened(shipped_site: Path) -> None:
    this_year = dt.date.today().year
    per_year, undated, metas = _years_from_files(REPO, this_year)
    assert per_year and undated, "the shipped bank has stories with and without a period"
    page = html(shipped_site, "evaluering/")
    stories_table, _ = page.find("h2", id="overblik").find_all_next("table", limit=2)
    rows = {r[0]: r for r in (_cells(tr) for tr in stories_table.select("tbody tr"))}
    expected = {year: len(slugs) for year, slugs in per_year.items()}
    expected["År ikke oplyst"] = len(undated)
    assert {label: int(r[1]) for label, r in rows.items()} == expected
    initiated = {year: sum(1 for s in slugs if metas[s].get("rådets_rolle") == "igangsat")
                 for year, slugs in per_year.items()}
    initiated["År ikke oplyst"] = sum(1 for s in undated if metas[s].get("rådets_rolle") == "igangsat")
    assert {label: int(r[2]) for label, r in rows.items()} == initiated
    # The year the files were added (all in 2026) is a figure of its own, not the stories' year.
    added: dict[int, int] = {}
    for meta in metas.values():
        added[meta["dato"].year] = added.get(meta["dato"].year, 0) + 1
    text = " ".join(page.find(id="tilfoejet").get_text(" ", strip=True).split())
    assert all(f"{year}: {n} histori" in text for year, n in added.items())
    # One computation: the success criteria say the same per-year numbers as the overview.
    criteria = page.find("h2", id="succeskriterier")
    assert criteria is not None and criteria.get_text(strip=True) == "Succeskriterier 2019–2020"
    table = criteria.find_next("table")
    assert len(table.select("tbody tr")) == 4
    shows = _cells(table.select("tbody tr")[0])[1]
    for year in ("2019", "2020"):
        n = initiated.get(year, 0)
        said = f"{year}: {n} historie" if n else f"{year}: ingen historier"
        assert said in shows, (said, shows)
    # The core agrees with the page.
    result = _evaluate(REPO)
    assert result.total == len(metas)
    assert "færrest" not in page.get_text().lower()


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
    # The overview counts the same stories in the same years (one computation).
    per_year = {s.year: s for s in _evaluate(root).years}
    assert (per_year[2019].initiated, per_year[2020].initiated, per_year[None].initiated) == (1, 2, 1)
    assert initiatives == (
        "2019: 1 historie om initiativer, rådet har igangsat; ingen af dem har evaluerede resultater. "
        "2020: 2 historier om initiativer, rådet har igangsat; ingen af dem har evaluerede resultater."
    )
    assert collaborations.startswith("2019: 2 historier om samarbejder") and "2020: 3 historier" in collaborations
    assert method.startswith("1 historie om metoden Folkemøde med en periode i 2019–2020: »Skrevet senere«")


def test_groups_of_people_are_not_new_actors_and_a_period_sets_the_year(tmp_path: Path) -> None:
    stories = {
        # Added in 2026, but it began in 2019 and is finished: it counts in 2019 only.
        "stories/tidlig.md": _story(
            "Tidlig", "2026-11-26", ["alfa"],
            [("Kommunen", "offentlig"), ("borgere", "borgere", "gruppe"), ("Rådet", "tvaersektoriel")],
            status="afsluttet", extra="periode:\n  start: 2019-05\n",
        ),
        # Still going since 2024: it counts in every year up to this year.
        "stories/igang.md": _story(
            "I gang", "2026-11-26", ["beta"], [("Kommunen", "offentlig")], extra="periode:\n  start: 2024\n",
        ),
        # No period: it counts under "år ikke oplyst", never in the year it was added.
        "stories/senere.md": _story(
            "Senere", "2021-02-01", ["beta"],
            [("Foreningen", "civilsamfund"), ("deltagere", "civilsamfund", "gruppe"), ("Rådet", "tvaersektoriel"),
             ("Firmaet", "erhverv", "organisation")],
        ),
    }
    vocab = {k: v for k, v in BANK.items() if not k.startswith("stories/")}
    result = _evaluate(write_tree(tmp_path / "bank", {**vocab, **stories}), with_council=False)
    assert [(s.label, s.stories, s.actors, s.new_actors) for s in result.years] == [
        ("2019", 1, 2, ("Kommunen", "Rådet")),
        ("2024", 1, 1, ()), ("2025", 1, 1, ()), ("2026", 1, 1, ()),
        ("År ikke oplyst", 1, 3, ("Foreningen", "Firmaet")),
    ]
    assert result.empty_years == "2020–2023"
    # A cross-sector council is no sector of its own: Kommunen + borgere is two sectors, not three.
    assert [(s.sectors2, s.sectors3) for s in result.years] == [(1, 0), (0, 0), (0, 0), (0, 0), (1, 0)]
    assert result.counting == counting(THIS_YEAR) and any("borgere" in c for c in result.counting)
    assert any(f"til og med i år ({THIS_YEAR})" in c for c in result.counting)


def test_new_actors_are_listed_in_the_order_their_stories_came_into_the_bank(tmp_path: Path) -> None:
    period = "periode:\n  start: 2020\n"
    stories = {
        "stories/b-senere.md": _story("Senere", "2021-05-01", ["alfa"], [("Firmaet", "erhverv")],
                                      status="afsluttet", extra=period),
        "stories/a-tidlig.md": _story("Tidlig", "2020-01-01", ["alfa"],
                                      [("Foreningen  Nord", "civilsamfund"), ("Kommunen", "offentlig")],
                                      status="afsluttet", extra=period),
        # Added the same day as a-tidlig: the slug decides; "kommunen" is the same organisation.
        "stories/c-samme.md": _story("Samme dag", "2020-01-01", ["alfa"],
                                     [("kommunen", "offentlig"), ("Skolen", "offentlig")],
                                     status="afsluttet", extra=period),
    }
    vocab = {k: v for k, v in BANK.items() if not k.startswith("stories/")}
    result = _evaluate(write_tree(tmp_path / "bank", {**vocab, **stories}), with_council=False)
    assert [(s.label, s.actors, s.new_actors) for s in result.years] == [
        ("2020", 4, ("Foreningen Nord", "Kommunen", "Skolen", "Firmaet")),
    ]
