"""The limits every content file must keep, so that every check and the build take time linear in its size.

Contributed content is untrusted, and some input makes a parser slow or deep: Python-Markdown spends
time proportional to (open brackets) x (length of the paragraph) on ``[`` and ``](`` without their
closing partner (32 KB of ``[`` took 209 s), and recurses once for each level of list, blockquote or
admonition (a list 400 deep is a RecursionError); a YAML file of nested aliases expands to millions of
values ("billion laughs"). The checker refuses such input with a message, *before* YAML or Markdown
ever sees it, with the linear scanners here. The contributor guide states these numbers (CONTRIBUTING.md,
section "Grænser").

Python-Markdown is also slower than linear on some shapes that are not deep at all: it rebuilds a block's
text for each inline element it finds, splits a block again at each heading or rule, looks for a free
heading id once per earlier duplicate, and its HTML reader looks for the end of an unclosed tag to the
end of the text. Those shapes are bounded here too (the longest block, the most lines, headings, rules,
formatting characters and open tags), so the renderer stays Python-Markdown, as the design names it:
each limit is far above what a story needs, and with them the slowest input found is a fifth of a second.

Measured (tests/test_shape_fuzz.py: families of shapes at 128 KB, and inputs at every shape limit at
once; tests/test_fuzz.py: generated input up to 256 KB): a file within these limits is checked, and
rendered, in under 0.25 s of CPU time; before the shape limits, 128 KB of ``***`` lines took 83 s.
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

MAX_BLOCK_CHARS = 10_000
"""The longest block: lines with no blank line between them (a paragraph, a list, a table, a quote).
Python-Markdown rebuilds a block's whole text for each link, emphasis or escape it finds in it, and
splits it again at each heading or rule: time grows with the square of a block's length (one
128 KB paragraph of ``\\`` took over 12 s, of ``*_`` 8 s)."""

MAX_LINES = 3_000
"""The most lines in one text. Each block Python-Markdown makes (a list item, a quote, a heading)
costs it about 50 microseconds: 21,000 one-line quotes took 1 s."""

MAX_HEADINGS = 100
"""The most headings (``#`` lines and underlined ``===``/``---`` ones) in one text. Each heading
splits its block again, and the table of contents looks for a free id once for each earlier heading
with the same name (20,000 ``### a`` took 57 s)."""

MAX_RULES = 50
"""The most lines made only of ``-``, ``*``, ``_`` or ``=`` (horizontal rules and underlines); each splits
its block again (32,700 lines of ``***`` took 83 s)."""

MAX_MARKUP_CHARS = 10_000
"""The most characters that steer Markdown's formatting (`` * _ ` \\ | & [ ] < ~ ``) in one text. Each
costs Python-Markdown up to about 8 microseconds, ten thousand times a plain letter (128 KB of
``*_`` took 1 s even in short paragraphs); a long story has a few hundred."""

MAX_OPEN_TAGS = 10
"""The most ``<`` followed by a letter, ``/``, ``!`` or ``?`` with no ``>`` after it on the same line.
Python-Markdown's HTML reader looks for the end of such a tag to the end of the file, each time
(24 lines of ``<a@`` took 40 s)."""

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
    """Nesting, bracket and shape limits of a Markdown text, found in one pass: each line once, each
    paragraph once. Lines count from 1. Fenced code and code spans are counted like text (conservative:
    never less than Markdown)."""
    out: list[Breach] = []
    nesting_reported = False
    paragraph: list[str] = []
    paragraph_line = 1
    shape = _Shape()
    number = 0
    for number, line in enumerate(body.split("\n"), start=1):
        if not line.strip():
            out.extend(_paragraph_breaches(paragraph, paragraph_line))
            paragraph = []
            continue
        if not paragraph:
            paragraph_line = number
        paragraph.append(line)
        shape.add(number, line, paragraph_line)
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
    return out + shape.breaches(number)


_MARKUP_CHARS = "*_`\\|&[]<~"
_TAG_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/!?")


class _Shape:
    """Counts, line by line, what makes Python-Markdown's time grow faster than the text: long blocks,
    many lines, headings, rules, formatting characters and tags left open. Remembers the first line
    where each limit is passed."""

    def __init__(self) -> None:
        self.block_start = 0
        self.block_chars = 0
        self.long_block: tuple[int, int] | None = None  # (first line, characters) of the first long block
        self.headings = self.rules = self.markup = self.open_tags = 0
        self.first: dict[str, int] = {}

    def _count(self, what: str, total: int, limit: int, number: int) -> int:
        if total > limit and what not in self.first:
            self.first[what] = number
        return total

    def add(self, number: int, line: str, block_start: int) -> None:
        if block_start != self.block_start:
            self.block_start, self.block_chars = block_start, 0
        self.block_chars += len(line) + 1
        if self.block_chars > MAX_BLOCK_CHARS and self.long_block is None:
            self.long_block = (block_start, 0)
        if self.long_block is not None and self.long_block[0] == block_start:
            self.long_block = (block_start, self.block_chars)
        text = line.lstrip(" \t>")
        if text.startswith("#") or _after_marker(text).startswith("#"):
            self.headings = self._count("headings", self.headings + 1, MAX_HEADINGS, number)
        elif _is_rule(line) or _is_underline(line):
            self.rules = self._count("rules", self.rules + 1, MAX_RULES, number)
        self.markup = self._count("markup", self.markup + sum(line.count(c) for c in _MARKUP_CHARS),
                                  MAX_MARKUP_CHARS, number)
        if "<" in line:
            self.open_tags = self._count("open_tags", self.open_tags + _open_tags(line), MAX_OPEN_TAGS, number)

    def breaches(self, lines: int) -> list[Breach]:
        out: list[Breach] = []
        if self.long_block is not None:
            start, chars = self.long_block
            out.append(Breach(
                start, f"et afsnit, en liste, en tabel eller et citat uden tomme linjer er {_thousands(chars)} tegn "
                f"langt (højst {_thousands(MAX_BLOCK_CHARS)})",
                "sæt tomme linjer ind mellem afsnittene, eller del listen eller tabellen op",
            ))
        if lines > MAX_LINES:
            out.append(Breach(
                MAX_LINES + 1, f"teksten har {_thousands(lines)} linjer (højst {_thousands(MAX_LINES)})",
                "forkort teksten, eller del den op i flere historier",
            ))
        for what, count, limit, said, fix in (
            ("headings", self.headings, MAX_HEADINGS, "overskrifter", "brug færre overskrifter"),
            ("rules", self.rules, MAX_RULES, "linjer kun med - * _ eller = (vandrette streger)",
             "brug færre vandrette streger; skal linjen stå som tekst, så skriv \\ foran tegnene"),
            ("markup", self.markup, MAX_MARKUP_CHARS, "tegn, der styrer formateringen (* _ ` \\ | & [ ] < ~)",
             "skriv mere som almindelig tekst med færre *, _, tabeller og links"),
            ("open_tags", self.open_tags, MAX_OPEN_TAGS, "'<' med et bogstav efter og uden '>' senere på linjen",
             "skriv '<' med et mellemrum efter, eller skriv ordet 'mindre end'"),
        ):
            if what in self.first:
                out.append(Breach(
                    self.first[what], f"teksten har {_thousands(count)} {said} (højst {_thousands(limit)})", fix,
                ))
        return out


def _after_marker(text: str) -> str:
    """``text`` after one list marker ('- ', '* ', '+ ', '1. '), if it starts with one."""
    if text[:1] in ("-", "*", "+") and text[1:2] in (" ", "\t"):
        return text[2:].lstrip(" \t>")
    digits = len(text) - len(text.lstrip("0123456789"))
    if 0 < digits <= 9 and text[digits:digits + 1] in (".", ")") and text[digits + 1:digits + 2] in (" ", "\t"):
        return text[digits + 2:].lstrip(" \t>")
    return text


def _is_underline(line: str) -> bool:
    """A setext underline: only '=' or only '-' (spaces around allowed)."""
    text = line.strip()
    return bool(text) and (not text.strip("=") or not text.strip("-"))


def _open_tags(line: str) -> int:
    """How many '<' in the line start a tag (a letter, '/', '!' or '?' right after) with no '>' after it."""
    last_close = line.rfind(">")
    count = 0
    start = line.find("<", last_close + 1)
    while start >= 0:
        if line[start + 1:start + 2] in _TAG_START:
            count += 1
        start = line.find("<", start + 1)
    return count


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
