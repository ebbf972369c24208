"""The open data's fast writers give the bytes of the plain ones: pydantic's serializer against
json.dumps (export.story_json), the CSV line against csv.writer."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from conftest import FIXTURES, write_tree
from test_export import SITE, TRICKY, _story
from videnbank import export
from videnbank.derive import Catalogue
from videnbank.load import load_bank

ODD = '"bag\\\\slash \\"citat\\" tab\\tslut \\u2028 \\U0001F600 </script> &amp; \\u0001\\u007f ø"'


def test_story_json_is_json_dumps_of_the_record(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    write_tree(tmp_path, {
        "stories/tricky.md": TRICKY,
        "stories/odd.md": _story("Odd \\ \"titel\"", "2023-04-01", extra=f"sted: {ODD}\nkommune: {ODD}\n"),
    })
    bank = load_bank(tmp_path, check_markup=False)  # the open data must not rely on the checker
    assert bank.problems == [], bank.problems
    stories = Catalogue(bank).stories
    assert len(stories) >= 2
    for story in stories:
        plain = json.dumps(export.story_record(story, SITE), ensure_ascii=False).encode()
        assert export.story_json(story, SITE) == plain


def test_csv_line_is_what_csv_writer_writes() -> None:
    cells = ["", "a", "a;b", 'a"b', '"', ";", "a b", "'=1", "æøå – ✓", 'x;"y"', " "]
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerow(cells)
    assert export._csv_line(cells) == out.getvalue()
