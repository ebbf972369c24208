"""View objects: what each page's template lays out, as plain data with every label resolved.

Every value is a dict, list, string, number or bool, so the same view reaches a template through
MkDocs' hook (in memory) or through a page's front matter on disk (ProperDocs, Zensical).
Addresses come from ``urls`` and are relative to the site root; templates print them with
``| url``. Texts are raw text (templates escape them); ``*_html`` values are rendered and
sanitised here and printed as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from . import paging, urls
from .council import Council
from .derive import Catalogue, StoryEntry, actors_by_sector, danish_date, period_text, place_text
from .evaluation import Evaluation
from .facets import Facet, Listing
from .load import Entry
from .model import NOT_INVOLVED, PUBLICATION, Method, Principle, Reference
from .settings import Site
from .words import plural

View = dict[str, Any]

CARDS_PER_PAGE = paging.CARDS_PER_PAGE  # principle and method pages list this many story cards a page
# Pagination links every page up to this many pages, else a window around the current page.
PAGE_LINKS_ALL = 9
PAGE_LINKS_AROUND = 2
# The principle index's table shows this many of the newest stories (every one at 5,000 would be
# megabytes); the column totals count them all.
MATRIX_ROWS = 50


def script_json(data: Any) -> str:
    """JSON that is safe inside <script>: no character can end the element or start a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def dates(day: dt.date) -> View:
    return {"iso": day.isoformat(), "text": danish_date(day)}


def principle_badge(catalogue: Catalogue, slug: str) -> View:
    p = catalogue.principle_by_slug[slug]
    return {"label": f"{p.meta.number}. {p.meta.name}", "name": p.meta.name, "url": urls.principle(slug)}


def card(catalogue: Catalogue, story: StoryEntry) -> View:
    """One story in any listing; filtre.js fills the same card (the <template> in the overview)
    from the index's rows, which carry the same values (facets.index_data). Made once a build per
    story: a story is listed on the overview, its principles' and methods' pages and the front page."""
    cards: dict[str, View] = catalogue.made.setdefault("cards", {})
    if (found := cards.get(story.slug)) is None:
        found = cards[story.slug] = _card(catalogue, story)
    return found


def _card(catalogue: Catalogue, story: StoryEntry) -> View:
    m = story.meta
    return {
        "title": m.title,
        "url": urls.story(story.slug),
        "meta": catalogue.card_meta(story),
        "summary": m.summary,
        "draft": catalogue.draft_label(story),
        "badges": [principle_badge(catalogue, r.slug) for r in m.principles],
    }


def _row(label: str, *items: View) -> View:
    return {"label": label, "entries": list(items)}


def _item(text: str, url: str | None = None, note: str | None = None, label: str | None = None) -> View:
    return {"text": text, "url": url, "note": note, "label": label}


def facts(catalogue: Catalogue, story: StoryEntry) -> list[View]:
    """The facts panel: (label, items) rows; a row is left out when the story says nothing."""
    m = story.meta
    rows = [
        _row("Principper", *(
            _item(principle_badge(catalogue, r.slug)["label"], urls.principle(r.slug), r.how) for r in m.principles
        )),
        _row("Aktører", *(_item(", ".join(names), label=sector) for sector, names in actors_by_sector(m))),
    ]
    if m.methods:
        rows.append(_row("Metoder", *(
            _item(catalogue.method_by_slug[s].meta.name, urls.method(s)) for s in m.methods
        )))
    if m.target_groups:
        rows.append(_row("Målgrupper", _item(", ".join(m.target_groups))))
    if m.themes:
        rows.append(_row("Temaer", _item(", ".join(m.themes))))
    place = place_text(m)
    if place:
        rows.append(_row("Kommune og sted", _item(place)))
    if m.period:
        rows.append(_row("Periode", _item(period_text(m))))
    rows.append(_row("Status", _item(catalogue.statuses[m.status])))
    if m.council_role != NOT_INVOLVED:
        rows.append(_row("Rådet", _item(catalogue.council_roles[m.council_role])))
    if m.results:
        evaluated = "Resultaterne er evalueret." if m.results.evaluated else "Resultaterne er ikke evalueret."
        rows.append(_row("Resultater", _item(m.results.text, note=evaluated)))
    contact = [_item(m.contact.organisation)]
    if m.contact.email:
        contact.append(_item(m.contact.email, urls.safe_link(f"mailto:{m.contact.email}")))
    if m.contact.phone:
        contact.append(_item(f"Tlf. {m.contact.phone}"))
    if m.contact.web:
        contact.append(_item(m.contact.web, urls.safe_link(m.contact.web)))
    rows.append(_row("Kontakt", *contact))
    return rows


