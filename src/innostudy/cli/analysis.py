"""`innostudy analyse` (+ `analyse chart`) and `innostudy brief`: figures and the briefing.

Both are command groups that run their own callback when no subcommand is given (as
`innostudy report` does): typer lists plain commands before groups in `--help`, so
groups keep the pipeline's panels in order.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress

from innostudy.atomic import write_atomic
from innostudy.cli.common import ANALYSIS, KeepFormulas, console, err_console, open_store
from innostudy.wording import counted

if TYPE_CHECKING:
    from innostudy.analysis.summary import Summary

Out = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Folder to write to (default: analysis/ in the study folder).",
        show_default=False,
    ),
]


analyse_app = typer.Typer(
    help="Survey figures per area: tables, named statistics, charts.", invoke_without_command=True
)
brief_app = typer.Typer(help="The focus-group briefing.", invoke_without_command=True)


@analyse_app.callback()
def analyse(
    ctx: typer.Context,
    out: Out = None,
    tables: Annotated[
        str,
        typer.Option(
            help="Table formats: any of parquet,csv,xlsx (parquet is what summary.read needs)."
        ),
    ] = "parquet,csv,xlsx",
    charts: Annotated[
        str, typer.Option(help="Also draw every figure: png, svg, png,svg or none.")
    ] = "none",
    list_names: Annotated[
        bool,
        typer.Option(
            "--list", help="Print every statistic (with its value) and figure name; write nothing."
        ),
    ] = False,
    match: Annotated[
        str | None,
        typer.Option(
            help="With --list: only names matching this glob, e.g. 'barriers_ranked.*'.",
            show_default=False,
        ),
    ] = None,
    keep_formulas: KeepFormulas = False,
) -> None:
    """Compute the survey figures per area: tables, a JSON summary of named statistics, charts."""
    if ctx.invoked_subcommand is not None:
        return
    from innostudy.analysis import summary as analysis
    from innostudy.analysis.outputs import (
        CHART_FORMATS,
        TABLE_FORMATS,
        parse_formats,
        write_analysis,
    )

    table_formats = parse_formats(tables, TABLE_FORMATS, "--tables")
    chart_formats = parse_formats(charts, CHART_FORMATS, "--charts")
    with open_store(ctx) as store:
        result = analysis.load(store)
        if list_names:
            _print_names(result, match)
            return
        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("Drawing charts", total=len(result.figures) if chart_formats else 0)
            path = write_analysis(
                result,
                out or store.path("analysis"),
                tables=table_formats,
                charts=chart_formats,
                progress=lambda _name: bar.advance(task),
                keep_formulas=keep_formulas,
            )
    for note in result.notes:
        err_console.print(f"Note: {note}", markup=False)
    console.print(
        f"Analysed {counted(result.respondents, 'submitted response')}: "
        f"{counted(len(result.tables), 'table')}, {counted(len(result.stats), 'statistic')}, "
        f"{counted(len(result.figures), 'figure')}"
    )
    console.print(f"Summary: {path}")


def _print_names(result: Summary, match: str | None) -> None:
    from innostudy.analysis.summary import figure_names, format_stat, stat_names

    for name in stat_names(result, match):
        console.print(f"{name} = {format_stat(result, name)}", markup=False)
    for name in figure_names(result, match):
        spec = result.figures[name]
        console.print(f"figure {name} ({spec.kind}): {spec.title}", markup=False)


@analyse_app.command("chart")
def chart(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="Figure name, e.g. barriers_ranked (see analyse --list).")
    ],
    fmt: Annotated[str, typer.Option("--format", help="png or svg.")] = "png",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: analysis/charts/NAME.FORMAT).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Draw one named figure as PNG or SVG."""
    from innostudy.analysis import summary as analysis
    from innostudy.analysis.outputs import CHART_FORMATS, parse_formats

    (fmt,) = parse_formats(fmt, CHART_FORMATS, "--format", single=True)
    with open_store(ctx) as store:
        result = analysis.load(store)
        data = analysis.figure(result, name, fmt)
        target = output or store.path("analysis", "charts", f"{name}.{fmt}")
    write_atomic(target, data)
    console.print(f"Chart: {target}")


@brief_app.callback()
def brief(
    ctx: typer.Context,
    formats: Annotated[
        str, typer.Option("--format", help="Any of pptx,html,pdf.")
    ] = "pptx,html,pdf",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder to write to (default: briefing/ in the study folder).",
            show_default=False,
        ),
    ] = None,
    allow_personal_data: Annotated[
        bool,
        typer.Option(
            "--allow-personal-data", help="Write even if registered personal data would appear."
        ),
    ] = False,
) -> None:
    """Write the focus-group briefing: slides with speaker notes, and a one-page handout."""
    if ctx.invoked_subcommand is not None:
        return
    from innostudy.briefing.build import briefing_formats, build_briefing

    wanted = briefing_formats(formats)
    with open_store(ctx) as store, Progress(console=err_console, transient=True) as bar:
        task = bar.add_task("Building the briefing", total=None)
        result = build_briefing(
            store,
            formats=wanted,
            out=out,
            allow_personal_data=allow_personal_data,
            progress=lambda msg: bar.update(task, description=msg),
        )
    console.print(f"Briefing ({counted(result.slides, 'slide')}) in {result.folder}:")
    for path in result.files:
        console.print(f"  {path.name}")


def register(app: typer.Typer) -> None:
    app.add_typer(analyse_app, name="analyse", rich_help_panel=ANALYSIS)
    app.add_typer(brief_app, name="brief", rich_help_panel=ANALYSIS)
