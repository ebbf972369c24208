"""Open data from a catalogue: a JSON document with its JSON Schema, a CSV for Danish Excel and Atom feeds.

Only published stories go out: drafts are left out even when the site is built in preview mode.
Every output depends on the content alone (dates come from the stories, never from the clock),
so two builds of the same content give byte-identical files.

Danish Excel, which is what most readers of the CSV will open it with, expects:

- the list separator of the Danish regional settings, ``;``: Excel splits a double-clicked CSV at
  the system's list separator, which is ``;`` wherever the comma is the decimal sign;
- a UTF-8 byte order mark: Excel takes a CSV for UTF-8 only when it starts with one, and otherwise
  reads it in the Windows code page, so æ, ø and å turn into two odd characters each. No ``sep=;``
  first line: it is an Excel-only hint that every other tool reads as a row of data;
- CRLF line ends (RFC 4180), and fields quoted with ``"`` when they hold ``;`` or ``"``.

List values in one cell are joined with `` | `` (names and target groups may hold commas).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import urls
from .derive import Catalogue, StoryEntry
from .model import GROUP, Actor, Method, Principle, Reference, Story
from .render import Renderer
from .settings import Site

FORMAT_VERSION = 1
FEED_LENGTH = 50
LIST_SEPARATOR = " | "
CSV_DELIMITER = ";"
CSV_LINE_END = "\r\n"
BOM = "\ufeff"

JSON_FILE = urls.DATA_JSON
SCHEMA_FILE = urls.DATA_SCHEMA
CSV_FILE = urls.DATA_CSV
SITE_FEED = urls.SITE_FEED
ATOM = "http://www.w3.org/2005/Atom"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


principle_feed = urls.principle_feed


# --- the JSON document and its schema ------------------------------------------------------------


class StoryRecord(Story):
    """One published story: every front-matter field (Danish keys, normalised), its slug and address."""

    model_config = ConfigDict(title="Historie", json_schema_serialization_defaults_required=True)

    slug: str = Field(alias="kortnavn", description="Historiens kortnavn (filnavnet i stories/ uden .md).")
    url: str = Field(description="Historiens fulde adresse på sitet.")


class PrincipleRecord(Principle):
    model_config = ConfigDict(title="Princip", json_schema_serialization_defaults_required=True)

    slug: str = Field(alias="kortnavn", description="Principets kortnavn, som historierne bruger i 'principper'.")
    url: str = Field(description="Principets side på sitet.")


class MethodRecord(Method):
    model_config = ConfigDict(title="Metode", json_schema_serialization_defaults_required=True)

    slug: str = Field(alias="kortnavn", description="Metodens kortnavn, som historierne bruger i 'metoder'.")
    url: str = Field(description="Metodens side på sitet.")


class OpenData(BaseModel):
    """The document at /data/historier.json."""

    model_config = ConfigDict(
        title="Videnbankens historier",
        extra="forbid",
        populate_by_name=True,
        json_schema_serialization_defaults_required=True,
    )

    schema_url: str = Field(alias="$schema", description="Adressen på dette JSON Schema.")
    version: Literal[1] = Field(
        description="Formatets version. Den skifter kun, hvis felter fjernes eller ændrer betydning."
    )
    title: str = Field(alias="titel", description="Videnbankens navn.")
    site_url: str = Field(alias="url", description="Videnbankens adresse.")
    licence: str | None = Field(
        alias="licens", description="Licensen for tekster og data, fx CC BY 4.0: genbrug er tilladt med kildeangivelse."
    )
    licence_url: str | None = Field(alias="licens_url", description="Adressen på licensens tekst.")
    updated: dt.date | None = Field(
        alias="opdateret", description="Datoen for den nyeste historie (ÅÅÅÅ-MM-DD); tom, hvis der ingen historier er."
    )
    count: int = Field(alias="antal", ge=0, description="Antallet af historier i filen.")
    principles: list[PrincipleRecord] = Field(alias="principper", description="Principperne, historierne henviser til.")
    methods: list[MethodRecord] = Field(alias="metoder", description="Metoderne, historierne henviser til.")
    stories: list[StoryRecord] = Field(alias="historier", description="De udgivne historier, nyeste først.")


def published(catalogue: Catalogue) -> list[StoryEntry]:
    """The published stories, newest first: never a draft, also not in preview."""
    return [s for s in catalogue.stories if not catalogue.is_draft(s)]


def newest_date(stories: Sequence[StoryEntry]) -> dt.date | None:
    return max((s.meta.added for s in stories), default=None)


_encode = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)`` without making a new encoder for every value."""


