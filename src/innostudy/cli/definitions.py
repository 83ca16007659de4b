"""`innostudy definitions …`: the study's definitions in the database and their files here.

Instrument, codebook, group types, areas and report outline live in the study database
with their history; each folder's YAML files are views of them (docs/team.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from innostudy.cli.common import SETUP, console, open_store, who

if TYPE_CHECKING:
    from innostudy.definitions.adopting import Adoption
    from innostudy.storage.store import StudyStore

definitions_app = typer.Typer(
    help="The study's definitions (instrument, codebook, group types, areas, report outline): "
    "their history in the database and their files in this folder.",
    no_args_is_help=True,
)
NAMES_HELP = "instrument, group_types, areas, codebook or outline"


@definitions_app.command("status")
def status(ctx: typer.Context) -> None:
    """Each definition's revision in the database, and whether this folder's file is in step."""
    from innostudy.cli.output import print_table
    from innostudy.definitions.folder import inspect
    from innostudy.studies import definition_kinds

    rows: list[list[Any]] = []
    with open_store(ctx) as store:
        for name in definition_kinds():
            view = inspect(store, name)
            row = view.current
            if row is None:
                rows.append([name, "-", "-", "-", view.relative, "not in the study yet"])
                continue
            state = view.state.value
            if view.base is not None and view.base != row.number:
                state += f" (from revision {view.base})"
            when = row.created_at.strftime("%Y-%m-%d %H:%M")
            rows.append([name, row.number, when, row.actor, view.relative, state])
    print_table(["definition", "revision", "adopted (UTC)", "by", "file", "file here"], rows)


@definitions_app.command("history")
def history_command(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help=NAMES_HELP)]
) -> None:
    """Every revision of a definition: when, who, from where, and what changed."""
    from innostudy.cli.output import print_table
    from innostudy.definitions.names import definition
    from innostudy.definitions.revisions import history

    spec = definition(name)
    with open_store(ctx) as store, store.session() as s:
        rows = [
            [r.number, r.created_at.strftime("%Y-%m-%d %H:%M"), r.actor, r.source, r.summary]
            for r in history(s, spec.name)
        ]
    if not rows:
        console.print(f"This study has no {spec.title} yet.")
        return
    print_table(["revision", "adopted (UTC)", "by", "from", "what changed"], rows)


@definitions_app.command("diff")
def diff(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=NAMES_HELP)],
    revision: Annotated[
        int | None,
        typer.Option(
            help="Compare this revision with the current one (default: this folder's "
            "file with the current revision)."
        ),
    ] = None,
    to: Annotated[int | None, typer.Option(help="With --revision: compare with this one.")] = None,
) -> None:
    """Show line by line how a definition differs: this folder's file, or two revisions."""
    from innostudy.definitions.compare import unified
    from innostudy.definitions.folder import inspect
    from innostudy.definitions.names import definition
    from innostudy.definitions.revisions import current_revision, revision_number
    from innostudy.errors import NotFoundError

    spec = definition(name)
    with open_store(ctx) as store:
        if revision is None:
            view = inspect(store, spec.name)
            if view.current is None:
                raise NotFoundError(spec.title)
            if not view.path.exists():
                console.print(f"{view.relative} is not in this folder.")
                return
            old, new = view.current.content, view.body
            labels = (f"study database, revision {view.current.number}", f"{view.relative}")
        else:
            with store.session() as s:
                a = revision_number(s, spec.name, revision)
                b = (
                    current_revision(s, spec.name)
                    if to is None
                    else revision_number(s, spec.name, to)
                )
            if a is None or b is None:
                missing = revision if a is None else to
                raise NotFoundError(
                    f"revision of the {spec.title}",
                    missing,
                    listing=f"definitions history {spec.name}",
                )
            old, new = a.content, b.content
            labels = (f"revision {a.number}", f"revision {b.number}")
    lines = unified(old, new, *labels)
    for line in lines or [f"No difference between {labels[0]} and {labels[1]}."]:
        console.print(line, markup=False)


