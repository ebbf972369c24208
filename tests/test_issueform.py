"""The issue form 'Indsend en historie' and turning submitted issues into story files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, copy_site
from videnbank import issueform, schema
from videnbank.issueform import FORM, NOT_ASKED, FormProblem, check, convert
from videnbank.source import read_source

VOCAB = schema.vocabulary(REPO)
TODAY = dt.date(2025, 3, 14)
OPTIONAL_EMPTY = "_No response_"


def body(**answers: str) -> str:
    """An issue body as GitHub renders a submitted form: '### Label', a blank line, the answer."""
    parts = []
    for form_field in FORM:
        value = answers.get(form_field.id, OPTIONAL_EMPTY)
        parts.append(f"### {form_field.label}\n\n{value}\n")
    return "\n".join(parts)


CONFIRMED = "\n".join(f"- [X] {o}" for o in FORM[-1].options)
GOOD = {
    "titel": "Fælles have i Vestbyen",
    "sammendrag": "Naboer og kommune anlagde sammen en have,\nhvor beboerne nu mødes.",
    "afsnit-udfordringen": "Naboerne manglede et sted at mødes.\n\n## Baggrund\n\nDer var ingen grønne områder.",
    "afsnit-det-gjorde-vi": "Foreningen og kommunen anlagde haven sammen.",
    "afsnit-det-laerte-vi": "Det tager tid at finde en fælles rytme.",
    "principper": "En proces bygget på dialog, Ny velfærd i en lokal sammenhæng",
    "hvordan": "En proces bygget på dialog: Beboerne og kommunen planlagde haven på tre møder.",
    "aktoerer": "- Vestbyens Haveforening (civilsamfund)\n- Silkeborg Kommune (Offentlig sektor)\n"
                "- Beboerne (borgere, gruppe)",
    "metoder": "Dialogmøde, Arbejdsgruppe",
    "maalgrupper": "beboere, børnefamilier",
    "temaer": "natur, fællesskab",
    "kommune": "Silkeborg",
    "start": "2023-04",
    "status": "Afsluttet",
    "resultater": "Haven er anlagt og bruges hver uge.",
    "evalueret": "Nej",
    "organisation": "Vestbyens Haveforening",
    "email": "kontakt@vestbyenshave.dk",
    "links": "Foreningens side: https://vestbyenshave.dk\nhttps://vestbyenshave.dk/plan",
    "kilder": "Referat fra stormødet; Vestbyens Haveforening; 2023; https://vestbyenshave.dk/referat\n"
              "Foreningens nyhedsbrev; Vestbyens Haveforening",
    "raadets-rolle": "Støttet af rådet",
    "samtykke": "- [X] " + next(f for f in FORM if f.id == "samtykke").options[0],
    "bekraeftelse": CONFIRMED,
}


def labels(problems: list[FormProblem]) -> list[str]:
    return [p.label for p in problems]


# --- the form --------------------------------------------------------------------------------


def test_every_schema_field_is_asked_for_or_deliberately_not() -> None:
    story_schema = schema.story_schema(VOCAB)
    targets = {f.target for f in FORM if f.target and not f.target.startswith(issueform.BODY)}
    for doc in schema.walk(schema.fields(story_schema)):
        top = doc.path.split(".")[0].split("[]")[0]
        parent = re.sub(r"(\[\])?\.[^.]+$", "", doc.path)
        covered = (
            doc.path in targets
            or top in NOT_ASKED
            or any(t.startswith(doc.path + ".") or t.startswith(doc.path + "[].") for t in targets)
            or (parent != doc.path and parent in targets)
        )
        assert covered, f"the form does not ask for {doc.path}"
    assert set(NOT_ASKED) <= {d.key for d in schema.fields(story_schema)}


def test_form_is_well_formed_for_github() -> None:
    form = yaml.safe_load((REPO / issueform.FORM_PATH).read_text(encoding="utf-8"))
    assert form == issueform.issue_form(VOCAB), "kør: videnbank generer"
    assert form["name"] == "Indsend en historie" and form["description"] and form["labels"] == ["historie"]
    elements = [e for e in form["body"] if e["type"] != "markdown"]
    ids = [e["id"] for e in elements]
    found = [e["attributes"]["label"] for e in elements]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
    assert len(set(found)) == len(found)
    for element in form["body"]:
        assert element["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert set(element) <= {"type", "id", "attributes", "validations"}
        if element["type"] in {"dropdown", "checkboxes"}:
            options = element["attributes"]["options"]
            assert options and len({str(o) for o in options}) == len(options)
        if element["type"] == "checkboxes":
            assert "validations" not in element
        if element["type"] == "dropdown":
            assert all("," not in o for o in element["attributes"]["options"])


def test_dropdowns_offer_exactly_the_schema_values() -> None:
    story_schema = schema.story_schema(VOCAB)
    by_id = {f.id: f for f in FORM}
    assert set(issueform.options(by_id["principper"], VOCAB, story_schema).values()) == set(VOCAB.principles)
    assert set(issueform.options(by_id["metoder"], VOCAB, story_schema).values()) == set(VOCAB.methods)
    status = story_schema["properties"]["status"]["enum"]
    assert list(issueform.options(by_id["status"], VOCAB, story_schema).values()) == status


# --- good submissions ------------------------------------------------------------------------


def test_good_issue_becomes_a_story_that_passes_the_checker(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    submission = convert(body(**GOOD), VOCAB, TODAY)
    assert submission.problems == []
    assert submission.slug == "faelles-have-i-vestbyen"
    assert check(root, submission) == []
    file = root / "stories" / f"{submission.slug}.md"
    file.write_text(submission.text, encoding="utf-8")
    meta = read_source(file, "x").data
    assert meta["titel"] == "Fælles have i Vestbyen"
    assert meta["sammendrag"] == "Naboer og kommune anlagde sammen en have, hvor beboerne nu mødes."
    assert meta["dato"] == TODAY and meta["publicering"] == "til-gennemsyn"
    assert meta["principper"] == [
        {"princip": "dialogbaseret-proces", "hvordan": "Beboerne og kommunen planlagde haven på tre møder."},
        {"princip": "ny-velfaerd-lokalt"},
    ]
    assert meta["aktører"] == [
        {"navn": "Vestbyens Haveforening", "sektor": "civilsamfund"},
        {"navn": "Silkeborg Kommune", "sektor": "offentlig"},
        {"navn": "Beboerne", "sektor": "borgere", "type": "gruppe"},
    ]
    assert meta["metoder"] == ["dialogmoede", "arbejdsgruppe"]
    assert meta["målgrupper"] == ["beboere", "børnefamilier"]
    assert meta["periode"] == {"start": "2023-04"}
    assert meta["status"] == "afsluttet"
    assert meta["resultater"] == {"tekst": "Haven er anlagt og bruges hver uge.", "evalueret": "nej"}
    assert meta["kontakt"] == {"organisation": "Vestbyens Haveforening", "email": "kontakt@vestbyenshave.dk"}
    assert meta["links"] == [
        {"titel": "Foreningens side", "url": "https://vestbyenshave.dk"},
        {"titel": "https://vestbyenshave.dk/plan", "url": "https://vestbyenshave.dk/plan"},
    ]
    assert meta["kilder"] == [
        {"titel": "Referat fra stormødet", "udgiver": "Vestbyens Haveforening", "år": 2023,
         "link": "https://vestbyenshave.dk/referat"},
        {"titel": "Foreningens nyhedsbrev", "udgiver": "Vestbyens Haveforening"},
    ]
    assert meta["rådets_rolle"] == "stoettet" and meta["samtykke"] == "ja"
    assert "billeder" not in meta
    text = submission.text.split("\n---\n", 1)[1]
    headings = re.findall(r"^(#+) (.+)$", text, re.MULTILINE)
    assert headings == [("##", "Udfordringen"), ("###", "Baggrund"), ("##", "Det gjorde vi"), ("##", "Det lærte vi")]


def test_minimal_issue_with_windows_line_endings() -> None:
    answers = {k: GOOD[k] for k in ("titel", "sammendrag", "afsnit-udfordringen", "afsnit-det-gjorde-vi",
                                     "principper", "aktoerer", "status", "organisation", "bekraeftelse")}
    submission = convert(body(**answers).replace("\n", "\r\n"), VOCAB, TODAY)
    assert submission.problems == []
    assert "samtykke" not in submission.text and "rådets_rolle" not in submission.text


# --- bad submissions -------------------------------------------------------------------------


def test_text_that_is_not_from_the_form() -> None:
    submission = convert("Hej, vi har en god historie om en have.", VOCAB, TODAY)
    assert labels(submission.problems) == ["Issue"]
    assert "formularen" in str(submission.problems[0])


@pytest.mark.parametrize(
    ("changes", "label", "what"),
    [
        ({"titel": OPTIONAL_EMPTY}, "Titel", "er ikke udfyldt"),
        ({"aktoerer": "Vestbyens Haveforening"}, "Aktører", "mangler sektoren i parentes"),
        ({"aktoerer": "Vestbyens Haveforening (civilsamfun)"}, "Aktører", "ukendt sektor"),
        ({"principper": "Dialog for alle"}, "Principper", "ukendt valg 'Dialog for alle'"),
        ({"hvordan": "Åbenhed og mod til at tage en risiko: Vi prøvede noget nyt."},
         "Hvordan viser historien principperne?", "er ikke valgt under 'Principper'"),
        ({"hvordan": "Bare en sætning"}, "Hvordan viser historien principperne?", "har ikke formen"),
        ({"links": "Foreningens side"}, "Links", "har ingen webadresse"),
        ({"status": "Måske"}, "Status", "ukendt valg"),
        ({"bekraeftelse": CONFIRMED.replace("[X]", "[ ]", 1)}, "Bekræftelse", "der er ikke sat kryds"),
        ({"slut": "2024", "start": OPTIONAL_EMPTY}, "Start", "ingen start"),
        ({"evalueret": "Ja", "resultater": OPTIONAL_EMPTY}, "Resultater", "ikke hvad de er"),
    ],
)
def test_bad_answers_name_the_field_and_the_fix(changes: dict[str, str], label: str, what: str) -> None:
    submission = convert(body(**{**GOOD, **changes}), VOCAB, TODAY)
    matching = [p for p in submission.problems if p.label == label and what in p.what]
    assert matching, submission.problems
    assert all(p.fix for p in submission.problems)


def test_unknown_sector_suggests_the_right_one() -> None:
    submission = convert(body(**{**GOOD, "aktoerer": "Foreningen (civilsamfun)"}), VOCAB, TODAY)
    assert "mente du 'civilsamfund'?" in submission.problems[0].fix


def test_deleted_required_section_is_reported() -> None:
    text = body(**GOOD).replace("### Aktører\n", "### Noget andet\n")
    submission = convert(text, VOCAB, TODAY)
    assert ("Aktører", "feltet mangler i issuet") in [(p.label, p.what) for p in submission.problems]


def test_checker_problems_are_named_by_the_form_labels(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    bad = {**GOOD, "sammendrag": "lang " * 100, "email": "ikke en adresse", "start": "sidste år"}
    problems = check(root, convert(body(**bad), VOCAB, TODAY))
    found = {p.label for p in problems}
    assert {"Sammendrag", "Kontakt: organisationens e-mail", "Start"} <= found, problems
    assert all(str(p).startswith(f"{p.label}: ") for p in problems)


def test_a_title_already_in_the_bank_is_refused(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    assert (root / "stories" / "folkemoedet-i-silkeborg.md").is_file()
    problems = check(root, convert(body(**{**GOOD, "titel": "Folkemødet i Silkeborg"}), VOCAB, TODAY))
    assert [p for p in problems if p.label == "Titel" and "findes allerede" in p.what]


def test_bad_actor_type_and_sources_are_reported(tmp_path: Path) -> None:
    bad = {**GOOD, "aktoerer": "- Beboerne (borgere, personer)", "kilder": "Kun en titel\nTitel; Udgiver; i fjor"}
    problems = convert(body(**bad), VOCAB, TODAY).problems
    assert [(p.label, p.what) for p in problems] == [
        ("Aktører", "linje 1: ukendt type 'personer'"),
        ("Kilder", "linje 1 'Kun en titel' har ikke formen 'titel; udgiver; år; adresse'"),
        ("Kilder", "linje 2: 'i fjor' er hverken et årstal eller en webadresse"),
    ]


def test_a_title_without_letters(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    problems = check(root, convert(body(**{**GOOD, "titel": "???"}), VOCAB, TODAY))
    assert labels(problems) == ["Titel"]


# --- what the reader sees is what is converted -------------------------------------------------


def test_a_label_inside_an_html_comment_is_not_a_field_and_the_comment_is_refused() -> None:
    hidden = GOOD["afsnit-udfordringen"] + "\n<!--\n### Titel\n\nEn anden titel\n\n### Kommune\n\nAarhus\n-->"
    text = body(**{**GOOD, "afsnit-udfordringen": hidden})
    answers, problems = issueform.parse(text)
    assert answers["Titel"] == GOOD["titel"] and answers["Kommune"] == GOOD["kommune"]
    assert [(p.label, "skjult HTML-kommentar" in p.what) for p in problems] == [("Udfordringen", True)]
    submission = convert(text, VOCAB, TODAY)
    assert "Udfordringen" in labels(submission.problems)
    assert all(p.fix for p in submission.problems)


def test_an_inline_html_comment_is_refused() -> None:
    text = body(**{**GOOD, "sammendrag": "Synlig tekst <!-- usynlig --> og mere."})
    assert ("Sammendrag", True) in [(p.label, "skjult" in p.what) for p in convert(text, VOCAB, TODAY).problems]


def test_an_unclosed_comment_hides_every_field_after_it() -> None:
    text = body(**{**GOOD, "sammendrag": "Kort. <!-- herfra er alt skjult"})
    answers, problems = issueform.parse(text)
    assert list(answers) == ["Titel", "Sammendrag"]
    assert labels(problems) == ["Sammendrag"]


@pytest.mark.parametrize("fence", ["```", "~~~", "````text"])
def test_a_label_inside_a_fenced_block_is_text(fence: str) -> None:
    close = fence.removesuffix("text")
    code = f"Sådan så planen ud:\n\n{fence}\n### Titel\n\nIkke en titel\n### Status\n{close}\n\nSlut."
    text = body(**{**GOOD, "afsnit-det-gjorde-vi": code})
    answers, problems = issueform.parse(text)
    assert problems == []
    assert answers["Titel"] == GOOD["titel"] and answers["Det gjorde vi"] == code
    assert answers["Status"] == GOOD["status"]


def test_a_closing_fence_must_match_the_opening_one() -> None:
    # '~~~' does not close a '```' block, and a shorter run does not close a longer one.
    code = "````\n```\n~~~\n### Titel\n````"
    answers, problems = issueform.parse(body(**{**GOOD, "afsnit-det-gjorde-vi": code}))
    assert problems == [] and answers["Det gjorde vi"] == code and answers["Titel"] == GOOD["titel"]


def test_a_label_inside_a_raw_html_block_is_text() -> None:
    code = "<pre>\n### Titel\nFalsk\n</pre>"
    answers, _ = issueform.parse(body(**{**GOOD, "afsnit-det-gjorde-vi": code}))
    assert answers["Titel"] == GOOD["titel"] and answers["Det gjorde vi"] == code


def test_a_label_that_appears_twice_is_a_problem() -> None:
    text = body(**GOOD) + "\n### Titel\n\nEn anden titel\n"
    submission = convert(text, VOCAB, TODAY)
    twice = [p for p in submission.problems if p.label == "Titel"]
    assert [p.what for p in twice] == ["feltet står to gange i issuet"]
    assert "### Titel" in twice[0].fix
    # The answer is never taken from the second copy.
    assert issueform.sections(text)["Titel"] == GOOD["titel"]


def test_reading_the_issue_is_linear_in_its_size() -> None:
    import time

    for text in ("x" + "`" * 100_000, "<!---->" * 30_000, "```\n" * 30_000, "### Titel\n" * 30_000,
                 "<pre>\n" * 30_000, "<!--" * 30_000):
        start = time.perf_counter()
        issueform.parse(text)
        assert time.perf_counter() - start < 1.0


# --- the bot's comment is inert ----------------------------------------------------------------


EVIL = "x` **fed** @octocat [link](https://evil.example) #1\n- ny linje\u202e <img src=x> ``"


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200d\u2060"))


def _rendered_items(comment_text: str) -> list[Any]:
    """The comment's list items as a CommonMark renderer shows them (Python-Markdown stands in
    for GitHub here: both read character references as the character, never as markup)."""
    page = BeautifulSoup(markdown.markdown(comment_text), "html.parser")
    return page.select("li")


def test_comment_is_readable_sentences_that_render_as_exactly_their_text() -> None:
    what, fix = f"linje 1 '{EVIL}' mangler sektoren i parentes", f"skriv '{EVIL}'"
    problems = [FormProblem("Aktører", what, fix), FormProblem("Titel", "er ikke udfyldt", "udfyld feltet")]
    text = issueform.comment(problems)
    assert "mærket igen" in text and "mærkatet" not in text
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 2 and len(text.splitlines()) == 4
    # Plain sentences, no code spans around Danish text.
    assert bullets[1] == "- **Titel**: er ikke udfyldt — udfyld feltet"
    assert "`" not in text
    first, second = _rendered_items(text)
    # The only markup is the label; everything else is shown as the very text of the problem.
    assert [t.name for t in first.find_all(True)] == ["strong"]
    shown = first.get_text().translate(_INVISIBLE)
    flat = " ".join("".join(" " if c in "\n\u202e" else c for c in EVIL).split())
    assert shown == f"Aktører: linje 1 '{flat}' mangler sektoren i parentes — skriv '{flat}'"
    assert second.get_text() == "Titel: er ikke udfyldt — udfyld feltet"
    # What GitHub would turn into a mention, a reference or a link without any markup is broken.
    assert not re.search(r"@\w|(?<!&)#\d|://|www\.", text)
    assert "\u202e" not in text


def test_plain_cuts_long_values_and_flattens_lines() -> None:
    assert len(issueform.plain("a" * 5000)) <= 300
    assert issueform.plain("a\n\tb") == "a b"
    assert issueform.plain("`x`") == "&#96;x&#96;"


def test_fra_issue_comment_from_a_hostile_issue_is_inert(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    submission = convert(body(**{**GOOD, "aktoerer": EVIL, "sammendrag": "@alle se <!-- skjult -->"}), VOCAB, TODAY)
    text = issueform.comment(check(root, submission))
    assert not re.search(r"@\w|(?<!&)#\d|://|www\.|<|`", text)
    for item in _rendered_items(text):
        assert [t.name for t in item.find_all(True)] in (["strong"], []), item


# --- spoofs: what GitHub hides is never converted (tests/golden/issue_spoofs.yml) ----------------

SPOOFS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "golden" / "issue_spoofs.yml").read_text(encoding="utf-8"))["cases"]
OTHER = {**GOOD, "titel": "En anden historie", "kommune": "Aarhus", "links": "Se mere: https://angriber.example/x"}


def _spoof_body(case: dict[str, Any]) -> str:
    shown = body(**GOOD).replace("### ", case["indent"] + "### ")
    hidden: str = case["hidden"]
    return shown + "\n" + hidden.replace("{felter}", body(**OTHER)) + "\n"


@pytest.mark.parametrize("case", SPOOFS, ids=[c["name"] for c in SPOOFS])
def test_what_github_hides_is_never_converted(case: dict[str, Any]) -> None:
    text = _spoof_body(case)
    assert ">" not in body(**OTHER), "a '>' in the hidden fields would end a declaration early"
    answers, _ = issueform.parse(text)
    for label, value in case["read"].items():
        assert answers[label] == value
    assert "angriber.example" not in answers["Links"]
    submission = convert(text, VOCAB, TODAY)
    assert [str(p) for p in submission.problems] == case["problems"]
    assert "En anden historie" not in submission.text.split("\n---\n", 1)[0]


def test_the_spoofs_cover_every_kind_github_hides() -> None:
    hidden = "\n".join(c["hidden"] for c in SPOOFS)
    for opener in ("<?", "<![CDATA[", "<!X", "<!--", "<script", "<div", "   ### ", "    ### "):
        assert opener in hidden, opener
    assert {c["indent"] for c in SPOOFS} >= {"", " ", "  ", "   "}


LONG = 64 * 1024
HOSTILE_LINES = {
    "a and colons": "a" + ":" * LONG,
    "dashes": "- " * (LONG // 2),
    "spaces then (": "a" + " " * LONG + "(",
    "a( runs": "a(" * (LONG // 2),
    "parentheses": "(" * (LONG // 2) + ")" * (LONG // 2),
    "addresses": "https://" * (LONG // 8),
    "heading and spaces": "### a" + " " * LONG + "b",
    "hashes": "#" * LONG,
    "openers <": "<a" * (LONG // 2),
    "comments": "<!--" * (LONG // 4),
    "instructions": "<?" * (LONG // 2),
    "declarations": "<!a" * (LONG // 3),
    "backticks": "`" * LONG,
    "semicolons": ";" * LONG,
    "checkbox and spaces": "- [x]" + " " * LONG,
}


@pytest.mark.parametrize("name", list(HOSTILE_LINES))
def test_every_field_of_a_64_kb_body_is_read_in_half_a_second(name: str) -> None:
    """Each hostile line of 64 KB, put into each field in turn, is parsed and converted (every reader of
    every field) in at most 0.5 s of CPU time (time.process_time: other work on the two shared cores
    does not count; a bound on behaviour, not a benchmark). Before: 27 to 29 s for the Links field."""
    import time

    slowest = (0.0, "")
    for form_field in FORM:
        text = body(**{**GOOD, form_field.id: HOSTILE_LINES[name]})
        start = time.process_time()
        convert(text, VOCAB, TODAY)
        spent = time.process_time() - start
        slowest = max(slowest, (spent, form_field.id))
    assert slowest[0] <= 0.5, f"{slowest[1]} took {slowest[0]:.2f} s"
