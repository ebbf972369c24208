"""The hand-written pages in docs/: loaded and checked like every other content file.

They pass the same markup rules as stories (no raw HTML, no script links, no attributes in
``{...}``); the secretariat's pages may use what Markdown offers beyond that (admonitions,
tables, classes such as ``{ .md-button }``). Files that are not Markdown (images, downloads) are
copied as they are; a symbolic link anywhere in docs/ is refused, as in the other content folders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import safety
from .load import SYMLINK_PROBLEM
from .problems import Problem, choose_from
from .source import read_source

PAGE_TEMPLATE = "side.html"
TEMPLATES = {
    PAGE_TEMPLATE: "en almindelig side",
    "forside.html": "forsiden med principperne og de nyeste historier",
    "data.html": "siden om åbne data med tabellerne over felter og filer",
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
        out.files.append(DocFile(src_uri, file))
        if file.suffix != ".md":
            continue
        page = _load_page(out, file, src_uri, display, check_markup)
        if page is not None:
            out.pages.append(page)
    return out


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
                   tuple(hide))


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
