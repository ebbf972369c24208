"""The GitHub workflows and the publishing chain: actionlint- and zizmor-clean, least privilege,
actions pinned to commits, dependencies installed from hashed lock files, and wired the way the
guide says."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, in_ci, unavailable
from hypothesis import settings
from packaging.requirements import Requirement
from packaging.version import Version

WORKFLOWS = REPO / ".github" / "workflows"
LOCKS = {"site": REPO / "requirements.lock", "test": REPO / "requirements-test.lock"}


def tool(name: str) -> str:
    """A binary from the test extra (next to this Python); a missing one fails the test, never skips it."""
    found = Path(sys.executable).with_name(name)
    path = str(found) if found.is_file() else shutil.which(name)
    assert path, f"{name} is missing: ./dev install test installs it"
    return path


def actionlint() -> str:
    return tool("actionlint")


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


def zizmor(path: Path) -> list[dict[str, Any]]:
    """zizmor's findings at medium severity or above, offline, with no ignore comment honoured."""
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--no-ignores", "--min-severity", "medium", "--format", "json", str(path)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert result.stdout.strip(), result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def test_zizmor_finds_nothing_at_medium_or_above() -> None:
    findings = zizmor(WORKFLOWS)
    assert findings == [], [(f["ident"], f["determinations"]["severity"]) for f in findings]


def test_zizmor_catches_what_it_is_here_for(tmp_path: Path) -> None:
    flow = tmp_path / ".github" / "workflows" / "bad.yml"
    flow.parent.mkdir(parents=True)
    flow.write_text(
        "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n", encoding="utf-8",
    )
    assert {f["ident"] for f in zizmor(flow.parent)} >= {"unpinned-uses", "artipacked"}


def _steps() -> list[tuple[str, str, dict[str, Any]]]:
    return [(file.name, name, step) for file in sorted(WORKFLOWS.glob("*.yml"))
            for name, job in load(file.name)["jobs"].items() for step in job.get("steps", [])]


def test_every_action_is_pinned_to_a_commit_with_its_tag_alongside() -> None:
    for file in WORKFLOWS.glob("*.yml"):
        for line in file.read_text(encoding="utf-8").splitlines():
            if re.match(r"^\s*(- )?uses:", line):
                assert re.fullmatch(r"\s*(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){2}", line), (
                    file.name, line)


def test_every_checkout_drops_its_credentials() -> None:
    checkouts = [(f, j, s) for f, j, s in _steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) >= 5
    for file, job, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, (file, job)


def test_no_job_that_can_write_checks_out() -> None:
    """actions/checkout gets the job's token (its 'token' input) even with persist-credentials false: a
    job whose token can write does not run it (issue 17); the repository comes from a read-only job."""
    for file in sorted(WORKFLOWS.glob("*.yml")):
        flow = load(file.name)
        for name, job in flow["jobs"].items():
            permissions = job.get("permissions", flow.get("permissions", {}))
            writes = permissions == "write-all" or "write" in dict(permissions or {}).values()
            uses = [step.get("uses", "") for step in job.get("steps", [])]
            assert not (writes and any(u.startswith("actions/checkout@") for u in uses)), (file.name, name)


def test_every_container_image_is_pinned_by_digest() -> None:
    images = []
    for file in sorted(WORKFLOWS.glob("*.yml")):
        for name, job in load(file.name)["jobs"].items():
            container = job.get("container")
            if container is not None:
                images.append((file.name, name, container["image"] if isinstance(container, dict) else container))
    assert images, "pr.yml runs in a container"
    for flow_name, job_name, image in images:
        assert re.fullmatch(r"[\w./:-]+@sha256:[0-9a-f]{64}", image), (flow_name, job_name, image)


_RUNS_OUR_CODE = re.compile(r"\b(pip|python|videnbank|mkdocs|pytest|\./dev|\.ci/run)\b")


def test_jobs_that_install_or_build_have_no_write_token() -> None:
    """pip install and the build run code from packages and from the repository (hooks): the job
    that runs them can read, never write; the token is in no step's environment there."""
    for file in sorted(WORKFLOWS.glob("*.yml")):
        flow = load(file.name)
        for name, job in flow["jobs"].items():
            runs = " ".join(step.get("run", "") for step in job.get("steps", []))
            permissions = job.get("permissions", flow.get("permissions", {}))
            if _RUNS_OUR_CODE.search(runs):
                assert "write" not in permissions.values(), (file.name, name, permissions)
                assert "github.token" not in json.dumps(job) and "secrets." not in json.dumps(job), (file.name, name)


