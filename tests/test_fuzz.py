"""Hostile input is answered fast: the checker's time is linear in the input, and what it accepts
Python-Markdown (the build) renders fast and without recursing too deep.

The known slow inputs of issue 11 are listed with their exact messages; a fuzz test with a fixed seed
(hypothesis, ``derandomize=True``) feeds generated inputs up to 256 KB, built from the shapes that make
parsers slow, through the checker and, when accepted, through Markdown. The bound is CPU time of
this process (``time.process_time``), so other work on the machine does not make the test flaky.
"""

from __future__ import annotations

import time

import markdown
import pytest
from conftest import mini_bank
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from videnbank import limits
from videnbank.load import load_bank

TIME_BOUND = 2.0
"""Seconds of CPU time one input may take, for the checker and again for Markdown. Accepted input
(at most 128 KB) takes under a second; the bound leaves room for a slower machine."""

HEAD = (
    "---\ntitel: Et eksempel\nsammendrag: Kort om eksemplet.\ndato: 2024-01-02\npublicering: udgivet\n"
    "principper: [alfa]\naktører:\n  - navn: Foreningen\n    sektor: civilsamfund\nstatus: igang\n"
    "kontakt:\n  organisation: Foreningen\n---\n## Udfordringen\n\nTekst.\n\n## Det gjorde vi\n\n"
)
SLOWEST: dict[str, float] = {}


def _note(label: str, seconds: float) -> None:
    if seconds > SLOWEST.get("seconds", -1.0):
        SLOWEST.update(seconds=seconds)
        SLOWEST["label"] = label  # type: ignore[assignment]


def check(text: str, label: str = "") -> list[str]:
    """The checker's messages for one story file, asserting the time bound; then, if the checker
    accepts the text, the build's Markdown on it, under the same bound."""
    with mini_bank() as root:
        (root / "stories" / "x.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        start = time.process_time()
        bank = load_bank(root)
        spent = time.process_time() - start
    _note(f"tjek: {label}", spent)
    assert spent < TIME_BOUND, f"the checker took {spent:.2f} s on {label or text[:80]!r}"
    problems = [str(p) for p in sorted(bank.problems)]
    if bank.stories or not any(p.field in {"tekst", "fil"} for p in bank.problems):
        body = text.split("\n---\n", 1)[-1]
        renderer = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "attr_list", "admonition"])
        start = time.process_time()
        renderer.convert(body)  # a RecursionError here fails the test
        spent = time.process_time() - start
        _note(f"Markdown: {label}", spent)
        assert spent < TIME_BOUND, f"Markdown took {spent:.2f} s on accepted input {label or text[:80]!r}"
    return problems


def _laughs(levels: int) -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 10)}]")
    return "---\n" + "\n".join(lines) + "\n---\nTekst.\n"


