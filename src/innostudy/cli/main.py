"""The `innostudy` command: a thin layer over the library, one sub-app per pipeline stage.

Errors the user can fix (InnostudyError) are caught once, here, and printed as one
``Error: …`` line with exit code 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import StatementError

from innostudy import __version__
from innostudy.cli import (
    analysis,
    coding,
    definitions,
    discussion,
    exchange,
    fieldwork,
    report,
    setup,
    survey,
    transcripts,
    web,
)
from innostudy.cli.common import err_console, state
from innostudy.config import DATABASE_URL_ENV, STUDY_ENV
from innostudy.errors import InnostudyError
from innostudy.storage.credentials import mask_password
from innostudy.storage.db_errors import reason

app = typer.Typer(
    name="innostudy",
    help=(
        "Run a mixed-methods study of innovation in public organisations, end to end.\n\n"
        "The pipeline, in order: set up a study → survey (instrument, invitations, imports) → "
        "analysis and briefing → focus groups → transcripts → coding → report "
        "(plus exchange with QDA tools and the web app)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"innostudy {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    study: Annotated[
        Path | None,
        typer.Option(
            "--study",
            envvar=STUDY_ENV,
            help="Study folder (default: the current folder).",
            show_default=False,
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar=DATABASE_URL_ENV,
            help="Use this database (e.g. postgresql://user@host/db), not the study's study.db.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    st = state(ctx)
    st.study = study
    st.database_url = database_url


# Registration order is the order of `innostudy --help`: the pipeline's.
setup.register(app)
definitions.register(app)
survey.register(app)
analysis.register(app)
fieldwork.register(app)
transcripts.register(app)
coding.register(app)
discussion.register(app)
report.register(app)
exchange.register(app)
web.register(app)


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except InnostudyError as exc:
        err_console.print(f"Error: {exc}", markup=False, soft_wrap=True)
        for line in exc.details:
            err_console.print(line, markup=False, soft_wrap=True)
        sys.exit(1)
    except StatementError as exc:
        if os.environ.get("INNOSTUDY_DEBUG"):
            raise
        # Never the statement or its parameters: an import's runs to kilobytes of answers.
        err_console.print(f"Error: database: {reason(exc)}", markup=False, soft_wrap=True)
        sys.exit(1)
    except Exception as exc:
        if os.environ.get("INNOSTUDY_DEBUG"):
            raise
        err_console.print(
            f"Error: internal error ({type(exc).__name__}: {mask_password(str(exc))}). "
            "This is a bug in innostudy; "
            "rerun with INNOSTUDY_DEBUG=1 for the traceback and please report it.",
            markup=False,
            soft_wrap=True,
        )
        sys.exit(70)
