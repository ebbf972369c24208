"""What the live preview (``mkdocs serve --dirty``, ``./dev serve``) keeps from one rebuild to the
next: results keyed by everything they are made from, so a save redoes only what it changed.

At thousands of stories a full rebuild takes tens of seconds, while a save changes one file. A
``Memo`` holds these caches, each keyed by its inputs (nothing else survives a rebuild):

- loaded story files (``load.StoryMemo``: path and bytes, vocabularies, images, rules);
- rendered bodies, by page: the text, and whether each file a relative link points at exists;
- related stories: what every story can share (principles, methods, target groups) and its date
  and slug; for the same, the earlier result, pointing at this build's entries (``related``);
- the open data's story records (``export.StoryRows``), by story;
- story views, by page: the story, its rendered body, its related stories, the vocabularies'
  names and the site (``view``);
- the theme's compiled templates (``templates``, Jinja's own bytecode cache: MkDocs makes a new
  template environment at every rebuild; Jinja checks each entry against the template's source);
- written pages: the key of the inputs (front matter with the view, the theme's files and
  the top-level pages' titles, which every page's navigation shows) each page in the preview's
  folder was written from. A page whose key is the same is not rendered again: in a dirty build
  MkDocs leaves alone the files it is not told of, and skips a page whose source is older than its
  written file. So an unchanged page is not handed to MkDocs at all, except the top-level pages
  the navigation names, which are read from ``mkdocs.yml`` (never read: a changed ``mkdocs.yml`` is
  newer than every page, and they are written again); a changed page is read from an empty text.

The search index is built once, by the first build; a rebuild does not update it.
A publishing build (``mkdocs build``) makes no Memo and keeps nothing.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2

from .export import StoryRows
from .load import Entry, StoryMemo
from .model import Story
from .related import Related, related_stories
from .render import Rendered, Renderer, address_of


class Memo:
    def __init__(self, *, dirty: bool = True) -> None:
        self.dirty = dirty  # MkDocs skips unchanged pages only in a dirty build
        self.stories = StoryMemo()
        self._renders: dict[str, tuple[str, Rendered]] = {}
        self._related: tuple[list[Any], dict[str, list[Related]]] | None = None
        self.rows = StoryRows()
        self._views: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
        self.templates = CompiledTemplates()
        self._written: dict[str, str] = {}  # page -> the key of what its file in the preview's folder was made from
        self._keys: dict[str, str] = {}  # page -> the key of the page this build makes
        self.rendered = 0  # pages this build renders
        self.settled = False

    def render(self, renderer: Renderer, text: str, src_uri: str) -> Rendered:
        """``renderer.render(text, src_uri)``, or the result of an earlier call with the same inputs."""
        found = self._renders.get(src_uri)
        known = renderer.state.known
        if found is not None and found[0] == text and all((s in known) == was for s, was in found[1].lookups):
            return found[1]
        result = renderer.render(text, src_uri)
        self._renders[src_uri] = (text, result)
        return result

    def related(self, stories: list[Entry[Story]]) -> dict[str, list[Related]]:
        """``related.related_stories(stories)``, or the earlier result when no story's date, slug or
        shared features changed (a saved title or text changes none of them)."""
        key = [(s.slug, s.meta.added, [r.slug for r in s.meta.principles], s.meta.methods, s.meta.target_groups)
               for s in stories]
        if self._related is None or self._related[0] != key:
            self._related = (key, related_stories(stories))
            return self._related[1]
        entry = {s.slug: s for s in stories}
        return {slug: [Related(entry[r.story.slug], r.score, r.principles, r.methods, r.target_groups) for r in found]
                for slug, found in self._related[1].items()}

    def view(
        self, src_uri: str, key: tuple[Any, ...], make: Callable[..., dict[str, Any]], *args: Any
    ) -> dict[str, Any]:
        """``make(*args)``, or the view an earlier call for the page made from an equal ``key`` (every
        input of the view; entries compare by identity first, and ``StoryMemo`` gives back the same
        entry for an unchanged file)."""
        found = self._views.get(src_uri)
        if found is not None and found[0] == key:
            return found[1]
        view = make(*args)
        self._views[src_uri] = (key, view)
        return view

    @property
    def searching(self) -> bool:
        """Build the search index: only in the first build (or in a preview that is not dirty)."""
        return not (self.dirty and self._written)

    def sources(self, pages: Iterable[Any], config: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each page (site.Page) with how the engine should read its source (File.generated's
        arguments): an unchanged page from the config file, a changed one from an empty text.
        Pages no longer in the plan are removed from the preview's folder."""
        pages = list(pages)
        theme = _theme_key([getattr(config["theme"], "custom_dir", None) or ""])
        top = sorted((p.src_uri, p.title) for p in pages if _top_level(p.src_uri))
        shared = json.dumps([theme, top], ensure_ascii=False).encode()
        self._keys, self.rendered = {}, 0
        for page in pages:
            digest = hashlib.sha256(shared)
            digest.update(json.dumps(page.meta, ensure_ascii=False, default=str).encode())
            key = self._keys[page.src_uri] = digest.hexdigest()
            if self.dirty and self._written.get(page.src_uri) == key:
                # Unchanged: its written file stays. MkDocs is not even told of it (thousands of pages cost
                # it seconds), except the top-level pages the navigation names, read so they count as unchanged.
                if _top_level(page.src_uri):
                    yield page.src_uri, {"abs_src_path": str(config["config_file_path"])}
            else:
                self.rendered += 1
                yield page.src_uri, {"content": ""}
        for gone in set(self._written) - set(self._keys):
            del self._written[gone]
            if (address := address_of(gone)).endswith("/") or address == "":
                Path(config["site_dir"], address, "index.html").unlink(missing_ok=True)

    def written(self, src_uri: str) -> None:
        """The engine wrote the page: its file now is what this build's key says."""
        if src_uri in self._keys:
            self._written[src_uri] = self._keys[src_uri]


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by Jinja (template name; checked against its source)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def sources(memo: Memo | None, pages: Iterable[Any], config: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each page's source for the engine: ``memo.sources``, or (no memo) every page from an empty text."""
    if memo is not None:
        yield from memo.sources(pages, config)
    else:
        yield from ((page.src_uri, {"content": ""}) for page in pages)


def settle(memo: Memo | None) -> None:
    """Once the plan is made (in a preview: after its first build), what it holds (at 5,000 stories
    millions of objects: entries, bodies, views) is left out of the garbage collector's full passes
    (``gc.freeze``). Those passes otherwise walk all of it again and again while the engine writes
    the pages (1.5 s of a build at 5,000 stories, more than linearly more at 20,000) and during
    each later save of a preview (0.3-0.4 s). Reference counting still frees what is let go; only
    a cycle among such objects would stay."""
    if memo is not None:
        if memo.settled:
            return
        memo.settled = True
    gc.collect()
    gc.freeze()


def written(memo: Memo | None, src_uri: str) -> None:
    if memo is not None:
        memo.written(src_uri)


def _top_level(src_uri: str) -> bool:
    """A page at the top of the site (a file in docs/ or a section's index): the ones the navigation can name."""
    return src_uri.count("/") == 0 or (src_uri.count("/") == 1 and src_uri.endswith("/index.md"))


def _theme_key(folders: Iterable[str]) -> list[Any]:
    """Each file of the theme's own folders (custom_dir), with its size and time of change."""
    found: list[Any] = []
    for folder in folders:
        for base, _, names in os.walk(folder) if folder else ():
            for name in names:
                stat = os.stat(os.path.join(base, name))
                found.append([os.path.join(base, name), stat.st_size, stat.st_mtime_ns])
    return sorted(found)