@definitions_app.command("export")
def export(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(help=f"Which ({NAMES_HELP}); default: all.")
    ] = None,
    revision: Annotated[
        int | None, typer.Option(help="An earlier revision (needs --output and one NAME).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of this folder.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files that hold changes of their own.")
    ] = False,
) -> None:
    """Write definitions from the database as YAML files (this folder's, or --output)."""
    from innostudy.definitions.folder import stored_names, write_files
    from innostudy.definitions.names import definition

    chosen = [definition(n).name for n in names or []]
    with open_store(ctx) as store:
        if output is not None or revision is not None:
            _export_one(store, chosen, revision, output, force=force)
            return
        for name, path, before in write_files(store, chosen or stored_names(store), force=force):
            what = "unchanged" if before.value == "in step" else f"was {before.value}"
            console.print(f"{name}: {path} ({what})", markup=False)


def _export_one(
    store: StudyStore, names: list[str], number: int | None, output: Path | None, *, force: bool
) -> None:
    from innostudy.atomic import write_atomic
    from innostudy.definitions.names import BY_NAME
    from innostudy.definitions.revisions import current_revision, revision_number
    from innostudy.definitions.text import stamped
    from innostudy.errors import InnostudyError, NotFoundError, StudyError

    if len(names) != 1 or output is None:
        raise InnostudyError("--revision and --output take exactly one NAME and need --output")
    if output.exists() and not force:
        raise StudyError(f"{output}: already exists; choose another name or pass --force")
    spec = BY_NAME[names[0]]
    with store.session() as s:
        row = (
            current_revision(s, spec.name)
            if number is None
            else revision_number(s, spec.name, number)
        )
    if row is None:
        raise NotFoundError(
            f"revision of the {spec.title}", number, listing=f"definitions history {spec.name}"
        )
    write_atomic(output, stamped(row.content, row.name, row.number, str(output)))
    console.print(f"{spec.name}: revision {row.number} written to {output}", markup=False)


@definitions_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A definition's YAML file.")],
    name: Annotated[
        str | None,
        typer.Option(help=f"Which definition ({NAMES_HELP}); default: told by the file."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Adopt it even if it was made from an older revision (undoing what came "
            "after), and replace this folder's file even if it has changes of its own.",
        ),
    ] = False,
) -> None:
    """Check a definition's file and make it the study's; the previous one stays a revision."""
    from innostudy.definitions.folder import adopt_file
    from innostudy.studies import definition_kinds

    with open_store(ctx) as store:
        kind = definition_kinds()[_which(store, file, name)]
        adoption = adopt_file(store, kind, file, actor=who(), force=force)
        print_adoption(store, adoption, file)


def _which(store: StudyStore, file: Path, name: str | None) -> str:
    """The definition ``file`` holds: --name, else this folder's file it is, else its stamp."""
    from innostudy.definitions.names import BY_NAME, definition
    from innostudy.definitions.text import stamp_of
    from innostudy.errors import InputError
    from innostudy.textfiles import read_text

    if name is not None:
        return definition(name).name
    for spec in BY_NAME.values():
        if spec.path(store.folder, store.settings).resolve() == file.resolve():
            return spec.name
    if not file.is_file():
        raise InputError(file, None, None, "file not found")
    stamp = stamp_of(read_text(file).text)
    if stamp is not None and stamp.name in BY_NAME:
        return stamp.name
    raise InputError(
        file, None, None, f"cannot tell which definition this is; pass --name ({NAMES_HELP})"
    )


def print_adoption(store: StudyStore, adoption: Adoption[Any], file: Path) -> None:
    """What adopting ``file`` did, in the words the CLI uses for every definition."""
    row, before = adoption.revision, adoption.previous
    spec = row.name
    from innostudy.definitions.names import BY_NAME

    title, relative = BY_NAME[spec].title, BY_NAME[spec].relative(store.settings)
    if not adoption.changed:
        console.print(
            f"{file} is already the study's {title} (revision {row.number}); nothing changed.",
            markup=False,
        )
        return
    was = f" (was revision {before.number})" if before is not None else ""
    console.print(f"{file} is now the study's {title}: revision {row.number}{was}.", markup=False)
    console.print(f"  changes: {row.summary}", markup=False)
    for note in adoption.notes:
        console.print(f"  {note}", markup=False)
    console.print(f"  {relative} in this folder shows it.", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(definitions_app, name="definitions", rich_help_panel=SETUP)
