"""The story schema for people and editors, derived from the pydantic model.

Everything here comes from ``model.Story`` (and the principle and method files for the
vocabularies): the JSON Schema, the field table in the contributor guide and the commented
template that ``videnbank ny`` writes. Nothing about a field is written down twice.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .docs import GUIDE_MARKER, GUIDE_ONLY, repository_links, write_link
from .load import REQUIRED_SECTIONS, STORY_SECTIONS, TODO, load_bank
from .model import DRAFT, PARTIAL_DATE_RE, Story

SCHEMA_PATH = "schema/historie.schema.json"
GUIDE_SOURCE = "docs/bidrag.md"
GUIDE_COPY = "CONTRIBUTING.md"
YES_NO = ["ja", "nej"]
SECTION_HINTS = {
    "Udfordringen": "Hvad var problemet eller ønsket, og for hvem?",
    "Det gjorde vi": "Hvem gjorde hvad, og hvordan arbejdede I sammen?",
    "Det kom der ud af": "Hvad blev resultatet? Skriv kun det, I ved.",
    "Det lærte vi": "Hvad vil I give videre til andre, der vil gøre noget lignende?",
}

_MODEL_TITLES = {
    "Story": "Historie",
    "Actor": "Aktør",
    "Contact": "Kontakt",
    "Image": "Billede",
    "Link": "Link",
    "Period": "Periode",
    "PrincipleRef": "Princip med forklaring",
    "Reference": "Kilde",
    "Results": "Resultater",
}


@dataclass(frozen=True)
class Vocabulary:
    """The principle and method slugs (with their names) a story may use."""

    principles: dict[str, str]
    methods: dict[str, str]


def vocabulary(root: Path) -> Vocabulary:
    bank = load_bank(root, only=[])
    return Vocabulary(
        {p.slug: p.meta.name for p in bank.principles},
        {m.slug: m.meta.name for m in bank.methods},
    )


def story_schema(vocab: Vocabulary) -> dict[str, Any]:
    """The JSON Schema of a story's front matter, with the current vocabularies as enums."""
    schema = Story.model_json_schema(by_alias=True)
    defs: dict[str, Any] = schema["$defs"]
    schema["title"] = _MODEL_TITLES["Story"]
    schema["description"] = (
        "Felterne øverst i en historie (front matter) i stories/<kortnavn>.md. "
        "Lavet af 'videnbank skema' ud fra videnbankens model; ret ikke i filen."
    )
    for name, definition in defs.items():
        definition["title"] = _MODEL_TITLES.get(name, name)
    for node in [schema, *defs.values()]:
        for key, prop in node.get("properties", {}).items():
            prop["title"] = key.replace("_", " ").capitalize()
    principle_enum = {"type": "string", "enum": list(vocab.principles)}
    defs["PrincipleRef"]["properties"]["princip"].update(principle_enum)
    principles = schema["properties"]["principper"]
    principles["items"] = {"anyOf": [dict(principle_enum), principles["items"]]}
    schema["properties"]["metoder"]["items"] = {"type": "string", "enum": list(vocab.methods)}
    _loosen(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _loosen(node: Any) -> None:
    """Accept what the checker accepts: ja/nej for booleans, a bare year for partial dates."""
    if isinstance(node, list):
        for item in node:
            _loosen(item)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _loosen(value)
    if node.get("type") == "boolean":
        del node["type"]
        node["anyOf"] = [{"type": "boolean"}, {"type": "string", "enum": YES_NO}]
    elif node.get("type") == "string" and _is_partial_date(node):
        node.pop("type")
        node.pop("pattern", None)
        node["anyOf"] = [
            {"type": "string", "pattern": PARTIAL_DATE_RE.pattern},
            {"type": "integer", "minimum": 1000, "maximum": 9999},
        ]


def _is_partial_date(node: dict[str, Any]) -> bool:
    examples = node.get("examples") or []
    return bool(examples) and all(
        isinstance(e, str) and PARTIAL_DATE_RE.match(e) for e in examples
    )


def schema_json(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


# --- the schema as a tree of documented fields -------------------------------------------


@dataclass(frozen=True)
class FieldDoc:
    """One field of the front matter, as a contributor meets it."""

    key: str
    path: str
    required: bool
    parent: str | None
    node: dict[str, Any]
    description: str
    default: Any
    is_list: bool
    children: tuple[FieldDoc, ...] = field(default=())

    @property
    def has_default(self) -> bool:
        return "default" in self.node and self.default not in (None, [])


def fields(schema: dict[str, Any]) -> list[FieldDoc]:
    """The top-level fields of ``schema`` in model order, each with its sub-fields."""
    return _object_fields(schema, schema, None, "")


def walk(docs: list[FieldDoc]) -> Iterator[FieldDoc]:
    for doc in docs:
        yield doc
        yield from walk(list(doc.children))


def _object_fields(
    root: dict[str, Any], obj: dict[str, Any], parent: str | None, prefix: str
) -> list[FieldDoc]:
    required = set(obj.get("required", []))
    out = []
    for key, raw in obj.get("properties", {}).items():
        node = _resolve(root, raw)
        path = f"{prefix}{key}"
        is_list = node.get("type") == "array"
        inner = _resolve(root, node["items"]) if is_list else node
        if is_list:
            node = {**node, "items": inner}
        obj_branch = _object_branch(root, inner)
        children: list[FieldDoc] = []
        if obj_branch is not None:
            children = _object_fields(root, obj_branch, path, f"{path}[]." if is_list else f"{path}.")
        out.append(FieldDoc(
            key=key, path=path, required=key in required, parent=parent, node=node,
            description=raw.get("description") or node.get("description", ""),
            default=raw.get("default", node.get("default")), is_list=is_list,
            children=tuple(children),
        ))
    return out


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a $ref and drop the null branch of an optional field."""
    if "$ref" in node:
        target = dict(root["$defs"][node["$ref"].rsplit("/", 1)[-1]])
        extra = {k: v for k, v in node.items() if k != "$ref"}
        return {**target, **extra}
    branches = node.get("anyOf")
    if branches:
        kept = [b for b in branches if b.get("type") != "null"]
        rest = {k: v for k, v in node.items() if k != "anyOf"}
        if len(kept) == 1:
            return {**_resolve(root, kept[0]), **rest}
        return {**rest, "anyOf": [_resolve(root, b) for b in kept]}
    return node


def _object_branch(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any] | None:
    branches: list[dict[str, Any]] = [node, *node.get("anyOf", [])]
    return next((b for b in branches if b.get("type") == "object"), None)


def value_text(doc: FieldDoc) -> str:
    """What may be written in the field, in plain Danish."""
    node = doc.node
    if doc.is_list:
        items = node["items"]
        if items.get("type") == "object":
            return "liste; hvert punkt har felterne herunder"
        branches = items.get("anyOf", [])
        if any(b.get("type") == "object" for b in branches):
            plain = next(b for b in branches if b.get("type") != "object")
            return f"liste, hvor hvert punkt er {_scalar_text(plain)}, eller har felterne herunder"
        return f"liste, hvor hvert punkt er {_scalar_text(items)}"
    if node.get("type") == "object":
        return "felterne herunder"
    return _scalar_text(node)


def _scalar_text(node: dict[str, Any]) -> str:
    if "enum" in node:
        return "én af: " + ", ".join(str(v) for v in node["enum"])
    branches = node.get("anyOf", [])
    types = {b.get("type") for b in branches}
    if "boolean" in types:
        return "ja eller nej"
    if "integer" in types and "string" in types:
        return "ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"
    kind = node.get("type")
    if kind == "string" and node.get("format") == "date":
        return "dato ÅÅÅÅ-MM-DD"
    if kind == "string" and str(node.get("pattern", "")).startswith("^https"):
        return "webadresse, der starter med https://"
    if kind == "string" and "@" in str(node.get("pattern", "")):
        return "e-mailadresse"
    if kind == "string":
        return f"tekst, højst {node['maxLength']} tegn" if "maxLength" in node else "tekst"
    if kind == "integer":
        return "helt tal"
    return "se forklaringen"


def required_text(doc: FieldDoc) -> str:
    if doc.required and doc.parent:
        return f"ja, når `{doc.parent}` er med"
    if doc.required:
        return "ja"
    if doc.has_default:
        return f"nej (ellers: {_yaml_scalar(doc.default)})"
    return "nej"


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


# --- the field table for the guide ---------------------------------------------------------


def field_table(schema: dict[str, Any]) -> str:
    """A Markdown table of every field, generated from ``schema``."""
    rows = [
        "| Felt | Skal udfyldes | Hvad du skriver | Forklaring |",
        "| --- | --- | --- | --- |",
    ]
    for doc in walk(fields(schema)):
        cells = [f"`{doc.path}`", required_text(doc), value_text(doc), doc.description]
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_guide(text: str, schema: dict[str, Any]) -> str:
    """The guide with its field-table marker replaced by the generated table."""
    return text.replace(GUIDE_MARKER, field_table(schema))


GITHUB_RELATIVE = "../.."


def contributing_text(root: Path) -> str:
    """CONTRIBUTING.md: the site's guide page with its table filled in."""
    source = (root / GUIDE_SOURCE).read_text(encoding="utf-8")
    head = (
        "<!-- Denne fil er lavet ud fra docs/bidrag.md med 'videnbank guide --ud CONTRIBUTING.md'."
        " Ret i docs/bidrag.md, ikke her. -->\n\n"
    )
    guide = render_guide(source, story_schema(vocabulary(root))).replace(GUIDE_ONLY + "\n", "")
    # Read on GitHub, beside the repository's own pages: '../..' from blob/main/CONTRIBUTING.md is
    # the repository, whichever it is (a copy in another municipality's account too); the writing
    # page's link points at the section that names the page.
    return head + guide + repository_links(GITHUB_RELATIVE) + write_link("#send-en-historie")


# --- the template for a new story -------------------------------------------------------------


def story_template(title: str, added: dt.date, schema: dict[str, Any]) -> str:
    """A new story file: every field present and explained, required ones left to fill in."""
    given: dict[str, str] = {
        "titel": json.dumps(title, ensure_ascii=False),
        "dato": added.isoformat(),
        "publicering": DRAFT,
    }
    lines = ["---"]
    lines += _comment(
        "Ny historie til videnbanken. Linjer, der starter med '#', er forklaringer og kommer "
        f"ikke med på sitet. Skriv det rigtige alle steder, hvor der står {TODO}, og fjern ordet "
        "(en kladde må have dem, men ikke en historie til gennemsyn). Valgfrie felter står med '#' "
        "foran: fjern '# ' foran feltet (og dets linjer under), hvis du vil bruge det. "
        "Tjek filen med: videnbank tjek " + "<filen>",
        "",
    )
    for doc in fields(schema):
        lines.append("")
        needed = "Skal udfyldes." if doc.required else "Valgfrit."
        lines += _comment(f"{doc.key}: {doc.description} {needed} Skriv: {value_text(doc)}.", "")
        if doc.key in given:
            lines.append(f"{doc.key}: {given[doc.key]}")
        else:
            lines += _field_lines(doc, active=doc.required or doc.has_default)
    lines.append("")
    lines += _body_comment()
    lines.append("---")
    lines += _body_lines()
    return "\n".join(lines) + "\n"


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(text, width=92 - len(indent), break_on_hyphens=False)]


def _placeholder(doc: FieldDoc) -> str:
    """The value a new story starts with: a required field gets one the checker accepts in a
    draft, marked TODO (plain text carries the mark, a choice gets it in its comment)."""
    if doc.has_default:
        return _yaml_scalar(doc.default)
    if doc.is_list:
        return "[]"
    if doc.required and "enum" in doc.node:
        return str(doc.node["enum"][0])
    if doc.required and _plain_text(doc.node):
        return json.dumps(f"{TODO}: {doc.description}", ensure_ascii=False)
    return '""'


def _plain_text(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" and not {"pattern", "format", "enum"} & set(node)


def _todo_note(doc: FieldDoc) -> str:
    """The TODO mark for a required choice, which cannot carry it in its value."""
    return f"{TODO} (vælg): " if doc.required and not doc.has_default and "enum" in doc.node else ""


def _field_lines(doc: FieldDoc, active: bool) -> list[str]:
    """The field's YAML lines; commented out when the field is optional and not filled."""
    if not doc.children:
        mark = _todo_note(doc)
        text = [f"{doc.key}: {_placeholder(doc)}" + (f"  # {mark.rstrip(': ')}" if mark else "")]
        if doc.is_list and not doc.required:
            return text
    else:
        text = [f"{doc.key}:"]
        item_indent = "  - " if doc.is_list else "  "
        rest_indent = "    " if doc.is_list else "  "
        first = True
        for child in doc.children:
            prefix = item_indent if first else rest_indent
            first = False
            optional_child = active and not child.required and not child.has_default
            value = _placeholder(child)
            note = f"{_todo_note(child)}{child.description} {'Skal udfyldes.' if child.required else 'Valgfrit.'}"
            if child.children or child.is_list:
                value = "[]"
            line = f"{prefix}{child.key}: {value}  # {note} Skriv: {value_text(child)}."
            if optional_child:
                line = f"{rest_indent}# {child.key}: {value}  # {note} Skriv: {value_text(child)}."
            text.append(line)
    return text if active else [f"# {t}" for t in text]


def _body_lines() -> list[str]:
    lines = [""]
    for section in STORY_SECTIONS:
        lines += [f"## {section}", "", ""]
    return lines[:-1]


def _body_comment() -> list[str]:
    required = " og ".join(f"'{s}'" for s in REQUIRED_SECTIONS)
    lines = ["# Skriv historien under den sidste '---' i disse afsnit:"]
    lines += [f"#   ## {s}: {SECTION_HINTS.get(s, '')}" for s in STORY_SECTIONS]
    return lines + _comment(
        f"{required} skal være med. Slet de andre overskrifter, hvis du ikke har noget at "
        "skrive. Brug '###' til underoverskrifter.",
        "",
    )
