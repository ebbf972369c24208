"""When each content file was last changed, from git: one ``git log`` call per build."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

_MARK = "\x1e"


def last_changed(root: Path, folder: str = "stories") -> dict[str, dt.date]:
    """``{'stories/x.md': date of the last commit touching it}`` for the files under ``root/folder``.

    Paths are relative to ``root`` (also when ``root`` is a subfolder of the repository).
    Outside a git work tree, without git, or on any git error the answer is empty: no date is shown.
    """
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", "log", f"--format={_MARK}%cs", "--name-only",
             "--relative", "--no-renames", "--", folder],
            cwd=root, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    return parse_log(result.stdout)


def parse_log(output: str) -> dict[str, dt.date]:
    """Parse ``git log --format=<mark>%cs --name-only``: newest commit first, so a path's first date wins."""
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in output.split("\n"):  # not splitlines(): it splits at the \x1e mark too
        if line.startswith(_MARK):
            try:
                current = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                current = None
        elif line and current is not None:
            dates.setdefault(line, current)
    return dates