def related(catalogue: Catalogue, story: StoryEntry) -> list[View]:
    out = []
    for r in catalogue.related(story):
        shared = [principle_badge(catalogue, s)["label"] for s in r.principles]
        shared += [catalogue.method_by_slug[s].meta.name for s in r.methods]
        shared += list(r.target_groups)
        out.append({"title": r.story.meta.title, "url": urls.story(r.story.slug), "shared": ", ".join(shared)})
    return out


def story(
    catalogue: Catalogue, entry: StoryEntry, site: Site, body_html: str, last_changed: dt.date | None
) -> View:
    m = entry.meta
    address = urls.story(entry.slug)
    changed = last_changed or m.added
    jsonld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": m.title,
        "description": m.summary,
        "url": site.link(address),
        "datePublished": m.added.isoformat(),
        "dateModified": changed.isoformat(),
        "inLanguage": "da",
        "about": [
            {"@type": "DefinedTerm", "name": catalogue.principle_by_slug[r.slug].meta.name,
             "description": catalogue.principle_by_slug[r.slug].meta.statement,
             "url": site.link(urls.principle(r.slug)), "inDefinedTermSet": site.link(urls.PRINCIPLES)}
            for r in m.principles
        ],
        "contributor": [{"@type": "Organization", "name": a.name} for a in m.actors],
        "sourceOrganization": {"@type": "Organization", "name": m.contact.organisation},
        "isPartOf": {"@type": "WebSite", "name": site.name, "url": site.link()},
    }
    if m.municipality:
        jsonld["spatialCoverage"] = {"@type": "Place", "name": m.municipality}
    if m.themes:
        jsonld["keywords"] = ", ".join(m.themes)
    og = [
        ("og:type", "article"), ("og:locale", "da_DK"), ("og:site_name", site.name),
        ("og:title", m.title), ("og:description", m.summary), ("og:url", site.link(address)),
        ("article:published_time", m.added.isoformat()),
    ]
    if last_changed:
        og.append(("article:modified_time", last_changed.isoformat()))
    og += [("article:tag", catalogue.principle_by_slug[r.slug].meta.name) for r in m.principles]
    return {
        "kind": "story",
        "title": m.title,
        "summary": m.summary,
        "draft": catalogue.draft_label(entry),
        "body_html": body_html,
        "facts": facts(catalogue, entry),
        "images": [
            {"src": src, "alt": i.alt, "credit": i.credit}
            for i in m.images if (src := urls.safe_link(urls.story_file(entry.slug, i.file.rsplit("/", 1)[-1])))
        ],
        "links": [{"title": link.title, "url": urls.safe_link(link.url)} for link in m.links],
        "sources": sources(entry),
        "added": dates(m.added),
        "changed": dates(last_changed) if last_changed else None,
        "related": related(catalogue, entry),
        "og": [{"property": p, "content": c} for p, c in og],
        "jsonld": script_json(jsonld),
    }


def _reference(ref: Reference) -> View:
    """A source as one line of text (»Titel«, Udgiver, år) and its link, if it has one."""
    return {"text": str(ref), "link": urls.safe_link(ref.link)}


def sources(entry: StoryEntry) -> list[View]:
    """The story's sources (``kilder``)."""
    return [_reference(s) for s in entry.meta.sources]


def pagination(number: int, pages: int, address: Any, label: str = "Sider med historier") -> View | None:
    """Links to the pages of a paginated listing; ``address(n)`` gives page n's address.

    Up to ``PAGE_LINKS_ALL`` pages every page is linked; beyond that the first, the last and
    ``PAGE_LINKS_AROUND`` on each side of the current one, with a gap (``{"gap": True}``)
    between, so a page's size does not grow with the bank. Previous and next reach every page.
    """
    if pages <= 1:
        return None
    if pages <= PAGE_LINKS_ALL:
        shown = list(range(1, pages + 1))
    else:
        around = range(max(1, number - PAGE_LINKS_AROUND), min(pages, number + PAGE_LINKS_AROUND) + 1)
        shown = sorted({1, pages, *around})
    links: list[View] = []
    for n in shown:
        if links and n > links[-1]["number"] + 1:
            links.append({"gap": True, "number": n - 1})
        links.append({"number": n, "url": address(n), "current": n == number, "gap": False})
    return {
        "label": label,
        "number": number,
        "pages": pages,
        "prev": address(number - 1) if number > 1 else None,
        "next": address(number + 1) if number < pages else None,
        "links": links,
    }


