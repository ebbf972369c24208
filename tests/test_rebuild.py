"""The live preview's caches (rebuild.py): a rebuild gives the same plan as a fresh build, and hands
the engine only the pages whose inputs changed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from conftest import copy_site
from videnbank import site
from videnbank.rebuild import Memo
from videnbank.settings import Settings, Site


def _settings(root: Path) -> Settings:
    return Settings(root=root, site=Site("Videnbank", "https://x.dk/", None), docs_dir=root / "docs",
                         preview=True)


def _config(root: Path, site_dir: Path) -> dict[str, Any]:
    return {"theme": SimpleNamespace(custom_dir=str(root / "overrides")), "site_dir": str(site_dir),
            "config_file_path": str(root / "mkdocs.yml")}


def _same(plan: site.Plan, fresh: site.Plan) -> bool:
    """The two plans have the same pages (front matter with the view) and files (open data, feeds, index)."""
    return ({k: p.meta for k, p in plan.pages.items()} == {k: p.meta for k, p in fresh.pages.items()}
            and [(a.src_uri, a.content, a.source) for a in plan.assets]
            == [(a.src_uri, a.content, a.source) for a in fresh.assets])


def _handed(memo: Memo, plan: site.Plan, config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    handed = dict(memo.sources(plan.pages.values(), config))
    for src in handed:
        memo.written(src)
    return handed


def test_a_rebuild_with_the_memo_makes_the_same_plan_and_hands_over_only_what_changed(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "src", ("mkdocs.yml", "council.yml", "docs", "stories", "principles", "methods",
                                        "overrides"))
    config = _config(root, tmp_path / "site")
    memo = Memo(dirty=True)
    first = site.build_plan(_settings(root), memo)
    assert not first.problems
    handed = _handed(memo, first, config)
    assert set(handed) == set(first.pages) and all(h == {"content": ""} for h in handed.values())

    again = site.build_plan(_settings(root), memo)
    assert memo.stories.hits == len(again.catalogue.bank.stories)  # type: ignore[union-attr]
    fresh = site.build_plan(_settings(root))
    assert _same(again, fresh)
    handed = _handed(memo, again, config)
    assert handed and all(h == {"abs_src_path": config["config_file_path"]} for h in handed.values())
    assert all(src.count("/") == 0 or src.endswith("/index.md") for src in handed), "only the navigation's pages"

    story = root / "stories" / "folkemoedet-i-silkeborg.md"
    story.write_text(story.read_text(encoding="utf-8").replace("titel: ", "titel: Gemt igen – ", 1), encoding="utf-8")
    changed = site.build_plan(_settings(root), memo)
    fresh = site.build_plan(_settings(root))
    assert _same(changed, fresh)
    # A story's view is made again only when its inputs changed: its own file, or a related story's.
    stories = [k for k in changed.pages if k.startswith("historier/") and k.count("/") == 2 and "/side/" not in k]
    made_again = {k for k in stories if changed.pages[k].view is not again.pages[k].view}
    assert "historier/folkemoedet-i-silkeborg/index.md" in made_again
    assert made_again == {"historier/folkemoedet-i-silkeborg/index.md"} | {
        k for k in stories if "Gemt igen" in str(changed.pages[k].view["related"])}
    assert len(made_again) < len(stories)
    rendered = {src for src, how in _handed(memo, changed, config).items() if "content" in how}
    assert "historier/folkemoedet-i-silkeborg/index.md" in rendered and "historier/index.md" in rendered
    assert len(rendered) < len(changed.pages) / 2, rendered


    # A change to what stories share (a target group other stories have) gives the related stories a
    # fresh build gives; a saved title alone left them as they were.
    text = story.read_text(encoding="utf-8")
    assert "målgrupper: [borgere i Silkeborg Kommune]" in text
    story.write_text(text.replace("målgrupper: [", "målgrupper: [foreninger, ", 1), encoding="utf-8")
    shared = site.build_plan(_settings(root), memo)
    fresh = site.build_plan(_settings(root))
    assert _same(shared, fresh)
    assert shared.catalogue.related_index != changed.catalogue.related_index  # type: ignore[union-attr]
