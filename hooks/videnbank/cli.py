"""The ``videnbank`` command: start, check and preview a story, and keep generated files current.

No MkDocs import at module level: only ``vis`` needs MkDocs, and it imports it when it runs.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import logging
import os
import re
import socket
import ssl
import sys
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import click

from . import issueform, schema
from .cache import Checked, check_bank
from .load import TODO, load_bank, todo_lines
from .model import file_slug
from .preview import foreign_host, own_hosts
from .problems import Problem

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

# Read by hooks/mkdocs_hooks.py: build only these story files, drafts included.
ONLY_ENV = "VIDENBANK_KUN"
WAITING = {"til-gennemsyn": "Til gennemsyn", "kladde": "Kladder"}


# --- Danish help ------------------------------------------------------------------------------


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
    import click.core
    import click.exceptions
    import click.parser
    import click.types

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


class _DanishCommand(_Danish, click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VALG]")
        super().__init__(*args, **kwargs)


class _DanishGroup(_Danish, click.Group):
    command_class = _DanishCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VALG]")
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENTER]...")
        super().__init__(*args, **kwargs)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _find_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "principles").is_dir():
            return folder
    return None


def _root(ctx: click.Context) -> Path:
    root: Path | None = ctx.obj
    if root is None:
        _fail(
            "Fandt ingen videnbank (en mappe med mkdocs.yml og principles/) her eller i mapperne "
            "over. Gå til videnbankens mappe, eller brug --rod MAPPE."
        )
        raise AssertionError  # unreachable; _fail exits
    return root


def _shown(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@click.group(name="videnbank", cls=_DanishGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--rod", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="MAPPE",
    help="Videnbankens mappe (der hvor mkdocs.yml ligger). Findes selv, hvis den udelades.",
)
@click.pass_context
def main(ctx: click.Context, rod: Path | None) -> None:
    """Videnbankens værktøj: skriv, tjek og se historier, før de bliver udgivet.

    Start med 'videnbank ny "Titel"', udfyld filen, kør 'videnbank tjek' og se resultatet
    med 'videnbank vis stories/<kortnavn>.md'.
    """
    ctx.obj = rod.resolve() if rod else _find_root(Path.cwd().resolve())


# --- ny --------------------------------------------------------------------------------------


@main.command()
@click.argument("titel", required=False)
@click.pass_context
def ny(ctx: click.Context, titel: str | None) -> None:
    """Opret en ny historie med titlen TITEL.

    Skriver stories/<kortnavn>.md med dagens dato, alle felter og en forklaring til hvert felt.
    Historien starter som kladde. En eksisterende fil bliver aldrig overskrevet.
    """
    root = _root(ctx)
    if not titel or not titel.strip():
        _fail('Skriv historiens titel, fx: videnbank ny "Fælles have i Vestbyen"')
        return
    slug = file_slug(titel)
    if not slug:
        _fail(f"Titlen '{titel}' giver ikke et kortnavn. Brug bogstaver eller tal i titlen.")
    target = root / "stories" / f"{slug}.md"
    shown = _shown(root, target)
    if target.exists():
        _fail(f"{shown} findes allerede. Vælg en anden titel, eller ret i den fil.")
    text = schema.story_template(titel.strip(), dt.date.today(), schema.story_schema(schema.vocabulary(root)))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"Oprettede {shown}.")
    click.echo("Udfyld felterne og afsnittene, og tjek historien med:")
    click.echo(f"  videnbank tjek {shown}")
    click.echo("Se den, som den kommer til at se ud, med:")
    click.echo(f"  videnbank vis {shown}")


# --- tjek ------------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """A GitHub Actions error annotation for ``problem``."""
    return (
        f"::error file={_escape_property(problem.path)},line={problem.line},"
        f"title={_escape_property(problem.field)}::{_escape_data(f'{problem.what} — {problem.fix}')}"
    )


def waiting_for_review(checked: Checked) -> dict[str, list[tuple[str, str]]]:
    """Stories that are not published yet, by state: (path, title)."""
    out: dict[str, list[tuple[str, str]]] = {state: [] for state in WAITING}
    for story in sorted(checked.stories, key=lambda s: s.path):
        if story.publication in out:
            out[story.publication].append((story.path, story.title or ""))
    return out


@main.command()
@click.argument("filer", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def tjek(ctx: click.Context, filer: tuple[Path, ...]) -> None:
    """Tjek historierne og vis alle problemer på én gang.

    Uden FILER tjekkes hele videnbanken. Hvert problem vises som
    'fil:linje: felt: hvad er galt — sådan retter du det'. Afslutter med fejlkode 1, hvis der er
    problemer. Viser også, hvilke historier der venter på gennemsyn.
    """
    root = _root(ctx)
    missing = [f for f in filer if not f.is_file()]
    if missing:
        _fail("Filen findes ikke: " + ", ".join(str(f) for f in missing))
    # Unchanged story files are taken from the cache of checked files (cache.py).
    bank = check_bank(root, only=[f.resolve() for f in filer] if filer else None)
    problems = sorted(bank.problems + ([] if filer else other_problems(root, bank)))
    on_github = bool(os.environ.get("GITHUB_ACTIONS"))
    for problem in problems:
        click.echo(str(problem))
        if on_github:
            click.echo(annotation(problem))
    waiting = waiting_for_review(bank)
    if any(waiting.values()):
        if problems:
            click.echo("")
        for state, stories in waiting.items():
            if stories:
                click.echo(f"{WAITING[state]} ({len(stories)}), udgives ikke endnu:")
                for path, title in stories:
                    todo = _todo_count(root / path) if state == "kladde" else 0
                    left = f" ({_plural(todo, 'sted', 'steder')} med {TODO} mangler)" if todo else ""
                    click.echo(f"  {path} — {title}{left}")
    click.echo("")
    files = f"{bank.files_checked} fil{'er' if bank.files_checked != 1 else ''}"
    if problems:
        word = "problem" if len(problems) == 1 else "problemer"
        click.echo(f"Tjekkede {files}: {len(problems)} {word}. Ret dem, og kør tjek igen.")
        sys.exit(1)
    click.echo(f"Tjekkede {files}: ingen problemer.")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _todo_count(path: Path) -> int:
    try:
        return len(todo_lines(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return 0


def other_problems(root: Path, bank: Checked) -> list[Problem]:
    """The problems of the content files that are not stories: council.yml and the pages in docs/."""
    from .council import load_council
    from .docs import load_docs

    _, council_problems = load_council(root, bank.methods)
    pages = load_docs(root / "docs", root)
    bank.files_checked += sum(1 for f in pages.files if f.src_uri.endswith(".md")) + (root / "council.yml").is_file()
    return council_problems + pages.problems


# --- byg -------------------------------------------------------------------------------------


@main.command()
@click.option("--motor", type=click.Choice(["mkdocs", "properdocs", "zensical"]), default="mkdocs",
              help="Programmet, der bygger sitet (standard: mkdocs).")
@click.option("-d", "mappe", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              metavar="MAPPE", help="Mappen, sitet bygges i (standard: site).")
@click.option("--ikke-streng", is_flag=True, help="Byg, selv om der er advarsler (ikke til udgivelse).")
@click.pass_context
def byg(ctx: click.Context, motor: str, mappe: Path, ikke_streng: bool) -> None:
    """Byg hele videnbanken med MkDocs, ProperDocs eller Zensical.

    Alle tre bygger det samme site ud fra de samme sider: kernen tjekker og laver siderne, og
    motoren sætter dem ind i temaet. Derefter laves søgningen og sikkerhedspolitikken.
    """
    from . import engines

    root = _root(ctx)
    try:
        engines.build(root / "mkdocs.yml", motor, mappe, strict=not ikke_streng, say=click.echo)
    except engines.EngineError as e:
        _fail(str(e))
    click.echo(f"Sitet er bygget med {motor} i {mappe}")


# --- vis -------------------------------------------------------------------------------------


# `./dev serve` holds 8000; the preview takes it when it is free, else the next free one.
PREVIEW_PORT = 8000


def _port_free(address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


def free_port(address: str, wanted: int, tries: int = 20) -> int:
    """``wanted`` if nothing listens there, else the next free port above it, else any free port."""
    for port in range(wanted, wanted + tries):
        if _port_free(address, port):
            return port
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


class _PreviewLog(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.startswith("mkdocs.plugins.videnbank")


def _serve_own_hosts_only(address: str, port: int) -> None:
    """Make ``mkdocs serve`` (used by ``vis``) refuse requests for any other host name."""
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.livereload import LiveReloadServer

    hosts = own_hosts(address, port)

    class OwnHostsOnly(LiveReloadServer):
        def serve_request(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            refused = foreign_host(environ, hosts, start_response)
            if refused is not None:
                return refused
            served: Iterable[bytes] = super().serve_request(environ, start_response)
            return served

    setattr(mkdocs_serve, "LiveReloadServer", OwnHostsOnly)  # noqa: B010 - a module attribute, patched on purpose


@main.command()
@click.argument("fil", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=int, default=None, metavar="PORT",
              help=f"Porten, sitet vises på (standard: {PREVIEW_PORT}; er den optaget, vælges en ledig port).")
@click.option("--adresse", default="127.0.0.1", metavar="ADRESSE",
              help="Adressen, sitet vises på (standard: 127.0.0.1, kun din egen computer).")
@click.pass_context
def vis(ctx: click.Context, fil: Path | None, port: int | None, adresse: str) -> None:
    """Vis historien FIL i browseren, mens du skriver.

    Bygger et lille site med kun den historie (og principper og metoder), også selv om den
    er en kladde. Siden bliver opdateret, hver gang du gemmer. Stop med Ctrl+C.
    """
    root = _root(ctx)
    if fil is None:
        _fail("Skriv, hvilken historie du vil se, fx: videnbank vis stories/min-historie.md")
        return
    if not fil.is_file():
        _fail(f"Filen findes ikke: {fil}")
    path = fil.resolve()
    bank = load_bank(root, only=[path])
    if bank.problems:
        for problem in sorted(bank.problems):
            click.echo(str(problem))
        _fail("Ret problemerne, og prøv igen.")
    if port is None:
        port = free_port(adresse, PREVIEW_PORT)
        if port != PREVIEW_PORT:
            click.echo(f"Port {PREVIEW_PORT} er optaget (kører './dev serve'?), "
                       f"så forhåndsvisningen bruger port {port}.")
    from mkdocs.commands.serve import serve

    _serve_own_hosts_only(adresse, port)
    os.environ[ONLY_ENV] = str(path)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = logging.StreamHandler()
    handler.addFilter(_PreviewLog())
    handler.setFormatter(logging.Formatter("%(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    address = f"{adresse}:{port}"
    story = bank.stories[0]
    click.echo(f"Viser '{story.meta.title}' på http://{address}/ — stop med Ctrl+C.")
    try:
        serve(config_file=str(root / "mkdocs.yml"), dev_addr=address, site_url=f"http://{address}/")
    except OSError as e:
        _fail(f"Kan ikke vise sitet på {address} ({e.strerror}). Prøv en anden port, fx --port {port + 1}.")


# --- generated files ---------------------------------------------------------------------------


def _write_or_print(text: str, ud: Path | None) -> None:
    if ud is None:
        click.echo(text, nl=False)
        return
    ud.parent.mkdir(parents=True, exist_ok=True)
    ud.write_text(text, encoding="utf-8")
    click.echo(f"Skrev {ud}.", err=True)


def _generated(root: Path) -> dict[str, Callable[[], str]]:
    """Every generated file, by its path in the repository."""
    return {
        schema.SCHEMA_PATH: lambda: schema.schema_json(schema.story_schema(schema.vocabulary(root))),
        schema.GUIDE_COPY: lambda: schema.contributing_text(root),
        issueform.FORM_PATH: lambda: issueform.issue_form_yaml(schema.vocabulary(root)),
    }


_UD = click.option("--ud", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FIL",
                   help="Skriv til denne fil i stedet for skærmen.")


@main.command()
@_UD
@click.pass_context
def skema(ctx: click.Context, ud: Path | None) -> None:
    """Skriv JSON Schema for historiens felter (front matter).

    Skemaet kommer fra videnbankens model, med de nuværende principper og metoder som de
    tilladte værdier.
    """
    _write_or_print(_generated(_root(ctx))[schema.SCHEMA_PATH](), ud)


@main.command()
@_UD
@click.pass_context
def guide(ctx: click.Context, ud: Path | None) -> None:
    """Skriv vejledningen til bidragydere (CONTRIBUTING.md) ud fra docs/bidrag.md."""
    _write_or_print(_generated(_root(ctx))[schema.GUIDE_COPY](), ud)


@main.command()
@_UD
@click.pass_context
def formular(ctx: click.Context, ud: Path | None) -> None:
    """Skriv GitHub-formularen 'Indsend en historie'."""
    _write_or_print(_generated(_root(ctx))[issueform.FORM_PATH](), ud)


@main.command()
@click.option("--kontroller", is_flag=True,
              help="Skriv ikke noget; afslut med fejlkode 1, hvis en fil ikke er opdateret.")
@click.pass_context
def generer(ctx: click.Context, kontroller: bool) -> None:
    """Opdatér alle lavede filer: skemaet, CONTRIBUTING.md og issue-formularen.

    Kør den, når du har ændret principper, metoder eller felterne i modellen.
    """
    root = _root(ctx)
    stale = []
    for name, make in _generated(root).items():
        text = make()
        target = root / name
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            continue
        stale.append(name)
        if not kontroller:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            click.echo(f"Opdaterede {name}.")
    if kontroller and stale:
        _fail("Ikke opdateret: " + ", ".join(stale) + ". Kør: videnbank generer")
    if not stale:
        click.echo("Alle lavede filer er opdaterede.")


# --- fra-issue -------------------------------------------------------------------------------


@main.command("fra-issue")
@click.argument("issuefil", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--problemer", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FIL",
              help="Skriv problemerne som Markdown til denne fil (til en kommentar på issuet).")
@click.pass_context
def fra_issue(ctx: click.Context, issuefil: Path, problemer: Path | None) -> None:
    """Lav en historie ud fra et issue, der er udfyldt med formularen 'Indsend en historie'.

    ISSUEFIL er issuets tekst. Historien skrives til stories/<kortnavn>.md med publicering
    til-gennemsyn, og stien skrives ud. Er der problemer, skrives ingen fil, og kommandoen
    afslutter med fejlkode 1.
    """
    root = _root(ctx)
    body = issuefil.read_text(encoding="utf-8")
    submission = issueform.convert(body, schema.vocabulary(root), dt.date.today())
    problems = issueform.check(root, submission)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        if problemer is not None:
            # Posted by the bot: every value from the issue is an inert code span.
            problemer.write_text(issueform.comment(problems), encoding="utf-8")
        sys.exit(1)
    target = root / "stories" / f"{submission.slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(submission.text, encoding="utf-8")
    click.echo(_shown(root, target))


# --- links -----------------------------------------------------------------------------------

_MD_LINK = re.compile(r"\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class LinkResult:
    url: str
    where: tuple[str, ...]
    status: str
    ok: bool


def external_links(root: Path) -> dict[str, list[str]]:
    """Every external address in stories, principles, methods and docs: url -> files."""
    bank = load_bank(root)
    found: dict[str, list[str]] = {}

    def add(url: str, where: str) -> None:
        places = found.setdefault(url, [])
        if where not in places:
            places.append(where)

    for story in bank.stories:
        for link in story.meta.links:
            add(link.url, story.path)
        web = story.meta.contact.web
        if web and web.startswith(("http://", "https://")):
            add(web, story.path)
    entries: list[tuple[str, str]] = [(e.path, e.body) for e in bank.stories]
    entries += [(e.path, e.body) for e in bank.principles]
    entries += [(e.path, e.body) for e in bank.methods]
    for path, text in entries:
        for url in _body_links(text):
            add(url, path)
    docs = root / "docs"
    for page in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        for url in _body_links(page.read_text(encoding="utf-8")):
            add(url, _shown(root, page))
    return found


def _body_links(text: str) -> Iterable[str]:
    for match in _MD_LINK.finditer(text):
        yield match.group(1) or match.group(2)


_REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
_USER_AGENT = "videnbank-linktjek/1.0"


class _Refused(Exception):
    """A link or a redirect the checker does not request (the reason names no address)."""


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Only public unicast addresses: never loopback, private, link-local, shared, reserved."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _vet(url: str) -> tuple[urllib.parse.SplitResult, int, str]:
    """The parts of ``url``, its port and the one address to connect to; _Refused if it is not allowed.

    The host name is resolved here and the connection goes to the address checked, so a
    second lookup cannot give another answer. Every address the name has must be public.
    """
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise _Refused("ikke en webadresse (kun http og https)")
    host = parts.hostname
    if not host:
        raise _Refused("adressen har intet værtsnavn")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise _Refused("ugyldig port") from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _Refused("navnet findes ikke") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses or not all(address_allowed(a) for a in addresses):
        raise _Refused("ikke en offentlig adresse")
    return parts, port, str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address checked beforehand, with the URL's host name in ``Host``."""

    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self.ip, self.port), self.timeout)


