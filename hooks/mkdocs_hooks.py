"""The MkDocs adapter: hands the core's site plan (videnbank.site) to MkDocs page by page, and the built pages
to the search index and the security policy (videnbank.postbuild). The core loads, checks and renders all."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from videnbank import postbuild, preview, rebuild, settings, site
from videnbank.problems import report

log = logging.getLogger("mkdocs.plugins.videnbank")


class _Build:
    """What one build knows; made anew at every on_config, so nothing survives a rebuild."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.settings = settings.settings_from(config, os.environ)
        self.plan = site.Plan()
        self.finisher: postbuild.Finisher | None = None


_build: _Build | None = None
_serving = False  # set once per process by on_startup
_memo: rebuild.Memo | None = None  # mkdocs serve: results kept between rebuilds, keyed by their inputs


def on_startup(command: str, dirty: bool) -> None:
    global _serving, _memo
    _serving, _memo = command == "serve", rebuild.Memo(dirty=dirty) if command == "serve" else None


def _current() -> _Build:
    if _build is None:
        raise PluginError("videnbank: on_config has not run")
    return _build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = _Build(config)
    if problem := settings.config_problem(config, os.environ):
        raise PluginError(problem)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _current()
    plan = build.plan = site.build_plan(build.settings, _memo)
    if plan.problems:  # mkdocs serve shows them as a page; a build stops
        if not _serving:
            raise PluginError(report(plan.problems))
        log.warning(report(plan.problems))
        plan = build.plan = site.problem_plan(plan, build.settings)
    config.nav = site.prune_nav(config.nav, plan)
    rebuild.settle(_memo)
    try:  # Pagefind starts now and indexes each page as it is written
        build.finisher = postbuild.Finisher(build.settings, plan, policy=not _serving, memo=_memo)
    except postbuild.BuildError as e:
        raise PluginError(str(e)) from None
    for line in site.summary(plan, build.settings):
        log.info("videnbank: %s", line)
    for src, read in rebuild.sources(_memo, plan.pages.values(), config):  # meta: on_page_markdown
        if (existing := files.get_file_from_path(src)) is not None:
            files.remove(existing)
        files.append(File.generated(config, src, **read))
    for asset in plan.assets:
        if files.get_file_from_path(asset.src_uri) is None:  # a file in docs/ MkDocs copies itself
            source = {"abs_src_path": str(asset.source)} if asset.source else {"content": asset.content or ""}
            files.append(File.generated(config, asset.src_uri, **source))
    return files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    if _memo is not None:  # mkdocs serve: templates compiled once, not at every rebuild
        env.bytecode_cache = _memo.templates
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The core's page: front matter and view as page.meta(.vb); its headings make page.toc."""
    page.meta = (planned := _current().plan.pages[page.file.src_uri]).meta
    return planned.markdown


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    build = _current()  # the page is written: let its view go (memory for Pagefind's index build)
    build.plan.pages.pop(page.file.src_uri, None)
    page.meta.pop("vb", None)
    rebuild.written(_memo, page.file.src_uri)
    return build.finisher.page("/" + page.url, output) if build.finisher else output


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    finisher = _current().finisher  # 404.html: a policy, no search
    return finisher.page("", output) if finisher and template_name.endswith(".html") else output


def on_post_build(config: MkDocsConfig) -> None:
    build = _current()
    build.plan = site.Plan()
    if (finisher := build.finisher) is not None:
        build.finisher = None
        try:
            for line in finisher.finish(Path(config.site_dir)):
                log.info("videnbank: %s", line)
        except postbuild.BuildError as e:
            raise PluginError(str(e)) from None


def on_build_error(error: Exception) -> None:
    if _build is not None and (finisher := _build.finisher) is not None:
        _build.finisher = None
        finisher.close()


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    for path in preview.watched(_current().settings.root):
        server.watch(str(path))
    return preview.guard(server, *config.dev_addr, _current().settings.root)  # own host names; the policy
