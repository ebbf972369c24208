"""A cache of checked story files for ``videnbank tjek``, keyed by content.

Checking a story costs about a millisecond (YAML, the schema, the safety rules); at thousands of
stories that is seconds, while a contributor has usually changed one file. So ``check_bank``
remembers, per story file, what checking it found: its problems, and its publication state and
title (which ``tjek`` prints for stories waiting for review). A file is checked again when

- its bytes changed (the key is the SHA-256 of the file),
- the vocabularies changed (the principles' and methods' slugs and names, which the schema
  checks against), or the checker's code changed (a hash of this package's source),
- an image it refers to changed (its size or time of change; a story with images that failed
  its check is never cached, since its images are not known then).

Anything that cannot be read as this cache (a missing, corrupted or foreign file) counts as an
empty cache. The cache lives in ``.cache/videnbank/`` under the bank's root (gitignored) and is
only an optimisation: the answer is the same with or without it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import export, urls
from .config import CONFIG_FILE, read_config
from .council import COUNCIL_FILE, load_council
from .docs import load_docs
from .load import Bank, Entry, _story_files, load_bank
from .model import PUBLISHED, WAITING, Method, Principle, Story
from .problems import Problem
from .render import Renderer, broken, line_of
from .safety import image_source
from .schema import Vocabulary
from .settings import settings_from
from .site import doc_text, known_sources, link_problem

CACHE_DIR = (".cache", "videnbank")
CACHE_FILE = "tjek.json"
FORMAT = 2


@dataclass(frozen=True)
class CheckedStory:
    """What ``tjek`` needs of one checked story file."""

    path: str
    publication: str | None = None
    title: str | None = None
    links: tuple[tuple[str, int], ...] = ()  # links to the site's own pages, with their lines (Entry.links)


@dataclass
class Checked:
    """The outcome of checking the bank: every problem, the stories that loaded, and the methods
    (which the council's check needs)."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    stories: list[CheckedStory] = field(default_factory=list)
    methods: dict[str, str] = field(default_factory=dict)
    vocabulary: list[Entry[Any]] = field(default_factory=list)  # the principles and the methods, loaded
    files_checked: int = 0
    from_cache: int = 0


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the checker's code: every module of this package."""
    digest = hashlib.sha256()
    for file in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def vocabulary_key(bank: Bank) -> str:
    """A hash of what a story is checked against: the principles' and methods' slugs and names."""
    vocabulary = {
        "principles": [[p.slug, p.meta.name] for p in bank.principles],
        "methods": [[m.slug, m.meta.name] for m in bank.methods],
    }
    return hashlib.sha256(json.dumps(vocabulary, ensure_ascii=False).encode()).hexdigest()


def _signature(path: Path) -> list[Any]:
    try:
        stat = path.stat()
    except OSError:
        return [str(path), None, None]
    return [str(path), stat.st_size, stat.st_mtime_ns]


class Cache:
    """The stored results, by file path; ``salt`` (code and vocabulary) must match, or it is empty."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.file = folder / CACHE_FILE
        self.salt = salt
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data["format"] == FORMAT and data["salt"] == salt and isinstance(data["files"], dict):
                self.entries = data["files"]
        except (OSError, ValueError, KeyError, TypeError):
            self.entries = {}

    def get(self, path: str, digest: str) -> tuple[list[Problem], CheckedStory] | None:
        entry = self.entries.get(path)
        try:
            if not isinstance(entry, dict) or entry["sha256"] != digest:
                return None
            if any(_signature(Path(dep[0])) != dep for dep in entry["deps"]):
                return None
            problems = [Problem(str(p), int(line), str(f), str(what), str(fix))
                        for p, line, f, what, fix in entry["problems"]]
            links = tuple((str(target), int(line)) for target, line in entry["links"])
            story = CheckedStory(path, _text_or_none(entry["publication"]), _text_or_none(entry["title"]), links)
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        return problems, story

    def put(
        self, path: str, digest: str, problems: Iterable[Problem], story: CheckedStory | None, deps: list[Path]
    ) -> None:
        self.changed = True
        self.entries[path] = {
            "sha256": digest,
            "deps": [_signature(d) for d in deps],
            "problems": [[p.path, p.line, p.field, p.what, p.fix] for p in problems],
            "publication": story.publication if story else None,
            "title": story.title if story else None,
            "links": [list(link) for link in story.links] if story else [],
        }

    def save(self, keep: set[str] | None = None) -> None:
        """Write the cache (only the entries in ``keep``, if given); a cache that cannot be written is skipped."""
        entries = self.entries if keep is None else {k: v for k, v in self.entries.items() if k in keep}
        if not self.changed and len(entries) == len(self.entries):
            return  # nothing new: the file on disk is current
        data = {"format": FORMAT, "salt": self.salt, "files": entries}
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".tjek-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self.file)
        except OSError:
            return


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def check_bank(root: Path, only: list[Path] | None = None, *, use_cache: bool = True) -> Checked:
    """Check the principles, the methods and the story files (all, or ``only``), with every story
    that is unchanged since it was last checked taken from the cache."""
    vocabulary = load_bank(root, only=[])
    checked = Checked(root, methods={m.slug: m.meta.name for m in vocabulary.methods},
                      vocabulary=[*vocabulary.principles, *vocabulary.methods])
    # Listing the folder reports what cannot be a story file (a symbolic link, ...) in vocabulary.problems.
    files = only if only is not None else _story_files(vocabulary, root / "stories")
    paths = [_relative(root, f) for f in files]
    stems = [f.stem for f in files]
    odd = any(f.is_symlink() or not f.is_file() for f in files)
    if not use_cache or vocabulary.problems or odd or None in paths or len(set(stems)) != len(stems):
        # Problems in the vocabularies or the folder, an odd file, a file outside the bank or two stories with one slug:
        # check everything afresh (these problems span files, so no single file's result is kept).
        return _uncached(root, only, checked)
    cache = Cache(root.joinpath(*CACHE_DIR), f"{code_version()}:{vocabulary_key(vocabulary)}")
    checked.files_checked = vocabulary.files_checked
    results: dict[str, tuple[list[Problem], CheckedStory | None]] = {}
    digests: dict[str, str] = {}
    missed: list[Path] = []
    for file, path in zip(files, paths, strict=True):
        assert path is not None
        try:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError:
            missed.append(file)  # load_bank reports the file it cannot read
            continue
        digests[path] = digest
        if (hit := cache.get(path, digest)) is not None:
            results[path] = hit
            checked.from_cache += 1
        else:
            missed.append(file)
    if missed:
        fresh = load_bank(root, only=missed)
        entries = {s.path: s for s in fresh.stories}
        by_path: dict[str, list[Problem]] = {}
        missed_paths = {_relative(root, f) for f in missed}
        for problem in fresh.problems:
            if problem.path in missed_paths:
                by_path.setdefault(problem.path, []).append(problem)
            else:
                checked.problems.append(problem)  # not one file's alone: never cached
        for file in missed:
            path = _relative(root, file)
            assert path is not None
            problems = by_path.get(path, [])
            entry = entries.get(path)
            story = _checked(entry) if entry else None
            results[path] = (problems, story)
            if path not in digests:
                continue
            if entry is not None:
                deps = [image_source(file, image.file) for image in entry.meta.images]
            elif b"billeder" in file.read_bytes():
                continue  # its images are unknown: check it again next time
            else:
                deps = []
            cache.put(path, digests[path], problems, story, deps)
    checked.files_checked += len(files)
    for path in paths:
        assert path is not None
        problems, story = results[path]
        checked.problems += problems
        if story is not None and not problems:
            checked.stories.append(story)
    cache.save(keep=None if only is not None else {p for p in paths if p is not None})
    return checked


def _uncached(root: Path, only: list[Path] | None, checked: Checked) -> Checked:
    bank = load_bank(root, only=only)
    checked.problems = list(bank.problems)
    checked.stories = [_checked(s) for s in bank.stories]
    checked.methods = {m.slug: m.meta.name for m in bank.methods}
    checked.vocabulary = [*bank.principles, *bank.methods]
    checked.files_checked = bank.files_checked
    return checked


def _checked(entry: Entry[Story]) -> CheckedStory:
    return CheckedStory(entry.path, entry.meta.publication, entry.meta.title, entry.links)


def _relative(root: Path, file: Path) -> str | None:
    """The path ``load_bank`` names the file by (relative to the root), or None outside the root."""
    return file.relative_to(root).as_posix() if file.is_relative_to(root) else None


def other_problems(root: Path, checked: Checked) -> list[Problem]:
    """What the build finds beyond the story files, found without building: the problems of
    council.yml and the pages in docs/, and every link to a page or file of the site that does not
    exist, in a published story, a principle, a method or a page in docs/ (at its line in the file).
    The set of pages comes from the site plan's own list (``site.known_sources``)."""
    settings = settings_from(read_config(root / CONFIG_FILE), {})
    council, problems = load_council(root, checked.methods)
    pages = load_docs(settings.docs_dir, root)
    checked.files_checked += sum(1 for f in pages.files if f.src_uri.endswith(".md")) + (root / COUNCIL_FILE).is_file()
    problems += pages.problems
    principles = [e for e in checked.vocabulary if isinstance(e.meta, Principle)]
    methods = [e for e in checked.vocabulary if isinstance(e.meta, Method)]
    published = [s for s in checked.stories if s.publication == PUBLISHED]
    known = known_sources([Path(s.path).stem for s in published], [p.slug for p in principles],
                          [m.slug for m in methods], council is not None, [f.src_uri for f in pages.files],
                          export.file_names(p.slug for p in principles))
    linked = [(s.path, urls.story(Path(s.path).stem), s.links) for s in published]
    linked += [(p.path, urls.principle(p.slug), p.links) for p in principles]
    linked += [(m.path, urls.method(m.slug), m.links) for m in methods]
    for path, address, links in linked:
        problems += [link_problem(path, line, target) for target, line in links
                     if broken(target, urls.src_uri(address), known)]
    renderer = Renderer(known)
    vocabulary = Vocabulary({p.slug: p.meta.name for p in principles}, {m.slug: m.meta.name for m in methods})
    for doc in pages.pages:
        for target in renderer.render(doc_text(doc, settings.repository, vocabulary), doc.src_uri).broken_links:
            problems.append(link_problem(doc.path, doc.body_line + line_of(doc.body, target) - 1, target))
    return problems


def waiting_for_review(checked: Checked) -> dict[str, list[tuple[str, str]]]:
    """Stories that are not published yet, by state (in ``model.WAITING``'s order): (path, title)."""
    out: dict[str, list[tuple[str, str]]] = {state: [] for state in WAITING}
    for story in sorted(checked.stories, key=lambda s: s.path):
        if story.publication in out:
            out[story.publication].append((story.path, story.title or ""))
    return out
