"""The cache of checked files behind `videnbank tjek` (cache.py): same answers, fewer checks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import REPO, copy_site
from videnbank import cache
from videnbank.load import load_bank

PARTS = ("mkdocs.yml", "stories", "principles", "methods")
# A published story of the shipped bank, without images.
STORY = next(
    f"stories/{p.name}" for p in sorted((REPO / "stories").glob("*.md"))
    if "publicering: udgivet" in (text := p.read_text(encoding="utf-8")) and "billeder:" not in text
)


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "bank", PARTS)


def _summary(checked: cache.Checked) -> tuple[list[str], list[tuple[str, str | None, str | None]], int]:
    return (sorted(str(p) for p in checked.problems),
            sorted((s.path, s.publication, s.title) for s in checked.stories),
            checked.files_checked)


def _uncached(root: Path) -> tuple[list[str], list[tuple[str, str | None, str | None]], int]:
    bank = load_bank(root)
    return (sorted(str(p) for p in bank.problems),
            sorted((s.path, s.meta.publication, s.meta.title) for s in bank.stories),
            bank.files_checked)


def test_warm_run_takes_every_story_from_the_cache_with_the_same_answer(bank: Path) -> None:
    cold = cache.check_bank(bank)
    stories = len(list((bank / "stories").glob("*.md")))
    assert cold.from_cache == 0
    assert (bank / ".cache" / "videnbank" / cache.CACHE_FILE).is_file()
    warm = cache.check_bank(bank)
    assert warm.from_cache == stories
    assert _summary(cold) == _summary(warm) == _uncached(bank)


def test_a_changed_file_is_checked_again(bank: Path) -> None:
    cache.check_bank(bank)
    story = bank / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("sammendrag:", "sammendragx:", 1), encoding="utf-8")
    again = cache.check_bank(bank)
    assert again.from_cache == len(list((bank / "stories").glob("*.md"))) - 1
    fields = {p.field for p in again.problems if p.path == STORY}
    assert "sammendragx" in fields
    assert _summary(again) == _uncached(bank)
    # Its problems are remembered too, and go away when the file is fixed.
    assert _summary(cache.check_bank(bank)) == _uncached(bank)
    story.write_text(story.read_text(encoding="utf-8").replace("sammendragx:", "sammendrag:", 1), encoding="utf-8")
    assert not cache.check_bank(bank).problems


def test_a_changed_vocabulary_invalidates_every_story(bank: Path) -> None:
    cache.check_bank(bank)
    used = next(p for p in sorted((bank / "principles").glob("*.md"))
            if f"princip: {p.stem}" in (bank / STORY).read_text(encoding="utf-8"))
    used.rename(used.with_name("omdoebt-princip.md"))
    after = cache.check_bank(bank)
    assert after.from_cache == 0
    assert any(p.path == STORY and "princip" in p.field for p in after.problems)
    assert _summary(after) == _uncached(bank)


def test_a_renamed_principle_name_also_invalidates(bank: Path) -> None:
    cache.check_bank(bank)
    principle = sorted((bank / "principles").glob("*.md"))[0]
    text = principle.read_text(encoding="utf-8")
    principle.write_text(text.replace("navn:", "navn: Nyt navn #", 1), encoding="utf-8")
    assert cache.check_bank(bank).from_cache == 0


@pytest.mark.parametrize("content", [
    "{not json", "", "[]", '{"format": 1}', "null",
    '{"format": 1, "salt": "SALT", "files": {"STORY": {"sha256": "SHA", "deps": 3}}}',
    '{"format": 1, "salt": "SALT", "files": {"STORY": '
    '{"sha256": "SHA", "deps": [], "problems": [["x"]], "publication": null, "title": null}}}',
])
def test_a_corrupted_cache_file_is_ignored(bank: Path, content: str) -> None:
    cache.check_bank(bank)
    file = bank / ".cache" / "videnbank" / cache.CACHE_FILE
    salt = json.loads(file.read_text(encoding="utf-8"))["salt"]
    sha = hashlib.sha256((bank / STORY).read_bytes()).hexdigest()
    file.write_text(content.replace("SALT", salt).replace("SHA", sha).replace("STORY", STORY), encoding="utf-8")
    again = cache.check_bank(bank)
    assert _summary(again) == _uncached(bank)
    assert cache.check_bank(bank).from_cache == len(list((bank / "stories").glob("*.md")))


def test_a_cached_problem_is_reported_by_tjek_without_checking_again(bank: Path) -> None:
    story = bank / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("sammendrag:", "sammendragx:", 1), encoding="utf-8")
    cold, warm = cache.check_bank(bank), cache.check_bank(bank)
    assert warm.from_cache == len(list((bank / "stories").glob("*.md")))
    assert _summary(cold) == _summary(warm) == _uncached(bank)


def test_a_changed_image_is_checked_again(bank: Path) -> None:
    text = (bank / STORY).read_text(encoding="utf-8")
    image = bank / "stories" / "billeder" / "have.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with_image = text.replace("\n---", "\nsamtykke: ja\nbilleder:\n  - fil: billeder/have.png\n"
                                      "    alt: En have\n    kredit: Foto\n---", 1)
    (bank / STORY).write_text(with_image, encoding="utf-8")
    first = cache.check_bank(bank)
    assert _summary(first) == _uncached(bank)
    assert not first.problems
    assert cache.check_bank(bank).from_cache == len(list((bank / "stories").glob("*.md")))
    image.unlink()
    after = cache.check_bank(bank)
    assert _summary(after) == _uncached(bank)
    assert any(p.path == STORY for p in after.problems)


def test_duplicate_slugs_are_checked_without_the_cache(bank: Path) -> None:
    cache.check_bank(bank)
    (bank / "stories" / "under").mkdir()
    (bank / "stories" / "under" / Path(STORY).name).write_bytes((bank / STORY).read_bytes())
    after = cache.check_bank(bank)
    assert after.from_cache == 0
    assert _summary(after) == _uncached(bank)
    assert any("bruges også" in p.what for p in after.problems)
