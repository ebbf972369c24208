"""The writing page "Skriv en historie": a form on the site for people without a GitHub account.

Its fields are the issue form's (``issueform.FORM``): the same ids, labels, help texts and
choices, which come from the story model (``model.Story`` through ``schema``) and the bank's own
principle and method files. This module turns each field into a descriptor a template lays out
(name, label, help, required, maxlength, pattern, input type, choices) with the browser's own
constraints derived from the schema, and gives the page's script (overrides/assets/skriv.js) what
it needs to write the same file ``videnbank fra-issue`` writes: front matter in the model's order
with ``publicering: til-gennemsyn`` and the body sections. Nothing leaves the reader's browser
until they send it: by download, by e-mail to the secretariat, or as a prefilled issue.
"""

from __future__ import annotations

import re
from typing import Any

from . import urls
from .issueform import BODY, FORM, SUBMITTED_STATE, FormField, field_docs, help_text, options
from .limits import MAX_SLUG_CHARS
from .load import REQUIRED_SECTIONS, STORY_SECTIONS
from .model import ACTOR_KINDS, SECTORS
from .safety import _TAG_IN_TEXT
from .schema import FieldDoc, Vocabulary, fields, story_schema, value_text
from .slugs import TRANSLITERATION
from .views import script_json

TITLE = "Skriv en historie"
DESCRIPTION = ("Skriv en historie til videnbanken i din browser, se den, og send den til sekretariatet "
               "som fil, med e-mail eller gennem GitHub. Du behøver ingen konto.")
# A mail link longer than this is not given the whole text: some mail programs cut or refuse long
# mailto: addresses (Outlook on Windows stops near 2,000 characters, as Internet Explorer's 2,083-character
# address limit did); RFC 6068 sets no limit, so the page keeps under the lowest one in common use.
MAIL_LIMIT = 1800
# GitHub answers a longer new-issue address with 414 URI Too Long (measured limits lie near 8 KB).
ISSUE_LIMIT = 8000
# The browser's local storage key of the draft; a new version of the page's format gets a new key.
STORAGE_KEY = "videnbank:skriv:v1"
ISSUE_TITLE_PREFIX = "Historie: "
# The page's parts, in the order a writer meets them: (heading, the issue form's field ids).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Historien", ("titel", "sammendrag", "afsnit-udfordringen", "afsnit-det-gjorde-vi",
                   "afsnit-det-kom-der-ud-af", "afsnit-det-laerte-vi")),
    ("Principper og aktører", ("principper", "hvordan", "aktoerer", "metoder", "maalgrupper", "temaer")),
    ("Hvor, hvornår og hvordan gik det", ("kommune", "sted", "start", "slut", "status", "resultater",
                                          "evalueret", "raadets-rolle")),
    ("Kontakt og kilder", ("organisation", "email", "telefon", "web", "kilder", "links")),
    ("Samtykke", ("samtykke", "bekraeftelse")),
)


def html_pattern(pattern: str) -> str:
    """A schema pattern (a Python regular expression, anchored with ^ and perhaps $) as an HTML
    ``pattern`` attribute, which the browser anchors itself and compiles with the 'v' flag: an open
    end matches anything, and an escaped quote (not allowed with 'v') is a plain quote."""
    text = pattern.removeprefix("^")
    text = text.removesuffix("$") if text.endswith("$") else text + ".*"
    return text.replace('\\"', '"')


def _pattern(node: dict[str, Any]) -> str | None:
    for branch in [node, *node.get("anyOf", [])]:
        if branch.get("type") == "string" and branch.get("pattern"):
            return str(branch["pattern"])
    return None


def _input_type(doc: FieldDoc | None) -> str:
    pattern = _pattern(doc.node) if doc else None
    if pattern and pattern.startswith("^https"):
        return "url"
    if pattern and "@" in pattern:
        return "email"
    return "text"


