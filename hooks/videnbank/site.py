"""The site plan: every page and file of the site as plain data, made by the core alone.

``build_plan`` loads and checks every content file (stories, principles, methods, council.yml
and the hand-written pages in docs/), renders every body with the one renderer and sanitiser
(render.py), and gives each page its address, title, description, template and view (views.py).
An engine only wraps the pages in the theme: the MkDocs hook hands them over in memory
(hooks/mkdocs_hooks.py); ``engines.write_tree`` writes them to disk for ProperDocs and Zensical.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import yaml

from . import docs, export, facets, gitdates, schema, startguide, urls, views, writing
from .council import COUNCIL_FILE, composition_notices, load_council
from .derive import Catalogue
from .evaluation import evaluate
from .load import Entry, load_bank
from .problems import Problem
from .rebuild import Memo
from .render import Heading, Rendered, Renderer, address_of, line_of
from .safety import image_source
from .settings import Settings, Site
from .words import plural, them

EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')
# Left out of the search index: listings of other stories (they would match every search), the
# facts panel (its labels would be every story's snippet), buttons and permalinks.
# Tables and navigation too: a snippet is made from running text, never from a jumble of cells or links.
SEARCH_EXCLUDE = (".vb-cards", ".vb-related", ".vb-facts", ".headerlink", ".md-content__button",
                  ".md-source-file", ".vb-compact", "table", "nav")
# What a search result says it is: Pagefind's meta and filter "type" of the page; search.js shows
# it with each result and puts stories first among equal matches.
KIND_STORY, KIND_METHOD, KIND_PRINCIPLE, KIND_PAGE = "Historie", "Metode", "Princip", "Side"


@dataclass(frozen=True)
class Page:
    """One page: where it goes, what it is called, which template lays it out, and its view."""

    src_uri: str
    title: str
    template: str
    view: dict[str, Any]
    description: str = ""
    edit_path: str | None = None
    hide: tuple[str, ...] = ()
    search: bool = True
    search_kind: str = KIND_PAGE

    @property
    def markdown(self) -> str:
        """The page's table of contents as Markdown headings, the text an engine is given: it builds
        page.toc (the table of contents and the skip link) from them. What a reader sees is the
        core's body (page.meta.vb.body_html), never this text."""
        return "".join(f"{'#' * h['level']} {_markdown_text(h['title'])} {{#{h['id']}}}\n\n"
                       for h in self.view.get("toc", ()))

    @property
    def meta(self) -> dict[str, Any]:
        """The front matter an engine sees. Titles are escaped: Material and Zensical print the
        title into <title> as it is."""
        meta: dict[str, Any] = {"title": html.escape(self.title), "template": self.template}
        if self.description:
            meta["description"] = html.escape(self.description)
        if self.hide:
            meta["hide"] = list(self.hide)
        meta["vb"] = {**self.view, "search": self.search, "search_kind": self.search_kind,
                      "search_filter": _search_filter(self.search_kind)}
        return meta


def _search_filter(kind: str) -> str:
    """Pagefind's filter for the page: stories only, which search.js asks for to put them first.
    One filter value, because Pagefind writes several in a different order each build (a hash map),
    and the site is byte for byte the same from the same content."""
    return f"type:{kind}" if kind == KIND_STORY else ""


@dataclass(frozen=True)
class Asset:
    """A file that is not a page: open data, feeds, the filter index, a story's image."""

    src_uri: str
    content: str | bytes | None = None
    source: Path | None = None


@dataclass
class Plan:
    pages: dict[str, Page] = field(default_factory=dict)
    assets: list[Asset] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    catalogue: Catalogue | None = None

    def add(self, page: Page) -> None:
        self.pages[page.src_uri] = page


