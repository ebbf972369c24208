"""The writing page's fields (writing.py) come from the one story schema and the issue form: the same
ids, labels, help texts and choices, and the browser's constraints derived from the model."""

from __future__ import annotations

import re

from conftest import REPO, html
from videnbank import issueform, schema, urls, writing
from videnbank.model import PARTIAL_DATE_RE, WEB_PATTERN

VOCAB = schema.vocabulary(REPO)


def test_every_issue_form_field_is_on_the_page_once_with_the_forms_words() -> None:
    grouped = [name for _, names in writing.GROUPS for name in names]
    assert sorted(grouped) == sorted(f.id for f in issueform.FORM) and len(set(grouped)) == len(grouped)
    form = {e["id"]: e for e in issueform.issue_form(VOCAB)["body"] if "id" in e}
    for field in writing.form_fields(VOCAB):
        element = form[field["name"]]
        assert field["label"] == element["attributes"]["label"]
        assert field["help"] == element["attributes"].get("description", "")
        options = element["attributes"].get("options", [])
        labels = [o["label"] if isinstance(o, dict) else o for o in options]
        assert [c["label"] for c in field["choices"]] == labels


def test_choices_are_the_banks_own_principles_and_methods() -> None:
    fields = {f["name"]: f for f in writing.form_fields(VOCAB)}
    assert [c["value"] for c in fields["principper"]["choices"]] == list(VOCAB.principles)
    assert [c["value"] for c in fields["metoder"]["choices"]] == list(VOCAB.methods)
    assert fields["principper"]["one_required"] and fields["bekraeftelse"]["each_required"]


def test_constraints_come_from_the_model() -> None:
    fields = {f["name"]: f for f in writing.form_fields(VOCAB)}
    assert fields["titel"]["maxlength"] == 150 and fields["sammendrag"]["maxlength"] == 400
    assert fields["start"]["pattern"] == PARTIAL_DATE_RE.pattern.strip("^$")
    assert fields["web"]["type"] == "url" and fields["web"]["pattern"] == WEB_PATTERN.strip("^$")
    assert fields["email"]["type"] == "email"
    assert fields["temaer"]["item_maxlength"] == 80  # model.Label
    assert [f["name"] for f in fields.values() if f["required"]] == [f.id for f in issueform.FORM if f.required]
    for field in fields.values():
        if field["pattern"]:
            re.compile(field["pattern"])  # (the browser test sees that Chromium compiles it with the 'v' flag)


def test_html_pattern() -> None:
    assert writing.html_pattern("^https?://") == "https?://.*"
    assert writing.html_pattern("^a$") == "a"
    assert writing.html_pattern('^[^"\\"]$') == '[^""]'


def test_the_page_is_built_with_the_mail_and_issue_addresses(shipped_site) -> None:  # type: ignore[no-untyped-def]
    soup = html(shipped_site, urls.WRITE)
    assert soup.h1.get_text() == writing.TITLE  # type: ignore[union-attr]
    assert soup.select_one("#skriv-mail") is not None
    github = soup.select_one("#skriv-github")
    assert github is not None and str(github["href"]).endswith("/issues/new?template=historie.yml")
    assert soup.select_one('script[src$="assets/skriv.js"]') is not None
    consent = soup.select_one(f'a[href$="#{writing.CONSENT_ANCHOR}"]')
    assert consent is not None
    guide = html(shipped_site, urls.CONTRIBUTE)
    assert guide.find(id=writing.CONSENT_ANCHOR) is not None


def test_bidrag_names_the_writing_page_first(shipped_site) -> None:  # type: ignore[no-untyped-def]
    soup = html(shipped_site, urls.CONTRIBUTE)
    first = soup.select_one("article ul li")
    assert first is not None and "Skriv en historie" in first.get_text()
    link = first.select_one("a")
    assert link is not None and link["href"] == "skriv/"
