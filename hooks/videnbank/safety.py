"""Rules that keep a contributed story from hurting a reader or exposing a person.

Contributed content is untrusted. The checker rejects, with file, line and a fix:

- raw HTML (tags, comments) in a story's text, outside code spans and fenced code;
- link and image targets with any scheme but http, https, mailto and tel (``javascript:``,
  ``data:``, ``vbscript:`` ...), in inline links, reference definitions and autolinks, also
  when hidden behind HTML entities or whitespace;
- attributes set with Markdown attribute lists (``{: onclick=... }``, ``{: href=... }``);
- HTML in any front-matter text;
- CPR numbers anywhere, and phone numbers and e-mail addresses outside ``kontakt``;
- images that are missing, not a raster image, larger than ``MAX_IMAGE_BYTES``, outside
  ``stories/``, or shown without ``samtykke: ja`` (an image may show a person).

The line rules give precise lines; a second pass renders the text with the site's own renderer
(``render.Renderer``, the one Markdown configuration) and looks at the HTML it really produces,
before sanitising, so a trick the line rules miss is still caught. ``render.sanitize_html`` is
the last line of defence: every rendered page passes it, so even text that passed a weakened
checker cannot run a script.

Whether a story *names* a private person cannot be decided by a program: the reviewer checks
that, and the contributor states it with ``samtykke: ja``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import contentrules, limits
from .problems import Problem
from .render import SCHEME, Renderer, html_problem, line_of, unsafe_scheme
from .source import Loc, Source, field_path

MAX_IMAGE_BYTES = 2 * 1024 * 1024
"""The largest image a story may carry (2 MB): a reader on a slow phone line pays for every byte."""

IMAGE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("JPEG", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPEG", (b"\xff\xd8\xff",)),
    ".png": ("PNG", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("GIF", (b"GIF87a", b"GIF89a")),
    ".webp": ("WebP", (b"RIFF",)),
    ".avif": ("AVIF", (b"ftypavif", b"ftypavis")),
}

_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})")
_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9:-]*(?=[\s/>]|$)|/[A-Za-z]|!|\?)")
_TAG_IN_TEXT = re.compile(r"<[A-Za-z/!?]")
_INLINE_TARGET = re.compile(r"\]\(\s*<?([^\s)>]*)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]*)>")
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")
_ATTR_ASSIGN = re.compile(r"(?:^|\s)([^\s=.#]+)\s*=")

_CPR = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})[- ]?\d{4}(?![\d-])")
_PHONE = re.compile(
    r"(?<![\w+/=.:\-])(?:(?:\+|00)45[ ]?)?(?:[2-9]\d{7}|[2-9]\d(?: \d{2}){3}|[2-9]\d{3} \d{4})(?![\w\-])"
)
_YEARS_LIKE = re.compile(r"\d{4} \d{4}")
_PHONE_WORDS = ("tlf", "telefon", "mobil", "ring", "sms", "nummer", "nr.")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_CONTACT_FIX = "fjern det; brug organisationens kontaktoplysninger i feltet kontakt"


def check_story(src: Source, story_file: Path, stories_root: Path, *, check_markup: bool = True) -> None:
    """Add every safety problem of one story to ``src.problems``.

    ``check_markup=False`` skips the markup rules; only the site build's test mode uses it, to
    show that the sanitiser alone still stops a script. The limits of ``limits.py`` hold either way.
    """
    if check_markup:
        check_front_matter_markup(src)
        check_body_markup(src)
    else:
        check_body_limits(src)
    check_personal_data(src)
    check_images(src, story_file, stories_root)


def check_front_matter_markup(src: Source) -> None:
    """No HTML in any front-matter text: every field is shown as plain text. No character that
    cannot be seen or turns text around (``deceptive_character``), and addresses and file names
    without quotes, spaces or control characters (``address_problem``)."""
    for loc, text in _strings(src.data):
        name = field_path(loc) or "front matter"
        if match := _TAG_IN_TEXT.search(text):
            src.problem(
                loc, name, f"HTML er ikke tilladt i feltet ({_snippet(text, match.start())})",
                "skriv almindelig tekst uden HTML-koder; feltet vises som tekst på siden",
            )
        elif found := deceptive_character(text, invisible=True):
            src.problem(loc, name, f"feltet indeholder {found}", _CHARACTER_FIX)
        elif loc and _is_address(loc[-1], text) and (found := address_problem(text)):
            src.problem(loc, name, f"{_quote(text)} indeholder {found}", ADDRESS_FIELDS[str(loc[-1])])


def _is_address(key: str | int, text: str) -> bool:
    """A web address (the schema reports any other value in an address field) or an image's file
    name (``check_images`` reports a web address there)."""
    if key not in ADDRESS_FIELDS:
        return False
    web = text.strip().lower().startswith(("https://", "http://"))
    return not web if key == "fil" else web


# Characters that cannot be seen and can deceive a reader or break a file format: control
# characters (tab and line breaks are fine), bidirectional overrides and isolates (they show text in
# another order than it is stored: "Trojan Source"), and in short fields invisible spaces and joiners.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE_CHARS = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u180e\u061c]")
_CHARACTER_FIX = ("slet tegnet: det kan ikke ses, men kan vende teksten om, skjule noget eller ødelægge feeds; "
                  "skriv teksten igen uden at kopiere den, hvis du ikke kan finde det")
ADDRESS_FIELDS: dict[str, str] = {
    "web": "skriv adressen uden mellemrum og anførselstegn, fx https://www.forening.dk/side",
    "url": "skriv adressen uden mellemrum og anførselstegn, fx https://www.forening.dk/side",
    "link": "skriv adressen uden mellemrum og anførselstegn, fx https://www.forening.dk/rapport.pdf",
    "fil": "giv billedfilen et navn uden mellemrum og anførselstegn, fx billeder/moede-i-salen.jpg",
}
"""Front-matter fields that hold an address or a file name, and how to write one right. Their
values end up inside ``href`` and ``src`` attributes."""


def deceptive_character(text: str, *, invisible: bool = False) -> str | None:
    """A description (Danish) of the first control character or bidirectional override in ``text``;
    with ``invisible``, also invisible spaces and joiners. None if there is none."""
    for pattern, what in ((_CONTROL, "et styretegn"), (_BIDI, "et tegn, der vender skriveretningen"),
                          (_INVISIBLE_CHARS if invisible else None, "et usynligt tegn")):
        if pattern is not None and (match := pattern.search(text)):
            return f"{what} (U+{ord(match.group(0)):04X})"
    return None


def address_problem(text: str) -> str | None:
    """What makes ``text`` unfit to be an address or an image's file name inside an attribute:
    a quote, whitespace, a control character, ``<``, ``>`` or a backslash."""
    for char in text.strip():
        if char in "\"'`":
            return "et anførselstegn"
        if char.isspace():
            return "et mellemrum"
        if not char.isprintable():
            return f"et styretegn (U+{ord(char):04X})"
        if char in "<>\\{}|^":
            return f"tegnet '{char}'"
    return None


def check_body_limits(src: Source) -> bool:
    """The nesting and bracket limits of ``limits.py`` on any Markdown text, before Markdown sees it.
    True if the text keeps them; each breach is a problem in ``src``."""
    breaches = limits.body_breaches(src.body)
    for b in breaches:
        src.problems.append(Problem(src.path, src.body_line + b.line - 1, "tekst", b.what, b.fix))
    return not breaches


def check_body_markup(src: Source, *, local_images: bool = False) -> None:
    """No raw HTML, no dangerous link targets, no attribute lists in the text of any content file
    (story, principle, method or a hand-written page; admonitions and tables are Markdown and allowed).

    The limits come first: text that would make Python-Markdown slow or recurse deep is refused
    with a message and never rendered.
    """
    if not check_body_limits(src):
        return
    before = len(src.problems)
    check_body_characters(src)
    for line, text in _text_lines(src):
        _check_line_markup(src, line, text)
        if "![" in text:
            _check_line_images(src, line, text, local_images)
    if len(src.problems) == before and (found := _rendered_pass(src)):
        src.problems.append(Problem(
            src.path, src.body_line, "tekst", f"teksten giver HTML, som ikke er tilladt ({found})",
            "skriv teksten med almindelig Markdown uden HTML, og link kun til https://-adresser",
        ))


def check_body_characters(src: Source) -> None:
    """No control character or bidirectional override anywhere in the text (code included: a
    reader copies code too)."""
    if not (_CONTROL.search(src.body) or _BIDI.search(src.body)):
        return  # the usual case, found without going line by line
    for number, text in enumerate(src.body.split("\n"), start=src.body_line):
        if found := deceptive_character(text):
            src.problems.append(Problem(src.path, number, "tekst", f"linjen indeholder {found}", _CHARACTER_FIX))


def _check_line_images(src: Source, line: int, text: str, local_images: bool) -> None:
    """Images in a contributed text would load from anywhere and skip the rules of ``billeder``
    (a file here, alt text, credit, consent): they are not allowed. The secretariat's pages in
    docs/ may show their own files, never one from another server."""
    if not local_images:
        src.problems.append(Problem(
            src.path, line, "tekst", "billeder i teksten er ikke tilladt",
            "læg billedet i feltet 'billeder' med fil, alt-tekst og kredit (og 'samtykke: ja'), og fjern ![...](...)",
        ))
        return
    for match in _INLINE_TARGET.finditer(text[text.index("!["):]):
        target = match.group(1).lower()
        if SCHEME.match(target) or target.startswith("//"):
            src.problems.append(Problem(
                src.path, line, "tekst", f"billedet {_quote(match.group(1))} ligger på en anden server",
                "læg billedfilen i docs/ og henvis til den med en relativ sti, fx billeder/navn.jpg",
            ))


def _check_line_markup(src: Source, line: int, text: str) -> None:
    if match := _TAG.search(text):
        src.problems.append(Problem(
            src.path, line, "tekst", f"rå HTML er ikke tilladt ({_snippet(text, match.start())})",
            "skriv med Markdown i stedet (fx **fed** og [tekst](https://...)); "
            "skal tegnet < stå i teksten, så sæt det i `backticks`",
        ))
    targets = [m.group(1) for m in _INLINE_TARGET.finditer(text)]
    targets += [m.group(1) for m in _REFERENCE.finditer(text)]
    targets += [m.group(1) for m in _AUTOLINK.finditer(text)]
    for target in targets:
        if scheme := unsafe_scheme(target):
            src.problems.append(Problem(
                src.path, line, "tekst",
                f"linket {_quote(target)} bruger adressetypen '{scheme}:', som ikke er tilladt",
                "link kun til webadresser, der starter med https://",
            ))
        elif found := contentrules.link_problem(target):
            src.problems.append(Problem(src.path, line, "tekst", *found))
    clothes = contentrules.button_problems(text)
    if found := contentrules.admonition_problem(text):
        clothes.append(found)
    for match in _ATTR_LIST.finditer(text):
        clothes += contentrules.attribute_list_problems(match.group(1))
    src.problems += [Problem(src.path, line, "tekst", what, fix) for what, fix in clothes]
    for match in _ATTR_LIST.finditer(text):
        if _ATTR_ASSIGN.search(match.group(1)):
            src.problems.append(Problem(
                src.path, line, "tekst", f"attributter i {_quote(match.group(0))} er ikke tilladt",
                "fjern {...}; kun klasser (.navn) og id'er (#navn) må stå i krøllede parenteser",
            ))


def _text_lines(src: Source) -> Iterator[tuple[int, str]]:
    """The body's lines outside fenced code, with code spans removed, and their line numbers.

    A fence counts only when a closing fence follows (as in Python-Markdown): an unclosed ``` does
    not hide the rest of the text from these rules. Closers are found by lookup, not by searching
    forward from each opener, so the pass stays linear.
    """
    lines = src.body.splitlines()
    closers: dict[str, list[int]] = {}
    for index, text in enumerate(lines):
        if (stripped := text.rstrip()) and stripped[0] in "`~" and _FENCE_OPEN.match(stripped):
            closers.setdefault(stripped, []).append(index)
    index = 0
    while index < len(lines):
        text = lines[index]
        if opened := _FENCE_OPEN.match(text):
            later = closers.get(opened.group(1), [])
            close = bisect.bisect_right(later, index)
            if close < len(later):
                index = later[close] + 1
                continue
        yield src.body_line + index, without_code_spans(text)
        index += 1