def build_plan(settings: Settings, memo: Memo | None = None) -> Plan:
    """Load, check, derive and render the whole bank. Problems are collected in ``plan.problems``;
    the plan's pages are only complete when there are none. ``memo``: the live preview's results
    of earlier rebuilds, keyed by their inputs (rebuild.py)."""
    plan = Plan()
    bank = load_bank(settings.root, only=settings.only, check_markup=settings.check_markup,
                     memo=memo.stories if memo else None)
    method_names = {m.slug: m.meta.name for m in bank.methods}
    council, council_problems = load_council(settings.root, method_names, check_markup=settings.check_markup)
    hand_written = docs.load_docs(settings.docs_dir, settings.root, check_markup=settings.check_markup)
    plan.problems = bank.problems + council_problems + hand_written.problems
    if plan.problems:
        return plan
    catalogue = plan.catalogue = Catalogue(bank, preview=settings.preview or settings.only is not None)
    if memo is not None:
        catalogue.related_index = memo.related(catalogue.stories)
    notices = composition_notices(council) if council else []
    plan.notices = [f"rådets sammensætning: {n}" for n in notices]
    open_data = export.files(catalogue, settings.site, memo.rows if memo else None)
    known = known_sources([s.slug for s in catalogue.stories], [p.slug for p in catalogue.principles],
                          [m.slug for m in catalogue.methods], council is not None,
                          [f.src_uri for f in hand_written.files], open_data)
    render = _Render(plan, Renderer(known), memo)
    if memo is None:  # the stories' bodies on both cores; a preview renders only what changed
        pages = [(s.body, urls.src_uri(urls.story(s.slug))) for s in catalogue.stories]
        render.ready = dict(zip(pages, render.renderer.render_all(pages), strict=True))

    _content_pages(plan, catalogue, settings, render)
    _listings(plan, catalogue)
    if council is not None:
        plan.add(Page(urls.src_uri(urls.COUNCIL), council.name, "raadet.html",
                      views.council(catalogue, council, notices), edit_path=COUNCIL_FILE))
    evaluation = evaluate(catalogue.stories, catalogue.principles, method_names, council,
                          this_year=catalogue.this_year)
    plan.add(Page(urls.src_uri(urls.EVALUATION), "Evaluering", "evaluering.html",
                  views.evaluation(evaluation, council)))
    guide_src = urls.src_uri(urls.STARTGUIDE)
    plan.add(Page(guide_src, "Startguide: principper og metoder", "startguide.html",
                  {"kind": "startguide", "title": "Startguide: principper og metoder",
                   "body_html": render(startguide.markdown(catalogue), guide_src, "startguide")}))
    vocabulary = schema.Vocabulary({p.slug: p.meta.name for p in catalogue.principles},
                                   {m.slug: m.meta.name for m in catalogue.methods})
    plan.add(Page(urls.src_uri(urls.WRITE), writing.TITLE, "skriv.html",
                  writing.view(vocabulary, secretariat_email=settings.secretariat_email,
                               repository=settings.repository),
                  writing.DESCRIPTION, search=False))
    _hand_written_pages(plan, catalogue, settings, hand_written, render)
    _on_every_page(plan, catalogue, settings, render.headings)
    plan.assets += [Asset(src, content) for src, content in open_data.items()]
    # Material's bundle fetches "sitemap.xml" beside the target of every <link rel="alternate"> (for
    # language versions); an empty one beside the feeds keeps that from being a 404 on every page view.
    for folder in sorted({src.rsplit("/", 1)[0] for src in open_data if src.endswith(".xml")}):
        plan.assets.append(Asset(f"{folder}/sitemap.xml", EMPTY_SITEMAP))
    plan.assets += [Asset(f.src_uri, source=f.path) for f in hand_written.files if not f.src_uri.endswith(".md")]
    return plan


def link_problem(path: str, line: int, target: str) -> Problem:
    """A link to a page or file of the site that does not exist (the build and ``tjek`` say the same)."""
    return Problem(path, line, "tekst", f"linket '{target}' peger på en side, der ikke findes",
                   "ret linket, så det peger på en fil i docs/ eller en side, videnbanken laver")


