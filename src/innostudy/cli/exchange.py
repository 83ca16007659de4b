"""`innostudy export …` and `innostudy import …`: REFI-QDA projects and codebooks.

The exchange format of NVivo, ATLAS.ti, MAXQDA and QualCoder; see docs/exchange.md for
what travels and what does not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innostudy.cli.common import EXCHANGE, console, err_console, open_store
from innostudy.wording import counted

export_app = typer.Typer(
    help="Write the study for QDA tools (REFI-QDA: NVivo, ATLAS.ti, MAXQDA, QualCoder).",
    no_args_is_help=True,
)
import_app = typer.Typer(
    help="Bring in a project or codebook made in a QDA tool (REFI-QDA).", no_args_is_help=True
)

Force = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]


def print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        err_console.print(f"Warning: {warning}", markup=False, soft_wrap=True)


@export_app.command("qdpx")
def export_qdpx_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The .qdpx file to write.")],
    variable: Annotated[
        list[str] | None,
        typer.Option(
            "--variable",
            help="Add this survey question's answer as a case variable (repeatable; "
            "a Likert matrix gives one variable per row, or name one as KEY.ROW).",
            show_default=False,
        ),
    ] = None,
    include_withdrawn: Annotated[
        bool,
        typer.Option(
            "--include-withdrawn",
            help="Also export the words and codings of participants who withdrew.",
        ),
    ] = False,
    force: Force = False,
) -> None:
    """Export transcripts, codes, codings, coders, cases and memos as a REFI-QDA project."""
    from innostudy.exchange.refi.exporting import export_qdpx
    from innostudy.exchange.refi.from_study import ExportOptions

    options = ExportOptions(tuple(variable or ()), include_withdrawn)
    with open_store(ctx) as store:
        report = export_qdpx(store, file, options, force=force)
    for line in report.lines():
        console.print(line, markup=False)
    console.print(f"Wrote {file}", markup=False)


@export_app.command("qdc")
def export_qdc_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The .qdc file to write.")],
    force: Force = False,
) -> None:
    """Export the codebook (hierarchy, colours, descriptions and rules) as a REFI-QDA codebook."""
    from innostudy.exchange.refi.exporting import export_qdc

    with open_store(ctx) as store:
        codes = export_qdc(store, file, force=force)
    console.print(f"Wrote {counted(codes, 'code')} to {file}", markup=False)


def _import(ctx: typer.Context, file: Path, kind: str, redact: bool, dry_run: bool = False) -> None:
    from innostudy.exchange.refi.importing import ImportOptions, import_file

    options = ImportOptions(actor=f"innostudy import {kind}", redact=redact)
    with open_store(ctx) as store:
        summary = import_file(store, file, kind, options, dry_run=dry_run)
    for line in summary.lines():
        console.print(line, markup=False)
    print_warnings(summary.warnings)


@import_app.command("qdpx")
def import_qdpx_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .qdpx project from a QDA tool.")],
    redact: Annotated[
        bool,
        typer.Option(
            "--redact/--no-redact",
            help="Redact registered names, emails and phone numbers in the imported text.",
        ),
    ] = True,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check and count everything, report it, store nothing."),
    ] = False,
) -> None:
    """Import sources, codes, codings, coders, cases, variables and notes (all or nothing)."""
    _import(ctx, file, "qdpx", redact, dry_run)


@import_app.command("qdc")
def import_qdc_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .qdc codebook from a QDA tool.")],
) -> None:
    """Merge a codebook into the study's: new codes are added, the study's codes are kept."""
    _import(ctx, file, "qdc", True)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export", rich_help_panel=EXCHANGE)
    app.add_typer(import_app, name="import", rich_help_panel=EXCHANGE)