def without_code_spans(text: str) -> str:
    """``text`` with each code span replaced by two backticks, as Python-Markdown finds code spans:
    a run of n backticks (not after a backslash) opens; the next run of exactly n closes; if there
    is none, an opening of fewer backticks is tried, the rest of the run being content.

    Linear in the line (a regular expression for this is cubic on a line of 3,000 backticks): each
    run is looked at once as an opener and each length at most once per opener.
    """
    if "`" not in text:
        return text
    runs: list[tuple[int, int]] = []  # (start, length) of each maximal run of backticks
    i, n = 0, len(text)
    while (i := text.find("`", i)) >= 0:
        j = i
        while j < n and text[j] == "`":
            j += 1
        runs.append((i, j - i))
        i = j
    later: dict[int, list[int]] = {}  # run length -> indexes of runs with that length, in order
    for index, (_, length) in enumerate(runs):
        later.setdefault(length, []).append(index)
    cursor = dict.fromkeys(later, 0)
    out: list[str] = []
    done = 0  # text[:done] is handled
    index = 0
    while index < len(runs):
        start, length = runs[index]
        if start < done or (start > 0 and text[start - 1] == "\\"):
            index += 1
            continue
        close = None
        for size in range(length, 0, -1):
            candidates = later.get(size)
            if not candidates:
                continue
            k = cursor[size]
            while k < len(candidates) and candidates[k] <= index:
                k += 1
            cursor[size] = k
            if k < len(candidates):
                close = candidates[k]
                break
        if close is None:
            index += 1
            continue
        out.append(text[done:start])
        out.append("``")
        done = runs[close][0] + runs[close][1]
        index = close + 1
    out.append(text[done:])
    return "".join(out)