class _Render:
    """The one renderer, noting each link to a page that does not exist as a problem of the file,
    at the line of the file (``first_line``: where the body starts; ``body``: the text as written,
    when ``text`` has more added to it); and each page's sections for its table of contents."""

    def __init__(self, plan: Plan, renderer: Renderer, memo: Memo | None = None) -> None:
        self.plan, self.renderer, self.memo = plan, renderer, memo
        self.headings: dict[str, list[Heading]] = {}
        self.ready: dict[tuple[str, str], Rendered] = {}  # (text, page) rendered already (Renderer.render_all)

    def __call__(self, text: str, src_uri: str, path: str, first_line: int = 1, body: str | None = None) -> str:
        if (result := self.ready.pop((text, src_uri), None)) is None:
            memo, renderer = self.memo, self.renderer
            result = memo.render(renderer, text, src_uri) if memo else renderer.render(text, src_uri)
        self.headings[src_uri] = result.headings
        for target in result.broken_links:
            line = first_line + line_of(text if body is None else body, target) - 1
            self.plan.problems.append(link_problem(path, line, target))
        return result.html


def _content_pages(plan: Plan, catalogue: Catalogue, settings: Settings, render: _Render) -> None:
    """A page per story, and per principle and method (with numbered pages of their stories)."""
    last_changed = gitdates.last_changed(settings.root)
    names = _vocabulary_key(catalogue) if render.memo else ""
    for story in catalogue.stories:
        src = urls.src_uri(urls.story(story.slug))
        body, changed = render(story.body, src, story.path, story.body_line), last_changed.get(story.path)
        if render.memo is None:
            view = views.story(catalogue, story, settings.site, body, changed)
        else:
            key = (story, body, changed, settings.site, catalogue.draft_label(story), names,
                   tuple(catalogue.related(story)))
            view = render.memo.view(src, key, views.story, catalogue, story, settings.site, body, changed)
        # No edit pencil on a story: its readers are citizens, and a story changes through the
        # secretariat's review (the footer says how to reach it), not an edit on GitHub.
        plan.add(Page(src, story.meta.title, "historie.html", view, story.meta.summary, search_kind=KIND_STORY))
        for image in story.meta.images:
            plan.assets.append(Asset(urls.story_file(story.slug, image.file.rsplit("/", 1)[-1]),
                                     source=image_source(settings.root / story.path, image.file)))
    _vocabulary_pages(plan, catalogue.principles, catalogue.by_principle, urls.principle, "princip.html",
                      views.principle, catalogue, render, KIND_PRINCIPLE)
    _vocabulary_pages(plan, catalogue.methods, catalogue.by_method, urls.method, "metode.html",
                      views.method, catalogue, render, KIND_METHOD)


def _vocabulary_key(catalogue: Catalogue) -> str:
    """What a story's view shows of the principles and methods (numbers, names, statements)."""
    return json.dumps([[(p.slug, p.meta.number, p.meta.name, p.meta.statement) for p in catalogue.principles],
                       [(m.slug, m.meta.name) for m in catalogue.methods]], ensure_ascii=False)


def _vocabulary_pages(
    plan: Plan, entries: Sequence[Entry[Any]], stories: Mapping[str, Sequence[Any]], address: Callable[[str, int], str],
    template: str, make_view: Callable[[Catalogue, Any, str, int], dict[str, Any]], catalogue: Catalogue,
    render: _Render, kind: str,
) -> None:
    """A principle's or a method's page, and the numbered pages of its stories' cards."""
    for entry in entries:
        body = render(entry.body, urls.src_uri(address(entry.slug, 1)), entry.path, entry.body_line)
        for n in range(1, views.card_pages(len(stories[entry.slug])) + 1):
            title = entry.meta.name if n == 1 else f"{entry.meta.name} – side {n}"
            plan.add(Page(urls.src_uri(address(entry.slug, n)), title, template,
                          make_view(catalogue, entry, body, n), entry.meta.statement, entry.path,
                          search_kind=kind))

def doc_text(doc: docs.DocPage, repository: str | None, vocabulary: schema.Vocabulary) -> str:
    """The Markdown a page in docs/ is rendered from: its body, the repository's link definitions,
    and the field table where the guide asks for it."""
    to_write = posixpath.relpath(urls.src_uri(urls.WRITE), posixpath.dirname(doc.src_uri) or ".")
    text = doc.body + docs.repository_links(repository) + docs.write_link(to_write)
    if docs.GUIDE_MARKER in text:
        text = schema.render_guide(text, schema.story_schema(vocabulary))
    return text