def stories_page(catalogue: Catalogue, listing: Listing, facet_list: Sequence[Facet]) -> View:
    last = listing.first + len(listing.stories) - 1
    count = f"Videnbanken rummer {plural(listing.total, 'historie', 'historier')}, de nyeste først."
    if listing.pages > 1:
        count += f" Her vises nr. {listing.first}–{last}."
    view: View = {
        "kind": "stories",
        "title": "Historier",
        "number": listing.number,
        "subtitle": f"side {listing.number} af {listing.pages}" if listing.number > 1 else "",
        "list_title": "Alle historier",
        "count": count,
        "first": listing.first,
        "cards": [card(catalogue, s) for s in listing.stories],
        "pagination": pagination(listing.number, listing.pages, urls.stories_page),
        "filter": None,
    }
    if facet_list:
        view["filter"] = {
            "action": urls.STORIES,
            "index": urls.STORIES_INDEX,
            "root": urls.HOME,
            "card_template": {"title": "", "url": urls.HOME, "meta": "", "summary": "", "draft": PUBLICATION["kladde"],
                              "badges": [{"label": "", "name": "", "url": urls.HOME}]},
            "total": listing.total,
            "groups": [
                {"key": f.key, "id": f"vb-f-{f.key}", "label": f.label, "hint": f.hint, "control": f.control,
                 "options": [{"value": v.value, "label": v.label, "count": v.count} for v in f.values]}
                for f in facet_list if f.values
            ],
        }
    return view


def card_pages(count: int) -> int:
    return paging.page_count(count, CARDS_PER_PAGE)


def _vocabulary_page(
    catalogue: Catalogue, entry: Entry[Any], stories: Sequence[StoryEntry], body_html: str, number: int,
    address: Callable[[str, int], str], **labels: Any,
) -> View:
    """Page ``number`` of a principle or a method: its text on the first page, then its stories' cards."""
    return {
        "title": entry.meta.name,
        "statement": entry.meta.statement,
        "body_html": body_html if number == 1 else "",
        "source": entry.meta.source,
        "number": number,
        "count": len(stories),
        "first": paging.first(number, CARDS_PER_PAGE),
        "cards": [card(catalogue, s) for s in paging.page(stories, number, CARDS_PER_PAGE)],
        "pagination": pagination(number, card_pages(len(stories)), lambda n: address(entry.slug, n)),
        **labels,
    }


def principle(catalogue: Catalogue, entry: Entry[Principle], body_html: str, number: int) -> View:
    stories = catalogue.by_principle[entry.slug]
    m = entry.meta
    return _vocabulary_page(
        catalogue, entry, stories, body_html, number, urls.principle,
        kind="principle",
        kicker=f"Princip {m.number}",
        questions=list(m.questions) if number == 1 else [],
        questions_source=m.questions_source,
        feed=urls.principle_feed(entry.slug),
        heading=f"Historier, der viser princippet ({len(stories)})",
        empty="Der er endnu ingen historier, der viser dette princip.",
        filter_url=urls.stories_filtered("princip", entry.slug),
    )


def method(catalogue: Catalogue, entry: Entry[Method], body_html: str, number: int) -> View:
    stories = catalogue.by_method[entry.slug]
    return _vocabulary_page(
        catalogue, entry, stories, body_html, number, urls.method,
        kind="method",
        kicker="Metode",
        questions=[],
        questions_source=None,
        feed=None,
        heading=f"Historier, der brugte metoden ({len(stories)})",
        empty="Der er endnu ingen historier, der har brugt denne metode.",
        filter_url=urls.stories_filtered("metode", entry.slug),
    )


def principles_index(catalogue: Catalogue, body_html: str = "") -> View:
    principles = catalogue.principles
    return {
        "kind": "principles",
        "title": "Principper",
        "body_html": body_html,
        "principles": [
            {"number": p.meta.number, "name": p.meta.name, "short_name": p.meta.short_name or p.meta.name,
             "full_name": p.meta.name if p.meta.short_name else "",  # for screen readers, beside the short name
             "statement": p.meta.statement,
             "url": urls.principle(p.slug), "total": len(catalogue.by_principle[p.slug]),
             "count": plural(len(catalogue.by_principle[p.slug]), "historie", "historier")}
            for p in principles
        ],
        "rows": [
            {"title": s.meta.title, "url": urls.story(s.slug),
             "marks": [p.slug in {r.slug for r in s.meta.principles} for p in principles]}
            for s in catalogue.stories[:MATRIX_ROWS]
        ],
        "rows_note": (
            f"Tabellen viser de {MATRIX_ROWS} nyeste af {len(catalogue.stories)} historier; "
            "tallene nederst tæller dem alle."
            if len(catalogue.stories) > MATRIX_ROWS else ""
        ),
        "stories_url": urls.STORIES,
        "sections": {"oversigt": "Historier og principper"},
    }


