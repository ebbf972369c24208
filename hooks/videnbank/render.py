"""Markdown to HTML for every page of the site, in one place, with one sanitiser.

Stories, principles, methods, the start guide and the hand-written pages in ``docs/`` are all
rendered here, never by the engine (MkDocs, ProperDocs or Zensical), so what a reader gets does
not depend on which of them wraps the page. Relative links to other Markdown files
(``../x/index.md``) become addresses relative to the page, as MkDocs would make them;
every result passes ``safety.sanitize_html``.
"""

from __future__ import annotations

import html
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .contentrules import ClothesExtension
from .model import slugify
from .safety import sanitize_html

EXTENSIONS = ["tables", "fenced_code", "attr_list", "admonition", "sane_lists"]
PERMALINK_TITLE = "Link til dette afsnit"


def address_of(src_uri: str) -> str:
    """The address MkDocs (use_directory_urls) gives a source file: 'a/b.md' -> 'a/b/',
    'a/index.md' -> 'a/', 'index.md' -> ''; any other file keeps its path."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    if stem.lower() == "readme" or stem.lower().endswith("/readme"):
        return stem[: -len("readme")]
    return stem + "/"


def relative(address: str, from_address: str) -> str:
    """``address`` (site-relative) as a link from the page at ``from_address``."""
    base = from_address if from_address.endswith("/") or not from_address else posixpath.dirname(from_address) + "/"
    rel = posixpath.relpath("/" + address, "/" + base)
    if address.endswith("/") and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel


@dataclass(frozen=True)
class Heading:
    """A section of a page for its table of contents: level 2-6, its anchor and its plain text."""

    level: int
    id: str
    title: str


@dataclass
class Rendered:
    html: str
    broken_links: list[str] = field(default_factory=list)
    # Every site file a relative link was looked up as, and whether the site has it: the only way the
    # result depends on anything but the text and the page's address (what a cache must compare).
    lookups: tuple[tuple[str, bool], ...] = ()
    headings: list[Heading] = field(default_factory=list)  # the sections, h1 left out


def _headings(tokens: list[dict[str, Any]]) -> Iterator[Heading]:
    for token in tokens:
        if token["level"] > 1:
            yield Heading(token["level"], token["id"], html.unescape(token["name"]))
        yield from _headings(token["children"])


class _Links(Treeprocessor):
    """Turn relative links to Markdown files into addresses, relative to the page; note the ones
    that point at nothing the site has."""

    def __init__(self, md: markdown.Markdown, state: _State) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            attr = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            if attr is None or not (target := element.get(attr)):
                continue
            element.set(attr, self.state.resolve(target))


@dataclass
class _State:
    src_uri: str = "index.md"
    known: Container[str] = ()
    broken: list[str] = field(default_factory=list)
    lookups: list[tuple[str, bool]] = field(default_factory=list)

    def resolve(self, target: str) -> str:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith(("/", "#", "?")) or not parts.path:
            return target
        source = posixpath.normpath(posixpath.join(posixpath.dirname(self.src_uri), parts.path))
        self.lookups.append((source, source in self.known))
        if source not in self.known:
            if parts.path.endswith(".md") or target.startswith(("./", "../")):
                self.broken.append(target)  # meant for a page or file here; others are not links to us
            return target
        link = relative(address_of(source), address_of(self.src_uri))
        return link + (f"#{parts.fragment}" if parts.fragment else "")


class _LinkExtension(Extension):
    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Links(md, self.state), "videnbank_links", 1)


class Renderer:
    """One Markdown instance for a whole build (creating one costs more than rendering a page)."""

    def __init__(self, known: Container[str] = ()) -> None:
        self.state = _State(known=known)
        self._md = markdown.Markdown(
            extensions=[
                *EXTENSIONS,
                _LinkExtension(self.state),
                ClothesExtension(),
                "toc",
            ],
            extension_configs={"toc": {"permalink": "#", "permalink_title": PERMALINK_TITLE, "slugify": slugify}},
        )

    def render(self, text: str, src_uri: str) -> Rendered:
        self.state.src_uri = src_uri
        self.state.broken = []
        self.state.lookups = []
        self._md.reset()
        body = sanitize_html(self._md.convert(text))
        return Rendered(body, self.state.broken, tuple(self.state.lookups),
                        list(_headings(getattr(self._md, "toc_tokens", []))))