def test_the_token_is_only_in_the_steps_that_push_or_comment() -> None:
    for file in sorted(WORKFLOWS.glob("*.yml")):
        flow = load(file.name)
        assert "github.token" not in json.dumps(flow.get("env", {})), file.name
        for name, job in flow["jobs"].items():
            assert "github.token" not in json.dumps(job.get("env", {})), (file.name, name)
            for step in job.get("steps", []):
                if "github.token" in json.dumps(step):
                    assert re.search(r"\b(git push|gh (issue|pr) (comment|create|edit))\b", step.get("run", "")), (
                        file.name, name, step.get("name"))


def test_every_workflow_installs_from_the_hashed_lock_files() -> None:
    installs = [line.strip() for f, j, s in _steps() for line in s.get("run", "").splitlines() if "install" in line]
    pip = [line for line in installs if "pip" in line or "./dev install" in line]
    assert len(pip) >= 4
    for line in pip:
        assert ("--require-hashes -r requirements" in line and ".lock" in line) or "--no-deps" in line \
            or line in {"run: ./dev install test", "./dev install test"}, line


def test_pull_requests_run_read_only_without_secrets() -> None:
    text = (WORKFLOWS / "pr.yml").read_text(encoding="utf-8")
    pr = load("pr.yml")
    assert "pull_request" in pr["on"] and "pull_request_target" not in pr["on"]
    assert pr["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in pr["jobs"].values())
    assert not re.search(r"secrets\.\w|github\.token", text)
    runs = " ".join(step.get("run", "") for job in pr["jobs"].values() for step in job["steps"])
    assert "videnbank tjek" in runs and "mkdocs build --strict" in runs


def test_pull_requests_run_what_ci_runs_with_chromium() -> None:
    """.ci/run is ruff, mypy and pytest with the browser tests; pr.yml runs .ci/run itself, in Debian
    (Ubuntu's chromium is a snap wrapper), after installing Debian's chromium."""
    job = load("pr.yml")["jobs"]["tjek"]
    assert str(job["container"]).startswith(("python:3.11-bookworm", "debian:"))
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("apt-get install" in r and "chromium" in r for r in runs)
    assert any(r.strip() == "bash .ci/run" for r in runs)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci and re.search(r"^export CI=", ci, re.MULTILINE)
    dev = (REPO / "dev").read_text(encoding="utf-8")
    test_branch = dev[dev.index("  test)"):dev.index(";;", dev.index("  test)"))]
    for command in ("need_chromium", "ruff\" check", "mypy\"", "pytest\""):
        assert command in test_branch, command


# --- the lock files --------------------------------------------------------------------------------


def _locked(lock: Path) -> dict[str, list[tuple[Version, str]]]:
    """name -> [(version, marker)] in a lock file; every entry must carry hashes."""
    out: dict[str, list[tuple[Version, str]]] = {}
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text(encoding="utf-8"))
    for entry in entries:
        if entry.startswith("#") or not entry.strip():
            continue
        head = entry.split("\\", 1)[0].strip()
        requirement = Requirement(head)
        assert "--hash=sha256:" in entry, f"{lock.name}: {head} has no hash"
        (spec,) = requirement.specifier
        assert spec.operator == "==", head
        out.setdefault(requirement.name.lower().replace("_", "-"), []).append(
            (Version(spec.version), str(requirement.marker or "")))
    return out


def _pyproject() -> dict[str, Any]:
    with (REPO / "pyproject.toml").open("rb") as f:
        data: dict[str, Any] = tomllib.load(f)
    return data


