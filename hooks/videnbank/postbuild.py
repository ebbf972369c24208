"""What every engine's build shares: settings from mkdocs.yml and the environment, the checks a
publishing build makes of them, and the finish on the built pages (search index, security policy).

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
import ipaddress
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import export, searchindex, site, urls
from .council import COUNCIL_FILE
from .views import plural

PREVIEW_ENV = "VIDENBANK_KLADDER"
# Preview of single stories (videnbank vis): only these files (os.pathsep-separated), drafts shown.
ONLY_ENV = "VIDENBANK_KUN"
# Test only (tests/test_xss_browser.py): skip the checker's HTML and link rules, to show that the
# sanitiser and the templates alone stop a script. Never set it for a real build.
UNSAFE_TEST_ENV = "VIDENBANK_USIKKER_TEST"
SITE_URL_ENV = "VIDENBANK_SITE_URL"
STATEMENT_ENV = "VIDENBANK_TILGAENGELIGHEDSERKLAERING"
SECRETARIAT_EMAIL_ENV = "VIDENBANK_SEKRETARIAT_EMAIL"
WATCHED = ("stories", "principles", "methods", COUNCIL_FILE)


class BuildError(Exception):
    """The build cannot finish (message in Danish)."""


def _yes(value: str | None) -> bool:
    return (value or "").lower() in {"1", "ja", "true", "yes"}


def settings_from(config: Mapping[str, Any], env: Mapping[str, str]) -> site.Settings:
    """The core's settings from a loaded mkdocs.yml (MkDocs' config or a plain dict) and the environment."""
    root = Path(config["config_file_path"]).resolve().parent
    only = [root / p for p in env.get(ONLY_ENV, "").split(":") if p] or None
    about = export.Site(config["site_name"], config.get("site_url") or "/", config.get("copyright"))
    repository = str(config.get("repo_url") or "").rstrip("/") or None
    return site.Settings(
        root=root, site=about, docs_dir=Path(config["docs_dir"]),
        preview=_yes(env.get(PREVIEW_ENV)), only=only, check_markup=env.get(UNSAFE_TEST_ENV) != "1",
        repository=repository, edit_base=_edit_base(repository, config.get("edit_uri")),
        secretariat_email=env.get(SECRETARIAT_EMAIL_ENV) or (config.get("extra") or {}).get("sekretariat_email"),
    )


def _edit_base(repository: str | None, edit_uri: str | None) -> str | None:
    """``edit_uri`` as an absolute address ending in '/', relative to the repository as MkDocs reads it."""
    if not edit_uri:
        return None
    if urlsplit(edit_uri).scheme:
        return edit_uri.rstrip("/") + "/"
    return f"{repository}/{edit_uri.strip('/')}/" if repository else None


def _is_local(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host in {"localhost", ""} or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_private or address.is_link_local


def config_problem(config: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """A publishing build (strict, not a preview) must say where the site lives and where its
    accessibility statement is; anything else would put a wrong address on every page."""
    if not config.get("strict") or _yes(env.get(PREVIEW_ENV)) or env.get(ONLY_ENV):
        return None
    problems = []
    url = config.get("site_url") or ""
    if not url or _is_local(url):
        shown = f"'{url}' er en lokal adresse" if url else "er ikke sat"
        problems.append(
            f"Sitets offentlige adresse {shown}, så links, feeds og sitemap ville pege forkert. "
            f"Sæt den før det offentlige byg: {SITE_URL_ENV}=https://videnbank.kommune.dk/ ./dev build "
            "(eller site_url i mkdocs.yml)."
        )
    statement = (config.get("extra") or {}).get("tilgaengelighedserklaering") or ""
    if not statement or not statement.startswith("https://") or _is_local(statement):
        problems.append(
            "Adressen på tilgængelighedserklæringen mangler. Lav erklæringen i Digitaliseringsstyrelsens "
            f"WAS-tool og sæt dens adresse: {STATEMENT_ENV}=https://www.was.digst.dk/<jeres-erklæring> "
            "(eller extra.tilgaengelighedserklaering i mkdocs.yml)."
        )
    return "\n".join(problems) or None


def summary(plan: site.Plan, settings: site.Settings) -> Iterator[str]:
    catalogue = plan.catalogue
    if catalogue is None:
        return
    if settings.only:
        for story in catalogue.stories:
            yield f"forhåndsvisning: {urls.absolute(settings.site.url, urls.story(story.slug))}"
    if catalogue.hidden:
        state = "vises som kladder (forhåndsvisning)" if catalogue.preview else "udgives ikke endnu"
        yield f"{plural(len(catalogue.hidden), 'historie', 'historier')} {state}: " + ", ".join(
            s.path for s in catalogue.hidden)
    yield from plan.notices
    yield (f"{plural(len(catalogue.stories), 'historie', 'historier')}, "
           f"{plural(len(catalogue.principles), 'princip', 'principper')}, "
           f"{plural(len(catalogue.methods), 'metode', 'metoder')}, {plural(len(plan.pages), 'side', 'sider')}")


def watched(root: Path) -> list[Path]:
    return [root / name for name in WATCHED if (root / name).exists()]


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

    def __init__(self, settings: site.Settings, *, policy: bool = True) -> None:
        self.policy = policy  # off in mkdocs serve, whose live-reload script is added after the policy
        self.search: searchindex.Indexer | None = None
        if settings.only:
            return
        try:
            self.search = searchindex.Indexer(site.SEARCH_EXCLUDE)
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


def finish_site(site_dir: Path, settings: site.Settings) -> list[str]:
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
