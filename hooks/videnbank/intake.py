"""The secretariat's inbox: a story file received by e-mail or downloaded from the writing page,
taken into stories/ for review (``videnbank modtag FIL``).

The received file is only read, never changed or removed. It is taken in when it can be read
as a story file (text with front matter); it gets a free short name in stories/ (an existing
story is never overwritten) and ``publicering: til-gennemsyn``, whatever it said. Its problems
are then found by the same check as ``videnbank tjek``.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .limits import MAX_SLUG_CHARS
from .load import RESERVED_SLUGS
from .model import IN_REVIEW, file_slug
from .problems import Problem
from .source import Source, read_source

STORIES = "stories"
_KEY = "publicering"
_TOP_LEVEL_KEY = re.compile(rf"^{_KEY}\s*:")
_DATE_KEY = re.compile(r"^dato\s*:")
_FENCE = "---"


@dataclass
class Refused:
    """A received file that cannot be taken in: why, and what to do."""

    problems: list[Problem]
    next_step: str


@dataclass
class Received:
    """A file taken in: where it now is, and the slug it wanted if that one was taken."""

    path: Path
    wanted: str | None = None
    problems: list[Problem] = field(default_factory=list)


def receive(root: Path, file: Path) -> Received | Refused:
    """Take ``file`` into ``root/stories/`` as a story for review, or say why it cannot be."""
    stories = root / STORIES
    try:
        inside = file.resolve().is_relative_to(stories.resolve())
    except OSError:
        inside = False
    if inside:
        return Refused(
            [Problem(file.as_posix(), 1, "fil", "filen ligger allerede i stories/",
                     "modtag tager kun filer udefra ind; tjek denne med videnbank tjek")],
            "Der er ikke lavet nogen ny fil i stories/.",
        )
    src = read_source(file, file.name)
    if src.refused:
        return Refused(src.problems, "Ret det, der står ovenfor, eller bed afsenderen sende filen igen, "
                                     "og kør modtag igen.")
    try:
        text = _normalised(file.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError):  # read_source read it a moment ago; it changed since
        return Refused([Problem(file.name, 1, "fil", "filen blev ændret, mens den blev læst", "prøv igen")],
                       "Kør modtag igen.")
    # Without front matter that reads as fields there is no story to take in, and no safe place
    # to write 'publicering: til-gennemsyn'.
    original = _read(text, file.name)
    marked = _for_review(text) if original.data else None
    checked = _read(marked, file.name) if marked is not None else None
    if marked is None or checked is None or checked.data.get(_KEY) != IN_REVIEW:
        problems = original.problems or [Problem(
            file.name, 1, "front matter", "felterne øverst i filen kan ikke læses",
            "start filen med en linje '---', felterne (fx 'titel: ...') og endnu en linje '---'",
        )]
        return Refused(problems, "Ret filen, eller bed afsenderen sende den igen, og kør modtag igen.")
    title = checked.data.get("titel")
    wanted = _slug(title if isinstance(title, str) else "", file)
    target = _claim(stories, wanted, marked)
    return Received(target, wanted if target.stem != wanted else None)


def _normalised(text: str) -> str:
    """The text as the checker and git want it: no byte order mark, Unix line ends, starting at
    the front matter (a mail program may add blank lines or spaces before it), ending in a newline."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.lstrip(" \t\n")
    return text if text.endswith("\n") else text + "\n"


def _for_review(text: str) -> str | None:
    """``text`` with every top-level ``publicering:`` in its front matter set to til-gennemsyn (one
    added after ``dato:`` or at the end of the front matter when it has none); None without front matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return None
    try:
        close = next(n for n in range(1, len(lines)) if lines[n].rstrip() in {_FENCE, "..."})
    except StopIteration:
        return None
    front: list[str] = []
    replaced = False
    skipping = False
    for line in lines[1:close]:
        if skipping and line.startswith((" ", "\t")) and line.strip():
            continue  # the rest of a value written over several lines
        skipping = False
        if _TOP_LEVEL_KEY.match(line):
            front.append(f"{_KEY}: {IN_REVIEW}")
            replaced = skipping = True
            continue
        front.append(line)
    if not replaced:
        after = next((n + 1 for n, line in enumerate(front) if _DATE_KEY.match(line)), len(front))
        front.insert(after, f"{_KEY}: {IN_REVIEW}")
    return "\n".join([lines[0], *front, *lines[close:]])


def _read(text: str, name: str) -> Source:
    """``text`` read as a content file is read (front matter, limits), problems named by ``name``."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "modtaget.md"
        copy.write_text(text, encoding="utf-8")
        return read_source(copy, name)


def _slug(title: str, file: Path) -> str:
    slug = file_slug(title) or file_slug(file.stem) or "historie"
    if slug in RESERVED_SLUGS[STORIES]:
        slug = f"{slug}-historie"
    return slug


def _claim(stories: Path, wanted: str, text: str) -> Path:
    """Write ``text`` to the first free ``stories/<slug>.md``: ``wanted``, else ``wanted-2``, ``-3``, ...
    A short name used anywhere under stories/ counts as taken; the file is created exclusively,
    so not even a file made a moment ago is overwritten."""
    stories.mkdir(parents=True, exist_ok=True)
    taken = {p.stem for p in stories.rglob("*.md")} | {p.stem for p in stories.rglob("*.markdown")}
    number = 1
    while True:
        suffix = "" if number == 1 else f"-{number}"
        slug = wanted[: MAX_SLUG_CHARS - len(suffix)].rstrip("-") + suffix
        target = stories / f"{slug}.md"
        if slug not in taken:
            try:
                with target.open("x", encoding="utf-8", newline="\n") as out:
                    out.write(text)
            except FileExistsError:
                pass
            else:
                return target
        number += 1
