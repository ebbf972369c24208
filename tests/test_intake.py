"""``videnbank modtag FIL``: the secretariat takes a received story file in for review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import REPO, copy_site, write_tree
from test_cli import _fill_required
from videnbank import intake, schema
from videnbank.cli import main
from videnbank.limits import MAX_FILE_BYTES
from videnbank.source import read_source

TITLE = "Fælles have i Vestbyen"
SLUG = "faelles-have-i-vestbyen"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--rod", str(root), *args], env={"GITHUB_ACTIONS": ""})


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


def _received(site: Path, inbox: Path, *, filled: bool = True, state: str = "udgivet") -> Path:
    """A story file as it arrives by e-mail: written with 'videnbank ny' (the same file the writing
    page makes), filled in or not, and moved out of the bank into an inbox folder."""
    assert run(site, "ny", TITLE).exit_code == 0
    made = site / "stories" / f"{SLUG}.md"
    text = made.read_text(encoding="utf-8")
    made.unlink()
    if filled:
        text = _fill_required(text, schema.story_schema(schema.vocabulary(site)))
    inbox.mkdir(parents=True, exist_ok=True)
    received = inbox / "historie.md"
    received.write_text(re.sub(r"^publicering: kladde$", f"publicering: {state}", text, flags=re.M), encoding="utf-8")
    return received


def _stories(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "stories").rglob("*.md"))}


def test_a_good_file_is_taken_in_for_review(site: Path, tmp_path: Path) -> None:
    received = _received(site, tmp_path / "indbakke")
    sent = received.read_bytes()
    before = _stories(site)
    result = run(site, "modtag", str(received))
    assert result.exit_code == 0, result.output
    target = site / "stories" / f"{SLUG}.md"
    assert f"Tog {received} ind som stories/{SLUG}.md (publicering: til-gennemsyn)." in result.output
    assert "Tjekkede 1 fil: ingen problemer." in result.output
    assert "Næste skridt:" in result.output and f"videnbank vis stories/{SLUG}.md" in result.output
    assert "publicering: udgivet" in result.output  # the step that publishes it
    # The sender's 'udgivet' does not publish it: the secretariat reviews first.
    assert read_source(target, "x").data["publicering"] == "til-gennemsyn"
    assert target.read_text(encoding="utf-8") == re.sub(r"^publicering: udgivet$", "publicering: til-gennemsyn",
                                                        sent.decode(), flags=re.M)
    assert received.read_bytes() == sent  # the received file is only read
    assert _stories(site) == {**before, target.name: target.read_bytes()}
    tjek = run(site, "tjek", str(target))
    assert tjek.exit_code == 0, tjek.output
    assert "Til gennemsyn (1)" in tjek.output and "Tjekkede 1 fil: ingen problemer." in tjek.output


def test_an_existing_story_is_never_overwritten(site: Path, tmp_path: Path) -> None:
    received = _received(site, tmp_path / "indbakke")
    taken = write_tree(site, {f"stories/{SLUG}.md": "min egen historie\n", f"stories/arkiv/{SLUG}-2.md": "x"})
    first = run(site, "modtag", str(received))
    second = run(site, "modtag", str(received))
    assert (taken / "stories" / f"{SLUG}.md").read_text(encoding="utf-8") == "min egen historie\n"
    assert (taken / "stories" / "arkiv" / f"{SLUG}-2.md").read_text(encoding="utf-8") == "x"
    assert f"Kortnavnet '{SLUG}' var taget, så historien fik '{SLUG}-3'." in first.output
    assert f"stories/{SLUG}-4.md" in second.output
    for n in (3, 4):
        assert read_source(site / "stories" / f"{SLUG}-{n}.md", "x").data["titel"] == TITLE


def test_problems_are_listed_with_the_next_step_and_the_file_is_kept(site: Path, tmp_path: Path) -> None:
    received = _received(site, tmp_path / "indbakke", filled=False, state="kladde")
    result = run(site, "modtag", str(received))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.startswith(f"stories/{SLUG}.md:")]
    assert lines and all("UDFYLD" in line for line in lines)
    assert f"Tjekkede 1 fil: {len(lines)} problemer." in result.output
    assert f"1. Ret dem i stories/{SLUG}.md" in result.output and f"videnbank tjek stories/{SLUG}.md" in result.output
    assert read_source(site / "stories" / f"{SLUG}.md", "x").data["publicering"] == "til-gennemsyn"


def test_mail_artefacts_are_cleaned(site: Path, tmp_path: Path) -> None:
    received = _received(site, tmp_path / "indbakke")
    text = received.read_text(encoding="utf-8")
    received.write_bytes(b"\xef\xbb\xbf\r\n  \r\n" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run(site, "modtag", str(received))
    assert result.exit_code == 0, result.output
    written = (site / "stories" / f"{SLUG}.md").read_bytes()
    assert b"\r" not in written and written.startswith(b"---\n")


BAD_INPUT = {
    "findes-ikke": (None, "filen findes ikke"),
    "mappe": ("DIR", "er en mappe, ikke en fil"),
    "tom": (b"", "filen mangler front matter"),
    "binaer": (bytes(range(256)) * 4, "ikke gemt som UTF-8"),
    "kun-tekst": (b"Hej sekretariatet, her er vores historie.\n", "filen mangler front matter"),
    "ikke-lukket": (b"---\ntitel: A\n", "front matter bliver ikke afsluttet"),
    "yaml": (b"---\ntitel: [A\n---\n", "YAML kan ikke læses"),
    "tom-front-matter": (b"---\n---\ntekst\n", "front matter er tom"),
    "liste": (b"---\n- a\n- b\n---\n", "front matter"),
    "for-stor": (b"---\ntitel: A\n---\n" + b"x" * (MAX_FILE_BYTES + 10), "filen fylder"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_bad_input_is_a_danish_message_and_nothing_changes(site: Path, tmp_path: Path, name: str) -> None:
    content, expected = BAD_INPUT[name]
    received = tmp_path / "indbakke" / f"{name}.md"
    received.parent.mkdir()
    if content == "DIR":
        received.mkdir()
    elif isinstance(content, bytes):
        received.write_bytes(content)
    before = _stories(site)
    result = run(site, "modtag", str(received))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert expected in result.output, result.output
    assert f"{received} er ikke taget ind, og intet er ændret." in result.output
    assert _stories(site) == before
    if isinstance(content, bytes):
        assert received.read_bytes() == content


def test_a_file_already_in_the_bank_is_not_taken_in_again(site: Path) -> None:
    before = _stories(site)
    result = run(site, "modtag", str(site / "stories" / "folkemoedet-i-silkeborg.md"))
    assert result.exit_code == 1 and "ligger allerede i stories/" in result.output
    assert _stories(site) == before


def test_without_a_file_the_command_says_how() -> None:
    result = CliRunner().invoke(main, ["modtag"])
    assert result.exit_code == 1
    assert "videnbank" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("front", "expected"), [
    ("titel: A\npublicering: udgivet\n", "titel: A\npublicering: til-gennemsyn\n"),
    ("titel: A\npublicering: 'kladde'  # ikke endnu\n", "titel: A\npublicering: til-gennemsyn\n"),
    ("titel: A\npublicering:\n  udgivet\nstatus: igang\n", "titel: A\npublicering: til-gennemsyn\nstatus: igang\n"),
    ("dato: 2024-01-01\nstatus: igang\n", "dato: 2024-01-01\npublicering: til-gennemsyn\nstatus: igang\n"),
    ("titel: A\n", "titel: A\npublicering: til-gennemsyn\n"),
    ("kontakt:\n  publicering: x\n", "kontakt:\n  publicering: x\npublicering: til-gennemsyn\n"),
])
def test_publication_is_set_to_review_and_nothing_else_changes(front: str, expected: str) -> None:
    assert intake._for_review(f"---\n{front}---\n## Udfordringen\n") == f"---\n{expected}---\n## Udfordringen\n"


def test_the_secretariats_guide_walks_the_mail_route_with_the_real_command() -> None:
    guide = (REPO / "REDAKTION.md").read_text(encoding="utf-8")
    route = guide.split("## Historier sendt med e-mail", 1)[1].split("\n## ", 1)[0]
    steps = [line for line in route.splitlines() if re.match(r"^\d+\. ", line)]
    assert len(steps) >= 5
    for needed in ("videnbank modtag", "til-gennemsyn", "videnbank tjek", "videnbank vis", "publicering: udgivet",
                   "aldrig"):
        assert needed in route, needed
    assert "modtag" in main.commands
