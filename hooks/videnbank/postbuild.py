"""What every engine's build shares after the pages are made: the finish on the built pages
(search index, security policy, sitemap). Settings are read before the build, in ``settings``.

The MkDocs hook feeds each page to a ``Finisher`` as it is written; for ProperDocs and Zensical,
``finish_site`` does the same over the finished folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import gzip
import re
from pathlib import Path

from . import csp, searchindex, urls
from .rebuild import Memo
from .settings import Settings
from .site import SEARCH_EXCLUDE, Plan, sitemap
from .words import plural


class BuildError(Exception):
    """The build cannot finish (message in Danish)."""


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

    def __init__(
        self, settings: Settings, plan: Plan | None = None, *, policy: bool = True, memo: Memo | None = None
    ) -> None:
        # The plan's sitemap, written over the engine's own (not for a preview of problems).
        self.sitemap = sitemap(plan, settings) if plan is not None and plan.catalogue is not None else None
        search = memo is None or memo.searching  # a rebuild of the preview keeps the first build's search
        # Off in mkdocs serve, whose live-reload script is added after the page is made: the
        # preview server sends the policy as a header instead (preview.py).
        self.policy = csp.Policy.for_build(settings.root / csp.OVERRIDES) if policy else None
        self.search: searchindex.Indexer | None = None
        self.without = ("forhåndsvisning af enkelte historier: søgningen bygges ikke" if settings.only else
                        "genopbygning af forhåndsvisningen: søgningen er den fra første byg (rebuild.py)")
        if settings.only or not search:
            return
        try:
            self.search = searchindex.Indexer(SEARCH_EXCLUDE)
        except searchindex.SearchIndexError as e:
            raise BuildError(f"videnbank: søgningen kan ikke bygges: {e}") from None

    def page(self, address: str, html: str) -> str:
        if self.search is not None and "data-pagefind-body" in html:
            self.search.add(address, searchable(html))
        return self.policy.with_policy(html, address) if self.policy else html

    def finish(self, site_dir: Path) -> list[str]:
        if self.policy is not None and (problem := self.policy.problem()):
            self.close()
            raise BuildError(problem)
        if self.sitemap is not None:
            write_sitemap(site_dir, self.sitemap)
        search, self.search = self.search, None
        if search is None:
            return [self.without]
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


def write_sitemap(site_dir: Path, text: str) -> None:
    """sitemap.xml and sitemap.xml.gz (no time in the gzip header: the same bytes every build)."""
    data = text.encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(data)
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(data, mtime=0))


def finish_site(site_dir: Path, settings: Settings, plan: Plan | None = None) -> list[str]:
    """The finish for an engine without hooks: every HTML page in the built folder."""
    finisher = Finisher(settings, plan)
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
