"""Shared helpers: a small file-tree writer and real site builds in a temp dir."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A strict build must say where the site and its accessibility statement live (settings.config_problem).
TEST_ADDRESSES = {
    "VIDENBANK_SITE_URL": "https://videnbank.example.dk/",
    "VIDENBANK_TILGAENGELIGHEDSERKLAERING": "https://www.was.digst.dk/app/videnbank-example",
    # Who stands behind the site: a strict build stops without them (settings.py).
    "VIDENBANK_UDGIVER": "Sekretariatet for Testrådet",
    "VIDENBANK_SEKRETARIAT_EMAIL": "sekretariat@videnbank.example.dk",
    "VIDENBANK_REPO_URL": "https://github.com/samskabelse/videnbank",
}
# How long a browser test waits for a condition (a page load, a search result, an expect()).
WAIT_MS = 60_000
SITE_PARTS = ("mkdocs.yml", "council.yml", "docs", "stories", "principles", "methods", "overrides", "hooks")


@contextmanager
def mini_bank() -> Iterator[Path]:
    """A throwaway bank: the mini fixture's principles and methods and an empty stories/."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(FIXTURES / "mini", root, dirs_exist_ok=True)
        (root / "stories").mkdir()
        yield root


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
    full_env.update({"NO_MKDOCS_2_WARNING": "1", **TEST_ADDRESSES, **(env or {})})
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


def in_ci() -> bool:
    """True in CI: GitHub sets CI=true, .ci/run sets CI=1."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def unavailable(reason: str) -> NoReturn:
    """Something a test needs is not on this machine: in CI that fails the run; on a
    developer's machine the test is skipped, and the reason says so."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(f"{reason} — skipped only because this is a developer's machine (CI is not set); in CI this fails")


# Hypothesis: in CI the examples are derived from each test, the same on every run (a failure
# there can be rerun and is not luck); on a developer's machine they are random, to find more.
settings.register_profile("ci", derandomize=True, print_blob=True)
if in_ci():
    settings.load_profile("ci")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in Debian's Chromium through Playwright")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_on_loopback(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run an http server with ``handler`` on 127.0.0.1 (a free port) in a thread; yield its origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def serve_site(site: Path) -> Iterator[str]:
    """Serve a built site over http on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    with serve_on_loopback(functools.partial(_QuietHandler, directory=str(site))) as origin:
        yield origin + "/"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright, for the whole session. If it is missing, CI fails;
    only a developer's machine skips."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium ('./dev test' does) to run browser tests")
    from playwright.sync_api import expect, sync_playwright

    # Conditions, not sleeps: a passing test returns as soon as its condition holds, so a generous
    # bound costs nothing. On a 2-core CI machine with both test workers busy, a page load or a
    # search can take several times as long as on an idle one (10 s was exceeded there).
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Every page type of a built site, for the browser tests of accessibility, privacy and XSS.
PAGE_TYPES = ("forside", "historie", "historier", "princip", "principper", "metode",
              "raadet", "evaluering", "bidrag", "skriv", "404")


def page_type_path(site: Path, kind: str) -> str | None:
    """The URL path (relative to the site root) of one page of ``kind`` in ``site``; None if it has none."""

    def first_page(folder: str, skip: tuple[str, ...] = ()) -> str | None:
        pages = sorted(p.parent.name for p in (site / folder).glob("*/index.html") if p.parent.name not in skip)
        return f"{folder}/{pages[0]}/" if pages else None

    fixed = {"forside": "index.html", "historier": "historier/index.html", "principper": "principper/index.html",
             "raadet": "raadet/index.html", "evaluering": "evaluering/index.html", "bidrag": "bidrag/index.html",
             "skriv": "bidrag/skriv/index.html", "404": "404.html"}
    if kind in fixed:
        return fixed[kind].removesuffix("index.html") if (site / fixed[kind]).is_file() else None
    folder = {"historie": "historier", "princip": "principper", "metode": "metoder"}[kind]
    return first_page(folder, skip=("side",))


@pytest.fixture(scope="session")
def shipped_url(shipped_site: Path) -> Iterator[str]:
    """The shipped site served over http for the whole session."""
    with serve_site(shipped_site) as url:
        yield url


@pytest.fixture
def split_everywhere(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every list parallel.in_halves is given is split between two processes (PARALLEL_FROM = 2); the
    list returned collects how many parts each call made, so a test can tell that the split happened."""
    from videnbank import parallel

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    parts: list[int] = []
    in_halves = parallel.in_halves

    def spy(items: Any, work: Any) -> Any:
        found = in_halves(items, work)
        parts.append(len(found))
        return found

    monkeypatch.setattr(parallel, "in_halves", spy)
    return parts
