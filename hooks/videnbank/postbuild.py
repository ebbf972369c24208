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
import json
import re
import shutil
import tempfile
import threading
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


SEARCH_PART_PAGES = 8000
"""Pages in one part of the search index. Pagefind's memory peaks while it builds an index, at
about 100 KB a page; so a bank of many pages is indexed in parts of at most this many, each built
(in the background) as soon as it is full, and merged again in the reader's browser (search.js,
Pagefind's mergeIndex). Up to this many pages there is one index, as before."""


class Finisher:
    """Takes each built page (its address and HTML), returns it with its policy, and feeds the
    pages meant for search to Pagefind; ``finish`` writes the index."""

    def __init__(
        self, settings: Settings, plan: Plan | None = None, *, policy: bool = True, memo: Memo | None = None,
        part_pages: int = SEARCH_PART_PAGES,
    ) -> None:
        # The plan's sitemap, written over the engine's own (not for a preview of problems).
        self.sitemap = sitemap(plan, settings) if plan is not None and plan.catalogue is not None else None
        search = memo is None or memo.searching  # a rebuild of the preview keeps the first build's search
        # Off in mkdocs serve, whose live-reload script is added after the page is made: the
        # preview server sends the policy as a header instead (preview.py).
        self.policy = csp.Policy.for_build(settings.root / csp.OVERRIDES) if policy else None
        self.search: searchindex.Indexer | None = None
        self.part_pages = part_pages
        self._parts: list[_Part] = []  # full parts, built in the background
        self.without = ("forhåndsvisning af enkelte historier: søgningen bygges ikke" if settings.only else
                        "genopbygning af forhåndsvisningen: søgningen er den fra første byg (rebuild.py)")
        if settings.only or not search:
            return
        self.search = _indexer()

    def page(self, address: str, html: str) -> str:
        if self.search is not None and "data-pagefind-body" in html:
            if self.search.pages >= self.part_pages:
                for part in self._parts:  # one part's index built at a time: that is when Pagefind's memory peaks
                    part.built()
                self._parts.append(_Part(self.search))
                self.search = _indexer()
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
        folder = site_dir / urls.SEARCH.rstrip("/")
        try:
            pages = search.finish(folder)
            indexers = [search]
            names = []
            for n, part in enumerate(self._parts, start=2):
                pages += part.wait()
                indexers.append(part.indexer)
                target = site_dir / urls.search_part(n).rstrip("/")
                shutil.move(part.folder, target)
                names.append(urls.search_part(n)[len(urls.SEARCH):])
            (site_dir / urls.SEARCH_PARTS).write_text(json.dumps(names), encoding="utf-8")
        except searchindex.SearchIndexError as e:
            raise BuildError(f"videnbank: søgningen kunne ikke bygges: {e}") from None
        finally:
            self._close_parts()
        used = ""
        cpu = [i.cpu_seconds for i in indexers if i.cpu_seconds is not None]
        peak = [i.peak_mb for i in indexers if i.peak_mb is not None]
        if cpu and peak:
            used = f" (Pagefind brugte {sum(cpu):.1f} s CPU og højst {max(peak):.0f} MB)"
        parts = f" i {len(indexers)} dele" if len(indexers) > 1 else ""
        return [f"søgeindeks (Pagefind) over {plural(pages, 'side', 'sider')}{parts}{used}"]

    def close(self) -> None:
        if self.search is not None:
            self.search.close()
            self.search = None
        self._close_parts()

    def _close_parts(self) -> None:
        for part in self._parts:
            part.close()
        self._parts = []


def _indexer() -> searchindex.Indexer:
    try:
        return searchindex.Indexer(SEARCH_EXCLUDE)
    except searchindex.SearchIndexError as e:
        raise BuildError(f"videnbank: søgningen kan ikke bygges: {e}") from None


class _Part:
    """A full part of the search index, built and written to a temporary folder in the background."""

    def __init__(self, indexer: searchindex.Indexer) -> None:
        self.indexer = indexer
        self._tmp = tempfile.TemporaryDirectory(prefix="videnbank-soeg-")
        self.folder = Path(self._tmp.name) / "del"
        self._pages = 0
        self._error: searchindex.SearchIndexError | None = None
        self._thread = threading.Thread(target=self._build, name="pagefind-part", daemon=True)
        self._thread.start()

    def _build(self) -> None:
        try:
            self._pages = self.indexer.finish(self.folder)
        except searchindex.SearchIndexError as e:
            self._error = e

    def built(self) -> None:
        """Wait until the part's index is written (or its build failed: ``wait`` says so)."""
        self._thread.join()

    def wait(self) -> int:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._pages

    def close(self) -> None:
        self.indexer.close()
        self._thread.join()
        self._tmp.cleanup()


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
