"""Build the bank with an engine: MkDocs (through the hook), or ProperDocs or Zensical (through a
plain docs tree written from the site plan, then the shared finish).

Zensical never runs MkDocs hooks, so for it (and, to prove the tree is complete, for ProperDocs)
the plan goes to disk: every page as front matter carrying its view, every file as it is, and a
copy of mkdocs.yml pointing at that tree without the hook. The engine only wraps the pages in the
theme; ``postbuild.finish_site`` then indexes them for search and adds the security policy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from . import postbuild, site
from .problems import report

ENGINES = ("mkdocs", "properdocs", "zensical")


class EngineError(Exception):
    """The build failed (message in Danish)."""


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


def _tool(name: str) -> list[str]:
    if name == "zensical":
        found = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
        if found is None:
            raise EngineError("Zensical er ikke installeret: pip install 'zensical==0.0.73'")
        return [found]
    return [sys.executable, "-m", name]


def build(
    config_file: Path, engine: str, site_dir: Path, *, strict: bool = True,
    env: Mapping[str, str] | None = None, say: Callable[[str], None] = print,
) -> None:
    """Build the bank described by ``config_file`` with ``engine`` into ``site_dir``."""
    if engine not in ENGINES:
        raise EngineError(f"ukendt motor '{engine}'; brug en af: {', '.join(ENGINES)}")
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    site_dir = site_dir.resolve()
    if engine == "mkdocs":
        _run([*_tool("mkdocs"), "build", *(["--strict"] if strict else []), "-f", str(config_file),
              "-d", str(site_dir)], environment, config_file.parent)
        return
    config = read_config(config_file)
    config["strict"] = strict
    for problem in postbuild.config_problems(config, environment):
        raise EngineError(problem)
    settings = postbuild.settings_from(config, environment)
    say(f"» Tjekker og laver siderne ({engine})")
    plan = site.build_plan(settings)
    if plan.problems:
        raise EngineError(report(plan.problems))
    for line in postbuild.summary(plan, settings):
        say(f"  {line}")
    with tempfile.TemporaryDirectory(prefix="videnbank-") as work:
        tree = Path(work) / "docs"
        write_tree(plan, tree)
        engine_config = Path(work) / "mkdocs.yml"
        # Zensical writes only inside the folder of its config file: build there, then move.
        inner = Path(work) / "site" if engine == "zensical" else site_dir
        config["nav"] = site.prune_nav(config.get("nav"), plan)
        engine_config.write_text(_engine_config(config, tree, inner), encoding="utf-8")
        say(f"» Bygger med {engine}")
        if engine == "zensical":
            _run([*_tool("zensical"), "build", "--clean", "-f", str(engine_config)], environment, Path(work))
            shutil.rmtree(site_dir, ignore_errors=True)
            shutil.move(str(inner), str(site_dir))
        else:
            _run([*_tool(engine), "build", *(["--strict"] if strict else []), "-f", str(engine_config),
                  "-d", str(site_dir)], environment, Path(work))
    say("» Søgning og sikkerhedspolitik")
    try:
        for line in postbuild.finish_site(site_dir, settings):
            say(f"  {line}")
    except postbuild.BuildError as e:
        raise EngineError(str(e)) from None


def write_tree(plan: site.Plan, folder: Path) -> None:
    """The plan as a docs tree on disk."""
    for src_uri, content in site.files(plan):
        target = folder / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def _engine_config(config: dict[str, Any], tree: Path, site_dir: Path) -> str:
    root = Path(config["config_file_path"]).parent
    out = {k: v for k, v in config.items() if k not in {"hooks", "config_file_path", "strict", "validation"}}
    out["docs_dir"] = str(tree)
    out["site_dir"] = str(site_dir)
    theme = dict(out.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    out["theme"] = theme
    return yaml.safe_dump(out, allow_unicode=True, sort_keys=False)


def _run(command: list[str], env: Mapping[str, str], cwd: Path) -> None:
    result = subprocess.run(command, env=dict(env), cwd=cwd, capture_output=True, text=True, check=False)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise EngineError(f"{Path(command[0]).name} {' '.join(command[1:3])} fejlede:\n{output[-4000:]}")
