"""The preview never hangs: with problems in the content, `mkdocs serve` shows them as a Danish
page on every address, and the real page comes back by itself once they are fixed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import copy_site

STORY = "stories/folkemoedet-i-silkeborg.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return f"HTTP {e.code}"
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    end = time.monotonic() + seconds
    page = ""
    while time.monotonic() < end:
        page = _get(url)
        if text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{text!r} not on {url} after {seconds} s:\n{page[:2000]}")


def test_problems_show_as_a_page_and_go_away_when_fixed(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src")
    story = root / STORY
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("status: ", "status: maaske-", 1), encoding="utf-8")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIDENBANK_")}
    env.update({"NO_MKDOCS_2_WARNING": "1", "VIDENBANK_KLADDER": "1"})
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
         "-f", str(root / "mkdocs.yml")],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("w"),
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        for address in ("", "historier/folkemoedet-i-silkeborg/", "bidrag/"):
            page = _wait_for(base + address, "Videnbanken kan ikke vises endnu")
            assert f"{STORY}:" in page and "status" in page and "Sådan retter du det" in page
        story.write_text(good, encoding="utf-8")
        page = _wait_for(base + "historier/folkemoedet-i-silkeborg/", "vb-facts")
        assert "Videnbanken kan ikke vises endnu" not in page
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_dirty_preview_shows_saved_new_and_deleted_stories(tmp_path: Path) -> None:
    """./dev serve (mkdocs serve --dirty) rebuilds only what a save changed (rebuild.py), and still
    shows every change: a saved title on the story's page and in the overview, a new story in the
    overview, a deleted story's page gone; a page nobody changed is still there."""
    root = copy_site(tmp_path / "src")
    story = root / STORY
    good = story.read_text(encoding="utf-8")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIDENBANK_")}
    env.update({"NO_MKDOCS_2_WARNING": "1", "VIDENBANK_KLADDER": "1"})
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}/"
    page = base + "historier/folkemoedet-i-silkeborg/"
    try:
        _wait_for(page, "vb-facts")
        other = sorted(p.stem for p in (root / "stories").glob("*.md") if p.name != Path(STORY).name)[0]
        assert "vb-facts" in _get(base + f"historier/{other}/")
        story.write_text(good.replace("titel: ", "titel: Gemt igen – ", 1), encoding="utf-8")
        _wait_for(page, "Gemt igen – ")
        _wait_for(base + "historier/", "Gemt igen – ")
        new = root / "stories" / "en-helt-ny-historie.md"
        new.write_text(good.replace("titel: ", "titel: Helt ny – ", 1), encoding="utf-8")
        _wait_for(base + "historier/", "Helt ny – ")
        assert "Helt ny – " in _get(base + "historier/en-helt-ny-historie/")
        new.unlink()
        _wait_for(base + "historier/en-helt-ny-historie/", "HTTP 404")
        assert "Helt ny – " not in _get(base + "historier/")
        assert "vb-facts" in _get(base + f"historier/{other}/"), "an unchanged page is still served"
    finally:
        server.terminate()
        server.wait(timeout=20)
