"""Browsing the bank: the facet vocabulary, the compact index the overview's filter loads, and
the static pages of the overview.

Facets are what a reader filters the overview by. Each has a key, which is also its name in
the address (``?princip=...&metode=...``), and a way of matching:

- ``any``: the story has at least one of the chosen values (principles, sector mix, methods,
  target group, theme, municipality, year, status);
- ``all``: the story has every chosen value (sectors: actors from all the chosen sectors).

Every facet is a set of values per story: the sector mix gives a story with actors from three
sectors the values "2" and "3" ("at least 2", "at least 3"); the year facet gives the years the
story happened (``Catalogue.years``, the evaluation's rule), or "ikke oplyst". A value no visible
story has is not offered. Facets combine with AND. ``select`` is the reference for that meaning;
overrides/assets/filtre.js does the same in the reader's browser on the index from ``index_data``,
and counts each option among the stories the other choices leave (``counts``), so a count is what
choosing the option gives.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any, Literal

from . import paging, urls
from .derive import Catalogue, StoryEntry
from .model import slugify, story_sectors

PER_PAGE = paging.STORIES_PER_PAGE
INDEX_VERSION = 3
UNDATED = "ikke-oplyst"
"""The year facet's value for a story without a period."""

Match = Literal["any", "all"]
Control = Literal["checkbox", "select"]

_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})
_slug = lru_cache(maxsize=4096)(slugify)  # free-text labels repeat across thousands of stories


def danish_key(text: str) -> str:
    """Sort key putting æ, ø and å after z, as in a Danish dictionary."""
    return text.casefold().translate(_DANISH_ORDER)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    hint: str
    match: Match
    control: Control
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class _Spec:
    key: str
    label: str
    hint: str
    match: Match
    control: Control


SECTOR_MIX = "sektorer"
SPECS: tuple[_Spec, ...] = (
    _Spec("princip", "Principper", "Historier, der viser mindst ét af de valgte principper.", "any", "checkbox"),
    _Spec(SECTOR_MIX, "Sektorblanding", "Hvor mange sektorer aktørerne kommer fra.", "any", "select"),
    _Spec("sektor", "Sektorer", "Historier med aktører fra alle de valgte sektorer.", "all", "checkbox"),
    _Spec("metode", "Metoder", "Historier, der brugte mindst én af de valgte metoder.", "any", "checkbox"),
    _Spec("maalgruppe", "Målgruppe", "", "any", "select"),
    _Spec("tema", "Tema", "", "any", "select"),
    _Spec("kommune", "Kommune", "", "any", "select"),
    _Spec("aar", "År", "Årene, historien stod på ifølge dens periode.", "any", "select"),
    _Spec("status", "Status", "", "any", "checkbox"),
)
FIELD_KEYS: tuple[str, ...] = tuple(s.key for s in SPECS)


def story_values(catalogue: Catalogue, story: StoryEntry) -> dict[str, dict[str, str]]:
    """A story's values per facet key: {value: label}, in the order the story gives them."""
    m = story.meta
    # A cross-sector body (a council with members from several sectors) is found by its own
    # value, but it is no sector of its own in the mix.
    present = {a.sector for a in m.actors}
    mix = len(story_sectors(m))
    years = [str(y) for y in reversed(catalogue.years(story))]
    return {
        "princip": {r.slug: r.slug for r in m.principles},
        SECTOR_MIX: {str(n): _mix_label(n) for n in range(2, mix + 1)},
        "sektor": {s: label for s, label in catalogue.sectors.items() if s in present},
        "metode": {slug: slug for slug in m.methods},
        "maalgruppe": _free(m.target_groups),
        "tema": _free(m.themes),
        "kommune": _free([m.municipality] if m.municipality else []),
        "aar": {y: y for y in years} if years else {UNDATED: "Ikke oplyst"},
        "status": {m.status: catalogue.statuses[m.status]},
    }


def _free(labels: Sequence[str]) -> dict[str, str]:
    return {(_slug(label) or label): label for label in labels}


def _mix_label(n: int) -> str:
    return f"Mindst {n} sektorer"


