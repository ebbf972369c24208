"""The council: council.yml, the composition check and the /raadet/ page."""

# BeautifulSoup lookups return Optional values; a None here fails the test anyway.
# mypy: disable-error-code="union-attr, index, arg-type"

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, build_ok, copy_site, html, run_build, write_tree
from videnbank.council import Council, composition_notices, load_council
from videnbank.load import load_bank
from videnbank.problems import Problem

METHODS = {"folkemoede": "Folkemøde", "dialogmoede": "Dialogmøde"}
SEED_MEMBERS = [
    "Lars Hartvig Andersen", "Jonas Norgaard Mortensen", "Morten Skov Mogensen", "Mona Gaarsdal",
    "Mia Butler", "Rene Maretti", "Jens Anders Brogaard", "Hanne Ahrens", "Anders Kjærulff",
    "Jørgen Skovhus Haunstrup",
]
SEED_NOTICES = [
    "Rådet har 10 medlemmer; reglerne siger 12–14 medlemmer.",
    "Erhvervsliv har 2 medlemmer i rådet; reglerne siger mindst 3.",
]


def council(sectors: dict[str, int], since: dict[int, int] | None = None, **rules: Any) -> Council:
    """A council with ``sectors[s]`` members per sector; ``since`` gives member i a start year."""
    members: list[dict[str, Any]] = []
    for sector, count in sectors.items():
        for _ in range(count):
            n = len(members)
            member: dict[str, Any] = {"navn": f"Medlem {n + 1}", "rolle": "Medlem", "organisation": "Org",
                                      "sektor": sector}
            if since and n in since:
                member["siden"] = since[n]
            members.append(member)
    data = {
        "navn": "Rådet",
        "regler": {
            "medlemmer_min": 12, "medlemmer_maks": 14,
            "mindst_pr_sektor": {"offentlig": 3, "erhverv": 3, "civilsamfund": 3},
            "periode_år": 2, **rules,
        },
        "tekster": {"vision": "En vision."},
        "sekretariat": {"organisation": "Kommunen", "tekst": "Kontakt kommunen."},
        "medlemmer": members,
    }
    return Council.model_validate(data, context={"methods": METHODS})


BALANCED = {"offentlig": 4, "erhverv": 4, "civilsamfund": 4}


def test_a_council_within_the_rules_has_no_notice() -> None:
    assert composition_notices(council(BALANCED), year=2024) == []
    assert composition_notices(council({"offentlig": 3, "erhverv": 3, "civilsamfund": 3, "borgere": 3})) == []


def test_too_few_and_too_many_members() -> None:
    assert composition_notices(council({"offentlig": 3, "erhverv": 3, "civilsamfund": 4})) == [
        "Rådet har 10 medlemmer; reglerne siger 12–14 medlemmer."
    ]
    assert composition_notices(council({"offentlig": 5, "erhverv": 5, "civilsamfund": 5})) == [
        "Rådet har 15 medlemmer; reglerne siger 12–14 medlemmer."
    ]
    assert composition_notices(council({"offentlig": 4, "erhverv": 4, "civilsamfund": 5}, medlemmer_maks=12)) == [
        "Rådet har 13 medlemmer; reglerne siger 12 medlemmer."
    ]


def test_sectors_under_their_minimum() -> None:
    notices = composition_notices(council({"offentlig": 1, "civilsamfund": 6, "borgere": 5}))
    assert notices == [
        "Offentlig sektor har 1 medlem i rådet; reglerne siger mindst 3.",
        "Erhvervsliv har 0 medlemmer i rådet; reglerne siger mindst 3.",
    ]


def test_a_member_serving_longer_than_the_period() -> None:
    long_serving = council(BALANCED, since={0: 2019, 1: 2022, 2: 2023})
    assert composition_notices(long_serving, year=2024) == [
        "Medlem 1 har været medlem siden 2019 (5 år); reglerne sætter en periode til 2 år."
    ]
    assert composition_notices(long_serving, year=2021) == []
    assert composition_notices(council(BALANCED, since={0: 2019}, periode_år=None), year=2024) == []


def test_every_rule_broken_at_once_gives_every_notice() -> None:
    notices = composition_notices(council({"offentlig": 2, "erhverv": 2}, since={0: 2000}), year=2024)
    assert notices == [
        "Rådet har 4 medlemmer; reglerne siger 12–14 medlemmer.",
        "Offentlig sektor har 2 medlemmer i rådet; reglerne siger mindst 3.",
        "Erhvervsliv har 2 medlemmer i rådet; reglerne siger mindst 3.",
        "Civilsamfund har 0 medlemmer i rådet; reglerne siger mindst 3.",
        "Medlem 1 har været medlem siden 2000 (24 år); reglerne sætter en periode til 2 år.",
    ]


