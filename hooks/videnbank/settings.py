"""The build's settings, read before anything is built: from mkdocs.yml (MkDocs' config or the
plain dict ``config.read_config`` gives) and from the environment.

Every environment variable the bank reads is named here, and so is every check a publishing
build makes of its settings (``config_problem``). The core receives one ``Settings``; nothing
else reads the environment.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import urls

# mkdocs serve (./dev serve): drafts shown, clearly marked.
PREVIEW_ENV = "VIDENBANK_KLADDER"
# Preview of single stories (videnbank vis): only these files (os.pathsep-separated), drafts shown.
ONLY_ENV = "VIDENBANK_KUN"
# Test only (tests/test_xss_browser.py): skip the checker's HTML and link rules, to show that the
# sanitiser and the templates alone stop a script. Never set it for a real build.
UNSAFE_TEST_ENV = "VIDENBANK_USIKKER_TEST"
SITE_URL_ENV = "VIDENBANK_SITE_URL"
STATEMENT_ENV = "VIDENBANK_TILGAENGELIGHEDSERKLAERING"
# Who stands behind the site (footer, /om/): the publisher's name and the secretariat's e-mail
# address (also where the writing page, /bidrag/skriv/, mails a story to). Or extra.udgiver / extra.sekretariat_email.
PUBLISHER_ENV = "VIDENBANK_UDGIVER"
SECRETARIAT_EMAIL_ENV = "VIDENBANK_SEKRETARIAT_EMAIL"
# The repository's address (edit links, the issue form, the pull-request guide); in GitHub Actions
# it comes from GITHUB_SERVER_URL and GITHUB_REPOSITORY by itself. Or repo_url in mkdocs.yml.
REPO_URL_ENV = "VIDENBANK_REPO_URL"
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[a-z]{2,}$", re.IGNORECASE)


@dataclass(frozen=True)
class Licence:
    """The standard licence texts and open data are published under (extra.licens in mkdocs.yml)."""

    name: str
    url: str


@dataclass(frozen=True)
class Site:
    """Where the site lives: its name, its absolute address (ending in '/') and its reuse terms."""

    name: str
    url: str
    licence: Licence | None = None

    def link(self, path: str = "") -> str:
        """``path`` (an address of the site) as an absolute address."""
        return urls.absolute(self.url, path)


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
    publisher: str | None = None
    secretariat_email: str | None = None


def _yes(value: str | None) -> bool:
    return (value or "").lower() in {"1", "ja", "true", "yes"}


def settings_from(config: Mapping[str, Any], env: Mapping[str, str]) -> Settings:
    """The core's settings from a loaded mkdocs.yml (MkDocs' config or a plain dict) and the environment."""
    root = Path(config["config_file_path"]).resolve().parent
    only = [root / p for p in env.get(ONLY_ENV, "").split(":") if p] or None
    extra = config.get("extra") or {}
    about = Site(config["site_name"], urls.site_root(config.get("site_url") or ""), licence(extra.get("licens")))
    repository = repository_url(config, env)
    return Settings(
        root=root, site=about, docs_dir=Path(config["docs_dir"]),
        preview=_yes(env.get(PREVIEW_ENV)), only=only, check_markup=env.get(UNSAFE_TEST_ENV) != "1",
        repository=repository, edit_base=_edit_base(repository, config.get("edit_uri")),
        publisher=_text(env.get(PUBLISHER_ENV) or extra.get("udgiver")),
        secretariat_email=_text(env.get(SECRETARIAT_EMAIL_ENV) or extra.get("sekretariat_email")),
    )


def _text(value: Any) -> str | None:
    return " ".join(str(value).split()) or None if value else None


def licence(value: Any) -> Licence | None:
    """extra.licens: ``{navn: CC BY 4.0, url: https://creativecommons.org/licenses/by/4.0/deed.da}``."""
    if not isinstance(value, Mapping) or not value.get("navn") or not value.get("url"):
        return None
    return Licence(str(value["navn"]).strip(), str(value["url"]).strip())


def repository_url(config: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """The repository's address: VIDENBANK_REPO_URL, else GitHub Actions' own, else repo_url."""
    github = (f"{env['GITHUB_SERVER_URL'].rstrip('/')}/{env['GITHUB_REPOSITORY'].strip('/')}"
              if env.get("GITHUB_SERVER_URL") and env.get("GITHUB_REPOSITORY") else None)
    return str(env.get(REPO_URL_ENV) or github or config.get("repo_url") or "").strip().rstrip("/") or None


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
    problems += _who_problems(config, env)
    return "\n".join(problems) or None


def _who_problems(config: Mapping[str, Any], env: Mapping[str, str]) -> list[str]:
    """A public site says who publishes it, how to reach them, under which licence, and where its
    source is (issue 16)."""
    settings = settings_from(config, env)
    problems = []
    if not settings.publisher:
        problems.append(
            "Udgiveren er ikke sat: sitet skal sige, hvem der står bag. Sæt navnet før det offentlige byg: "
            f"{PUBLISHER_ENV}='Sekretariatet for Samskabelsesrådet' (eller extra.udgiver i mkdocs.yml)."
        )
    email = settings.secretariat_email or ""
    if not _EMAIL.match(email):
        shown = f"'{email}' er ikke en e-mailadresse" if email else "er ikke sat"
        problems.append(
            f"Sekretariatets e-mailadresse {shown}: læserne skal kunne kontakte redaktionen, og "
            f"skrivesiden sender historier dertil. Sæt den: {SECRETARIAT_EMAIL_ENV}=videnbank@kommune.dk "
            "(eller extra.sekretariat_email i mkdocs.yml)."
        )
    repository = settings.repository or ""
    if not repository.startswith("https://") or _is_local(repository):
        shown = f"'{repository}' er ikke en https-adresse" if repository else "er ikke sat"
        problems.append(
            f"Adressen på videnbankens repository {shown}: links til formularen, til vejledningen og "
            f"til at rette en side laves ud fra den. Sæt den: {REPO_URL_ENV}=https://github.com/<organisation>/"
            "<repository> (i GitHub Actions sættes den selv ud fra GITHUB_SERVER_URL og GITHUB_REPOSITORY; "
            "eller repo_url i mkdocs.yml)."
        )
    if settings.site.licence is None:
        problems.append(
            "Licensen for tekster og åbne data mangler: sæt extra.licens i mkdocs.yml med navn og url, "
            "fx navn: CC BY 4.0 og url: https://creativecommons.org/licenses/by/4.0/deed.da."
        )
    return problems
