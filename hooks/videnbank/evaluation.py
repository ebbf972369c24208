"""The yearly evaluation, computed from the visible stories.

A story counts in the year it began (the start of its ``periode``) or, without a period, in the
year it was added to the bank (its ``dato``); the success criteria count what happened in their
years, by the story's ``periode``. Actors count when they are organisations (``type``), never
groups of people such as "borgere"; a cross-sector body adds no sector. The numbers say what the
bank holds; they are input to the council's own evaluation, not a verdict. ``COUNTING`` says so
in Danish for the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .council import Council, Criterion
from .derive import period_text
from .load import Entry
from .model import (
    FINISHED,
    INITIATED,
    NOT_INVOLVED,
    ORGANISATION,
    STATUSES,
    SUPPORTED,
    Principle,
    Story,
    story_sectors,
)
from .words import plural

StoryEntry = Entry[Story]

COUNTING: tuple[str, ...] = (
    "En historie tælles i det år, den begyndte (starten af dens periode). Har historien ingen periode, "
    "tælles den i det år, den kom i videnbanken.",
    "Aktører tæller kun, når de er organisationer, fx en forening, en virksomhed eller en kommune. "
    "Grupper af personer som »borgere« eller »deltagere« tæller ikke som aktører. En aktør er ny det år, "
    "den første gang optræder i en historie.",
    "Sektorer tæller efter aktørernes sektor. Et råd eller et andet organ med medlemmer fra flere sektorer "
    "tæller ikke som en sektor for sig.",
    "Succeskriterierne tæller historier efter deres periode: et kriterium for et år tæller de historier, "
    "der foregik det år.",
)
"""How the page counts, one paragraph each, in Danish for readers."""

# Bars are drawn in percent of the chart's width, so the chart fits any screen while its text
# keeps its size; the rest of the width holds the value after the longest bar.
BAR_SPAN_PERCENT = 85.0
ROW_HEIGHT = 40
BAR_HEIGHT = 14


@dataclass(frozen=True)
class YearStats:
    year: int
    added: int
    """Stories counted in this year (see ``story_year``); the name is kept for the templates."""
    initiated: int
    supported: int
    sectors2: int
    sectors3: int
    actors: int
    """Different organisations among the year's actors (groups of people are not counted)."""
    new_actors: tuple[str, ...]
    """Organisations that appear for the first time this year."""
    principle_counts: tuple[int, ...]
    """Stories per principle, in the order of the principles."""
    fewest: tuple[str, ...]
    """Names of the principles with fewest stories this year; empty when the year has no story."""
    fewest_count: int
    focus: int


@dataclass(frozen=True)
class PrincipleRow:
    number: int
    name: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class CriterionResult:
    text: str
    shows: str
    limits: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    label_y: int
    bar_y: int
    width_percent: float
    value_x_percent: float
    value_y: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    label_header: str
    value_header: str
    bars: tuple[Bar, ...]
    height: int
    bar_height: int


@dataclass(frozen=True)
class Evaluation:
    total: int
    years: tuple[YearStats, ...]
    principle_rows: tuple[PrincipleRow, ...]
    fewest_overall: tuple[str, ...]
    focus_group: str | None
    criteria_years: str | None
    criteria: tuple[CriterionResult, ...]
    charts: tuple[Chart, ...]
    counting: tuple[str, ...] = COUNTING


def bar_chart(
    key: str, title: str, description: str, label_header: str, value_header: str,
    data: Sequence[tuple[str, int]],
) -> Chart:
    """Horizontal bars, one row each: the label on a line above its bar, the value after it."""
    top = max((v for _, v in data), default=0)
    bars = []
    for i, (label, value) in enumerate(data):
        y = i * ROW_HEIGHT
        width = round(BAR_SPAN_PERCENT * value / top, 1) if top else 0.0
        bars.append(Bar(label, value, y + 14, y + 20, width, round(width + 1, 1), y + 20 + BAR_HEIGHT - 2))
    listing = "; ".join(f"{label}: {value}" for label, value in data)
    return Chart(
        key, title, f"{description} {listing}." if data else description,
        label_header, value_header, tuple(bars), max(len(data), 1) * ROW_HEIGHT + 6, BAR_HEIGHT,
    )


def _actor_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _sector_count(story: Story) -> int:
    return len(story_sectors(story))