def test_the_shipped_council_is_the_seed_council_and_gets_its_notice() -> None:
    bank = load_bank(REPO)
    shipped, problems = load_council(REPO, {m.slug: m.meta.name for m in bank.methods})
    assert problems == []
    assert shipped is not None
    assert [m.name for m in shipped.members] == SEED_MEMBERS
    assert all(m.since is None for m in shipped.members), "the seed gives no start year: none may be invented"
    rules = shipped.rules
    assert (rules.members_min, rules.members_max, rules.meetings_min, rules.meetings_max, rules.period_years) == (
        12, 14, 4, 6, 2
    )
    assert rules.sector_min == {"offentlig": 3, "erhverv": 3, "civilsamfund": 3}
    assert composition_notices(shipped) == SEED_NOTICES
    assert shipped.composition() == [("Offentlig sektor", 3, 3), ("Erhvervsliv", 2, 3), ("Civilsamfund", 5, 3)]
    assert shipped.members_source is not None
    assert shipped.members_source.title == "Fællesskaber baner vejen til fremtidens velfærd"
    assert shipped.members_as_of is None, "the seed's copy of the news item is undated: no date may be invented"


def test_a_cross_sector_member_counts_in_the_total_but_in_no_sector() -> None:
    mixed = council({"offentlig": 3, "erhverv": 3, "civilsamfund": 2, "tvaersektoriel": 4})
    assert composition_notices(mixed) == ["Civilsamfund har 2 medlemmer i rådet; reglerne siger mindst 3."]
    assert mixed.composition() == [
        ("Offentlig sektor", 3, 3), ("Erhvervsliv", 3, 3), ("Civilsamfund", 2, 3), ("På tværs af sektorer", 4, None),
    ]


def test_members_as_of_a_date_with_their_source() -> None:
    base = council(BALANCED).model_dump(by_alias=True)
    for as_of, text in (("2019", "pr. 2019"), ("2019-03", "pr. marts 2019"), ("2019-03-05", "pr. 5. marts 2019")):
        dated = Council.model_validate(
            {**base, "medlemmer_pr": as_of,
             "medlemmer_kilde": {"titel": "Nyt råd", "udgiver": "Kommunen", "link": "https://example.dk/nyt"}},
            context={"methods": METHODS},
        )
        assert dated.members_as_of_text == text
        assert str(dated.members_source) == "»Nyt råd«, Kommunen"
    assert council(BALANCED).members_as_of_text is None


def test_no_council_file_is_no_council(tmp_path: Path) -> None:
    assert load_council(tmp_path, METHODS) == (None, [])


GOOD_HEAD = """navn: Rådet
regler:
  medlemmer_min: 2
  medlemmer_maks: 3
tekster:
  vision: En vision.
sekretariat:
  organisation: Kommunen
  tekst: Kontakt kommunen.
"""

