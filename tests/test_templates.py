"""Escaping by construction: every value a template in overrides/ prints into an HTML tag (an
attribute's value, or the tag itself) is escaped with ``| e``. MkDocs' Jinja has autoescape off,
and ``| url`` does not escape: an address with a quote in it would otherwise end the attribute
and start new ones (``onfocus=…``, ``style=…``). The scanner reads the templates as text, so it
also covers the parts of Material we override."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO

TEMPLATES = sorted((REPO / "overrides").rglob("*.html"))
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_TOKEN = re.compile(r"\{\{(?P<expr>.*?)\}\}|\{%.*?%\}|<(?P<open>[A-Za-z/!])|(?P<close>>)", re.DOTALL)
_ESCAPED = re.compile(r"\|\s*(?:e|escape)\s*-?$")
_RAW_TEXT = ("script", "style")


def unescaped_in_tags(text: str) -> list[tuple[int, str]]:
    """(line, expression) of each ``{{ … }}`` inside an HTML tag that does not end in ``| e``."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    found = []
    in_tag = False
    raw_until: str | None = None  # inside <script> or <style>: only the closing tag ends it
    for match in _TOKEN.finditer(text):
        if raw_until is not None:
            if match.group("open") == "/" and text[match.end():].lower().startswith(raw_until):
                raw_until = None
                in_tag = True
            continue
        if match.group("open"):
            in_tag = True
            name = re.match(r"[A-Za-z]+", text[match.end() - 1:])
            if name and name.group(0).lower() in _RAW_TEXT:
                tail = text.find(">", match.end())
                in_tag = False
                raw_until = name.group(0).lower() if tail >= 0 else None
                for inner in re.finditer(r"\{\{(.*?)\}\}", text[match.end():tail]):
                    if not _ESCAPED.search(inner.group(1).strip()):
                        found.append((text.count("\n", 0, match.end() + inner.start()) + 1, inner.group(1).strip()))
        elif match.group("close"):
            in_tag = False
        elif (expr := match.group("expr")) is not None and in_tag and not _ESCAPED.search(expr.strip()):
            found.append((text.count("\n", 0, match.start()) + 1, expr.strip()))
    return found


def test_there_are_templates() -> None:
    assert len(TEMPLATES) > 15


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.relative_to(REPO / "overrides").as_posix())
def test_every_value_in_a_tag_is_escaped(template: Path) -> None:
    found = unescaped_in_tags(template.read_text(encoding="utf-8"))
    assert found == [], "\n".join(f"{template.name}:{line}: {{{{ {expr} }}}} needs | e" for line, expr in found)


@pytest.mark.parametrize(("snippet", "expected"), [
    ('<a href="{{ item.url | url }}">{{ item.text }}</a>', ["item.url | url"]),
    ('<img src="{{ image.src }}" alt="{{ image.alt | e }}">', ["image.src"]),
    ('<li {{ hidden }}>', ["hidden"]),
    ('<ol start="{{ vb.first }}"\n  class="x">', ["vb.first"]),
    ('{% if x %}<a href="{{ x | url | e }}" title="{{ t | e }}">{{ t }}</a>{% endif %}', []),
    ('<p>{{ count }}</p>{# <a href="{{ x }}"> #}', []),
    ('<script src="{{ \'a.js\' | url }}"></script>', ["'a.js' | url"]),
    ('<script type="application/ld+json">{{ vb.jsonld | safe }}</script><b title="{{ y }}">', ["y"]),
])
def test_the_scanner_finds_what_it_should(snippet: str, expected: list[str]) -> None:
    assert [expr for _, expr in unescaped_in_tags(snippet)] == expected
