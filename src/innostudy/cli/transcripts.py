"""`innostudy transcripts …`: bring transcripts in, map speakers, read them, audit redaction."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from innostudy.atomic import write_atomic
from innostudy.cli.common import TRANSCRIPTS, console, err_console, open_store
from innostudy.cli.output import FormatOption, ListFormat, emit, print_jsonl, print_table
from innostudy.cli.transcribe import transcribe
from innostudy.transcripts.formats import FORMAT_NAMES
from innostudy.transcripts.formats.layouts import LAYOUT_NAMES
from innostudy.wording import counted

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from innostudy.model import Transcript
    from innostudy.transcripts.importing import ImportResult
    from innostudy.transcripts.listing import RedactionRow
    from innostudy.transcripts.usable import SegmentView

transcripts_app = typer.Typer(
    help="Transcripts: import (txt, docx, vtt, srt, otter, notes), speakers, redaction.",
    no_args_is_help=True,
)
TranscriptId = Annotated[int, typer.Argument(help="Transcript ID (see `transcripts list`).")]
SessionOption = Annotated[
    int | None,
    typer.Option(
        "--session", help="Session ID; without it a new session outside any group is made."
    ),
]
SpeakersOption = Annotated[
    str | None,
    typer.Option(
        help='Speakers to people: "Ana=BUS-01,Ben=facilitator", or a YAML map file.',
        show_default=False,
    ),
]
AgainOption = Annotated[bool, typer.Option("--again", help="Import a file already imported.")]
ACTOR = "innostudy cli"


@transcripts_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Transcript file.")],
    session_id: SessionOption = None,
    fmt: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(FORMAT_NAMES)}.")
    ] = "auto",
    speakers: SpeakersOption = None,
    again: AgainOption = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show the layout, speakers and first turns; store nothing."),
    ] = False,
    layout: Annotated[
        str | None,
        typer.Option(help=f"How turns are marked: {', '.join(LAYOUT_NAMES)}.", show_default=False),
    ] = None,
    speaker_pattern: Annotated[
        str | None,
        typer.Option(
            help="Regular expression for a turn's first line, with a (?P<speaker>…) group.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Import a transcript: parse, map speakers, redact names, store (all or nothing)."""
    _import(
        ctx,
        file,
        session_id,
        speakers,
        again,
        fmt=fmt,
        layout=layout,
        pattern=speaker_pattern,
        dry=dry_run,
    )


transcripts_app.command("transcribe")(transcribe)


def _import(
    ctx: typer.Context,
    file: Path,
    session_id: int | None,
    speakers: str | None,
    again: bool,
    *,
    fmt: str = "auto",
    layout: str | None = None,
    pattern: str | None = None,
    dry: bool = False,
) -> None:
    from innostudy.cli.transcript_preview import preview_lines
    from innostudy.fieldwork.sessions import find_session
    from innostudy.transcripts.importing import dry_run, run_import
    from innostudy.transcripts.speakers import speaker_map_from
    from innostudy.transcripts.wordlist import redactor_for_study

    mapping = speaker_map_from(speakers) if speakers is not None else None
    with open_store(ctx) as store, store.session() if dry else store.write_session() as s:
        target = find_session(s, session_id) if session_id is not None else None
        redactor = redactor_for_study(
            s, word_list=store.setting_path("transcripts.redaction_words")
        )
        if dry:
            shown = dry_run(
                s, file, target, fmt=fmt, speaker_map=mapping, redactor=redactor, layout=layout,
                pattern=pattern,
            )  # fmt: skip
            lines, warnings = preview_lines(shown, file), shown.warnings
        else:
            result = run_import(
                s, file, target, fmt=fmt, speaker_map=mapping, redactor=redactor, layout=layout,
                pattern=pattern, actor=ACTOR, allow_duplicate=again,
            )  # fmt: skip
            lines = import_summary(result, new_session=target is None)
            warnings = result.warnings
    for line in lines:
        console.print(line, markup=False, highlight=False)
    for warning in warnings:
        err_console.print(f"Warning: {warning}", markup=False)


