"""The yearly evaluation, computed from the visible stories in one pass.

A story counts in every year it happened, by its ``periode`` (``derive.story_years``: start to end;
still going, up to the year of the build; finished without an end, its start year). A story without
a period counts under "år ikke oplyst", never in the year its file was added to the bank; how many
stories came into the bank each year is a figure of its own. Every number on the page, the success
criteria included, is read from the one table of ``YearStats`` made here, so no two can disagree.

Actors count when they are organisations (``type``), never groups of people such as "borgere"; a
cross-sector body adds no sector. The numbers say what the bank holds; they are input to the
council's own evaluation, not a verdict. ``counting`` says all this in Danish for the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .council import Council, Criterion
from .derive import period_text, story_years
from .load import Entry
from .model import INITIATED, NOT_INVOLVED, ORGANISATION, STATUSES, SUPPORTED, Principle, Story, story_sectors
from .words import plural

StoryEntry = Entry[Story]

UNKNOWN_YEAR = "År ikke oplyst"
"""The row label of the stories without a period."""


def counting(this_year: int) -> tuple[str, ...]:
    """How the page counts, one paragraph each, in Danish for readers."""
    return (
        "En historie tælles i hvert af de år, den stod på ifølge sin periode: fra starten til slutningen. "
        f"Er den stadig i gang (status »I gang« og ingen slutdato), tælles den til og med i år ({this_year}); "
        "er den afsluttet uden slutdato, tælles den kun i startåret. En historie, der strakte sig over flere år, "
        "tælles i hvert af dem, så tallene for de enkelte år kan ikke lægges sammen; »I alt« tæller hver "
        "historie én gang.",
        f"En historie uden periode tælles under »{UNKNOWN_YEAR.lower()}« – aldrig i det år, den kom i "
        "videnbanken. Hvornår historierne kom i videnbanken, står som et tal for sig.",
        "Aktører tæller kun, når de er organisationer, fx en forening, en virksomhed eller en kommune. "
        "Grupper af personer som »borgere« eller »deltagere« tæller ikke som aktører. En aktør er ny det år, "
        "den første gang optræder i en historie.",
        "Sektorer tæller efter aktørernes sektor. Et råd eller et andet organ med medlemmer fra flere sektorer "
        "tæller ikke som en sektor for sig.",
        "Succeskriterierne bruger de samme tal: et kriterium for et år tæller de historier, der stod på det år.",
    )


# Bars are drawn in percent of the chart's width, so the chart fits any screen while its text
# keeps its size; the rest of the width holds the value after the longest bar.
BAR_SPAN_PERCENT = 85.0
ROW_HEIGHT = 40
BAR_HEIGHT = 14


@dataclass(frozen=True)
class YearStats:
    """The stories of one year (``year``), or of those without a period (``year`` is None)."""

    label: str
    year: int | None
    stories: int
    """Stories that happened (at least partly) this year."""
    initiated: int
    initiated_evaluated: int
    """Of ``initiated``: stories whose results are evaluated."""
    supported: int
    sectors2: int
    sectors3: int
    council_sectors2: int
    """Stories the council initiated or supported with actors from at least 2 sectors."""
    actors: int
    """Different organisations among the year's actors (groups of people are not counted)."""
    new_actors: tuple[str, ...]
    """Organisations that appear for the first time this year (for the row without a period: in no
    dated story at all)."""
    principle_counts: tuple[int, ...]
    """Stories per principle, in the order of the principles."""
    focus: int


@dataclass(frozen=True)
class PrincipleColumn:
    number: int
    name: str
    total: int
    """Stories that show the principle, each counted once."""


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
    note: str = ""
    """One line naming the years the chart leaves out because they have nothing to show."""


@dataclass(frozen=True)
class Evaluation:
    total: int
    years: tuple[YearStats, ...]
    """The years with stories, oldest first, then the row of stories without a period if any."""
    empty_years: str
    """The years between the first and the last with no story, as text ("2020–2021"), or ""."""
    added: tuple[tuple[int, int], ...]
    """(year, stories added to the bank that year): when the bank learnt of them, not when they happened."""
    principles: tuple[PrincipleColumn, ...]
    without_stories: tuple[str, ...]
    """Principles no story shows yet."""
    no_new_actors: str
    """The rows with no new actor, as text ("2017–2026 og år ikke oplyst"), or ""."""
    focus_group: str | None
    criteria_years: str | None
    criteria: tuple[CriterionResult, ...]
    charts: tuple[Chart, ...]
    counting: tuple[str, ...]
    this_year: int


