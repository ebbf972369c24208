"""The shape issue 10 asks for, checked on the source: one module owns the addresses, templates
lay out data, and the MkDocs hook is a thin shell."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

ADDRESS = re.compile(r"\b(historier|principper|metoder)/")
HOOK = REPO / "hooks" / "mkdocs_hooks.py"


def _sources() -> list[Path]:
    python = [p for p in (REPO / "hooks").rglob("*.py") if p.name != "urls.py"]
    return python + sorted((REPO / "overrides").rglob("*.html")) + sorted((REPO / "overrides").rglob("*.js"))


def test_only_the_address_module_spells_the_address_scheme() -> None:
    found = [f"{p.relative_to(REPO)}:{n}: {line.strip()}"
             for p in _sources() for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if ADDRESS.search(line)]
    assert found == []


def test_templates_call_nothing_in_the_core() -> None:
    calls = re.compile(r"\b(videnbank|aabne_data|council|evaluation|catalogue)\.|\b\w+\.\w+\(")
    allowed = {"lang.t(", "super("}
    found = []
    for p in sorted((REPO / "overrides").rglob("*.html")):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            hits = [m.group(0) for m in calls.finditer(line) if m.group(0) not in allowed]
            found += [f"{p.relative_to(REPO)}:{n}: {h}" for h in hits]
    assert found == []


def test_the_hook_is_a_thin_shell() -> None:
    text = HOOK.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 120
    assert "page.meta.get(" not in text and "videnbank_" not in text  # no marker keys looked up again
    assert "def on_env" not in text  # nothing handed to templates behind the pages' backs
