"""The printable start guide: every principle with its reflection questions, then the method catalogue.

The guide is one Markdown page built from the principle and method files, so it follows the bank's
own vocabulary (four principles or six) and its texts are rendered and searched like any page.
"""

from __future__ import annotations

import posixpath
import re

from . import urls
from .derive import Catalogue

_HEADING = re.compile(r"^(#{1,6})(?=[ \t])")
_FENCE = re.compile(r"^\s*(```|~~~)")


def demote(body: str, levels: int) -> str:
    """Move every ATX heading outside code fences ``levels`` levels down (at most to h6)."""
    out: list[str] = []
    fenced = False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            line = _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + levels), line)
        out.append(line)
    return "\n".join(out)


def _link(address: str) -> str:
    """A Markdown link from the guide's own source file to the page at ``address``."""
    here = posixpath.dirname(urls.src_uri(urls.STARTGUIDE))
    return posixpath.relpath(urls.src_uri(address), here)


def markdown(catalogue: Catalogue) -> str:
    parts: list[str] = ["## Principperne", ""]
    for p in catalogue.principles:
        parts += [f"### {p.meta.number}. {p.meta.name}", "", f"**{p.meta.statement}**", ""]
        if p.body.strip():
            parts += [demote(p.body.strip(), 2), ""]
        if p.meta.questions:
            parts += ["#### Spørgsmål til refleksion", ""]
            parts += [f"- {q}" for q in p.meta.questions]
            parts.append("")
        parts += [f"[Historier, der viser princip {p.meta.number}: {p.meta.name}]({_link(urls.principle(p.slug))})", ""]
    parts += ["## Metodekataloget", ""]
    if not catalogue.methods:
        parts += ["Der er endnu ingen metoder i videnbanken.", ""]
    for m in catalogue.methods:
        parts += [f"### {m.meta.name}", "", f"**{m.meta.statement}**", ""]
        if m.body.strip():
            parts += [demote(m.body.strip(), 2), ""]
        parts += [f"[Historier med metoden {m.meta.name}]({_link(urls.method(m.slug))})", ""]
    return "\n".join(parts)
