"""Danish wording shared by every message and page: the one plural helper."""

from __future__ import annotations


def plural(count: int, one: str, many: str) -> str:
    """'1 historie', '3 historier': the count and the word in the form it takes."""
    return f"{count} {one if count == 1 else many}"


def them(count: int) -> str:
    """The pronoun that points back to ``count`` things: 'Ret det' (one problem), 'Ret dem' (more)."""
    return "det" if count == 1 else "dem"
