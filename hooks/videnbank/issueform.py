"""The issue form "Indsend en historie" and the conversion of a submitted issue into a story.

The form is generated from the story schema (labels and layout live here, descriptions and
allowed values come from the model), so the form, the parser and the checker cannot drift
apart. GitHub renders each answer of an issue form as a ``### Label`` section.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .load import REQUIRED_SECTIONS, STORY_SECTIONS, load_bank
from .model import ACTOR_KINDS, COUNCIL_ROLES, IN_REVIEW, SECTORS, STATUSES, file_slug, slugify
from .problems import Problem, choose_from, did_you_mean
from .schema import SECTION_HINTS, FieldDoc, Vocabulary, fields, story_schema, walk

FORM_PATH = ".github/ISSUE_TEMPLATE/historie.yml"
SUBMISSION_LABEL = "historie"
APPROVED_LABEL = "godkendt"
NO_RESPONSE = "_No response_"
BODY = "tekst:"
SUBMITTED_STATE = IN_REVIEW

#: Story fields the form does not ask for, and why.
NOT_ASKED = {
    "dato": "sættes til den dag, historien bliver godkendt",
    "publicering": f"sættes til {SUBMITTED_STATE}; sekretariatet udgiver",
    "billeder": "billeder kræver filer og rettigheder; dem aftaler sekretariatet med dig",
}
_VALUE_LABELS: dict[str, dict[str, str]] = {
    "status": STATUSES,
    "rådets_rolle": COUNCIL_ROLES,
    "resultater.evalueret": {"ja": "Ja", "nej": "Nej"},
}


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    kind: str
    target: str
    required: bool = False
    hint: str = ""
    multiple: bool = False
    options: tuple[str, ...] = ()


FORM: tuple[FormField, ...] = (
    FormField("titel", "Titel", "input", "titel", True),
    FormField("sammendrag", "Sammendrag", "textarea", "sammendrag", True),
    *(
        FormField(f"afsnit-{slugify(s)}", s, "textarea", BODY + s, s in REQUIRED_SECTIONS,
                  SECTION_HINTS.get(s, ""))
        for s in STORY_SECTIONS
    ),
    FormField("principper", "Principper", "dropdown", "principper", True,
              "Vælg et eller flere.", multiple=True),
    FormField("hvordan", "Hvordan viser historien principperne?", "textarea",
              "principper[].hvordan", False,
              "Én linje pr. princip: principets navn, et kolon og én sætning."),
    FormField("aktoerer", "Aktører", "textarea", "aktører", True,
              "Én aktør pr. linje: navnet og sektoren i parentes, fx 'Foreningen Grønne Hænder "
              f"({SECTORS['civilsamfund']})'. Sektoren er en af: " + ", ".join(SECTORS.values()) + ". Er "
              "aktøren en gruppe af personer og ikke en organisation, så skriv ', gruppe' efter sektoren, fx "
              f"'Beboerne ({SECTORS['borgere']}, gruppe)'."),
    FormField("metoder", "Metoder", "dropdown", "metoder", False, "Vælg dem, der passer.",
              multiple=True),
    FormField("maalgrupper", "Målgrupper", "input", "målgrupper", False, "Adskil med komma."),
    FormField("temaer", "Temaer", "input", "temaer", False, "Adskil med komma."),
    FormField("kommune", "Kommune", "input", "kommune"),
    FormField("sted", "Sted", "input", "sted"),
    FormField("start", "Start", "input", "periode.start", False, "Fx 2019 eller 2019-05."),
    FormField("slut", "Slut", "input", "periode.slut", False, "Fx 2021."),
    FormField("status", "Status", "dropdown", "status", True, "Hvor langt er det nået?"),
    FormField("resultater", "Resultater", "textarea", "resultater.tekst"),
    FormField("evalueret", "Er resultaterne evalueret?", "dropdown", "resultater.evalueret"),
    FormField("organisation", "Kontakt: organisation", "input", "kontakt.organisation", True),
    FormField("email", "Kontakt: organisationens e-mail", "input", "kontakt.email"),
    FormField("telefon", "Kontakt: organisationens telefon", "input", "kontakt.telefon"),
    FormField("web", "Kontakt: organisationens hjemmeside", "input", "kontakt.web"),
    FormField("links", "Links", "textarea", "links", False,
              "Ét link pr. linje: teksten og derefter adressen, fx 'Projektets side https://eksempel.dk'."),
    FormField("kilder", "Kilder", "textarea", "kilder", False,
              "Hvad bygger historien på? Én kilde pr. linje: titel; udgiver; år; adresse. År og adresse kan "
              "udelades, fx 'Referat fra stormødet; Foreningen Grønne Hænder; 2024'. Skriver I om jeres eget "
              "projekt, er I selv kilden."),
    FormField("raadets-rolle", "Rådets rolle", "dropdown", "rådets_rolle", False,
              f"Har rådet sat det i gang eller støttet det? Tom betyder '{COUNCIL_ROLES['ingen']}'."),
    FormField("samtykke", "Samtykke", "checkboxes", "samtykke", False,
              "Sæt kun kryds, hvis det er sandt. Nævner historien ingen privatpersoner, så lad feltet stå.",
              options=("Alle privatpersoner, der nævnes ved navn eller kan genkendes, har givet samtykke.",)),
    FormField("bekraeftelse", "Bekræftelse", "checkboxes", "", True, "",
              options=(
                  "Historien indeholder ingen privatpersoners kontaktoplysninger, kun organisationens.",
                  "Jeg må dele teksten, og sekretariatet må rette i den, før den bliver offentlig.",
              )),
)
_BY_LABEL = {f.label: f for f in FORM}
_BY_TARGET = {f.target: f for f in FORM if f.target}


@dataclass(frozen=True)
class FormProblem:
    label: str
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.label}: {self.what} — {self.fix}"


@dataclass
class Submission:
    slug: str
    text: str
    problems: list[FormProblem] = field(default_factory=list)


# --- the form ----------------------------------------------------------------------------------


def field_docs(schema: dict[str, Any]) -> dict[str, FieldDoc]:
    """Every documented field of ``schema`` by its path (``kontakt.email``)."""
    return {d.path: d for d in walk(fields(schema))}


def options(form_field: FormField, vocab: Vocabulary, schema: dict[str, Any]) -> dict[str, str]:
    """Dropdown option label -> stored value, in schema order."""
    if form_field.options:
        return {o: o for o in form_field.options}
    if form_field.target == "principper":
        return {_option(name): slug for slug, name in vocab.principles.items()}
    if form_field.target == "metoder":
        return {_option(name): slug for slug, name in vocab.methods.items()}
    doc = field_docs(schema)[form_field.target]
    values = _enum(doc.node)
    labels = _VALUE_LABELS.get(form_field.target, {})
    return {_option(labels.get(v, v)): v for v in values}


def _enum(node: dict[str, Any]) -> list[str]:
    if "enum" in node:
        return [str(v) for v in node["enum"]]
    for branch in node.get("anyOf", []):
        if "enum" in branch:
            return [str(v) for v in branch["enum"]]
    raise ValueError(f"no enum in {node}")


def _option(text: str) -> str:
    # GitHub joins the chosen options of a multiple dropdown with ", ".
    return text.replace(",", "")


def help_text(form_field: FormField, docs: dict[str, FieldDoc]) -> str:
    """The help under a field's label: the schema's description and the form's hint. A list is
    asked for as lines or choices, so the file-oriented description does not fit it. The issue
    form and the writing page (writing.py) show the same text."""
    doc = docs.get(form_field.target)
    # A list is asked for as lines or choices, and a choice by its options in words, so the
    # file-oriented description (which names the values written in a file) does not fit.
    in_list = doc is not None and (doc.is_list or "[]" in doc.path)
    choice = form_field.kind in {"dropdown", "checkboxes"}
    own = doc.description if doc and not in_list and not choice else ""
    return " ".join(p for p in (own, form_field.hint) if p)


def issue_form(vocab: Vocabulary) -> dict[str, Any]:
    schema = story_schema(vocab)
    docs = field_docs(schema)
    body: list[dict[str, Any]] = [{
        "type": "markdown",
        "attributes": {"value": (
            "Tak, fordi du vil dele en historie om samskabelse. Udfyld felterne, så godt du kan. "
            "Sekretariatet læser historien igennem og kontakter dig, før den bliver offentlig.\n\n"
            "Skriv kun det, du ved. Nævn organisationer, ikke private personers adresser, "
            "telefonnumre eller e-mails. Læs mere i vejledningen 'Bidrag' på videnbankens side."
        )},
    }]
    for form_field in FORM:
        description = help_text(form_field, docs)
        attributes: dict[str, Any] = {"label": form_field.label}
        if description:
            attributes["description"] = description
        element: dict[str, Any] = {"type": form_field.kind, "id": form_field.id, "attributes": attributes}
        if form_field.kind == "dropdown":
            attributes["multiple"] = form_field.multiple
            attributes["options"] = list(options(form_field, vocab, schema))
        if form_field.kind == "checkboxes":
            attributes["options"] = [
                {"label": o, "required": form_field.required} for o in form_field.options
            ]
        else:
            element["validations"] = {"required": form_field.required}
        body.append(element)
    return {
        "name": "Indsend en historie",
        "description": "Del en historie om samskabelse uden at bruge git. Sekretariatet læser den, før den udgives.",
        "title": "Historie: ",
        "labels": [SUBMISSION_LABEL],
        "body": body,
    }


def issue_form_yaml(vocab: Vocabulary) -> str:
    head = (
        "# Lavet af 'videnbank formular' ud fra videnbankens model; ret ikke i filen.\n"
        "# Kør 'videnbank generer', når principper, metoder eller felter ændrer sig.\n"
    )
    return head + yaml.safe_dump(issue_form(vocab), allow_unicode=True, sort_keys=False, width=100)


# --- reading a submitted issue ---------------------------------------------------------------


_HEADING = re.compile(r" {0,3}###(?=[ \t]|$)")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}(?=[^`]*$)|~{3,})")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_RAW_TEXT = frozenset({"script", "pre", "style", "textarea"})
# What GitHub reads as HTML and does not show: each opener, its closer, and what it is called.
_HIDDEN_OPEN = re.compile(r"<(?:!--|\?|!\[CDATA\[|![A-Za-z])")
_HIDDEN_KINDS = {
    "<!--": ("-->", "en skjult HTML-kommentar (<!-- … -->)", "kommentaren"),
    "<?": ("?>", "en skjult HTML-instruktion (<? … ?>)", "instruktionen"),
    "<![CDATA[": ("]]>", "en skjult CDATA-blok (<![CDATA[ … ]]>)", "blokken"),
    "<!": (">", "en skjult HTML-erklæring (<!… >)", "erklæringen"),
}
HIDDEN = "Issue"


def heading(line: str) -> str | None:
    """The text of a level-3 heading as GitHub reads it (up to three spaces before ``###``, an optional
    closing run of ``#``), or None. Linear in the line."""
    match = _HEADING.match(line)
    if not match:
        return None
    text = line[match.end():].strip(" \t")
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1] in " \t"):
        text = closed.rstrip(" \t")
    return text


