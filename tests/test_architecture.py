"""The shape issue 10 asks for, checked on the source: one module owns the addresses, templates
lay out data, and the MkDocs hook is a thin shell."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO

ADDRESS = re.compile(r"\b(historier|principper|metoder)/")
HOOK = REPO / "hooks" / "mkdocs_hooks.py"


def _sources() -> list[Path]:
    python = [p for p in (REPO / "hooks").rglob("*.py") if p.name != "urls.py"]
    return python + sorted((REPO / "overrides").rglob("*.html")) + sorted((REPO / "overrides").rglob("*.js"))


def test_only_the_address_module_spells_the_address_scheme() -> None:
    found = [f"{p.relative_to(REPO)}:{n}: {line.strip()}"
             for p in _sources() for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if ADDRESS.search(line)]
    assert found == []


def test_templates_call_nothing_in_the_core() -> None:
    calls = re.compile(r"\b(videnbank|aabne_data|council|evaluation|catalogue)\.|\b\w+\.\w+\(")
    allowed = {"lang.t(", "super("}
    found = []
    for p in sorted((REPO / "overrides").rglob("*.html")):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            hits = [m.group(0) for m in calls.finditer(line) if m.group(0) not in allowed]
            found += [f"{p.relative_to(REPO)}:{n}: {h}" for h in hits]
    assert found == []


def test_the_hook_is_a_thin_shell() -> None:
    text = HOOK.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 130
    assert "page.meta.get(" not in text and "videnbank_" not in text  # no marker keys looked up again
    # Nothing handed to templates behind the pages' backs (on_env only lends the preview its compiled templates).
    assert "env.globals" not in text and "env.filters" not in text


def _imports_of(package: Path) -> dict[str, set[str]]:
    """Each module of ``package`` and the sibling modules it imports, anywhere in the file
    (module level, inside functions, under TYPE_CHECKING)."""
    names = {p.stem for p in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in sorted(package.glob("*.py")):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("videnbank"):
                module = (node.module or "").split(".")
                found |= {module[1]} if len(module) > 1 else {a.name for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("videnbank.")}
        graph[path.stem] = (found & names) - {path.stem}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle in ``graph`` (as the path around it), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                return [*path[path.index(imported):], imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_the_core_has_no_import_cycles() -> None:
    graph = _imports_of(REPO / "hooks" / "videnbank")
    assert {"cli", "site", "render", "settings"} <= set(graph)
    assert _cycle(graph) == [], " -> ".join(_cycle(graph))


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from .b import x\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from . import c\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("import json\n", encoding="utf-8")
    assert _cycle(_imports_of(tmp_path)) == []
    (tmp_path / "c.py").write_text("import videnbank.a\n", encoding="utf-8")
    assert _cycle(_imports_of(tmp_path)) == ["a", "b", "c", "a"]


def test_one_markdown_configuration() -> None:
    """Only render.py sets up Python-Markdown: pages, the checker's rendered pass and the open
    data's summaries all go through render.Renderer (others may only define extensions for it)."""
    setup = re.compile(r"\bmarkdown\.(Markdown|markdown)\(|^\s*from markdown import .*\bMarkdown\b",
                       re.MULTILINE)
    found = sorted(p.name for p in (REPO / "hooks").rglob("*.py") if setup.search(p.read_text(encoding="utf-8")))
    assert found == ["render.py"]


def test_one_list_of_pages() -> None:
    """The preview of problems shows its list at every first page the real site has (drafts shown,
    as in the preview), and the menu keeps exactly the pages the plan makes: one list of pages."""
    from videnbank import config, settings, site
    from videnbank.problems import Problem

    configured = config.read_config(REPO / "mkdocs.yml")
    preview = settings.settings_from(configured, {settings.PREVIEW_ENV: "1"})
    plan = site.build_plan(preview)
    assert plan.problems == []
    first_pages = {src for src in plan.pages if "/side/" not in src}
    shown = site.problem_plan(site.Plan(problems=[Problem("x.md", 1, "tekst", "noget", "ret det")]), preview)
    assert set(shown.pages) == first_pages
    menu = configured["nav"]
    assert site.prune_nav(menu, plan) == menu  # every page the menu names is made
    without_council = site.Plan(pages={k: v for k, v in plan.pages.items() if not k.startswith("raadet/")})
    assert len(site.prune_nav(menu, without_council)) == len(menu) - 1


def test_the_readme_names_every_module_of_the_core() -> None:
    row = next(line for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `hooks/videnbank/`"))
    modules = {p.stem for p in (REPO / "hooks" / "videnbank").glob("*.py")} - {"__init__"}
    assert sorted(m for m in modules if f"`{m}`" not in row) == []