def _field(form_field: FormField, vocab: Vocabulary, schema: dict[str, Any],
           docs: dict[str, FieldDoc]) -> dict[str, Any]:
    doc = docs.get(form_field.target)
    node = doc.node if doc is not None and not doc.is_list else {}
    element = {"input": "input", "textarea": "textarea", "dropdown": "select", "checkboxes": "checks"}[
        form_field.kind]
    if form_field.kind == "dropdown" and form_field.multiple:
        element = "checks"
    choices = ([{"value": value, "label": label} for label, value in options(form_field, vocab, schema).items()]
               if form_field.kind in {"dropdown", "checkboxes"} else [])
    pattern = _pattern(node) if element == "input" else None
    return {
        "name": form_field.id,
        "id": f"skriv-{form_field.id}",
        "label": form_field.label,
        "help": help_text(form_field, docs),
        "required": form_field.required,
        # A required choice of several (at least one principle) has no HTML attribute: the script checks it.
        "one_required": form_field.required and element == "checks" and form_field.kind == "dropdown",
        # A required set of ticks (the confirmations): every box must be ticked.
        "each_required": form_field.required and form_field.kind == "checkboxes",
        "element": element,
        "type": _input_type(doc) if element == "input" else None,
        "maxlength": node.get("maxLength"),
        # A comma-separated list (målgrupper, temaer): the longest one item may be.
        "item_maxlength": doc.node["items"].get("maxLength") if doc is not None and doc.is_list else None,
        "pattern": html_pattern(pattern) if pattern else None,
        "format": value_text(doc) if pattern and doc is not None else None,
        "min": node.get("minimum"),
        "max": node.get("maximum"),
        "choices": choices,
        "rows": 8 if form_field.target.startswith(BODY) else 3,
        "target": form_field.target,
        "multiple": form_field.multiple,
        "kind": form_field.kind,
    }


def form_fields(vocab: Vocabulary) -> list[dict[str, Any]]:
    """Every field of the issue form as a descriptor for the writing page, in the form's order."""
    schema = story_schema(vocab)
    docs = field_docs(schema)
    return [_field(f, vocab, schema, docs) for f in FORM]


def view(vocab: Vocabulary, *, secretariat_email: str | None, repository: str | None) -> dict[str, Any]:
    """The writing page's view: its groups of fields and the data its script needs."""
    descriptors = {d["name"]: d for d in form_fields(vocab)}
    groups = [{"title": title, "fields": [descriptors[name] for name in names]} for title, names in GROUPS]
    issue = urls.issue_form(repository) if repository else None
    script = {
        "storage_key": STORAGE_KEY,
        "fields": list(descriptors.values()),
        "order": [d.key for d in fields(story_schema(vocab))],
        "sections": list(STORY_SECTIONS),
        "required_sections": list(REQUIRED_SECTIONS),
        "state": SUBMITTED_STATE,
        "sectors": SECTORS,
        "actor_kinds": ACTOR_KINDS,
        "principles": vocab.principles,
        "transliteration": {chr(k): v for k, v in TRANSLITERATION.items()},
        "max_slug": MAX_SLUG_CHARS,
        "markup": _TAG_IN_TEXT.pattern,
        "mail": {"to": secretariat_email, "limit": MAIL_LIMIT} if secretariat_email else None,
        "issue": {"url": issue, "limit": ISSUE_LIMIT, "title": ISSUE_TITLE_PREFIX} if issue else None,
    }
    return {
        "kind": "write",
        "title": TITLE,
        "groups": groups,
        "guide_url": urls.CONTRIBUTE,
        "consent_url": urls.CONTRIBUTE + "#" + CONSENT_ANCHOR,
        "mail": secretariat_email,
        "issue_url": issue,
        "mail_limit": f"{MAIL_LIMIT:,}".replace(",", "."),
        "script": script_json(script),
    }


# The heading of /bidrag/ (docs/bidrag.md) with the rules a writer confirms before sending.
CONSENT_HEADING = "Personer, kontakt og billeder"
CONSENT_ANCHOR = re.sub(r"[^a-z0-9]+", "-", CONSENT_HEADING.lower()).strip("-")
