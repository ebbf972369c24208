"""Content keeps its own clothes: what a text's Markdown may dress itself in, and where it may link.

One set of rules, used twice: the checker (safety.py) reports each breach with its line, in
Danish, and the renderer (render.py, ``Clothes``) makes the same breach harmless in the HTML, so
a page is safe also if the checker was skipped.

- Boxes (``!!! type "Titel"``) only of the types the contributor guide names (``ADMONITION_TYPES``),
  one type a box: ``!!! md-dialog md-dialog--active`` would dress text as the theme's dialog.
- Attribute lists (``{: ... }``) hold only the button classes (``BUTTON_CLASSES``, only on a link
  to a page of this site) and ids that the theme and the site do not use themselves: a heading
  or an element with the id ``__config`` stops all of Material's JavaScript on the page.
- No heading takes a reserved id either: its anchor gets a prefix instead (``RESERVED_ID_PREFIXES``).
- Links in text go to ``https:``, ``mailto:`` or a page of this site, as ``urls.safe_link`` says
  for every address on a page: ``http://`` and ``//host`` are refused with the fix (use https://).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import urls

ADMONITION_TYPES: dict[str, str] = {
    "note": "en bemærkning",
    "info": "en oplysning",
    "tip": "et godt råd",
    "example": "et eksempel",
    "quote": "et citat",
    "warning": "en advarsel",
}
"""The boxes a text may have (``!!! tip "Godt at vide"``), as the contributor guide lists them."""
BUTTON_CLASSES: dict[str, str] = {"knap": "md-button", "knap-primaer": "md-button--primary"}
"""The classes an attribute list may give, and the theme's classes they become: ``{ .knap }``
makes a link to a page of this site look like a button. On any other link they are left out."""
RESERVED_ID_PREFIXES = ("md-", "__", "vb-", "pagefind")
"""Ids the theme (``md-…``, ``__config``, ``__drawer``, ``__search``), the site's templates
(``vb-…``) and the search (``pagefind…``) use; no content may take one."""
HEADING_ID_PREFIX = "afsnit-"
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_GUIDE = "se afsnittet \"Links, bokse og knapper\" i CONTRIBUTING.md"
_ADMONITION_LINE = re.compile(r"^\s*!!!\s*(?P<classes>[\w\-]+(?:[ \t]+[\w\-]+)*)")
_ATTR_TOKEN = re.compile(r"[.#][\w\-]+|[^\s=]+=(?:\"[^\"]*\"|'[^']*'|\S+)")
_CODE_LANGUAGE = re.compile(r"language-[a-z0-9+#-]+")  # ```python: the code's language, as a class
_AMP_SUBSTITUTE = "\x02amp\x03"  # Python-Markdown's stand-in for '&' in attribute values (e-mail autolinks)


def reserved_id(value: str) -> bool:
    return value.lower().startswith(RESERVED_ID_PREFIXES)


def admonition_problem(line: str) -> tuple[str, str] | None:
    """(what, fix) if ``line`` opens a box of a type the guide does not name, or of several types."""
    match = _ADMONITION_LINE.match(line)
    if not match:
        return None
    classes = match.group("classes").lower().split()
    if classes[0] in ADMONITION_TYPES and len(classes) == 1:
        return None
    shown = " ".join(classes)
    return (f"boksen '!!! {shown}' er ikke en af de tilladte typer",
            f"skriv én af {', '.join(ADMONITION_TYPES)}, fx !!! tip \"Godt at vide\" ({_GUIDE})")


def attribute_list_problems(text: str) -> list[tuple[str, str]]:
    """(what, fix) for each token of an attribute list ``text`` (what is between ``{`` and ``}``)
    that is not allowed. Text that is not an attribute list (``{x y}`` in prose) gives none."""
    tokens = text.strip().removeprefix(":").split()
    if not tokens or not all(_ATTR_TOKEN.fullmatch(t) for t in tokens):
        return []
    found = []
    for token in tokens:
        if "=" in token:
            continue  # an attribute: the checker's own rule (safety.py) names those
        if token.startswith(".") and token[1:] not in BUTTON_CLASSES:
            found.append((f"klassen '{token}' er ikke tilladt",
                          f"brug .knap eller .knap-primaer på et link til en side her, eller fjern den ({_GUIDE})"))
        elif token.startswith("#") and (reserved_id(token[1:]) or not _ID.fullmatch(token[1:])):
            found.append((f"ankeret '{token}' er forbeholdt sitet selv",
                          "giv ankeret et andet navn med små bogstaver, tal og -, fx #om-projektet"))
    return found


_BUTTON_LINK = re.compile(r"\]\(\s*<?([^\s)>]*)[^)]*\)\{:?[^{}\n]*\.knap")


def button_problems(line: str) -> list[tuple[str, str]]:
    """(what, fix) for each ``{ .knap }`` on a link that leaves the site: a button is the site's own."""
    return [(f"linket til '{_short(m.group(1))}' kan ikke være en knap, fordi det fører væk fra sitet",
             "fjern { .knap } fra linket; knapper er kun til sider her på sitet")
            for m in _BUTTON_LINK.finditer(line) if re.match(r"[a-z][a-z0-9+.\-]*:|//", m.group(1).lower())]