def bar_chart(
    key: str, title: str, description: str, label_header: str, value_header: str,
    data: Sequence[tuple[str, int]], note: str = "",
) -> Chart:
    """Horizontal bars, one row each: the label on a line above its bar, the value after it."""
    top = max((v for _, v in data), default=0)
    bars = []
    for i, (label, value) in enumerate(data):
        y = i * ROW_HEIGHT
        width = round(BAR_SPAN_PERCENT * value / top, 1) if top else 0.0
        bars.append(Bar(label, value, y + 14, y + 20, width, round(width + 1, 1), y + 20 + BAR_HEIGHT - 2))
    listing = "; ".join(f"{label}: {value}" for label, value in data)
    text = f"{description} {listing}." if data else description
    return Chart(
        key, title, f"{text} {note}" if note else text,
        label_header, value_header, tuple(bars), max(len(data), 1) * ROW_HEIGHT + 6, BAR_HEIGHT, note,
    )


def year_ranges(years: Sequence[int]) -> str:
    """[2016, 2017, 2018, 2021] -> '2016–2018 og 2021'."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def _sector_count(story: Story) -> int:
    return len(story_sectors(story))


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


class _Facts(NamedTuple):
    """What the evaluation reads of one story, worked out once however many years it counts in."""

    role: str
    evaluated: bool
    sectors: int
    principles: frozenset[str]
    focus: bool
    organisations: tuple[tuple[str, str], ...]
    """(key, name) of each actor that is an organisation, in the story's order."""


def _facts(story: Story, focus_key: str | None) -> _Facts:
    return _Facts(
        role=story.council_role,
        evaluated=story.results is not None and story.results.evaluated,
        sectors=_sector_count(story),
        principles=frozenset(r.slug for r in story.principles),
        focus=focus_key is not None and focus_key in {_label_key(t) for t in story.target_groups},
        organisations=tuple(_organisation(a.name) for a in story.actors if a.kind == ORGANISATION),
    )


def _organisation(name: str) -> tuple[str, str]:
    shown = " ".join(name.split())
    return shown.casefold(), shown


def evaluate(
    stories: Sequence[StoryEntry],
    principles: Sequence[Entry[Principle]],
    methods: Mapping[str, str],
    council: Council | None = None,
    *,
    this_year: int,
) -> Evaluation:
    """The evaluation of ``stories`` (the visible ones), year by year, oldest first.

    ``this_year`` is the year the site is built: a story still going counts up to it."""
    years_of = {id(s): story_years(s.meta, this_year) for s in stories}
    focus = council.focus_group if council else None
    focus_key = _label_key(focus) if focus else None
    by_year: dict[int, list[_Facts]] = {}
    undated: list[_Facts] = []
    every: list[_Facts] = []
    for story in sorted(stories, key=lambda s: (s.meta.added, s.slug)):
        facts = _facts(story.meta, focus_key)
        every.append(facts)
        for year in years_of[id(story)]:
            by_year.setdefault(year, []).append(facts)
        if not years_of[id(story)]:
            undated.append(facts)
    seen: set[str] = set()
    stats = [_year(str(y), y, by_year[y], principles, seen) for y in sorted(by_year)]
    if undated:
        stats.append(_year(UNKNOWN_YEAR, None, undated, principles, seen))
    dated = sorted(by_year)
    empty = [y for y in range(dated[0], dated[-1] + 1) if y not in by_year] if dated else []
    shown = _principle_counts([f.principles for f in every])
    columns = tuple(PrincipleColumn(p.meta.number, p.meta.name, shown.get(p.slug, 0)) for p in principles)
    added: dict[int, int] = {}
    for story in stories:
        added[story.meta.added.year] = added.get(story.meta.added.year, 0) + 1
    success = council.success if council else None
    criteria: tuple[CriterionResult, ...] = ()
    span: str | None = None
    if success:
        span = year_ranges([success.first_year, success.last_year])
        span_years = range(success.first_year, success.last_year + 1)
        per_year = {s.year: s for s in stats if s.year is not None}
        window = [s for s in stories if any(y in span_years for y in years_of[id(s)])]
        criteria = tuple(_criterion(c, per_year, window, span_years, span, methods) for c in success.criteria)
    result_stats = tuple(stats)
    return Evaluation(
        total=len(stories),
        years=result_stats,
        empty_years=year_ranges(empty),
        added=tuple(sorted(added.items())),
        principles=columns,
        without_stories=tuple(c.name for c in columns if c.total == 0) if stories else (),
        no_new_actors=_rows_text([s for s in result_stats if not s.new_actors]),
        focus_group=focus,
        criteria_years=span,
        criteria=criteria,
        charts=_charts(result_stats, columns, focus, tuple(sorted(added.items()))),
        counting=counting(this_year),
        this_year=this_year,
    )


