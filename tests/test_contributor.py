"""What a contributor meets: every message in Danish, https:// for links, UDFYLD in any form,
no invitation to invent a principle, the review state named as such, and an issue form in words."""

from __future__ import annotations

import ast
import datetime as dt
import re
import typing
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import REPO, build_ok, copy_site, html, mini_bank, write_tree
from pydantic_core import core_schema
from videnbank import clitext, issueform, linkcheck, schema
from videnbank.cli import main
from videnbank.council import load_council
from videnbank.issueform import FORM, convert
from videnbank.load import load_bank
from videnbank.problems import Problem
from videnbank.settings import Settings, Site
from videnbank.site import Plan, problem_plan
from videnbank.source import Source
from videnbank.validation import translate

# Words and phrases of pydantic's (and Python's) English messages; none may reach a contributor.
ENGLISH = re.compile(
    r"\b(should|Input|String|Field required|Value error|valid (string|integer|date|boolean|list|number)"
    r"|must|pattern|characters?|Extra inputs|permitted|instance|type=|at least|at most|Assertion|"
    r"greater|less than|None|True|False|datetime|dictionary|items?|unable|parse|Invalid|invalid|expected)\b"
)

STORY = """---
titel: Fælles have
sammendrag: En have i byen.
dato: 2024-05-01
publicering: udgivet
principper:
  - alfa
aktører:
  - navn: Haveforeningen
    sektor: civilsamfund
status: igang
kontakt:
  organisation: Haveforeningen
---
## Udfordringen

Ingen have.

## Det gjorde vi

Vi lavede en.
"""


def _problems(root: Path, **stories: str) -> list[str]:
    write_tree(root, {f"stories/{name}.md": text for name, text in stories.items()})
    return [str(p) for p in sorted(load_bank(root).problems)]


def _with(front: str) -> str:
    """STORY with ``front`` (YAML lines) in place of its status line."""
    return STORY.replace("status: igang\n", front + "\n")


# Bad values for every kind of field the story model has: text, list, choice, date, year,
# yes/no, number, nested fields, links and e-mail, too long and too short, unknown fields.
BAD_FRONT = {
    "titel-liste": "status: igang\ntitel2: x",
    "status-tal": "status: 3",
    "status-liste": "status: [igang]",
    "status-ukendt": "status: måske",
    "dato-tekst": "status: igang\nperiode:\n  start: sidste år",
    "periode-tekst": "status: igang\nperiode: 2019",
    "periode-omvendt": "status: igang\nperiode:\n  start: 2021\n  slut: 2019",
    "samtykke-tal": "status: igang\nsamtykke: 7",
    "samtykke-tekst": "status: igang\nsamtykke: måske",
    "kilde-aar": "status: igang\nkilder:\n  - titel: A\n    udgiver: B\n    år: to tusind",
    "kilde-aar-float": "status: igang\nkilder:\n  - titel: A\n    udgiver: B\n    år: 2019.5",
    "kilde-tom": "status: igang\nkilder:\n  - titel: ''\n    udgiver: B",
    "kilde-felter": "status: igang\nkilder: [Referat]",
    "kilder-tekst": "status: igang\nkilder: Referat",
    "link-www": "status: igang\nkilder:\n  - titel: A\n    udgiver: B\n    link: www.vestbo.dk",
    "link-tal": "status: igang\nlinks:\n  - titel: A\n    url: 42",
    "link-none": "status: igang\nlinks:\n  - titel: A\n    url:",
    "link-mangler": "status: igang\nlinks:\n  - titel: A",
    "email": "status: igang\nkontakt2: x",
    "maalgruppe-lang": "status: igang\nmålgrupper: [" + "x" * 200 + "]",
    "maalgruppe-dict": "status: igang\nmålgrupper:\n  - a: b",
    "tema-bool": "status: igang\ntemaer: [ja, true]",
    "resultater": "status: igang\nresultater:\n  tekst: Godt\n  evalueret: 12",
    "resultater-liste": "status: igang\nresultater: [a, b]",
    "rolle": "status: igang\nrådets_rolle: [igangsat]",
    "billede": "status: igang\nbilleder:\n  - fil: x.jpg",
    "aktør-type": "status: igang\nmetoder: dialogmoede",
    "metode-dict": "status: igang\nmetoder:\n  - navn: x",
    "ukendt-felt": "status: igang\nstatsu: igang",
    "princip-dict": "status: igang\nsted: {a: 1}",
    "kommune-tal": "status: igang\nkommune: 8600",
    "kommune-dato": "status: igang\nkommune: 2020-01-01",
}