KNOWN: dict[str, tuple[str, list[str]]] = {
    # 46 s before (the code-span rule was cubic); a run of backticks is plain text, and the story is fine.
    "x and 3,000 backticks": (HEAD + "x" + "`" * 3_000 + "\n", []),
    "x and 5,000 backticks": (HEAD + "x" + "`" * 4_999 + "\n", []),
    # 209 s before in Python-Markdown.
    "32 KB of [ on one line": (HEAD + "[" * 32_768 + "\n", [
        "stories/x.md:20: fil: linjen er 32.768 tegn lang (højst 5.000) — "
        "del linjen op: sæt et linjeskift efter et punktum; en tom linje starter et nyt afsnit",
    ]),
    "32 KB of [ in one paragraph": (HEAD + "[[[[[[[[\n" * 3_641, [
        "stories/x.md:20: tekst: afsnittet har 29.128 '[' eller '](' uden afslutning (højst 10) — "
        "luk hvert link som [tekst](https://...), skriv \\[ for tegnet [ alene, eller del afsnittet op",
        "stories/x.md:20: tekst: et afsnit, en liste, en tabel eller et citat uden tomme linjer er 32.769 tegn "
        "langt (højst 10.000) — sæt tomme linjer ind mellem afsnittene, eller del listen eller tabellen op",
        "stories/x.md:20: tekst: firkantede parenteser er indlejret 29.128 niveauer dybt (højst 4) — "
        "skriv links uden [ ] inde i hinanden; skal tegnet [ stå i teksten, så skriv \\[",
        "stories/x.md:1270: tekst: teksten har 29.128 tegn, der styrer formateringen (* _ ` \\ | & [ ] < ~) "
        "(højst 10.000) — skriv mere som almindelig tekst med færre *, _, tabeller og links",
        "stories/x.md:3014: tekst: teksten har 3.648 linjer (højst 3.000) — "
        "forkort teksten, eller del den op i flere historier",
    ]),
    # 10^9 values before: a hang.
    "billion laughs": (_laughs(9), [
        "stories/x.md:2: front matter: ankre og henvisninger (&a) er ikke tilladt — "
        "skriv værdien ud hvert sted, den skal stå; fjern '&navn' og '*navn'",
    ]),
    # Passed the checker before, then a RecursionError in the build.
    "a list nested 400 deep": (HEAD + "".join("\t" * i + "- a\n" for i in range(400)), [
        "stories/x.md:20: tekst: et afsnit, en liste, en tabel eller et citat uden tomme linjer er 81.400 tegn "
        "langt (højst 10.000) — sæt tomme linjer ind mellem afsnittene, eller del listen eller tabellen op",
        "stories/x.md:26: tekst: lister, citater ('>') eller bokse er indlejret 7 niveauer dybt (højst 6) — "
        "skriv med færre niveauer: ryk punkterne mindre ind, eller del dem op i flere lister",
    ]),
    "a list nested 400 deep on one line": (HEAD + "- " * 400 + "a\n", [
        "stories/x.md:20: tekst: lister, citater ('>') eller bokse er indlejret 400 niveauer dybt (højst 6) — "
        "skriv med færre niveauer: ryk punkterne mindre ind, eller del dem op i flere lister",
    ]),
    "blockquotes 400 deep": (HEAD + ">" * 400 + " a\n", [
        "stories/x.md:20: tekst: lister, citater ('>') eller bokse er indlejret 400 niveauer dybt (højst 6) — "
        "skriv med færre niveauer: ryk punkterne mindre ind, eller del dem op i flere lister",
    ]),
    "YAML nested 10,000 deep": ("---\nx: " + "[" * 10_000 + "]" * 10_000 + "\n---\nTekst.\n", [
        "stories/x.md:2: fil: linjen er 20.003 tegn lang (højst 5.000) — "
        "del linjen op: sæt et linjeskift efter et punktum; en tom linje starter et nyt afsnit",
    ]),
    "YAML nested 1,000 deep within the line limit": ("---\nx: " + "[" * 1_000 + "]" * 1_000 + "\n---\nTekst.\n", [
        "stories/x.md:2: front matter: felterne er indlejret mere end 10 niveauer dybt — "
        "skriv felterne med færre niveauer, som i skabelonen",
    ]),
    "a file over 128 KB": (HEAD + ("Tekst. " * 700 + "\n") * 60, [
        "stories/x.md:1: fil: filen fylder 288 KB (højst 128 KB) — "
        "forkort teksten, eller del den op i flere historier; billeder skal ligge i deres egne filer",
    ]),
    # The worst shapes found that keep every limit: accepted, and checked and rendered in time.
    "paragraphs at the open-bracket limit, 125 KB": (
        HEAD + "\n".join("[[[ " + "a](https://x.dk 'b " * 7 + "\n" + ("a" * 4_900 + "\n") * 2 for _ in range(12)), [],
    ),
    # (Before the shape limits these were 125 KB; they now hold the most formatting characters allowed.)
    "lists 6 deep, at the formatting limit": (
        HEAD + "\n".join("".join("    " * i + "- a *b* _c_ `d` [e](https://x.dk)\n" for i in range(6))
                          for _ in range(limits.MAX_MARKUP_CHARS // 48)), [],
    ),
    "a link in every word, at the formatting limit": (
        HEAD + ("a [b](https://x.dk) *c* " * 150 + "\n\n") * (limits.MAX_MARKUP_CHARS // 600), [],
    ),
    "blockquotes 6 deep, at the formatting limit": (
        HEAD + ("> " * 6 + "a [b](https://x.dk) " * 200 + "\n\n") * (limits.MAX_MARKUP_CHARS // 400), [],
    ),
}


@pytest.mark.parametrize("name", list(KNOWN))
def test_known_slow_inputs_are_answered_fast(name: str) -> None:
    text, expected = KNOWN[name]
    assert check(text, name) == expected


# --- generated input --------------------------------------------------------------------------------------------

PIECES = [
    "`", "``", "```\n", "[", "]", "](", "(", ")", "![", "*", "**", "_", "<", "<a ", ">", "> ", "- ", "* ", "1. ",
    "    ", "\t", "\n", "\n\n", "!!! note\n", "x", "a b ", "&", "&amp;", "{: ", "{: onclick=x }", "}", "'", '"',
    "#", "## ", "|", "|---|\n", "---\n", "\\", ":", "æøå ", "\u2028", "\x00", "[a](https://x.dk)", "[a](x 'b ",
    "010203-1234 ", "a@b.dk ", "23 45 67 89 ",
]
YAML_PIECES = [
    "a: ", "&a ", "*a ", "[", "]", "{", "}", "- ", "  ", "\t", ": ", "'", '"', "!!str ", "!!python/object ",
    "\n", "x", ", ", "? ", "|\n", ">\n", "#", "%YAML 1.1\n", "...\n", "titel: ", "0" * 50,
]


def _runs(pieces: list[str], max_repeat: int) -> st.SearchStrategy[str]:
    run = st.tuples(st.sampled_from(pieces), st.integers(1, max_repeat)).map(lambda t: t[0] * t[1])
    noise = st.text(max_size=200)
    return st.lists(st.one_of(run, noise), min_size=1, max_size=12).map("".join)


def _cut(text: str, size: int = 256 * 1024) -> str:
    return text.encode("utf-8", "surrogatepass")[:size].decode("utf-8", "ignore")


@settings(derandomize=True, database=None, max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=_runs(PIECES, 40_000))
def test_generated_bodies_up_to_256_kb_are_checked_and_rendered_in_time(body: str) -> None:
    check(_cut(HEAD + body), f"tekst på {len(body)} tegn")


@settings(derandomize=True, database=None, max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(front=_runs(YAML_PIECES, 20_000), body=_runs(PIECES, 2_000))
def test_generated_front_matter_up_to_256_kb_is_checked_in_time(front: str, body: str) -> None:
    check(_cut(f"---\n{front}\n---\n{body}"), f"front matter på {len(front)} tegn")


@settings(derandomize=True, database=None, max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(line=_runs(PIECES, 600), lines=st.integers(1, 400))
def test_generated_lines_within_the_line_limit_are_checked_and_rendered_in_time(line: str, lines: int) -> None:
    """The same shapes, cut to lines of at most MAX_LINE_CHARS, so they reach YAML and Markdown."""
    line = line.replace("\n", " ")[: limits.MAX_LINE_CHARS]
    check(_cut(HEAD + (line + "\n") * lines), f"{lines} linjer på {len(line)} tegn")


def test_zz_report_the_slowest_input(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last in this module (by name): prints the slowest input seen, for the record."""
    if SLOWEST:
        with capsys.disabled():
            print(f"\nslowest input: {SLOWEST['seconds']:.3f} s CPU ({SLOWEST['label']})")


def test_the_contributor_guide_states_the_limits() -> None:
    """The numbers in the guide's section 'Grænser' are the constants the checker uses."""
    from conftest import REPO

    guide = (REPO / "docs" / "bidrag.md").read_text(encoding="utf-8")
    section = guide.split("## Grænser", 1)[1].split("\n## ", 1)[0]
    for stated in (
        f"| Filens størrelse | {limits.MAX_FILE_BYTES // 1024} KB",
        f"| En linjes længde | {limits.MAX_LINE_CHARS:,} tegn".replace(",", "."),
        f"| {limits.MAX_NESTING} niveauer |",
        f"| {limits.MAX_OPEN_BRACKETS} (et afsnit",
        f"| {limits.MAX_BRACKET_DEPTH} niveauer |",
        f"| {limits.MAX_BLOCK_CHARS:,} tegn |".replace(",", "."),
        f"| Linjer i teksten | {limits.MAX_LINES:,} |".replace(",", "."),
        f"| Overskrifter i teksten | {limits.MAX_HEADINGS} |",
        f"eller `=`) | {limits.MAX_RULES} |",
        f"| {limits.MAX_MARKUP_CHARS:,} i alt |".replace(",", "."),
        f"senere på linjen | {limits.MAX_OPEN_TAGS} |",
        f"| {limits.MAX_YAML_DEPTH} niveauer |",
        f"| {limits.MAX_SLUG_CHARS} tegn |",
        f"før {limits.MIN_YEAR}",
    ):
        assert stated in section, stated
    assert section in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
