"""What every engine's build shares after the pages are made: the finish on the built pages
(search index, security policy). Settings are read before the build, in ``settings``.

The MkDocs hook feeds each page to a ``Finisher`` as it is written; for ProperDocs and Zensical,
``finish_site`` does the same over the finished folder.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import functools
import gc
import hashlib
import re
from pathlib import Path

from . import searchindex, urls
from .settings import Settings
from .site import SEARCH_EXCLUDE
from .words import plural


class BuildError(Exception):
    """The build cannot finish (message in Danish)."""


# --- the security policy -------------------------------------------------------------------------

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'{hashes}"
)


def policy(html: str) -> str:
    """The page's Content-Security-Policy: only the site's own files, and the page's own inline
    scripts by their hashes."""
    hashes: list[str] = []
    for match in _SCRIPT.finditer(html):
        if (token := _script_hash(match.group("attrs"), match.group("body"))) and token not in hashes:
            hashes.append(token)
    return _policy(tuple(hashes))


@functools.lru_cache(maxsize=1024)
def _script_hash(attrs: str, body: str) -> str | None:
    """The CSP hash of one inline script, or None for a script from a file or not JavaScript.
    Cached: Material's inline scripts are the same on every page, so thousands of pages hash a few."""
    kind = (m.group(1).lower() if (m := _TYPE.search(attrs)) else "")
    if _SRC.search(attrs) or kind not in _JS_TYPES:
        return None
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


@functools.lru_cache(maxsize=256)
def _policy(hashes: tuple[str, ...]) -> str:
    return POLICY.format(hashes="".join(" " + h for h in hashes))


def with_policy(html: str) -> str:
    """``html`` with its policy as the first element of <head>."""
    head = _HEAD.search(html)
    if head is None:
        return html
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return html[:head.end()] + tag + html[head.end():]


# --- the finish ----------------------------------------------------------------------------------

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=\"([^\"]*)\"", re.IGNORECASE)
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL | re.IGNORECASE)


def searchable(html: str) -> str:
    """What Pagefind needs of a page: its language, its title and the element marked
    ``data-pagefind-body`` (the <article>), without the theme's header, navigation and footer.
    The index is the same as from the whole page; Pagefind parses about a fifth of the bytes."""
    marker = html.find("data-pagefind-body")
    start = html.rfind("<article", 0, marker)
    end = html.rfind("</article>")
    if marker < 0 or start < 0 or end < marker:
        return html
    lang = m.group(1) if (m := _HTML_LANG.search(html, 0, 2000)) else ""
    title = m.group(0) if (m := _TITLE.search(html, 0, marker)) else ""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{title}</head><body>'
            f"{html[start:end + len('</article>')]}</body></html>")


class Finisher:
    """Takes each built page (its address and HTML), returns it with its policy, and feeds the
    pages meant for search to Pagefind; ``finish`` writes the index."""

    def __init__(self, settings: Settings, *, policy: bool = True) -> None:
        self.policy = policy  # off in mkdocs serve, whose live-reload script is added after the policy
        self.search: searchindex.Indexer | None = None
        if settings.only:
            return
        try:
            self.search = searchindex.Indexer(SEARCH_EXCLUDE)
        except searchindex.SearchIndexError as e:
            raise BuildError(f"videnbank: søgningen kan ikke bygges: {e}") from None

    def page(self, address: str, html: str) -> str:
        if self.search is not None and "data-pagefind-body" in html:
            self.search.add(address, searchable(html))
        return with_policy(html) if self.policy else html

    def finish(self, site_dir: Path) -> list[str]:
        search, self.search = self.search, None
        if search is None:
            return ["forhåndsvisning af enkelte historier: søgningen bygges ikke"]
        release_memory()  # Pagefind's index build is the peak of the whole build: give it room
        try:
            pages = search.finish(site_dir / urls.SEARCH.rstrip("/"))
        except searchindex.SearchIndexError as e:
            raise BuildError(f"videnbank: søgningen kunne ikke bygges: {e}") from None
        used = ""
        if search.cpu_seconds is not None and search.peak_mb is not None:
            used = f" (Pagefind brugte {search.cpu_seconds:.1f} s CPU og højst {search.peak_mb:.0f} MB)"
        return [f"søgeindeks (Pagefind) over {plural(pages, 'side', 'sider')}{used}"]

    def close(self) -> None:
        if self.search is not None:
            self.search.close()
            self.search = None


def release_memory() -> None:
    """Collect what the build no longer holds and give freed memory back to the system (glibc's
    malloc_trim), so this process and Pagefind's index build are not both at their peak."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def finish_site(site_dir: Path, settings: Settings) -> list[str]:
    """The finish for an engine without hooks: every HTML page in the built folder."""
    finisher = Finisher(settings)
    try:
        for file in sorted(site_dir.rglob("*.html")):
            relative = file.relative_to(site_dir).as_posix()
            if relative.startswith(urls.SEARCH):
                continue
            address = "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)
            text = file.read_text(encoding="utf-8")
            file.write_text(finisher.page(address, text), encoding="utf-8")
        return finisher.finish(site_dir)
    finally:
        finisher.close()