def _hand_written_pages(
    plan: Plan, catalogue: Catalogue, settings: Settings, hand_written: docs.Docs, render: _Render
) -> None:
    """The pages in docs/, with the data their template lays out (the front page, open data)."""
    vocabulary = schema.Vocabulary({p.slug: p.meta.name for p in catalogue.principles},
                                   {m.slug: m.meta.name for m in catalogue.methods})
    for doc in hand_written.pages:
        body = render(doc_text(doc, settings.repository, vocabulary), doc.src_uri, doc.path, doc.body_line, doc.body)
        view: dict[str, Any] = {"kind": "page", "title": doc.title, "body_html": body}
        if doc.template == "forside.html":
            view = views.home(catalogue, body)
        elif doc.template == "data.html":
            view = {**_data_view(catalogue, settings.site), "body_html": body}
        elif doc.template == "om.html":
            view["sections"] = {"udgiver": "Hvem står bag"}
        plan.add(Page(doc.src_uri, doc.title, doc.template, view, doc.description, doc.path,
                      tuple(doc.hide), search=doc.template != "forside.html"))


def _on_every_page(
    plan: Plan, catalogue: Catalogue, settings: Settings, headings: Mapping[str, Sequence[Heading]]
) -> None:
    """What every page shows around its content: the table of contents, the feeds, the credit line,
    the edit link."""
    site_feed = {"title": f"{settings.site.name}: alle historier", "url": urls.SITE_FEED}
    credit = principles_credit(catalogue)
    about = who(settings)
    for page in plan.pages.values():
        page.view["about"] = about
        page.view["toc"] = table_of_contents(page, headings.get(page.src_uri, ()))
        page.view["credit"] = credit
        page.view["edit_url"] = settings.edit_base + page.edit_path if settings.edit_base and page.edit_path else None
        feed = page.view.get("feed")
        own = [{"title": f"{settings.site.name}: {page.title}", "url": feed}] if feed else []
        page.view["feeds"] = [site_feed, *own]


def table_of_contents(page: Page, headings: Sequence[Heading]) -> list[dict[str, Any]]:
    """The page's sections: its title first (the skip link's target, the start of the content:
    urls.CONTENT_ID), then the sections of its rendered body, then those its template adds (the
    view's ``sections``, which the template's headings show)."""
    toc = [{"level": 1, "id": urls.CONTENT_ID, "title": page.title}]
    toc += [{"level": h.level, "id": h.id, "title": h.title} for h in headings if h.level <= TOC_DEPTH]
    toc += [{"level": 2, "id": key, "title": title} for key, title in page.view.get("sections", {}).items()]
    return toc


TOC_DEPTH = 3  # h2 and h3: the start guide has a section per principle and method, not per question
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!:|~^])")