# Without any of these, the site's Markdown makes no link, image, raw HTML, entity or attribute
# list: nothing the audit could find. Rendering costs about 1 ms a story, and most stories have
# none of them, which matters at thousands of stories.
_MARKUP_CHARS = re.compile(r"[<&\[{]")
_renderer = Renderer(defuse=False)  # the site's rendering before the content rules defuse it


def _rendered_pass(src: Source) -> str | None:
    """``rendered_markup_problem`` of the body; the links to the site's own pages it rendered go to ``src.links``."""
    found = rendered_markup_problem(src.body)
    if _MARKUP_CHARS.search(src.body):
        src.links = [(t, src.body_line + line_of(src.body, t) - 1) for t in _renderer.state.broken]
    return found


def rendered_markup_problem(body: str) -> str | None:
    """What, if anything, the site's own rendering (render.Renderer, before sanitising) would put
    into the page that plain Markdown cannot make."""
    if not _MARKUP_CHARS.search(body):
        return None
    try:
        rendered = _renderer.unsanitised(body)
    except Exception as e:  # Python-Markdown can fail on pathological input; that is a problem too
        return f"Markdown kan ikke læses: {type(e).__name__}"
    return html_problem(rendered)


def check_personal_data(src: Source) -> None:
    """No CPR number anywhere; phone numbers and e-mail addresses only in ``kontakt``."""
    for loc, text in _strings(src.data):
        name = field_path(loc) or "front matter"
        in_contact = bool(loc) and loc[0] == "kontakt"
        for what, fix in _personal_data(text, contact_allowed=in_contact):
            src.problem(loc, name, what, fix)
    if not any(p.search(src.body) for p in (_CPR, _PHONE, _EMAIL)):
        return  # the usual case, found without going line by line
    for number, text in enumerate(src.body.splitlines(), start=src.body_line):
        for what, fix in _personal_data(text, contact_allowed=False):
            src.problems.append(Problem(src.path, number, "tekst", what, fix))


