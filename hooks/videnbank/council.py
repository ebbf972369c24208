"""The council: its members and the commission's rules, kept as data in council.yml.

The page about the council and the check of its composition both come from this one file.
A bank without council.yml simply has no council.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from . import safety
from .load import _translate
from .model import (
    CROSS_SECTOR,
    SECTORS,
    Label,
    MethodSlug,
    PartialDate,
    Reference,
    Sector,
    Text,
    WebAddress,
    _error,
    _vocab_value,
    year_between,
)
from .problems import Problem, choose_from, did_you_mean
from .source import Loc, Source, field_path, load_yaml, map_lines, read_text
from .words import plural

COUNCIL_FILE = "council.yml"

MEASURES: dict[str, str] = {
    "raadets-initiativer": "Historier om initiativer, rådet har igangsat",
    "samarbejder": "Historier om samarbejder på tværs af sektorer, som rådet har igangsat eller støttet",
    "metode": "Historier, der har brugt en bestemt metode",
    "ingen": "Videnbanken kan ikke måle det",
}



def _measure(raw: Any) -> Any:
    value = _vocab_value(raw)
    if isinstance(value, str) and value not in MEASURES:
        raise _error(f"ukendt måling '{raw}'", choose_from(value, MEASURES))
    return value


Measure = Annotated[str, BeforeValidator(_measure)]
Year = Annotated[int, BeforeValidator(year_between(1900, 2100))]
Count = Annotated[int, Field(ge=0)]


SINGLE_SECTORS = {slug: label for slug, label in SECTORS.items() if slug != CROSS_SECTOR}
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def danish_date(value: str) -> str:
    """ÅÅÅÅ, ÅÅÅÅ-MM or ÅÅÅÅ-MM-DD in Danish words: '2019', 'marts 2019', '12. marts 2019'."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])}. {month} {parts[0]}"


