#!/usr/bin/env python
"""Benchmark the videnbank at N stories against plain MkDocs + Material on the same Markdown.

    python bench/run.py --stories 1000,5000

For each N it generates a bank from the shipped stories (seeded, so every run builds the same
bank), builds it with our site and with plain MkDocs + Material side by side, and measures the
checker, a one-story preview and, with Chromium, what a reader transfers. See BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import itertools
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from videnbank.load import load_bank  # noqa: E402

SEED = 20240601
SKIP = {".git", ".ci", ".cache", "tests", "bench", "site", ".venv", "stories", "dev", "README.md", "BENCHMARKS.md"}
NAV_LISTS = ("historier", "principper", "metoder")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SEARCH_QUERY = "frivillige"
KB = 1024


# --- the generated bank ---------------------------------------------------------------------

@dataclass(frozen=True)
class Shipped:
    slug: str
    meta: dict[str, Any]
    body: str


def _split(text: str) -> tuple[dict[str, Any], str]:
    _, front, body = re.split(r"^---[ \t]*$", text, maxsplit=2, flags=re.MULTILINE)
    return yaml.safe_load(front), body.lstrip("\r\n")


def shipped_stories() -> list[Shipped]:
    out = []
    for file in sorted((REPO / "stories").glob("*.md")):
        meta, body = _split(file.read_text(encoding="utf-8"))
        if meta.get("publicering") == "udgivet":
            out.append(Shipped(file.stem, meta, body))
    return out


def _vocabulary(folder: str) -> list[str]:
    return sorted(p.stem for p in (REPO / folder).glob("*.md") if p.name.lower() != "readme.md")


def generate_story(i: int, base: Shipped, rng: random.Random, pools: dict[str, list[Any]]) -> tuple[str, str]:
    """Story number ``i`` made from ``base``: new title, principles, methods, actors, years, dates."""
    meta = dict(base.meta)
    municipality = f"Eksempelkommune {rng.randint(1, 98)}"
    added = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))
    start = rng.randint(added.year - 4, added.year)
    meta["titel"] = f"{base.meta['titel']} – {municipality}, {start}"[:150]
    meta["dato"] = added
    meta["publicering"] = "udgivet"
    how = {p["princip"]: p.get("hvordan") for p in base.meta["principper"] if isinstance(p, dict)}
    meta["principper"] = [
        {"princip": slug, **({"hvordan": how[slug]} if how.get(slug) else {})}
        for slug in rng.sample(pools["principles"], rng.randint(1, 3))
    ]
    meta["metoder"] = rng.sample(pools["methods"], rng.randint(0, 3))
    actors = [dict(a) for a in base.meta["aktører"]]
    for _ in range(rng.randint(0, 2)):
        actors.append({"navn": f"Eksempelforening {rng.randint(1, 400)}", "sektor": rng.choice(pools["sectors"])})
    meta["aktører"] = actors
    meta["målgrupper"] = rng.sample(pools["target_groups"], rng.randint(1, 3))
    meta["temaer"] = rng.sample(pools["themes"], rng.randint(1, 3))
    meta["kommune"] = municipality
    meta["sted"] = f"Eksempelby {rng.randint(1, 300)}"
    meta["status"] = rng.choice(["ide", "igang", "afsluttet"])
    meta["periode"] = {"start": str(start)} if meta["status"] != "afsluttet" else {
        "start": str(start), "slut": str(min(start + rng.randint(0, 3), added.year))}
    body = base.body.replace(
        "## Det gjorde vi\n",
        f"## Det gjorde vi\n\nArbejdet i {municipality} begyndte i {start} og blev tilføjet {added.isoformat()}.\n",
        1,
    )
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
    return f"{base.slug}-{i:05d}", text


def generate_bank(n: int, dest: Path, seed: int = SEED) -> list[tuple[str, dict[str, Any], str]]:
    """Write a copy of the site with ``n`` generated stories to ``dest``; return (slug, meta, body)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(REPO, dest, ignore=lambda d, names: [
        x for x in names if (Path(d) == REPO and x in SKIP) or x == "__pycache__" or x.endswith(".egg-info")
        or x.startswith(".")])
    (dest / "stories").mkdir()
    bases = shipped_stories()
    pools: dict[str, list[Any]] = {
        "principles": _vocabulary("principles"),
        "methods": _vocabulary("methods"),
        "sectors": ["offentlig", "erhverv", "civilsamfund", "borgere", "uddannelse-og-forskning"],
        "target_groups": sorted({t for b in bases for t in b.meta.get("målgrupper", [])}),
        "themes": sorted({t for b in bases for t in b.meta.get("temaer", [])}),
    }
    rng = random.Random(seed)
    made = []
    for i in range(n):
        slug, text = generate_story(i, bases[i % len(bases)], rng, pools)
        (dest / "stories" / f"{slug}.md").write_text(text, encoding="utf-8")
        meta, body = _split(text)
        made.append((slug, meta, body))
    return made