def parse(body: str) -> tuple[dict[str, str], list[FormProblem]]:
    """The answers in an issue body, by label, as a reader sees the rendered issue.

    Only a ``### Label`` line that GitHub shows as a heading (up to three spaces before it) starts a
    field: one inside a fenced code block, a raw HTML block or anything GitHub hides is text of the
    answer around it. What GitHub does not show is a problem: HTML comments, processing
    instructions (``<? … ?>``), CDATA (``<![CDATA[ … ]]>``), declarations (``<!X … >``) and HTML
    tags (GitHub reads ``<div>`` and the lines after it as HTML, not as the form's text), so
    nothing a reader cannot see decides what becomes the story. A label that appears twice is a
    problem too. GitHub's '_No response_' becomes ''. One pass over the lines, each line read
    a constant number of times: linear in the body's length.
    """
    found: dict[str, list[str]] = {}
    problems: list[FormProblem] = []
    reported: set[tuple[str, str]] = set()

    def problem(label: str, what: str, fix: str) -> None:
        key = (label, fix)  # one message of each kind for each field (the first tag, not every tag)
        if key not in reported:
            reported.add(key)
            problems.append(FormProblem(label, what, fix))

    current: str | None = None
    fence: str | None = None  # the opening run of ` or ~ while inside a fenced block
    raw: str | None = None  # while inside a raw HTML block: '</tag' that ends it, or '' (a blank line ends it)
    hidden: str | None = None  # while inside a hidden construct: the text that ends it
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if fence is None and raw is None and hidden is None:
            label = heading(line)
            if label is not None and label in _BY_LABEL:
                current = label
                if current in found:
                    problem(current, "feltet står to gange i issuet",
                            f"slet den ekstra overskrift '### {current}', så feltet kun står én gang")
                    current = None  # the second copy is not read; the problem stops the conversion
                    continue
                found[current] = []
                continue
        if current is not None:
            found[current].append(line)
        if fence is not None:
            stripped = line.strip()
            if (stripped.startswith(fence) and not stripped.strip(fence[0])
                    and len(line) - len(line.lstrip(" ")) <= 3):
                fence = None
            continue
        pos = 0
        if hidden is not None:
            end = line.find(hidden)
            if end < 0:
                continue
            pos = end + len(hidden)
            hidden = None
        elif raw is not None:
            if (raw and raw in line.lower()) or (not raw and not line.strip()):
                raw = None
            _check_tags(line, current, problem)
            continue
        else:
            opened = _FENCE_OPEN.match(line)
            if opened:
                fence = opened.group(1)
                continue
            indent = len(line) - len(line.lstrip(" "))
            block = _TAG.match(line, indent) if indent <= 3 else None
            if block:
                name = block.group(1).lower()
                raw = f"</{name}" if name in _RAW_TEXT and not line.startswith("</", indent) else ""
                if raw and raw in line.lower()[block.end():]:
                    raw = None
        hidden = _check_hidden(line, pos, current, problem)
        _check_tags(line, current, problem)
    out = {}
    for label, lines in found.items():
        text = "\n".join(lines).strip()
        out[label] = "" if text == NO_RESPONSE else text
    return out, problems


