"""The ``videnbank`` command in Danish: click's usage line, headings, help option and its own
messages (a wrong option, a missing argument), for contributors who read Danish.

Importing this module switches click's messages to Danish (click's gettext hook); commands and
groups made with ``DanishCommand`` and ``DanishGroup`` get the Danish help page.
"""

from __future__ import annotations

from typing import Any, ClassVar

import click
import click._termui_impl
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.shell_completion
import click.termui
import click.types
import click.utils

_CLICK_MODULES = (click._termui_impl, click.core, click.decorators, click.exceptions, click.formatting,
                  click.parser, click.shell_completion, click.termui, click.types, click.utils)
"""Every click module that writes a message through gettext (``_`` or ``ngettext``)."""


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


# click writes its own messages (a wrong option, a missing argument) through gettext: every one of
# them is here in Danish (a test reads click's source and finds any that is missing), also those
# only a developer defining a command can meet.
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
    "Missing parameter: {param_name}": "Mangler: {param_name}",
    "Missing {param_type}": "Mangler {param_type}",
    "unknown error": "ukendt fejl",
    "Could not open file {filename!r}: {message}": "Kan ikke åbne filen {filename!r}: {message}",
    "Usage:": "Brug:",
    "Options": "Valgmuligheder",
    "Commands": "Kommandoer",
    "Positional arguments": "Argumenter",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljøvariabel: {var}",
    "deprecated": "udgår",
    "(dynamic)": "(skifter)",
    "Show this message and exit.": "Vis denne hjælp og stop.",
    "Show the version and exit.": "Vis versionen og stop.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Confirm the action without prompting.": "Bekræft uden at spørge.",
    "Do you want to continue?": "Vil du fortsætte?",
    "Takes {nargs} values but 1 was given.": "Skal have {nargs} værdier, men fik 1.",
    "Takes {nargs} values but {len} were given.": "Skal have {nargs} værdier, men fik {len}.",
    "Value must be an iterable.": "Værdien skal være en liste.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} skal have {nargs} værdier.",
    "Option {name!r} requires {nargs} arguments.": "Valget {name!r} skal have {nargs} værdier.",
    "Invalid start character for option ({option})": "Ugyldigt første tegn i valget ({option})",
    "{len_type} values are required, but {len_value} was given.":
        "{len_type} værdier skal angives, men der blev givet {len_value}.",
    "{len_type} values are required, but {len_value} were given.":
        "{len_type} værdier skal angives, men der blev givet {len_value}.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan ikke køres.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan ikke læses.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan ikke skrives.",
    "{value!r} does not match the format {format}.": "{value!r} passer ikke til formen {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} passer ikke til nogen af formerne {formats}.",
    "{value!r} is not a valid UUID.": "{value!r} er ikke et gyldigt UUID.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} er hverken ja eller nej. Brug en af: {states}",
    "{value} is not in the range {range}.": "{value} ligger ikke i intervallet {range}.",
    "Choice({choices})": "Valg({choices})",
    "Choose from:\n\t{choices}": "Vælg en af:\n\t{choices}",
    "Error: The two entered values do not match.": "Fejl: De to værdier er ikke ens.",
    "Error: invalid input": "Fejl: ugyldigt svar",
    "Press any key to continue...": "Tryk på en tast for at fortsætte ...",
    "Repeat for confirmation": "Gentag for at bekræfte",
    "Unknown color {colour!r}": "Ukendt farve {colour!r}",
    "Unknown standard stream '{name}'": "Ukendt standardstrøm '{name}'",
    "{editor}: Editing failed": "{editor}: Redigeringen mislykkedes",
    "{editor}: Editing failed: {e}": "{editor}: Redigeringen mislykkedes: {e}",
    "Windows error: {error}": "Windows-fejl: {error}",
    "Couldn't detect Bash version, shell completion is not supported.":
        "Kan ikke se Bash-versionen; fuldførelse i skallen virker ikke.",
    "Shell completion is not supported for Bash versions older than 4.4.":
        "Fuldførelse i skallen kræver Bash 4.4 eller nyere.",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Advarsel: Kommandoen {name!r} udgår.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Advarsel: {param_type} {name!r} udgår.{extra_message}",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.":
        "Et argument skal have netop ét navn, men fik {length}: {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.":
        "Ja/nej-valget {decl!r} kan ikke bruge det samme flag til ja og nej.",
    "Could not determine name for option with declarations {decls!r}": "Valget {decls!r} har intet navn",
    "Name '{name}' defined twice": "Navnet '{name}' er defineret to gange",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?": "Der er ikke defineret nogen valg, men der blev givet et navn ({name}). "
    "Skulle det være et argument, eller '--{name}'?",
    "d": "d",
}


def _danish_gettext(message: str) -> str:
    return _CLICK_DANISH.get(message, message)


def _danish_ngettext(one: str, many: str, n: int) -> str:
    return _danish_gettext(one if n == 1 else many)


def _speak_danish() -> None:
    for module in _CLICK_MODULES:
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
