"""A problem found in the content, reported in Danish with file, line, field and a fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from .words import plural


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.what} — {self.fix}"


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """' — mente du »x«?'-style hint, or '' when nothing is close."""
    options = list(choices)
    text = str(value).strip().lower()
    match = difflib.get_close_matches(text, options, n=1, cutoff=0.6)
    if not match:
        lowered = {o.lower(): o for o in options}
        match = difflib.get_close_matches(text, list(lowered), n=1, cutoff=0.6)
        match = [lowered[m] for m in match]
    return f"mente du '{match[0]}'?" if match else ""


def choose_from(value: object, choices: Iterable[str]) -> str:
    """A fix text: the did-you-mean first, then the allowed values."""
    options = list(choices)
    hint = did_you_mean(value, options)
    allowed = "brug en af: " + ", ".join(options)
    return f"{hint} ({allowed})" if hint else allowed


def report(problems: Iterable[Problem]) -> str:
    items = sorted(problems)
    head = f"Videnbanken har {plural(len(items), 'problem', 'problemer')} i indholdet:"
    return "\n".join([head, *(f"  {p}" for p in items)])


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """A GitHub Actions error annotation for ``problem``."""
    return (
        f"::error file={_escape_property(problem.path)},line={problem.line},"
        f"title={_escape_property(problem.field)}::{_escape_data(f'{problem.what} — {problem.fix}')}"
    )
