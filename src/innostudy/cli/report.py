"""`innostudy report`: render the study report from the store."""

from __future__ import annotations

from typing import Annotated

import typer

from innostudy.cli.common import REPORT, console, open_store

report_app = typer.Typer(help="The study report.", invoke_without_command=True)


@report_app.callback()
def report(
    ctx: typer.Context,
    allow_personal_data: Annotated[
        bool,
        typer.Option(
            "--allow-personal-data", help="Render even if registered personal data would appear."
        ),
    ] = False,
) -> None:
    """Regenerate the report from the store (report/report.html in the study folder)."""
    if ctx.invoked_subcommand is not None:
        return
    from innostudy.areas import load_areas
    from innostudy.reporting.first_report import render_first_report
    from innostudy.survey.instrument import load_instrument

    with open_store(ctx) as store, store.session() as s:
        path = render_first_report(
            s,
            load_instrument(store.setting_path("survey.instrument")),
            load_areas(store.setting_path("fieldwork.areas")),
            store.path(str(store.settings["report.dir"])),
            study_name=store.settings.study_name,
            synthetic=store.settings.synthetic,
            allow_personal_data=allow_personal_data,
        )
    console.print(f"Report: {path}")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report", rich_help_panel=REPORT)