class Json(bytes):
    """A value already written as JSON in UTF-8: ``_json_lines_bytes`` writes it as it is."""


def _json(value: Any) -> bytes:
    return value if isinstance(value, Json) else _encode(value).encode()


def story_url(site: Site, slug: str) -> str:
    return site.link(urls.story(slug))


def story_record(story: StoryEntry, site: Site) -> dict[str, Any]:
    record = _record(story.slug, story_url(site, story.slug), story.meta)
    record["sammendrag"] = plain_text(story.meta.summary)
    return record


def story_json(story: StoryEntry, site: Site) -> Json:
    """``story_record`` as ``json.dumps(..., ensure_ascii=False)`` writes it, made by pydantic's
    serializer in one step rather than through a dict and the json module (in half the time).

    Pretty-printed with no indent, every raw line break in the serializer's text is layout (a line
    break inside a string is written ``\\n``): joining the lines gives json.dumps's ", " and ": ".
    """
    meta = story.meta.model_copy(update={"summary": plain_text(story.meta.summary)})
    body = meta.__pydantic_serializer__.to_json(meta, by_alias=True, indent=0)
    head = f'{{"kortnavn": {_encode(story.slug)}, "url": {_encode(story_url(site, story.slug))}, '.encode()
    return Json(head + body.replace(b",\n", b", ").replace(b"\n", b"").removeprefix(b"{"))


def _record(slug: str, url: str, meta: BaseModel) -> dict[str, Any]:
    return {"kortnavn": slug, "url": url, **meta.model_dump(mode="json", by_alias=True)}


def document(catalogue: Catalogue, site: Site) -> dict[str, Any]:
    stories = published(catalogue)
    return _document(catalogue, site, stories, [story_record(s, site) for s in stories])


def _document(
    catalogue: Catalogue, site: Site, stories: Sequence[StoryEntry], records: Iterable[dict[str, Any] | Json]
) -> dict[str, Any]:
    updated = newest_date(stories)
    return {
        "$schema": site.link(SCHEMA_FILE),
        "version": FORMAT_VERSION,
        "titel": site.name,
        "url": site.link(),
        "licens": site.licence.name if site.licence else None,
        "licens_url": site.licence.url if site.licence else None,
        "opdateret": updated.isoformat() if updated else None,
        "antal": len(stories),
        "principper": [_record(p.slug, site.link(urls.principle(p.slug)), p.meta) for p in catalogue.principles],
        "metoder": [_record(m.slug, site.link(urls.method(m.slug)), m.meta) for m in catalogue.methods],
        "historier": records,
    }


