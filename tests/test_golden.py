"""Golden cases: each bad story gives exactly the listed Danish messages, and never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, write_tree
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
