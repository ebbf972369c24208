"""The GitHub workflows: actionlint-clean, least privilege, and wired the way the guide says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def actionlint() -> str:
    """The actionlint binary from the test extra; a missing one fails the test, never skips it."""
    found = Path(sys.executable).with_name("actionlint")
    path = str(found) if found.is_file() else shutil.which("actionlint")
    assert path, "actionlint is missing: pip install -e '.[test]' installs it"
    return path


def load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key 'on' as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_actionlint_passes() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"pr.yml", "udgiv.yml", "links.yml", "indsendelse.yml"}
    result = subprocess.run([actionlint(), *map(str, files)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.nope.x }\n      - uses: actions/checkout\n",
        encoding="utf-8",
    )
    result = subprocess.run([actionlint(), str(broken)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0


def test_every_action_is_pinned_to_a_version() -> None:
    for file in WORKFLOWS.glob("*.yml"):
        for ref in re.findall(r"uses:\s*(\S+)", file.read_text(encoding="utf-8")):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", ref), (file.name, ref)


def test_pull_requests_run_read_only_without_secrets() -> None:
    text = (WORKFLOWS / "pr.yml").read_text(encoding="utf-8")
    pr = load("pr.yml")
    assert "pull_request" in pr["on"] and "pull_request_target" not in pr["on"]
    assert pr["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in pr["jobs"].values())
    assert not re.search(r"secrets\.\w|github\.token", text)
    runs = " ".join(step.get("run", "") for job in pr["jobs"].values() for step in job["steps"])
    assert "videnbank tjek" in runs and "mkdocs build --strict" in runs and "pytest" in runs


def test_publishing_deploys_only_after_a_strict_build() -> None:
    flow = load("udgiv.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read"}
    build, deploy = flow["jobs"]["byg"], flow["jobs"]["udgiv"]
    assert "permissions" not in build
    assert deploy["needs"] == "byg"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    build_steps = [s.get("uses", "") + s.get("run", "") for s in build["steps"]]
    strict = next(i for i, s in enumerate(build_steps) if "mkdocs build --strict" in s)
    upload = next(i for i, s in enumerate(build_steps) if s.startswith("actions/upload-pages-artifact@"))
    assert strict < upload
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_link_check_runs_weekly_and_reports() -> None:
    flow = load("links.yml")
    assert flow["on"]["schedule"][0]["cron"].split()[4] == "1"
    assert flow["permissions"] == {}
    job = flow["jobs"]["links"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    script = " ".join(s.get("run", "") for s in job["steps"])
    assert "videnbank links" in script and "gh issue create" in script and "exit 1" in script


def test_submission_workflow_treats_the_issue_as_data() -> None:
    text = (WORKFLOWS / "indsendelse.yml").read_text(encoding="utf-8")
    flow = load("indsendelse.yml")
    assert flow["on"] == {"issues": {"types": ["labeled"]}}
    assert flow["permissions"] == {}
    job = flow["jobs"]["pull-request"]
    assert "github.event.label.name == 'godkendt'" in job["if"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    # Untrusted text never goes into a script through an expression.
    assert not re.search(r"\$\{\{\s*github\.event\.issue\.(body|title)", text)
    script = " ".join(s.get("run", "") for s in job["steps"])
    assert "videnbank fra-issue" in script and "videnbank tjek" in script and "gh pr create" in script