def _sector_keys(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    out: dict[Any, Any] = {}
    for key, count in value.items():
        slug = _vocab_value(key)
        if slug == CROSS_SECTOR:
            raise _error(
                f"'{key}' er ikke én sektor, så den kan ikke have et mindste antal medlemmer",
                "fjern linjen; et mindste antal gælder kun én af: " + ", ".join(SINGLE_SECTORS),
            )
        if slug not in SECTORS:
            raise _error(f"ukendt sektor '{key}'", choose_from(slug, SINGLE_SECTORS))
        out[slug] = count
    return out


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Rules(_Model):
    """The commission's rules for the council's composition and work."""

    members_min: Annotated[int, Field(ge=1)] = Field(alias="medlemmer_min", description="Mindste antal medlemmer.")
    members_max: Annotated[int, Field(ge=1)] = Field(alias="medlemmer_maks", description="Største antal medlemmer.")
    sector_min: Annotated[dict[str, Count], BeforeValidator(_sector_keys)] = Field(
        default_factory=dict, alias="mindst_pr_sektor",
        description="Mindste antal medlemmer pr. sektor, fx 'offentlig: 3'.",
    )
    meetings_min: Count | None = Field(None, alias="møder_min", description="Mindste antal møder om året.")
    meetings_max: Count | None = Field(None, alias="møder_maks", description="Største antal møder om året.")
    period_years: Annotated[int, Field(ge=1)] | None = Field(
        None, alias="periode_år", description="Hvor mange år en periode varer. Udelad, hvis reglerne ikke sætter en."
    )
    source: Text | None = Field(None, alias="kilde", description="Hvor reglerne står.")

    @model_validator(mode="after")
    def _ranges(self) -> Self:
        if self.members_min > self.members_max:
            raise _error(
                f"medlemmer_min ({self.members_min}) er større end medlemmer_maks ({self.members_max})",
                "byt om på de to tal",
            )
        if self.meetings_min is not None and self.meetings_max is not None and self.meetings_min > self.meetings_max:
            raise _error(
                f"møder_min ({self.meetings_min}) er større end møder_maks ({self.meetings_max})",
                "byt om på de to tal",
            )
        return self


class Texts(_Model):
    """The council's vision, target group, tasks and ways of working, in our own words."""

    vision: Text = Field(description="Rådets vision med egne ord.")
    target_group: Text | None = Field(None, alias="målgruppe", description="Hvem rådet arbejder for.")
    tasks: list[Text] = Field(default_factory=list, alias="opgaver", description="Rådets opgaver, én pr. punkt.")
    ways: list[Text] = Field(
        default_factory=list, alias="arbejdsform", description="Sådan arbejder rådet, én pr. punkt."
    )


class Secretariat(_Model):
    organisation: Text = Field(description="Den organisation, der står for sekretariatet.")
    text: Text = Field(alias="tekst", description="Hvordan man kommer i kontakt med sekretariatet.")
    email: Text | None = Field(None, description="Sekretariatets fælles e-mailadresse, hvis den er offentlig.")
    phone: Text | None = Field(None, alias="telefon", description="Sekretariatets hovednummer, hvis det er offentligt.")
    web: WebAddress | None = Field(
        None, description="Sekretariatets hjemmeside, der starter med https://."
    )


class Member(_Model):
    name: Text = Field(alias="navn", description="Medlemmets navn.")
    role: Text = Field(alias="rolle", description="Medlemmets rolle, som kilden skriver den.")
    organisation: Text = Field(description="Den organisation, medlemmet kommer fra.")
    sector: Sector = Field(alias="sektor", description="Den sektor, medlemmet repræsenterer.")
    since: Year | None = Field(
        None, alias="siden", description="Året, medlemmet trådte ind. Udelad, hvis det ikke er kendt."
    )


class Criterion(_Model):
    text: Text = Field(alias="tekst", description="Succeskriteriet med egne ord.")
    measure: Measure = Field(alias="måling", description="Hvad videnbanken kan tælle: " + ", ".join(MEASURES) + ".")
    method: MethodSlug | None = Field(None, alias="metode", description="Metodens kortnavn, når måling er 'metode'.")
    limits: Text = Field(alias="kan_ikke_vise", description="Hvad videnbankens data ikke kan vise om kriteriet.")

    @model_validator(mode="after")
    def _method_given(self) -> Self:
        if self.measure == "metode" and self.method is None:
            raise _error(
                "måling 'metode' kræver feltet 'metode'", "tilføj 'metode:' med metodens kortnavn fra methods/"
            )
        if self.measure != "metode" and self.method is not None:
            raise _error(
                f"feltet 'metode' bruges kun med måling 'metode', ikke '{self.measure}'", "fjern feltet 'metode'"
            )
        return self


class SuccessCriteria(_Model):
    first_year: Year = Field(alias="fra", description="Det første år, kriterierne gælder for.")
    last_year: Year = Field(alias="til", description="Det sidste år, kriterierne gælder for.")
    criteria: Annotated[list[Criterion], Field(min_length=1)] = Field(alias="kriterier", description="Kriterierne.")

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.first_year > self.last_year:
            raise _error(f"fra ({self.first_year}) er senere end til ({self.last_year})", "byt om på de to år")
        return self


class Council(_Model):
    """The data in council.yml."""

    name: Text = Field(alias="navn", description="Rådets navn.")
    municipality: Text | None = Field(None, alias="kommune", description="Kommunen, rådet hører til.")
    rules: Rules = Field(alias="regler", description="Kommissoriets regler for rådet.")
    texts: Texts = Field(alias="tekster", description="Vision, målgruppe, opgaver og arbejdsform.")
    secretariat: Secretariat = Field(alias="sekretariat", description="Hvordan man når sekretariatet.")
    members_as_of: PartialDate | None = Field(
        None, alias="medlemmer_pr",
        description="Datoen, medlemslisten gælder pr.: kildens dato (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD). "
        "Udelad, hvis kilden ikke er dateret.",
    )
    members_source: Reference | None = Field(
        None, alias="medlemmer_kilde",
        description="Hvor medlemslisten kommer fra: titel, udgiver og evt. år og link.",
    )
    members_note: Text | None = Field(None, alias="medlemmer_note", description="En bemærkning til medlemslisten.")
    members: list[Member] = Field(alias="medlemmer", description="Rådets medlemmer.")
    focus_group: Label | None = Field(
        None, alias="fokusmålgruppe",
        description="Målgruppen, evalueringen tæller særskilt (skrevet som i historiernes målgrupper).",
    )
    success: SuccessCriteria | None = Field(None, alias="succeskriterier", description="Kommissoriets succeskriterier.")

    @property
    def members_as_of_text(self) -> str | None:
        """'pr. 12. marts 2019' when the list has a date, else None."""
        return f"pr. {danish_date(self.members_as_of)}" if self.members_as_of else None

    def composition(self) -> list[tuple[str, int, int | None]]:
        """(sector label, members, minimum by the rules) for each sector with members or a minimum.

        Members from a cross-sector body get their own row with no minimum: they count towards the
        council's size, never towards one sector's minimum."""
        counts = Counter(m.sector for m in self.members)
        return [
            (label, counts[slug], self.rules.sector_min.get(slug))
            for slug, label in SECTORS.items()
            if counts[slug] or slug in self.rules.sector_min
        ]

    def by_sector(self) -> list[tuple[str, str, list[Member]]]:
        """(sector slug, sector label, members) in the order of the sector vocabulary."""
        return [
            (slug, label, [m for m in self.members if m.sector == slug])
            for slug, label in SECTORS.items()
            if any(m.sector == slug for m in self.members)
        ]


_COUNCIL_MODELS: tuple[type[BaseModel], ...] = (
    Council, Rules, Texts, Secretariat, Member, Criterion, SuccessCriteria, Reference,
)
_ALIASES = sorted({f.alias or name for m in _COUNCIL_MODELS for name, f in m.model_fields.items()})


def load_council(
    root: Path, methods: Mapping[str, str], *, check_markup: bool = True
) -> tuple[Council | None, list[Problem]]:
    """Read ``root/council.yml``: (council, problems). No file: (None, [])."""
    file = root / COUNCIL_FILE
    if not file.is_file():
        return None, []
    src = Source(COUNCIL_FILE)
    text = read_text(src, file)
    if text is None or not _parse(src, text):
        return None, src.problems
    if check_markup:
        safety.check_front_matter_markup(src)
    if src.problems:
        return None, src.problems
    try:
        council = Council.model_validate(src.data, context={"methods": dict(methods)})
    except ValidationError as e:
        for err in e.errors():
            _report(src, err)
        return None, src.problems
    return (council, []) if not src.problems else (None, src.problems)


def _parse(src: Source, text: str) -> bool:
    parsed = load_yaml(src, text, 1, "fil")
    if parsed is None:
        return False
    node, data = parsed
    if not isinstance(data, dict) or node is None:
        src.problem(
            (), "fil", "filen skal bestå af felter med navn og værdi",
            "skriv ét felt pr. linje, fx 'navn: Rådet for samskabelse'",
        )
        return False
    src.data = data
    map_lines(src, node)
    return not src.problems


def _report(src: Source, err: Mapping[str, Any]) -> None:
    loc: Loc = tuple(err["loc"])
    if err["type"] == "extra_forbidden" and loc:
        last = str(loc[-1])
        hint = did_you_mean(last, _ALIASES)
        fix = hint + " ellers fjern feltet" if hint else "fjern feltet eller ret stavningen"
        src.problem(loc, field_path(loc), f"ukendt felt '{last}'", fix)
    else:
        _translate(src, err)


def composition_notices(council: Council, year: int | None = None) -> list[str]:
    """The council's composition held against its rules, as plain Danish sentences.

    ``year`` is the year membership is counted up to (this year if not given).
    """
    rules = council.rules
    notices: list[str] = []
    count = len(council.members)
    wanted = (
        f"{rules.members_min}" if rules.members_min == rules.members_max
        else f"{rules.members_min}–{rules.members_max}"
    )
    if not rules.members_min <= count <= rules.members_max:
        notices.append(f"Rådet har {plural(count, 'medlem', 'medlemmer')}; reglerne siger {wanted} medlemmer.")
    per_sector = Counter(m.sector for m in council.members)
    for slug, label in SECTORS.items():
        minimum = rules.sector_min.get(slug)
        if minimum is not None and per_sector[slug] < minimum:
            members = plural(per_sector[slug], "medlem", "medlemmer")
            notices.append(f"{label} har {members} i rådet; reglerne siger mindst {minimum}.")
    if rules.period_years is not None:
        now = year if year is not None else dt.date.today().year
        for member in council.members:
            if member.since is not None and now - member.since > rules.period_years:
                notices.append(
                    f"{member.name} har været medlem siden {member.since} ({now - member.since} år); "
                    f"reglerne sætter en periode til {rules.period_years} år."
                )
    return notices