def json_schema(catalogue: Catalogue, site: Site) -> dict[str, Any]:
    """The schema of the document, generated from the content model, closed over this bank's vocabularies."""
    body = OpenData.model_json_schema(by_alias=True, mode="serialization")
    defs = body["$defs"]
    for name in ("StoryRecord", "PrincipleRecord", "MethodRecord"):
        props = defs[name]["properties"]
        defs[name]["properties"] = {k: props[k] for k in ("kortnavn", "url")} | props
    defs["PrincipleRef"]["properties"]["princip"]["enum"] = [p.slug for p in catalogue.principles]
    defs["StoryRecord"]["properties"]["metoder"]["items"]["enum"] = [m.slug for m in catalogue.methods]
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": site.link(SCHEMA_FILE),
        **body,
        "description": f"Udgivne historier fra {site.name} med metadata, adresse og sammendrag som ren tekst.",
    }


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_lines_bytes(data: Mapping[str, Any]) -> bytes:
    """The document as indented JSON with each story, principle and method on one line.

    ``json.dumps(indent=...)`` runs Python's pure-Python encoder, seconds at thousands of stories;
    one record a line is written by the C encoder and still reads (and diffs) a record at a time.
    A list may come as an iterator: each record is then written as it is made and dropped, so the
    whole bank's records are never held (and walked by the garbage collector) at once.
    """
    parts = []
    for key, value in data.items():
        name = _json(key)
        if not isinstance(value, list | Iterator):
            parts.append(b"  %s: %s" % (name, _json(value)))
        elif items := b",\n    ".join(map(_json, value)):
            parts.append(b"  %s: [\n    %s\n  ]" % (name, items))
        else:
            parts.append(b"  %s: []" % name)
    return b"".join([b"{\n", b",\n".join(parts), b"\n}\n"])


@dataclass(frozen=True)
class SchemaField:
    """One row of the field table on the "Åbne data" page, read from the JSON Schema."""

    name: str
    kind: str
    required: bool
    description: str


def schema_fields(schema: dict[str, Any], definition: str = "StoryRecord") -> list[SchemaField]:
    """The fields of one object in the schema, nested objects flattened as ``parent.child``."""
    defs: dict[str, Any] = schema.get("$defs", {})
    return _fields(defs.get(definition, schema), defs, "")


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return defs[ref.rsplit("/", 1)[-1]] if isinstance(ref, str) else node


def _fields(obj: dict[str, Any], defs: dict[str, Any], prefix: str) -> list[SchemaField]:
    rows: list[SchemaField] = []
    required = set(obj.get("required", []))
    for name, raw in obj.get("properties", {}).items():
        node = _resolve(raw, defs)
        options = [_resolve(o, defs) for o in node.get("anyOf", [node])]
        nullable = any(o.get("type") == "null" for o in options)
        main = next((o for o in options if o.get("type") != "null"), node)
        description = raw.get("description") or node.get("description", "")
        rows.append(SchemaField(prefix + name, _kind(main, defs), name in required and not nullable, description))
        if main.get("type") == "object":
            rows += _fields(main, defs, f"{prefix}{name}.")
        elif main.get("type") == "array":
            item = _resolve(main.get("items", {}), defs)
            if item.get("type") == "object":
                rows += _fields(item, defs, f"{prefix}{name}[].")
    return rows


def _kind(node: dict[str, Any], defs: dict[str, Any]) -> str:
    kind = node.get("type", "")
    if kind == "array":
        return f"liste af {_kind(_resolve(node.get('items', {}), defs), defs)}"
    names = {"string": "tekst", "integer": "heltal", "boolean": "sand/falsk", "object": "objekt", "number": "tal"}
    text = names.get(kind, kind or "værdi")
    if node.get("format") == "date":
        text = "dato (ÅÅÅÅ-MM-DD)"
    if "enum" in node:
        text += ": " + ", ".join(str(v) for v in node["enum"])
    return text


# --- plain text ----------------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text of rendered HTML, without the headings' permalinks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0  # inside a permalink (<a class="headerlink">)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or (tag == "a" and "headerlink" in (dict(attrs).get("class") or "").split()):
            self.skip += tag == "a"

    def handle_endtag(self, tag: str) -> None:
        if self.skip and tag == "a":
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


_renderer = Renderer()


@functools.lru_cache(maxsize=16384)
def plain_text(text: str) -> str:
    """Markdown (or plain text) as one line of plain text: no markup, entities resolved. Rendered
    with the site's own Markdown (render.Renderer), as the pages are."""
    # One renderer and a cache: building a Markdown() costs about 1 ms, and each summary is needed
    # three times (JSON, CSV, feed) for each of thousands of stories.
    parser = _Text()
    parser.feed(_renderer.render(text, "index.md").html)
    parser.close()
    return " ".join("".join(parser.parts).split())