def _check_hidden(line: str, pos: int, current: str | None, problem: Callable[[str, str, str], None]) -> str | None:
    """Report each construct GitHub hides that starts in ``line`` from ``pos``; the text that ends the
    last one if it goes on after the line. (Also one written inside `inline code`: a rare false alarm
    that asks for an edit, never a hidden text.)"""
    while match := _HIDDEN_OPEN.search(line, pos):
        opener = match.group(0) if match.group(0) in _HIDDEN_KINDS else "<!"
        closer, what, it = _HIDDEN_KINDS[opener]
        problem(current or HIDDEN, f"teksten har {what}, som ikke vises på issuet",
                f"slet {it}, så issuet viser alt det, der bliver til historien")
        start = match.start() + len(opener)
        end = line.find(closer, start)
        if end < 0:
            return closer
        pos = end + len(closer)
    return None


def _check_tags(line: str, current: str | None, problem: Callable[[str, str, str], None]) -> None:
    """Report an HTML tag in the line: GitHub reads it (and a block it starts) as HTML, not as text."""
    if "<" in line and (tag := _TAG.search(line)):
        problem(current or HIDDEN, f"teksten har HTML-koden '{tag.group(0)}', som GitHub ikke viser som tekst",
                "slet HTML-koderne, og skriv almindelig tekst; issuet skal vise alt det, der bliver til historien")


