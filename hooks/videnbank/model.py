"""The content model: what a story, a principle and a method are.

The pydantic models are the single schema: they drive the checker, the JSON Schema for
editors and the contributor guide's field table. Field names are English in code and
Danish in the files (the alias).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .limits import MAX_SLUG_CHARS, MIN_YEAR
from .problems import choose_from
from .safety import MAX_IMAGE_BYTES
from .slugs import slugify as slugify  # re-exported: vocabulary values and file names use it

# The closed vocabularies' values, by name: code compares with these names, never with the words.
PUBLIC_SECTOR = "offentlig"
BUSINESS = "erhverv"
CIVIL_SOCIETY = "civilsamfund"
CITIZENS = "borgere"
EDUCATION_AND_RESEARCH = "uddannelse-og-forskning"
CROSS_SECTOR = "tvaersektoriel"
"""A body whose members come from several sectors (a co-creation council): no single sector.
It is never counted as one more sector, and a council's composition rules cannot name it."""
ORGANISATION = "organisation"
GROUP = "gruppe"
IDEA = "ide"
ONGOING = "igang"
FINISHED = "afsluttet"
DRAFT = "kladde"
IN_REVIEW = "til-gennemsyn"
PUBLISHED = "udgivet"
INITIATED = "igangsat"
SUPPORTED = "stoettet"
NOT_INVOLVED = "ingen"

SECTORS: dict[str, str] = {
    PUBLIC_SECTOR: "Offentlig sektor",
    BUSINESS: "Erhvervsliv",
    CIVIL_SOCIETY: "Civilsamfund",
    CITIZENS: "Borgere",
    EDUCATION_AND_RESEARCH: "Uddannelse og forskning",
    CROSS_SECTOR: "På tværs af sektorer",
}
ACTOR_KINDS: dict[str, str] = {
    ORGANISATION: "Organisation",
    GROUP: "Gruppe af personer",
}
"""A named organisation, or a group of people such as "borgere" or "deltagere"."""
STATUSES: dict[str, str] = {IDEA: "Idé", ONGOING: "I gang", FINISHED: "Afsluttet"}
PUBLICATION: dict[str, str] = {
    DRAFT: "Kladde",
    IN_REVIEW: "Til gennemsyn",
    PUBLISHED: "Udgivet",
}
# The stories not published yet, as ``videnbank tjek`` lists them: in this order, under these headings.
WAITING: dict[str, str] = {IN_REVIEW: PUBLICATION[IN_REVIEW], DRAFT: "Kladder"}
COUNCIL_ROLES: dict[str, str] = {
    INITIATED: "Igangsat af rådet",
    SUPPORTED: "Støttet af rådet",
    NOT_INVOLVED: "Ikke involveret",
}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARTIAL_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def file_slug(title: str) -> str:
    """A story's file name from its title, cut at a word to the slug limit (every file system takes it)."""
    slug = slugify(title)
    if len(slug) <= MAX_SLUG_CHARS:
        return slug
    cut = slug[:MAX_SLUG_CHARS + 1]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_SLUG_CHARS]).strip("-")


def _vocab_value(value: Any) -> Any:
    return slugify(value) if isinstance(value, str) else value


