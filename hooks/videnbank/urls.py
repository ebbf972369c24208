"""The address scheme of the site, in one place.

Every address is relative to the site root and ends in '/' for a page ("historier/x/"); templates
print them with Material's ``url`` filter, the filter script reads them from its JSON index, and
the generated files are placed at ``src_uri(address)``. Nothing else spells these folders.
"""

from __future__ import annotations

STORIES = "historier/"
PRINCIPLES = "principper/"
METHODS = "metoder/"
COUNCIL = "raadet/"
EVALUATION = "evaluering/"
STARTGUIDE = "startguide/"
HOME = ""
STORIES_INDEX = "historier/index.json"
DATA_JSON = "data/historier.json"
DATA_SCHEMA = "data/historier.schema.json"
DATA_CSV = "data/historier.csv"
SITE_FEED = "feeds/historier.xml"
SEARCH = "pagefind/"
CONTRIBUTE = "bidrag/"
WRITE = "bidrag/skriv/"
ISSUE_TEMPLATE = "historie.yml"
# The search index in parts (postbuild.Finisher): the first part is SEARCH, the others are listed here,
# relative to SEARCH, for search.js to merge (Pagefind's mergeIndex).
SEARCH_PARTS = "pagefind/vb-dele.json"


def search_part(n: int) -> str:
    """Part ``n`` (2, 3, ...) of the search index, inside the first part's folder."""
    return f"{SEARCH}del-{n}/"


DATA = "data/"
FEEDS = "feeds/"
ASSETS = "assets/"  # the theme's and our scripts, styles and icons (overrides/assets)
NOT_FOUND = "404.html"
# The start of every page's content (overrides/main.html's <article>): the skip link's target, the
# first entry of each page's table of contents. Zensical's skip link always points at '#__skip';
# no heading's anchor (model.slugify) starts with '_'.
CONTENT_ID = "__skip"


def story(slug: str) -> str:
    return f"{STORIES}{slug}/"


def story_file(slug: str, name: str) -> str:
    """A file shown on a story's page (an image), placed beside the page."""
    return f"{STORIES}{slug}/{name}"


def stories_page(number: int) -> str:
    """Page ``number`` (from 1) of the static overview."""
    return STORIES if number == 1 else f"{STORIES}side/{number}/"


def stories_filtered(key: str, value: str) -> str:
    """The overview with one filter set, e.g. ``?princip=x``."""
    return f"{STORIES}?{key}={value}"


def principle(slug: str, number: int = 1) -> str:
    return f"{PRINCIPLES}{slug}/" if number == 1 else f"{PRINCIPLES}{slug}/side/{number}/"


def method(slug: str, number: int = 1) -> str:
    return f"{METHODS}{slug}/" if number == 1 else f"{METHODS}{slug}/side/{number}/"


def principle_feed(slug: str) -> str:
    return f"{FEEDS}{PRINCIPLES}{slug}.xml"


# Addresses the bank and the engines make themselves: no file in docs/ may take one, or it would
# replace a page, the open data, a feed, a script or the search (docs.check_address).
RESERVED_FOLDERS = (STORIES, PRINCIPLES, METHODS, COUNCIL, EVALUATION, STARTGUIDE, DATA, FEEDS, ASSETS, SEARCH,
                    WRITE, "search/")
RESERVED_FILES = (NOT_FOUND, "sitemap.xml", "sitemap.xml.gz", "search.json")
HAND_WRITTEN = (DATA,)
"""Reserved folders whose own page (and only that) is a hand-written page in docs/ (docs/data.md)."""


def reserved(address: str) -> str | None:
    """The reserved folder or file ``address`` (a file's address on the site) falls in, or None."""
    if address in RESERVED_FILES:
        return address
    if address in HAND_WRITTEN:
        return None
    return next((folder for folder in RESERVED_FOLDERS if address.startswith(folder)), None)


def issue_form(repository: str) -> str:
    """The repository's new-issue address with the form 'Indsend en historie' chosen; the writing
    page adds ``&title=…&<field id>=…`` to fill it in."""
    return f"{repository.rstrip('/')}/issues/new?template={ISSUE_TEMPLATE}"


def src_uri(address: str) -> str:
    """The source file that MkDocs (use_directory_urls) turns into ``address``: 'a/b/' -> 'a/b.md',
    'a/' -> 'a/index.md', '' -> 'index.md'; a file address is its own source."""
    if address == "":
        return "index.md"
    if not address.endswith("/"):
        return address
    return f"{address}index.md"


def site_root(url: str) -> str:
    """The public site address as every join expects it: ending in one '/' ('https://x.dk' and
    'https://x.dk/' both give 'https://x.dk/'; no address gives '/')."""
    return url.rstrip("/") + "/"


def absolute(base: str, address: str) -> str:
    """``address`` under the public site address ``base``, with or without its trailing '/': the
    one place an absolute address is joined (open data, feeds, JSON-LD, the sitemap)."""
    return site_root(base) + address


_LINK_SCHEMES = ("https:", "mailto:")
_NOT_IN_A_LINK = frozenset("\"'<>`\\{}|^")


def safe_link(target: str | None) -> str | None:
    """``target`` if a page may put it into an ``href`` or ``src``, else None.

    The one rule for every address printed into an attribute: an ``https:`` or ``mailto:``
    address, or an address on this site (no scheme, not ``//host``); never whitespace, control
    characters, quotes, angle brackets or backslashes (a browser drops some of them and then reads
    a different address). Templates still escape what they print; this decides what is a link.
    """
    if not target or any(c.isspace() or not c.isprintable() or c in _NOT_IN_A_LINK for c in target):
        return None
    lowered = target.lower()
    if lowered.startswith(_LINK_SCHEMES):
        return target
    head = target.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if target.startswith("//") or ":" in head:
        return None  # another scheme (http:, javascript:, data:) or another host
    return target
