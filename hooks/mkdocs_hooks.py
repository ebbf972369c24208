"""The thin MkDocs adapter: turn the loaded bank into generated pages.

Everything about stories and principles lives in the ``videnbank`` package, which knows
nothing of MkDocs. This module only maps MkDocs events onto it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from videnbank import derive, facets
from videnbank.derive import Catalogue
from videnbank.load import load_bank
from videnbank.problems import report

log = logging.getLogger("mkdocs.plugins.videnbank")

PREVIEW_ENV = "VIDENBANK_KLADDER"
STORIES_URL = "historier"
PRINCIPLES_URL = "principper"
METHODS_URL = "metoder"


@dataclass
class _Build:
    """What one build knows; replaced at every on_config, so nothing survives a rebuild."""

    root: Path
    catalogue: Catalogue | None = None


_build: _Build | None = None


def _current() -> _Build:
    if _build is None:
        raise PluginError("videnbank: on_config has not run")
    return _build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = _Build(Path(config.config_file_path).resolve().parent)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _current()
    bank = load_bank(build.root)
    if bank.problems:
        raise PluginError(report(bank.problems))
    preview = os.environ.get(PREVIEW_ENV, "").lower() in {"1", "ja", "true", "yes"}
    catalogue = Catalogue(bank, preview=preview)
    build.catalogue = catalogue
    if catalogue.hidden:
        names = ", ".join(s.path for s in catalogue.hidden)
        state = "vises som kladder (forhåndsvisning)" if preview else "udgives ikke endnu"
        log.info("%d historie(r) %s: %s", len(catalogue.hidden), state, names)
    for file in files:
        if file.generated_by is None and file.is_documentation_page():
            file.edit_uri = f"docs/{file.src_uri}"
    for src_uri, content, edit_uri in _pages(catalogue):
        if src_uri in files.src_uris:
            raise PluginError(f"docs/{src_uri} findes allerede; videnbanken laver den side selv — slet filen")
        generated = File.generated(config, src_uri, content=content)
        generated.edit_uri = edit_uri
        files.append(generated)
    log.info(
        "videnbank: %d historier, %d principper, %d metoder",
        len(catalogue.stories), len(catalogue.principles), len(catalogue.methods),
    )
    return files


def _page(meta: dict[str, Any], body: str = "") -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def _pages(catalogue: Catalogue) -> list[tuple[str, str, str | None]]:
    pages: list[tuple[str, str, str | None]] = [
        (f"{STORIES_URL}/index.md",
         _page({"title": "Historier", "template": "historier.html", "videnbank_side": 1}), None),
        (f"{STORIES_URL}/index.json", facets.index_json(catalogue), None),
        (f"{PRINCIPLES_URL}/index.md", _page({"title": "Principper", "template": "principper.html"}), None),
    ]
    for n in range(2, facets.page_count(len(catalogue.stories)) + 1):
        meta = {"title": f"Historier – side {n}", "template": "historier.html", "videnbank_side": n,
                "search": {"exclude": True}}
        pages.append((f"{STORIES_URL}/side/{n}.md", _page(meta), None))
    for story in catalogue.stories:
        meta = {"title": story.meta.title, "description": story.meta.summary,
                "template": "historie.html", "videnbank_story": story.slug}
        pages.append((f"{STORIES_URL}/{story.slug}.md", _page(meta, story.body), story.path))
    for principle in catalogue.principles:
        meta = {"title": principle.meta.name, "description": principle.meta.statement,
                "template": "princip.html", "videnbank_principle": principle.slug}
        pages.append((f"{PRINCIPLES_URL}/{principle.slug}.md", _page(meta, principle.body), principle.path))
    pages.append((f"{METHODS_URL}/index.md", _page({"title": "Metoder", "template": "metoder.html"}), None))
    for method in catalogue.methods:
        meta = {"title": method.meta.name, "description": method.meta.statement,
                "template": "metode.html", "videnbank_method": method.slug}
        pages.append((f"{METHODS_URL}/{method.slug}.md", _page(meta, method.body), method.path))
    return pages


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.globals["videnbank"] = _current().catalogue
    env.filters["dansk_dato"] = derive.danish_date
    env.filters["periode"] = derive.period_text
    env.filters["aktoerer_efter_sektor"] = derive.actors_by_sector
    return env


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    catalogue = _current().catalogue
    if catalogue is None:
        return context
    if number := page.meta.get("videnbank_side"):
        context["listing"] = facets.listing(catalogue, number)
        context["facets"] = facets.facets(catalogue) if number == 1 else []
    if slug := page.meta.get("videnbank_story"):
        context["story"] = catalogue.story_by_slug[slug]
    if slug := page.meta.get("videnbank_principle"):
        context["principle"] = catalogue.principle_by_slug[slug]
    if slug := page.meta.get("videnbank_method"):
        context["method"] = catalogue.method_by_slug[slug]
    return context


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    root = _current().root
    for folder in ("stories", "principles", "methods"):
        if (root / folder).is_dir():
            server.watch(str(root / folder))
    return server