def sections(body: str) -> dict[str, str]:
    """The answers in an issue body, by label (see :func:`parse`)."""
    return parse(body)[0]


# --- the bot's comment -------------------------------------------------------------------------

_SAFE_LABEL = re.compile(r"[\w .:?,'()-]+")


# Inline Markdown that could turn text into something else: emphasis, code, links, images, HTML,
# entities, strikethrough, table cells. Written as numeric character references, which GitHub
# (CommonMark) shows as the character itself and never reads as markup.
_MARKUP = re.compile(r"[\\`*_\[\]!<>&~|]")
def plain(text: str, limit: int = 300) -> str:
    """``text`` as one line of Markdown that GitHub shows as exactly that text, readable.

    Control and format characters (bidi overrides, zero-width ones) and line breaks become
    spaces; the characters that start inline markup are character references. What GitHub turns
    into links or notifications without any markup is broken by an invisible character: an
    invisible joiner after '@' (a mention, an e-mail address), a word joiner after '#' before a
    letter or digit (a reference to an issue), and one inside '://' and 'www.' (a web address). Long texts
    are cut. The line is meant to follow a list item's label, never to start a line.
    """
    cleaned = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    cleaned = cleaned.replace("@", "@\u200d").replace("://", ":\u200b//")
    cleaned = re.sub(r"(?i)www\.", lambda m: m.group(0)[:3] + "\u200b.", cleaned)
    cleaned = re.sub(r"#(?=\w)", "#\u2060", cleaned)
    return _MARKUP.sub(lambda m: f"&#{ord(m.group(0))};", cleaned)