StoryValues = dict[str, dict[str, str]]


def _values(catalogue: Catalogue) -> list[tuple[StoryEntry, StoryValues]]:
    """Each visible story with its values, made once a build (the overview's facets and index use them)."""
    if (found := catalogue.made.get("facet_values")) is None:
        found = catalogue.made["facet_values"] = [(s, story_values(catalogue, s)) for s in catalogue.stories]
    values: list[tuple[StoryEntry, StoryValues]] = found
    return values


def facets(catalogue: Catalogue) -> list[Facet]:
    """Every facet with its values and how many visible stories have each."""
    return _facets(catalogue, _values(catalogue))


def _facets(catalogue: Catalogue, stories: list[tuple[StoryEntry, StoryValues]]) -> list[Facet]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    spellings: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    per_story = [values for _, values in stories]
    for key in FIELD_KEYS:
        for (value, label), n in _tally(key, per_story).items():
            counts[key][value] += n
            spellings[key][value][label] = n

    def label_of(key: str, value: str) -> str:
        # The most used spelling of a free-text value; ties go to the first in sort order.
        return min(spellings[key][value].items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def fixed(key: str, vocabulary: Mapping[str, str]) -> tuple[FacetValue, ...]:
        # Only what some visible story has: an option that finds nothing is not offered.
        return tuple(FacetValue(v, label, counts[key][v]) for v, label in vocabulary.items() if counts[key][v])

    def free(key: str) -> tuple[FacetValue, ...]:
        found = [FacetValue(v, label_of(key, v), n) for v, n in counts[key].items()]
        return tuple(sorted(found, key=lambda f: (danish_key(f.label), f.value)))

    methods = sorted(catalogue.methods, key=lambda m: (danish_key(m.meta.name), m.slug))
    mix = sorted(counts[SECTOR_MIX], key=int)
    years = sorted((v for v in counts["aar"] if v != UNDATED), key=int, reverse=True)
    values: dict[str, tuple[FacetValue, ...]] = {
        "princip": fixed("princip", {p.slug: f"{p.meta.number}. {p.meta.name}" for p in catalogue.principles}),
        SECTOR_MIX: fixed(SECTOR_MIX, {n: _mix_label(int(n)) for n in mix}),
        "sektor": fixed("sektor", catalogue.sectors),
        "metode": fixed("metode", {m.slug: m.meta.name for m in methods}),
        "maalgruppe": free("maalgruppe"),
        "tema": free("tema"),
        "kommune": free("kommune"),
        "aar": fixed("aar", {**{y: y for y in years}, UNDATED: "Ikke oplyst"}),
        "status": fixed("status", catalogue.statuses),
    }
    return [Facet(s.key, s.label, s.hint, s.match, s.control, values[s.key]) for s in SPECS]


def _tally(key: str, per_story: list[StoryValues]) -> Counter[tuple[str, str]]:
    """How many stories have each (value, label) of one facet: C code all the way, no Python
    step per story (``values[key].items() for values in per_story``)."""
    return Counter(chain.from_iterable(map(dict.items, map(itemgetter(key), per_story))))


def select(catalogue: Catalogue, query: Mapping[str, Sequence[str]]) -> list[StoryEntry]:
    """The visible stories matching a filter query, in overview order (newest first).

    ``query`` maps facet keys to chosen values, as in the address. Unknown keys and values
    are ignored, so an old or mistyped link shows more, never a broken page.
    """
    stories = _values(catalogue)
    known = {f.key: f for f in _facets(catalogue, stories)}
    chosen = _chosen(known, query)
    return [s for s, values in stories if _matches(known, chosen, values)]


def counts(catalogue: Catalogue, query: Mapping[str, Sequence[str]]) -> dict[str, dict[str, int]]:
    """For every facet value, how many stories choosing it would show, given the other choices.

    For an ``any`` facet, the stories matching every other facet's choices that have the value
    (choosing it alone in its facet shows exactly those); for an ``all`` facet, those that also
    have the facet's own chosen values. filtre.js counts the same way, so a count never promises
    more than the results then hold.
    """
    stories = _values(catalogue)
    known = {f.key: f for f in _facets(catalogue, stories)}
    chosen = _chosen(known, query)
    result: dict[str, dict[str, int]] = {}
    for key, facet in known.items():
        others = {k: v for k, v in chosen.items() if k != key or facet.match == "all"}
        tally: Counter[str] = Counter()
        for _, values in stories:
            if _matches(known, others, values):
                tally.update(values[key].keys())
        result[key] = {v.value: tally[v.value] for v in facet.values}
    return result


def _chosen(known: Mapping[str, Facet], query: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    chosen: dict[str, list[str]] = {}
    for key, wanted in query.items():
        if key in known:
            vocabulary = {v.value for v in known[key].values}
            if values := [v for v in wanted if v in vocabulary]:
                chosen[key] = values
    return chosen


def _matches(known: Mapping[str, Facet], chosen: Mapping[str, list[str]], values: StoryValues) -> bool:
    for key, wanted in chosen.items():
        facet = known[key]
        if facet.match == "all":
            if not all(v in values[key] for v in wanted):
                return False
        elif not any(v in values[key] for v in wanted):
            return False
    return True


def index_data(catalogue: Catalogue) -> dict[str, Any]:
    """The compact index the overview's filter fetches on demand.

    ``stories`` holds one array per visible story, newest first, laid out as ``fields``: the
    values of its card (views.card: address, title, place · period · status, summary, draft
    flag), then for each field facet the positions of the story's values in that facet's
    ``values``. The principle facet also carries each principle's address and name, for the
    card's badges.
    """
    head, rows = _index(catalogue)
    return {**head, "stories": list(rows)}


def index_json(catalogue: Catalogue) -> str:
    """``index_data`` as compact JSON. Each story's row is written as it is made and dropped, so
    the rows of the whole bank are never held (and walked by the garbage collector) at once."""
    head, rows = _index(catalogue)
    text = _compact(head)
    return f'{text[:-1]},"stories":[{",".join(map(_compact, rows))}]}}'


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _index(catalogue: Catalogue) -> tuple[dict[str, Any], Iterator[list[Any]]]:
    """``index_data`` but its ``stories`` (which come last): the rest, and the stories' rows one by one."""
    stories = _values(catalogue)
    all_facets = _facets(catalogue, stories)
    positions = {f.key: {v.value: i for i, v in enumerate(f.values)} for f in all_facets}
    principles = catalogue.principle_by_slug

    def extra(f: Facet) -> dict[str, Any]:
        if f.key != "princip":
            return {}
        return {"urls": [urls.principle(v.value) for v in f.values],
                "names": [principles[v.value].meta.name for v in f.values]}

    head = {
        "version": INDEX_VERSION,
        "page": PER_PAGE,  # the filter shows this many stories, then "Vis flere" (paging.py)
        "fields": ["url", "title", "meta", "summary", "draft", *FIELD_KEYS],
        "facets": [
            {"key": f.key, "match": f.match,
             "values": [v.value for v in f.values], "labels": [v.label for v in f.values], **extra(f)}
            for f in all_facets
        ],
    }
    return head, (_row(catalogue, story, values, positions) for story, values in stories)


def _row(
    catalogue: Catalogue, story: StoryEntry, values: StoryValues, positions: Mapping[str, Mapping[str, int]]
) -> list[Any]:
    m = story.meta
    row: list[Any] = [urls.story(story.slug), m.title, catalogue.card_meta(story), m.summary,
                      catalogue.draft_label(story)]
    row += [sorted([positions[key][v] for v in values[key]]) for key in FIELD_KEYS]
    return row


@dataclass(frozen=True)
class Listing:
    """One static page of the overview."""

    number: int
    pages: int
    total: int
    first: int  # position of the page's first story in the whole list, from 1
    stories: list[StoryEntry]


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    return paging.page_count(total, per_page)


def listing(catalogue: Catalogue, number: int, per_page: int = PER_PAGE) -> Listing:
    stories = catalogue.stories
    return Listing(number, paging.page_count(len(stories), per_page), len(stories), paging.first(number, per_page),
                   list(paging.page(stories, number, per_page)))
