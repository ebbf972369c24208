"""The thin MkDocs adapter: turn the loaded bank into generated pages.

Everything about stories and principles lives in the ``videnbank`` package, which knows
nothing of MkDocs. This module only maps MkDocs events onto it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from videnbank import derive, export, facets, gitdates, schema, searchindex, site
from videnbank.council import COUNCIL_FILE, Council, composition_notices, load_council
from videnbank.derive import Catalogue
from videnbank.evaluation import Evaluation, evaluate
from videnbank.load import load_bank
from videnbank.problems import report
from videnbank.safety import image_source, sanitize_html

log = logging.getLogger("mkdocs.plugins.videnbank")

PREVIEW_ENV = "VIDENBANK_KLADDER"
# Preview of single stories (videnbank vis): only these files (os.pathsep-separated), drafts shown.
ONLY_ENV = "VIDENBANK_KUN"
# Test only (tests/test_xss_browser.py): skip the checker's HTML and link rules, to show that the
# sanitiser and the templates alone stop a script. Never set it for a real build.
UNSAFE_TEST_ENV = "VIDENBANK_USIKKER_TEST"


@dataclass
class _Build:
    """What one build knows; replaced at every on_config, so nothing survives a rebuild."""

    root: Path
    catalogue: Catalogue | None = None
    council: Council | None = None
    council_notices: list[str] = field(default_factory=list)
    evaluation: Evaluation | None = None
    open_data: export.Overview | None = None
    last_changed: dict[str, dt.date] = field(default_factory=dict)
    search: searchindex.Indexer | None = None


_build: _Build | None = None


def _current() -> _Build:
    if _build is None:
        raise PluginError("videnbank: on_config has not run")
    return _build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = _Build(Path(config.config_file_path).resolve().parent)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _current()
    only = [build.root / p for p in os.environ.get(ONLY_ENV, "").split(os.pathsep) if p] or None
    unsafe = os.environ.get(UNSAFE_TEST_ENV) == "1"
    if unsafe:
        log.info("videnbank: %s=1: tjekket for HTML og links er slået fra (kun til test)", UNSAFE_TEST_ENV)
    bank = load_bank(build.root, only=only, check_markup=not unsafe)
    method_names = {m.slug: m.meta.name for m in bank.methods}
    council, council_problems = load_council(build.root, method_names)
    if bank.problems or council_problems:
        raise PluginError(report(bank.problems + council_problems))
    preview = only is not None or os.environ.get(PREVIEW_ENV, "").lower() in {"1", "ja", "true", "yes"}
    catalogue = Catalogue(bank, preview=preview)
    for story in catalogue.stories if only else []:
        log.info("Forhåndsvisning: %s%s/%s/", config.site_url or "/", site.STORIES_URL, story.slug)
    build.catalogue = catalogue
    if catalogue.hidden:
        names = ", ".join(s.path for s in catalogue.hidden)
        state = "vises som kladder (forhåndsvisning)" if preview else "udgives ikke endnu"
        log.info("%d historie(r) %s: %s", len(catalogue.hidden), state, names)
    for file in files:
        if file.generated_by is None and file.is_documentation_page():
            file.edit_uri = f"docs/{file.src_uri}"
    build.council = council
    build.evaluation = evaluate(catalogue.stories, catalogue.principles, method_names, council)
    if council is None:
        config.nav = site.without_page(config.nav, f"{site.COUNCIL_URL}/index.md")
    else:
        build.council_notices = composition_notices(council)
        for notice in build.council_notices:
            log.info("videnbank: rådets sammensætning: %s", notice)
    about = export.Site(config.site_name, config.site_url or "/", config.copyright)
    for item in site.plan(catalogue, council, about):
        if item.src_uri in files.src_uris:
            raise PluginError(f"docs/{item.src_uri} findes allerede; videnbanken laver den selv — slet filen")
        generated = File.generated(config, item.src_uri, content=item.content)
        generated.edit_uri = item.edit_uri
        files.append(generated)
    _add_story_images(build.root, catalogue, files, config)
    build.open_data = export.overview(catalogue, about)
    build.last_changed = gitdates.last_changed(build.root)
    log.info(
        "videnbank: %d historier, %d principper, %d metoder",
        len(catalogue.stories), len(catalogue.principles), len(catalogue.methods),
    )
    return files


def _add_story_images(root: Path, catalogue: Catalogue, files: Files, config: MkDocsConfig) -> None:
    """Copy each story's images next to its page: historier/<slug>/<file name>."""
    for story in catalogue.stories:
        for image in story.meta.images:
            source = image_source(root / story.path, image.file)
            src_uri = f"{site.STORIES_URL}/{story.slug}/{image.file.rsplit('/', 1)[-1]}"
            files.append(File.generated(config, src_uri, abs_src_path=str(source)))


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The contributor guide's field table, generated from the story schema."""
    catalogue = _current().catalogue
    if schema.GUIDE_MARKER not in markdown or catalogue is None:
        return markdown
    vocab = schema.Vocabulary(
        {p.slug: p.meta.name for p in catalogue.principles}, {m.slug: m.meta.name for m in catalogue.methods}
    )
    return schema.render_guide(markdown, schema.story_schema(vocab))


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.autoescape = _own_templates(config)
    env.globals["videnbank"] = _current().catalogue
    env.filters["dansk_dato"] = derive.danish_date
    env.globals["aabne_data"] = _current().open_data
    env.filters["periode"] = derive.period_text
    env.filters["aktoerer_efter_sektor"] = derive.actors_by_sector
    return env


