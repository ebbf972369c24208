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
# The start of every page's content (overrides/main.html's <article>): the skip link's target, the
# first entry of each page's table of contents. Zensical's skip link always points at '#__skip';
# no heading's anchor (model.slugify) starts with '_'.
CONTENT_ID = "__skip"

# The folders whose pages are generated one per content file and kept out of the navigation.
GENERATED_FOLDERS = (STORIES, PRINCIPLES, METHODS)


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
    return f"feeds/{PRINCIPLES}{slug}.xml"


def src_uri(address: str) -> str:
    """The source file that MkDocs (use_directory_urls) turns into ``address``: 'a/b/' -> 'a/b.md',
    'a/' -> 'a/index.md', '' -> 'index.md'; a file address is its own source."""
    if address == "":
        return "index.md"
    if not address.endswith("/"):
        return address
    return f"{address}index.md"


def absolute(base: str, address: str) -> str:
    """``address`` under the public site address ``base``."""
    return base.rstrip("/") + "/" + address