def comment(problems: Iterable[FormProblem]) -> str:
    """The Markdown the bot comments on an issue it could not convert.

    One line per problem: the form's label in bold, then what is wrong and how to fix it as
    plain, readable sentences (:func:`plain`), so no value from the issue becomes a link, a
    mention, a reference, an image or markup.
    """
    lines = [
        "Historien kunne ikke laves ud fra issuet. Ret disse felter i issuet, og bed sekretariatet "
        "om at sætte mærket igen:",
        "",
    ]
    for p in problems:
        label = f"**{p.label}**" if _SAFE_LABEL.fullmatch(p.label) else plain(p.label)
        lines.append(f"- {label}: {plain(p.what)} — {plain(p.fix)}")
    return "\n".join(lines) + "\n"


def convert(body: str, vocab: Vocabulary, added: dt.date) -> Submission:
    """Turn an issue body into a story file text; problems are collected in Danish."""
    schema = story_schema(vocab)
    answers, problems = parse(body)
    if not answers:
        problems.append(FormProblem(
            "Issue", "teksten er ikke lavet med formularen 'Indsend en historie'",
            "opret et nyt issue med formularen, eller skriv historien som en fil",
        ))
        return Submission("", "", problems)
    data: dict[str, Any] = {"dato": added, "publicering": SUBMITTED_STATE}
    story_text: dict[str, str] = {}
    reader = _Reader(answers, problems, vocab, schema)
    for form_field in FORM:
        value = reader.read(form_field)
        if value is None:
            continue
        if form_field.target.startswith(BODY):
            story_text[form_field.target[len(BODY):]] = value
        elif form_field.target:
            _put(data, form_field.target, value)
    reader.attach_how(data)
    if "evalueret" in data.get("resultater", {}) and "tekst" not in data["resultater"]:
        problems.append(FormProblem(
            _BY_TARGET["resultater.tekst"].label, "der er svaret på, om resultaterne er evalueret, men ikke hvad de er",
            "beskriv resultaterne, eller lad begge felter stå tomme",
        ))
        del data["resultater"]
    if "slut" in data.get("periode", {}) and "start" not in data["periode"]:
        problems.append(FormProblem(
            _BY_TARGET["periode.start"].label, "der er en slutdato, men ingen start",
            "skriv, hvornår det begyndte, fx 2019",
        ))
    slug = file_slug(str(data.get("titel", "")))
    order = [d.key for d in fields(schema)]
    front = {k: data[k] for k in order if k in data}
    text = _story_text(front, story_text)
    return Submission(slug, text, problems)


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    if "[]." in path:
        return
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _story_text(front: dict[str, Any], body: dict[str, str]) -> str:
    meta = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100)
    parts = [f"---\n{meta}---\n"]
    for section in STORY_SECTIONS:
        if body.get(section):
            parts.append(f"## {section}\n\n{_demote(body[section])}\n")
    return "\n".join(parts)