def _yes_no(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in {"ja", "nej"}:
        return value.strip().lower() == "ja"
    return value


def _clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _one_line(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _partial_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not PARTIAL_DATE_RE.match(text):
        raise _error(
            f"'{text}' er ikke en gyldig dato",
            "skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD, fx 2019 eller 2019-05",
        )
    parts = [int(p) for p in text.split("-")]
    if parts[0] < MIN_YEAR:
        raise _error(f"'{text}' ligger før {MIN_YEAR}", f"skriv et år fra {MIN_YEAR} og frem")
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise _error(f"'{text}' er ikke en dato, der findes", "tjek måned (01–12) og dag") from None
    return text


def _added(value: dt.date) -> dt.date:
    """The date a story was added: not before ``MIN_YEAR`` and not in the future (a day of slack,
    so a date written in Denmark just after midnight passes a check run on UTC time)."""
    if value.year < MIN_YEAR:
        raise _error(f"'{value.isoformat()}' ligger før {MIN_YEAR}", "skriv datoen, historien kom i videnbanken")
    if value > dt.date.today() + dt.timedelta(days=1):
        raise _error(
            f"'{value.isoformat()}' ligger i fremtiden",
            "skriv datoen, historien kom i videnbanken: i dag eller tidligere, som ÅÅÅÅ-MM-DD",
        )
    return value


def _error(what: str, fix: str) -> PydanticCustomError:
    return PydanticCustomError("videnbank", "{what} — {fix}", {"what": what, "fix": fix})


def _in_vocabulary(kind: str) -> Any:
    """An after-validator checking a slug against a vocabulary passed in the context."""

    def check(value: str, info: ValidationInfo) -> str:
        known: dict[str, str] = (info.context or {}).get(kind, {})
        if value not in known:
            # The vocabulary is the bank's own set: the fix points to the closest existing ones,
            # never to adding a principle or a method.
            if kind == "principles":
                raise _error(f"ukendt princip '{value}'", choose_from(value, known)
                             + "; vælg det af bankens principper, der passer bedst")
            raise _error(f"ukendt metode '{value}'", choose_from(value, known)
                         + "; passer ingen af dem, så fjern metoden")
        return value

    return AfterValidator(check)


def _web_address(value: Any) -> Any:
    """A link field: a whole address that starts with https:// (the guide asks for it; a reader's
    browser and the link checker get an encrypted connection). http:// and bare host names are
    refused with the fix. Spaces, quotes and control characters in an address are safety.py's rule."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    lowered = text.lower()
    if lowered.startswith("https://") and len(text) > len("https://"):
        return text
    if lowered.startswith("http://"):
        raise _error(
            f"{_quoted(text)} starter med http://, som ikke er krypteret",
            f"skriv adressen med https:// foran, fx {_quoted('https://' + text[len('http://'):])}; "
            "virker den ikke med https://, så udelad linket",
        )
    if not text:
        raise _error("adressen er tom", "skriv hele adressen, der starter med https://, eller fjern feltet")
    if ":" in text.split("/", 1)[0] or lowered.startswith("https://"):
        raise _error(f"{_quoted(text)} er ikke en webadresse", "skriv hele adressen, der starter med https://")
    raise _error(
        f"{_quoted(text)} mangler https:// foran",
        f"skriv hele adressen, der starter med https://, fx {_quoted('https://' + text.lstrip('/'))}",
    )


def _quoted(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


WEB_PATTERN = r"^https://\S+$"
"""The JSON Schema pattern of a link field (for editors and the writing page); the check is _web_address."""
WebAddress = Annotated[
    str, BeforeValidator(_web_address), Field(json_schema_extra={"pattern": WEB_PATTERN, "format": "uri"})
]


Text = Annotated[str, BeforeValidator(_clean_text), Field(min_length=1)]
Label = Annotated[str, BeforeValidator(_one_line), Field(min_length=1, max_length=80)]
PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    Field(pattern=PARTIAL_DATE_RE.pattern, json_schema_extra={"examples": ["2019", "2019-05"]}),
]


def _closed(vocabulary: dict[str, str]) -> Any:
    """A normalising check against a fixed vocabulary, shown as an enum in the JSON Schema."""

    def check(raw: Any) -> Any:
        value = _vocab_value(raw)
        if isinstance(value, str) and value not in vocabulary:
            raise _error(f"ukendt værdi '{raw}'", choose_from(value, vocabulary))
        return value

    return (BeforeValidator(check), Field(json_schema_extra={"enum": list(vocabulary)}))


Sector = Annotated[str, *_closed(SECTORS)]
Status = Annotated[str, *_closed(STATUSES)]
Publication = Annotated[str, *_closed(PUBLICATION)]
CouncilRole = Annotated[str, *_closed(COUNCIL_ROLES)]
ActorKind = Annotated[str, *_closed(ACTOR_KINDS)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
PrincipleSlug = Annotated[str, BeforeValidator(_vocab_value), _in_vocabulary("principles")]
MethodSlug = Annotated[str, BeforeValidator(_vocab_value), _in_vocabulary("methods")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class PrincipleRef(_Model):
    slug: PrincipleSlug = Field(alias="princip", description="Principets kortnavn (filnavnet i principles/).")
    how: Text | None = Field(None, alias="hvordan", description="Én sætning om, hvordan historien viser princippet.")


def _principle_ref(value: Any) -> Any:
    return {"princip": value} if isinstance(value, str) else value


class Actor(_Model):
    name: Text = Field(alias="navn", description="Organisationens eller gruppens navn.")
    sector: Sector = Field(
        alias="sektor",
        description="Hvilken sektor aktøren hører til. Et råd eller et andet organ med medlemmer fra flere "
        "sektorer er tvaersektoriel.",
    )
    kind: ActorKind = Field(
        ORGANISATION,
        alias="type",
        description="organisation (en navngiven organisation, fx en forening eller en kommune) eller gruppe "
        "(en gruppe af personer, fx borgere, deltagere eller frivillige). Uden feltet: organisation.",
    )


def year_between(low: int, high: int) -> Callable[[Any], Any]:
    """The check of a year field: a whole number (also written as text) from ``low`` to ``high``."""

    def check(raw: Any) -> Any:
        if isinstance(raw, str) and raw.strip().isdigit():
            return int(raw)
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise _error(f"'{raw}' er ikke et årstal", "skriv året med fire cifre, fx 2019")
        return raw

    return check


Year = Annotated[int, BeforeValidator(year_between(1000, 2999))]


class Reference(_Model):
    """A source a text is told from: a document, a web page, a report."""

    title: Text = Field(alias="titel", description="Kildens titel.")
    publisher: Text = Field(alias="udgiver", description="Hvem der har udgivet kilden, fx en kommune eller et råd.")
    year: Year | None = Field(None, alias="år", description="Året, kilden er fra. Udelad, hvis kilden ikke er dateret.")
    link: WebAddress | None = Field(
        None, description="Kildens adresse på nettet, der starter med https://. Udelad, hvis den ikke er online."
    )

    def __str__(self) -> str:
        """The reference as one line of Danish text: »Titel«, Udgiver, år."""
        return f"»{self.title}«, {self.publisher}" + (f", {self.year}" if self.year else "")


class Period(_Model):
    start: PartialDate = Field(description="Hvornår det begyndte: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.")
    end: PartialDate | None = Field(
        None, alias="slut", description="Hvornår det sluttede. Udelad, hvis det stadig er i gang."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        # Compared at the precision both have: 2020 to 2020-05 is fine, 2019-12 to 2020-01-05 is not.
        common = min(len(self.start), len(self.end or ""))
        if self.end is not None and self.end[:common] < self.start[:common]:
            raise _error(
                f"perioden slutter ({self.end}) før den starter ({self.start})",
                "byt om på start og slut, eller ret årstallet",
            )
        return self


class Results(_Model):
    text: Text = Field(
        alias="tekst",
        description="Det vigtigste resultat i én linje. Gentag ikke afsnittet 'Det kom der ud af' ord for ord.",
    )
    evaluated: YesNo = Field(False, alias="evalueret", description="Er resultaterne evalueret? ja/nej.")


def _matching(pattern: str) -> Any:
    """A pattern the checker holds and the JSON Schema shows: pydantic leaves the pattern of a field
    with a before-validator (``Text``) out of the schema, so it is given to the schema as well."""
    return Field(pattern=pattern, json_schema_extra={"pattern": pattern})


class Contact(_Model):
    organisation: Text = Field(description="Organisationen, man kan kontakte. Aldrig en privatpersons oplysninger.")
    email: Annotated[Text, _matching(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")] | None = Field(
        None, description="Organisationens fælles e-mailadresse."
    )
    phone: Text | None = Field(None, alias="telefon", description="Organisationens hovednummer.")
    web: WebAddress | None = Field(
        None, description="Organisationens hjemmeside, der starter med https://."
    )


class Link(_Model):
    title: Text = Field(alias="titel", description="Linkets tekst.")
    url: WebAddress = Field(description="Adressen, der starter med https://.")


class Image(_Model):
    file: Text = Field(
        alias="fil",
        description="Billedfilen (JPEG, PNG, WebP, GIF eller AVIF, højst "
        f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB), relativt til historiens fil, fx billeder/moede.jpg.",
    )
    alt: Text = Field(description="Alternativ tekst: hvad billedet viser, for dem der ikke kan se det.")
    credit: Text = Field(alias="kredit", description="Fotograf eller ophavsret.")


class Story(_Model):
    """The front matter of a story in stories/<slug>.md."""

    title: Annotated[Text, Field(max_length=150)] = Field(alias="titel", description="Historiens titel.")
    summary: Annotated[Text, Field(max_length=400)] = Field(
        alias="sammendrag", description="Et kort sammendrag på én til to sætninger (højst 400 tegn)."
    )
    added: Annotated[dt.date, AfterValidator(_added)] = Field(
        alias="dato", description="Datoen, historien kom i videnbanken (ÅÅÅÅ-MM-DD)."
    )
    publication: Publication = Field(
        alias="publicering",
        description="kladde, til-gennemsyn eller udgivet. Kun udgivne historier kommer på sitet.",
    )
    principles: Annotated[list[Annotated[PrincipleRef, BeforeValidator(_principle_ref)]], Field(min_length=1)] = Field(
        alias="principper", description="Principperne, historien viser: kortnavn, evt. med 'hvordan'."
    )
    actors: Annotated[list[Actor], Field(min_length=1)] = Field(
        alias="aktører", description="Dem, der samskabte: navn og sektor for hver."
    )
    methods: list[MethodSlug] = Field(
        default_factory=list, alias="metoder", description="Metoder, der blev brugt (kortnavne fra methods/)."
    )
    target_groups: list[Label] = Field(default_factory=list, alias="målgrupper", description="Hvem indsatsen er for.")
    themes: list[Label] = Field(default_factory=list, alias="temaer", description="Emner, historien handler om.")
    municipality: Text | None = Field(
        None, alias="kommune", description="Kommunen, hvor det foregik. Udelad, hvis kilden ikke siger det."
    )
    place: Text | None = Field(None, alias="sted", description="By, bydel eller sted.")
    period: Period | None = Field(
        None, alias="periode", description="Start og evt. slut. Udelad, hvis kilden ikke siger det."
    )
    status: Status = Field(description="ide, igang eller afsluttet.")
    results: Results | None = Field(
        None, alias="resultater", description="Hvad der kom ud af det, og om det er evalueret."
    )
    contact: Contact = Field(alias="kontakt", description="Kontakt: en organisation, ikke en privatperson.")
    sources: list[Reference] = Field(
        default_factory=list,
        alias="kilder",
        description="Kilderne, historien bygger på: titel, udgiver og evt. år og link for hver. "
        "Skriver I om jeres eget projekt, er I selv kilden.",
    )
    links: list[Link] = Field(default_factory=list, description="Links til mere viden.")
    images: list[Image] = Field(default_factory=list, alias="billeder", description="Billeder med alt-tekst og kredit.")
    council_role: CouncilRole = Field(
        NOT_INVOLVED,
        alias="rådets_rolle",
        description="Har rådet igangsat eller støttet det? igangsat, stoettet eller ingen.",
    )
    consent: YesNo = Field(
        False,
        alias="samtykke",
        description="ja, når alle navngivne eller afbildede privatpersoner har givet samtykke. "
        "Skal være ja, hvis historien har billeder.",
    )


class Principle(_Model):
    """The front matter of a principle in principles/<slug>.md."""

    number: Annotated[int, Field(ge=1)] = Field(alias="nummer", description="Principets nummer i rækken.")
    name: Text = Field(alias="navn", description="Principets navn.")
    short_name: Text | None = Field(
        None, alias="kort_titel", max_length=24,
        description="Et kort navn (højst 24 tegn) til tabellers kolonner, fx 'Lokal velfærd'. Uden det bruges navnet.",
    )
    statement: Text = Field(alias="kort", description="Principet i én sætning.")
    questions: list[Text] = Field(default_factory=list, alias="spørgsmål", description="Refleksionsspørgsmål.")
    source: Text | None = Field(None, alias="kilde", description="Hvor principet kommer fra.")
    questions_source: Text | None = Field(
        None, alias="spørgsmål_kilde", description="Hvor refleksionsspørgsmålene kommer fra, hvis ikke fra 'kilde'."
    )


class Method(_Model):
    """The front matter of a method in methods/<slug>.md."""

    name: Text = Field(alias="navn", description="Metodens navn.")
    statement: Text = Field(alias="kort", description="Metoden i én sætning.")
    source: Text | None = Field(
        None, alias="kilde", description="Hvor metoden er beskrevet, hvis beskrivelsen bygger på en bestemt kilde."
    )


def story_sectors(story: Story) -> set[str]:
    """The sectors a story's actors come from; a cross-sector body adds none (it is no one sector)."""
    return {a.sector for a in story.actors if a.sector != CROSS_SECTOR}