@pytest.mark.parametrize("name", sorted(BAD_FRONT))
def test_bad_values_give_danish_messages_only(name: str) -> None:
    with mini_bank() as root:
        problems = _problems(root, x=_with(BAD_FRONT[name]))
    assert problems, name
    for problem in problems:
        assert not ENGLISH.search(problem), problem


def test_whole_file_variants_give_danish_messages_only() -> None:
    variants = {
        "principper-tom": STORY.replace("principper:\n  - alfa", "principper: []"),
        "aktoerer-tekst": STORY.replace("aktører:\n  - navn: Haveforeningen\n    sektor: civilsamfund",
                                        "aktører: Haveforeningen"),
        "dato-forkert": STORY.replace("dato: 2024-05-01", "dato: 2024-13-45"),
        "dato-tal": STORY.replace("dato: 2024-05-01", "dato: 17"),
        "titel-lang": STORY.replace("titel: Fælles have", "titel: " + "lang " * 60),
        "titel-dato": STORY.replace("titel: Fælles have", "titel: 2024-01-01"),
        "titel-bool": STORY.replace("titel: Fælles have", "titel: yes"),
        "titel-null": STORY.replace("titel: Fælles have", "titel:"),
        "kontakt-tekst": STORY.replace("kontakt:\n  organisation: Haveforeningen", "kontakt: Haveforeningen"),
        "sektor": STORY.replace("sektor: civilsamfund", "sektor: [civilsamfund]"),
    }
    with mini_bank() as root:
        problems = _problems(root, **variants)
    assert {p.split(":")[0] for p in problems} == {f"stories/{n}.md" for n in variants}
    for problem in problems:
        assert not ENGLISH.search(problem), problem


def test_every_pydantic_error_type_has_a_danish_message() -> None:
    """Whatever pydantic may report, even a type our models do not produce today."""
    kinds = typing.get_args(core_schema.ErrorType)
    assert len(kinds) > 80
    ctx = {"max_length": 3, "min_length": 1, "ge": 1, "gt": 1, "le": 9, "lt": 9, "expected": "'a' eller 'b'",
           "pattern": "^x$", "error": "boom", "multiple_of": 2, "what": "noget er galt", "fix": "ret det"}
    for kind in (*kinds, "videnbank", "something_new"):
        src = Source("stories/x.md", data={"felt": "værdi"})
        translate(src, {"type": kind, "loc": ("felt",), "msg": "Input should be a valid thing", "input": "værdi",
                        "ctx": ctx})
        (problem,) = src.problems
        assert problem.what and problem.fix, kind
        assert not ENGLISH.search(f"{problem.what} — {problem.fix}"), (kind, str(problem))


# --- https:// -------------------------------------------------------------------------------