def _env_default_loader() -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    def env(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Any:
        return loader.construct_sequence(node)[-1]

    Loader.add_constructor("!ENV", env)
    return Loader


def plain_site(ours: Path, dest: Path, stories: list[tuple[str, dict[str, Any], str]]) -> None:
    """The same Markdown as plain pages for stock MkDocs + Material: same theme, stories out of the nav."""
    if dest.exists():
        shutil.rmtree(dest)
    config = yaml.load((ours / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_env_default_loader())
    theme = {k: v for k, v in config["theme"].items() if k != "custom_dir"}
    plain = {
        "site_name": config["site_name"],
        "site_url": config["site_url"],
        "theme": theme,
        # Stock Material: its own search plugin, as a plain Material site ships it.
        "plugins": [{"search": {"lang": "da"}}],
        "markdown_extensions": config["markdown_extensions"],
        "nav": config["nav"],
        "not_in_nav": "\n".join(f"/{name}/*" for name in NAV_LISTS),
        "validation": config.get("validation", {}),
    }
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for page in (ours / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if text.startswith("---"):
            meta, body = _split(text)
            meta.pop("template", None)
            text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body
        target = docs / page.relative_to(ours / "docs")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for item in config["nav"]:
        src = next(iter(item.values()))
        if not (docs / src).exists():
            (docs / src).parent.mkdir(parents=True, exist_ok=True)
            (docs / src).write_text(f"# {next(iter(item))}\n", encoding="utf-8")
    for folder, url in (("principles", "principper"), ("methods", "metoder")):
        for file in (ours / folder).glob("*.md"):
            meta, body = _split(file.read_text(encoding="utf-8"))
            (docs / url / file.name).write_text(f"# {meta['navn']}\n\n{meta['kort']}\n\n{body}", encoding="utf-8")
    for slug, meta, body in stories:
        (docs / "historier").mkdir(exist_ok=True)
        (docs / "historier" / f"{slug}.md").write_text(
            f"# {meta['titel']}\n\n{meta['sammendrag']}\n\n{body}", encoding="utf-8")


# --- running builds -------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system time of the child and the children it waited for (Pagefind)
    max_rss_mb: float  # the largest single process (wait4's ru_maxrss)
    ok: bool
    log: str = ""
    tree_rss_mb: float = 0.0  # the largest sum over the child and its children at one time (Pagefind)
    tree_pss_mb: float = 0.0  # the same in proportional memory: a page shared by processes counted once


# A strict (publishing) build must know the site's address, its accessibility statement, who
# stands behind it and its repository (settings.config_problem).
BUILD_ENV = {
    "VIDENBANK_SITE_URL": "https://videnbank.example.dk/",
    "VIDENBANK_TILGAENGELIGHEDSERKLAERING": "https://www.was.digst.dk/app/x",
    "VIDENBANK_UDGIVER": "Sekretariatet for Benchmarkrådet",
    "VIDENBANK_SEKRETARIAT_EMAIL": "sekretariat@videnbank.example.dk",
    "VIDENBANK_REPO_URL": "https://github.com/samskabelse/videnbank",
    "NO_MKDOCS_2_WARNING": "1",
}


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIDENBANK_")}
    env.update({**BUILD_ENV, **(extra or {})})
    return env


def _tree_rss_kb(pid: int) -> tuple[int, int]:
    """Memory of ``pid`` and all its descendants now, in KiB (Linux /proc): resident (RSS, which
    counts a page shared by a forked child and its parent in each) and proportional (PSS, which
    splits a shared page between the processes sharing it, so the sum is what the tree occupies)."""
    rss, pss, todo = 0, 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return rss, pss


def _sample_tree(pid: int, peak: list[int], done: threading.Event) -> None:
    while not done.wait(0.1):
        rss, pss = _tree_rss_kb(pid)
        peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)


def run_child(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None) -> Run:
    """Run ``cmd``; wall time, the peak memory of its largest process (wait4's rusage.ru_maxrss,
    in KiB on Linux) and the peak of the whole process tree at one time (sampled every 0.1 s)."""
    log = log or Path(tempfile.mktemp(suffix=".log"))
    peak, done = [0, 0], threading.Event()
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=_env(env), stdout=out, stderr=subprocess.STDOUT)
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak, done), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / KB, proc.returncode == 0, text,
               max(peak[0], usage.ru_maxrss) / KB, peak[1] / KB)


