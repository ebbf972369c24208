"""The ``videnbank`` command: start, check and preview a story, and keep generated files current.

No MkDocs import at module level: only ``vis`` needs MkDocs, and it imports it when it runs.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from . import engines, intake, issueform, linkcheck, preview, schema
from .cache import check_bank, other_problems, waiting_for_review
from .clitext import DanishGroup
from .load import TODO, load_bank, todo_count
from .model import DRAFT, WAITING, file_slug
from .problems import annotation
from .words import plural, them


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


@click.group(name="videnbank", cls=DanishGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
                    todo = todo_count(root / path) if state == DRAFT else 0
                    left = f" ({plural(todo, 'sted', 'steder')} med {TODO} mangler)" if todo else ""
                    click.echo(f"  {path} — {title}{left}")
    click.echo("")
    # Named files: those are what was checked (the principles and methods they use are read, not counted).
    files = plural(len(filer) if filer else bank.files_checked, "fil", "filer")
    if problems:
        click.echo(f"Tjekkede {files}: {plural(len(problems), 'problem', 'problemer')}. "
                   f"Ret {them(len(problems))}, og kør tjek igen.")
        sys.exit(1)
    click.echo(f"Tjekkede {files}: ingen problemer.")


# --- modtag ----------------------------------------------------------------------------------


@main.command()
@click.argument("fil", required=False, type=click.Path(path_type=Path))
@click.pass_context
def modtag(ctx: click.Context, fil: Path | None) -> None:
    """Tag en modtaget historie ind til gennemsyn: filen FIL fra en e-mail eller skrivesiden.

    Historien lægges i stories/ under et ledigt kortnavn (en eksisterende historie bliver aldrig
    overskrevet) med publicering: til-gennemsyn, og den tjekkes som med 'videnbank tjek'. Selve
    FIL bliver ikke ændret. Afslutter med fejlkode 1, hvis historien har problemer eller ikke
    kunne tages ind.
    """
    root = _root(ctx)
    if fil is None:
        _fail("Skriv, hvilken fil du vil tage ind, fx: videnbank modtag ~/Downloads/min-historie.md")
        return
    result = intake.receive(root, fil)
    if isinstance(result, intake.Refused):
        for problem in result.problems:
            click.echo(str(problem), err=True)
        _fail(f"{fil} er ikke taget ind, og intet er ændret. {result.next_step}")
        return
    shown = _shown(root, result.path)
    click.echo(f"Tog {fil} ind som {shown} (publicering: til-gennemsyn).")
    if result.wanted:
        click.echo(f"Kortnavnet '{result.wanted}' var taget, så historien fik '{result.path.stem}'.")
    problems = sorted(check_bank(root, only=[result.path]).problems)
    if problems:
        click.echo("")
        for problem in problems:
            click.echo(str(problem))
    click.echo("")
    count = plural(len(problems), "problem", "problemer")
    click.echo(f"Tjekkede 1 fil: {count}." if problems else "Tjekkede 1 fil: ingen problemer.")
    click.echo("Næste skridt:")
    steps = [
        "Læs historien igennem: samtykke fra nævnte privatpersoner, ingen private kontaktoplysninger, "
        "kun det, kilderne siger.",
        f"Se den, som den kommer til at se ud: videnbank vis {shown}",
        "Sæt publicering: udgivet, og læg filen ind med et pull request (se REDAKTION.md).",
    ]
    if problems:
        steps.insert(0, f"Ret {them(len(problems))} i {shown} (spørg afsenderen, hvis noget mangler), "
                        f"og tjek igen: videnbank tjek {shown}")
    for n, step in enumerate(steps, start=1):
        click.echo(f"  {n}. {step}")
    if problems:
        sys.exit(1)


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
    root = _root(ctx)
    try:
        engines.build(root / "mkdocs.yml", motor, mappe, strict=not ikke_streng, say=click.echo)
    except engines.EngineError as e:
        _fail(str(e))
    click.echo(f"Sitet er bygget med {motor} i {mappe}")


# --- vis -------------------------------------------------------------------------------------


@main.command()
@click.argument("fil", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=int, default=None, metavar="PORT",
              help=f"Porten, sitet vises på (standard: {preview.PREVIEW_PORT}; er den optaget, vælges en ledig port).")
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
        port = preview.free_port(adresse, preview.PREVIEW_PORT)
        if port != preview.PREVIEW_PORT:
            click.echo(f"Port {preview.PREVIEW_PORT} er optaget (kører './dev serve'?), "
                       f"så forhåndsvisningen bruger port {port}.")
    address = f"{adresse}:{port}"
    click.echo(f"Viser '{bank.stories[0].meta.title}' på http://{address}/ — stop med Ctrl+C.")
    try:
        preview.serve_stories(root, [path], adresse, port)
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
            # Posted by the bot: plain Danish in which no value from the issue becomes markup or a link.
            problemer.write_text(issueform.comment(problems), encoding="utf-8")
        sys.exit(1)
    target = root / "stories" / f"{submission.slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(submission.text, encoding="utf-8")
    click.echo(_shown(root, target))


# --- links -----------------------------------------------------------------------------------

@main.command()
@click.option("--rapport", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FIL",
              help="Skriv en rapport i Markdown til denne fil, hvis der er døde links.")
@click.option("--timeout", default=20.0, metavar="SEKUNDER", help="Sekunder pr. link (standard: 20).")
@click.pass_context
def links(ctx: click.Context, rapport: Path | None, timeout: float) -> None:
    """Tjek alle eksterne links i videnbanken.

    Afslutter med fejlkode 1, hvis et link ikke virker.
    """
    results = linkcheck.check_all(linkcheck.external_links(_root(ctx)), timeout)
    broken = [r for r in results if not r.ok]
    for result in broken:
        click.echo(f"{result.url}: {result.status} — i {', '.join(result.where)}")
    if not broken:
        if len(results) <= 1:
            click.echo("Det eksterne link virker." if results else "Der er ingen eksterne links at tjekke.")
        else:
            click.echo(f"Alle {len(results)} eksterne links virker.")
        return
    if rapport is not None:
        rapport.write_text(linkcheck.link_report(broken, len(results)), encoding="utf-8")
    _fail(f"{plural(len(broken), 'link', 'links')} ud af {len(results)} virker ikke.")


if __name__ == "__main__":
    main(prog_name="videnbank")
