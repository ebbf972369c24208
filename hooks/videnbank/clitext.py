"""The ``videnbank`` command in Danish: click's usage line, headings, help option and its own
messages (a wrong option, a missing argument), for contributors who read Danish.

Importing this module switches click's messages to Danish (click's gettext hook); commands and
groups made with ``DanishCommand`` and ``DanishGroup`` get the Danish help page.
"""

from __future__ import annotations

from typing import Any, ClassVar

import click
import click.core
import click.exceptions
import click.parser
import click.types


class _DanishFormatter(click.HelpFormatter):
    _HEADINGS: ClassVar[dict[str, str]] = {
        "Options": "Valgmuligheder", "Commands": "Kommandoer", "Arguments": "Argumenter",
    }

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Brug: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(self._HEADINGS.get(heading, heading))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        # No option shows click's "[default: …]"; each help text says its default in Danish.
        # This is the safety net for one that forgets.
        rows = [(term, text.replace("[default: ", "[standard: ").replace("[required]", "[skal angives]"))
                for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


# click writes its own messages (a wrong option, a missing argument) through gettext; these are
# the ones a contributor can meet, in Danish. Anything not listed stays as click wrote it.
_CLICK_DANISH: dict[str, str] = {
    "Error: {message}": "Fejl: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' for at få hjælp.",
    "No such option {name!r}.": "Valget {name!r} findes ikke.",
    "No such command {name!r}.": "Kommandoen {name!r} findes ikke.",
    "Missing argument": "Mangler argumentet",
    "Missing option": "Mangler valget",
    "Missing parameter": "Mangler",
    "Missing command.": "Skriv en kommando.",
    "Invalid value for {param_hint}: {message}": "Ugyldig værdi for {param_hint}: {message}",
    "Invalid value: {message}": "Ugyldig værdi: {message}",
    "Option {name!r} requires an argument.": "Valget {name!r} skal have en værdi.",
    "Option {name!r} does not take a value.": "Valget {name!r} tager ingen værdi.",
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldigt tal.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} findes ikke.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil, ikke en mappe.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} er en mappe, ikke en fil.",
    "file": "Filen", "directory": "Mappen", "path": "Stien",
    "Aborted!": "Afbrudt.",
    "Did you mean {possibility}?": "Mente du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Mente du en af: {possibilities}?)",
    "{value!r} is not {choice}.": "{value!r} er ikke {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} er ikke en af {choices}.",
    "Got unexpected extra argument ({args})": "Fik et argument for meget ({args})",
    "Got unexpected extra arguments ({args})": "Fik argumenter for meget ({args})",
}


def _danish_gettext(message: str) -> str:
    return _CLICK_DANISH.get(message, message)


def _danish_ngettext(one: str, many: str, n: int) -> str:
    return _danish_gettext(one if n == 1 else many)


def _speak_danish() -> None:
    for module in (click.core, click.exceptions, click.parser, click.types):
        if hasattr(module, "_"):
            setattr(module, "_", _danish_gettext)  # noqa: B010 - click's gettext hook, replaced on purpose
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", _danish_ngettext)  # noqa: B010


_speak_danish()


class _DanishContext(click.Context):
    formatter_class = _DanishFormatter


class _Danish:
    """Danish usage line, headings and help option for a click command or group."""

    context_class: type[click.Context] = _DanishContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option: click.Option | None = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Vis denne hjælp og stop."
        return option


class DanishCommand(_Danish, click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VALG]")
        super().__init__(*args, **kwargs)


class DanishGroup(_Danish, click.Group):
    command_class = DanishCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VALG]")
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENTER]...")
        super().__init__(*args, **kwargs)
