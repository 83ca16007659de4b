"""`innostudy init`, `innostudy demo` and `innostudy db …`: creating and maintaining studies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innostudy.cli.common import SETUP, console, open_store, state, who
from innostudy.storage.upgrade import current_revision, head_revision, upgrade_schema

db_app = typer.Typer(help="Inspect and upgrade the study database schema.", no_args_is_help=True)

Force = Annotated[
    bool, typer.Option("--force", help="Replace the folder (and database) if it is not empty.")
]


def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="New or empty folder for the study.")],
    force: Force = False,
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

        folder, summary = init_study_from(
            directory, from_file, force=force, database_url=state(ctx).database_url
        )
        console.print("\n".join(summary.lines()), markup=False)
        print_warnings(summary.warnings)
    else:
        from innostudy.studies import init_study

        folder = init_study(
            directory, force=force, database_url=state(ctx).database_url, actor=who()
        )
    console.print(f"Created study in {folder}")
    console.print(
        f"Next: edit {folder / 'instrument.yaml'}, then make your changes the study's with "
        f"`innostudy --study {directory} survey instrument use {folder / 'instrument.yaml'}`"
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


def demo(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder for the demo study.")] = Path(
        "demo-study"
    ),
    force: Force = False,
    seed: Annotated[
        int | None, typer.Option(help="Random seed (the default gives the documented demo).")
    ] = None,
) -> None:
    """Build the synthetic demo study, run every stage, and print where the report is."""
    from innostudy.demo.build import DEMO_SEED, build_demo

    summary = build_demo(
        directory,
        force=force,
        database_url=state(ctx).database_url,
        seed=DEMO_SEED if seed is None else seed,
        say=lambda msg: console.print(f"  {msg}"),
    )
    console.print(f"Demo study (synthetic data) in {summary.folder}")
    console.print(f"Report: {summary.report}")


def db_upgrade(ctx: typer.Context) -> None:
    """Upgrade the study database to this version's schema (PostgreSQL needs this step)."""
    from innostudy.definitions.names import definition_files

    with open_store(ctx, prepare=False) as store:
        # A study older than issue 18 gets its definitions from this folder's files, once.
        upgrade_schema(store.engine, definition_files(store.folder, store.settings))
        console.print(f"Database at schema revision {current_revision(store.engine)}")


def db_current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the one this version needs."""
    store = open_store(ctx, prepare=False)
    console.print(f"database: {current_revision(store.engine)}  this innostudy: {head_revision()}")


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=SETUP)(init)
    app.command(rich_help_panel=SETUP)(attach)
    app.command(rich_help_panel=SETUP)(demo)
    db_app.command("upgrade")(db_upgrade)
    db_app.command("current")(db_current)
    app.add_typer(db_app, name="db", rich_help_panel=SETUP)
