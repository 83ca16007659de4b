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


Draft = Annotated[
    bool,
    typer.Option(
        "--draft",
        help="Render even with gaps (placeholders the data cannot fill yet), marked visibly; "
        "exits 3 when there are gaps.",
    ),
]
DRAFT_WITH_GAPS = 3


@report_app.callback()
def report(
    ctx: typer.Context,
    formats: Formats = None,
    allow_personal_data: AllowPersonal = False,
    draft: Draft = False,
) -> None:
    """Regenerate the report from the store in every format (report/ in the study folder).

    Refuses (exit 1, nothing written) while any placeholder resolves to nothing, unless
    --draft, which writes the report with each gap marked and exits 3.
    """
    if ctx.invoked_subcommand is not None:
        return
    from innostudy.reporting.render import ReportGaps, parse_formats, render_report

    with open_store(ctx) as store:
        chosen = parse_formats(formats or str(store.settings["report.formats"]))
        try:
            result = render_report(
                store, chosen, allow_personal_data=allow_personal_data, draft=draft
            )
        except ReportGaps as exc:
            for gap in exc.gaps:
                err_console.print(f"gap: {gap.describe()}", markup=False, soft_wrap=True)
            raise
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
    for warning in doc.warnings:
        err_console.print(f"warning: {warning}", markup=False, soft_wrap=True)
    if doc.gaps:
        err_console.print(f"Draft written with {counted(len(doc.gaps), 'gap')} marked.")
        raise typer.Exit(DRAFT_WITH_GAPS)


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


@report_app.command("draft")
def draft(
    ctx: typer.Context,
    areas: Annotated[
        list[str] | None, typer.Option("--area", help="Only this area (repeatable).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing drafts.")] = False,
) -> None:
    """Write a first draft of each area's section from the data (narrative/draft-AREA.md).

    Every sentence is placeholders (survey headlines with intervals and bases, which
    groups raised the area most and least, where the sectors differ, balanced quotes),
    with candidate quotes ranked by how typical they are. Point a section of
    outline.yaml at a draft and import the outline (`definitions import`) to use it.
    """
    from innostudy.reporting.draft import draft_study

    with open_store(ctx) as store:
        written = draft_study(store, areas, force=force)
    for path in written:
        console.print(str(path), markup=False)
    console.print(
        f"Wrote {counted(len(written), 'draft')}; use one with `file: {written[0].name}` in "
        "outline.yaml, then `innostudy definitions import` that file"
        if written
        else "No areas to draft"
    )


@report_app.command("check")
def check(
    ctx: typer.Context,
    accept: Annotated[
        bool,
        typer.Option(
            "--accept",
            help="Record every placeholder's current value as read; later checks warn when "
            "one changes.",
        ),
    ] = False,
) -> None:
    """Resolve every placeholder and verify every quote without writing the report.

    Names each gap (a placeholder the data cannot fill; exit 1), and warns about numbers
    typed by hand, quote blocks that leave out groups with quotes, and values changed
    since the last --accept.
    """
    from innostudy.reporting.accepted import accept as record
    from innostudy.reporting.accepted import changed_since
    from innostudy.reporting.outline import study_outline
    from innostudy.reporting.render import build_document

    with open_store(ctx) as store:
        outline, _ = study_outline(store)
        folder = outline.folder
        document, _ = build_document(store, outline, "")
    warnings = [*document.warnings, *changed_since(folder, document)]
    for gap in document.gaps:
        err_console.print(f"gap: {gap.describe()}", markup=False, soft_wrap=True)
    for warning in warnings:
        err_console.print(f"warning: {warning}", markup=False, soft_wrap=True)
    if accept:
        console.print(f"Recorded the values as read: {record(folder, document)}", markup=False)
    summary = f"{folder}: {counted(len(document.sections), 'section')}; every quote is verbatim"
    gaps, warned = counted(len(document.gaps), "gap"), counted(len(warnings), "warning")
    console.print(f"{summary}; {gaps}, {warned}")
    if document.gaps:
        raise typer.Exit(1)


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


QuoteText = Annotated[
    str | None,
    typer.Option(
        "--text",
        help="An edited quote: words from the span, '. . .' where words are cut and "
        "[brackets] for your clarifications; each piece is checked against the transcript.",
    ),
]
LeadIn = Annotated[
    str | None,
    typer.Option("--lead-in", help="Your words before the quote, e.g. 'On suggestion schemes:'."),
]


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
    text: QuoteText = None,
    lead_in: LeadIn = None,
    by: Annotated[str, typer.Option("--by", help="Who selected it.")] = "",
) -> None:
    """Select a coded span (or part of it, or an edited version) as a quote; prints its label.

    Refused for a coding that is not a person's accepted coding, and for words of a
    participant who withdrew or did not agree to be quoted.
    """
    from innostudy.coding.quotes import add_quote

    with open_store(ctx) as store, store.write_session() as s:
        quote = add_quote(
            s, coding_id, start=start, end=end, text=text, lead_in=lead_in or "", selected_by=by
        )
        console.print(quote.label)


@quotes_app.command("edit")
def edit(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="The quote, e.g. Q-12.")],
    text: QuoteText = None,
    lead_in: LeadIn = None,
) -> None:
    """Change a quote's edited text (checked again, piece by piece) or its lead-in."""
    from innostudy.coding.quotes import edit_quote

    with open_store(ctx) as store, store.write_session() as s:
        quote = edit_quote(s, label, text=text, lead_in=lead_in)
        console.print(f"{quote.label}: {quote.text}", markup=False)


@quotes_app.command("drop")
def drop(
    ctx: typer.Context, label: Annotated[str, typer.Argument(help="The quote, e.g. Q-12.")]
) -> None:
    """Take a quote out of the report (it stays stored, marked dropped)."""
    from innostudy.coding.quotes import drop_quote

    with open_store(ctx) as store, store.write_session() as s:
        console.print(f"Dropped {drop_quote(s, label).label}")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report", rich_help_panel=REPORT)
    app.add_typer(quotes_app, name="quotes", rich_help_panel=REPORT)
