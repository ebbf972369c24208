"""The videnbank command: every command on real copies of the site."""

from __future__ import annotations

import datetime as dt
import http.client
import http.server
import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import REPO, build_ok, copy_site, html, run_build, serve_on_loopback, write_tree
from videnbank import docs, linkcheck, preview, schema
from videnbank.cli import main
from videnbank.load import STORY_SECTIONS, load_bank
from videnbank.problems import Problem, annotation
from videnbank.source import read_source

TITLE = "Fælles have i Vestbyen"
SLUG = "faelles-have-i-vestbyen"
LINE = re.compile(r"^(?P<path>[^:\s]+\.md):(?P<line>\d+): (?P<field>[^:]+): (?P<what>.+) — (?P<fix>.+)$")


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    base = {"GITHUB_ACTIONS": ""}
    return CliRunner().invoke(main, ["--rod", str(root), *args], env={**base, **(env or {})})


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


def _comments(text: str) -> str:
    """All comment text of a YAML front matter, joined, whitespace collapsed."""
    parts = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]
    return " ".join(" ".join(parts).split())


def _fill_required(text: str, schema_: dict[str, Any]) -> str:
    """Fill every required field ny marked UDFYLD, with a value the schema allows."""
    for doc in schema.walk(schema.fields(schema_)):
        if not doc.required or doc.children or doc.is_list:
            continue
        enum = doc.node.get("enum")
        value = enum[-1] if enum else "Vestbyens Haveforening"
        marked = r"(\"UDFYLD[^\"]*\"|\S+  # UDFYLD).*$"
        pattern = re.compile(rf"^(?P<lead>[ -]*){re.escape(doc.key)}: {marked}", re.MULTILINE)
        text = pattern.sub(rf"\g<lead>{doc.key}: {value}", text, count=1)
    return text.replace("## Udfordringen\n", "## Udfordringen\n\nNaboerne manglede et sted at mødes.\n").replace(
        "## Det gjorde vi\n", "## Det gjorde vi\n\nForeningen og kommunen anlagde en have sammen.\n"
    )


# --- help -------------------------------------------------------------------------------------


def test_help_is_danish_for_every_command(site: Path) -> None:
    result = run(site, "--help")
    assert result.exit_code == 0
    assert "Brug: videnbank" in result.output and "Kommandoer:" in result.output
    for command in ("ny", "tjek", "vis", "skema", "guide", "formular", "generer", "fra-issue", "links"):
        assert re.search(rf"^  {command}\s", result.output, re.MULTILINE), command
        sub = run(site, command, "--help")
        assert sub.exit_code == 0, sub.output
        assert "Brug: videnbank" in sub.output and "Vis denne hjælp og stop." in sub.output
        assert "Usage" not in sub.output and "Show this message" not in sub.output


def test_installed_script_runs(site: Path) -> None:
    script = Path(sys.executable).with_name("videnbank")
    assert script.is_file(), "pip install -e . installs the videnbank script"
    result = subprocess.run([str(script), "--rod", str(site), "tjek"], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "GITHUB_ACTIONS": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ingen problemer" in result.stdout


def test_without_a_bank_the_message_says_where_to_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["tjek"])
    assert result.exit_code == 1
    assert "Fandt ingen videnbank" in result.output and "--rod" in result.output


# --- ny ---------------------------------------------------------------------------------------


def test_ny_writes_every_field_explained_from_the_model(site: Path) -> None:
    result = run(site, "ny", TITLE)
    assert result.exit_code == 0, result.output
    assert f"stories/{SLUG}.md" in result.output
    text = (site / "stories" / f"{SLUG}.md").read_text(encoding="utf-8")
    src = read_source(site / "stories" / f"{SLUG}.md", "x")
    assert src.data["titel"] == TITLE
    assert src.data["dato"] == dt.date.today()
    assert src.data["publicering"] == "kladde"
    front = text.split("\n---\n", 1)[0]
    comments = _comments(front)
    story_schema = schema.story_schema(schema.vocabulary(site))
    for doc in schema.walk(schema.fields(story_schema)):
        assert re.search(rf"^[# -]*{re.escape(doc.key)}:", front, re.MULTILINE), doc.path
        assert " ".join(doc.description.split()) in comments, doc.path
    for slug in schema.vocabulary(site).principles:
        assert slug in comments
    for section in STORY_SECTIONS:
        assert f"\n## {section}\n" in text
        assert schema.SECTION_HINTS[section] in comments