@pytest.mark.parametrize(("front", "field"), [
    ("kilder:\n  - titel: A\n    udgiver: B\n    link: http://www.vestbo.dk", "kilder[1].link"),
    ("links:\n  - titel: A\n    url: http://www.vestbo.dk/side", "links[1].url"),
    ("kontakt:\n  organisation: Haveforeningen\n  web: HTTP://www.vestbo.dk", "kontakt.web"),
])
def test_http_links_are_refused_with_the_https_fix(front: str, field: str) -> None:
    text = STORY.replace("kontakt:\n  organisation: Haveforeningen\n", "")
    if field != "kontakt.web":
        front += "\nkontakt:\n  organisation: Haveforeningen"
    with mini_bank() as root:
        (problem,) = _problems(root, x=text.replace("status: igang\n", f"status: igang\n{front}\n"))
    assert f": {field}: " in problem
    assert "starter med http://, som ikke er krypteret" in problem
    assert "skriv adressen med https:// foran, fx 'https://www.vestbo.dk" in problem


def test_a_bare_host_name_gets_a_danish_fix_not_a_pattern() -> None:
    front = "kilder:\n  - titel: A\n    udgiver: B\n    link: www.vestbo.dk"
    with mini_bank() as root:
        (problem,) = _problems(root, x=_with("status: igang\n" + front))
    assert problem == ("stories/x.md:15: kilder[1].link: 'www.vestbo.dk' mangler https:// foran — skriv hele "
                       "adressen, der starter med https://, fx 'https://www.vestbo.dk'")


def test_https_links_pass_and_the_schema_asks_for_https() -> None:
    front = ("kilder:\n  - titel: A\n    udgiver: B\n    link: https://www.vestbo.dk/a?b=c\n"
             "links:\n  - titel: A\n    url: ' https://www.vestbo.dk '")
    with mini_bank() as root:
        assert _problems(root, x=_with("status: igang\n" + front)) == []
    story_schema = schema.story_schema(schema.vocabulary(REPO))
    text = yaml.safe_dump(story_schema)
    assert "^https?://" not in text and text.count("^https://") >= 3