@pytest.mark.parametrize("kind", ["site", "test"])
def test_the_lock_pins_every_dependency_within_pyproject(kind: str) -> None:
    project = _pyproject()["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    if kind == "test":
        wanted += [Requirement(r) for r in project["optional-dependencies"]["test"]]
    locked = _locked(LOCKS[kind])
    assert "setuptools" in locked, "setuptools is locked: the project is installed without build isolation"
    for requirement in wanted:
        name = requirement.name.lower().replace("_", "-")
        assert name in locked, f"{LOCKS[kind].name} lacks {name}: run ./dev lock"
        for version, _ in locked[name]:
            assert requirement.specifier.contains(version, prereleases=True), (name, str(version))


def test_mkdocs_2_is_excluded() -> None:
    (mkdocs,) = [Requirement(r) for r in _pyproject()["project"]["dependencies"] if r.startswith("mkdocs")
                 and Requirement(r).name == "mkdocs"]
    assert not mkdocs.specifier.contains("2.0.0", prereleases=True)
    assert not mkdocs.specifier.contains("2.0.0a1", prereleases=True)
    for lock in LOCKS.values():
        assert all(v.major == 1 for v, _ in _locked(lock)["mkdocs"])


def test_dev_installs_from_the_locks_and_reinstalls_when_they_change() -> None:
    dev = (REPO / "dev").read_text(encoding="utf-8")
    assert "--require-hashes -r \"$lock\"" in dev and "--no-deps" in dev
    assert "requirements.lock" in dev and "requirements-test.lock" in dev
    assert re.search(r"want=\$\(cat pyproject\.toml \"\$lock\"", dev), "the install stamp keys on the lock too"


# --- tests that cannot pass by not running ----------------------------------------------------------


def test_missing_tools_fail_in_ci_and_skip_only_on_a_developers_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        unavailable("chromium is missing")
    monkeypatch.setenv("CI", "1")
    assert in_ci()
    for value in ("", "0", "false"):
        monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.skip.Exception, match="developer's machine"):
            unavailable("chromium is missing")
    monkeypatch.delenv("CI")
    assert not in_ci()


def test_hypothesis_is_derandomized_in_ci() -> None:
    assert settings.get_profile("ci").derandomize
    if in_ci():
        assert settings.default is not None and settings.default.derandomize
    code = "import conftest, hypothesis; print(hypothesis.settings.default.derandomize)"
    env = {**os.environ, "CI": "1"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            cwd=REPO / "tests", check=True)
    assert result.stdout.strip() == "True"


def test_no_browser_test_skips_for_a_missing_page_or_form() -> None:
    for file in sorted((REPO / "tests").glob("test_*browser.py")):
        assert "pytest.skip(" not in file.read_text(encoding="utf-8"), file.name


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
    check, report = flow["jobs"]["links"], flow["jobs"]["rapport"]
    assert check["permissions"] == {"contents": "read"}
    assert report["permissions"] == {"issues": "write"} and report["needs"] == "links"
    assert "videnbank links" in " ".join(s.get("run", "") for s in check["steps"])
    script = " ".join(s.get("run", "") for s in report["steps"])
    assert "gh issue create" in script and "exit 1" in script
    assert not _RUNS_OUR_CODE.search(script), "the job that writes runs no code from the repository"


