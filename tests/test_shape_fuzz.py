"""Bounded rendering: no content file within the limits takes more than a second of CPU to check or to build.

A harness of shape families, each at the maximum size a content file may have (128 KB, lines of at most
5,000 characters): rule lines, repeated and underlined headings, runs led by ``<``, emphasis runs,
backslashes, nested lists and quotes, tables, reference definitions and more. Each goes through the real
pipeline: the checker (``load_bank``, what ``videnbank tjek`` and the build run) and, when the checker
accepts it, the build's renderer (``render.Renderer``: Python-Markdown, then the sanitiser). Next to the
families, inputs built to sit exactly at the shape limits of ``limits.py`` (the most headings, rules,
formatting characters, open tags and lines, in the longest blocks) must be accepted and still be fast:
they are the slowest a contributor can make the build.

Times are CPU time of this process (``time.process_time``), so other work on the machine (two cores,
shared with the rest of the suite) does not count. These are bounds on behaviour, not benchmarks: what
used to take 10 to 80 s must now take under ``TIME_BOUND``. The slowest input is printed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from conftest import mini_bank
from videnbank import limits
from videnbank.load import load_bank
from videnbank.render import Renderer

TIME_BOUND = 1.0
"""Seconds of CPU time for the checker on one file, and again for the renderer on one accepted file."""

HEAD = (
    "---\ntitel: Et eksempel\nsammendrag: Kort om eksemplet.\ndato: 2024-01-02\npublicering: udgivet\n"
    "principper: [alfa]\naktører:\n  - navn: Foreningen\n    sektor: civilsamfund\nstatus: igang\n"
    "kontakt:\n  organisation: Foreningen\n---\n## Udfordringen\n\nTekst.\n\n## Det gjorde vi\n\n"
)
ROOM = limits.MAX_FILE_BYTES - len(HEAD.encode("utf-8"))
"""Bytes left for the body in a file of the largest size allowed."""


def repeat(unit: str) -> str:
    """``unit`` repeated to fill the file (every unit here is ASCII and holds its own line breaks)."""
    return unit * (ROOM // len(unit))


def lines_of(unit: str, count: int | None = None) -> str:
    """Lines of ``unit`` repeated to the longest line allowed, as many as fit (or ``count``)."""
    line = (unit * (limits.MAX_LINE_CHARS // len(unit) + 1))[: limits.MAX_LINE_CHARS] + "\n"
    fit = ROOM // len(line)
    return line * (fit if count is None else min(count, fit))


def fill(head: str, filler: str) -> str:
    """``head``, then ``filler`` repeated to fill the file."""
    return head + filler * ((ROOM - len(head)) // len(filler))


def blocks(unit: str, lines_per_block: int) -> str:
    """Blocks of ``lines_per_block`` lines of ``unit``, a blank line between them, filling the file."""
    return repeat(unit * lines_per_block + "\n")


# Blocks just under the longest allowed, of two long lines of plain words: what fills the rest of a file.
WORDS = ("b " * 2_400 + "b\n") * 2 + "\n"


def then_words(head: str) -> str:
    """``head``, a blank line, and blocks of plain words to the largest file allowed."""
    return fill(head + "\n\n", WORDS)


# Families at the largest size: each must be checked in time; what the checker accepts must render in time.
FAMILIES: dict[str, Callable[[], str]] = {
    "rules: *** lines": lambda: repeat("***\n"),
    "rules: - - - lines": lambda: repeat("- - -\n"),
    "rules: ___ with blank lines": lambda: repeat("___\n\n"),
    "headings: ### a": lambda: repeat("### a\n"),
    "headings: ### a with blank lines": lambda: repeat("### a\n\n"),
    "headings: distinct": lambda: "".join(f"### h{i}\n" for i in range(ROOM // 12)),
    "headings: setext ---": lambda: repeat("a\n---\n"),
    "headings: setext ===": lambda: repeat("a\n=\n"),
    "<: 24 lines of <a@": lambda: lines_of("<a@", 24),
    "<: lines of <a@": lambda: lines_of("<a@"),
    "<: lines of <a ": lambda: lines_of("<a "),
    '<: <a b=" unclosed': lambda: lines_of('<a b="'),
    "<: <!-- unclosed": lambda: lines_of("<!--"),
    "<: <?x": lambda: lines_of("<?x "),
    "<: <![CDATA[": lambda: lines_of("<![CDATA["),
    "<: <!X": lambda: lines_of("<!X "),
    "<: </a": lambda: lines_of("</a"),
    "<: < alone": lambda: lines_of("< "),
    "<: one <a@ then plain text": lambda: then_words("<a@"),
    "<: <a ...> closed on each line": lambda: lines_of("<a@ b=\"x>\" ") ,
    "emphasis: *_": lambda: lines_of("*_"),
    "emphasis: *_ in blocks": lambda: blocks("*_*_*_*_\n", 100),
    "emphasis: *a": lambda: lines_of("*a"),
    "emphasis: **__": lambda: lines_of("**__"),
    "emphasis: _a_": lambda: lines_of("_a_ "),
    "emphasis: ***a": lambda: lines_of("***a"),
    "backslashes: \\\\": lambda: lines_of("\\"),
    "backslashes: \\*": lambda: lines_of("\\*"),
    "backticks: `a": lambda: lines_of("`a"),
    "backticks: ``` lines": lambda: repeat("```\n"),
    "backticks: fenced blocks": lambda: repeat("```\na\n```\n"),
    "tildes: ~~~ lines": lambda: repeat("~~~\n"),
    "lists: 6 deep": lambda: repeat("".join("    " * i + "- a\n" for i in range(6))),
    "lists: one item a line": lambda: repeat("- a\n"),
    "lists: numbered": lambda: repeat("1. a\n"),
    "lists: loose": lambda: repeat("- a\n\n"),
    "quotes: 6 deep": lambda: repeat("> > > > > > a\n"),
    "quotes: one line each": lambda: repeat("> a\n\n"),
    "quotes: nested list in quote": lambda: repeat("> - > - a\n"),
    "admonitions": lambda: repeat("!!! note\n    a\n"),
    "tables: rows": lambda: "|a|b|\n|---|---|\n" + repeat("|a|b|\n"),
    "tables: 2,400 columns": lambda: (
        "|" + "a|" * 2_400 + "\n|" + "-|" * 2_400 + "\n" + ("|" + "a|" * 2_400 + "\n") * 24),
    "tables: pipes": lambda: lines_of("|"),
    "references: definitions": lambda: "".join(f"[r{i}]: https://x.dk/{i}\n" for i in range(ROOM // 20)),
    "references: one definition, many uses": lambda: "[a]: https://x.dk\n\n" + lines_of("[a] "),
    "references: [a][b] runs": lambda: lines_of("[a][b]"),
    "links: a link a word": lambda: lines_of("[a](https://x.dk) "),
    "brackets: ][": lambda: lines_of("]["),
    "entities: &amp;": lambda: lines_of("&amp;"),
    "entities: &": lambda: lines_of("&"),
    "hard breaks": lambda: repeat("a  \n"),
    "attribute lists": lambda: lines_of("a {: .b } "),
    "indented code": lambda: repeat("    a\n"),
    "blank lines": lambda: repeat("\n"),
    "plain words in one paragraph": lambda: lines_of("ord "),
    "plain words in paragraphs": lambda: then_words(""),
}

# Inputs at the shape limits, each the worst of its kind that the checker still accepts; each keeps every
# limit at once (the lines, the longest block, the formatting characters).
_SPLITS = limits.MAX_HEADINGS + limits.MAX_RULES
AT_THE_LIMITS: dict[str, Callable[[], str]] = {
    "the most headings, one in each of the longest blocks": lambda: then_words("\n\n".join(
        "### a\n" + ("b " * 2_400 + "b\n") * 2 for _ in range(limits.MAX_HEADINGS))),
    "the most rules, one in each of the longest blocks": lambda: then_words("\n\n".join(
        "a\n***\n" + ("b " * 2_400 + "b\n") * 2 for _ in range(limits.MAX_RULES))),
    "the most headings and rules in one block of short lines": lambda: then_words(
        "### a\n" * (limits.MAX_HEADINGS - 2) + "***\n" * limits.MAX_RULES
        + "b\n" * (limits.MAX_LINES - _SPLITS - 200)),
    "the most setext headings in one block of short lines": lambda: then_words(
        "b\n" * (limits.MAX_BLOCK_CHARS // 4) + "a\n===\n" * (limits.MAX_RULES - 1)),
    "the most open tags, then plain words": lambda: then_words("<a@ " * limits.MAX_OPEN_TAGS),
    "the most closed tag-like runs ('<a@ ' ... '>')": lambda: then_words("\n\n".join(
        ["<a@ " * 1_249 + ">"] * (limits.MAX_MARKUP_CHARS // 1_249))),
    "the most closed tag-like runs with quotes": lambda: then_words("\n\n".join(
        ["<a@ b='" * 714 + ">"] * (limits.MAX_MARKUP_CHARS // 714))),
    "the most formatting characters (*_) in the longest blocks": lambda: then_words("\n\n".join(
        "*_" * 2_000 for _ in range(limits.MAX_MARKUP_CHARS // 4_000))),
    "the most formatting characters (\\) in the longest blocks": lambda: then_words("\n\n".join(
        "\\" * 4_000 for _ in range(limits.MAX_MARKUP_CHARS // 4_000))),
    "the most formatting characters (`a) in the longest blocks": lambda: then_words("\n\n".join(
        "`a" * 2_000 for _ in range(limits.MAX_MARKUP_CHARS // 2_000))),
    "the most formatting characters (&amp;) in the longest blocks": lambda: then_words("\n\n".join(
        "&amp;" * 800 for _ in range(limits.MAX_MARKUP_CHARS // 800))),
    "the most lines, one quote each": lambda: then_words("> a\n\n" * (limits.MAX_LINES // 2 - 40)),
    "the most lines, one list item each": lambda: then_words(
        "- a\n" * (limits.MAX_BLOCK_CHARS // 4 - 10) + "\n"
        + "- a\n" * (limits.MAX_LINES - limits.MAX_BLOCK_CHARS // 4 - 100)),
    "the most lines, one admonition each": lambda: then_words("!!! note\n    a\n\n" * (limits.MAX_LINES // 3 - 20)),
    "the most lines, lists 6 deep": lambda: then_words(
        "\n".join("".join("    " * i + "- a\n" for i in range(6)) for _ in range(limits.MAX_LINES // 7 - 10))),
    "a table in the longest block": lambda: then_words(
        "|a|b|c|\n|---|---|---|\n" + "|a|b|c|\n" * (limits.MAX_BLOCK_CHARS // 8 - 5)),
}

TIMES: dict[str, tuple[float, float | None]] = {}


def _measure(body: str) -> tuple[float, float | None, list[str]]:
    """(checker seconds, renderer seconds or None if refused, the checker's messages) for one story file."""
    if len(body) > ROOM:  # cut at a line break, to the largest file allowed
        body = body[: body.rfind("\n", 0, ROOM) + 1]
    text = HEAD + body
    assert len(text.encode("utf-8")) <= limits.MAX_FILE_BYTES
    assert max(map(len, text.split("\n"))) <= limits.MAX_LINE_CHARS
    with mini_bank() as root:
        (root / "stories" / "x.md").write_text(text, encoding="utf-8")
        start = time.process_time()
        bank = load_bank(root)
        checked = time.process_time() - start
    problems = [str(p) for p in bank.problems]
    if problems:
        return checked, None, problems
    renderer = Renderer()
    start = time.process_time()
    renderer.render(text.split("\n---\n", 1)[1], "historier/x.md")
    return checked, time.process_time() - start, problems


@pytest.mark.parametrize("name", list(FAMILIES))
def test_every_family_at_the_largest_size_is_checked_and_built_in_time(name: str) -> None:
    checked, built, _ = _measure(FAMILIES[name]())
    TIMES[name] = (checked, built)
    assert checked <= TIME_BOUND, f"the checker took {checked:.2f} s of CPU on {name}"
    assert built is None or built <= TIME_BOUND, f"the renderer took {built:.2f} s of CPU on {name}"


@pytest.mark.parametrize("name", list(AT_THE_LIMITS))
def test_input_at_the_shape_limits_is_accepted_and_built_in_time(name: str) -> None:
    checked, built, problems = _measure(AT_THE_LIMITS[name]())
    TIMES[f"limits: {name}"] = (checked, built)
    assert problems == []
    assert checked <= TIME_BOUND, f"the checker took {checked:.2f} s of CPU on {name}"
    assert built is not None and built <= TIME_BOUND, f"the renderer took {built:.2f} s of CPU on {name}"


def test_one_over_each_shape_limit_is_refused_with_its_line() -> None:
    """Each limit is a Danish message naming the line where the text passes it (the body starts at line
    14 of the file, with two headings of its own)."""
    first = 20  # the line of the first character of the body given to _measure
    cases = {
        "### a\n" * (limits.MAX_HEADINGS - 1):
            f":{first + limits.MAX_HEADINGS - 2}: tekst: teksten har 101 overskrifter (højst 100)",
        "***\n\n" * (limits.MAX_RULES + 1): f":{first + 2 * limits.MAX_RULES}: tekst: teksten har 51 linjer kun med",
        "<a@\n" * (limits.MAX_OPEN_TAGS + 1):
            f":{first + limits.MAX_OPEN_TAGS}: tekst: teksten har 11 '<' med et bogstav",
        ("*_" * 2_000 + "\n\n") * 3: f":{first + 4}: tekst: teksten har 12.000 tegn, der styrer formateringen",
        "a\n" * (limits.MAX_BLOCK_CHARS // 2 + 1):
            f":{first}: tekst: et afsnit, en liste, en tabel eller et citat uden tomme linjer er 10.002 tegn langt "
            "(højst 10.000)",
        "a\n\n" * (limits.MAX_LINES // 2): f":{14 + limits.MAX_LINES}: tekst: teksten har 3.00",
    }
    for body, expected in cases.items():
        _, built, problems = _measure(body)
        assert built is None
        assert any(p.startswith("stories/x.md" + expected) and " — " in p for p in problems), (expected, problems[:3])


def test_zz_print_the_slowest_input(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last in this module (by name): prints every family's times and the slowest, for the record."""
    if not TIMES:
        pytest.skip("no family ran")
    rows = sorted(TIMES.items(), key=lambda kv: -max(kv[1][0], kv[1][1] or 0.0))
    with capsys.disabled():
        print("\nCPU seconds (check / build, '-' = refused by the checker):")
        for name, (checked, built) in rows:
            print(f"  {checked:6.3f} / {'-' if built is None else f'{built:6.3f}':>6}  {name}")
        name, (checked, built) = rows[0]
        print(f"slowest input: {max(checked, built or 0.0):.3f} s CPU ({name})")
