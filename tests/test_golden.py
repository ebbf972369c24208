"""Golden cases: each bad story gives exactly the listed Danish messages, and never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO, write_tree
from videnbank.load import load_bank

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "golden" / "bad_stories.yml").read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_story(case: dict[str, Any], tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    write_tree(tmp_path, case["files"])
    bank = load_bank(tmp_path)
    assert [str(p) for p in sorted(bank.problems)] == case["problems"]
    bad = {p.path for p in bank.problems}
    assert not [s for s in bank.stories if s.path in bad], "a story with problems must not be published"


def test_golden_cases_are_many_and_distinct() -> None:
    assert len(CASES) >= 15
    assert len({c["name"] for c in CASES}) == len(CASES)
    assert all(c["problems"] for c in CASES)


def test_every_problem_in_every_file_is_collected(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    files = {f"stories/case-{i}.md": next(iter(c["files"].values())) for i, c in enumerate(CASES[:10])}
    write_tree(tmp_path, files)
    bank = load_bank(tmp_path)
    assert {p.path for p in bank.problems} == set(files)


def test_both_processes_find_what_one_finds_in_the_same_order(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """A big bank is loaded on both cores (parallel.py): the same stories, problems (in file order) and
    count as one process gives, here with every golden bad story among the shipped good ones."""
    from videnbank import load

    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    shutil.copytree(REPO / "stories", tmp_path / "stories", dirs_exist_ok=True)
    bad = [text for c in CASES for name, text in c["files"].items() if name.startswith("stories/")]
    write_tree(tmp_path, {f"stories/case-{i:03}.md": text for i, text in enumerate(bad)})
    alone = load.load_bank(tmp_path)
    parts = request.getfixturevalue("split_everywhere")  # from here on, every list is split
    both = load.load_bank(tmp_path)
    assert parts == [2]
    assert len(alone.problems) > len(bad) / 2 and alone.stories
    assert both.problems == alone.problems
    assert both.stories == alone.stories
    assert both.files_checked == alone.files_checked