def import_summary(result: ImportResult, *, new_session: bool) -> list[str]:
    t = result.transcript
    where = f'session {t.session_id} "{t.session.name}"'
    if new_session:
        where += (
            f" (new, outside any group: `innostudy sessions assign {t.session_id} --group NAME`)"
        )
    from innostudy.transcripts.formats.layouts import describe

    lines = [
        f"Transcript {t.id}: {t.name} ({t.source_format}, {t.kind.value}), "
        f"{counted(len(t.segments), 'turn')}, into {where}",
        f"Layout: {describe(result.layout)}" if result.layout else "Layout: (not recorded)",
        *(f"Note: {note}" for note in result.notes),
    ]
    for label, a in result.speakers.items():
        target = next(
            (
                sp.participant.code
                for sp in t.speakers
                if sp.label == label and sp.participant is not None
            ),
            a.role.value,
        )
        lines.append(f"  {label} → {target}" + ("  (unmapped)" if a.how == "unmapped" else ""))
    lines.append(f"Redacted {result.redactions} names, organisations, emails and phone numbers")
    if result.unmapped:
        lines.append(
            f"{counted(len(result.unmapped), 'speaker')} unmapped: "
            f"`innostudy transcripts map-speakers {t.id}`"
        )
    return lines


@transcripts_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOption = ListFormat.TEXT) -> None:
    """List transcripts with their IDs, session, format, turns and unmapped speakers."""
    from innostudy.transcripts.listing import transcript_rows

    with open_store(ctx) as store, store.session() as s:
        rows = transcript_rows(s)
    emit(
        fmt,
        rows,
        ["ID", "FORMAT", "KIND", "TURNS", "UNMAPPED", "REDACTED", "SESSION", "GROUP", "NAME"],
        lambda r: [
            r.id,
            r.format,
            r.kind,
            r.segments,
            r.unmapped_speakers,
            r.redactions,
            r.session_id,
            r.group or "(unassigned)",
            r.name,
        ],
    )


@transcripts_app.command("show")
def show(
    ctx: typer.Context,
    transcript_id: TranscriptId,
    fmt: FormatOption = ListFormat.TEXT,
    include_withdrawn: Annotated[
        bool,
        typer.Option("--include-withdrawn", help="Show withdrawn participants' words (audit)."),
    ] = False,
) -> None:
    """Print a transcript's turns: speaker as imported, participant code, start, end, text."""
    from innostudy.transcripts.listing import find_transcript
    from innostudy.transcripts.usable import segment_views

    with open_store(ctx) as store, store.session() as s:
        transcript = find_transcript(s, transcript_id)
        title = f"Transcript {transcript.id}: {transcript.name} ({transcript.kind.value})"
        title += heard_by(s, transcript)
        views = segment_views(s, transcript, include_withdrawn=include_withdrawn)
    if fmt is ListFormat.JSONL:
        print_jsonl([_segment_record(v) for v in views if include_withdrawn or not v.withdrawn])
        return
    console.print(title, markup=False)
    print_table(["#", "START", "END", "SPEAKER", "CODE", "TEXT"], [_segment_row(v) for v in views])


def heard_by(s: Session, transcript: Transcript) -> str:
    """For a transcribed recording: which model heard it (the rest is in the import batch)."""
    from innostudy.model import ImportBatch

    batch = s.get(ImportBatch, transcript.batch_id) if transcript.batch_id else None
    model = batch.detail.get("model") if batch is not None else None
    return f", heard by {model['name']} (sha256 {model['sha256'][:12]}…)" if model else ""


def _segment_record(v: SegmentView) -> dict[str, object]:
    from innostudy.transcripts.timecodes import format_precise

    record = dataclasses.asdict(v)
    record["start"] = format_precise(v.start_ms) if v.start_ms is not None else None
    record["end"] = format_precise(v.end_ms) if v.end_ms is not None else None
    return {"segment_id": record.pop("id"), **record}


