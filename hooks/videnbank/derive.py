"""What the site shows, derived from a loaded bank: visible stories and their indexes."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from babel.dates import format_date

from .load import Bank, Entry
from .model import (
    COUNCIL_ROLES,
    ONGOING,
    PUBLICATION,
    PUBLISHED,
    SECTORS,
    STATUSES,
    Method,
    Principle,
    Story,
)
from .related import Related, related_stories

StoryEntry = Entry[Story]


@dataclass
class Catalogue:
    """The published part of a bank (and, in preview, its drafts), ready for listing."""

    bank: Bank
    preview: bool = False
    this_year: int = field(default_factory=lambda: dt.date.today().year)
    """The year "still going" reaches to (see ``story_years``): the year of the build."""
    sectors: ClassVar[dict[str, str]] = SECTORS
    statuses: ClassVar[dict[str, str]] = STATUSES
    council_roles: ClassVar[dict[str, str]] = COUNCIL_ROLES
    made: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What other modules make from this catalogue once a build and use on many pages (the
    facets' values per story, the story cards), by the name its module gives it."""

    @cached_property
    def stories(self) -> list[StoryEntry]:
        """Visible stories, newest first."""
        return [s for s in self.bank.stories if self.preview or s.meta.publication == PUBLISHED]

    @cached_property
    def hidden(self) -> list[StoryEntry]:
        shown = {id(s) for s in self.stories}  # identity: comparing models field by field is O(n²)
        return [s for s in self.bank.stories if id(s) not in shown]

    @property
    def principles(self) -> list[Entry[Principle]]:
        return self.bank.principles

    @property
    def methods(self) -> list[Entry[Method]]:
        return self.bank.methods

    @cached_property
    def story_by_slug(self) -> dict[str, StoryEntry]:
        return {s.slug: s for s in self.stories}

    @cached_property
    def principle_by_slug(self) -> dict[str, Entry[Principle]]:
        return {p.slug: p for p in self.principles}

    @cached_property
    def method_by_slug(self) -> dict[str, Entry[Method]]:
        return {m.slug: m for m in self.methods}

    @cached_property
    def by_principle(self) -> dict[str, list[StoryEntry]]:
        index: dict[str, list[StoryEntry]] = defaultdict(list)
        for story in self.stories:
            for ref in story.meta.principles:
                index[ref.slug].append(story)
        return {p.slug: index.get(p.slug, []) for p in self.principles}

    @cached_property
    def by_method(self) -> dict[str, list[StoryEntry]]:
        index: dict[str, list[StoryEntry]] = defaultdict(list)
        for story in self.stories:
            for slug in story.meta.methods:
                index[slug].append(story)
        return {m.slug: index.get(m.slug, []) for m in self.methods}

    @cached_property
    def related_index(self) -> dict[str, list[Related]]:
        return related_stories(self.stories)

    @cached_property
    def card_metas(self) -> dict[str, str]:
        """Each visible story's ``card_meta`` by its slug, made once a build: a story is shown in
        several listings and in the filter's index."""
        return {s.slug: card_meta(s.meta) for s in self.stories}

    def card_meta(self, story: StoryEntry) -> str:
        text = self.card_metas.get(story.slug)
        return card_meta(story.meta) if text is None else text

    def related(self, story: StoryEntry) -> list[Related]:
        """A few visible stories sharing principles, methods or target groups (see related.py)."""
        return self.related_index.get(story.slug, [])

    def newest(self, count: int) -> list[StoryEntry]:
        return self.stories[:count]

    def is_draft(self, story: StoryEntry) -> bool:
        return story.meta.publication != PUBLISHED

    def draft_label(self, story: StoryEntry) -> str:
        """What the preview calls a story that is not published: 'Kladde' or 'Til gennemsyn'
        (the vocabulary's own label), or '' for a published story."""
        return PUBLICATION[story.meta.publication] if self.is_draft(story) else ""

    def years(self, story: StoryEntry) -> tuple[int, ...]:
        """The years ``story`` happened in (see ``story_years``)."""
        return story_years(story.meta, self.this_year)


def story_years(story: Story, this_year: int) -> tuple[int, ...]:
    """The years a story happened in, from its ``periode``; empty when it has none.

    With an end: every year from the start's to the end's. Without an end the model means "still
    going" when the status says so (``igang``): from the start up to ``this_year``, the year the site
    is built. Finished or an idea without an end: the start year only. Never the year the file was
    added to the bank (``dato``): that says when the bank learnt of it, not when it happened. This is
    the one rule the evaluation and the year filter both count by.
    """
    if story.period is None:
        return ()
    start = int(story.period.start[:4])
    if story.period.end:
        end = int(story.period.end[:4])
    elif story.status == ONGOING:
        end = max(start, this_year)
    else:
        end = start
    return tuple(range(start, end + 1))


def actors_by_sector(story: Story) -> list[tuple[str, list[str]]]:
    """The story's actors grouped by sector, in the order of the sector vocabulary."""
    groups: dict[str, list[str]] = defaultdict(list)
    for actor in story.actors:
        groups[actor.sector].append(actor.name)
    return [(SECTORS[s], groups[s]) for s in SECTORS if s in groups]


@functools.lru_cache(maxsize=8192)
def danish_date(value: str | dt.date) -> str:
    """'2019' -> '2019', '2019-05' -> 'maj 2019', '2019-05-03' (or a date) -> '3. maj 2019' (babel, locale da).

    Cached: babel takes about 0.2 ms a date, and thousands of stories share a few thousand dates."""
    if isinstance(value, dt.date):
        return format_date(value, format="d. MMMM y", locale="da")
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return format_date(dt.date(parts[0], parts[1], 1), format="MMMM y", locale="da")
    return format_date(dt.date(*parts), format="d. MMMM y", locale="da")


def period_text(story: Story) -> str:
    if story.period is None:
        return "ikke oplyst"
    start = danish_date(story.period.start)
    if story.period.end:
        end = danish_date(story.period.end)
        return start if end == start else f"{start} – {end}"
    return f"fra {start}"


def place_text(story: Story) -> str:
    """'Silkeborg, Kragelund': municipality and place, each once; '' when the story names neither."""
    municipality, place = story.municipality or "", story.place or ""
    if not place or place == municipality:
        return municipality
    return f"{municipality}, {place}" if municipality else place


def card_meta(story: Story) -> str:
    """'Silkeborg, Kragelund · 2019 – 2020 · Afsluttet': place, period, status (a story's card,
    on the static pages and in the filter's index)."""
    place = place_text(story)
    status = STATUSES[story.status]
    if story.period:
        return f"{place} · {period_text(story)} · {status}" if place else f"{period_text(story)} · {status}"
    return f"{place} · {status}" if place else status
