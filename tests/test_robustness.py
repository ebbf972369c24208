"""Robustness: whatever a contributor writes, the checker answers with problems or a valid story, never a
traceback (hypothesis); the golden bad inputs are many; two builds of the same content are the same bytes."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO, build_ok, mini_bank, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from videnbank.load import load_bank
from videnbank.problems import Problem

ALIASES = ["titel", "sammendrag", "dato", "publicering", "principper", "aktører", "metoder", "målgrupper",
           "temaer", "kommune", "sted", "periode", "status", "resultater", "kontakt", "links", "billeder",
           "rådets_rolle", "samtykke", "princip", "hvordan", "navn", "sektor", "start", "slut", "tekst",
           "evalueret", "organisation", "email", "telefon", "web", "url", "fil", "alt", "kredit"]
VALID: dict[str, Any] = {
    "titel": "Et eksempel", "sammendrag": "Kort.", "dato": dt.date(2024, 1, 2), "publicering": "udgivet",
    "principper": ["alfa"], "aktører": [{"navn": "Foreningen", "sektor": "civilsamfund"}], "status": "igang",
    "kontakt": {"organisation": "Foreningen"},
}
BODY = "## Udfordringen\n\nTekst.\n\n## Det gjorde vi\n\nTekst.\n"

text = st.text(st.characters(codec="utf-8"), max_size=40)
markdownish = st.lists(
    st.sampled_from([
        *"<>&[](){}`#*-:/!=\"' \n\tabcæøå019@+.~",
        "\n## ", "## Udfordringen\n", "## Det gjorde vi\n", "javascript:", "<script>", "```\n", "{: ",
        "010203-1234", "23 45 67 89", "a@b.dk", "](", "]: ", "&#x61;",
    ]),
    max_size=60,
).map("".join)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text, st.dates(),
    st.sampled_from(["ja", "nej", "udgivet", "kladde", "alfa", "beta", "civilsamfund", "igang", "2019", "2019-13",
                     "https://example.org/", "javascript:alert(1)", "../../../etc/passwd", "a\x00b.png"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(ALIASES), text),
                                                                           inner, max_size=4)),
    max_leaves=12,
)
front_matters = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(ALIASES), text), values, max_size=8),
    # Near-valid stories reach deeper: the valid story with some fields replaced or added.
    st.dictionaries(st.sampled_from(ALIASES), values, max_size=4).map(lambda changes: {**VALID, **changes}),
)


def _check(root: Path, content: str | bytes) -> None:
    file = root / "stories" / "x.md"
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        file.write_text(content, encoding="utf-8", errors="surrogatepass")
    bank = load_bank(root)
    mine = [p for p in bank.problems if p.path == "stories/x.md"]
    assert [p for p in bank.problems if p not in mine] == []
    for p in mine:
        assert isinstance(p, Problem) and isinstance(p.line, int) and p.line >= 1
        assert p.field and p.what and p.fix and str(p).startswith(f"stories/x.md:{p.line}: ")
        assert "Traceback" not in str(p)
    assert bool(mine) != bool(bank.stories), "either problems or a published story"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=front_matters, body=st.one_of(st.just(BODY), markdownish, text))
def test_any_front_matter_and_body_gives_problems_or_a_story(front: dict[Any, Any], body: str) -> None:
    try:
        dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return
    with mini_bank() as root:
        _check(root, f"---\n{dumped}---\n{body}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=st.one_of(text, markdownish, st.binary(max_size=200),
                         st.tuples(markdownish, markdownish).map(lambda t: f"---\n{t[0]}\n---\n{t[1]}")))
def test_any_file_content_gives_problems_or_a_story(content: str | bytes) -> None:
    with mini_bank() as root:
        _check(root, content)


def test_golden_bad_inputs_are_at_least_40() -> None:
    golden = Path(__file__).parent
    stories = yaml.safe_load((golden / "golden" / "bad_stories.yml").read_text(encoding="utf-8"))["cases"]
    vectors = yaml.safe_load((golden / "xss" / "vectors.yml").read_text(encoding="utf-8"))["vectors"]
    assert all(c["problems"] for c in stories) and all(v["problems"] for v in vectors)
    assert len(stories) >= 40
    assert len(stories) + len(vectors) >= 80


def _digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path: Path) -> None:
    """Everything depends on the content only (the sitemap too: the finish writes it from the plan,
    without dates). The two builds run in two processes, so hash order differs too."""
    for attempt in range(2):
        day = dt.datetime.now(dt.UTC).date()
        first = _digests(build_ok(REPO, tmp_path / f"a{attempt}"))
        second = _digests(build_ok(REPO, tmp_path / f"b{attempt}"))
        if dt.datetime.now(dt.UTC).date() == day:
            break  # both builds ran on the same UTC day
    assert len(first) > 50
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_the_sitemap_carries_no_build_date(tmp_path: Path) -> None:
    """MkDocs would write the build date into sitemap.xml (<lastmod>) and sitemap.xml.gz (gzip
    header); the finish replaces both with the plan's sitemap, which has no date."""
    site = build_ok(REPO, tmp_path / "site")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>" not in sitemap and dt.datetime.now(dt.UTC).date().isoformat() not in sitemap
    assert sitemap.count("<loc>https://videnbank.example.dk/") == len(list(site.rglob("index.html")))
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


@pytest.mark.parametrize("cases_file", ["golden/bad_stories.yml", "xss/vectors.yml"])
def test_golden_files_are_valid_yaml_with_distinct_names(cases_file: str) -> None:
    data = yaml.safe_load((Path(__file__).parent / cases_file).read_text(encoding="utf-8"))
    cases = data.get("cases") or data.get("vectors")
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names))