def _principle_counts(story_principles: Sequence[frozenset[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for slugs in story_principles:
        for slug in slugs:
            counts[slug] = counts.get(slug, 0) + 1
    return counts


def _year(
    label: str, year: int | None, entries: list[_Facts], principles: Sequence[Entry[Principle]], seen: set[str],
) -> YearStats:
    """One row; ``entries`` in the order the stories came into the bank, which orders the new actors."""
    names: dict[str, str] = {}
    initiated = evaluated = supported = sectors2 = sectors3 = council_sectors2 = focus = 0
    for facts in entries:
        for key, name in facts.organisations:
            names.setdefault(key, name)
        if facts.role == INITIATED:
            initiated += 1
            evaluated += facts.evaluated
        supported += facts.role == SUPPORTED
        sectors2 += facts.sectors >= 2
        sectors3 += facts.sectors >= 3
        council_sectors2 += facts.role != NOT_INVOLVED and facts.sectors >= 2
        focus += facts.focus
    new = tuple(name for key, name in names.items() if key not in seen)
    seen.update(names)
    shown = _principle_counts([f.principles for f in entries])
    return YearStats(
        label=label,
        year=year,
        stories=len(entries),
        initiated=initiated,
        initiated_evaluated=evaluated,
        supported=supported,
        sectors2=sectors2,
        sectors3=sectors3,
        council_sectors2=council_sectors2,
        actors=len(names),
        new_actors=new,
        principle_counts=tuple(shown.get(p.slug, 0) for p in principles),
        focus=focus,
    )


def _per_year(per_year: Mapping[int, YearStats], years: range, count: str, what: str, evaluated: bool = False) -> str:
    parts = []
    for year in years:
        stats = per_year.get(year)
        found = getattr(stats, count) if stats else 0
        if not found:
            parts.append(f"{year}: ingen historier {what}.")
            continue
        extra = ""
        if evaluated and stats:
            done = stats.initiated_evaluated
            extra = f"; {done} af dem har evaluerede resultater" if done else "; ingen af dem har evaluerede resultater"
        parts.append(f"{year}: {plural(found, 'historie', 'historier')} {what}{extra}.")
    return " ".join(parts)


def _criterion(
    criterion: Criterion, per_year: Mapping[int, YearStats], window: Sequence[StoryEntry], years: range, span: str,
    methods: Mapping[str, str],
) -> CriterionResult:
    if criterion.measure == "raadets-initiativer":
        shows = _per_year(per_year, years, "initiated", "om initiativer, rådet har igangsat", evaluated=True)
    elif criterion.measure == "samarbejder":
        shows = _per_year(
            per_year, years, "council_sectors2",
            "om samarbejder mellem aktører fra mindst 2 sektorer, som rådet har igangsat eller støttet",
        )
    elif criterion.measure == "metode" and criterion.method is not None:
        name = methods.get(criterion.method, criterion.method)
        found = [s for s in window if criterion.method in s.meta.methods]
        if not found:
            shows = f"Videnbanken har ingen historier om metoden {name} med en periode i {span}."
        else:
            listed = "; ".join(
                f"»{s.meta.title}« (periode: {period_text(s.meta)}, status: {STATUSES[s.meta.status].lower()})"
                for s in sorted(found, key=lambda s: (s.meta.period.start if s.meta.period else "", s.slug))
            )
            count = plural(len(found), "historie", "historier")
            shows = f"{count} om metoden {name} med en periode i {span}: {listed}."
    else:
        shows = "Videnbanken har ingen tal for dette kriterium."
    return CriterionResult(criterion.text, shows, criterion.limits)


def _grouped(
    stats: Sequence[YearStats], rows: Sequence[tuple[Callable[[YearStats], int], str]], what: str,
) -> tuple[list[tuple[str, int]], str]:
    """Bars for each year that has something to show (``rows``: value, label after the year); and
    one line naming the years left out because all their values are 0."""
    data: list[tuple[str, int]] = []
    left_out: list[YearStats] = []
    for s in stats:
        values = [(f"{s.label}: {suffix}" if suffix else s.label, value(s)) for value, suffix in rows]
        if any(v for _, v in values):
            data.extend(values)
        else:
            left_out.append(s)
    named = _rows_text(left_out)
    return data, (f"Ingen {what} i {named}." if named and data else "")


def _rows_text(rows: Sequence[YearStats]) -> str:
    """The rows' years as ranges, then the row without a period: '2017–2019 og år ikke oplyst'."""
    named = [year_ranges([s.year for s in rows if s.year is not None])]
    if any(s.year is None for s in rows):
        named.append(UNKNOWN_YEAR.lower())
    return " og ".join(n for n in named if n)


def _charts(
    stats: tuple[YearStats, ...], columns: tuple[PrincipleColumn, ...], focus: str | None,
    added: tuple[tuple[int, int], ...],
) -> tuple[Chart, ...]:
    council = _grouped(stats, ((lambda s: s.initiated, "igangsat af rådet"),
                               (lambda s: s.supported, "støttet af rådet")), "sådanne historier")
    sectors = _grouped(stats, ((lambda s: s.sectors2, "mindst 2 sektorer"),
                               (lambda s: s.sectors3, "mindst 3 sektorer")), "sådanne historier")
    actors = _grouped(stats, ((lambda s: s.actors, "forskellige aktører"),
                              (lambda s: len(s.new_actors), "nye aktører")), "aktører")
    charts = [
        bar_chart(
            "vb-chart-years", "Historier pr. år",
            "Vandrette søjler, én pr. år, med antallet af historier, der stod på det år, og én for historier "
            "uden periode.",
            "År", "Historier", [(s.label, s.stories) for s in stats],
        ),
        bar_chart(
            "vb-chart-council", "Initiativer, rådet har igangsat eller støttet, pr. år",
            "Vandrette søjler, to pr. år: historier om initiativer, rådet har igangsat, og historier om "
            "initiativer, rådet har støttet.",
            "År og rådets rolle", "Historier", *council,
        ),
        bar_chart(
            "vb-chart-sectors", "Historier med aktører fra flere sektorer, pr. år",
            "Vandrette søjler, to pr. år: historier med aktører fra mindst 2 og fra mindst 3 sektorer.",
            "År og antal sektorer", "Historier", *sectors,
        ),
        bar_chart(
            "vb-chart-actors", "Aktører pr. år",
            "Vandrette søjler, to pr. år: forskellige organisationer blandt aktørerne i årets historier, og "
            "hvor mange af dem der optræder for første gang. Grupper af personer tæller ikke med.",
            "År", "Aktører", *actors,
        ),
        bar_chart(
            "vb-chart-principles", "Historier pr. princip, alle år",
            "Vandrette søjler, én pr. princip, med antallet af historier, der viser princippet.",
            "Princip", "Historier", [(f"{c.number}. {c.name}", c.total) for c in columns],
        ),
    ]
    if focus:
        charts.append(bar_chart(
            "vb-chart-focus", f"Historier for målgruppen »{focus}« pr. år",
            "Vandrette søjler, én pr. år, med antallet af historier, hvis målgrupper omfatter fokusmålgruppen.",
            "År", "Historier", *_grouped(stats, ((lambda s: s.focus, ""),), "historier for målgruppen"),
        ))
    charts.append(bar_chart(
        "vb-chart-added", "Historier, der kom i videnbanken, pr. år",
        "Vandrette søjler, én pr. år, med antallet af historier, der blev lagt i videnbanken det år – "
        "ikke det år, de skete.",
        "År, historien kom i videnbanken", "Historier", [(str(y), n) for y, n in added],
    ))
    return tuple(charts)
