"""The site plan: every page and file the bank adds to a site, with its address and source.

Plain data, no MkDocs: the hook turns each ``Generated`` into a file of the build.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from . import export, facets, startguide
from .council import COUNCIL_FILE, Council
from .derive import Catalogue

STORIES_URL = "historier"
PRINCIPLES_URL = "principper"
METHODS_URL = "metoder"
COUNCIL_URL = "raadet"
EVALUATION_URL = "evaluering"
EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')


@dataclass(frozen=True)
class Generated:
    """One generated file: where it goes in the site, its content, and the file to edit for it."""

    src_uri: str
    content: str | bytes
    edit_uri: str | None = None


# Characters YAML does not allow raw (PyYAML's reader); JSON leaves them unescaped.
_NOT_YAML = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


def page(meta: dict[str, Any], body: str = "") -> str:
    """A Markdown page with ``meta`` as front matter."""
    # Front matter as JSON, which is YAML: at thousands of pages yaml.safe_dump costs seconds.
    front = json.dumps(meta, ensure_ascii=False)
    if _NOT_YAML.search(front):
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return "---\n" + front + "\n---\n\n" + body


def plan(catalogue: Catalogue, council: Council | None, site: export.Site) -> list[Generated]:
    """Every page and data file of the bank, in a stable order."""
    return [
        *_listing_pages(catalogue),
        *_content_pages(catalogue),
        *_council_pages(council),
        *_open_data(catalogue, site),
    ]


def _listing_pages(catalogue: Catalogue) -> list[Generated]:
    pages = [
        Generated(f"{STORIES_URL}/index.md",
                  page({"title": "Historier", "template": "historier.html", "videnbank_side": 1})),
        Generated(f"{STORIES_URL}/index.json", facets.index_json(catalogue)),
        Generated(f"{PRINCIPLES_URL}/index.md", page({"title": "Principper", "template": "principper.html"})),
        Generated(f"{METHODS_URL}/index.md", page({"title": "Metoder", "template": "metoder.html"})),
    ]
    for n in range(2, facets.page_count(len(catalogue.stories)) + 1):
        meta = {"title": f"Historier – side {n}", "template": "historier.html", "videnbank_side": n}
        pages.append(Generated(f"{STORIES_URL}/side/{n}.md", page(meta)))
    return pages


def _content_pages(catalogue: Catalogue) -> list[Generated]:
    pages: list[Generated] = []
    for story in catalogue.stories:
        # Material prints title and description unescaped; they are text, so escape them here.
        meta = {"title": html.escape(story.meta.title), "description": html.escape(story.meta.summary),
                "template": "historie.html", "videnbank_story": story.slug}
        pages.append(Generated(f"{STORIES_URL}/{story.slug}.md", page(meta, story.body), story.path))
    for principle in catalogue.principles:
        meta = {"title": principle.meta.name, "description": principle.meta.statement,
                "template": "princip.html", "videnbank_principle": principle.slug}
        pages.append(Generated(f"{PRINCIPLES_URL}/{principle.slug}.md", page(meta, principle.body), principle.path))
    for method in catalogue.methods:
        meta = {"title": method.meta.name, "description": method.meta.statement,
                "template": "metode.html", "videnbank_method": method.slug}
        pages.append(Generated(f"{METHODS_URL}/{method.slug}.md", page(meta, method.body), method.path))
    return pages


def _council_pages(council: Council | None) -> list[Generated]:
    pages: list[Generated] = []
    if council is not None:
        meta = {"title": council.name, "template": "raadet.html", "videnbank_council": True}
        pages.append(Generated(f"{COUNCIL_URL}/index.md", page(meta), COUNCIL_FILE))
    meta = {"title": "Evaluering", "template": "evaluering.html", "videnbank_evaluation": True}
    pages.append(Generated(f"{EVALUATION_URL}/index.md", page(meta)))
    return pages


def _open_data(catalogue: Catalogue, site: export.Site) -> list[Generated]:
    """The start guide page, the open-data files and the feeds (export.py)."""
    meta = {"title": "Startguide: principper og metoder", "template": "startguide.html"}
    files: dict[str, str | bytes] = {f"{startguide.URL}/index.md": page(meta, startguide.markdown(catalogue))}
    files |= export.files(catalogue, site)
    # Material's bundle fetches "sitemap.xml" beside the target of every <link rel="alternate"> (for
    # language versions); an empty one beside the feeds keeps that from being a 404 on every page view.
    for folder in sorted({src.rsplit("/", 1)[0] for src in files if src.endswith(".xml")}):
        files[f"{folder}/sitemap.xml"] = EMPTY_SITEMAP
    return [Generated(src, content) for src, content in files.items()]


def without_page(nav: Any, src_uri: str) -> Any:
    """``nav`` without the entries pointing at ``src_uri`` (a page this bank does not have)."""
    if not isinstance(nav, list):
        return nav
    kept: list[Any] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if value == src_uri:
            continue
        kept.append({k: without_page(v, src_uri) for k, v in item.items()} if isinstance(item, dict) else item)
    return kept