def _demote(text: str) -> str:
    """Headings written inside an answer become sub-headings of its section."""
    return re.sub(r"^#{1,2}(?=\s)", "###", text.strip(), flags=re.MULTILINE)


class _Reader:
    """Reads each answer into the value the story file needs, noting what is wrong."""

    def __init__(
        self, answers: dict[str, str], problems: list[FormProblem], vocab: Vocabulary,
        schema: dict[str, Any],
    ) -> None:
        self.answers = answers
        self.problems = problems
        self.vocab = vocab
        self.schema = schema
        self.how: list[tuple[str, str]] = []

    def problem(self, form_field: FormField, what: str, fix: str) -> None:
        self.problems.append(FormProblem(form_field.label, what, fix))

    def read(self, f: FormField) -> Any:
        if f.label not in self.answers:
            if f.required:
                self.problem(f, "feltet mangler i issuet",
                             "brug formularen 'Indsend en historie' uden at slette felter")
            return None
        raw = self.answers[f.label]
        if f.kind == "checkboxes":
            return self._checkboxes(f, raw)
        if not raw:
            if f.required:
                self.problem(f, "er ikke udfyldt", "udfyld feltet")
            return None
        if f.target.startswith(BODY):
            return raw
        if f.kind == "dropdown":
            return self._dropdown(f, raw)
        if f.target == "aktører":
            return self._actors(f, raw)
        if f.target == "links":
            return self._links(f, raw)
        if f.target == "kilder":
            return self._sources(f, raw)
        if f.target == "principper[].hvordan":
            self.how = self._how(f, raw)
            return None
        if f.target in {"målgrupper", "temaer"}:
            return [" ".join(p.split()) for p in re.split(r"[,\n]", raw) if p.strip()]
        return " ".join(raw.split())

    def _checkboxes(self, f: FormField, raw: str) -> str | None:
        ticked = {m.group(2).strip(): m.group(1).lower() == "x"
                  for m in re.finditer(r"^- \[([ xX])\]\s*(.+)$", raw, re.MULTILINE)}
        if f.required:
            missing = [o for o in f.options if not ticked.get(o)]
            for option in missing:
                self.problem(f, f"der er ikke sat kryds ved '{option}'", "læs punktet og sæt kryds, når det er sandt")
            return None
        return "ja" if any(ticked.get(o) for o in f.options) else None

    def _dropdown(self, f: FormField, raw: str) -> Any:
        choices = options(f, self.vocab, self.schema)
        # The words the form shows (or the value a file would have), in any case and spacing:
        # 'I gang', 'i  gang' and 'igang' are all the same choice.
        known = {slugify(v): v for v in choices.values()} | {slugify(k): v for k, v in choices.items()}
        picked = [p.strip() for p in raw.split(", ")] if f.multiple else [raw.strip()]
        values = []
        for item in picked:
            if item in choices:
                values.append(choices[item])
            elif slugify(item) in known:
                values.append(known[slugify(item)])
            else:
                self.problem(f, f"ukendt valg '{item}'", choose_from(item, choices))
        if f.target == "principper":
            return [{"princip": v} for v in values]
        if f.multiple:
            return values
        return values[0] if values else None

    def _actors(self, f: FormField, raw: str) -> list[dict[str, str]]:
        sectors = {s: s for s in SECTORS} | {slugify(label): s for s, label in SECTORS.items()}
        actors = []
        for n, line in enumerate(_lines(raw), start=1):
            parts = _name_and_parenthesis(line)
            if parts is None:
                self.problem(f, f"linje {n} '{line}' mangler sektoren i parentes",
                             "skriv fx 'Foreningen Grønne Hænder (civilsamfund)'")
                continue
            inside = [part.strip() for part in parts[1].split(",")]
            name, sector = parts[0], slugify(inside[0])
            if sector not in sectors:
                self.problem(f, f"linje {n}: ukendt sektor '{inside[0]}'",
                             choose_from(sector, SECTORS))
                continue
            actor = {"navn": name, "sektor": sectors[sector]}
            if len(inside) > 1:
                kinds = {k: k for k in ACTOR_KINDS} | {slugify(label): k for k, label in ACTOR_KINDS.items()}
                kind = kinds.get(slugify(",".join(inside[1:])), "")
                if kind not in ACTOR_KINDS:
                    self.problem(f, f"linje {n}: ukendt type '{', '.join(inside[1:])}'",
                                 "skriv ', gruppe' efter sektoren for en gruppe af personer, ellers intet")
                    continue
                actor["type"] = kind
            actors.append(actor)
        return actors

    def _sources(self, f: FormField, raw: str) -> list[dict[str, str | int]]:
        sources: list[dict[str, str | int]] = []
        for n, line in enumerate(_lines(raw), start=1):
            parts = [part.strip() for part in line.split(";")]
            if len(parts) < 2 or len(parts) > 4 or not parts[0] or not parts[1]:
                self.problem(f, f"linje {n} '{line}' har ikke formen 'titel; udgiver; år; adresse'",
                             "adskil titel, udgiver og evt. år og adresse med semikolon")
                continue
            source: dict[str, str | int] = {"titel": parts[0], "udgiver": parts[1]}
            for part in parts[2:]:
                if re.fullmatch(r"\d{4}", part):
                    source["år"] = int(part)
                elif re.match(r"^https?://\S+$", part):
                    source["link"] = part
                elif part:
                    self.problem(f, f"linje {n}: '{part}' er hverken et årstal eller en webadresse",
                                 "skriv året med fire cifre og adressen med https://")
            sources.append(source)
        return sources

    def _links(self, f: FormField, raw: str) -> list[dict[str, str]]:
        links = []
        for n, line in enumerate(_lines(raw), start=1):
            parts = _text_and_address(line)
            if parts is None:
                self.problem(f, f"linje {n} '{line}' har ingen webadresse til sidst",
                             "skriv teksten og derefter adressen, der starter med https://")
                continue
            title = parts[0] or parts[1]
            links.append({"titel": title, "url": parts[1]})
        return links

    def _how(self, f: FormField, raw: str) -> list[tuple[str, str]]:
        names = {slugify(name): slug for slug, name in self.vocab.principles.items()}
        names |= {slug: slug for slug in self.vocab.principles}
        out = []
        for n, line in enumerate(_lines(raw), start=1):
            name, sep, sentence = line.partition(":")
            slug = names.get(slugify(name))
            if not sep or not sentence.strip():
                self.problem(f, f"linje {n} '{line}' har ikke formen 'princip: sætning'",
                             "skriv principets navn, et kolon og én sætning")
            elif slug is None:
                hint = did_you_mean(name.strip(), self.vocab.principles.values())
                self.problem(f, f"linje {n}: ukendt princip '{name.strip()}'",
                             (hint + " " if hint else "") + "brug et af navnene fra 'Principper'")
            else:
                out.append((slug, " ".join(sentence.split())))
        return out

    def attach_how(self, data: dict[str, Any]) -> None:
        refs = {ref["princip"]: ref for ref in data.get("principper", [])}
        label = _BY_TARGET["principper[].hvordan"]
        for slug, sentence in self.how:
            if slug not in refs:
                self.problem(label, f"'{self.vocab.principles[slug]}' er ikke valgt under 'Principper'",
                             "vælg principet under 'Principper', eller slet linjen")
                continue
            refs[slug]["hvordan"] = sentence