# --- CSV for Danish Excel ------------------------------------------------------------------------


def _join(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _actor_text(actor: Actor) -> str:
    return f"{actor.name} ({actor.sector}, gruppe)" if actor.kind == GROUP else f"{actor.name} ({actor.sector})"


def _yes_no(value: bool) -> str:
    return "ja" if value else "nej"


def source_text(source: Reference) -> str:
    """A source as one line: 'titel, udgiver, år (link)', the year and link only when given."""
    text = f"{source.title}, {source.publisher}" + (f", {source.year}" if source.year else "")
    return f"{text} ({source.link})" if source.link else text


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[StoryEntry, Site], str] = field(repr=False)


CSV_COLUMNS: tuple[Column, ...] = (
    Column("kortnavn", "Historiens kortnavn.", lambda s, _: s.slug),
    Column("titel", "Titel.", lambda s, _: s.meta.title),
    Column("sammendrag", "Sammendrag som ren tekst.", lambda s, _: plain_text(s.meta.summary)),
    Column("dato", "Dato for optagelse i videnbanken (ÅÅÅÅ-MM-DD).", lambda s, _: s.meta.added.isoformat()),
    Column("url", "Historiens adresse.", lambda s, site: story_url(site, s.slug)),
    Column("principper", "Principperne (kortnavne).", lambda s, _: _join([p.slug for p in s.meta.principles])),
    Column("aktører", "Aktørerne som 'navn (sektor)'; en gruppe af personer som 'navn (sektor, gruppe)'.",
           lambda s, _: _join([_actor_text(a) for a in s.meta.actors])),
    Column("metoder", "Metoderne (kortnavne).", lambda s, _: _join(s.meta.methods)),
    Column("målgrupper", "Målgrupperne.", lambda s, _: _join(s.meta.target_groups)),
    Column("temaer", "Temaerne.", lambda s, _: _join(s.meta.themes)),
    Column("kommune", "Kommunen.", lambda s, _: s.meta.municipality or ""),
    Column("sted", "Stedet.", lambda s, _: s.meta.place or ""),
    Column("periode_start", "Start (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD).",
           lambda s, _: s.meta.period.start if s.meta.period else ""),
    Column("periode_slut", "Slut; tom, hvis den ikke er angivet.",
           lambda s, _: (s.meta.period.end or "") if s.meta.period else ""),
    Column("status", "ide, igang eller afsluttet.", lambda s, _: s.meta.status),
    Column("resultater", "Resultaterne, som kilden beskriver dem.",
           lambda s, _: s.meta.results.text if s.meta.results else ""),
    Column("resultater_evalueret", "ja eller nej; tom, hvis der ingen resultater er angivet.",
           lambda s, _: _yes_no(s.meta.results.evaluated) if s.meta.results else ""),
    Column("kontakt_organisation", "Kontaktorganisationen.", lambda s, _: s.meta.contact.organisation),
    Column("kontakt_email", "Organisationens e-mail.", lambda s, _: s.meta.contact.email or ""),
    Column("kontakt_telefon", "Organisationens telefon.", lambda s, _: s.meta.contact.phone or ""),
    Column("kontakt_web", "Organisationens hjemmeside.", lambda s, _: s.meta.contact.web or ""),
    Column("kilder", "Kilderne, historien bygger på, som 'titel, udgiver, år (adresse)'; år og adresse kun, "
           "når de kendes.", lambda s, _: _join([source_text(k) for k in s.meta.sources])),
    Column("links", "Links som 'titel (adresse)'.", lambda s, _: _join([f"{k.title} ({k.url})" for k in s.meta.links])),
    Column("rådets_rolle", "igangsat, stoettet eller ingen.", lambda s, _: s.meta.council_role),
    Column("samtykke", "ja, når navngivne privatpersoner har givet samtykke.", lambda s, _: _yes_no(s.meta.consent)),
)