def story_year(story: Story) -> int:
    """The year a story counts in: the start of its period, else the year it was added to the bank."""
    return int(story.period.start[:4]) if story.period else story.added.year


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def evaluate(
    stories: Sequence[StoryEntry],
    principles: Sequence[Entry[Principle]],
    methods: Mapping[str, str],
    council: Council | None = None,
) -> Evaluation:
    """The evaluation of ``stories`` (the visible ones), year by year, oldest first."""
    by_year: dict[int, list[StoryEntry]] = {}
    for story in stories:
        by_year.setdefault(story_year(story.meta), []).append(story)
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    focus = council.focus_group if council else None
    seen: set[str] = set()
    stats: list[YearStats] = []
    for year in years:
        entries = sorted(by_year.get(year, []), key=lambda s: (s.meta.added, s.slug))
        stats.append(_year(year, entries, principles, focus, seen))
    rows_list = []
    for i, p in enumerate(principles):
        counts = tuple(s.principle_counts[i] for s in stats)
        rows_list.append(PrincipleRow(p.meta.number, p.meta.name, counts, sum(counts)))
    rows = tuple(rows_list)
    fewest_overall: tuple[str, ...] = ()
    if rows and stories:
        low = min(r.total for r in rows)
        fewest_overall = tuple(r.name for r in rows if r.total == low)
    success = council.success if council else None
    criteria: tuple[CriterionResult, ...] = ()
    span: str | None = None
    if success:
        span = _span(success.first_year, success.last_year)
        span_years = range(success.first_year, success.last_year + 1)
        window = [s for s in stories if any(_active_in(s.meta, y) for y in span_years)]
        criteria = tuple(
            _criterion(c, window, span_years, span, methods)
            for c in success.criteria
        )
    return Evaluation(
        total=len(stories),
        years=tuple(stats),
        principle_rows=rows,
        fewest_overall=fewest_overall,
        focus_group=focus,
        criteria_years=span,
        criteria=criteria,
        charts=_charts(tuple(stats), rows, focus),
    )


def _year(
    year: int, entries: list[StoryEntry], principles: Sequence[Entry[Principle]], focus: str | None, seen: set[str]
) -> YearStats:
    names: dict[str, str] = {}
    for story in entries:
        for actor in story.meta.actors:
            if actor.kind != ORGANISATION:
                continue
            names.setdefault(_actor_key(actor.name), " ".join(actor.name.split()))
    new = tuple(name for key, name in names.items() if key not in seen)
    seen.update(names)
    counts = tuple(sum(1 for s in entries if any(r.slug == p.slug for r in s.meta.principles)) for p in principles)
    low = min(counts, default=0)
    fewest = tuple(p.meta.name for p, c in zip(principles, counts, strict=True) if c == low) if entries else ()
    focus_key = _label_key(focus) if focus else None
    return YearStats(
        year=year,
        added=len(entries),
        initiated=sum(1 for s in entries if s.meta.council_role == INITIATED),
        supported=sum(1 for s in entries if s.meta.council_role == SUPPORTED),
        sectors2=sum(1 for s in entries if _sector_count(s.meta) >= 2),
        sectors3=sum(1 for s in entries if _sector_count(s.meta) >= 3),
        actors=len(names),
        new_actors=new,
        principle_counts=counts,
        fewest=fewest,
        fewest_count=low if entries else 0,
        focus=sum(1 for s in entries if focus_key in {_label_key(t) for t in s.meta.target_groups}),
    )


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _active_in(story: Story, year: int) -> bool:
    """Did the story's activity go on in ``year``? Success criteria are about what happened when,
    not about when a story reached the bank. A story without a period counts in no year; one
    finished without an end date counts in its start year; one still going, from its start on."""
    if story.period is None:
        return False
    start = int(story.period.start[:4])
    if story.period.end:
        return start <= year <= int(story.period.end[:4])
    return year == start if story.status == FINISHED else start <= year


def _per_year(
    window: Sequence[StoryEntry], years: range, match: Callable[[Story], bool], what: str,
    extra: Callable[[list[StoryEntry]], str] | None = None,
) -> str:
    parts = []
    for year in years:
        found = [s for s in window if _active_in(s.meta, year) and match(s.meta)]
        if not found:
            parts.append(f"{year}: ingen historier {what}.")
        else:
            count = plural(len(found), "historie", "historier")
            parts.append(f"{year}: {count} {what}{extra(found) if extra else ''}.")
    return " ".join(parts)


