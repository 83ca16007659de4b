"""`innostudy code reliability|matrix|search`: what the coding shows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innostudy.atomic import write_atomic
from innostudy.cli.common import console, err_console, open_store
from innostudy.cli.output import FormatOption, ListFormat, emit

MATRICES = ("group", "sector", "cooccurrence", "survey")


ComparedCoders = Annotated[
    list[str], typer.Option("--coder", "-c", help="A coder to compare (two or more).")
]
TranscriptOpt = Annotated[str | None, typer.Option(help="Only this transcript (id or name).")]
ShowOpt = Annotated[int, typer.Option(help="How many disagreements to list.")]


def two_coders(coders: list[str]) -> None:
    """Reliability compares people: the same name twice is one coder."""
    from innostudy.errors import InputError

    if len(set(coders)) < 2:
        raise InputError("--coder", None, "coder", "name at least two different coders")


def reliability(
    ctx: typer.Context,
    coders: ComparedCoders,
    transcript: TranscriptOpt = None,
    show: ShowOpt = 20,
) -> None:
    """Agreement between coders on the turns they both coded: % agreement, Cohen's kappa,
    Krippendorff's alpha, Gwet's AC1 and prevalence, overall and per code."""
    from innostudy.coding.double_coding import study_reliability
    from innostudy.coding.reliability_text import report_lines
    from innostudy.transcripts.listing import find_transcript

    with open_store(ctx) as store, store.session() as s:
        tid = find_transcript(s, transcript).id if transcript else None
        result = study_reliability(s, coders, transcript_id=tid)
    for line in report_lines(result, show):
        console.print(line, markup=False, highlight=False)


def calibration(
    ctx: typer.Context,
    chart: Annotated[
        Path | None, typer.Option(help="Also draw the reliability diagram (PNG or SVG) here.")
    ] = None,
) -> None:
    """How far to trust the suggestions' confidence: accepted share by confidence, ECE, and
    the threshold per code the next `code suggest` will use."""
    from innostudy.coding.auto.calibration_text import calibration_chart, calibration_lines
    from innostudy.coding.auto.reviews import calibration_report

    with open_store(ctx) as store, store.session() as s:
        report = calibration_report(s)
        synthetic = store.settings.synthetic
    drawn = (
        calibration_chart(report, synthetic=synthetic, fmt=chart.suffix[1:].lower())
        if chart
        else None
    )
    for line in calibration_lines(report):
        console.print(line, markup=False, highlight=False)
    if chart and drawn:
        chart.write_bytes(drawn)
        err_console.print(f"Wrote {chart}")


def matrix(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="group, sector, cooccurrence or survey.")],
    question: Annotated[
        str | None, typer.Option(help="For `survey`: question key, or key:item for a matrix row.")
    ] = None,
    xlsx: Annotated[
        Path | None, typer.Option(help="Also write the tables to this XLSX file.")
    ] = None,
    heatmap: Annotated[Path | None, typer.Option(help="Also draw a heatmap PNG here.")] = None,
    share: Annotated[
        bool, typer.Option("--share", help="Print shares of each column's base, not counts.")
    ] = False,
    unit: Annotated[
        str,
        typer.Option(
            help="Count turns, participants (how many people raised it) or groups "
            "(how many groups)."
        ),
    ] = "turn",
) -> None:
    """Code matrices: by group, civil service vs comparison, co-occurrence, or by survey answer."""
    from innostudy.coding.coded import study_main_coding
    from innostudy.coding.group_matrix import UNIT_BASES
    from innostudy.coding.matrix_output import heatmap_png, redact_tables, write_xlsx
    from innostudy.coding.provenance import machine_assistance
    from innostudy.coding.workflows_matrix import matrix_tables
    from innostudy.personal_data import PersonalData

    with open_store(ctx) as store, store.session() as s:
        main = study_main_coding(s, store.settings)  # never pooled with a reliability coder
        tables = matrix_tables(s, kind, question, unit, coders=main.coders)
        synthetic = store.settings.synthetic
        tables, redacted = redact_tables(tables, PersonalData.of(s))
        assistance = machine_assistance(s).rows() if xlsx else None
    shown = tables["share" if share and "share" in tables else next(iter(tables))]
    if redacted:
        err_console.print(f"Redacted {redacted} personal details in names (as in every export)")
    console.print(shown.to_string(), markup=False)
    if "bases" in tables:
        bases = ", ".join(f"{k} {v}" for k, v in tables["bases"].iloc[0].items())
        console.print(f"Base ({UNIT_BASES[unit]}): {bases}", markup=False)
    if xlsx:
        write_xlsx(xlsx, tables, synthetic=synthetic, assistance=assistance)
        err_console.print(f"Wrote {xlsx}")
    if heatmap:
        title = f"Codes by {kind}" + (" (synthetic)" if synthetic else "")
        write_atomic(heatmap, heatmap_png(shown, title))
        err_console.print(f"Wrote {heatmap}")


def search(
    ctx: typer.Context,
    phrase: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    group: Annotated[
        str | None, typer.Option(help="Only this focus group (name or label).")
    ] = None,
    code: Annotated[
        str | None, typer.Option(help="Only segments coded with this code (or below).")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many segments.")] = 10,
) -> None:
    """Find the segments closest in meaning to a phrase."""
    from innostudy.coding.auto.embeddings import encoder_from_env
    from innostudy.coding.search import search_segments
    from innostudy.errors import InputError

    if not phrase.strip():
        raise InputError("PHRASE", None, "phrase", "give a phrase to search for")
    with open_store(ctx) as store, store.session() as s:
        hits = search_segments(s, encoder_from_env(), phrase, group=group, code=code, limit=limit)
    for h in hits:
        codes = f" [{', '.join(h.codes)}]" if h.codes else ""
        console.print(
            f"{h.similarity:.2f}  seg {h.segment.id} ({h.segment.group_label}){codes}: "
            f"{h.segment.text}",
            markup=False,
        )
    if not hits:
        err_console.print("No segments match those filters.")


def coders(ctx: typer.Context, fmt: FormatOption = ListFormat.TEXT) -> None:
    """List coders (people and models) with the codings of theirs that count."""
    from innostudy.coding.coded import coder_summaries

    with open_store(ctx) as store, store.session() as s:
        rows = coder_summaries(s)
    emit(
        fmt,
        rows,
        ["CODER", "KIND", "ACCEPTED", "TRANSCRIPTS"],
        lambda r: [r.name, r.kind, r.accepted, r.transcripts],
    )


def main_coders(
    ctx: typer.Context,
    names: Annotated[
        list[str], typer.Argument(help="The people whose accepted codings the study counts.")
    ],
) -> None:
    """Say whose coding is the study's main coding (coding.main_coders in study.toml).

    Everyone else who coded becomes a reliability coder: compared, never counted. Needed
    once two people have coded the same transcript.
    """
    from innostudy.coding.coded import MAIN_CODERS_SETTING, main_coding
    from innostudy.config import set_setting
    from innostudy.storage.study_folder import STUDY_TOML

    with open_store(ctx) as store, store.session() as s:
        found = main_coding(s, names)  # refuses a name that is a model or never coded
        path = store.folder / STUDY_TOML
    set_setting(path, MAIN_CODERS_SETTING, ", ".join(names))
    others = ", ".join(found.reliability) or "none"
    console.print(
        f"Main coding: {', '.join(found.coders)}; reliability coders: {others} "
        f"({MAIN_CODERS_SETTING} in {path})",
        markup=False,
    )


def register_into(code_app: typer.Typer) -> None:
    code_app.command("coders")(coders)
    code_app.command("main-coders")(main_coders)
    code_app.command("reliability")(reliability)
    code_app.command("calibration")(calibration)
    code_app.command("matrix")(matrix)
    code_app.command("search")(search)