def test_ny_refuses_to_overwrite(site: Path) -> None:
    assert run(site, "ny", TITLE).exit_code == 0
    path = site / "stories" / f"{SLUG}.md"
    path.write_text("mit arbejde", encoding="utf-8")
    again = run(site, "ny", TITLE)
    assert again.exit_code == 1
    assert "findes allerede" in again.output
    assert path.read_text(encoding="utf-8") == "mit arbejde"


def test_ny_needs_a_title_with_letters(site: Path) -> None:
    assert "Skriv historiens titel" in run(site, "ny").output
    result = run(site, "ny", "!!!")
    assert result.exit_code == 1 and "kortnavn" in result.output


def test_ny_writes_a_draft_that_passes_tjek_and_marks_what_to_fill(site: Path, tmp_path: Path) -> None:
    """A new story passes the checker as a draft (so `./dev serve` keeps running); every value
    still to write is marked UDFYLD, and the marks fail as soon as the story is not a draft."""
    assert run(site, "ny", TITLE).exit_code == 0
    path = site / "stories" / f"{SLUG}.md"
    first = run(site, "tjek", str(path))
    assert first.exit_code == 0, first.output
    assert "ingen problemer" in first.output
    assert re.search(rf"stories/{SLUG}.md — {TITLE} \(\d+ steder med UDFYLD mangler\)", first.output), first.output

    # The draft builds strictly in preview, so a running ./dev serve is not broken by it.
    out = build_ok(site, tmp_path / "draft", env={"VIDENBANK_KLADDER": "1"})
    assert "UDFYLD" in html(out, f"historier/{SLUG}/").get_text()

    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("publicering: kladde", "publicering: til-gennemsyn"), encoding="utf-8")
    review = run(site, "tjek", str(path))
    assert review.exit_code == 1
    lines = [m for line in review.output.splitlines() if (m := LINE.match(line))]
    assert {m["field"] for m in lines} >= {"sammendrag", "status", "kontakt.organisation", "principper[1].princip",
                                          "aktører[1].navn", "aktører[1].sektor"}
    assert all("UDFYLD" in m["what"] and m["path"] == f"stories/{SLUG}.md" for m in lines)

    story_schema = schema.story_schema(schema.vocabulary(site))
    path.write_text(_fill_required(text, story_schema), encoding="utf-8")
    second = run(site, "tjek", str(path))
    assert second.exit_code == 0, second.output
    assert "UDFYLD" not in second.output
    assert f"stories/{SLUG}.md — {TITLE}" in second.output
    assert "Kladder (1)" in second.output

    # The filled-in draft builds strictly in preview and shows its text.
    out = build_ok(site, tmp_path / "out", env={"VIDENBANK_KLADDER": "1"})
    page = html(out, f"historier/{SLUG}/")
    assert page.h1 and page.h1.get_text(strip=True).startswith(TITLE)
    assert "Naboerne manglede et sted at mødes." in page.get_text()


# --- tjek -------------------------------------------------------------------------------------

BROKEN = """---
titel: Et forsøg
sammendrag: ""
dato: 2024-02-30
publicering: til-gennemsyn
principper: [dialog]
aktører:
  - navn: Foreningen
    sektor: forening
status: igang
kontakt:
  organisation: Foreningen
---
## Udfordringen

Tekst.
"""


def test_tjek_shipped_bank_is_clean_and_lists_drafts(site: Path) -> None:
    result = run(site, "tjek")
    assert result.exit_code == 0, result.output
    assert "ingen problemer" in result.output
    for story in load_bank(site).stories:
        listed = f"  {story.path} — {story.meta.title}" in result.output
        assert listed == (story.meta.publication != "udgivet"), story.path


def test_tjek_prints_every_problem_and_fails(site: Path) -> None:
    write_tree(site, {"stories/et-forsoeg.md": BROKEN})
    result = run(site, "tjek")
    assert result.exit_code == 1
    problems = [m for line in result.output.splitlines() if (m := LINE.match(line))]
    assert {m["field"] for m in problems} >= {"sammendrag", "dato", "principper[1].princip", "aktører[1].sektor"}
    assert "::error" not in result.output
    assert f"{len(problems)} problemer" in result.output


def test_tjek_only_the_given_files(site: Path) -> None:
    write_tree(site, {"stories/et-forsoeg.md": BROKEN})
    good = site / "stories" / "samskabelsesraadet-i-silkeborg.md"
    result = run(site, "tjek", str(good))
    assert result.exit_code == 0, result.output
    assert "et-forsoeg" not in result.output