class _PinnedHTTPS(_PinnedHTTP):
    default_port = 443

    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, ip, timeout)
        self.context = ssl.create_default_context()

    def connect(self) -> None:
        super().connect()
        self.sock = self.context.wrap_socket(self.sock, server_hostname=self.host)


def _request(method: str, url: str, timeout: float) -> tuple[int, str | None]:
    """One request, no redirect followed: (status, Location)."""
    parts, port, ip = _vet(url)
    kind = _PinnedHTTPS if parts.scheme.lower() == "https" else _PinnedHTTP
    connection = kind(parts.hostname or "", port, ip, timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, target, headers={"User-Agent": _USER_AGENT})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def _no_connection(error: Exception) -> str:
    # Only the kind of failure: an error text can name an address.
    if isinstance(error, TimeoutError):
        return "ingen forbindelse (intet svar i tide)"
    if isinstance(error, ssl.SSLError):
        return "ingen forbindelse (certifikatet er ikke i orden)"
    if isinstance(error, ConnectionRefusedError):
        return "ingen forbindelse (afvist)"
    return "ingen forbindelse"


def check_url(url: str, timeout: float) -> tuple[bool, str]:
    """Whether ``url`` answers, and a short status. Redirects are followed by hand, at most
    MAX_REDIRECTS, and each hop is checked first: only http(s) to public addresses. A hop that
    is refused is reported without naming where it pointed."""
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        status: int | None = None
        location: str | None = None
        for method in ("HEAD", "GET"):
            try:
                status, location = _request(method, current, timeout)
            except _Refused as e:
                if hop == 0:
                    return False, f"ikke tjekket: {e}"
                return False, f"omdirigerer til en adresse, der ikke tjekkes: {e}"
            except (OSError, http.client.HTTPException) as e:
                return False, _no_connection(e)
            if method == "HEAD" and status in {403, 405, 501}:
                continue
            break
        assert status is not None
        if status in _REDIRECTS and location:
            current = urllib.parse.urljoin(current, location.strip())
            continue
        if status >= 400:
            # Too many requests says nothing about the link itself.
            return status == 429, str(status)
        return True, str(status)
    return False, f"mere end {MAX_REDIRECTS} omdirigeringer"