def _cells(values: list[str]) -> list[str]:
    """The values as cells: whitespace runs as one space, no line breaks; a cell Excel would read
    as a formula (CSV injection) is kept as text. A pass over the row, not a call per cell."""
    texts = [" ".join(v.split()) for v in values]
    return ["'" + t if t.startswith(_FORMULA_START) else t for t in texts]


def _cell(value: str) -> str:
    return _cells([value])[0]


def _csv_line(cells: list[str]) -> str:
    """One record as ``csv.writer`` writes it with ``QUOTE_MINIMAL``: a cell holding the delimiter
    or a quote in quotes, its quotes doubled. A cell never holds a line break (``_cells``)."""
    quoted = ['"' + c.replace('"', '""') + '"' if CSV_DELIMITER in c or '"' in c else c for c in cells]
    return CSV_DELIMITER.join(quoted) + CSV_LINE_END


def csv_line(story: StoryEntry, site: Site) -> str:
    """The story's record in the CSV file."""
    return _csv_line(_cells([c.value(story, site) for c in CSV_COLUMNS]))


def csv_bytes(catalogue: Catalogue, site: Site, lines: Iterable[str] | None = None) -> bytes:
    """The CSV file: its head, then each published story's line (``lines``: made already, in order)."""
    rows = (csv_line(story, site) for story in published(catalogue)) if lines is None else lines
    return (BOM + _csv_line([c.name for c in CSV_COLUMNS]) + "".join(rows)).encode("utf-8")