def test_council_secretariat_web_needs_https(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site", ("council.yml", "methods", "principles"))
    council = root / "council.yml"
    text = council.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["sekretariat"]["web"] = "http://www.kommune.example"
    council.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _, problems = load_council(root, schema.vocabulary(root).methods)
    assert [p.field for p in problems] == ["sekretariat.web"]
    assert "https://www.kommune.example" in problems[0].fix


# --- UDFYLD -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["UDFYLD", "udfyld", "Udfyld her", "UDFYLD (vælg)", "Udfyld", "(UDFYLD)"])
@pytest.mark.parametrize("state", ["til-gennemsyn", "udgivet"])
def test_udfyld_is_caught_in_any_form(mark: str, state: str) -> None:
    text = STORY.replace("publicering: udgivet", f"publicering: {state}")
    in_front = text.replace("sammendrag: En have i byen.", f"sammendrag: {mark} En have.")
    in_body = text.replace("Vi lavede en.", f"Vi lavede en. {mark}")
    with mini_bank() as root:
        problems = _problems(root, front=in_front, body=in_body)
    assert [p.split(": ")[0] for p in problems] == ["stories/body.md:21", "stories/front.md:3"], problems
    assert all("'UDFYLD' står her stadig" in p for p in problems)


def test_udfyld_is_reported_together_with_other_problems_and_not_in_drafts() -> None:
    broken = STORY.replace("publicering: udgivet", "publicering: til-gennemsyn").replace(
        "sammendrag: En have i byen.", "sammendrag: udfyld").replace("status: igang", "status: måske")
    draft = broken.replace("publicering: til-gennemsyn", "publicering: kladde")
    with mini_bank() as root:
        problems = _problems(root, gennemsyn=broken, kladde=draft)
    assert [p.split(": ")[1] for p in problems if "gennemsyn.md" in p] == ["sammendrag", "status"]
    assert [p.split(": ")[1] for p in problems if "kladde.md" in p] == ["status"]


def test_words_that_merely_start_with_udfyld_are_text() -> None:
    text = STORY.replace("Vi lavede en.", "Borgerne udfyldte et skema, som de skulle udfylde.")
    with mini_bank() as root:
        assert _problems(root, x=text) == []


# --- principles -------------------------------------------------------------------------------


def test_unknown_principle_suggests_existing_ones_never_a_new_file() -> None:
    with mini_bank() as root:
        (problem,) = _problems(root, x=STORY.replace("  - alfa", "  - alpha"))
    assert "ukendt princip 'alpha'" in problem and "mente du 'alfa'?" in problem and "beta" in problem
    assert "principles/" not in problem and "tilføj" not in problem


# --- the preview names the review state -------------------------------------------------------


def test_preview_labels_a_story_waiting_for_review_as_such(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    story = root / "stories" / "folkemoedet-i-silkeborg.md"
    story.write_text(story.read_text(encoding="utf-8").replace("publicering: udgivet", "publicering: til-gennemsyn"),
                     encoding="utf-8")
    site = build_ok(root, tmp_path / "site", env={"VIDENBANK_KLADDER": "1"})
    page = html(site, "historier/folkemoedet-i-silkeborg/")
    note = page.select_one(".vb-draft")
    assert note is not None and note.get_text(" ", strip=True).startswith("Til gennemsyn: denne historie er ikke")
    assert "Kladde" not in note.get_text()
    tags = {}
    for card in html(site, "historier/").select(".vb-card"):
        link, tag = card.select_one("a"), card.select_one(".vb-draft-tag")
        if link is not None and tag is not None:
            tags[str(link.get("href", "")).rstrip("/").rsplit("/", 1)[-1]] = tag.get_text(strip=True)
    assert tags == {"folkemoedet-i-silkeborg": "Til gennemsyn", "faaborg-midtfyn-revision-af-politikken": "Kladde"}
    draft = html(site, "historier/faaborg-midtfyn-revision-af-politikken/").select_one(".vb-draft")
    assert draft is not None and draft.get_text(" ", strip=True).startswith("Kladde:")
    # The overview's filter script fills its cards from the index, which carries the same words.
    index = next((site / "historier").glob("*.json"), None) or next(site.rglob("historier*.json"))
    assert '"Til gennemsyn"' in index.read_text(encoding="utf-8")


# --- the issue form shows words, not codes ----------------------------------------------------

VOCAB = schema.vocabulary(REPO)


def test_issue_form_shows_words_not_codes() -> None:
    form = yaml.safe_load((REPO / issueform.FORM_PATH).read_text(encoding="utf-8"))
    assert form == issueform.issue_form(VOCAB), "kør: videnbank generer"
    by_id = {e.get("id"): e["attributes"] for e in form["body"]}
    assert by_id["status"]["options"] == ["Idé", "I gang", "Afsluttet"]
    assert by_id["raadets-rolle"]["options"] == ["Igangsat af rådet", "Støttet af rådet", "Ikke involveret"]
    shown = " ".join(str(a.get("description", "")) for a in by_id.values())
    for code in ("igang", "stoettet", "ide,", "tvaersektoriel", "uddannelse-og-forskning", "ja/nej"):
        assert not re.search(rf"(?<![\w-]){re.escape(code)}", shown), code
    assert "Civilsamfund" in by_id["aktoerer"]["description"]
    assert "På tværs af sektorer" in by_id["aktoerer"]["description"]
    # The end date's help says each thing once.
    end = by_id["slut"]["description"]
    assert end.count("i gang") == 1, end
    assert "evalueret" not in by_id["evalueret"].get("description", "")


def _issue(**answers: str) -> str:
    parts = []
    for form_field in FORM:
        parts.append(f"### {form_field.label}\n\n{answers.get(form_field.id, '_No response_')}\n")
    return "\n".join(parts)


@pytest.mark.parametrize(("status", "role", "sector", "stored"), [
    ("I gang", "Støttet af rådet", "Civilsamfund", ("igang", "stoettet", "civilsamfund")),
    ("i  gang", "støttet af rådet", "civilsamfund", ("igang", "stoettet", "civilsamfund")),
    ("Afsluttet", "Igangsat af rådet", "På tværs af sektorer", ("afsluttet", "igangsat", "tvaersektoriel")),
    ("Idé", "Ikke involveret", "Uddannelse og forskning", ("ide", "ingen", "uddannelse-og-forskning")),
])
def test_issue_form_words_are_converted_back(status: str, role: str, sector: str, stored: tuple[str, ...]) -> None:
    confirmed = "\n".join(f"- [X] {o}" for o in FORM[-1].options)
    body = _issue(titel="Fælles have", sammendrag="En have.", **{
        "afsnit-udfordringen": "Ingen have.", "afsnit-det-gjorde-vi": "Vi lavede en.",
        "principper": next(iter(VOCAB.principles.values())),
        "aktoerer": f"Haveforeningen ({sector}, Gruppe af personer)",
        "status": status, "raadets-rolle": role, "organisation": "Haveforeningen", "bekraeftelse": confirmed,
    })
    submission = convert(body, VOCAB, dt.date(2025, 3, 14))
    assert submission.problems == []
    meta = yaml.safe_load(submission.text.split("---")[1])
    assert (meta["status"], meta["rådets_rolle"], meta["aktører"][0]["sektor"]) == stored
    assert meta["aktører"][0]["type"] == "gruppe"


# --- counts and plurals -----------------------------------------------------------------------


def _cli(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--rod", str(root), *args], env={"GITHUB_ACTIONS": ""})


def test_tjek_of_one_file_counts_that_file_and_speaks_in_the_singular(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    story = root / "stories" / "folkemoedet-i-silkeborg.md"
    clean = _cli(root, "tjek", str(story))
    assert clean.exit_code == 0 and clean.output.rstrip().endswith("Tjekkede 1 fil: ingen problemer."), clean.output
    story.write_text(story.read_text(encoding="utf-8").replace("status: igang", "status: måske"), encoding="utf-8")
    one = _cli(root, "tjek", str(story))
    assert one.exit_code == 1
    assert one.output.rstrip().endswith("Tjekkede 1 fil: 1 problem. Ret det, og kør tjek igen."), one.output
    two = _cli(root, "tjek", str(story), str(root / "stories" / "viden-og-gode-historier.md"))
    assert "Tjekkede 2 filer: 1 problem. Ret det" in two.output
    whole = _cli(root, "tjek")
    # Every content file: the Markdown files of the content folders, and council.yml.
    files = sum(len(list((root / d).rglob("*.md"))) for d in ("stories", "principles", "methods", "docs")) + 1
    assert f"Tjekkede {files} filer: 1 problem. Ret det, og kør tjek igen." in whole.output, whole.output


def test_problem_page_speaks_in_the_singular_and_plural(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, site=Site("Videnbank", "/", None), docs_dir=tmp_path / "docs")
    problem = Problem("stories/x.md", 3, "status", "ukendt værdi 'måske'", "brug en af: ide, igang, afsluttet")
    one = problem_plan(Plan(problems=[problem]), settings)
    views = [p.view["count"] for p in one.pages.values()]
    assert views and set(views) == {"Der er 1 problem i indholdet. Ret det, og gem filen: siden opdaterer sig selv."}
    two = problem_plan(Plan(problems=[problem, problem]), settings)
    assert {p.view["count"] for p in two.pages.values()} == {
        "Der er 2 problemer i indholdet. Ret dem, og gem filen: siden opdaterer sig selv."}


# --- links: every external link of every content file ------------------------------------------


def test_links_finds_every_external_link_of_every_content_file(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site", ("council.yml", "principles", "methods", "mkdocs.yml"))
    base = "https://eksempel.example"
    council = yaml.safe_load((root / "council.yml").read_text(encoding="utf-8"))
    council["sekretariat"]["web"] = f"{base}/raadet-web"
    council["medlemmer_kilde"]["link"] = f"{base}/raadet-kilde"
    (root / "council.yml").write_text(yaml.safe_dump(council, allow_unicode=True), encoding="utf-8")
    good = STORY.replace("kontakt:\n  organisation: Haveforeningen\n", (
        f"kontakt:\n  organisation: Haveforeningen\n  web: {base}/kontakt-web\n"
        f"kilder:\n  - titel: A\n    udgiver: B\n    link: {base}/kilde\n"
        f"links:\n  - titel: C\n    url: {base}/link\n"
    )).replace("Vi lavede en.", f"Vi lavede [en]({base}/tekst) og [en til][ref].\n\n[ref]: {base}/reference")
    # A story with another problem (and an http:// link) still has its links checked.
    broken = STORY.replace("status: igang", "status: måske\nlinks:\n  - titel: D\n    url: http://eksempel.example/http")
    principle = next((root / "principles").glob("*.md"))
    method = next((root / "methods").glob("*.md"))
    principle.write_text(principle.read_text(encoding="utf-8") + f"\nSe <{base}/princip>.\n", encoding="utf-8")
    method.write_text(method.read_text(encoding="utf-8") + f"\nSe [her]({base}/metode).\n", encoding="utf-8")
    write_tree(root, {"stories/god.md": good, "stories/mappe/defekt.md": broken,
                      "docs/om.md": f"# Om\n\nLæs [mere]({base}/docs).\n",
                      "stories/.skjult.md": f"[x]({base}/skjult)"})
    found = linkcheck.external_links(root)
    assert found == {
        f"{base}/kontakt-web": ["stories/god.md"], f"{base}/kilde": ["stories/god.md"],
        f"{base}/link": ["stories/god.md"], f"{base}/tekst": ["stories/god.md"],
        f"{base}/reference": ["stories/god.md"], "http://eksempel.example/http": ["stories/mappe/defekt.md"],
        f"{base}/princip": [principle.relative_to(root).as_posix()],
        f"{base}/metode": [method.relative_to(root).as_posix()],
        f"{base}/docs": ["docs/om.md"], f"{base}/raadet-web": ["council.yml"], f"{base}/raadet-kilde": ["council.yml"],
    }


# --- click's own messages -----------------------------------------------------------------------


def _click_messages() -> dict[str, set[str]]:
    """Every message click writes through gettext, read from click's source: module -> messages."""
    found: dict[str, set[str]] = {}
    for file in sorted(Path(click.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"_", "ngettext"}:
                texts = {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
                found.setdefault(f"click.{file.stem}", set()).update(texts)
    return found


def test_every_click_message_has_its_danish_text() -> None:
    messages = _click_messages()
    assert sum(len(m) for m in messages.values()) > 60
    missing = sorted(m for texts in messages.values() for m in texts if m not in clitext._CLICK_DANISH)
    assert missing == []
    # click._winconsole imports only on Windows (its one message is translated above all the same).
    assert set(messages) - {"click._winconsole"} <= {m.__name__ for m in clitext._CLICK_MODULES}
    for module in clitext._CLICK_MODULES:
        assert getattr(module, "_", clitext._danish_gettext) is clitext._danish_gettext, module.__name__


@pytest.mark.parametrize("args", [
    ["byg", "--motor", "x"], ["links", "--timeout", "abc"], ["tjk"], ["ny", "a", "b"], ["--nej"],
    ["tjek", "--rod"], ["fra-issue"], ["fra-issue", "/findes/ikke.md"], ["skema", "--ud"], [],
])
def test_click_speaks_danish_to_a_contributor(args: list[str], tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site", ("mkdocs.yml", "principles", "methods"))
    result = CliRunner().invoke(main, ["--rod", str(root), *args])
    assert result.exit_code in {0, 1, 2}
    assert isinstance(result.exception, SystemExit | None), result.exception
    english = re.compile(r"\b(Usage|Error|Try|Invalid|Missing|No such|is not|does not|Got|Options|Commands|"
                         r"Show this|exist|unexpected|requires|option)\b")
    assert not english.search(result.output), result.output
