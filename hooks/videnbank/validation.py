"""pydantic's validation errors as Danish problems: what is wrong and how to fix it.

Every error type pydantic can report is mapped here; none of pydantic's English messages
(``err["msg"]``) ever reaches a contributor. A type not listed gets a Danish sentence that
names the field and points to the guide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .problems import did_you_mean
from .source import Loc, Source, field_path

# Families of pydantic_core's error types (pydantic_core.core_schema.ErrorType).
_TEXT = {"string_type", "str_type", "string_unicode", "string_not_ascii", "bytes_type", "bytes_invalid_encoding"}
_LIST = {"list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type", "iteration_error",
         "deque_type", "set_item_not_hashable"}
_YES_NO = {"bool_type", "bool_parsing"}
_WHOLE = {"int_type", "int_parsing", "int_parsing_size", "int_from_float"}
_NUMBER = {"float_type", "float_parsing", "finite_number", "decimal_type", "decimal_parsing",
           "decimal_max_digits", "decimal_max_places", "decimal_whole_digits", "complex_type",
           "complex_str_parsing", "fraction_type", "fraction_parsing", "multiple_of"}
_FIELDS = {"model_type", "dict_type", "model_attributes_type", "mapping_type", "dataclass_type",
           "dataclass_exact_type", "frozen_dict_type", "ordered_dict_type", "counter_type", "named_tuple_type",
           "arguments_type"}
_CHOICE = {"enum", "literal_error", "union_tag_invalid", "union_tag_not_found", "is_instance_of",
           "is_subclass_of"}
_WEB = {"url_type", "url_parsing", "url_syntax_violation", "url_too_long", "url_scheme"}
_TOO_DEEP = {"recursion_loop", "recursion_depth_exceeded"}


def translate(src: Source, err: Mapping[str, Any], aliases: Iterable[str] = ()) -> None:
    """Add the Danish problem for one pydantic error to ``src``."""
    loc: Loc = tuple(err["loc"])
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    name = field_path(loc) or "front matter"
    last = str(loc[-1]) if loc else ""
    shown = shown_value(raw_value(src.data, loc, value))

    def problem(what: str, fix: str, at: Loc = loc) -> None:
        src.problem(at, name, what, fix)

    if kind == "videnbank":
        problem(ctx["what"], ctx["fix"])
    elif kind in {"missing", "missing_argument", "missing_keyword_only_argument",
                  "missing_positional_only_argument"}:
        problem("feltet mangler", f"tilføj '{last}:' med en værdi", loc[:-1])
    elif kind in {"extra_forbidden", "unexpected_keyword_argument", "unexpected_positional_argument",
                  "no_such_attribute"}:
        hint = did_you_mean(last, aliases)
        problem(f"ukendt felt '{last}'", hint + " ellers fjern feltet" if hint else "fjern feltet eller ret stavningen")
    elif kind in _TEXT:
        problem(f"skal være tekst, ikke {shown}",
                "skriv en tekst; sæt den i anførselstegn, hvis den ligner et tal, en dato eller ja/nej")
    elif kind in _LIST:
        problem(f"skal være en liste, ikke {shown}", "skriv hvert punkt på sin egen linje med '- ' foran")
    elif kind in _YES_NO:
        problem(f"skal være ja eller nej, ikke {shown}", "skriv ja eller nej")
    elif kind.startswith(("date", "datetime", "time")) or kind.startswith("timezone"):
        problem(f"{shown} er ikke en gyldig dato", "skriv datoen som ÅÅÅÅ-MM-DD, fx 2024-03-01")
    elif kind in _WHOLE:
        problem(f"skal være et helt tal, ikke {shown}", "skriv et tal, fx 3")
    elif kind in _NUMBER:
        problem(f"skal være et tal, ikke {shown}", "skriv et tal, fx 3")
    elif kind == "string_too_short" or (kind == "too_short" and isinstance(value, str)):
        problem("må ikke være tom", "skriv en tekst efter kolon, eller fjern feltet, hvis det kan udelades")
    elif kind in {"too_short", "bytes_too_short"}:
        least = ctx.get("min_length", 1)
        what = "skal have mindst ét punkt" if least == 1 else f"skal have mindst {least} punkter"
        problem(what, "tilføj et punkt på en ny linje med '- ' foran")
    elif kind in {"string_too_long", "too_long", "bytes_too_long"} and isinstance(value, str):
        problem(f"er for lang ({len(value)} tegn, højst {ctx.get('max_length')})", "forkort teksten")
    elif kind in {"too_long", "bytes_too_long"}:
        problem(f"har for mange punkter (højst {ctx.get('max_length')})", "fjern nogle af punkterne")
    elif kind == "string_pattern_mismatch" and last == "email":
        problem(f"{shown} er ikke en e-mailadresse", "skriv organisationens adresse, fx kontakt@forening.dk")
    elif kind == "string_pattern_mismatch" or kind in _WEB:
        problem(f"{shown} har ikke den form, feltet skal have",
                f"se i vejledningen, hvordan '{last or name}' skrives, og ret værdien")
    elif kind in _FIELDS:
        problem(f"skal være felter med navn og værdi, ikke {shown}",
                "skriv felterne indrykket på linjerne under, fx '  navn: ...'")
    elif kind == "greater_than_equal":
        problem(f"skal være mindst {ctx.get('ge')}, ikke {shown}", f"skriv et tal fra {ctx.get('ge')} og op")
    elif kind == "greater_than":
        problem(f"skal være større end {ctx.get('gt')}, ikke {shown}", f"skriv et tal over {ctx.get('gt')}")
    elif kind == "less_than_equal":
        problem(f"må højst være {ctx.get('le')}, ikke {shown}", f"skriv et tal til og med {ctx.get('le')}")
    elif kind == "less_than":
        problem(f"skal være mindre end {ctx.get('lt')}, ikke {shown}", f"skriv et tal under {ctx.get('lt')}")
    elif kind in _CHOICE:
        expected = ctx.get("expected")
        problem(f"ukendt værdi {shown}",
                f"brug en af: {expected}" if expected else "vælg en af værdierne i vejledningen")
    elif kind == "none_required":
        problem(f"skal være tom, ikke {shown}", "fjern værdien")
    elif kind in _TOO_DEEP:
        problem("værdien er lagt for mange gange i sig selv", "skriv felterne enkelt, som vist i vejledningen")
    elif kind in {"invalid_key", "json_invalid", "json_type"}:
        problem("feltnavnene kan ikke læses", "skriv hvert felt som 'navn: værdi' på sin egen linje")
    else:
        problem(f"ugyldig værdi {shown}", f"ret værdien, så den passer til vejledningen for feltet '{last or name}'")


def raw_value(data: Any, loc: Loc, fallback: Any) -> Any:
    """The value as written in the file (before normalising), if ``loc`` reaches it."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return fallback
    return data


def shown_value(value: Any) -> str:
    """A value as a Danish reader of the file knows it: text in quotes, ja/nej, a date as written."""
    if value is None:
        text = "en tom værdi"
    elif isinstance(value, bool):
        text = "ja" if value else "nej"
    elif isinstance(value, dict):
        text = "en samling felter"
    elif isinstance(value, list | tuple):
        text = "en liste"
    elif isinstance(value, dt.date | dt.datetime | dt.time):
        text = value.isoformat()
    elif isinstance(value, int | float):
        text = str(value).replace(".", ",")
    else:
        text = repr(str(value))
    return text if len(text) <= 60 else text[:57] + "..."
