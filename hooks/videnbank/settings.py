"""The build's settings, read before anything is built: from mkdocs.yml (MkDocs' config or the
plain dict ``config.read_config`` gives) and from the environment.

Every environment variable the bank reads is named here, and so is every check a publishing
build makes of its settings (``config_problem``). The core receives one ``Settings``; nothing
else reads the environment.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# mkdocs serve (./dev serve): drafts shown, clearly marked.
PREVIEW_ENV = "VIDENBANK_KLADDER"
# Preview of single stories (videnbank vis): only these files (os.pathsep-separated), drafts shown.
ONLY_ENV = "VIDENBANK_KUN"
# Test only (tests/test_xss_browser.py): skip the checker's HTML and link rules, to show that the
# sanitiser and the templates alone stop a script. Never set it for a real build.
UNSAFE_TEST_ENV = "VIDENBANK_USIKKER_TEST"
SITE_URL_ENV = "VIDENBANK_SITE_URL"
STATEMENT_ENV = "VIDENBANK_TILGAENGELIGHEDSERKLAERING"


@dataclass(frozen=True)
class Site:
    """Where the site lives: its name, its absolute address (ending in '/') and its reuse terms."""

    name: str
    url: str
    licence: str | None = None

    def link(self, path: str = "") -> str:
        return self.url + path


@dataclass(frozen=True)
class Settings:
    root: Path
    site: Site
    docs_dir: Path
    preview: bool = False
    only: list[Path] | None = None
    check_markup: bool = True
    repository: str | None = None
    edit_base: str | None = None  # the repository's edit address, to which a file's path is added


def _yes(value: str | None) -> bool:
    return (value or "").lower() in {"1", "ja", "true", "yes"}


def settings_from(config: Mapping[str, Any], env: Mapping[str, str]) -> Settings:
    """The core's settings from a loaded mkdocs.yml (MkDocs' config or a plain dict) and the environment."""
    root = Path(config["config_file_path"]).resolve().parent
    only = [root / p for p in env.get(ONLY_ENV, "").split(":") if p] or None
    about = Site(config["site_name"], config.get("site_url") or "/", config.get("copyright"))
    repository = str(config.get("repo_url") or "").rstrip("/") or None
    return Settings(
        root=root, site=about, docs_dir=Path(config["docs_dir"]),
        preview=_yes(env.get(PREVIEW_ENV)), only=only, check_markup=env.get(UNSAFE_TEST_ENV) != "1",
        repository=repository, edit_base=_edit_base(repository, config.get("edit_uri")),
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
