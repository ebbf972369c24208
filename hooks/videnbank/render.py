"""Markdown to HTML for every page of the site, in one place, with one sanitiser.

Stories, principles, methods, the start guide and the hand-written pages in ``docs/`` are all
rendered here, never by the engine (MkDocs, ProperDocs or Zensical), so what a reader gets does
not depend on which of them wraps the page. Relative links to other Markdown files
(``../x/index.md``) become addresses relative to the page, as MkDocs would make them;
every result passes ``sanitize_html``, which keeps only what plain Markdown makes. The checker
(safety.py) audits this same rendering before sanitising, and the open data's plain-text
summaries (export.py) come from it too: one Markdown configuration for all of them.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import contentrules, parallel
from .slugs import slugify

# The one Python-Markdown configuration: pages, the checker's rendered pass (safety) and the open
# data's plain-text summaries (export) all render with it (Renderer: these, the site's links, the
# content rules' clothes, then the table of contents with permalinks).
EXTENSIONS = ["tables", "fenced_code", "attr_list", "admonition", "sane_lists"]
PERMALINK_TITLE = "Link til dette afsnit"
# Heading anchors use the one Danish transliteration of slugs (model.slugify: æ → ae, ø → oe, å → aa).
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"permalink": "#", "permalink_title": PERMALINK_TITLE, "slugify": slugify}
}

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# What the site's Markdown (EXTENSIONS) produces; nothing else
# survives sanitising. No script, style, iframe, object, embed, form, svg or math.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"align", "style"},
    "td": {"align", "style"},
    "abbr": set(),
}
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite"})
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


# --- the sanitiser and its audit --------------------------------------------------------------


def unsafe_scheme(target: str) -> str | None:
    """The scheme of a link target if it is not http, https, mailto or tel, as a browser reads it."""
    text = _INVISIBLE.sub("", html.unescape(target)).lower()
    match = SCHEME.match(text)
    if match and match.group(1) not in SAFE_SCHEMES:
        return match.group(1)
    return None


class _Audit(HTMLParser):
    """Collects the first thing in rendered HTML that the sanitiser would remove."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def _note(self, what: str) -> None:
        self.found = self.found or what

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._note(f"elementet <{tag}>")
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self._note(f"attributten {name} på <{tag}>")
            if name in _URL_ATTRIBUTES and value and (scheme := unsafe_scheme(value)):
                self._note(f"en {scheme}:-adresse på <{tag}>")

    def handle_comment(self, data: str) -> None:
        self._note("en HTML-kommentar")

    def handle_pi(self, data: str) -> None:
        self._note("en HTML-instruktion")

    def unknown_decl(self, data: str) -> None:
        self._note("en HTML-erklæring")

    def handle_decl(self, decl: str) -> None:
        self._note("en HTML-erklæring")


def html_problem(fragment: str) -> str | None:
    """The first thing in an HTML fragment that ``sanitize_html`` would remove, if any."""
    audit = _Audit()
    audit.feed(fragment)
    audit.close()
    return audit.found


def sanitize_html(fragment: str) -> str:
    """Remove everything from rendered HTML that plain Markdown does not make: scripts, event
    attributes, styles (but table alignment), frames, forms, and non-web link targets."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
        attribute_filter=contentrules.attribute_filter,
    )


# --- Markdown to HTML ---------------------------------------------------------------------------


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


def line_of(text: str, needle: str) -> int:
    """The line (from 1) of ``text`` where ``needle`` first appears; 1 if it does not."""
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def broken(target: str, src_uri: str, known: Container[str]) -> bool:
    """Whether the link ``target`` on the page made from ``src_uri`` is meant for a page or file of
    the site that is not in ``known`` (what ``Renderer.render`` reports as a broken link)."""
    state = _State(src_uri, known)
    state.resolve(target)
    return bool(state.broken)


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
        try:
            parts = urlsplit(target)
        except ValueError:  # not an address urllib can read ('https://x.dk [a'): no page of ours either
            return target
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
    """The site's Markdown: one instance for a whole build (creating one costs more than rendering
    a page), with the one configuration (``EXTENSIONS``), the link rewriting, the content rules'
    clothes (contentrules.py) and the table of contents.

    ``defuse=False`` leaves out only the clothes, which quietly make a breach of the content rules
    harmless (a ``javascript:`` link loses its address): the checker audits that rendering, so it
    can name the breach instead."""

    def __init__(self, known: Container[str] = (), *, defuse: bool = True) -> None:
        self.state = _State(known=known)
        clothes = [contentrules.ClothesExtension()] if defuse else []
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, _LinkExtension(self.state), *clothes, "toc"],
            extension_configs=EXTENSION_CONFIGS,
        )

    def unsanitised(self, text: str, src_uri: str = "index.md") -> str:
        """The HTML Markdown makes of ``text`` before sanitising (with ``defuse=False``: what the checker audits)."""
        self.state.src_uri = src_uri
        self.state.broken = []
        self.state.lookups = []
        self._md.reset()
        return self._md.convert(text)

    def render(self, text: str, src_uri: str) -> Rendered:
        page = sanitize_html(self.unsanitised(text, src_uri))
        return Rendered(page, self.state.broken, tuple(self.state.lookups),
                        list(_headings(getattr(self._md, "toc_tokens", []))))

    def render_all(self, pages: Sequence[tuple[str, str]]) -> list[Rendered]:
        """``render(text, src_uri)`` of each page, in order; a long list on both cores (parallel.py)."""
        parts = parallel.in_halves(pages, lambda part: [self.render(text, src) for text, src in part])
        return [rendered for part in parts for rendered in part]
