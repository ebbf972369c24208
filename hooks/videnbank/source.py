"""Read a Markdown file with YAML front matter, keeping the line of every field."""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import limits
from .problems import Problem

Loc = tuple[str | int, ...]

class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves an impossible date (2024-13-45) as text for the checker to report."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """The same loader on libyaml's parser: about 20 times faster, which matters at thousands of files."""


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

_FENCE = re.compile(r"\A---[ \t]*\r?\n")
_CLOSE = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass
class Source:
    """The raw parts of one content file: front matter data, field lines and body."""

    path: str
    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[Loc, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    refused: bool = False
    """True when the file was not parsed at all (unreadable, too large, not UTF-8, too-long lines)."""
    links: list[tuple[str, int]] = field(default_factory=list)
    """The body's links to the site's own pages and files (relative, e.g. ``../x.md``), each with
    its line in the file: found by the checker's rendered pass, resolved against the site's pages
    by ``tjek`` and by the build alike."""

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known part of ``loc``; line 1 if nothing matches."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def problem(self, loc: Loc, field_name: str, what: str, fix: str) -> None:
        self.problems.append(Problem(self.path, self.line_of(loc), field_name, what, fix))


def read_source(file: Path, display_path: str, *, front_matter_optional: bool = False) -> Source:
    """Split ``file`` into front matter and body. Problems are collected, never raised.
    ``front_matter_optional``: a file without front matter is all text (the pages in docs/).

    The limits of ``limits.py`` are checked before YAML or Markdown see the text: a file over
    ``MAX_FILE_BYTES`` is not even read in full, and a file with too-long lines is not parsed.
    """
    src = Source(display_path)
    text = read_text(src, file)
    if text is None:
        src.refused = True
        return src
    start = _FENCE.match(text)
    if not start and front_matter_optional:
        src.body = text
        return src
    if not start:
        src.problem(
            (), "front matter", "filen mangler front matter",
            "start filen med en linje '---', felterne (fx 'titel: ...') og endnu en linje '---'",
        )
        src.body = text
        return src
    close = _CLOSE.search(text, start.end())
    if not close:
        src.problem(
            (), "front matter", "front matter bliver ikke afsluttet",
            "tilføj en linje med '---' efter det sidste felt",
        )
        return src
    yaml_text = text[start.end():close.start()]
    first_line = 2
    rest = text[close.end():]
    src.body = rest.lstrip("\r\n")
    # The body's first line: after the closing '---' and any blank lines the body leaves out (an
    # empty body: the line after '---').
    skipped = rest[: len(rest) - len(src.body)].count("\n") if src.body else 1
    src.body_line = text.count("\n", 0, close.end()) + 1 + skipped
    _parse_yaml(src, yaml_text, first_line)
    return src


def read_text(src: Source, file: Path, field_name: str = "fil") -> str | None:
    """The text of a content file, or None with a problem in ``src``: not a readable regular file,
    larger than ``MAX_FILE_BYTES``, not UTF-8, or with a line longer than ``MAX_LINE_CHARS``."""
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            what = "er en mappe, ikke en fil" if stat.S_ISDIR(info.st_mode) else "er ikke en almindelig fil"
            src.problem((), field_name, what, "flyt eller omdøb den; kun tekstfiler, der ender på .md, læses")
            return None
        with file.open("rb") as f:
            raw = f.read(limits.MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        src.problem(
            (), field_name, "filen findes ikke (eller er et link, der peger på en fil, der ikke findes)",
            "tjek stien; læg selve filen i mappen i stedet for et link",
        )
        return None
    except PermissionError:
        src.problem(
            (), field_name, "filen kan ikke læses (adgang nægtet)",
            "giv læseadgang til filen, fx med 'chmod a+r', eller gem den igen",
        )
        return None
    except OSError as e:
        src.problem(
            (), field_name, f"filen kan ikke læses ({e.strerror or type(e).__name__})",
            "tjek filen, og gem den igen som almindelig tekstfil",
        )
        return None
    if len(raw) > limits.MAX_FILE_BYTES:
        size = max(info.st_size, len(raw))
        src.problem(
            (), field_name,
            f"filen fylder {_kilobytes(size)} KB (højst {limits.MAX_FILE_BYTES // 1024} KB)",
            "forkort teksten, eller del den op i flere historier; billeder skal ligge i deres egne filer",
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        src.problems.append(Problem(
            src.path, line, field_name,
            f"filen er ikke gemt som UTF-8 (byte 0x{raw[e.start]:02x} kan ikke læses)",
            "gem filen som UTF-8 (i de fleste editorer: Gem som, Tegnsæt UTF-8)",
        ))
        return None
    # Line endings as Windows (CRLF) or old Macs (CR) save them are read as LF: the same file,
    # the same lines, whichever editor wrote it.
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    breaches = limits.line_breaches(text)
    for b in breaches:
        src.problems.append(Problem(src.path, b.line, field_name, b.what, b.fix))
    return None if breaches else text


def _kilobytes(size: int) -> str:
    return f"{-(-size // 1024):,}".replace(",", ".")


def _parse_yaml(src: Source, yaml_text: str, first_line: int) -> None:
    parsed = load_yaml(src, yaml_text, first_line, "front matter")
    if parsed is None:
        return
    node, data = parsed
    if data is None:
        src.problem((), "front matter", "front matter er tom", "udfyld felterne mellem de to '---'")
        return
    if not isinstance(data, dict):
        src.problem(
            (), "front matter", "front matter skal være felter med navn og værdi",
            "skriv ét felt pr. linje, fx 'titel: Min historie'",
        )
        return
    src.data = data
    if node is not None:
        _map_lines(src, node, (), first_line)


_SYNTAX_FIX = "tjek kolon, indrykning og anførselstegn; tekst med ':' skal stå i anførselstegn"


def load_yaml(src: Source, yaml_text: str, first_line: int, field_name: str) -> tuple[yaml.Node | None, Any] | None:
    """(node tree, data) of YAML text, or None with a problem in ``src``.

    Before anything is built, the event stream (linear in the text) is scanned: anchors and aliases
    (``&navn``, ``*navn``) are refused, so nested aliases cannot expand to millions of values, and
    fields nested deeper than ``MAX_YAML_DEPTH`` are refused, so nothing recurses deep.
    """
    def report(line: int, what: str, fix: str) -> None:
        src.problems.append(Problem(src.path, first_line + line, field_name, what, fix))

    try:
        breach = _event_breach(yaml_text, _FastLoader)
    except yaml.YAMLError:
        try:
            breach = _event_breach(yaml_text, _Loader)  # PyYAML's own parser, for its fuller messages
        except yaml.YAMLError as e:
            line, reason = yaml_reason(e, yaml_text)
            report(line, f"YAML kan ikke læses ({reason})", _SYNTAX_FIX)
            return None
    if breach is not None:
        report(*breach)
        return None
    try:
        return _compose_and_load(yaml_text)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as e:
        line, reason = yaml_reason(e, yaml_text)
        report(line, f"YAML kan ikke læses ({reason})", _SYNTAX_FIX)
        return None


def _event_breach(yaml_text: str, loader_class: Any) -> tuple[int, str, str] | None:
    """(line from 0, what, fix) of the first anchor, alias or too-deep nesting, or None."""
    loader = loader_class(yaml_text)
    try:
        depth = 0
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line if event.start_mark else 0
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                return (
                    line, f"ankre og henvisninger ({sign}{_short_name(event.anchor)}) er ikke tilladt",
                    "skriv værdien ud hvert sted, den skal stå; fjern '&navn' og '*navn'",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limits.MAX_YAML_DEPTH:
                    return (
                        line, f"felterne er indlejret mere end {limits.MAX_YAML_DEPTH} niveauer dybt",
                        "skriv felterne med færre niveauer, som i skabelonen",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return None
    finally:
        loader.dispose()


def _short_name(anchor: Any) -> str:
    text = str(anchor or "")
    return text if len(text) <= 20 else text[:17] + "..."


# PyYAML's reasons, in Danish. Matched against the start of the reason PyYAML gives.
_REASONS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed here", "et kolon står et sted, hvor det ikke må stå"),
    ("could not find expected ':'", "der mangler et kolon efter feltets navn"),
    ("found undefined alias", "henvisningen med * peger ikke på noget"),
    ("found duplicate anchor", "det samme anker (&navn) står to gange"),
    ("found character '\\t' that cannot start any token",
     "et tabulatortegn kan ikke bruges til indrykning; ryk ind med mellemrum"),
    ("found a tab character", "et tabulatortegn kan ikke bruges til indrykning; ryk ind med mellemrum"),
    ("found character", "et tegn står et sted, hvor det ikke kan begynde en værdi"),
    ("expected <block end>", "indrykningen passer ikke med linjerne ovenover"),
    ("did not find expected key", "indrykningen passer ikke; her forventes et felt som 'navn: værdi'"),
    ("did not find expected '-' indicator", "her forventes et punkt, der begynder med '- '"),
    ("did not find expected ',' or ']'", "listen i [ ] bliver ikke lukket med ']'"),
    ("expected ',' or ']'", "listen i [ ] bliver ikke lukket med ']'"),
    ("did not find expected ',' or '}'", "felterne i { } bliver ikke lukket med '}'"),
    ("expected ',' or '}'", "felterne i { } bliver ikke lukket med '}'"),
    ("did not find expected node content", "her mangler en værdi"),
    ("expected the node content", "her mangler en værdi"),
    ("found unexpected end of stream", "et anførselstegn bliver ikke lukket"),
    ("found unexpected ':'", "et kolon står et sted, hvor det ikke må stå"),
    ("found unknown escape character", "ukendt tegn efter \\ i en tekst i dobbelte anførselstegn"),
    ("expected escape sequence", "ukendt tegn efter \\ i en tekst i dobbelte anførselstegn"),
    ("found unexpected document separator", "en linje '---' eller '...' står inde i en tekst i anførselstegn"),
    ("expected alphabetic or numeric character", "efter & eller * skal der stå et navn"),
    ("expected a comment or a line break", "der står noget efter værdien på samme linje"),
    ("found unhashable key", "et feltnavn kan ikke være en liste eller en samling felter"),
    ("could not determine a constructor for the tag", "typer med ! (fx '!!python/object') er ikke tilladt"),
    ("expected a single document", "der må kun stå ét dokument; fjern den ekstra linje '---' eller '...'"),
    ("but found another document", "der må kun stå ét dokument; fjern den ekstra linje '---' eller '...'"),
    ("found incompatible YAML document", "YAML-versionen understøttes ikke; fjern linjen '%YAML'"),
    ("found duplicate", "et direktiv med % står to gange; fjern det"),
    ("expected a mapping node", "her forventes felter med navn og værdi"),
    ("expected a sequence node", "her forventes en liste"),
    ("expected <document start>", "der står noget efter front matter; tjek linjerne '---'"),
    ("unacceptable character", "filen indeholder et kontroltegn, som ikke er tilladt"),
    ("Exceeds the limit", "et tal har for mange cifre; sæt det i anførselstegn, hvis det er tekst"),
)


def yaml_reason(error: BaseException, text: str) -> tuple[int, str]:
    """(line from 0, the reason in Danish) of an error from YAML parsing or building."""
    line = 0
    problem = str(error)
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line = mark.line if mark else 0
        problem = error.problem or error.context or ""
    elif isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(0, error.position))
        problem = f"unacceptable character {error.reason}"
    for english, danish in _REASONS:
        if english in problem:
            return line, danish
    return line, "YAML-syntaksen er ugyldig"


def _compose_and_load(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for the lines) and the data, from one parse; on an error, the pure-Python
    parser runs again so the message is PyYAML's usual one."""
    try:
        loader = _FastLoader(yaml_text)
        try:
            node = loader.get_single_node()
            return node, (loader.construct_document(node) if node is not None else None)
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        if _FastLoader is _Loader:
            raise
    return yaml.compose(yaml_text, Loader=_Loader), yaml.load(yaml_text, Loader=_Loader)


def map_lines(src: Source, node: yaml.Node, loc: Loc = (), first_line: int = 1) -> None:
    """Record the line of every field below ``node`` in ``src.lines``; a field given twice is a problem."""
    _map_lines(src, node, loc, first_line)


def _map_lines(src: Source, node: yaml.Node, loc: Loc, first_line: int) -> None:
    src.lines[loc] = first_line + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*loc, key)
            if key in seen:
                src.problems.append(Problem(
                    src.path, first_line + key_node.start_mark.line, field_path(child),
                    "feltet står to gange", "slet den ene forekomst",
                ))
            seen.add(key)
            _map_lines(src, value_node, child, first_line)
            src.lines[child] = first_line + key_node.start_mark.line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _map_lines(src, item, (*loc, i), first_line)


def field_path(loc: Loc) -> str:
    """A field's place as a contributor reads it: aktører[2].sektor (lists count from 1)."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out

