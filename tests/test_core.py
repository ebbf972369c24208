"""Unit tests of the domain core: no MkDocs involved."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, REPO, write_tree
from videnbank.derive import Catalogue, actors_by_sector, danish_date, period_text
from videnbank.load import load_bank
from videnbank.model import Story
from videnbank.problems import Problem, choose_from, did_you_mean, report
from videnbank.render import Renderer
from videnbank.slugs import slugify
from videnbank.source import read_source

GOOD = """---
titel: Godt eksempel
sammendrag: Et kort sammendrag.
dato: 2023-05-01
publicering: udgivet
principper:
  - princip: alfa
    hvordan: Sådan.
  - beta
aktører:
  - navn: Kommunen
    sektor: Offentlig
  - navn: Foreningen
    sektor: civilsamfund
  - navn: Borgergruppen
    sektor: civilsamfund
metoder: [Dialogmøde]
målgrupper: ["  unge   i byen "]
status: idé
periode:
  start: 2019
  slut: 2020-03
kontakt:
  organisation: Kommunen
rådets_rolle: støttet
samtykke: ja
---
## Udfordringen

Noget.

## Det gjorde vi

Noget andet.
"""


def mini(tmp_path: Path, **stories: str) -> Path:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    return write_tree(tmp_path, {f"stories/{k.replace('_', '-')}.md": v for k, v in stories.items()})


def test_good_story_is_normalised(tmp_path: Path) -> None:
    bank = load_bank(mini(tmp_path, godt=GOOD))
    assert bank.problems == []
    (story,) = bank.stories
    meta = story.meta
    assert story.slug == "godt" and story.path == "stories/godt.md"
    assert [p.slug for p in meta.principles] == ["alfa", "beta"]
    assert meta.principles[0].how == "Sådan."
    assert meta.actors[0].sector == "offentlig"
    assert meta.methods == ["dialogmoede"]
    assert meta.target_groups == ["unge i byen"]
    assert meta.status == "ide" and meta.council_role == "stoettet" and meta.consent is True
    assert meta.period is not None and (meta.period.start, meta.period.end) == ("2019", "2020-03")
    assert story.body.startswith("## Udfordringen")


def test_line_numbers_follow_the_file(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    sektor: civilsamfund\n  - navn: Borgergruppen", "    sektor: frivillig\n  - navn: Borgergruppen"
    )
    bank = load_bank(mini(tmp_path, linje=text))
    (problem,) = bank.problems
    line = text.splitlines().index("    sektor: frivillig") + 1
    assert (problem.path, problem.line, problem.field) == ("stories/linje.md", line, "aktører[2].sektor")


def test_body_line_is_counted_after_front_matter(tmp_path: Path) -> None:
    file = write_tree(tmp_path, {"a.md": "---\ntitel: x\n---\n\nTekst\n"}) / "a.md"
    src = read_source(file, "a.md")
    # The body starts at 'Tekst' (line 5): the blank line after '---' is not part of it, so a
    # problem in the body is named at the file's own line (it was one line early).
    assert src.data == {"titel": "x"} and src.body == "Tekst\n" and src.body_line == 5
    assert src.line_of(("titel",)) == 2


def test_drafts_are_loaded_but_not_visible(tmp_path: Path) -> None:
    draft = GOOD.replace("publicering: udgivet", "publicering: kladde").replace("Godt eksempel", "Kladden")
    review = GOOD.replace("publicering: udgivet", "publicering: til-gennemsyn")
    bank = load_bank(mini(tmp_path, godt=GOOD, kladde=draft, gennemsyn=review))
    assert bank.problems == [] and len(bank.stories) == 3
    public = Catalogue(bank)
    assert [s.slug for s in public.stories] == ["godt"]
    assert sorted(s.slug for s in public.hidden) == ["gennemsyn", "kladde"]
    assert "kladde" not in {s.slug for stories in public.by_principle.values() for s in stories}
    preview = Catalogue(bank, preview=True)
    assert len(preview.stories) == 3 and preview.is_draft(preview.story_by_slug["kladde"])


def test_newest_first_and_indexes(tmp_path: Path) -> None:
    older = GOOD.replace("2023-05-01", "2021-01-01").replace("  - beta\n", "")
    bank = load_bank(mini(tmp_path, ny=GOOD, gammel=older))
    catalogue = Catalogue(bank)
    assert [s.slug for s in catalogue.stories] == ["ny", "gammel"]
    assert [s.slug for s in catalogue.by_principle["alfa"]] == ["ny", "gammel"]
    assert [s.slug for s in catalogue.by_principle["beta"]] == ["ny"]
    assert [s.slug for s in catalogue.by_method["dialogmoede"]] == ["ny", "gammel"]
    assert [p.slug for p in catalogue.principles] == ["alfa", "beta"]


def test_actors_grouped_in_sector_order() -> None:
    story = Story.model_validate(
        {**_minimal(), "aktører": [
            {"navn": "B", "sektor": "civilsamfund"}, {"navn": "A", "sektor": "offentlig"},
            {"navn": "C", "sektor": "civilsamfund"},
        ]},
        context={"principles": {"alfa": "Alfa"}, "methods": {}},
    )
    assert actors_by_sector(story) == [("Offentlig sektor", ["A"]), ("Civilsamfund", ["B", "C"])]


def _minimal() -> dict[str, object]:
    return {
        "titel": "T", "sammendrag": "S", "dato": "2024-01-01", "publicering": "udgivet",
        "principper": ["alfa"], "aktører": [{"navn": "A", "sektor": "borgere"}],
        "status": "igang", "kontakt": {"organisation": "A"},
    }


def test_danish_dates_and_periods() -> None:
    assert danish_date("2019") == "2019"
    assert danish_date("2019-05") == "maj 2019"
    assert danish_date("2019-05-03") == "3. maj 2019"
    ctx = {"principles": {"alfa": "Alfa"}, "methods": {}}
    ongoing = Story.model_validate({**_minimal(), "periode": {"start": "2019-05"}}, context=ctx)
    assert period_text(ongoing) == "fra maj 2019"
    done = Story.model_validate(
        {**_minimal(), "status": "afsluttet", "periode": {"start": "2019", "slut": "2020-01-31"}}, context=ctx
    )
    assert period_text(done) == "2019 – 31. januar 2020"
    assert period_text(Story.model_validate(_minimal(), context=ctx)) == "ikke oplyst"


def test_slugify_and_hints() -> None:
    assert slugify("Fremtidsværksted på Ærø") == "fremtidsvaerksted-paa-aeroe"
    assert did_you_mean("civilsamfundet", ["civilsamfund", "erhverv"]) == "mente du 'civilsamfund'?"
    assert did_you_mean("xyz", ["civilsamfund"]) == ""
    assert choose_from("x", ["a", "b"]) == "brug en af: a, b"
    text = report([Problem("b.md", 2, "f", "w", "x"), Problem("a.md", 9, "f", "w", "x")])
    assert text.splitlines() == ["Videnbanken har 2 problemer i indholdet:", "  a.md:9: f: w — x", "  b.md:2: f: w — x"]


def test_one_danish_transliteration_for_slugs_and_heading_anchors() -> None:
    """æ → ae, ø → oe, å → aa, capitals too, in file names and in every heading's anchor (issue 16:
    the anchors used to drop æ and ø and make å an a)."""
    assert slugify("ÆBLER, ØER OG ÅER") == "aebler-oeer-og-aaer"
    assert slugify("Crème brûlée") == "creme-brulee"
    html = Renderer().render("## 1. Ny velfærd i en lokal sammenhæng\n\n## Åben for Ærø\n", "x.md").html
    assert 'id="1-ny-velfaerd-i-en-lokal-sammenhaeng"' in html
    assert 'id="aaben-for-aeroe"' in html


def test_principle_problems(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    write_tree(tmp_path, {
        "principles/gamma.md": "---\nnummer: 1\nnavn: Gamma\nkort: Dobbelt nummer.\n---\nTekst.\n",
        "principles/delta.md": "---\nnummer: nul\nnavn: Delta\nkort: K\n---\n",
    })
    problems = [str(p) for p in load_bank(tmp_path).problems]
    assert "principles/delta.md:2: nummer: skal være et helt tal, ikke 'nul' — skriv et tal, fx 3" in problems
    assert any(p.startswith("principles/delta.md:6: tekst: teksten under front matter er tom") for p in problems)
    assert any("nummer 1 bruges også af principles/alfa.md" in p for p in problems)


def test_no_principles_is_a_problem(tmp_path: Path) -> None:
    bank = load_bank(tmp_path)
    assert [p.field for p in bank.problems] == ["principper"]


def test_shipped_content_has_no_problems() -> None:
    bank = load_bank(REPO)
    assert [str(p) for p in bank.problems] == []
    assert len(bank.principles) == 6 and len(bank.stories) >= 8
    assert [p.meta.number for p in bank.principles] == [1, 2, 3, 4, 5, 6]
    for p in bank.principles:
        assert 2 <= len(p.meta.questions) <= 4, p.path
        assert p.meta.source and "Frivilligrådet" in p.meta.source


def test_core_imports_nothing_from_mkdocs() -> None:
    code = (
        "import sys, videnbank, pkgutil, importlib\n"
        "for m in pkgutil.iter_modules(videnbank.__path__):\n"
        "    importlib.import_module('videnbank.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in {'mkdocs', 'material', 'properdocs'})\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO / "hooks")