def _name_and_parenthesis(line: str) -> tuple[str, str] | None:
    """'Navn (inde i parentesen)' -> ('Navn', 'inde i parentesen'): the parenthesis ends the line and holds
    no other parenthesis; the name is not empty. Found from the end, once: linear in the line (a regular
    expression for this took 5 s on a line of 60,000 spaces)."""
    text = line.rstrip()
    if not text.endswith(")"):
        return None
    opening = text.rfind("(")
    inside = text[opening + 1:-1]
    if opening < 1 or not inside or ")" in inside:
        return None
    name = text[:opening].strip()
    return (name, inside) if name else None


def _text_and_address(line: str) -> tuple[str, str] | None:
    """'Tekst: https://x.dk' -> ('Tekst', 'https://x.dk'): the address (http:// or https://, no space or '>',
    maybe in '<' '>') ends the line; the text before it loses the separators (space, ':', '-', '–') at its end.
    Linear in the line (a regular expression for this took 28 s on 'a' and 60,000 ':')."""
    text = line.rstrip()
    if text.endswith(">"):
        text = text[:-1]
    start = len(text)
    while start > 0 and not (text[start - 1].isspace() or text[start - 1] == ">"):
        start -= 1
    tail = text[start:]
    scheme = _SCHEME.search(tail)
    if scheme is None or scheme.end() == len(tail):
        return None
    before = (text[:start] + tail[:scheme.start()]).removesuffix("<")
    end = len(before)
    while end and (before[end - 1].isspace() or before[end - 1] in ":–-"):
        end -= 1
    return before[:end].strip(), tail[scheme.start():]


