"""Load and check the whole bank: every problem in every file is collected, none is raised."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from . import parallel, safety
from .limits import MAX_SLUG_CHARS
from .model import (
    DRAFT,
    PUBLICATION,
    SLUG_RE,
    Actor,
    Contact,
    Image,
    Link,
    Method,
    Period,
    Principle,
    PrincipleRef,
    Results,
    Story,
    slugify,
)
from .problems import Problem, did_you_mean
from .source import Loc, Source, field_path, read_source
from .validation import translate

M = TypeVar("M", bound=BaseModel)

STORY_SECTIONS = ("Udfordringen", "Det gjorde vi", "Det kom der ud af", "Det lærte vi")
REQUIRED_SECTIONS = STORY_SECTIONS[:2]
_HEADING_START = re.compile(r"(#{1,6})[ \t]+")
# The mark `videnbank ny` puts on every value a contributor still has to write. A draft may keep it
# (so a new file passes the checker and the live preview keeps running); anything else may not.
TODO = "UDFYLD"
# Caught in any form a contributor may leave it: lower case, without its colon, inside a word
# boundary ("udfyld", "Udfyld her", "UDFYLD (vælg)"), but not Danish words that merely start
# with it ("udfylde", "udfyldt").
TODO_MARK = re.compile(rf"(?<![^\W_]){TODO}(?![^\W_])", re.IGNORECASE)
_TODO_FIELD = re.compile(r"^\s*(?:-\s+)?([^\s:#][^:#]*):")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Entry(Generic[M]):
    """One content file: its slug, where it came from, its checked front matter and its body."""

    slug: str
    path: str
    meta: M
    body: str
    body_line: int = 1  # the file's line where the body starts
    links: tuple[tuple[str, int], ...] = ()  # links to the site's own pages, with their file lines (Source.links)


@dataclass
class Bank:
    root: Path
    principles: list[Entry[Principle]] = field(default_factory=list)
    methods: list[Entry[Method]] = field(default_factory=list)
    stories: list[Entry[Story]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    check_markup: bool = True


def load_bank(
    root: Path, only: list[Path] | None = None, *, check_markup: bool = True, memo: StoryMemo | None = None
) -> Bank:
    """Load principles/, methods/ and stories/ under ``root``.

    ``only`` limits the story files that are read (the vocabularies are always read).
    ``check_markup=False`` skips the HTML and link rules of safety.py (the build's test mode only).
    ``memo`` (a preview server's, kept between rebuilds) gives back each story file whose inputs are
    unchanged as it was loaded before: same bytes, vocabularies, image files and rules.
    """
    bank = Bank(root, check_markup=check_markup)
    bank.principles = _load_all(bank, "principles", Principle, {})
    bank.methods = _load_all(bank, "methods", Method, {})
    _check_principle_numbers(bank)
    context = {
        "principles": {p.slug: p.meta.name for p in bank.principles},
        "methods": {m.slug: m.meta.name for m in bank.methods},
    }
    if only is not None:
        files = [f for f in only if not _only_file_problem(bank, f)]
    else:
        files = _story_files(bank, root / "stories")
    duplicates = _check_duplicate_slugs(bank, files)
    if memo is None:
        stories = [s for s in _load_stories(bank, files, context) if s]
    else:
        stories = [s for f in files if (s := memo.load(bank, f, context))]
    stories = [s for s in stories if s.path not in duplicates]
    bank.stories = sorted(stories, key=lambda s: (s.meta.added, s.slug), reverse=True)
    if not (root / "principles").is_dir() or not bank.principles:
        bank.problems.append(Problem(
            "principles/", 1, "principper", "der er ingen principper",
            "læg mindst én fil principles/<kortnavn>.md med nummer, navn og kort",
        ))
    return bank


def _load_stories(bank: Bank, files: list[Path], context: dict[str, Any]) -> list[Entry[Story] | None]:
    """Each file's entry (None where it has problems), in the order of ``files``; their problems added
    to ``bank`` in that order too. A long list on both cores (parallel.py)."""
    found: list[Entry[Story] | None] = []
    for entries, problems, checked in parallel.in_halves(
        files, lambda part: _load_part(bank.root, bank.check_markup, part, context)
    ):
        found += entries
        bank.problems += problems
        bank.files_checked += checked
    return found


def _load_part(
    root: Path, check_markup: bool, files: Sequence[Path], context: dict[str, Any]
) -> tuple[list[Entry[Story] | None], list[Problem], int]:
    """The entries, problems and count of loading ``files``."""
    part = Bank(root, check_markup=check_markup)
    return [_load_one(part, f, Story, context, _check_story_body) for f in files], part.problems, part.files_checked


RESERVED_SLUGS: dict[str, frozenset[str]] = {
    "stories": frozenset({"index", "side"}),
    "principles": frozenset({"index"}),
    "methods": frozenset({"index"}),
}
"""Short names a content file may not have: its page would collide with the folder's overview or
the overview's numbered pages (urls.stories_page)."""

_IGNORED = frozenset({"readme.md"})


class StoryMemo:
    """Loaded story files keyed by their inputs, for a preview server that rebuilds on every save:
    the file's path and bytes, the vocabularies it is checked against, the rules (check_markup)
    and the size and time of change of each image it uses. What loading found (the entry and its
    problems) comes back for the same inputs; anything else is loaded afresh."""

    def __init__(self) -> None:
        # by file: (the key of its inputs, its entry, its problems, its images with their signatures)
        self._found: dict[str, tuple[str, Entry[Story] | None, list[Problem], list[tuple[Path, Any]]]] = {}
        self.hits = 0

    def load(self, bank: Bank, file: Path, context: dict[str, Any]) -> Entry[Story] | None:
        try:
            data = file.read_bytes()
        except OSError:
            return _load_one(bank, file, Story, context, _check_story_body)  # it reports what it cannot read
        vocabulary = repr(sorted(context["principles"].items())) + repr(sorted(context["methods"].items()))
        digest = hashlib.sha256(data)
        digest.update(f"\0{vocabulary}\0{bank.check_markup}\0{bank.root}".encode())
        key = digest.hexdigest()
        found = self._found.get(str(file))
        if found is not None and found[0] == key and all(_signature(path) == seen for path, seen in found[3]):
            self.hits += 1
            bank.files_checked += 1
            bank.problems.extend(found[2])
            return found[1]
        before = len(bank.problems)
        entry = _load_one(bank, file, Story, context, _check_story_body)
        problems = bank.problems[before:]
        if entry is not None:
            images = [safety.image_source(file, image.file) for image in entry.meta.images]
        elif b"billeder" in data:
            return None  # which images it uses is not known: load it again next time
        else:
            images = []
        self._found[str(file)] = (key, entry, list(problems), [(path, _signature(path)) for path in images])
        return entry


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _story_files(bank: Bank, folder: Path) -> list[Path]:
    return _content_files(bank, folder, recursive=True)


def _content_files(bank: Bank, folder: Path, *, recursive: bool) -> list[Path]:
    """The ``*.md`` files of a content folder, sorted. Anything a contributor may have meant as content
    but that cannot be read as such is a problem naming the path: a symbolic link (refused: GitHub
    shows a link, not the text that would be published), a folder or other non-file with a ``.md``
    name, or an extension in upper case. README.md is ignored, and so are hidden names (``.x``)."""
    if not folder.is_dir() or folder.is_symlink():
        if folder.is_symlink():
            _file_problem(bank, folder, *SYMLINK_PROBLEM)
        return []
    found: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            _file_problem(bank, current, "mappen kan ikke læses", "giv læseadgang til mappen")
            continue
        for entry in entries:
            name = entry.name
            path = Path(entry.path)
            if name.startswith(".") or name.lower() in _IGNORED:
                continue
            suffix = path.suffix
            is_md = suffix.lower() in {".md", ".markdown"}
            if entry.is_symlink():
                if is_md or entry.is_dir():
                    _file_problem(bank, path, *SYMLINK_PROBLEM)
                continue
            if entry.is_dir(follow_symlinks=False):
                if is_md:
                    _file_problem(
                        bank, path, "er en mappe, ikke en fil",
                        "omdøb mappen, så navnet ikke ender på .md, eller læg historien i en fil med det navn",
                    )
                elif recursive:
                    pending.append(path)
                continue
            if not is_md:
                continue
            if suffix != ".md":
                _file_problem(
                    bank, path, f"filendelsen '{suffix}' bliver ikke læst",
                    f"omdøb filen til '{path.stem}.md' (endelsen .md med små bogstaver)",
                )
                continue
            found.append(path)
    return sorted(found)


SYMLINK_PROBLEM = (
    "er et symbolsk link; links bliver ikke læst",
    "læg selve filen i mappen i stedet for et link",
)


def _file_problem(bank: Bank, path: Path, what: str, fix: str) -> None:
    bank.problems.append(Problem(_display_path(bank.root, path), 1, "fil", what, fix))


def _only_file_problem(bank: Bank, file: Path) -> bool:
    """A file named on the command line that is a link or a folder: a problem (True), like in a listing."""
    if file.is_symlink():
        _file_problem(bank, file, *SYMLINK_PROBLEM)
        return True
    return False


def _load_all(bank: Bank, folder: str, model: type[M], context: dict[str, Any]) -> list[Entry[M]]:
    files = _content_files(bank, bank.root / folder, recursive=False)
    return [e for f in files if (e := _load_one(bank, f, model, context, _check_plain_body))]


def _load_one(
    bank: Bank, file: Path, model: type[M], context: dict[str, Any], check_body: Any
) -> Entry[M] | None:
    bank.files_checked += 1
    display = _display_path(bank.root, file)
    src = read_source(file, display)
    slug = file.stem
    _check_slug(src, file, model)
    if src.refused:
        bank.problems.extend(src.problems)
        return None
    entry: Entry[M] | None = None
    if src.data or not src.problems:
        try:
            meta = model.model_validate(src.data, context=context)
        except ValidationError as e:
            for err in e.errors():
                _translate(src, err)
        else:
            entry = Entry(slug, display, meta, src.body)
        check_body(src)
        if model is Story:
            if _publication(src, entry) not in {DRAFT, None}:
                _check_todo(src, file)
            stories = bank.root / "stories"
            inside = file.is_relative_to(stories) or file.resolve().is_relative_to(_resolved(stories))
            base = stories if inside else file.parent
            safety.check_story(src, file, base, check_markup=bank.check_markup)
        elif bank.check_markup:
            safety.check_front_matter_markup(src)
            safety.check_body_markup(src)
        else:
            safety.check_body_limits(src)
    bank.problems.extend(src.problems)
    if entry is None or src.problems:
        return None
    return dataclasses.replace(entry, body_line=src.body_line, links=tuple(src.links))


def _publication(src: Source, entry: Entry[Any] | None) -> str | None:
    """The story's publication state: from the checked front matter, or, when other fields have
    problems, as written (so UDFYLD is reported together with them, not after they are fixed)."""
    if entry is not None:
        return str(getattr(entry.meta, "publication", DRAFT))
    written = src.data.get("publicering") if isinstance(src.data, dict) else None
    state = slugify(written) if isinstance(written, str) else None
    return state if state in PUBLICATION else None


def _check_slug(src: Source, file: Path, model: type[BaseModel]) -> None:
    slug = file.stem
    folder = {Story: "stories", Principle: "principles", Method: "methods"}.get(model, "")
    if not SLUG_RE.match(slug):
        suggestion = slugify(slug)[:MAX_SLUG_CHARS].strip("-") or "min-historie"
        src.problem(
            (), "filnavn", f"'{_short_name(file.name)}' er ikke et gyldigt kortnavn",
            f"omdøb filen til '{_short_name(suggestion)}.md' (små bogstaver, tal og bindestreger)",
        )
    elif len(slug) > MAX_SLUG_CHARS:
        src.problem(
            (), "filnavn", f"kortnavnet er {len(slug)} tegn langt (højst {MAX_SLUG_CHARS})",
            "giv filen et kortere navn; kortnavnet bliver sidens adresse",
        )
    elif slug in RESERVED_SLUGS.get(folder, ()):
        src.problem(
            (), "filnavn", f"kortnavnet '{slug}' er reserveret til oversigten",
            "giv filen et andet navn, der siger, hvad den handler om",
        )


def _short_name(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "..."


@functools.lru_cache(maxsize=64)
def _resolved(folder: Path) -> Path:
    """A folder's real path, once: resolving costs system calls, and this runs for each of thousands of files."""
    return folder.resolve()


def _display_path(root: Path, file: Path) -> str:
    if file.is_relative_to(root):  # the usual case (files found under root): no file system call
        return file.relative_to(root).as_posix()
    try:
        return file.resolve().relative_to(_resolved(root)).as_posix()
    except ValueError:
        return file.as_posix()


def _check_duplicate_slugs(bank: Bank, files: list[Path]) -> set[str]:
    first: dict[str, Path] = {}
    duplicates: set[str] = set()
    for file in files:
        stem = file.stem
        if (earlier := first.setdefault(stem, file)) is not file:
            display = _display_path(bank.root, file)
            bank.problems.append(Problem(
                display, 1, "filnavn", f"kortnavnet '{stem}' bruges også af {_display_path(bank.root, earlier)}",
                "giv en af filerne et andet navn; kortnavnet bliver historiens adresse",
            ))
            duplicates.add(display)
    return duplicates


def _check_principle_numbers(bank: Bank) -> None:
    seen: dict[int, str] = {}
    for p in bank.principles:
        if p.meta.number in seen:
            bank.problems.append(Problem(
                p.path, 2, "nummer", f"nummer {p.meta.number} bruges også af {seen[p.meta.number]}",
                "giv hvert princip sit eget nummer",
            ))
        seen.setdefault(p.meta.number, p.path)
    bank.principles.sort(key=lambda p: (p.meta.number, p.slug))


def todo_count(path: Path) -> int:
    """How many lines of the file at ``path`` are still marked UDFYLD (0 for a file that cannot be read)."""
    try:
        return len(todo_lines(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return 0


def todo_lines(text: str) -> list[tuple[int, str]]:
    """The lines still marked UDFYLD, as (line, field); comment lines do not count."""
    found: list[tuple[int, str]] = []
    in_front = False
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "---":
            in_front = n == 1
            continue
        if not TODO_MARK.search(line) or line.lstrip().startswith("#"):
            continue
        key = _TODO_FIELD.match(line) if in_front else None
        found.append((n, key.group(1).strip() if key else "tekst"))
    return found


def _check_todo(src: Source, file: Path) -> None:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    # The deepest field that starts on a line names it: aktører[1].navn rather than navn.
    at_line: dict[int, Loc] = {}
    for loc, n in src.lines.items():
        if len(loc) >= len(at_line.get(n, ())):
            at_line[n] = loc
    for line, name in todo_lines(text):
        place = at_line.get(line)
        src.problems.append(Problem(
            src.path, line, field_path(place) if place else name,
            f"'{TODO}' står her stadig, men historien er ikke en kladde",
            f"skriv det rigtige i stedet for '{TODO}' (og fjern ordet), eller sæt publicering: kladde",
        ))


def _check_plain_body(src: Source) -> None:
    if not src.body.strip():
        src.problems.append(Problem(
            src.path, src.body_line, "tekst", "teksten under front matter er tom",
            "skriv forklaringen under den sidste linje '---'",
        ))


def _check_story_body(src: Source) -> None:
    if not src.body.strip():
        src.problems.append(Problem(
            src.path, src.body_line, "tekst", "historien har ingen tekst",
            "skriv afsnittene " + ", ".join(f"'## {s}'" for s in STORY_SECTIONS)
            + " under front matter",
        ))
        return
    found: list[tuple[str, int]] = []
    in_fence = False
    for n, text in enumerate(src.body.splitlines(), start=src.body_line):
        if _FENCE.match(text):
            in_fence = not in_fence
        heading = None if in_fence else _heading(text)
        if heading and heading[0] <= 2:
            found.append((heading[1], n))
    last = -1
    for title, line in found:
        if title not in STORY_SECTIONS:
            hint = did_you_mean(title, STORY_SECTIONS)
            src.problems.append(Problem(
                src.path, line, "tekst", f"overskriften '{title}' er ikke et af historiens afsnit",
                (hint + " " if hint else "") + "brug " + ", ".join(f"'## {s}'" for s in STORY_SECTIONS)
                + "; underoverskrifter skrives med '###'",
            ))
            continue
        index = STORY_SECTIONS.index(title)
        if index < last:
            src.problems.append(Problem(
                src.path, line, "tekst", f"afsnittet '{title}' står i forkert rækkefølge",
                "sæt afsnittene i rækkefølgen " + ", ".join(STORY_SECTIONS),
            ))
        last = max(last, index)
    titles = {t for t, _ in found}
    for required in REQUIRED_SECTIONS:
        if required not in titles:
            src.problems.append(Problem(
                src.path, src.body_line, "tekst", f"afsnittet '## {required}' mangler",
                f"tilføj en linje '## {required}' med tekst under",
            ))


def _heading(line: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading line, in linear time: '## Titel ##' -> (2, 'Titel')."""
    start = _HEADING_START.match(line)
    if not start:
        return None
    rest = line[start.end():]
    if not rest:
        return None
    title = rest.rstrip(" \t#") or rest[0]
    return len(start.group(1)), title.strip()


_ALIASES = sorted({
    f.alias or name
    for m in (Story, Principle, Method, PrincipleRef, Actor, Period, Results, Contact, Link, Image)
    for name, f in m.model_fields.items()
})


def _translate(src: Source, err: Mapping[str, Any]) -> None:
    translate(src, err, _ALIASES)
