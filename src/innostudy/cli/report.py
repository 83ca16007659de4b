"""`innostudy report …` and `innostudy quotes …`: the study report and the quotes in it."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from innostudy.cli.common import REPORT, console, err_console, open_store, who
from innostudy.wording import counted

report_app = typer.Typer(
    help="The study report: narrative, figures and verified quotes.", invoke_without_command=True
)
quotes_app = typer.Typer(
    help="Quotes selected for the report (verbatim, group label only).", no_args_is_help=True
)

Formats = Annotated[
    str | None,
    typer.Option(
        "--format", help="Comma-separated formats: html, docx, pdf, md (default: report.formats)."
    ),
]
AllowPersonal = Annotated[
    bool,
    typer.Option(
        "--allow-personal-data", help="Render even if registered personal data would appear."
    ),
]


@report_app.callback()
def report(
    ctx: typer.Context, formats: Formats = None, allow_personal_data: AllowPersonal = False
) -> None:
    """Regenerate the report from the store in every format (report/ in the study folder)."""
    if ctx.invoked_subcommand is not None:
        return
    from innostudy.reporting.render import parse_formats, render_report

    with open_store(ctx) as store:
        chosen = parse_formats(formats or str(store.settings["report.formats"]))
        result = render_report(store, chosen, allow_personal_data=allow_personal_data)
    if result.default_narrative:
        err_console.print(
            "Using the default narrative; run `innostudy report init` to write your own."
        )
    doc = result.document
    counts = f"{counted(len(doc.sections), 'section')}, "
    counts += counted(len(doc.paragraphs()), "numbered paragraph")
    console.print(f"{counts}, {counted(len(doc.figures()), 'figure')}")
    for fmt, path in result.paths.items():
        console.print(f"{fmt}: {path}")


@report_app.command("init")
def init(
    ctx: typer.Context,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing narrative files.")
    ] = False,
) -> None:
    """Write the starting outline and narrative (every section and placeholder) to edit;
    the outline becomes the study's."""
    from innostudy.reporting.outline import init_narrative

    with open_store(ctx) as store:
        written, revision = init_narrative(store, actor=who(), force=force)
    console.print(f"Wrote {counted(len(written), 'file')} to {written[0].parent}")
    console.print(f"The default outline is the study's report outline (revision {revision}).")


@report_app.command("check")
def check(ctx: typer.Context) -> None:
    """Resolve every placeholder and verify every quote without writing anything."""
    from innostudy.reporting.outline import study_outline
    from innostudy.reporting.render import build_document

    with open_store(ctx) as store:
        outline, _ = study_outline(store)
        folder = outline.folder
        document, _ = build_document(store, outline, "")
    console.print(
        f"{folder}: {counted(len(document.sections), 'section')} resolve; every quote is verbatim"
    )


@quotes_app.command("list")
def list_quotes(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="text or jsonl.")] = "text",
) -> None:
    """List selected quotes with their labels, group, code and whether they may be used."""
    from innostudy.reporting.quotes import load_quotes

    with open_store(ctx) as store, store.session() as s:
        records = load_quotes(s)
    for r in records:
        status = "ok" if r.refusal is None else f"refused: {r.refusal}"
        group = r.group.label if r.group else None
        if fmt == "jsonl":
            row: dict[str, object] = {"quote": r.label, "group": group, "code": r.code_key}
            row |= {"usable": r.refusal is None, "refusal": r.refusal, "text": r.text}
            console.print(json.dumps(row, ensure_ascii=False), markup=False)
        else:
            line = f"{r.label}\t{group or '-'}\t{r.code_key}\t{status}\t{r.text[:70]}"
            console.print(line, markup=False)


@quotes_app.command("add")
def add(
    ctx: typer.Context,
    coding_id: Annotated[
        int, typer.Argument(help="The coding to quote (see `innostudy code list`).")
    ],
    start: Annotated[
        int | None, typer.Option(help="Start of a shorter span inside the coding.")
    ] = None,
    end: Annotated[
        int | None, typer.Option(help="End of a shorter span inside the coding.")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Who selected it.")] = "",
) -> None:
    """Select a coded span (or part of it) as a quote; prints its label, e.g. Q-12."""
    from innostudy.reporting.quotes import add_quote

    with open_store(ctx) as store, store.write_session() as s:
        quote = add_quote(s, coding_id, start=start, end=end, selected_by=by)
        console.print(quote.label)


@quotes_app.command("drop")
def drop(
    ctx: typer.Context, label: Annotated[str, typer.Argument(help="The quote, e.g. Q-12.")]
) -> None:
    """Take a quote out of the report (it stays stored, marked dropped)."""
    from innostudy.reporting.quotes import drop_quote

    with open_store(ctx) as store, store.write_session() as s:
        console.print(f"Dropped {drop_quote(s, label).label}")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report", rich_help_panel=REPORT)
    app.add_typer(quotes_app, name="quotes", rich_help_panel=REPORT)