def build(
    root: Path, out: Path, env: dict[str, str] | None = None, profile: Path | None = None, strict: bool = True
) -> Run:
    mkdocs = ["-m", "mkdocs", "build", *(["--strict"] if strict else []),
              "-f", str(root / "mkdocs.yml"), "-d", str(out)]
    if profile is None:
        cmd = [sys.executable, *mkdocs]
    else:
        cmd = [sys.executable, "-m", "pyinstrument", "--renderer", "text", "--show-all", "-o", str(profile), *mkdocs]
    run = run_child(cmd, root, env)
    if not run.ok:
        raise SystemExit(f"build of {root} failed:\n{run.log[-4000:]}")
    return run


def best_of(repeat: int, make: Any) -> Run:
    runs = [make() for _ in range(repeat)]
    return min(runs, key=lambda r: r.seconds)


# --- checker and preview --------------------------------------------------------------------

def checker_seconds(root: Path) -> tuple[float, float]:
    """load_bank over the whole bank in this process: (wall, CPU) seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    bank = load_bank(root)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert not bank.problems, bank.problems[:3]
    return seconds, cpu


def _cli() -> list[str] | None:
    exe = Path(sys.executable).with_name("videnbank")
    return [str(exe)] if exe.exists() else None


CHECK_CACHE = (".cache", "videnbank")


def cli_check(root: Path) -> tuple[Run, Run] | None:
    """``videnbank tjek`` over the whole bank, if the CLI exists: cold (no cache of checked
    files), then warm (the cache the first run wrote, nothing changed)."""
    cli = _cli()
    if cli is None:
        return None
    shutil.rmtree(root.joinpath(*CHECK_CACHE), ignore_errors=True)
    cold = run_child([*cli, "tjek"], root)
    warm = run_child([*cli, "tjek"], root)
    if not (cold.ok and warm.ok):
        raise SystemExit(f"videnbank tjek failed:\n{(cold.log + warm.log)[-4000:]}")
    return cold, warm


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def preview(root: Path, slug: str, scratch: Path) -> tuple[str, float] | None:
    """One-story preview: the `videnbank vis` server's first good answer, else a VIDENBANK_KUN build."""
    cli = _cli()
    if cli is not None and _cli_has(cli, "vis"):
        port = _free_port()
        url = f"http://127.0.0.1:{port}/historier/{slug}/"
        log = (scratch / "vis.log").open("w")
        start = time.perf_counter()
        proc = subprocess.Popen([*cli, "vis", f"stories/{slug}.md", "--port", str(port)],
                                cwd=root, env=_env(), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            while time.perf_counter() - start < 120:
                if proc.poll() is not None:
                    break
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        if response.status == 200:
                            return "videnbank vis: første svar fra serveren", time.perf_counter() - start
                except OSError:
                    time.sleep(0.05)
            return None
        finally:
            proc.terminate()
            proc.wait(10)
            log.close()
    if "VIDENBANK_KUN" in (REPO / "hooks" / "mkdocs_hooks.py").read_text(encoding="utf-8"):
        run = build(root, scratch / "kun", env={"VIDENBANK_KUN": f"stories/{slug}.md"})
        return "mkdocs build med VIDENBANK_KUN (én historie)", run.seconds
    return None


def _cli_has(cli: list[str], command: str) -> bool:
    result = subprocess.run([*cli, "--help"], capture_output=True, text=True, env=_env())
    return re.search(rf"\b{command}\b", result.stdout + result.stderr) is not None


# --- the live preview -------------------------------------------------------------------------

@dataclass
class Serve:
    command: str
    first_build_s: float  # start to the first page served
    saved_story_s: list[float]  # a story's title changed and saved: until its page shows the new title
    new_story_s: float  # a new story (the newest) saved: until the overview /historier/ lists it
    saved_story_cpu_s: list[float] = field(default_factory=list)  # the server's CPU time for each of those
    new_story_cpu_s: float = 0.0


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except OSError:
        return ""


def _until(url: str, text: str, limit: float = 600) -> float:
    """Seconds until the page at ``url`` contains ``text`` (polled every 50 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in _fetch(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"{url} viste ikke {text!r} inden for {limit} s")


def measure_serve(root: Path, slug: str, scratch: Path, saves: int = 3) -> Serve:
    """``./dev serve``'s command on the bank: the first build, then a changed story saved ``saves``
    times (each time until its page shows the new title), then a new story until the overview lists it."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty",
               "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")]
    story = root / "stories" / f"{slug}.md"
    original = story.read_text(encoding="utf-8")
    title = re.search(r"^titel: (.*)$", original, re.MULTILINE)
    assert title is not None
    log = (scratch / "serve.log").open("w")
    proc = subprocess.Popen(command, cwd=root, env=_env({"VIDENBANK_KLADDER": "1"}), stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    new = root / "stories" / "zz-ny-historie-til-maaling.md"
    try:
        first = _until(base + f"historier/{slug}/", "vb-facts")
        saved, saved_cpu = [], []
        for n in range(saves):
            marker = f"Gemt igen {n} {time.time_ns()}"
            cpu = _cpu(proc.pid)
            story.write_text(original.replace(title.group(0), f"titel: {marker}", 1), encoding="utf-8")
            saved.append(_until(base + f"historier/{slug}/", marker))
            saved_cpu.append(_cpu(proc.pid) - cpu)
        marker = f"Helt ny historie {time.time_ns()}"
        text = re.sub(r"^dato: .*$", f"dato: {dt.date.today().isoformat()}", original, count=1, flags=re.MULTILINE)
        cpu = _cpu(proc.pid)
        new.write_text(text.replace(title.group(0), f"titel: {marker}", 1), encoding="utf-8")
        added = _until(base + "historier/", marker)
        return Serve("mkdocs serve --dirty", first, saved, added, saved_cpu, _cpu(proc.pid) - cpu)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(30)
        log.close()
        story.write_text(original, encoding="utf-8")
        new.unlink(missing_ok=True)


# --- the reader, in Chromium ----------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Reader:
    first_visit_kb: float
    first_visit_requests: int
    search_first_result_s: float | None
    search_kb: float | None
    search_requests: int | None
    search_results: int | None


def _settle(page: Any, finished: list[Any], quiet_ms: int = 1000) -> None:
    """Wait until no request has finished for ``quiet_ms``."""
    seen = -1
    while seen != len(finished):
        seen = len(finished)
        page.wait_for_timeout(quiet_ms)


def _kb(requests: list[Any]) -> float:
    """Bytes over the wire (headers + body as sent, before any decompression), in KiB."""
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
    return total / KB


def measure_reader(site: Path, story_slug: str, query: str = SEARCH_QUERY) -> Reader:
    """First visit to a story page in a fresh browser, then a search typed into the header box.

    Bytes are Chromium's own count per finished request (also those of Pagefind's web worker);
    the search time runs from the last key press to the first result link on screen.
    """
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        finished: list[Any] = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(f"{base}historier/{story_slug}/", wait_until="networkidle")
        _settle(page, finished)
        first, finished[:] = list(finished), []
        result_time = results = search_kb = search_requests = None
        if page.locator("input.md-search__input").count():
            page.keyboard.press("/")
            page.keyboard.type(query)
            typed = time.perf_counter()
            page.locator(".md-search-result__list a").first.wait_for(state="visible", timeout=60_000)
            result_time = time.perf_counter() - typed
            _settle(page, finished)
            results = page.locator(".md-search-result__list a").count()
            search_kb, search_requests = _kb(finished), len(finished)
        first_kb = _kb(first)
        browser.close()
    return Reader(first_kb, len(first), result_time, search_kb, search_requests, results)


# --- the run ----------------------------------------------------------------------------------

@dataclass
class Result:
    stories: int
    ours: Run
    plain: Run
    story_kb_median: float
    story_kb_max: float
    story_kb_sample: float
    overview_kb: float
    checker_s: float
    checker_cpu_s: float
    cli_check_s: float | None
    cli_check_warm_s: float | None
    list_kb_max: float
    list_kb_where: str
    preview_what: str | None
    preview_s: float | None
    reader: Reader | None
    extra: dict[str, Any] = field(default_factory=dict)


def _largest_list_page(site: Path) -> tuple[float, str]:
    """The largest principle or method page (any page of their pagination): KiB and address."""
    found = [(p.stat().st_size, p.parent.relative_to(site).as_posix() + "/")
             for folder in ("principper", "metoder") for p in (site / folder).rglob("index.html")]
    size, where = max(found) if found else (0, "–")
    return size / KB, where


def _story_sizes(site: Path) -> list[int]:
    return [p.stat().st_size for p in (site / "historier").glob("*/index.html") if p.parent.name != "side"]


def bench_one(n: int, work: Path, repeat: int, browser: bool, profile: bool, serve_too: bool = False) -> Result:
    print(f"» {n} historier: genererer banken", flush=True)
    ours_src, plain_src = work / f"ours-{n}", work / f"plain-{n}"
    stories = generate_bank(n, ours_src)
    plain_site(ours_src, plain_src, stories)
    print("» bygger med almindelig MkDocs + Material", flush=True)
    # Not strict: the hand-written pages link to files only our hooks generate (open data, feeds).
    plain = best_of(repeat, lambda: build(plain_src, work / f"plain-{n}-site", strict=False))
    print(f"  {plain.seconds:.1f} s", flush=True)
    print("» bygger med videnbanken", flush=True)
    ours = best_of(repeat, lambda: build(ours_src, work / f"ours-{n}-site"))
    print(f"  {ours.seconds:.1f} s", flush=True)
    extra: dict[str, Any] = {}
    if found := re.search(r"Pagefind brugte ([\d.]+) s CPU og højst (\d+) MB", ours.log):
        extra["Pagefind (i vores byg)"] = f"{found.group(1)} s CPU, højst {found.group(2)} MB"
    if profile:
        print("» profilerer begge byg med pyinstrument", flush=True)
        for name, src in (("ours", ours_src), ("plain", plain_src)):
            report = work / f"profile-{name}-{n}.txt"
            build(src, work / f"profile-{name}-{n}-site", profile=report, strict=name == "ours")
            extra[f"profile_{name}"] = str(report)
    site = work / f"ours-{n}-site"
    sizes = _story_sizes(site)
    sample = stories[0][0]
    print("» tjekker og forhåndsviser", flush=True)
    checker, checker_cpu = min(checker_seconds(ours_src) for _ in range(repeat))
    cli = cli_check(ours_src)
    shown = preview(ours_src, sample, work)
    reader = None
    if browser:
        print("» måler læserens side i Chromium", flush=True)
        reader = measure_reader(site, sample)
    if serve_too:
        print("» måler forhåndsvisningen (mkdocs serve --dirty)", flush=True)
        extra["serve"] = asdict(measure_serve(ours_src, sample, work))
    return Result(
        n, ours, plain,
        statistics.median(sizes) / KB, max(sizes) / KB,
        (site / "historier" / sample / "index.html").stat().st_size / KB,
        (site / "historier" / "index.html").stat().st_size / KB,
        checker, checker_cpu, cli[0].seconds if cli else None, cli[1].seconds if cli else None,
        *_largest_list_page(site),
        shown[0] if shown else None, shown[1] if shown else None,
        reader, extra,
    )


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / KB**3
    return f"{os.cpu_count()} kerner, {cpu}, {mem:.0f} GB RAM, Python {platform.python_version()}, {platform.system()}"


def _f(value: float | None, fmt: str = "{:.2f}") -> str:
    return "–" if value is None else fmt.format(value)


def report(results: list[Result]) -> str:
    lines = [
        f"Maskine: {machine()}",
        "",
        "| historier | byg vores / alm. (s, ur) | forhold (ur) | byg vores / alm. (s, CPU) | forhold (CPU) "
        "| maks. hukommelse vores / alm. (MB, byg + Pagefind samtidig, RSS) | det samme i PSS (MB) "
        "| historieside (KB, median / maks) | /historier/ (KB) "
        "| største princip- eller metodeside (KB) "
        "| tjek: load_bank (s, ur / CPU) | `videnbank tjek` kold / varm (s) | forhåndsvisning (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.stories} | {r.ours.seconds:.1f} / {r.plain.seconds:.1f} | {r.ours.seconds / r.plain.seconds:.2f} "
            f"| {r.ours.cpu_seconds:.1f} / {r.plain.cpu_seconds:.1f} | {r.ours.cpu_seconds / r.plain.cpu_seconds:.2f} "
            f"| {r.ours.tree_rss_mb:.0f} / {r.plain.tree_rss_mb:.0f} "
            f"| {r.ours.tree_pss_mb:.0f} / {r.plain.tree_pss_mb:.0f} "
            f"| {r.story_kb_median:.1f} / {r.story_kb_max:.1f} | {r.overview_kb:.0f} "
            f"| {r.list_kb_max:.1f} (`{r.list_kb_where}`) "
            f"| {r.checker_s:.2f} / {r.checker_cpu_s:.2f} | {_f(r.cli_check_s)} / {_f(r.cli_check_warm_s)} "
            f"| {_f(r.preview_s)} |"
        )
    readers = [r for r in results if r.reader]
    if readers:
        lines += [
            "",
            "| historier | første besøg på en historieside (KB / forespørgsler) "
            f"| søgning «{SEARCH_QUERY}»: første resultat efter sidste tast (s) | søgning (KB / forespørgsler) "
            "| resultater vist |",
            "|---:|---:|---:|---:|---:|",
        ]
        for r in readers:
            x = r.reader
            assert x is not None
            lines.append(
                f"| {r.stories} | {x.first_visit_kb:.0f} / {x.first_visit_requests} "
                f"| {_f(x.search_first_result_s)} | {_f(x.search_kb, '{:.0f}')} / {x.search_requests or '–'} "
                f"| {x.search_results or '–'} |"
            )
    by_n = {r.stories: r for r in results}
    sizes = sorted(by_n)
    if len(sizes) >= 2:
        lines.append("")
    for small, large in itertools.pairwise(sizes):
        a, b = by_n[large], by_n[small]
        lines.append(f"Vores byg {large}/{small}: {a.ours.seconds / b.ours.seconds:.2f} (ur), "
                     f"{a.ours.cpu_seconds / b.ours.cpu_seconds:.2f} (CPU); almindelig MkDocs + Material: "
                     f"{a.plain.seconds / b.plain.seconds:.2f} (ur), {a.plain.cpu_seconds / b.plain.cpu_seconds:.2f}"
                     f" (CPU); lineært = {large / small:.1f}.")
    for r in results:
        if r.preview_what:
            lines.append(f"Forhåndsvisning ved {r.stories}: {r.preview_what}.")
        for key, value in r.extra.items():
            if key == "serve":
                lines.append(
                    f"`{value['command']}` ved {r.stories}: første byg {value['first_build_s']:.1f} s; gemt historie "
                    + ", ".join(f"{s:.1f}" for s in value["saved_story_s"]) + " s (CPU "
                    + ", ".join(f"{s:.1f}" for s in value["saved_story_cpu_s"]) + " s); ny historie i oversigten "
                    f"{value['new_story_s']:.1f} s (CPU {value['new_story_cpu_s']:.1f} s)")
            else:
                lines.append(f"{key} ved {r.stories}: {value}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", default="1000,5000", help="antal historier, kommasepareret (standard 1000,5000)")
    parser.add_argument("--repeat", type=int, default=1, help="byg hver side så mange gange og tag den hurtigste")
    parser.add_argument("--work", type=Path, help="mappe til de genererede banker (standard: en midlertidig mappe)")
    parser.add_argument("--no-browser", action="store_true", help="spring målingerne i Chromium over")
    parser.add_argument("--profile", action="store_true", help="profilér også byggene med pyinstrument")
    parser.add_argument("--json", type=Path, help="gem resultaterne som JSON her")
    parser.add_argument("--serve", default="5000", help="mål forhåndsvisningen (mkdocs serve --dirty) ved disse antal")
    args = parser.parse_args(argv)
    counts = [int(x) for x in args.stories.split(",") if x.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="videnbank-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"» arbejdsmappe: {work}", flush=True)
    serve_at = {int(x) for x in args.serve.split(",") if x.strip()}
    results = [bench_one(n, work, args.repeat, not args.no_browser, args.profile, n in serve_at) for n in counts]
    text = report(results)
    print()
    print(text)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) | {"ours": {**asdict(r.ours), "log": ""},
                                                      "plain": {**asdict(r.plain), "log": ""}}
                                         for r in results], indent=2, ensure_ascii=False), encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