def _evaluated(found: list[StoryEntry]) -> str:
    done = sum(1 for s in found if s.meta.results is not None and s.meta.results.evaluated)
    return f"; {done} af dem har evaluerede resultater" if done else "; ingen af dem har evaluerede resultater"


def _criterion(
    criterion: Criterion, window: Sequence[StoryEntry], years: range, span: str, methods: Mapping[str, str]
) -> CriterionResult:
    if criterion.measure == "raadets-initiativer":
        shows = _per_year(
            window, years, lambda s: s.council_role == INITIATED, "om initiativer, rådet har igangsat", _evaluated
        )
    elif criterion.measure == "samarbejder":
        shows = _per_year(
            window, years, lambda s: s.council_role != NOT_INVOLVED and _sector_count(s) >= 2,
            "om samarbejder mellem aktører fra mindst 2 sektorer, som rådet har igangsat eller støttet",
        )
    elif criterion.measure == "metode" and criterion.method is not None:
        name = methods.get(criterion.method, criterion.method)
        found = [s for s in window if criterion.method in s.meta.methods]
        if not found:
            shows = f"Videnbanken har ingen historier om metoden {name} med en periode i {span}."
        else:
            listed = "; ".join(
                f"»{s.meta.title}« (tilføjet {s.meta.added.year}, periode: {period_text(s.meta)}, "
                f"status: {STATUSES[s.meta.status].lower()})"
                for s in sorted(found, key=lambda s: (s.meta.added, s.slug))
            )
            count = plural(len(found), "historie", "historier")
            shows = f"{count} om metoden {name} med en periode i {span}: {listed}."
    else:
        shows = "Videnbanken har ingen tal for dette kriterium."
    return CriterionResult(criterion.text, shows, criterion.limits)


def _charts(stats: tuple[YearStats, ...], rows: tuple[PrincipleRow, ...], focus: str | None) -> tuple[Chart, ...]:
    charts = [
        bar_chart(
            "vb-chart-added", "Historier pr. år",
            "Vandrette søjler, én pr. år, med antallet af historier, der begyndte det år (eller kom i "
            "videnbanken det år, når de ingen periode har).",
            "År", "Historier", [(str(s.year), s.added) for s in stats],
        ),
        bar_chart(
            "vb-chart-council", "Initiativer, rådet har igangsat eller støttet, pr. år",
            "Vandrette søjler, to pr. år: historier om initiativer, rådet har igangsat, og historier om "
            "initiativer, rådet har støttet.",
            "År og rådets rolle", "Historier",
            [row for s in stats for row in ((f"{s.year}: igangsat af rådet", s.initiated),
                                           (f"{s.year}: støttet af rådet", s.supported))],
        ),
        bar_chart(
            "vb-chart-sectors", "Historier med aktører fra flere sektorer, pr. år",
            "Vandrette søjler, to pr. år: historier med aktører fra mindst 2 og fra mindst 3 sektorer.",
            "År og antal sektorer", "Historier",
            [row for s in stats for row in ((f"{s.year}: mindst 2 sektorer", s.sectors2),
                                           (f"{s.year}: mindst 3 sektorer", s.sectors3))],
        ),
        bar_chart(
            "vb-chart-actors", "Aktører pr. år",
            "Vandrette søjler, to pr. år: forskellige organisationer blandt aktørerne i årets historier, og "
            "hvor mange af dem der optræder for første gang. Grupper af personer tæller ikke med.",
            "År", "Aktører",
            [row for s in stats for row in ((f"{s.year}: forskellige aktører", s.actors),
                                           (f"{s.year}: nye aktører", len(s.new_actors)))],
        ),
        bar_chart(
            "vb-chart-principles", "Historier pr. princip, alle år",
            "Vandrette søjler, én pr. princip, med antallet af historier, der viser princippet.",
            "Princip", "Historier", [(f"{r.number}. {r.name}", r.total) for r in rows],
        ),
    ]
    if focus:
        charts.append(bar_chart(
            "vb-chart-focus", f"Historier for målgruppen »{focus}« pr. år",
            "Vandrette søjler, én pr. år, med antallet af historier, hvis målgrupper omfatter fokusmålgruppen.",
            "År", "Historier", [(str(s.year), s.focus) for s in stats],
        ))
    return tuple(charts)