def _markdown_text(text: str) -> str:
    """``text`` as Markdown that renders as that text: HTML escaped, Markdown's characters too."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def problem_plan(plan: Plan, settings: Settings) -> Plan:
    """For a preview (mkdocs serve, videnbank vis) of content with problems: every page the site
    would have shows the list of problems, in Danish, instead of a build that stops and a browser
    that waits. Once the files are fixed, the next rebuild gives the real pages."""
    problems = sorted(plan.problems)
    count = f"{plural(len(problems), 'problem', 'problemer')} i indholdet"
    view = {
        "kind": "problems", "title": "Videnbanken kan ikke vises endnu",
        "count": f"Der er {count}. Ret {them(len(problems))}, og gem filen: siden opdaterer sig selv.",
        "problems": [{"place": f"{p.path}:{p.line}", "field": p.field, "what": p.what, "fix": p.fix}
                     for p in problems],
        "search": False,
    }
    stems = {folder: sorted(f.stem for f in (settings.root / folder).glob("*.md")) if (settings.root / folder).is_dir()
             else [] for folder in ("stories", "principles", "methods")}
    sources = {urls.src_uri(urls.HOME), *page_sources(stems["stories"], stems["principles"], stems["methods"],
                                                      (settings.root / COUNCIL_FILE).is_file())}
    if settings.docs_dir.is_dir():
        sources |= {f.relative_to(settings.docs_dir).as_posix() for f in settings.docs_dir.rglob("*.md")}
    shown = Plan(problems=problems)
    for src in sorted(sources):
        shown.add(Page(src, str(view["title"]), "problemer.html", dict(view)))
    return shown


def summary(plan: Plan, settings: Settings) -> Iterator[str]:
    """What the build log says about the plan: previews, stories not published, the council's
    composition, and the counts."""
    catalogue = plan.catalogue
    if catalogue is None:
        return
    if settings.only:
        for story in catalogue.stories:
            yield f"forhåndsvisning: {settings.site.link(urls.story(story.slug))}"
    if catalogue.hidden:
        state = "vises som kladder (forhåndsvisning)" if catalogue.preview else "udgives ikke endnu"
        yield f"{plural(len(catalogue.hidden), 'historie', 'historier')} {state}: " + ", ".join(
            s.path for s in catalogue.hidden)
    yield from plan.notices
    yield (f"{plural(len(catalogue.stories), 'historie', 'historier')}, "
           f"{plural(len(catalogue.principles), 'princip', 'principper')}, "
           f"{plural(len(catalogue.methods), 'metode', 'metoder')}, {plural(len(plan.pages), 'side', 'sider')}")


def who(settings: Settings) -> dict[str, Any]:
    """Who stands behind the site, for the footer and /om/: publisher, contact, licence, source."""
    licence = settings.site.licence
    return {
        "publisher": settings.publisher,
        "email": settings.secretariat_email,
        "email_url": f"mailto:{settings.secretariat_email}" if settings.secretariat_email else None,
        "licence": {"name": licence.name, "url": licence.url} if licence else None,
        "repository": settings.repository,
    }


def sitemap(plan: Plan, settings: Settings) -> str:
    """sitemap.xml: every page of the plan, by its absolute address, in address order. Written by
    the finish for every engine (each engine's own sitemap differs in order and dates); no dates,
    so the same content gives the same file."""
    addresses = sorted(address_of(src) for src in plan.pages)
    entries = "".join(f"  <url><loc>{xml_escape(settings.site.link(a))}</loc></url>\n" for a in addresses)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n')


def principles_credit(catalogue: Catalogue) -> str:
    """The footer's credit line, from the principle files: where the bank's principles come from."""
    found = list(dict.fromkeys(p.meta.source for p in catalogue.principles if p.meta.source))
    return f"Principperne bygger på {' og '.join(found)}." if found else ""


def _listings(plan: Plan, catalogue: Catalogue) -> None:
    facet_list = facets.facets(catalogue)
    for n in range(1, facets.page_count(len(catalogue.stories)) + 1):
        listing = facets.listing(catalogue, n)
        title = "Historier" if n == 1 else f"Historier – side {n}"
        view = views.stories_page(catalogue, listing, facet_list if n == 1 else [])
        plan.add(Page(urls.src_uri(urls.stories_page(n)), title, "historier.html", view, search=False))
    plan.assets.append(Asset(urls.STORIES_INDEX, facets.index_json(catalogue)))
    plan.add(Page(urls.src_uri(urls.PRINCIPLES), "Principper", "principper.html",
                  views.principles_index(catalogue), search=False))
    plan.add(Page(urls.src_uri(urls.METHODS), "Metoder", "metoder.html", views.methods_index(catalogue),
                  search=False))


def page_sources(stories: Iterable[str], principles: Iterable[str], methods: Iterable[str], council: bool) -> list[str]:
    """The source names of the pages ``build_plan`` makes besides the pages in docs/ (the first page
    of each listing): the one list of them, for links (``known_sources``), the preview of problems
    (``problem_plan``) and the menu (``prune_nav``)."""
    addresses = [urls.STORIES, urls.PRINCIPLES, urls.METHODS, urls.EVALUATION, urls.STARTGUIDE, urls.WRITE]
    addresses += [urls.story(s) for s in stories]
    addresses += [urls.principle(p) for p in principles]
    addresses += [urls.method(m) for m in methods]
    if council:
        addresses.append(urls.COUNCIL)
    return [urls.src_uri(a) for a in addresses]


def known_sources(
    stories: Iterable[str], principles: Iterable[str], methods: Iterable[str], council: bool,
    hand_written: Iterable[str], open_data: Iterable[str],
) -> set[str]:
    """Every source name a link in a page may point at: the pages this plan makes (``page_sources``),
    the files in docs/ and the open data. The build and ``tjek`` resolve links against the same set."""
    sources = set(page_sources(stories, principles, methods, council))
    # Also written as '<folder>/x.md' (the usual MkDocs spelling), besides '<folder>/x/index.md'.
    sources |= {src[: -len("/index.md")] + ".md" for src in sources if src.endswith("/index.md")}
    return sources | set(hand_written) | set(open_data)


def _data_view(catalogue: Catalogue, site: Site) -> dict[str, Any]:
    d = export.overview(catalogue, site)
    return {
        "kind": "data",
        "data_feeds": [{"url": f.path, "title": f.title} for f in d.feeds],
        "feed_note": f"Feeds har de {d.feed_length} nyeste historier. Alle historier står i JSON- og CSV-filen.",
        "schema_url": d.schema_file,
        "story_fields": [dataclasses.asdict(f) | {"required": "ja" if f.required else "nej"} for f in d.story_fields],
        "separator": d.separator.strip(),
        "delimiter": d.delimiter,
        "columns": [{"name": c.name, "description": c.description} for c in d.columns],
        "principles": [{"number": p.meta.number, "slug": p.slug, "name": p.meta.name, "url": urls.principle(p.slug)}
                       for p in catalogue.principles],
        "methods": [{"slug": m.slug, "name": m.meta.name, "url": urls.method(m.slug)} for m in catalogue.methods],
        "count": plural(d.count, "udgiven historie", "udgivne historier"),
        "version": d.version,
        "licence": {"name": site.licence.name, "url": site.licence.url} if site.licence else None,
        "sections": {"felter": "Felterne i historier.json", "kolonner": "Kolonnerne i historier.csv",
                     "kortnavne": "Principper og metoder med kortnavne", "vilkaar": "Omfang og vilkår"},
    }


# Characters YAML does not allow raw (PyYAML's reader); JSON leaves them unescaped.
_NOT_YAML = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


def front_matter(meta: dict[str, Any], body: str = "") -> str:
    """A Markdown page with ``meta`` as front matter (JSON, which is YAML and much faster to write)."""
    text = json.dumps(meta, ensure_ascii=False, default=_json_default)
    if _NOT_YAML.search(text):
        text = yaml.safe_dump(json.loads(text), allow_unicode=True, sort_keys=False)
    else:
        # Zensical reads every '….md' in a page's source as a link to a page of the site, also
        # inside front matter (github.com/…/CONTRIBUTING.md): the same text, escaped, it leaves alone.
        text = text.replace(".md", "\\u002emd")
    return "---\n" + text + "\n---\n\n" + body


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} kan ikke skrives som JSON")


def files(plan: Plan) -> Iterator[tuple[str, str | bytes | Path]]:
    """Every page and file of the plan as (src_uri, content or file to copy), pages with their
    full front matter: the docs tree an engine without hooks builds."""
    for page in plan.pages.values():
        yield page.src_uri, front_matter(page.meta, page.markdown)
    for asset in plan.assets:
        if asset.source is not None:
            yield asset.src_uri, asset.source
        elif asset.content is not None:
            yield asset.src_uri, asset.content


def prune_nav(nav: Any, plan: Plan) -> Any:
    """``nav`` (the menu in mkdocs.yml: which pages, in what order, under what names) without the
    entries for pages this plan does not make, e.g. no council.yml: no council page."""
    generated = set(page_sources((), (), (), council=True))
    if not isinstance(nav, list):
        return nav
    kept: list[Any] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if isinstance(value, str) and value in generated and value not in plan.pages:
            continue
        kept.append({k: prune_nav(v, plan) for k, v in item.items()} if isinstance(item, dict) else item)
    return kept