def _personal_data(text: str, *, contact_allowed: bool) -> Iterator[tuple[str, str]]:
    for match in _CPR.finditer(text):
        if _plausible_birth_date(*(int(g) for g in match.groups())):
            yield (
                "indeholder noget, der ligner et CPR-nummer",
                "fjern det; et CPR-nummer må aldrig stå i en historie",
            )
    if contact_allowed:
        return
    for match in _PHONE.finditer(text):
        before = text[max(0, match.start() - 15):match.start()].lower()
        if "cvr" in before:
            continue
        if _YEARS_LIKE.fullmatch(match.group(0)) and not any(w in before for w in _PHONE_WORDS):
            continue  # "2019 2020" is two years unless the text says it is a number to call
        yield f"indeholder et telefonnummer ({match.group(0)})", _CONTACT_FIX
    for match in _EMAIL.finditer(text):
        yield f"indeholder en e-mailadresse ({match.group(0)})", _CONTACT_FIX


def _plausible_birth_date(day: int, month: int, year: int) -> bool:
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def check_images(src: Source, story_file: Path, stories_root: Path) -> None:
    """Each image exists inside stories/, is a raster image under the size limit; consent is given."""
    images = src.data.get("billeder")
    if not isinstance(images, list) or not images:
        return
    consent = src.data.get("samtykke")
    if consent is not True and not (isinstance(consent, str) and consent.strip().lower() == "ja"):
        loc: Loc = ("samtykke",) if "samtykke" in src.data else ("billeder",)
        src.problem(
            loc, "samtykke", "historien har billeder, men 'samtykke' er ikke ja",
            "et billede kan vise personer: få samtykke fra alle, der kan genkendes, og skriv 'samtykke: ja'; "
            "ellers fjern billederne",
        )
    names: dict[str, int] = {}
    for index, item in enumerate(images):
        if not isinstance(item, dict) or not isinstance(item.get("fil"), str) or not item["fil"].strip():
            continue  # the schema reports the missing or wrong field
        _check_image(src, ("billeder", index, "fil"), item["fil"].strip(), story_file, stories_root, names)