def link_report(broken: list[LinkResult], checked: int) -> str:
    lines = [
        f"Linktjekket fandt {_plural(len(broken), 'link', 'links')}, der ikke virker, ud af {checked} "
        f"({dt.date.today().isoformat()}).",
        "",
        "| Link | Svar | Hvor |",
        "| --- | --- | --- |",
    ]
    for result in broken:
        lines.append(f"| {result.url} | {result.status} | {', '.join(result.where)} |")
    lines += ["", "Ret eller fjern linkene i filerne. Tjekket kører hver uge."]
    return "\n".join(lines) + "\n"


@main.command()
@click.option("--rapport", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FIL",
              help="Skriv en rapport i Markdown til denne fil, hvis der er døde links.")
@click.option("--timeout", default=20.0, metavar="SEKUNDER", help="Sekunder pr. link (standard: 20).")
@click.pass_context
def links(ctx: click.Context, rapport: Path | None, timeout: float) -> None:
    """Tjek alle eksterne links i videnbanken.

    Afslutter med fejlkode 1, hvis et link ikke virker.
    """
    root = _root(ctx)
    found = external_links(root)

    def one(item: tuple[str, list[str]]) -> LinkResult:
        ok, status = check_url(item[0], timeout)
        return LinkResult(item[0], tuple(item[1]), status, ok)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, sorted(found.items())))
    broken = [r for r in results if not r.ok]
    for result in broken:
        click.echo(f"{result.url}: {result.status} — i {', '.join(result.where)}")
    if not broken:
        click.echo(f"Alle {len(results)} eksterne links virker.")
        return
    if rapport is not None:
        rapport.write_text(link_report(broken, len(results)), encoding="utf-8")
    _fail(f"{len(broken)} af {len(results)} links virker ikke.")


if __name__ == "__main__":
    main(prog_name="videnbank")
