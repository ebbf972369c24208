"""mkdocs.yml read as MkDocs reads it, for the options the bank uses, without MkDocs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "mkdocs.yml"


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml's own tags: ``!ENV [NAME, default]`` and ``!relative``."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    names: list[Any] = (
        [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode)
        else loader.construct_sequence(node)  # type: ignore[arg-type]
    )
    default = names.pop() if len(names) > 1 else None
    for name in names:
        if (value := os.environ.get(str(name))) is not None:
            return yaml.safe_load(value) if value else value
    return default


_ConfigLoader.add_constructor("!ENV", _env)


def read_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it, for the options the bank uses."""
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    data["config_file_path"] = str(config_file.resolve())
    data["docs_dir"] = str((config_file.parent / data.get("docs_dir", "docs")).resolve())
    return dict(data)

