"""The limits every content file must keep, so that every check and the build take time linear in its size.

Contributed content is untrusted, and some input makes a parser slow or deep: Python-Markdown spends
time proportional to (open brackets) x (length of the paragraph) on ``[`` and ``](`` without their
closing partner (32 KB of ``[`` took 209 s), and recurses once for each level of list, blockquote or
admonition (a list 400 deep is a RecursionError); a YAML file of nested aliases expands to millions of
values ("billion laughs"). The checker refuses such input with a message, *before* YAML or Markdown
ever sees it, with the linear scanners here. The contributor guide states these numbers (CONTRIBUTING.md,
section "Grænser").

Measured (tests/test_fuzz.py, Python-Markdown 3.x): a file within these limits is checked, and rendered,
in under a second of CPU time; input up to 256 KB of every shape tried is answered within 2 s.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

MAX_FILE_BYTES = 128 * 1024
"""The largest content file (128 KB); a long story is about 20 KB. Python-Markdown needs up to about
5 microseconds a character on text dense with links and emphasis, so 128 KB stays well under a second."""

MAX_LINE_CHARS = 5_000
"""The longest line in a content file, in characters (a long paragraph on one line is about 2,000)."""

MAX_NESTING = 6
"""How deep lists, blockquotes (``>``) and boxes (``!!!``) may be nested inside each other in the text."""

MAX_OPEN_BRACKETS = 10
"""How many ``[`` without a ``]``, and ``](`` without a plain ``)``, one paragraph may hold."""

MAX_BRACKET_DEPTH = 4
"""How deep square brackets may be nested (``[![billede](fil)](adresse)`` is 2)."""

MAX_LINK_TARGET_CHARS = 2_000
"""The longest link target between ``](`` and ``)`` counted as closed."""

MAX_YAML_DEPTH = 10
"""How deep fields may be nested in front matter or council.yml (a story needs 3)."""

MAX_SLUG_CHARS = 80
"""The longest short name (file name without ``.md``); it becomes the page's address."""

MIN_YEAR = 1950
"""The earliest year a story's dates may name."""


@dataclass(frozen=True)
class Breach:
    """One limit broken at a line (1 = the first line of the text given)."""

    line: int
    what: str
    fix: str


def long_lines(text: str, first_line: int = 1) -> Iterator[tuple[int, int]]:
    """(line number, length) of each line longer than ``MAX_LINE_CHARS``; linear in ``text``."""
    number = first_line
    start = 0
    end = len(text)
    while start <= end:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        if stop - start > MAX_LINE_CHARS:
            yield number, stop - start
        number += 1
        start = stop + 1


def line_breaches(text: str) -> list[Breach]:
    """Too-long lines, at most five reported (the fix is the same for all)."""
    out: list[Breach] = []
    for number, length in long_lines(text):
        out.append(Breach(
            number, f"linjen er {_thousands(length)} tegn lang (højst {_thousands(MAX_LINE_CHARS)})",
            "del linjen op: sæt et linjeskift efter et punktum; en tom linje starter et nyt afsnit",
        ))
        if len(out) == 5:
            break
    return out


def body_breaches(body: str) -> list[Breach]:
    """Nesting and bracket limits of a Markdown text, found in one pass: each line once, each paragraph
    once. Lines count from 1. Fenced code is counted like text (conservative: never less than Markdown)."""
    out: list[Breach] = []
    nesting_reported = False
    paragraph: list[str] = []
    paragraph_line = 1
    number = 0
    for number, line in enumerate(body.split("\n"), start=1):
        if not line.strip():
            out.extend(_paragraph_breaches(paragraph, paragraph_line))
            paragraph = []
            continue
        if not paragraph:
            paragraph_line = number
        paragraph.append(line)
        depth = nesting_depth(line)
        if depth > MAX_NESTING and not nesting_reported:
            nesting_reported = True
            out.append(Breach(
                number,
                f"lister, citater ('>') eller bokse er indlejret {_thousands(depth)} niveauer dybt "
                f"(højst {MAX_NESTING})",
                "skriv med færre niveauer: ryk punkterne mindre ind, eller del dem op i flere lister",
            ))
    out.extend(_paragraph_breaches(paragraph, paragraph_line))
    return out


def nesting_depth(line: str) -> int:
    """An upper bound of how deep the line sits in lists, blockquotes and admonitions: one level for
    each ``>``, each list marker and each 4 columns of indentation in front of the text."""
    if _is_rule(line):
        return 0
    markers = 0
    columns = 0
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if c == " ":
            columns += 1
            i += 1
        elif c == "\t":
            columns += 4 - columns % 4
            i += 1
        elif c == ">" or (c in "-*+" and i + 1 < n and line[i + 1] in " \t"):
            markers += 1
            i += 2 if i + 1 < n and line[i + 1] == " " else 1  # the one space after a marker is not indentation
        elif c.isdigit():
            j = i
            while j < n and j - i < 10 and line[j].isdigit():
                j += 1
            if j < n and line[j] in ".)" and j + 1 < n and line[j + 1] in " \t":
                markers += 1
                i = j + 2 if line[j + 1] == " " else j + 1
            else:
                break
        elif line.startswith("!!!", i) or line.startswith("???", i):
            markers += 1
            break
        else:
            break
    return markers + columns // 4


def _is_rule(line: str) -> bool:
    """A horizontal rule ('- - -', '* * *', '___'): not a list, however many markers."""
    text = line.strip()
    return len(text) >= 3 and text[0] in "-*_" and not text.replace(text[0], "").replace(" ", "").replace("\t", "")


def _paragraph_breaches(lines: list[str], first: int) -> list[Breach]:
    if not lines:
        return []
    text = "\n".join(lines)
    if "[" not in text:
        return []
    open_count, depth = bracket_cost(text)
    out: list[Breach] = []
    if depth > MAX_BRACKET_DEPTH:
        out.append(Breach(
            first, f"firkantede parenteser er indlejret {_thousands(depth)} niveauer dybt (højst {MAX_BRACKET_DEPTH})",
            "skriv links uden [ ] inde i hinanden; skal tegnet [ stå i teksten, så skriv \\[",
        ))
    if open_count > MAX_OPEN_BRACKETS:
        out.append(Breach(
            first, f"afsnittet har {_thousands(open_count)} '[' eller '](' uden afslutning (højst {MAX_OPEN_BRACKETS})",
            "luk hvert link som [tekst](https://...), skriv \\[ for tegnet [ alene, eller del afsnittet op",
        ))
    return out


def bracket_cost(text: str) -> tuple[int, int]:
    """(open brackets, deepest nesting) of one paragraph, in one pass.

    Python-Markdown scans from each ``[`` to its ``]`` (to the end of the paragraph if there is none)
    and from each ``](`` to its ``)``. Counted as open: a ``[`` without its ``]``, and a ``](`` not
    followed, within ``MAX_LINK_TARGET_CHARS``, by a ``)`` with none of ``( ' " <`` before it (those make
    Python-Markdown look for a title or nested parentheses, possibly to the end).
    """
    stack = 0
    deepest = 0
    unmatched_closers_before = 0
    open_count = 0
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == "[":
            stack += 1
            deepest = max(deepest, stack)
        elif c == "]":
            if stack:
                stack -= 1
            else:
                unmatched_closers_before += 1
            if i + 1 < n and text[i + 1] == "(":
                j = i + 2
                limit = min(n, j + MAX_LINK_TARGET_CHARS)
                while j < limit and text[j] not in "()'\"<":
                    j += 1
                if not (j < limit and text[j] == ")"):
                    open_count += 1
        i += 1
    return open_count + stack, deepest


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")
