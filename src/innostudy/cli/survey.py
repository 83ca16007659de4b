"""`innostudy survey …`: the instrument and responses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innostudy.cli.common import SURVEY, console, open_store
from innostudy.errors import InputErrors

survey_app = typer.Typer(
    help="The survey: instrument, invitations, responses.", no_args_is_help=True
)


@survey_app.command("check")
def check(file: Annotated[Path, typer.Argument(help="Instrument YAML file to check.")]) -> None:
    """Check an instrument file and list every problem with its line."""
    from innostudy.survey.instrument import check_instrument

    problems = check_instrument(file)
    if problems:
        for problem in problems[1:]:
            console.print(f"  {problem}")
        raise InputErrors(problems)
    console.print(f"{file}: instrument is valid")


@survey_app.command("show")
def show(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="Instrument file (default: the study's).")
    ] = None,
) -> None:
    """Print the instrument readably: sections, questions, types, choices and skip rules."""
    from innostudy.survey.instrument import load_instrument
    from innostudy.survey.render_text import instrument_as_text

    if file is None:
        with open_store(ctx) as store:
            file = store.setting_path("survey.instrument")
    console.print(instrument_as_text(load_instrument(file)), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app, name="survey", rich_help_panel=SURVEY)