def link_problem(target: str) -> tuple[str, str] | None:
    """(what, fix) if a link in text may not go to ``target``: only https:, mailto: and pages of
    this site (``urls.safe_link``). Other schemes (javascript:, data:) are the checker's own rule."""
    plain = html.unescape(target).strip()
    text = "".join(plain.split()).lower()
    if not plain or plain.startswith("#") or urls.safe_link(plain) is not None:
        return None
    if text.startswith("http://"):
        return (f"linket '{_short(target)}' bruger http://, som ikke er krypteret",
                "skriv https:// i stedet; har siden ikke https, så link ikke til den")
    if text.startswith("//"):
        return (f"linket '{_short(target)}' mangler https:",
                "skriv hele adressen med https:// foran, fx https://www.eksempel.dk/side")
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", text)
    if scheme and scheme.group(1) not in {"https", "mailto"}:
        if scheme.group(1) != "tel":
            return None  # javascript:, data: and the like: the checker's own rule names them
        return (f"linket '{_short(target)}' er et telefonnummer",
                "skriv ikke telefonnumre i teksten; organisationens nummer står i feltet kontakt")
    return (f"linket '{_short(target)}' kan ikke bruges som adresse",
            "skriv adressen uden mellemrum, anførselstegn og tegnene < > \\ { } | ^")


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


class Clothes(Treeprocessor):
    """The same rules on the rendered tree (after the toc and attribute lists, before sanitising):
    boxes keep one allowed type, only button classes on links to this site stay (as the theme's
    classes), a reserved id gets a prefix (its permalinks follow), and a link or image address
    that ``urls.safe_link`` refuses is removed (the text stays)."""

    def run(self, root: ET.Element) -> None:
        renamed: dict[str, str] = {}
        for element in root.iter():
            if (value := element.get("id")) is not None and (reserved_id(value) or not value.strip()):
                renamed[value] = element.attrib["id"] = HEADING_ID_PREFIX + value.lstrip("_-").removeprefix("md-")
            for attr in ("href", "src"):
                if (target := element.get(attr)) is not None and not self._linkable(target):
                    del element.attrib[attr]
            element.set("class", self._classes(element))
            if not element.get("class"):
                del element.attrib["class"]
        for element in root.iter("a"):
            href = element.get("href", "")
            if href.startswith("#") and href[1:] in renamed:
                element.set("href", "#" + renamed[href[1:]])

    @staticmethod
    def _linkable(target: str) -> bool:
        plain = html.unescape(target.replace(_AMP_SUBSTITUTE, "&"))
        return plain.startswith("#") or urls.safe_link(plain) is not None

    @staticmethod
    def _classes(element: ET.Element) -> str:
        classes = (element.get("class") or "").split()
        if element.tag == "div" and "admonition" in classes:
            kind = next((c for c in classes[1:] if c in ADMONITION_TYPES), "note")
            return f"admonition {kind}"
        if element.tag == "p" and classes == ["admonition-title"]:
            return "admonition-title"
        if element.tag == "a" and classes == ["headerlink"]:
            return "headerlink"
        if element.tag == "code":
            return " ".join(c for c in classes if _CODE_LANGUAGE.fullmatch(c))
        href = element.get("href", "")
        if element.tag == "a" and href and not re.match(r"^[a-z][a-z0-9+.\-]*:|//", href.lower()):
            return " ".join(BUTTON_CLASSES[c] for c in classes if c in BUTTON_CLASSES)
        return ""


class ClothesExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the toc (20) and attribute lists (8) have set ids and classes, after the link
        # rewriting (1), before the HTML is written.
        md.treeprocessors.register(Clothes(md), "videnbank_clothes", 0)


ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "div": frozenset({"admonition", *ADMONITION_TYPES}),
    "p": frozenset({"admonition-title"}),
    "a": frozenset({"headerlink", *BUTTON_CLASSES.values()}),
}
"""The only classes rendered text may carry, by element (and ``language-…`` on ``code``)."""


def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """For the sanitiser (nh3's attribute_filter), the last line: no reserved id and no class but
    ``ALLOWED_CLASSES`` survive, whatever made them."""
    if attribute == "id" and reserved_id(value):
        return None
    if attribute == "class":
        kept = [c for c in value.split()
                if c in ALLOWED_CLASSES.get(tag, ()) or (tag == "code" and _CODE_LANGUAGE.fullmatch(c))]
        return " ".join(kept) or None
    return value