_SCHEME = re.compile(r"https?://")


def _lines(text: str) -> Iterable[str]:
    for line in text.splitlines():
        line = re.sub(r"^\s*[-*]\s+", "", line).strip()
        if line:
            yield line


# --- checking the result with the real checker ----------------------------------------------


def check(root: Path, submission: Submission) -> list[FormProblem]:
    """The checker's problems with the converted story, named by the form's labels."""
    out = list(submission.problems)
    if not submission.slug:
        if "Titel" not in {p.label for p in out}:
            out.append(FormProblem("Titel", "titlen giver ikke et kortnavn", "skriv en titel med bogstaver"))
        return out
    if (root / "stories" / f"{submission.slug}.md").exists():
        out.append(FormProblem(
            "Titel", f"der findes allerede en historie med kortnavnet '{submission.slug}'",
            "giv historien en anden titel",
        ))
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"{submission.slug}.md"
        file.write_text(submission.text, encoding="utf-8")
        bank = load_bank(root, only=[file])
    # A field the form reader already complained about is not reported twice.
    known = {p.label for p in out}
    for problem in bank.problems:
        if not problem.path.endswith(f"{submission.slug}.md"):
            continue
        item = FormProblem(_label_for(problem), problem.what, problem.fix)
        if item.label not in known:
            out.append(item)
    return out


def _label_for(problem: Problem) -> str:
    path = re.sub(r"\[\d+\]", "[]", problem.field)
    if path in {"tekst"}:
        return "Historiens tekst"
    if path == "filnavn":
        return "Titel"
    while path:
        if path in _BY_TARGET:
            return _BY_TARGET[path].label
        for target, form_field in _BY_TARGET.items():
            if target.startswith(path + ".") or target.startswith(path + "[]."):
                return form_field.label
        path = re.sub(r"(\[\])?\.?[^.\[\]]+$", "", path)
    return problem.field
