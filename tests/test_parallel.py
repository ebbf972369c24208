"""Both cores (parallel.py): a long list's second half in a forked process, the same result as one
process gives, and the same when that process fails or dies."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from conftest import copy_site
from videnbank import parallel, site
from videnbank.settings import Settings, Site

pytestmark = pytest.mark.skipif(not parallel.available(), reason="needs fork and two cores")
MAIN = os.getpid()


def _square(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in items]


def test_a_short_list_stays_in_this_process() -> None:
    parts = parallel.in_halves(range(parallel.PARALLEL_FROM - 1), _square)
    assert len(parts) == 1 and {pid for _, pid in parts[0]} == {MAIN}


def test_a_long_list_is_shared_with_a_second_process_in_order() -> None:
    items = range(parallel.PARALLEL_FROM * 2 + 1)
    first, second = parallel.in_halves(items, _square)
    assert [n for n, _ in first + second] == [n * n for n in items]
    assert {pid for _, pid in first} == {MAIN}
    assert {pid for _, pid in second} != {MAIN} and len({pid for _, pid in second}) == 1


def _fails_elsewhere(items: Sequence[int]) -> list[int]:
    if os.getpid() != MAIN:
        raise ValueError("the second process fails")
    return [n + 1 for n in items]


def _dies_elsewhere(items: Sequence[int]) -> list[int]:
    if os.getpid() != MAIN:
        os._exit(3)
    return [n + 1 for n in items]


@pytest.mark.parametrize("work", [_fails_elsewhere, _dies_elsewhere])
def test_a_failed_or_dead_second_process_costs_time_not_the_result(work: Callable[[Sequence[int]], list[int]]) -> None:
    items = list(range(parallel.PARALLEL_FROM))
    parts = parallel.in_halves(items, work)
    assert [n for part in parts for n in part] == [n + 1 for n in items]


def test_a_plan_made_on_both_cores_is_the_plan_made_on_one(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The shipped bank loaded and its stories rendered on both cores (every list split): the same pages
    and files as on one."""
    root = copy_site(tmp_path / "src", ("mkdocs.yml", "council.yml", "docs", "stories", "principles", "methods"))
    settings = Settings(root=root, site=Site("Videnbank", "https://x.dk/", None), docs_dir=root / "docs")
    alone = site.build_plan(settings)
    parts = request.getfixturevalue("split_everywhere")  # from here on, every list is split
    both = site.build_plan(settings)
    assert parts == [2, 2], "the stories are loaded, then rendered, in two halves"
    assert not alone.problems and alone.pages
    assert {k: p.meta for k, p in both.pages.items()} == {k: p.meta for k, p in alone.pages.items()}
    assert [(a.src_uri, a.content) for a in both.assets] == [(a.src_uri, a.content) for a in alone.assets]
