"""The hand-written pages in docs/: loaded and checked like every other content file.

They pass the same markup rules as stories (no raw HTML, no script links, no attributes in
``{...}``); the secretariat's pages may use what Markdown offers beyond that (admonitions,
tables, buttons). Besides pages, docs/ holds only images and PDF files, checked for their type
and size (``FILE_KINDS``), and no file takes an address the bank makes itself (``urls.reserved``);
a symbolic link anywhere in docs/ is refused, as in the other content folders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import safety, urls
from .load import SYMLINK_PROBLEM
from .problems import Problem, choose_from
from .render import address_of
from .source import read_source

PAGE_TEMPLATE = "side.html"
TEMPLATES = {
    PAGE_TEMPLATE: "en almindelig side",
    "forside.html": "forsiden med principperne og de nyeste historier",
    "data.html": "siden om åbne data med tabellerne over felter og filer",
    "om.html": "siden om videnbanken med udgiver, kontakt, licens og repository",
}
FIELDS = ("title", "description", "template", "hide")
HIDE = ("navigation", "toc", "footer", "path", "tags")
# In docs/bidrag.md: what follows this line is for people who write stories as files with git (the
# field table, the limits). It goes into CONTRIBUTING.md, not on the public page, which links there.
GUIDE_ONLY = "<!-- videnbank:kun-i-vejledningen -->"
# In docs/bidrag.md: where the field table from the story schema goes (schema.render_guide).
GUIDE_MARKER = "<!-- videnbank:felttabel -->"
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


@dataclass(frozen=True)
class DocPage:
    src_uri: str
    path: str
    title: str
    body: str
    template: str = PAGE_TEMPLATE
    description: str = ""
    hide: tuple[str, ...] = ()
    body_line: int = 1  # the file's line where the body starts


@dataclass(frozen=True)
class DocFile:
    src_uri: str
    path: Path


@dataclass
class Docs:
    pages: list[DocPage] = field(default_factory=list)
    files: list[DocFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_docs(docs_dir: Path, root: Path, *, check_markup: bool = True) -> Docs:
    out = Docs()
    if not docs_dir.is_dir():
        return out
    for file in sorted(docs_dir.rglob("*")):
        src_uri = file.relative_to(docs_dir).as_posix()
        if any(part.startswith(".") for part in src_uri.split("/")):
            continue
        display = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.as_posix()
        if file.is_symlink():  # it would publish whatever it points at, also outside the repository
            out.problems.append(Problem(display, 1, "fil", *SYMLINK_PROBLEM))
            continue
        if not file.is_file():
            continue
        if not _allowed_file(out, file, src_uri, display):
            continue
        out.files.append(DocFile(src_uri, file))
        if file.suffix != ".md":
            continue
        page = _load_page(out, file, src_uri, display, check_markup)
        if page is not None:
            out.pages.append(page)
    return out


MAX_PDF_BYTES = 10 * 1024 * 1024
"""The largest PDF in docs/ (10 MB): a report to download, not a book."""
FILE_KINDS: dict[str, tuple[str, tuple[bytes, ...], int]] = {
    **{suffix: (label, magics, safety.MAX_IMAGE_BYTES) for suffix, (label, magics) in safety.IMAGE_TYPES.items()},
    ".pdf": ("PDF", (b"%PDF-",), MAX_PDF_BYTES),
}
"""The files besides Markdown pages a site owner may publish from docs/: images and PDF, each
checked for its type (its first bytes) and size. Not SVG, HTML, JavaScript, CSS, JSON or XML:
they can carry a script, or replace what the bank makes."""
_KINDS_FIX = ("docs/ må kun indeholde sider i Markdown (.md), billeder (JPEG, PNG, WebP, GIF, AVIF) og PDF-filer; "
              "skriv indholdet som en side i Markdown, eller fjern filen")
RESERVED_WHAT = {
    urls.STORIES: "historierne", urls.PRINCIPLES: "principperne", urls.METHODS: "metoderne",
    urls.COUNCIL: "rådets side", urls.EVALUATION: "evalueringen", urls.STARTGUIDE: "startguiden",
    urls.DATA: "de åbne data", urls.FEEDS: "feeds", urls.ASSETS: "sitets scripts og stilark",
    urls.SEARCH: "søgningen", "search/": "søgningen", "search.json": "søgningen", urls.NOT_FOUND: "siden 'ikke fundet'",
    "sitemap.xml": "sitemap", "sitemap.xml.gz": "sitemap",
}


def _allowed_file(out: Docs, file: Path, src_uri: str, display: str) -> bool:
    """A file in docs/ is a Markdown page or an image or PDF of its declared type and within its
    size, and takes no address the bank makes itself; else a problem naming the file."""
    def refuse(what: str, fix: str) -> bool:
        out.problems.append(Problem(display, 1, "fil", what, fix))
        return False

    address = address_of(src_uri)
    if (found := safety.deceptive_character(src_uri, invisible=True) or safety.address_problem(src_uri)) is not None:
        return refuse(f"filnavnet indeholder {found}", "giv filen et navn med bogstaver, tal og -, fx rapport-2024.pdf")
    if (taken := urls.reserved(address)) is not None:
        shown = "forsiden" if address == "" else f"/{address}"
        return refuse(f"filen ville få adressen {shown}, som videnbanken selv bruger til {RESERVED_WHAT[taken]}",
                      "giv filen et andet navn, eller læg den i en anden mappe i docs/")
    if file.suffix == ".md":
        return True
    kind = FILE_KINDS.get(file.suffix.lower())
    if kind is None or file.suffix != file.suffix.lower():
        shown = f"'{file.suffix}'" if file.suffix else "uden endelse"
        return refuse(f"en fil med endelsen {shown} må ikke ligge i docs/", _KINDS_FIX)
    label, magics, limit = kind
    try:
        size = file.stat().st_size
        with file.open("rb") as f:
            head = f.read(16)
    except OSError as e:
        return refuse(f"filen kan ikke læses ({e.strerror or type(e).__name__})", "gem filen igen")
    if size > limit:
        return refuse(f"filen fylder {safety.megabytes(size)} MB; højst {safety.megabytes(limit)} MB er tilladt",
                      "gør filen mindre, fx et billede 1600 punkter bredt, eller en PDF med mindre billeder")
    if not any(head.startswith(m) or head[4:].startswith(m) for m in magics):
        return refuse(f"filen er ikke en {label}-fil, selv om den hedder {file.suffix}",
                      f"gem filen igen som {label}, eller giv den den endelse, der passer til indholdet")
    return True


def _load_page(out: Docs, file: Path, src_uri: str, display: str, check_markup: bool) -> DocPage | None:
    src = read_source(file, display, front_matter_optional=True)
    checked_body = src.body.replace(GUIDE_MARKER, "").replace(GUIDE_ONLY, "")
    body = src.body.split(GUIDE_ONLY, 1)[0]
    if check_markup:
        src.body = checked_body
        safety.check_front_matter_markup(src)
        safety.check_body_markup(src, local_images=True)
        src.body = body
    for key in src.data:
        if key not in FIELDS:
            src.problem((key,), str(key), f"ukendt felt '{key}'", "brug kun " + ", ".join(FIELDS))
    template = src.data.get("template", PAGE_TEMPLATE)
    if template not in TEMPLATES:
        src.problem(("template",), "template", f"skabelonen '{template}' findes ikke", choose_from(template, TEMPLATES))
    hide = src.data.get("hide") or []
    if not isinstance(hide, list) or not all(h in HIDE for h in hide):
        src.problem(("hide",), "hide", "skal være en liste med nogle af: " + ", ".join(HIDE), "ret listen")
        hide = []
    title = src.data.get("title")
    if title is None and (heading := _H1.search(body)):
        title = heading.group(1)
    description = src.data.get("description", "")
    for name, value in (("title", title), ("description", description)):
        if value is not None and not isinstance(value, str):
            src.problem((name,), name, "skal være tekst", "skriv en tekst efter kolon")
    out.problems.extend(src.problems)
    if src.problems:
        return None
    return DocPage(src_uri, display, str(title or file.stem), body, str(template), str(description or ""),
                   tuple(hide), src.body_line)


def repository_links(repository: str | None) -> str:
    """Markdown link definitions the pages in docs/ (and CONTRIBUTING.md) may use, made from the one
    repository setting (``repo_url``): ``[Indsend en historie][formular]``, ``[...][pull-request]``,
    ``[...][repository]``."""
    if not repository:
        return ""
    return "\n".join([
        "",
        f"[formular]: {repository}/issues/new?template=historie.yml",
        f"[pull-request]: {repository}/blob/main/CONTRIBUTING.md#skriv-historien-som-en-fil",
        f"[repository]: {repository}",
        "",
    ])


def write_link(address: str) -> str:
    """The link definition ``[skriv]`` for the writing page "Skriv en historie", which docs/bidrag.md
    (and so CONTRIBUTING.md) points to: relative on the site, absolute in CONTRIBUTING.md."""
    return f"\n[skriv]: {address}\n"
