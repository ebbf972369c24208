"""Related stories: for each story, a few others that share principles, methods or target groups.

The score of a pair is the sum of the weights of what the two stories share:

- a method, 3: how the work was done is the most specific thing two stories can share;
- a principle, 2: the bank's main axis, but a bank has only a handful, so alone it says less;
- a target group, 1: free text, so matches are rarer and noisier (compared case-insensitively
  as slugs, so "Unge" and "unge" match).

Order: score descending, then newest (date added), then slug. A story is never related to
itself, a story sharing nothing is never related, and only the stories passed in (the visible
ones) are candidates, so a hidden draft never shows up.

At thousands of stories a loop over all pairs in Python is too slow. Instead each feature's
posting list is a bitset (a Python int; bit i is the i-th story, newest first), and the scores
of all stories against one story are summed at once in a bit-sliced counter: plane k holds
bit k of every story's score. Picking the best is then a few big-integer operations per score
level, and the lowest set bit of a tier is its newest story.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .load import Entry
from .model import Story, slugify

StoryEntry = Entry[Story]

WEIGHTS: dict[str, int] = {"methods": 3, "principles": 2, "target_groups": 1}
LIMIT = 4
_slug = lru_cache(maxsize=4096)(slugify)


@dataclass(frozen=True)
class Related:
    """One related story and what it shares with the story it is shown on."""

    story: StoryEntry
    score: int
    principles: tuple[str, ...]
    methods: tuple[str, ...]
    target_groups: tuple[str, ...]


def newest_first(stories: Sequence[StoryEntry]) -> list[StoryEntry]:
    """Stories by date added, newest first, then by slug."""
    return sorted(stories, key=lambda s: (-s.meta.added.toordinal(), s.slug))


def features(story: StoryEntry) -> dict[str, dict[str, str]]:
    """What a story can share, per kind: {key: label}, keys compared, labels shown."""
    m = story.meta
    return {
        "principles": {r.slug: r.slug for r in m.principles},
        "methods": {slug: slug for slug in m.methods},
        "target_groups": {_slug(t) or t: t for t in m.target_groups},
    }


def score(a: StoryEntry, b: StoryEntry) -> int:
    """The score of one pair, computed directly (the reference for the bitset version)."""
    fa, fb = features(a), features(b)
    return sum(WEIGHTS[kind] * len(fa[kind].keys() & fb[kind].keys()) for kind in WEIGHTS)


def related_stories(stories: Sequence[StoryEntry], limit: int = LIMIT) -> dict[str, list[Related]]:
    """Up to ``limit`` related stories for every story in ``stories``, by slug."""
    ordered = newest_first(stories)
    feats = [features(s) for s in ordered]
    postings: dict[tuple[str, str], int] = defaultdict(int)
    for i, f in enumerate(feats):
        for kind, values in f.items():
            for key in values:
                postings[(kind, key)] |= 1 << i
    result: dict[str, list[Related]] = {}
    for i, story in enumerate(ordered):
        planes: list[int] = []
        for kind, values in feats[i].items():
            for key in values:
                _add(planes, postings[(kind, key)], WEIGHTS[kind])
        result[story.slug] = [
            _describe(ordered[j], points, feats[i], feats[j])
            for j, points in _best(planes, 1 << i, limit)
        ]
    return result


def _add(planes: list[int], mask: int, weight: int) -> None:
    """Add ``weight`` to the score of every story in ``mask`` (ripple-carry over the planes)."""
    plane = 0
    while weight:
        if weight & 1:
            carry, k = mask, plane
            while carry:
                while k >= len(planes):
                    planes.append(0)
                planes[k], carry = planes[k] ^ carry, planes[k] & carry
                k += 1
        weight >>= 1
        plane += 1


def _best(planes: list[int], exclude: int, limit: int) -> list[tuple[int, int]]:
    """(story index, score) of the best ``limit`` stories: score desc, then lowest index."""
    remaining = 0
    for plane in planes:
        remaining |= plane
    remaining &= ~exclude
    chosen: list[tuple[int, int]] = []
    while remaining and len(chosen) < limit:
        tier, points = remaining, 0
        for k in range(len(planes) - 1, -1, -1):
            if tier & planes[k]:
                tier &= planes[k]
                points |= 1 << k
        while tier and len(chosen) < limit:
            low = tier & -tier
            chosen.append((low.bit_length() - 1, points))
            tier ^= low
            remaining ^= low
        remaining &= ~tier
    return chosen


def _describe(
    other: StoryEntry, points: int, mine: dict[str, dict[str, str]], theirs: dict[str, dict[str, str]]
) -> Related:
    def shared(kind: str) -> tuple[str, ...]:
        return tuple(label for key, label in theirs[kind].items() if key in mine[kind])

    return Related(other, points, shared("principles"), shared("methods"), shared("target_groups"))
