"""Shared helpers: a small file-tree writer and real site builds in a temp dir."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITE_PARTS = ("mkdocs.yml", "docs", "stories", "principles", "methods", "overrides", "hooks")


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def copy_site(dest: Path, parts: tuple[str, ...] = SITE_PARTS) -> Path:
    """Copy the shipped site's sources (not the tests) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in parts:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def run_build(
    root: Path, out: Path, tool: str = "mkdocs", env: dict[str, str] | None = None, strict: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a real ``<tool> build [--strict]`` of the site in ``root`` into ``out``."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("VIDENBANK_")}
    full_env.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", tool, "build", *(["--strict"] if strict else []),
         "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        capture_output=True, text=True, env=full_env, cwd=root, timeout=600,
    )


def build_ok(root: Path, out: Path, tool: str = "mkdocs", env: dict[str, str] | None = None) -> Path:
    result = run_build(root, out, tool, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def html(site: Path, url_path: str) -> BeautifulSoup:
    """Parse the built page for ``url_path`` (e.g. 'historier/x/')."""
    file = site / url_path / "index.html" if not url_path.endswith(".html") else site / url_path
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content, built once for the whole session."""
    return build_ok(REPO, tmp_path_factory.mktemp("site"))


@pytest.fixture
def site_copy(tmp_path: Path) -> Callable[..., Path]:
    def make(**files: str) -> Path:
        root = copy_site(tmp_path / "src")
        return write_tree(root, {k.replace("__", "/"): v for k, v in files.items()})

    return make
