"""Pagination, the one rule for every listing: which items page ``number`` shows and how many
pages there are. The overview's static pages show ``STORIES_PER_PAGE`` stories (its filter script
reads that size from the filter index, facets.index_data); a principle's or a method's pages show
``CARDS_PER_PAGE`` story cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

STORIES_PER_PAGE = 50
# A card is about 0.9 KB of HTML: 30 keeps the largest principle or method page near 50 KB, under
# the 60 KB budget, at any size of bank.
CARDS_PER_PAGE = 30


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` items fill; an empty listing still has its first page."""
    return max(1, -(-total // per_page))


def first(number: int, per_page: int) -> int:
    """The position (from 1) in the whole list of page ``number``'s first item."""
    return (number - 1) * per_page + 1


def page(items: Sequence[T], number: int, per_page: int) -> Sequence[T]:
    """The items page ``number`` (from 1) shows."""
    start = first(number, per_page) - 1
    return items[start:start + per_page]