BAD_CASES = {
    "unknown-sector": (
        GOOD_HEAD + "medlemmer:\n  - navn: A\n    rolle: R\n    organisation: O\n    sektor: erhvervsliv\n",
        ["council.yml:14: medlemmer[1].sektor: ukendt værdi 'erhvervsliv' — mente du 'erhverv'? "
         "(brug en af: offentlig, erhverv, civilsamfund, borgere, uddannelse-og-forskning, tvaersektoriel)"],
    ),
    "missing-role-and-bad-year": (
        GOOD_HEAD + "medlemmer:\n  - navn: A\n    organisation: O\n    sektor: offentlig\n    siden: i fjor\n",
        ["council.yml:11: medlemmer[1].rolle: feltet mangler — tilføj 'rolle:' med en værdi",
         "council.yml:14: medlemmer[1].siden: 'i fjor' er ikke et årstal — skriv året med fire cifre, fx 2019"],
    ),
    "misspelt-field": (
        GOOD_HEAD + "medlemer: []\n",
        ["council.yml:1: medlemmer: feltet mangler — tilføj 'medlemmer:' med en værdi",
         "council.yml:10: medlemer: ukendt felt 'medlemer' — mente du 'medlemmer'? ellers fjern feltet"],
    ),
    "min-above-max": (
        GOOD_HEAD.replace("medlemmer_min: 2", "medlemmer_min: 5") + "medlemmer: []\n",
        ["council.yml:2: regler: medlemmer_min (5) er større end medlemmer_maks (3) — byt om på de to tal"],
    ),
    "unknown-sector-minimum": (
        GOOD_HEAD.replace("  medlemmer_maks: 3\n", "  medlemmer_maks: 3\n  mindst_pr_sektor:\n    kommune: 3\n")
        + "medlemmer: []\n",
        ["council.yml:5: regler.mindst_pr_sektor: ukendt sektor 'kommune' — brug en af: offentlig, erhverv, "
         "civilsamfund, borgere, uddannelse-og-forskning"],
    ),
    "cross-sector-minimum": (
        GOOD_HEAD.replace("  medlemmer_maks: 3\n", "  medlemmer_maks: 3\n  mindst_pr_sektor:\n    tvaersektoriel: 1\n")
        + "medlemmer: []\n",
        ["council.yml:5: regler.mindst_pr_sektor: 'tvaersektoriel' er ikke én sektor, så den kan ikke have et "
         "mindste antal medlemmer — fjern linjen; et mindste antal gælder kun én af: offentlig, erhverv, "
         "civilsamfund, borgere, uddannelse-og-forskning"],
    ),
    "members-source-and-date": (
        GOOD_HEAD + "medlemmer_pr: 2019-13\nmedlemmer_kilde:\n  titel: Nyheden\nmedlemmer: []\n",
        ["council.yml:10: medlemmer_pr: '2019-13' er ikke en dato, der findes — tjek måned (01–12) og dag",
         "council.yml:11: medlemmer_kilde.udgiver: feltet mangler — tilføj 'udgiver:' med en værdi"],
    ),
    "criteria": (
        GOOD_HEAD + "medlemmer: []\nsucceskriterier:\n  fra: 2019\n  til: 2020\n  kriterier:\n"
        "    - tekst: A\n      måling: metode\n      kan_ikke_vise: B\n"
        "    - tekst: A\n      måling: metode\n      metode: folkemode\n      kan_ikke_vise: B\n"
        "    - tekst: A\n      måling: samarbejde\n      kan_ikke_vise: B\n",
        ["council.yml:15: succeskriterier.kriterier[1]: måling 'metode' kræver feltet 'metode' — "
         "tilføj 'metode:' med metodens kortnavn fra methods/",
         "council.yml:20: succeskriterier.kriterier[2].metode: ukendt metode 'folkemode' — mente du 'folkemoede'? "
         "(brug en af: folkemoede, dialogmoede); passer ingen af dem, så fjern metoden",
         "council.yml:23: succeskriterier.kriterier[3].måling: ukendt måling 'samarbejde' — mente du 'samarbejder'? "
         "(brug en af: raadets-initiativer, samarbejder, metode, ingen)"],
    ),
    "yaml-syntax": (
        "navn: Rådet\nregler:\n  medlemmer_min: [2\n",
        ["council.yml:4: fil: YAML kan ikke læses (listen i [ ] bliver ikke lukket med ']') — "
         "tjek kolon, indrykning og anførselstegn; tekst med ':' skal stå i anførselstegn"],
    ),
    "duplicate-field": (
        GOOD_HEAD + "medlemmer: []\nnavn: Igen\n",
        ["council.yml:11: navn: feltet står to gange — slet den ene forekomst"],
    ),
    "not-a-mapping": (
        "- navn: Rådet\n",
        ["council.yml:1: fil: filen skal bestå af felter med navn og værdi — "
         "skriv ét felt pr. linje, fx 'navn: Rådet for samskabelse'"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_council_file_gives_exact_danish_problems(tmp_path: Path, case: str) -> None:
    text, expected = BAD_CASES[case]
    write_tree(tmp_path, {"council.yml": text})
    found, problems = load_council(tmp_path, METHODS)
    assert found is None
    assert sorted(str(p) for p in problems) == sorted(expected)
    assert all(isinstance(p, Problem) for p in problems)


def _text(node: Any) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def test_council_page(shipped_site: Path) -> None:
    page = html(shipped_site, "raadet/")
    main = page.select_one("article")
    assert main.find("h1").get_text(strip=True) == "Samskabelsesrådet"
    headings = [h.get_text(strip=True) for h in main.find_all("h3")]
    assert headings == ["Offentlig sektor (3)", "Erhvervsliv (2)", "Civilsamfund (5)"]
    groups = {
        h.get_text(strip=True): [li.find("strong").get_text(strip=True) for li in h.find_next("ul").find_all("li")]
        for h in main.find_all("h3")
    }
    assert groups["Erhvervsliv (2)"] == ["Lars Hartvig Andersen", "Jonas Norgaard Mortensen"]
    assert sorted(n for names in groups.values() for n in names) == sorted(SEED_MEMBERS)
    assert "Direktør" in _text(main.find("h3", id="sektor-offentlig").find_next("ul"))
    rules = _text(main.select_one("dl.vb-rules"))
    for fact in ("Antal medlemmer 12–14", "Offentlig sektor: 3; Erhvervsliv: 3; Civilsamfund: 3",
                 "Møder om året 4–6", "Periode 2 år ad gangen"):
        assert fact in rules
    table = main.find("table")
    rows = [[_text(c) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr, tfoot tr")]
    assert rows == [["Offentlig sektor", "3", "3"], ["Erhvervsliv", "2", "3"], ["Civilsamfund", "5", "3"],
                    ["I alt", "10", "12–14"]]
    assert [_text(li) for li in main.select("ul.vb-notices li")] == SEED_NOTICES
    for heading in ("Hvem rådet arbejder for", "Det gør rådet", "Sådan arbejder rådet", "Kontakt rådet"):
        assert main.find("h2", string=heading) is not None
    contact = _text(main.find("h2", id="kontakt").find_next("p"))
    assert "Silkeborg Kommune" in contact and "sekretariatet" in contact
    assert not main.select('a[href^="mailto:"], a[href^="tel:"]'), "no invented contact details"
    assert "11 aktører" in _text(main) and "navngiver 10" in _text(main)
    tabs = [a.get_text(strip=True) for a in page.select(".md-tabs__link")]
    assert "Rådet" in tabs and "Evaluering" in tabs
    edit = page.select_one('a[href$="/council.yml"]')
    assert edit is not None and "/edit/" in edit["href"]


def test_notice_is_info_and_the_strict_build_passes(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    result = run_build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    for notice in SEED_NOTICES:
        assert re.search(r"^INFO\s+-\s+videnbank: rådets sammensætning: " + re.escape(notice) + "$",
                         result.stderr, re.MULTILINE), result.stderr


def test_a_council_within_the_rules_builds_without_notice(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    extra = "".join(
        f"  - navn: Nyt medlem {n}\n    rolle: Medlem\n    organisation: Virksomhed {n}\n    sektor: erhverv\n"
        f"    siden: {dt.date.today().year}\n" for n in (1, 2)
    )
    text = (root / "council.yml").read_text(encoding="utf-8")
    text = text.replace("\n# Den målgruppe", extra + "\n# Den målgruppe", 1)
    write_tree(root, {"council.yml": text})
    result = run_build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "rådets sammensætning" not in result.stderr
    page = html(tmp_path / "site", "raadet/")
    assert page.select("ul.vb-notices") == []
    assert "følger reglerne" in _text(page.select_one("article"))
    assert "medlem siden" in _text(page.find("h3", id="sektor-erhverv").find_next("ul"))


def test_bad_council_fails_the_build_with_every_problem(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    text = (root / "council.yml").read_text(encoding="utf-8")
    line = text.splitlines().index("    sektor: erhverv") + 1
    write_tree(root, {"council.yml": text.replace("    sektor: erhverv", "    sektor: erhvervsliv", 1)})
    story = (root / "stories" / "folkemoedet-i-silkeborg.md").read_text(encoding="utf-8")
    write_tree(root, {"stories/folkemoedet-i-silkeborg.md": story.replace("status: igang", "status: igangg", 1)})
    result = run_build(root, tmp_path / "site")
    assert result.returncode == 1
    assert "Videnbanken har 2 problemer i indholdet:" in result.stderr
    assert (f"council.yml:{line}: medlemmer[1].sektor: ukendt værdi 'erhvervsliv' — mente du 'erhverv'?"
            in result.stderr)
    assert "stories/folkemoedet-i-silkeborg.md:" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_council_file_there_is_no_council_page(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    (root / "council.yml").unlink()
    site = build_ok(root, tmp_path / "site")
    assert not (site / "raadet").exists()
    page = html(site, "")
    tabs = [a.get_text(strip=True) for a in page.select(".md-tabs__link")]
    assert "Rådet" not in tabs and "Evaluering" in tabs
    evaluation = html(site, "evaluering/")
    assert evaluation.find("h2", id="succeskriterier") is None
    assert evaluation.find("h2", id="overblik") is not None
