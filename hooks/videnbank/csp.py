"""The security policy (Content-Security-Policy) of every page: only the site's own files, and
only the inline scripts that the theme and our templates write.

The policy never trusts a script because it is found on the finished page: that is exactly where
an injected one would be. The known scripts are read at build start from the templates the engines
use (Material's, Zensical's, ours in overrides/): every ``<script>`` without ``src`` in them,
with each ``{{ … }}`` in it standing for an address (the page's relative path to the site root,
which is all Material puts there). An inline script on a page that is none of them is not trusted,
and the build stops naming the page (``Policy.unknown``).

The preview servers (``./dev serve``, ``videnbank vis``) send the same policy as a header
(preview.py), with one more known script: MkDocs' live-reload call.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'{hashes}"
)
OVERRIDES = "overrides"
"""Our templates (mkdocs.yml: theme.custom_dir): their inline scripts are known too."""
THEMES = ("material", "zensical")
"""The packages whose ``templates`` folder holds a theme the bank builds with (MkDocs and
ProperDocs use Material's, Zensical its own copy)."""
_LIVE_RELOAD_SOURCE = re.compile(r'^_SCRIPT_TEMPLATE_STR = """(.*?)"""', re.DOTALL | re.MULTILINE)


def live_reload_script() -> re.Pattern[str] | None:
    """The one inline script ``mkdocs serve`` adds to every page it serves, read from MkDocs'
    source (mkdocs/livereload/__init__.py, a string.Template) without importing it: its two
    numbers (the build's time and the request's) match any digits."""
    spec = importlib.util.find_spec("mkdocs")
    for location in (spec.submodule_search_locations or []) if spec else []:
        source = Path(location) / "livereload" / "__init__.py"
        if source.is_file() and (match := _LIVE_RELOAD_SOURCE.search(source.read_text(encoding="utf-8"))):
            parts = re.split(r"\$\{\w+\}", match.group(1))
            return re.compile(r"\d+".join(re.escape(p) for p in parts), re.DOTALL)
    return None

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
# What an expression in a known script may print: a path on this site (Material's base_url, "../.."
# or "/"), never a quote, a scheme or another host.
_ADDRESS = r"(?!//)[A-Za-z0-9._~/-]*"
# The redirects plugin's page and the analytics integrations: the bank uses neither (no tracking).
_NOT_OURS = ("redirect.html", "analytics")


def template_folders(overrides: Path | None = None) -> list[Path]:
    """The template folders of the installed themes, and ours."""
    folders = []
    for package in THEMES:
        spec = importlib.util.find_spec(package)
        for location in (spec.submodule_search_locations or []) if spec else []:
            if (Path(location) / "templates").is_dir():
                folders.append(Path(location) / "templates")
    if overrides is not None and overrides.is_dir():
        folders.append(overrides)
    return folders


def known_scripts(folders: Iterable[Path]) -> tuple[re.Pattern[str], ...]:
    """A pattern for each inline script in the templates under ``folders``; a template's
    ``{{ … }}`` matches an address. Scripts with ``{% … %}`` in them are not known."""
    patterns: dict[str, None] = {}
    for folder in folders:
        for template in sorted(folder.rglob("*.html")):
            if any(name in template.relative_to(folder).as_posix() for name in _NOT_OURS):
                continue
            for attrs, body in _inline_scripts(template.read_text(encoding="utf-8")):
                if _runs(attrs) and "{%" not in body and "{#" not in body:
                    parts = _EXPRESSION.split(body)
                    patterns["".join(p if i == 0 else _ADDRESS + p for i, p in
                                     enumerate(re.escape(part) for part in parts))] = None
    return tuple(re.compile(p, re.DOTALL) for p in patterns)


def _known_for(folders: tuple[Path, ...]) -> tuple[re.Pattern[str], ...]:
    """known_scripts, kept while no template under ``folders`` changes: a template edited while
    ``./dev serve`` runs is read again at the next rebuild."""
    stamp = tuple((t, t.stat().st_mtime_ns, t.stat().st_size) for f in folders for t in sorted(f.rglob("*.html")))
    return _known_for_stamp(folders, stamp)


@functools.lru_cache(maxsize=4)
def _known_for_stamp(
    folders: tuple[Path, ...], stamp: tuple[tuple[Path, int, int], ...]
) -> tuple[re.Pattern[str], ...]:
    return known_scripts(folders)


def _inline_scripts(html: str) -> Iterator[tuple[str, str]]:
    for match in _SCRIPT.finditer(html):
        if not _SRC.search(match.group("attrs")):
            yield match.group("attrs"), match.group("body")


def _runs(attrs: str) -> bool:
    """Whether a script with these attributes is JavaScript (a JSON block is data, not a script)."""
    kind = m.group(1).lower() if (m := _TYPE.search(attrs)) else ""
    return kind in _JS_TYPES


@functools.lru_cache(maxsize=1024)
def _hash(body: str) -> str:
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


@functools.lru_cache(maxsize=256)
def _policy(hashes: tuple[str, ...]) -> str:
    return POLICY.format(hashes="".join(" " + h for h in hashes))


@dataclass
class Policy:
    """The policy maker of one build: the known scripts, and the pages found with another one."""

    known: tuple[re.Pattern[str], ...]
    unknown: list[tuple[str, str]] = field(default_factory=list)
    """(page address, the start of the script) of every inline script that is not known."""

    @classmethod
    def for_build(cls, overrides: Path | None = None, *, serving: bool = False) -> Policy:
        known = _known_for(tuple(template_folders(overrides)))
        live = live_reload_script() if serving else None
        return cls(known + ((live,) if live else ()))

    def is_known(self, body: str) -> bool:
        return _is_known(self.known, body)

    def policy(self, html: str, address: str = "") -> str:
        """The page's policy: the hashes of its known inline scripts; any other is noted."""
        hashes: list[str] = []
        for attrs, body in _inline_scripts(html):
            if not _runs(attrs):
                continue
            if not self.is_known(body):
                self.unknown.append((address, " ".join(body.split())[:60]))
                continue
            if (token := _hash(body)) not in hashes:
                hashes.append(token)
        return _policy(tuple(hashes))

    def with_policy(self, html: str, address: str = "") -> str:
        """``html`` with its policy as the first element of <head>."""
        head = _HEAD.search(html)
        if head is None:
            return html
        tag = f'<meta http-equiv="Content-Security-Policy" content="{self.policy(html, address)}">'
        return html[:head.end()] + tag + html[head.end():]

    def problem(self) -> str | None:
        """The Danish message for the pages with an unknown inline script, or None."""
        if not self.unknown:
            return None
        lines = [f"  {address or '/'}: <script>{start}…" for address, start in self.unknown[:20]]
        more = f"\n  … og {len(self.unknown) - 20} til" if len(self.unknown) > 20 else ""
        return ("videnbank: et indlejret script, som hverken temaet eller skabelonerne i overrides/ skriver, "
                "står på siden (det får ingen plads i sikkerhedspolitikken, og byggeriet stopper):\n"
                + "\n".join(lines) + more
                + "\nFjern det fra skabelonen eller indholdet; et script skal ligge som fil i overrides/assets/.")


@functools.lru_cache(maxsize=4096)
def _is_known(known: tuple[re.Pattern[str], ...], body: str) -> bool:
    """Cached: the theme's scripts are the same on thousands of pages."""
    return any(p.fullmatch(body) for p in known)