def test_submission_workflow_treats_the_issue_as_data() -> None:
    text = (WORKFLOWS / "indsendelse.yml").read_text(encoding="utf-8")
    flow = load("indsendelse.yml")
    assert flow["on"] == {"issues": {"types": ["labeled"]}}
    assert flow["permissions"] == {}
    jobs = flow["jobs"]
    assert "github.event.label.name == 'godkendt'" in jobs["lav"]["if"]
    assert jobs["lav"]["permissions"] == {"contents": "read"}
    assert jobs["pr"]["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert jobs["svar"]["permissions"] == {"issues": "write"}
    assert jobs["pr"]["needs"] == ["lav", "kilde"] and jobs["svar"]["needs"] == jobs["kilde"]["needs"] == "lav"
    # The repository reaches the job that writes from a read-only job, not through actions/checkout.
    assert jobs["kilde"]["permissions"] == {"contents": "read"}
    assert not _RUNS_OUR_CODE.search(" ".join(s.get("run", "") for s in jobs["kilde"]["steps"]))
    # Untrusted text never goes into a script through an expression.
    assert not re.search(r"\$\{\{\s*github\.event\.issue\.(body|title)", text)
    convert = " ".join(s.get("run", "") for s in jobs["lav"]["steps"])
    assert "videnbank fra-issue" in convert and "videnbank tjek" in convert and "mkdocs build --strict" in convert
    publish = " ".join(s.get("run", "") for s in jobs["pr"]["steps"])
    assert "gh pr create" in publish and "git push" in publish
    assert not _RUNS_OUR_CODE.search(publish), "the job that pushes runs no code from the repository"
    assert "gh issue comment" in " ".join(s.get("run", "") for s in jobs["svar"]["steps"])


def test_submission_converts_the_text_that_was_labelled() -> None:
    """The body comes from the 'labeled' event's payload (the text when the label was set); it is
    never fetched again, so an edit after approval cannot reach the story."""
    jobs = load("indsendelse.yml")["jobs"]
    runs = " ".join(s.get("run", "") for job in jobs.values() for s in job["steps"])
    assert re.search(r"jq -r '\.issue\.body // \"\"' \"\$GITHUB_EVENT_PATH\"", runs)
    assert "gh issue view" not in runs and "gh api" not in runs


# --- the submission bot never overwrites someone else's work ------------------------------------

_BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
_PERSON = ("Sekretariatet", "sekretariat@kommune.example")


def _git(cwd: Path, *args: str, who: tuple[str, str] = _BOT, committer: tuple[str, str] | None = None) -> str:
    by = committer or who
    env = {**os.environ, "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1],
           "GIT_COMMITTER_NAME": by[0], "GIT_COMMITTER_EMAIL": by[1], "GIT_CONFIG_GLOBAL": os.devnull}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _commit(repo: Path, name: str, text: str, **who: Any) -> str:
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(text, encoding="utf-8")
    _git(repo, "add", "--", name, **who)
    _git(repo, "commit", "-q", "-m", f"{name}", **who)
    return _git(repo, "rev-parse", "HEAD")


def _push_step(tmp_path: Path, existing: list[dict[str, Any]]) -> tuple[subprocess.CompletedProcess[str], Path, str]:
    """Run the real 'Skub grenen' script of indsendelse.yml against a local 'origin': main with one
    commit, the branch historie/issue-7 made of ``existing`` commits (if any), and a checkout with
    the bot's new conversion on the branch. ``gh`` is a stand-in that records the comment."""
    step = next(s for s in load("indsendelse.yml")["jobs"]["pr"]["steps"] if s.get("name") == "Skub grenen")
    tmp_path.mkdir(parents=True, exist_ok=True)
    origin, work, seed = tmp_path / "origin.git", tmp_path / "work", tmp_path / "seed"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    _git(tmp_path, "clone", "-q", str(origin), str(seed))
    _commit(seed, "README.md", "videnbank\n", who=_PERSON)
    _git(seed, "push", "-q", "origin", "HEAD:main")
    if existing:
        _git(seed, "switch", "-q", "-c", "historie/issue-7")
        for n, commit in enumerate(existing):
            _commit(seed, f"stories/x{n}.md", f"{n}\n", **commit)
        _git(seed, "push", "-q", "origin", "historie/issue-7")
    _git(tmp_path, "clone", "-q", str(origin), str(work))
    _git(work, "switch", "-q", "-c", "historie/issue-7")
    new = _commit(work, "stories/ny.md", "ny\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "gh.log"
    (bin_dir / "gh").write_text(
        "#!/bin/sh\n"
        f"echo \"$*\" >> '{log}'\n"
        "if [ \"$1 $2\" = 'issue comment' ]; then cat \"$5\" >> " + f"'{log}'; fi\n",
        encoding="utf-8",
    )
    (bin_dir / "gh").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GIT_CONFIG_GLOBAL": os.devnull,
           "BRANCH": "historie/issue-7", "ISSUE": "7", "BASE": "main", "RUNNER_TEMP": str(tmp_path),
           "BOT_EMAIL": step["env"]["BOT_EMAIL"], "GH_TOKEN": "x"}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, env=env, capture_output=True, text=True)
    return result, log, new


def _remote_tip(tmp_path: Path) -> str:
    return _git(tmp_path, "--git-dir", str(tmp_path / "origin.git"), "rev-parse", "refs/heads/historie/issue-7")


def test_the_bot_pushes_a_new_branch_and_replaces_only_its_own(tmp_path: Path) -> None:
    fresh, _, new = _push_step(tmp_path / "a", [])
    assert fresh.returncode == 0, fresh.stderr
    assert _remote_tip(tmp_path / "a") == new
    # An earlier conversion of the same issue (the bot's commits only) is replaced by the new one.
    again, log, new = _push_step(tmp_path / "b", [{"who": _BOT}, {"who": _BOT}])
    assert again.returncode == 0, again.stderr
    assert _remote_tip(tmp_path / "b") == new
    assert "issue comment" not in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("commit", [
    {"who": _PERSON},  # the secretariat's fix
    {"who": _BOT, "committer": _PERSON},  # the bot's commit, amended or rebased by a person
], ids=["author", "committer"])
def test_the_bot_never_overwrites_a_branch_with_someone_elses_commits(tmp_path: Path, commit: dict[str, Any]) -> None:
    result, log, _ = _push_step(tmp_path, [{"who": _BOT}, commit])
    before = _git(tmp_path / "seed", "rev-parse", "HEAD")
    assert result.returncode == 1
    assert _remote_tip(tmp_path) == before  # untouched
    said = log.read_text(encoding="utf-8")
    assert "issue comment 7" in said and "overskriver robotten ikke" in said