def _own_templates(config: MkDocsConfig) -> Any:
    """Autoescape for the templates in custom_dir that are ours, not overrides of Material's.

    Material's templates expect autoescape off (they print HTML strings); ours print content,
    which is text, so in ours every value is escaped unless marked ``| safe``.
    """
    ours: set[str] = set()
    if config.theme.custom_dir:
        custom = Path(config.theme.custom_dir).resolve()
        theirs = [Path(d) for d in config.theme.dirs if Path(d).resolve() != custom]
        names = (p.relative_to(custom).as_posix() for p in custom.rglob("*.html"))
        ours = {n for n in names if not any((d / n).is_file() for d in theirs)}
    return lambda name: name in ours


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A contributed story is untrusted: sanitise its rendered text, whatever the checker let through."""
    if page.meta.get("videnbank_story"):
        return sanitize_html(html_text)
    return html_text


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    catalogue = _current().catalogue
    if catalogue is None:
        return context
    if number := page.meta.get("videnbank_side"):
        context["listing"] = facets.listing(catalogue, number)
        context["facets"] = facets.facets(catalogue) if number == 1 else []
    if slug := page.meta.get("videnbank_story"):
        context["story"] = catalogue.story_by_slug[slug]
        context["last_changed"] = _current().last_changed.get(context["story"].path)
    if slug := page.meta.get("videnbank_principle"):
        context["principle"] = catalogue.principle_by_slug[slug]
    if slug := page.meta.get("videnbank_method"):
        context["method"] = catalogue.method_by_slug[slug]
    if page.meta.get("videnbank_council") or page.meta.get("videnbank_evaluation"):
        context["council"] = _current().council
        context["council_notices"] = _current().council_notices
        context["evaluation"] = _current().evaluation
    return context


# Left out of the search index: listings of other stories (they would match every search), buttons, permalinks.
PAGEFIND_EXCLUDE = (".vb-cards", ".vb-related", ".headerlink", ".md-content__button", ".md-source-file")


def on_pre_build(config: MkDocsConfig) -> None:
    """Start Pagefind (searchindex.py): it indexes each page as soon as it is built, on another core."""
    if os.environ.get(ONLY_ENV):
        log.info("videnbank: forhåndsvisning af enkelte historier: søgningen bygges ikke")
        return
    try:
        _current().search = searchindex.Indexer(PAGEFIND_EXCLUDE)
    except searchindex.SearchIndexError as e:
        raise PluginError(f"videnbank: søgningen kan ikke bygges: {e}") from None


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    search = _current().search
    if search is not None and "data-pagefind-body" in output:
        search.add("/" + page.url, output)
    return output


def on_post_build(config: MkDocsConfig) -> None:
    build = _current()
    if build.search is None:
        return
    search, build.search = build.search, None
    try:
        pages = search.finish(Path(config.site_dir) / "pagefind")
    except searchindex.SearchIndexError as e:
        raise PluginError(f"videnbank: søgningen kunne ikke bygges: {e}") from None
    used = ""
    if search.cpu_seconds is not None and search.peak_mb is not None:
        used = f" (Pagefind brugte {search.cpu_seconds:.1f} s CPU og højst {search.peak_mb:.0f} MB)"
    log.info("videnbank: søgeindeks (Pagefind) over %d sider%s", pages, used)


def on_build_error(error: Exception) -> None:
    if _build is not None and _build.search is not None:
        _build.search.close()
        _build.search = None


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    root = _current().root
    for folder in ("stories", "principles", "methods"):
        if (root / folder).is_dir():
            server.watch(str(root / folder))
    if (root / COUNCIL_FILE).is_file():
        server.watch(str(root / COUNCIL_FILE))
    return server
