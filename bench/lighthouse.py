#!/usr/bin/env python
"""Lighthouse on a phone, on one page of every type of the shipped site.

    .venv/bin/python bench/lighthouse.py                 # build, serve, audit, print the table
    .venv/bin/python bench/lighthouse.py --shots /tmp/shots   # also screenshots at 1280 and 390 px

It builds the shipped bank strictly (with the test suite's publishing addresses), serves the site
on 127.0.0.1, runs Lighthouse 12 (mobile form factor: accessibility, and performance and best
practices for information) in Debian's Chromium on each page, and prints one row a page: the
scores, the layout shift and every failing audit. Exit status 1 when any page scores below
``--min-a11y`` (100) for accessibility. Not a test: CI does not run it (it needs Node and npm).
See BENCHMARKS.md, "Lighthouse on a phone".
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from run import serve  # bench/run.py, beside this script

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "12.2.3"  # 13 needs Node 22; Debian 12 ships Node 20
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
CATEGORIES = ("accessibility", "performance", "best-practices")
VIEWPORTS = {"1280": (1280, 900), "390": (390, 844), "320": (320, 568)}
SHOT_AT = ("1280", "390")  # at 320 px only the page's width is checked


# --- the site -------------------------------------------------------------------------------

def test_addresses() -> dict[str, str]:
    """TEST_ADDRESSES from tests/conftest.py, read without importing pytest."""
    tree = ast.parse((REPO / "tests" / "conftest.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "TEST_ADDRESSES" for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, dict)
            return {str(k): str(v) for k, v in value.items()}
    raise SystemExit("tests/conftest.py has no TEST_ADDRESSES")


def build(out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **test_addresses()}
    print(f"» mkdocs build --strict -d {out}", file=sys.stderr)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                            cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the strict build failed:\n{result.stdout}{result.stderr}")


def page_types(site: Path) -> list[tuple[str, str]]:
    """(name, URL path) of one page of every type the site has; the 404 page by its file."""

    def first(folder: str) -> str | None:
        pages = sorted(p.parent.name for p in (site / folder).glob("*/index.html") if p.parent.name != "side")
        return f"/{folder}/{pages[0]}/" if pages else None

    def filtered() -> str | None:
        """The overview with its first principle chosen: the stories the script shows, and the form open."""
        overview = site / "historier" / "index.html"
        found = re.search(r'name="princip" value="([^"]+)"', overview.read_text(encoding="utf-8")) \
            if overview.is_file() else None
        return f"/historier/?princip={found.group(1)}" if found else None

    wanted: list[tuple[str, str | None]] = [
        ("forside", "/"), ("historier", "/historier/"), ("historier-filtreret", filtered()),
        ("historie", first("historier")),
        ("principper", "/principper/"), ("princip", first("principper")),
        ("metoder", "/metoder/"), ("metode", first("metoder")),
        ("raadet", "/raadet/"), ("evaluering", "/evaluering/"), ("startguide", "/startguide/"),
        ("data", "/data/"), ("bidrag", "/bidrag/"), ("skriv", "/bidrag/skriv/"), ("om", "/om/"),
        ("404", "/404.html"),
    ]
    found = []
    for name, path in wanted:
        if path is None:
            continue
        file = site / path.partition("?")[0].lstrip("/")
        if (file / "index.html").is_file() or file.is_file():
            found.append((name, path))
        else:
            print(f"» {name}: {path} is not in this site, skipped", file=sys.stderr)
    return found


# --- Lighthouse -----------------------------------------------------------------------------

def lighthouse_bin(folder: Path) -> Path:
    """The lighthouse CLI in ``folder``, installed there with npm (pinned) when missing."""
    binary = folder / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "package.json").exists():
            (folder / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        print(f"» npm i -E lighthouse@{LIGHTHOUSE_VERSION} in {folder}", file=sys.stderr)
        subprocess.run(["npm", "i", "-E", "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
                       cwd=folder, check=True)
    return binary


@dataclass
class Result:
    name: str
    path: str
    scores: dict[str, int | None] = field(default_factory=dict)
    cls: float | None = None
    failing: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    error: str = ""


def run_lighthouse(binary: Path, url: str, report: Path, dark: bool = False) -> dict[str, Any]:
    flags = CHROME_FLAGS + (["--force-dark-mode"] if dark else [])  # prefers-color-scheme: dark
    command = [str(binary), url, "--quiet", "--output=json", f"--output-path={report}",
               "--form-factor=mobile", f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={' '.join(flags)}"]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not report.exists():
        raise RuntimeError((result.stderr or result.stdout).strip()[-500:])
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


def summarise(name: str, path: str, data: dict[str, Any]) -> Result:
    result = Result(name, path)
    if data.get("runtimeError"):
        result.error = str(data["runtimeError"].get("message", data["runtimeError"]))
    audits = data["audits"]
    for key in CATEGORIES:
        category = data["categories"].get(key)
        score = category.get("score") if category else None
        result.scores[key] = None if score is None else round(score * 100)
        if not category:
            continue
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) == 0 and key != "accessibility":
                continue
            if audit.get("scoreDisplayMode") in {"notApplicable", "manual", "informative"}:
                continue
            if audit.get("score") is not None and audit["score"] < 1:
                prefix = {"accessibility": "", "performance": "perf:", "best-practices": "bp:"}[key]
                if key == "performance" and audit["score"] >= 0.9:
                    continue  # only the metrics and opportunities that cost points
                result.failing.append(prefix + ref["id"])
                if key == "accessibility":
                    items = (audit.get("details") or {}).get("items") or []
                    for item in items[:5]:
                        node = item.get("node") or {}
                        where = node.get("selector") or node.get("snippet") or ""
                        explain = (node.get("explanation") or "").replace("\n", " ")[:200]
                        result.details.append(f"{name} {ref['id']}: {where} — {explain}")
    cls = audits.get("cumulative-layout-shift", {}).get("numericValue")
    result.cls = None if cls is None else float(cls)
    return result


def table(results: list[Result]) -> str:
    def score(value: int | None) -> str:
        return "–" if value is None else str(value)

    lines = ["| page | address | accessibility | performance | best practices | CLS | failing audits |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in results:
        failing = ", ".join(r.failing) or ("error: " + r.error if r.error else "none")
        cls = "–" if r.cls is None else f"{r.cls:.3f}"
        lines.append(f"| {r.name} | `{r.path}` | {score(r.scores.get('accessibility'))} | "
                     f"{score(r.scores.get('performance'))} | {score(r.scores.get('best-practices'))} | "
                     f"{cls} | {failing} |")
    return "\n".join(lines)


# --- screenshots ----------------------------------------------------------------------------

def screenshots(origin: str, pages: list[tuple[str, str]], folder: Path, dark: bool = False) -> list[str]:
    """Full-page PNGs at 1280 × 900 and 390 × 844 into ``folder`` (a tall page also in parts of two
    screens); returns the pages wider than the screen at those widths and at 320 px."""
    from playwright.sync_api import FloatRect, sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS[1:])
        for label, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height},
                                          device_scale_factor=1, is_mobile=width < 600, has_touch=width < 600,
                                          color_scheme="dark" if dark else "light")
            page = context.new_page()
            for name, path in pages:
                page.goto(origin + path, wait_until="load")
                page.wait_for_function("document.fonts.status === 'loaded'")
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    problems.append(f"{name} at {width} px: the page is {scroll_width} px wide")
                if label not in SHOT_AT:
                    continue
                page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True, animations="disabled")
                # A tall page also in parts of two screens, readable in an image viewer.
                total = page.evaluate("document.documentElement.scrollHeight")
                if total > 3 * height:
                    for part, top in enumerate(range(0, total, 2 * height), start=1):
                        clip: FloatRect = {"x": 0, "y": top, "width": width, "height": min(2 * height, total - top)}
                        page.screenshot(path=str(folder / f"{name}-{label}-{part}.png"), full_page=True, clip=clip,
                                        animations="disabled")
            context.close()
        browser.close()
    return problems


# --- main -----------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="audit this built site instead of building one")
    parser.add_argument("--lighthouse-dir", type=Path, default=REPO / ".cache" / "lighthouse",
                        help="where lighthouse is (or gets) installed with npm (default: .cache/lighthouse)")
    parser.add_argument("--pages", help="only these page types, comma-separated (e.g. historier,404)")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports in this folder")
    parser.add_argument("--shots", type=Path, help="also take screenshots at 1280 and 390 px into this folder "
                        "(and check every page's width at 1280, 390 and 320 px)")
    parser.add_argument("--dark", action="store_true", help="the reader prefers a dark colour scheme "
                        "(the theme follows it)")
    parser.add_argument("--no-lighthouse", action="store_true", help="only the screenshots")
    parser.add_argument("--min-a11y", type=int, default=100, help="exit 1 when a page scores below this")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="videnbank-lighthouse-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        pages = page_types(site)
        if args.pages:
            chosen = set(args.pages.split(","))
            pages = [p for p in pages if p[0] in chosen]
        reports = args.reports or Path(tmp) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        results: list[Result] = []
        wide: list[str] = []
        with serve(site) as base:  # the site on 127.0.0.1, as bench/run.py serves it
            origin = base.rstrip("/")
            if not args.no_lighthouse:
                binary = lighthouse_bin(args.lighthouse_dir.resolve())
                for name, path in pages:
                    print(f"» lighthouse {path}", file=sys.stderr)
                    try:
                        data = run_lighthouse(binary, origin + path, reports / f"{name}.json", args.dark)
                        results.append(summarise(name, path, data))
                    except (RuntimeError, subprocess.TimeoutExpired) as error:
                        results.append(Result(name, path, error=str(error)))
            if args.shots:
                wide = screenshots(origin, pages, args.shots, args.dark)

    if results:
        print(table(results))
        details = [d for r in results for d in r.details]
        if details:
            print("\nFailing accessibility audits, first elements:")
            print("\n".join("  " + d for d in details))
    if args.shots:
        print(f"\nScreenshots in {args.shots}: " + ("; ".join(wide) if wide else "no page is wider than the screen"))
    below = [r for r in results if r.error or (r.scores.get("accessibility") or 0) < args.min_a11y]
    return 1 if below or wide else 0


if __name__ == "__main__":
    sys.exit(main())
