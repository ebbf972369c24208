"""Read a Markdown file with YAML front matter, keeping the line of every field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known part of ``loc``; line 1 if nothing matches."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def problem(self, loc: Loc, field_name: str, what: str, fix: str) -> None:
        self.problems.append(Problem(self.path, self.line_of(loc), field_name, what, fix))


def read_source(file: Path, display_path: str) -> Source:
    """Split ``file`` into front matter and body. Problems are collected, never raised."""
    src = Source(display_path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        src.problem((), "fil", f"filen er ikke gemt som UTF-8 ({e.reason})", "gem filen som UTF-8")
        return src
    text = text.lstrip("\ufeff")
    start = _FENCE.match(text)
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
    src.body_line = text.count("\n", 0, close.end()) + 2
    src.body = text[close.end():].lstrip("\r\n") if close.end() < len(text) else ""
    _parse_yaml(src, yaml_text, first_line)
    return src


def _parse_yaml(src: Source, yaml_text: str, first_line: int) -> None:
    try:
        node, data = _compose_and_load(yaml_text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = first_line + (mark.line if mark else 0)
        reason = e.problem or "ugyldig YAML"
        src.problems.append(Problem(
            src.path, line, "front matter", f"YAML kan ikke læses ({reason})",
            "tjek kolon, indrykning og anførselstegn; tekst med ':' skal stå i anførselstegn",
        ))
        return
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as e:
        src.problem((), "front matter", f"YAML kan ikke læses ({e})", "tjek syntaksen i front matter")
        return
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