class StoryRows:
    """A live preview's story records (JSON and CSV) from one rebuild to the next, each kept while
    its entry is the same object (``load.StoryMemo`` gives back the same entry for an unchanged
    file) and the site is the same. A record depends on nothing else."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[StoryEntry, Site, Json, str]] = {}

    def of(self, stories: Sequence[StoryEntry], site: Site) -> tuple[list[Json], list[str]]:
        kept: dict[str, tuple[StoryEntry, Site, Json, str]] = {}
        for story in stories:
            row = self._rows.get(story.slug)
            if row is None or row[0] is not story or row[1] != site:
                row = (story, site, story_json(story, site), csv_line(story, site))
            kept[story.slug] = row
        self._rows = kept
        return [row[2] for row in kept.values()], [row[3] for row in kept.values()]


# --- Atom feeds ----------------------------------------------------------------------------------


def _stamp(day: dt.date | None) -> str:
    return f"{(day or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"


# What XML 1.0 cannot hold at all, not even escaped: control characters but tab, newline and
# carriage return, lone surrogates, U+FFFE and U+FFFF. One of them makes the whole feed
# ill-formed, and a feed reader drops every entry; the checker refuses them, and the feed never
# carries one even when the checker is off.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(
    catalogue: Catalogue,
    site: Site,
    stories: Sequence[StoryEntry],
    path: str,
    title: str,
    subtitle: str,
    alternate: str,
) -> bytes:
    """An Atom 1.0 feed of the newest ``FEED_LENGTH`` of ``stories``; ids are the stories' addresses."""
    entries = list(stories)[:FEED_LENGTH]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "da"})
    _sub(feed, "id", site.link(path))
    _sub(feed, "title", title)
    _sub(feed, "subtitle", subtitle)
    _sub(feed, "updated", _stamp(newest_date(entries) or newest_date(published(catalogue))))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=site.link(path))
    _sub(feed, "link", rel="alternate", type="text/html", href=site.link(alternate))
    _sub(_sub(feed, "author"), "name", site.name)
    if site.licence:
        _sub(feed, "rights", f"{site.licence.name}: {site.licence.url}")
    for story in entries:
        url = story_url(site, story.slug)
        entry = _sub(feed, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", story.meta.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "published", _stamp(story.meta.added))
        _sub(entry, "updated", _stamp(story.meta.added))
        _sub(entry, "summary", plain_text(story.meta.summary), type="text")
        for ref in story.meta.principles:
            principle = catalogue.principle_by_slug[ref.slug]
            _sub(entry, "category", term=ref.slug, label=principle.meta.name, scheme=site.link(urls.PRINCIPLES))
        for actor in story.meta.actors:
            _sub(_sub(entry, "contributor"), "name", actor.name)
    ET.indent(feed)
    # Written as text and encoded once: ElementTree's own UTF-8 writer encodes piece by piece.
    return f"{XML_DECLARATION}\n{ET.tostring(feed, encoding='unicode')}\n".encode()


# --- everything at once --------------------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    path: str
    title: str


def feeds(catalogue: Catalogue, site: Site) -> list[Feed]:
    """The site feed first, then one per principle, in principle order."""
    return [Feed(SITE_FEED, f"{site.name}: alle historier")] + [
        Feed(principle_feed(p.slug), f"{site.name}: {p.meta.name}") for p in catalogue.principles
    ]


def file_names(principles: Iterable[str]) -> list[str]:
    """The paths of the open-data files ``files`` makes, from the principles' slugs alone."""
    return [JSON_FILE, SCHEMA_FILE, CSV_FILE, SITE_FEED, *(principle_feed(p) for p in principles)]


def files(catalogue: Catalogue, site: Site, rows: StoryRows | None = None) -> dict[str, bytes]:
    """Every open-data file by its path in the built site. ``rows``: a live preview's records kept
    from its earlier rebuilds."""
    stories = published(catalogue)
    records: Iterable[Json] = (story_json(s, site) for s in stories)
    lines = None
    if rows is not None:
        records, lines = rows.of(stories, site)
    out = {
        JSON_FILE: _json_lines_bytes(_document(catalogue, site, stories, records)),
        SCHEMA_FILE: _json_bytes(json_schema(catalogue, site)),
        CSV_FILE: csv_bytes(catalogue, site, lines),
        SITE_FEED: atom_feed(catalogue, site, stories, SITE_FEED, f"{site.name}: alle historier",
                             "De nyeste historier om samskabelse.", urls.STORIES),
    }
    by_principle = _by_principle(catalogue, stories)
    for principle in catalogue.principles:
        path = principle_feed(principle.slug)
        out[path] = atom_feed(
            catalogue, site, by_principle[principle.slug], path, f"{site.name}: {principle.meta.name}",
            f"De nyeste historier, der viser princip {principle.meta.number}: {principle.meta.name}.",
            urls.principle(principle.slug),
        )
    return out


def _by_principle(catalogue: Catalogue, stories: Sequence[StoryEntry]) -> dict[str, list[StoryEntry]]:
    """The stories showing each principle, in the order of ``stories``, each once."""
    chosen: dict[str, list[StoryEntry]] = {p.slug: [] for p in catalogue.principles}
    for story in stories:
        for slug in dict.fromkeys(r.slug for r in story.meta.principles):
            if slug in chosen:
                chosen[slug].append(story)
    return chosen


@dataclass(frozen=True)
class Overview:
    """What the templates need: the feeds for the <head> links and the "Åbne data" page's tables."""

    feeds: list[Feed]
    story_fields: list[SchemaField]
    count: int
    columns: tuple[Column, ...] = CSV_COLUMNS
    json_file: str = JSON_FILE
    schema_file: str = SCHEMA_FILE
    csv_file: str = CSV_FILE
    site_feed: str = SITE_FEED
    separator: str = LIST_SEPARATOR
    delimiter: str = CSV_DELIMITER
    feed_length: int = FEED_LENGTH
    version: int = FORMAT_VERSION

    def principle_feed(self, slug: str) -> str:
        return principle_feed(slug)


def overview(catalogue: Catalogue, site: Site) -> Overview:
    return Overview(feeds(catalogue, site), schema_fields(json_schema(catalogue, site)), len(published(catalogue)))