def methods_index(catalogue: Catalogue, body_html: str = "") -> View:
    return {
        "kind": "methods",
        "title": "Metoder",
        "body_html": body_html,
        "methods": [
            {"name": m.meta.name, "statement": m.meta.statement, "url": urls.method(m.slug),
             "count": plural(len(catalogue.by_method[m.slug]), "historie", "historier")}
            for m in catalogue.methods
        ],
    }


def home(catalogue: Catalogue, body_html: str) -> View:
    return {
        "kind": "home",
        "body_html": body_html,
        "principles": principles_index(catalogue)["principles"],
        "cards": [card(catalogue, s) for s in catalogue.newest(6)],
        "all": {"url": urls.STORIES, "text": f"Se alle {plural(len(catalogue.stories), 'historie', 'historier')}"},
    }


def _range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return str(low) if low == high else f"{low}–{high}"
    if low is not None:
        return f"mindst {low}"
    return f"højst {high}" if high is not None else ""


def council(catalogue: Catalogue, c: Council, notices: Sequence[str], body_html: str = "") -> View:
    r = c.rules
    data = c.model_dump(mode="json")
    secretariat = data.get("secretariat") or {}
    secretariat["web_url"] = urls.safe_link(secretariat.get("web"))
    secretariat["email_url"] = urls.safe_link(f"mailto:{secretariat['email']}") if secretariat.get("email") else None
    members_range = _range(r.members_min, r.members_max)
    return {
        "kind": "council",
        "title": c.name,
        "body_html": body_html,
        "council": {
            **data,
            "by_sector": [
                {"slug": slug, "label": label, "count": len(members),
                 "members": [m.model_dump(mode="json") for m in members]}
                for slug, label, members in c.by_sector()
            ],
            "composition": [
                {"label": label, "count": count, "minimum": "–" if minimum is None else str(minimum)}
                for label, count, minimum in c.composition()
            ],
            "rules_text": {
                "members": members_range,
                "sector_min": "; ".join(f"{catalogue.sectors[s]}: {n}" for s, n in r.sector_min.items()),
                "meetings": _range(r.meetings_min, r.meetings_max),
                "period": f"{r.period_years} år ad gangen" if r.period_years else "",
                "source": r.source,
            },
        },
        "sections": {
            **({"maalgruppe": "Hvem rådet arbejder for"} if c.texts.target_group else {}),
            **({"opgaver": "Det gør rådet"} if c.texts.tasks else {}),
            **({"arbejdsform": "Sådan arbejder rådet"} if c.texts.ways else {}),
            "medlemmer": " ".join(p for p in (f"Medlemmer ({len(c.members)})", c.members_as_of_text) if p),
            "regler": "Reglerne for rådet",
            "sammensaetning": "Sammensætningen set i forhold til reglerne",
            "kontakt": "Kontakt rådet",
        },
        "members_source": _reference(c.members_source) if c.members_source else None,
        "notices": list(notices),
        "evaluation_url": urls.EVALUATION,
    }


def evaluation(e: Evaluation, c: Council | None, body_html: str = "") -> View:
    return {
        "kind": "evaluation",
        "title": "Evaluering",
        "lead": f"Tallene her er regnet ud fra {plural(e.total, 'historie', 'historier')} på sitet, år for år.",
        "body_html": body_html,
        "evaluation": dataclasses.asdict(e),
        "council_name": c.name if c else None,
        # The template's sections, shown by its headings and listed in the table of contents.
        "sections": {
            "saadan-taeller-vi": "Sådan tæller siden",
            **({"overblik": "Overblik pr. år", "diagrammer": "Diagrammer", "principper": "Principdækning",
                "aktoerer": "Nye aktører år for år"} if e.years else {}),
            **({"succeskriterier": f"Succeskriterier {e.criteria_years}"} if e.criteria else {}),
        },
    }
