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

from . import postbuild, site, urls
from .config import read_config
from .problems import report
from .settings import config_problem, settings_from

ENGINES = ("mkdocs", "properdocs", "zensical")
TREE = "docs"  # the docs tree, beside the engine's mkdocs.yml in a temporary folder
ZENSICAL_SITE = "site"  # where Zensical builds, in that folder


class EngineError(Exception):
    """The build failed (message in Danish)."""


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
    if config_file.resolve().parent.is_relative_to(site_dir):
        # The folder is emptied before the build: never the bank itself or a folder above it.
        raise EngineError(f"{site_dir} er videnbankens mappe eller en mappe over den; byg i en anden mappe")
    if engine == "mkdocs":
        _run([*_tool("mkdocs"), "build", *(["--strict"] if strict else []), "-f", str(config_file),
              "-d", str(site_dir)], environment, config_file.parent)
        return
    config = read_config(config_file)
    config["strict"] = strict
    if config.get("site_url"):  # as MkDocs reads it: the engine's own links (canonical) join it too
        config["site_url"] = urls.site_root(config["site_url"])
    if problem := config_problem(config, environment):
        raise EngineError(problem)
    settings = settings_from(config, environment)
    say(f"» Tjekker og laver siderne ({engine})")
    plan = site.build_plan(settings)
    if plan.problems:
        raise EngineError(report(plan.problems))
    for line in site.summary(plan, settings):
        say(f"  {line}")
    with tempfile.TemporaryDirectory(prefix="videnbank-") as folder:
        work = Path(folder).resolve()
        write_tree(plan, work / TREE)
        engine_config = work / "mkdocs.yml"
        config["nav"] = site.prune_nav(config.get("nav"), plan)
        engine_config.write_text(_engine_config(config, engine, site_dir), encoding="utf-8")
        say(f"» Bygger med {engine}")
        if engine == "zensical":
            # Zensical writes only inside the folder of its config file: build there, then move.
            _run([*_tool("zensical"), "build", "--clean", *(["--strict"] if strict else []),
                  "-f", str(engine_config)], environment, work)
            _replace(site_dir, work / ZENSICAL_SITE)
        else:
            _run([*_tool(engine), "build", *(["--strict"] if strict else []), "-f", str(engine_config),
                  "-d", str(site_dir)], environment, work)
    say("» Søgning og sikkerhedspolitik")
    try:
        for line in postbuild.finish_site(site_dir, settings, plan):
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


def _engine_config(config: dict[str, Any], engine: str, site_dir: Path) -> str:
    """mkdocs.yml for the tree beside it: the bank's settings without the hook.

    ``docs_dir`` (and for Zensical ``site_dir``) must be relative: Zensical keys every file by its
    path under the config's folder and panics on an absolute one (0.0.73: "invariant:
    Id(Format(Path(RootDir)))" in workflow.rs), and refuses a site_dir outside that folder."""
    root = Path(config["config_file_path"]).parent
    # edit_uri: the core makes the edit links (settings.edit_base); the engine has no repo_url.
    out = {k: v for k, v in config.items()
           if k not in {"hooks", "config_file_path", "strict", "validation", "edit_uri"}}
    out["docs_dir"] = TREE
    out["site_dir"] = ZENSICAL_SITE if engine == "zensical" else str(site_dir)
    theme = dict(out.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    out["theme"] = theme
    if engine == "zensical":
        out["plugins"] = _without_builtin_search(out.get("plugins"))
    return yaml.safe_dump(out, allow_unicode=True, sort_keys=False)


def _without_builtin_search(plugins: Any) -> Any:
    """Zensical turns its own search on unless told otherwise (an empty search.json beside
    Pagefind); the bank lists no ``search`` plugin, so say so."""
    if isinstance(plugins, dict):
        return {"search": {"enabled": False}, **plugins}
    listed = list(plugins or [])
    names = {item if isinstance(item, str) else next(iter(item), None) for item in listed}
    return listed if "search" in names else [*listed, {"search": {"enabled": False}}]


def _replace(site_dir: Path, built: Path) -> None:
    """Put the built site at ``site_dir``, replacing what was there."""
    if site_dir.is_dir():
        shutil.rmtree(site_dir)
    elif site_dir.exists():
        site_dir.unlink()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), str(site_dir))


def _run(command: list[str], env: Mapping[str, str], cwd: Path) -> None:
    result = subprocess.run(command, env=dict(env), cwd=cwd, capture_output=True, text=True, check=False)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise EngineError(f"{Path(command[0]).name} {' '.join(command[1:3])} fejlede:\n{output[-4000:]}")