def _check_image(
    src: Source, loc: Loc, name: str, story_file: Path, stories_root: Path, names: dict[str, int]
) -> None:
    field = field_path(loc)
    if SCHEME.match(name.lower()) or name.startswith("//"):
        src.problem(
            loc, field, f"{_quote(name)} er en webadresse; billedet skal ligge som fil i videnbanken",
            "læg billedfilen i stories/, fx stories/billeder/navn.jpg, og skriv stien relativt til historien",
        )
        return
    try:
        path = (story_file.parent / name).resolve()
    except (OSError, ValueError, RuntimeError):
        src.problem(loc, field, f"{_quote(name)} er ikke et gyldigt filnavn", "skriv stien som fx billeder/navn.jpg")
        return
    if not path.is_relative_to(stories_root.resolve()):
        src.problem(
            loc, field, f"{_quote(name)} peger uden for mappen stories/",
            "læg billedet i stories/, fx stories/billeder/navn.jpg, og skriv stien relativt til historien",
        )
        return
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if kind is None:
        src.problem(
            loc, field, f"{_quote(name)} er ikke en tilladt billedtype",
            "brug JPEG, PNG, WebP, GIF eller AVIF (SVG er ikke tilladt, fordi den kan indeholde kode)",
        )
        return
    if not _is_file(path):
        src.problem(
            loc, field, f"billedfilen {_quote(name)} findes ikke",
            "tjek stavning og sti; stien er relativ til historiens fil, fx billeder/navn.jpg",
        )
        return
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        src.problem(
            loc, field,
            f"billedet fylder {megabytes(size)} MB; højst {megabytes(MAX_IMAGE_BYTES)} MB er tilladt",
            "gør billedet mindre, fx 1600 punkter bredt og gemt som JPEG",
        )
        return
    label, magics = kind
    with path.open("rb") as f:
        head = f.read(16)
    if not any(head.startswith(m) or head[4:].startswith(m) for m in magics):
        src.problem(
            loc, field, f"{_quote(name)} er ikke et {label}-billede",
            f"gem billedet igen som {label}, eller giv filen den endelse, der passer til formatet",
        )
        return
    base = name.rsplit("/", 1)[-1]
    if base in names:
        src.problem(
            loc, field, f"billedet {_quote(base)} har samme filnavn som billede nr. {names[base]}",
            "giv billedfilerne forskellige navne; de lægges i samme mappe på sitet",
        )
    names.setdefault(base, int(loc[1]) + 1)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def image_source(story_path: Path, name: str) -> Path:
    """The image file of a story, from the story file and the ``fil`` field."""
    return (story_path.parent / name.strip()).resolve()


def megabytes(size: int) -> str:
    """Megabytes, rounded up to one decimal and written the Danish way: 2100000 -> '2,1'; 2 MB -> '2'."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}"


def _strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every text in the front matter, with where it is; keys count as text too."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and _TAG_IN_TEXT.search(key):
                yield loc, key
            yield from _strings(value, (*loc, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*loc, index))


def _snippet(text: str, start: int, width: int = 40) -> str:
    part = " ".join(text[start:start + width].split())
    return _quote(part + ("..." if len(text) - start > width else ""))


def _quote(text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return f"'{shown}'"