# --- file-system oddities: each a message naming the path, never a traceback -------------------------------------

SYMLINK = "fil: er et symbolsk link; links bliver ikke læst — læg selve filen i mappen i stedet for et link"


def _story_text() -> str:
    return "---\n" + yaml.safe_dump(VALID, allow_unicode=True, sort_keys=False) + "---\n" + BODY


@pytest.mark.parametrize("folder", ["stories", "principles", "methods"])
def test_symbolic_links_are_refused_inside_out_of_and_dangling(folder: str, tmp_path: Path) -> None:
    """Decision: a content file may not be a symbolic link at all. A pull request shows a link as one line
    with a path, not the text that would be published, and a link into the repository would publish the
    same text twice; a link out of it could publish any file on the build machine."""
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    target = tmp_path / folder
    target.mkdir(exist_ok=True)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text(_story_text(), encoding="utf-8")
    (tmp_path / "stories").mkdir(exist_ok=True)
    (tmp_path / "stories" / "rigtig.md").write_text(_story_text(), encoding="utf-8")
    (target / "inde.md").symlink_to(tmp_path / "stories" / "rigtig.md")
    (target / "ude.md").symlink_to(outside)
    (target / "doed.md").symlink_to(tmp_path / "findes-ikke.md")
    (target / "mappe").symlink_to(tmp_path.parent, target_is_directory=True)
    bank = load_bank(tmp_path)
    mine = sorted(str(p) for p in bank.problems if p.path.startswith(f"{folder}/"))
    assert mine == [f"{folder}/{name}:1: {SYMLINK}" for name in ("doed.md", "inde.md", "mappe", "ude.md")]
    assert "ude" not in {s.slug for s in bank.stories}


def test_a_symlinked_story_named_on_the_command_line_is_refused(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "doed.md").symlink_to(tmp_path / "findes-ikke.md")
    bank = load_bank(tmp_path, only=[tmp_path / "stories" / "doed.md"])
    assert [str(p) for p in bank.problems] == [f"stories/doed.md:1: {SYMLINK}"]


def test_readme_and_hidden_files_are_ignored(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    write_tree(tmp_path, {"stories/README.md": "# Om mappen\n", "stories/.#x.md": "låsefil fra en editor\n",
                          "principles/README.md": "# Om principperne\n", "methods/readme.md": "x\n"})
    assert load_bank(tmp_path).problems == []


def test_unreadable_file_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests run as root here, where chmod 000 still reads: the refusal is simulated."""
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    write_tree(tmp_path, {"stories/x.md": _story_text()})
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "x.md":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert [str(p) for p in load_bank(tmp_path).problems] == [
        "stories/x.md:1: fil: filen kan ikke læses (adgang nægtet) — "
        "giv læseadgang til filen, fx med 'chmod a+r', eller gem den igen"
    ]


def test_non_utf8_bytes_are_a_message_with_the_line(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    (tmp_path / "principles" / "gamma.md").write_bytes(
        b"---\nnummer: 3\nnavn: Gamma\n" + b"kort: K\xf8benhavn\n---\nTekst.\n"
    )
    assert [str(p) for p in load_bank(tmp_path).problems] == [
        "principles/gamma.md:4: fil: filen er ikke gemt som UTF-8 (byte 0xf8 kan ikke læses) — "
        "gem filen som UTF-8 (i de fleste editorer: Gem som, Tegnsæt UTF-8)"
    ]


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    import os

    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    (tmp_path / "stories").mkdir()
    os.mkfifo(tmp_path / "stories" / "x.md")  # reading it would wait forever
    assert [str(p) for p in load_bank(tmp_path).problems] == [
        "stories/x.md:1: fil: er ikke en almindelig fil — flyt eller omdøb den; kun tekstfiler, der ender på .md, læses"
    ]


def test_every_odd_input_in_docs_is_a_danish_message_not_a_publication(tmp_path: Path) -> None:
    """docs/ is a content folder too: a link out of the repository (a file or a folder), a long line, a
    big file and a script each get a message naming the file, in well under a second."""
    import time

    from videnbank.docs import load_docs

    docs = tmp_path / "docs"
    write_tree(tmp_path, {
        "docs/index.md": "# Forside\n\nTekst.\n",
        "docs/lang.md": "x" * 10_000 + "\n",
        "docs/stor.md": "---\ntitle: Stor\n---\n" + ("Tekst. " * 20 + "\n") * 8_000,
        "docs/script.md": "---\ntitle: S\n---\n<script>alert(1)</script>\n",
        "udenfor/hemmelig.txt": "hemmeligt\n",
    })
    (docs / "hemmelig.txt").symlink_to(tmp_path / "udenfor" / "hemmelig.txt")
    (docs / "mappe").symlink_to(tmp_path / "udenfor", target_is_directory=True)
    started = time.process_time()
    found = load_docs(docs, tmp_path)
    assert time.process_time() - started < 1.0
    problems = {(p.path, p.field): p.what for p in found.problems}
    assert problems[("docs/hemmelig.txt", "fil")].startswith("er et symbolsk link")
    assert problems[("docs/mappe", "fil")].startswith("er et symbolsk link")
    assert problems[("docs/lang.md", "fil")].startswith("linjen er 10.000 tegn lang")
    assert problems[("docs/stor.md", "fil")].startswith("filen fylder")
    assert problems[("docs/script.md", "tekst")].startswith("rå HTML er ikke tilladt")
    assert [p.src_uri for p in found.pages] == ["index.md"]
    assert not [f for f in found.files if "hemmelig" in f.src_uri or f.src_uri.startswith("mappe")]