def _segment_row(v: SegmentView) -> list[object]:
    from innostudy.transcripts.timecodes import format_timecode

    code = v.participant or (f"[{v.role}]" if v.speaker else "-")
    text = v.text or ("[withdrawn: kept for audit only]" if v.withdrawn else "")
    return [
        v.position + 1,
        format_timecode(v.start_ms) if v.start_ms is not None else None,
        format_timecode(v.end_ms) if v.end_ms is not None else None,
        v.speaker,
        f"{code} (withdrawn)" if v.withdrawn else code,
        text,
    ]


@transcripts_app.command("map-speakers")
def map_speakers(
    ctx: typer.Context,
    transcript_id: TranscriptId,
    file: Annotated[
        Path | None, typer.Option("--file", help="Speaker map to apply.", show_default=False)
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(help="Write this transcript's speaker map here, to edit.", show_default=False),
    ] = None,
    all_speakers: Annotated[
        bool, typer.Option("--all", help="Prompt for every speaker, not only unmapped ones.")
    ] = False,
) -> None:
    """Map speaker labels to participant codes: from a file, or by answering prompts."""
    from innostudy.cli.speaker_prompt import prompt_for_speakers
    from innostudy.transcripts.listing import find_transcript
    from innostudy.transcripts.speakers import load_speaker_map, mapping_template, remap_speakers

    mapping = load_speaker_map(file) if file is not None else None
    with open_store(ctx) as store:
        if template is not None or mapping is None:
            # Prompts wait on a person: read only, so a running web app can still write.
            with store.session() as s:
                transcript = find_transcript(s, transcript_id)
                if template is not None:
                    write_atomic(template, mapping_template(s, transcript))
                    console.print(f"Speaker map written to {template}; edit it, then use --file")
                    return
                mapping = prompt_for_speakers(s, transcript, all_speakers=all_speakers)
        with store.write_session() as s:
            transcript = find_transcript(s, transcript_id)
            changes, warnings = remap_speakers(s, transcript, mapping, actor=ACTOR)
            left = [sp.label for sp in transcript.speakers if sp.role.value == "unknown"]
    for line in changes or ["No change"]:
        console.print(line, markup=False)
    for warning in warnings:
        err_console.print(f"Warning: {warning}", markup=False)
    if left:
        err_console.print(f"Still unmapped: {', '.join(left)}", markup=False)


@transcripts_app.command("redaction-report")
def redaction_report(
    ctx: typer.Context,
    transcript_id: Annotated[
        int | None, typer.Argument(help="Only this transcript (default: all).")
    ] = None,
    summary: Annotated[bool, typer.Option("--summary", help="Counts only, no originals.")] = False,
    fmt: FormatOption = ListFormat.TEXT,
) -> None:
    """List what redaction replaced, with the originals (access-controlled layer)."""
    from innostudy.transcripts.listing import redaction_rows

    with open_store(ctx) as store, store.session() as s:
        rows = redaction_rows(s, transcript_id)
    if fmt is ListFormat.JSONL:
        hidden = {"original", "context"} if summary else set()
        print_jsonl(
            [{k: v for k, v in dataclasses.asdict(r).items() if k not in hidden} for r in rows]
        )
        return
    _print_redactions(rows, summary)


def _print_redactions(rows: list[RedactionRow], summary: bool) -> None:
    by_transcript: dict[int, list[RedactionRow]] = {}
    for r in rows:
        by_transcript.setdefault(r.transcript_id, []).append(r)
    if not rows:
        console.print("Nothing was redacted")
    for tid, items in by_transcript.items():
        kinds = Counter(r.kind for r in items)
        counts = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        console.print(
            f"Transcript {tid}: {counted(len(items), 'replacement')} ({counts})", markup=False
        )
        if not summary:
            print_table(
                ["#", "TAG", "KIND", "ORIGINAL", "IN CONTEXT"],
                [
                    [
                        r.position + 1,
                        r.tag,
                        r.kind + (" (withdrawn)" if r.withdrawn else ""),
                        r.original,
                        r.context,
                    ]
                    for r in items
                ],
            )


def register(app: typer.Typer) -> None:
    app.add_typer(transcripts_app, name="transcripts", rich_help_panel=TRANSCRIPTS)
