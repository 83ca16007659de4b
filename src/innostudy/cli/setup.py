"""`innostudy init`, `innostudy demo` and `innostudy db …`: creating and maintaining studies."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from innostudy.cli.common import SETUP, console, err_console, open_store, state, who
from innostudy.errors import StudyError
from innostudy.storage.replacement import ConfirmationNeeded
from innostudy.storage.upgrade import current_revision, head_revision, upgrade_schema

T = TypeVar("T")

db_app = typer.Typer(help="Inspect and upgrade the study database schema.", no_args_is_help=True)

Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Use a folder that is not empty: a study there is moved whole to a dated "
        "backup (one holding data also needs --confirm); other files stay as they are.",
    ),
]
Confirm = Annotated[
    str | None,
    typer.Option(
        "--confirm",
        metavar="NAME",
        help="The folder's name, to replace a study that holds data (with --force); "
        "asked for at a terminal.",
        show_default=False,
    ),
]


def _confirmed(force: bool, confirm: str | None, create: Callable[[str | None], T]) -> T:
    """Run ``create``; a study holding data is replaced only once its name is given twice
    over: --force, and --confirm NAME or the name typed at the prompt."""
    try:
        return create(confirm)
    except ConfirmationNeeded as exc:
        if not (force and confirm is None and _interactive()):
            raise
        err_console.print(f"{exc.held}.", markup=False)
        typed = typer.prompt(
            f"Type the folder's name ({exc.name}) to replace it (it is kept whole as a backup)",
            default="",
            show_default=False,
            err=True,
        )
        if str(typed).strip() != exc.name:
            raise StudyError(f"{exc.held}; not confirmed, nothing was changed") from None
        return create(exc.name)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _say(line: str) -> None:
    console.print(line, markup=False)


def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="New or empty folder for the study.")],
    force: Force = False,
    confirm: Confirm = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Start from a REFI-QDA project (.qdpx) or codebook (.qdc) made in NVivo, "
            "ATLAS.ti, MAXQDA or QualCoder: its codebook replaces the default one.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a study from the embedded default (instrument, codebook, group types, areas)."""
    if from_file is not None:
        from innostudy.cli.exchange import print_warnings
        from innostudy.exchange.refi.seeding import init_study_from

        folder, summary = _confirmed(
            force,
            confirm,
            lambda named: init_study_from(
                directory,
                from_file,
                force=force,
                confirm=named,
                database_url=state(ctx).database_url,
                say=_say,
            ),
        )
        console.print("\n".join(summary.lines()), markup=False)
        print_warnings(summary.warnings)
    else:
        from innostudy.studies import init_study

        folder = _confirmed(
            force,
            confirm,
            lambda named: init_study(
                directory,
                force=force,
                confirm=named,
                database_url=state(ctx).database_url,
                say=_say,
                actor=who(),
            ),
        )
    console.print(f"Created study in {folder}")
    _password_note(state(ctx).database_url)
    console.print(
        f"Next: edit {folder / 'instrument.yaml'}, then make your changes the study's with "
        f"`innostudy --study {directory} survey instrument use {folder / 'instrument.yaml'}`; "
        "`innostudy status` says where the study stands and what to run next"
    )


def attach(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="New or empty folder to work in.")],
    force: Force = False,
) -> None:
    """Make a folder for a study already in a database (--database-url): a colleague's copy."""
    from innostudy.errors import InnostudyError
    from innostudy.studies import attach_study

    url = state(ctx).database_url
    if not url:
        raise InnostudyError(
            "attach needs the study's database: `innostudy --database-url URL attach DIR`"
        )
    folder, names = attach_study(directory, url, force=force)
    console.print(f"Attached {folder} to the study in the database", markup=False)
    console.print(f"  files of its definitions: {', '.join(names) or 'none yet'}", markup=False)
    console.print(
        f"Next: `innostudy --study {directory} definitions status` shows what this folder holds",
        markup=False,
    )


def _password_note(url: str | None) -> None:
    from innostudy.storage.credentials import stored_password

    if url and stored_password(url):
        err_console.print(
            "The database password was not written to study.toml: give it to later commands "
            "through INNOSTUDY_DATABASE_PASSWORD or PGPASSWORD, ~/.pgpass or a service file "
            "(docs/team.md).",
            markup=False,
        )


def demo(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder for the demo study.")] = Path(
        "demo-study"
    ),
    force: Force = False,
    confirm: Confirm = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed (the default gives the documented demo).")
    ] = None,
) -> None:
    """Build the synthetic demo study, run every stage, and print where the report is."""
    from innostudy.demo.build import DEMO_SEED, build_demo

    summary = _confirmed(
        force,
        confirm,
        lambda named: build_demo(
            directory,
            force=force,
            confirm=named,
            database_url=state(ctx).database_url,
            seed=DEMO_SEED if seed is None else seed,
            say=lambda msg: console.print(f"  {msg}", markup=False),
        ),
    )
    console.print(f"Demo study (synthetic data) in {summary.folder}")
    _password_note(state(ctx).database_url)
    console.print(f"Report: {summary.report}")


def status(ctx: typer.Context) -> None:
    """Where the study stands, stage by stage, and the next command to run (with the reason)."""
    from innostudy.status import study_status

    with open_store(ctx) as store:
        found = study_status(store)
    console.print("\n".join(found.lines()), markup=False)


def db_upgrade(ctx: typer.Context) -> None:
    """Upgrade the study database to this version's schema (PostgreSQL needs this step)."""
    from innostudy.definitions.names import definition_files

    with open_store(ctx, prepare=False) as store:
        # A study older than issue 18 gets its definitions from this folder's files, once.
        upgrade_schema(store.engine, definition_files(store.folder, store.settings))
        console.print(f"Database at schema revision {current_revision(store.engine)}")


def db_move_password(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="pgpass: into ~/.pgpass (or $PGPASSFILE), mode 600; environment: nowhere, "
            "the environment already gives it (INNOSTUDY_DATABASE_PASSWORD or PGPASSWORD).",
        ),
    ] = "pgpass",
) -> None:
    """Take the database password out of study.toml and the study row (older studies)."""
    from innostudy.storage.stored_password import move_password

    moved = move_password(state(ctx).study, to)
    where = f"into {moved.pgpass}" if moved.pgpass else "out (the environment gives it)"
    if moved.from_file:
        console.print(f"Moved the password {where}; study.toml now names {moved.url}")
    if moved.from_database:
        console.print("Removed the password from the study's settings in the database")
    console.print(
        "The password was readable by anyone who could read study.toml and is in every "
        "backup taken before now: change it (ALTER ROLE … PASSWORD …) and update "
        f"{moved.pgpass or 'the environment'} (docs/team.md)."
    )


def db_current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the one this version needs."""
    with open_store(ctx, prepare=False) as store:
        revision = current_revision(store.engine)
    console.print(f"database: {revision}  this innostudy: {head_revision()}")


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=SETUP)(init)
    app.command(rich_help_panel=SETUP)(attach)
    app.command(rich_help_panel=SETUP)(demo)
    app.command(rich_help_panel=SETUP)(status)
    db_app.command("upgrade")(db_upgrade)
    db_app.command("current")(db_current)
    db_app.command("move-password")(db_move_password)
    app.add_typer(db_app, name="db", rich_help_panel=SETUP)