def test_tjek_on_github_adds_annotations(site: Path) -> None:
    write_tree(site, {"stories/et-forsoeg.md": BROKEN})
    result = run(site, "tjek", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    plain = [m for line in result.output.splitlines() if (m := LINE.match(line))]
    notes = re.findall(r"^::error file=([^,]+),line=(\d+),title=([^:]+)::(.+)$", result.output, re.MULTILINE)
    assert len(notes) == len(plain) > 0
    for m, (file, line, title, message) in zip(plain, notes, strict=True):
        assert (file, line, title) == (m["path"], m["line"], m["field"])
        assert message == f"{m['what']} — {m['fix']}"


def test_annotation_escapes_github_specials() -> None:
    problem = Problem("stories/a,b.md", 3, "felt:x", "100% galt\nnæste", "ret, nu")
    assert annotation(problem) == (
        "::error file=stories/a%2Cb.md,line=3,title=felt%3Ax::100%25 galt%0Anæste — ret, nu"
    )


def test_tjek_unknown_file(site: Path) -> None:
    result = run(site, "tjek", str(site / "stories" / "findes-ikke.md"))
    assert result.exit_code == 1
    assert "Filen findes ikke" in result.output


def test_tjek_lists_what_waits_for_review(site: Path) -> None:
    text = (site / "stories" / "samskabelsesraadet-i-silkeborg.md").read_text(encoding="utf-8")
    write_tree(site, {
        "stories/til-laesning.md": text.replace("publicering: udgivet", "publicering: til-gennemsyn")
        .replace("titel: Samskabelsesrådet i Silkeborg bliver til", "titel: Til læsning"),
        "stories/halvfaerdig.md": text.replace("publicering: udgivet", "publicering: kladde")
        .replace("titel: Samskabelsesrådet i Silkeborg bliver til", "titel: Halvfærdig"),
    })
    result = run(site, "tjek")
    assert result.exit_code == 0, result.output
    review = result.output.split("Til gennemsyn (1)")[1].split("Kladder")[0]
    assert "stories/til-laesning.md — Til læsning" in review
    assert "stories/halvfaerdig.md — Halvfærdig" in result.output.split("Kladder")[1]


# --- skema, guide, formular, generer ----------------------------------------------------------


def _plain(value: Any) -> Any:
    """Front matter as an editor's YAML 1.2 parser sees it: dates are strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_skema_is_the_committed_copy() -> None:
    result = run(REPO, "skema")
    assert result.exit_code == 0
    committed = (REPO / schema.SCHEMA_PATH).read_text(encoding="utf-8")
    assert result.output == committed, "kør: videnbank generer"


def test_skema_validates_the_shipped_stories(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "historie.schema.json"
    assert run(site, "skema", "--ud", str(out)).exit_code == 0
    story_schema = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(story_schema)
    validator = jsonschema.Draft202012Validator(story_schema)
    stories = sorted((site / "stories").glob("*.md"))
    assert stories
    for file in stories:
        data = _plain(read_source(file, file.name).data)
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, (file.name, errors)


def test_skema_rejects_what_the_checker_rejects(site: Path) -> None:
    story_schema = json.loads(run(site, "skema").output)
    validator = jsonschema.Draft202012Validator(story_schema)
    good = _plain(read_source(site / "stories" / "samskabelsesraadet-i-silkeborg.md", "x").data)
    assert not list(validator.iter_errors(good))
    assert list(validator.iter_errors({**good, "principper": ["findes-ikke"]}))
    assert list(validator.iter_errors({**good, "metoder": ["findes-ikke"]}))
    assert list(validator.iter_errors({**good, "ukendt_felt": 1}))
    assert list(validator.iter_errors({k: v for k, v in good.items() if k != "titel"}))
    # What the checker accepts, the schema accepts too.
    assert not list(validator.iter_errors({**good, "samtykke": "ja", "periode": {"start": 2019}}))


def test_skema_takes_the_vocabularies_from_the_files(site: Path) -> None:
    write_tree(site, {
        "principles/nyt-princip.md": "---\nnummer: 99\nnavn: Nyt princip\nkort: Kort.\n---\nTekst.\n",
        "methods/walk-and-talk.md": "---\nnavn: Walk and talk\nkort: Kort.\n---\nTekst.\n",
    })
    story_schema = json.loads(run(site, "skema").output)
    assert "nyt-princip" in story_schema["$defs"]["PrincipleRef"]["properties"]["princip"]["enum"]
    assert "walk-and-talk" in story_schema["properties"]["metoder"]["items"]["enum"]
    assert story_schema["title"] == "Historie"
    assert all(d["title"] != name or name == "Link" for name, d in story_schema["$defs"].items())


def test_generated_files_are_current() -> None:
    result = run(REPO, "generer", "--kontroller")
    assert result.exit_code == 0, result.output


def test_generer_writes_and_kontroller_notices_staleness(site: Path) -> None:
    write_tree(site, {"methods/walk-and-talk.md": "---\nnavn: Walk and talk\nkort: Kort.\n---\nTekst.\n"})
    stale = run(site, "generer", "--kontroller")
    assert stale.exit_code == 1 and "Ikke opdateret" in stale.output
    assert run(site, "generer").exit_code == 0
    assert run(site, "generer", "--kontroller").exit_code == 0
    assert "Walk and talk" in (site / ".github/ISSUE_TEMPLATE/historie.yml").read_text(encoding="utf-8")
    assert "walk-and-talk" in (site / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_guide_is_contributing_md() -> None:
    result = run(REPO, "guide")
    assert result.exit_code == 0
    assert result.output == (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8"), "kør: videnbank generer"
    assert docs.GUIDE_MARKER not in result.output
    for doc in schema.walk(schema.fields(schema.story_schema(schema.vocabulary(REPO)))):
        assert f"| `{doc.path}` |" in result.output


def test_guide_page_on_the_site_is_short_and_links_the_full_guide(shipped_site: Path) -> None:
    page = html(shipped_site, "bidrag/")
    assert page.h1 and str(page.h1.contents[0]).strip() == "Bidrag med en historie"
    links = {a["href"] for a in page.select("article a[href]")}
    assert "https://github.com/samskabelse/videnbank/issues/new?template=historie.yml" in links
    assert "https://github.com/samskabelse/videnbank/blob/main/CONTRIBUTING.md#skriv-historien-som-en-fil" in links
    # The field table and the limits are in CONTRIBUTING.md (test_guide_is_contributing_md), not here.
    assert not [t for t in page.find_all("table") if "Forklaring" in t.get_text()]
    article = page.select_one("article")
    assert article is not None and len(article.get_text()) < 4000
    nav = [a.get_text(strip=True) for a in page.select("nav a")]
    assert "Bidrag" in nav


# --- vis --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, ""


@contextmanager
def _serving(root: Path, story: Path, port: int) -> Iterator[subprocess.Popen[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIDENBANK_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "videnbank.cli", "--rod", str(root), "vis", str(story), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True,
    )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(url: str, seconds: float, want: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            status, body = _get(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            status, body = 0, ""
        if status == 200 and want in body:
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"{url} showed no '{want}' within {seconds} s")


def test_vis_serves_only_that_story_fast_and_reloads(site: Path) -> None:
    original = (site / "stories" / "samskabelsesraadet-i-silkeborg.md").read_text(encoding="utf-8")
    title = "Samskabelsesrådet i Silkeborg bliver til"
    # A bigger bank: 300 more stories must not slow the preview of one.
    write_tree(site, {
        f"stories/ekstra-{n}.md": original.replace(title, f"Ekstra {n} bliver til")
        for n in range(300)
    })
    draft = original.replace("publicering: udgivet", "publicering: kladde")
    write_tree(site, {"stories/samskabelsesraadet-i-silkeborg.md": draft})
    story = site / "stories" / "samskabelsesraadet-i-silkeborg.md"
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    with _serving(site, story, port) as process:
        took = _wait_for(f"{base}historier/samskabelsesraadet-i-silkeborg/", 30, title)
        assert took < 15, f"preview took {took:.1f} s"
        _, page = _get(f"{base}historier/samskabelsesraadet-i-silkeborg/")
        assert "Kladde" in page
        assert _get(f"{base}historier/ekstra-1/")[0] == 404
        assert _get(f"{base}principper/ny-velfaerd-lokalt/")[0] == 200

        story.write_text(draft.replace(title, "Rettet titel bliver til"), encoding="utf-8")
        _wait_for(f"{base}historier/samskabelsesraadet-i-silkeborg/", 30, "Rettet titel bliver til")
        assert process.poll() is None
    assert process.stdout is not None
    output = process.stdout.read()
    assert f"{base}historier/samskabelsesraadet-i-silkeborg/" in output


def test_vis_takes_a_free_port_when_its_own_is_busy(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs.commands.serve

    served: dict[str, Any] = {}
    monkeypatch.setattr(mkdocs.commands.serve, "serve", lambda **kwargs: served.update(kwargs))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        monkeypatch.setattr(preview, "PREVIEW_PORT", taken)
        story = next(s for s in load_bank(site).stories if s.meta.publication == "udgivet")
        result = run(site, "vis", str(site / story.path))
    assert result.exit_code == 0, result.output
    port = int(served["dev_addr"].rsplit(":", 1)[1])
    assert port != taken
    assert f"Port {taken} er optaget" in result.output and f"bruger port {port}" in result.output
    assert f"http://127.0.0.1:{port}/" in result.output
    assert preview.free_port("127.0.0.1", port) == port, "a free port is kept"


def test_help_shows_defaults_in_danish(site: Path) -> None:
    for command in ("vis", "links", "byg"):
        text = run(site, command, "--help").output
        assert "[default" not in text and "standard:" in text, command
    assert "(standard: 8000;" in run(site, "vis", "--help").output
    wrong = run(site, "vis", "--nope")
    assert wrong.exit_code == 2
    assert "Fejl: Valget '--nope' findes ikke." in wrong.output and "Error" not in wrong.output


def test_vis_refuses_a_story_with_problems(site: Path) -> None:
    write_tree(site, {"stories/et-forsoeg.md": BROKEN})
    result = run(site, "vis", str(site / "stories" / "et-forsoeg.md"), "--port", str(_free_port()))
    assert result.exit_code == 1
    assert "stories/et-forsoeg.md:" in result.output and "Ret problemerne" in result.output


def test_vis_needs_a_file(site: Path) -> None:
    assert run(site, "vis").exit_code == 1
    missing = run(site, "vis", "stories/findes-ikke.md")
    assert missing.exit_code == 1 and "findes ikke" in missing.output


def _status_for_host(port: int, host: str | None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", "/historier/folkemoedet-i-silkeborg/", skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_vis_answers_only_its_own_host_names(site: Path) -> None:
    story = site / "stories" / "folkemoedet-i-silkeborg.md"
    write_tree(site, {"stories/folkemoedet-i-silkeborg.md": story.read_text(encoding="utf-8").replace(
        "publicering: udgivet", "publicering: kladde")})
    port = _free_port()
    with _serving(site, story, port):
        _wait_for(f"http://127.0.0.1:{port}/historier/folkemoedet-i-silkeborg/", 60, "Folkemødet i Silkeborg")
        for own in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
            assert _status_for_host(port, own) == 200, own
        # A DNS-rebinding page sends its own name; so does anything that is not the preview.
        for foreign in (f"angriber.example:{port}", "angriber.example", f"127.0.0.1.nip.io:{port}",
                        f"localhost.angriber.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}",
                        f"0.0.0.0:{port}", f"[::ffff:127.0.0.1]:{port}"):
            assert _status_for_host(port, foreign) == 421, foreign
        assert _status_for_host(port, None) == 400


def test_own_hosts_include_the_chosen_address() -> None:
    assert preview.own_hosts("127.0.0.1", 8000) == frozenset({"127.0.0.1:8000", "localhost:8000", "[::1]:8000"})
    assert "192.168.1.20:8001" in preview.own_hosts("192.168.1.20", 8001)
    assert "[::1]:8000" in preview.own_hosts("::1", 8000)
    assert "localhost" in preview.own_hosts("127.0.0.1", 80) and "localhost" not in preview.own_hosts("127.0.0.1", 8000)


class _Server:
    """A stand-in for a WSGI server (get_app/set_app), as MkDocs' LiveReloadServer has."""

    def __init__(self) -> None:
        self.app: Any = lambda environ, start_response: (start_response("200 OK", []), [b"kladde"])[1]

    def get_app(self) -> Any:
        return self.app

    def set_app(self, application: Any) -> None:
        self.app = application


@pytest.mark.parametrize(("host", "status"), [
    ("127.0.0.1:8000", "200 OK"), ("localhost:8000", "200 OK"), ("[::1]:8000", "200 OK"),
    ("angriber.example:8000", "421 Misdirected Request"), ("localhost:8001", "421 Misdirected Request"),
    ("localhost", "421 Misdirected Request"), (None, "400 Bad Request"),
])
def test_guard_wraps_any_wsgi_server(host: str | None, status: str) -> None:
    server = preview.guard(_Server(), "127.0.0.1", 8000)
    seen: list[str] = []
    environ = {} if host is None else {"HTTP_HOST": host}
    body = b"".join(server.app(environ, lambda s, headers: seen.append(s)))
    assert seen == [status]
    assert (b"kladde" in body) is (status == "200 OK")


def test_cli_module_does_not_import_mkdocs() -> None:
    code = "import sys, videnbank.cli; print(any(m == 'mkdocs' or m.startswith('mkdocs.') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- fra-issue --------------------------------------------------------------------------------

ISSUE = """### Titel

Fælles have i Vestbyen

### Sammendrag

Naboer og kommune anlagde sammen en have, hvor beboerne mødes.

### Udfordringen

Naboerne manglede et sted at mødes.

### Det gjorde vi

Foreningen og kommunen anlagde haven sammen.

### Det kom der ud af

_No response_

### Det lærte vi

_No response_

### Principper

En proces bygget på dialog

### Hvordan viser historien principperne?

_No response_

### Aktører

Vestbyens Haveforening (civilsamfund)
Silkeborg Kommune (offentlig)

### Metoder

_No response_

### Målgrupper

_No response_

### Temaer

_No response_

### Kommune

_No response_

### Sted

_No response_

### Start

_No response_

### Slut

_No response_

### Status

I gang

### Resultater

_No response_

### Er resultaterne evalueret?

_No response_

### Kontakt: organisation

Vestbyens Haveforening

### Kontakt: organisationens e-mail

_No response_

### Kontakt: organisationens telefon

_No response_

### Kontakt: organisationens hjemmeside

_No response_

### Links

_No response_

### Rådets rolle

_No response_

### Samtykke

- [ ] Alle privatpersoner, der nævnes ved navn eller kan genkendes, har givet samtykke.

### Bekræftelse

- [X] Historien indeholder ingen privatpersoners kontaktoplysninger, kun organisationens.
- [X] Jeg må dele teksten, og sekretariatet må rette i den, før den bliver offentlig.
"""


def test_fra_issue_writes_a_story_that_passes_tjek(site: Path, tmp_path: Path) -> None:
    body = tmp_path / "issue.md"
    body.write_text(ISSUE, encoding="utf-8")
    result = CliRunner().invoke(main, ["--rod", str(site), "fra-issue", str(body)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"stories/{SLUG}.md"
    meta = read_source(site / "stories" / f"{SLUG}.md", "x").data
    assert meta["publicering"] == "til-gennemsyn"
    tjek = run(site, "tjek", str(site / "stories" / f"{SLUG}.md"))
    assert tjek.exit_code == 0, tjek.output
    assert "Til gennemsyn (1)" in tjek.output


def test_fra_issue_reports_problems_for_a_comment(site: Path, tmp_path: Path) -> None:
    body = tmp_path / "issue.md"
    body.write_text(ISSUE.replace("Vestbyens Haveforening (civilsamfund)", "Vestbyens Haveforening"), encoding="utf-8")
    report = tmp_path / "problemer.md"
    result = CliRunner().invoke(main, ["--rod", str(site), "fra-issue", str(body), "--problemer", str(report)])
    assert result.exit_code == 1
    assert "Aktører: linje 1" in result.output
    assert "- **Aktører**: linje 1" in report.read_text(encoding="utf-8")
    assert not (site / "stories" / f"{SLUG}.md").exists()


# --- links ------------------------------------------------------------------------------------


class _Links(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(200 if self.path == "/findes" else 405 if self.path == "/kun-get" else 404)
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(200 if self.path in {"/findes", "/kun-get"} else 404)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _only_local_links(site: Path, base: str) -> None:
    """Replace the shipped content's external links (no network in tests) with local ones."""
    folders = ("stories", "principles", "methods", "docs")
    files = [site / "council.yml", *(f for d in folders for f in (site / d).rglob("*.md"))]
    for file in files:
        text = file.read_text(encoding="utf-8")
        file.write_text(re.sub(r"https?://[^\s)>\"']+", f"{base}/findes", text), encoding="utf-8")


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' link server runs on 127.0.0.1: let the checker treat that one address (and no
    other, not even 127.0.0.2 or ::1) as public."""
    monkeypatch.setattr(linkcheck, "address_allowed", lambda ip: str(ip) == "127.0.0.1")


@pytest.mark.usefixtures("loopback_is_public")
def test_links_reports_broken_links_with_their_files(site: Path, tmp_path: Path) -> None:
    with serve_on_loopback(_Links) as base:
        _only_local_links(site, base)
        text = (site / "stories" / "samskabelsesraadet-i-silkeborg.md").read_text(encoding="utf-8")
        text = text.replace("rådets_rolle: igangsat", "rådets_rolle: igangsat\nlinks:\n"
                            f"  - titel: Væk\n    url: {base}/vaek\n  - titel: Kun GET\n    url: {base}/kun-get")
        write_tree(site, {"stories/samskabelsesraadet-i-silkeborg.md": text})
        report = tmp_path / "links.md"
        result = run(site, "links", "--rapport", str(report), "--timeout", "5")
    assert result.exit_code == 1, result.output
    assert f"{base}/vaek: 404 — i stories/samskabelsesraadet-i-silkeborg.md" in result.output
    assert "kun-get" not in result.output
    assert "1 link ud af 3 virker ikke." in result.output  # singular: one dead link
    assert f"| {base}/vaek | 404 | stories/samskabelsesraadet-i-silkeborg.md |" in report.read_text(encoding="utf-8")


@pytest.mark.usefixtures("loopback_is_public")
def test_links_all_good(site: Path) -> None:
    with serve_on_loopback(_Links) as base:
        _only_local_links(site, base)
        result = run(site, "links", "--timeout", "5")
    assert result.exit_code == 0, result.output
    # Every link now points at the one local address, so there is one link to check (singular).
    assert result.output.strip() == "Det eksterne link virker."


class _Internal(http.server.BaseHTTPRequestHandler):
    """A server that must never be reached by the link checker (stands for the internal network)."""

    hits: ClassVar[list[str]] = []

    def do_HEAD(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _redirecting(targets: dict[str, str]) -> type[http.server.BaseHTTPRequestHandler]:
    class Redirects(_Links):
        def do_HEAD(self) -> None:
            if self.path in targets:
                self.send_response(302)
                self.send_header("Location", targets[self.path])
                self.end_headers()
            else:
                super().do_HEAD()

        do_GET = do_HEAD

    return Redirects


@pytest.mark.usefixtures("loopback_is_public")
def test_links_refuses_redirects_to_internal_addresses_and_other_schemes(site: Path, tmp_path: Path) -> None:
    internal = http.server.ThreadingHTTPServer(("127.0.0.2", 0), _Internal)
    inside = f"http://127.0.0.2:{internal.server_port}"
    thread = threading.Thread(target=internal.serve_forever, daemon=True)
    thread.start()
    refused = {
        "/til-loopback": f"{inside}/kladder",
        "/til-privat": "http://10.1.2.3/intern",
        "/til-metadata": "http://169.254.169.254/latest/meta-data/",
        "/til-ipv6-loopback": f"http://[::1]:{internal.server_port}/",
        "/til-mapped": f"http://[::ffff:127.0.0.2]:{internal.server_port}/",
        "/til-fil": "file:///etc/passwd",
        "/til-ftp": "ftp://127.0.0.1/",
        "/i-ring": "/i-ring",
    }
    fine = {"/relativ": "/findes", "/kaede": "/relativ"}
    try:
        with serve_on_loopback(_redirecting({**refused, **fine})) as base:
            _only_local_links(site, base)
            text = (site / "stories" / "faaborg-midtfyn-civilsamfundspolitik.md").read_text(encoding="utf-8")
            entries = "".join(f"  - titel: Link {n}\n    url: {base}{path}\n"
                              for n, path in enumerate([*refused, *fine]))
            write_tree(site, {"stories/faaborg-midtfyn-civilsamfundspolitik.md": text.replace(
                "rådets_rolle: ingen", "rådets_rolle: ingen\nlinks:\n" + entries.rstrip("\n"))})
            report = tmp_path / "links.md"
            result = run(site, "links", "--rapport", str(report), "--timeout", "5")
    finally:
        internal.shutdown()
        internal.server_close()
        thread.join()
    assert result.exit_code == 1, result.output
    assert _Internal.hits == []
    posted = report.read_text(encoding="utf-8")
    for path in refused:
        assert f"{base}{path}" in posted
    for path in fine:
        assert f"{base}{path}" not in result.output
    assert posted.count("omdirigerer til en adresse, der ikke tjekkes") == len(refused) - 1
    assert "mere end 5 omdirigeringer" in posted
    # Nothing about where the refused redirects pointed is posted.
    for secret in ("127.0.0.2", "10.1.2.3", "169.254", "::1", "::ffff", "etc/passwd", "ftp://", "file:",
                   "kladder", str(internal.server_port)):
        assert secret not in posted and secret not in result.output, secret


@pytest.mark.parametrize(
    ("address", "allowed"),
    [("127.0.0.1", False), ("127.8.9.10", False), ("10.0.0.1", False), ("172.16.5.4", False),
     ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False),
     ("224.0.0.1", False), ("255.255.255.255", False), ("::1", False), ("fe80::1", False), ("fc00::1", False),
     ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False), ("::", False),
     # IPv4 carried in IPv6 (compatible, NAT64, 6to4, translated), and deprecated site-local (issue 17).
     ("::7f00:1", False), ("64:ff9b::7f00:1", False), ("2002:7f00:1::", False), ("::ffff:0:7f00:1", False),
     ("fec0::1", False), ("64:ff9b::a00:1", False), ("2002:a00:1::", False), ("64:ff9b:1::5db8:d70e", False),
     ("2001::1", False), ("2001:db8::1", False), ("ff0e::1", False),
     ("93.184.215.14", True), ("2a00:1450:4001:82b::200e", True), ("::ffff:93.184.215.14", True),
     ("64:ff9b::5db8:d70e", True), ("2002:5db8:d70e::1", True)],
)
def test_only_public_addresses_are_allowed(address: str, allowed: bool) -> None:
    assert linkcheck.address_allowed(ipaddress.ip_address(address)) is allowed


@pytest.mark.parametrize(
    ("url", "why"),
    [("file:///etc/passwd", "ikke en webadresse"), ("javascript:alert(1)", "ikke en webadresse"),
     ("ftp://example.org/", "ikke en webadresse"), ("http://localhost:9/", "ikke en offentlig adresse"),
     ("http://127.0.0.1:9/", "ikke en offentlig adresse"), ("http://[::1]:9/", "ikke en offentlig adresse"),
     ("http://0x7f000001:9/", "ikke en offentlig adresse"), ("http://2130706433:9/", "ikke en offentlig adresse")],
)
def test_links_that_are_not_public_are_never_requested(url: str, why: str) -> None:
    ok, status = linkcheck.check_url(url, timeout=2)
    assert not ok and status.startswith("ikke tjekket: ") and why in status


def test_issue_form_file_is_valid_yaml() -> None:
    form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/historie.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Indsend en historie"


def test_a_very_long_title_gives_a_file_name_within_the_slug_limit(tmp_path: Path) -> None:
    from videnbank.limits import MAX_SLUG_CHARS
    from videnbank.model import file_slug

    title = "Et meget langt samarbejde " * 40
    slug = file_slug(title)
    assert 0 < len(slug) <= MAX_SLUG_CHARS and not slug.endswith("-") and slug.startswith("et-meget-langt")
    assert file_slug("Kort titel") == "kort-titel"


def test_tjek_finds_the_dead_links_the_build_finds_at_the_files_line(site: Path, tmp_path: Path) -> None:
    """tjek runs the build's own checks without building: a link to a page that does not exist, in a
    story and in docs/, is named by tjek (also from its cache) and by the build, at the line in the file."""
    story = site / "stories" / "faaborg-midtfyn-civilsamfundspolitik.md"
    text = story.read_text(encoding="utf-8").rstrip("\n") + "\n\nLæs også [den anden historie](../findes-ikke.md).\n"
    story.write_text(text, encoding="utf-8")
    story_line = len(text.splitlines())
    page = site / "docs" / "om.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page_line = len(lines) // 2 + 1
    lines.insert(page_line - 1, "Se [siden om noget](noget-andet.md).")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = [
        f"docs/om.md:{page_line}: tekst: linket 'noget-andet.md' peger på en side, der ikke findes",
        f"stories/faaborg-midtfyn-civilsamfundspolitik.md:{story_line}: tekst: linket '../findes-ikke.md' "
        "peger på en side, der ikke findes",
    ]
    for attempt in ("fresh", "from the cache"):
        result = run(site, "tjek")
        assert result.exit_code == 1, attempt
        found = [line for line in result.output.splitlines() if "peger på en side" in line]
        assert [line.split(" — ")[0] for line in found] == expected, attempt
        assert "2 problemer" in result.output, attempt
    built = run_build(site, tmp_path / "out")
    assert built.returncode != 0
    for line in expected:
        assert line in built.stdout + built.stderr
