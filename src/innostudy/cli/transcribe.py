"""`innostudy transcripts transcribe`: a recording → speaker-separated turns, then the import."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from innostudy.cli.common import console, err_console, open_store
from innostudy.errors import InnostudyError

if TYPE_CHECKING:
    from innostudy.transcripts.audio.pipeline import Options, Transcription
    from innostudy.transcripts.transcribing import Source

ACTOR = "innostudy cli"


def transcribe(
    ctx: typer.Context,
    recording: Annotated[
        Path | None,
        typer.Argument(
            help="Audio or video file (WAV, MP3, M4A, MP4, WebM, Ogg, FLAC); "
            "default: the recording attached to --session.",
            show_default=False,
        ),
    ] = None,
    session_id: Annotated[
        int | None,
        typer.Option("--session", help="Session ID; its attached recording is used by default."),
    ] = None,
    speakers: Annotated[
        int | None,
        typer.Option(
            "--speakers",
            help="Number of people speaking; default: the session's participants + moderator.",
            show_default=False,
        ),
    ] = None,
    language: Annotated[str, typer.Option(help="Language code, e.g. en, fr.")] = "en",
    model: Annotated[
        str, typer.Option(help="Bundled Whisper model: tiny (English, default) or base.")
    ] = "tiny",
    speaker_map: Annotated[
        Path | None,
        typer.Option(help="Speaker map (YAML: S1: CODE or role).", show_default=False),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the turns; store nothing (work is kept).")
    ] = False,
    again: Annotated[bool, typer.Option("--again", help="Transcribe a file already in.")] = False,
    chunk_seconds: Annotated[
        float, typer.Option(help="Seconds of recording per resumable chunk.", min=10)
    ] = 120.0,
) -> None:
    """Transcribe a recording offline into turns by speaker (S1…Sn), then import them."""
    from innostudy.transcripts.audio.pipeline import Options
    from innostudy.transcripts.transcribing import WORK_FOLDER, resolve_source

    with open_store(ctx) as store, store.session() as s:  # read only: no lock while hearing
        source = resolve_source(s, store.folder, recording, session_id, speakers, again=again)
        workdir = store.files_dir / WORK_FOLDER
    options = Options(
        speakers=source.speakers,
        model=model,
        language=language or None,
        chunk_seconds=chunk_seconds,
    )
    result = _hear(source, options, workdir)
    if dry_run:
        _print_preview(ctx, source, result, speaker_map)
        return
    _store(ctx, source, result, speaker_map, again)


def _hear(source: Source, options: Options, workdir: Path) -> Transcription:
    from innostudy.transcripts.audio.pipeline import transcribe

    reached = [0.0, 0.0]
    with _audio_progress() as progress:

        def report(done: float, total: float) -> None:
            reached[:] = [done, total]
            progress(done, total)

        try:
            return transcribe(source.path, options, workdir, report)
        except KeyboardInterrupt:
            raise InnostudyError(
                f"interrupted at {_clock(reached[0])} of {_clock(reached[1])}; the finished "
                "chunks are kept: run the same command again to go on from there"
            ) from None


@contextmanager
def _audio_progress() -> Iterator[Callable[[float, float], None]]:
    """A bar in minutes of the recording, with the time left at the pace so far."""
    columns = (
        TextColumn("Transcribing"),
        BarColumn(),
        TextColumn("{task.fields[heard]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("transcribe", total=None, heard="")

        def update(done: float, total: float) -> None:
            bar.update(task, completed=done, total=total, heard=f"{_clock(done)}/{_clock(total)}")

        yield update


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _print_preview(
    ctx: typer.Context, source: Source, result: Transcription, speaker_map: Path | None
) -> None:
    """The same view as ``transcripts import --dry-run``: speakers, mapping, first turns."""
    from innostudy.cli.transcript_preview import preview_lines
    from innostudy.fieldwork.sessions import find_session
    from innostudy.transcripts.importing import dry_run
    from innostudy.transcripts.speakers import load_speaker_map
    from innostudy.transcripts.wordlist import redactor_for_study

    mapping = load_speaker_map(speaker_map) if speaker_map is not None else None
    with open_store(ctx) as store, store.session() as s:
        target = find_session(s, source.session_id) if source.session_id is not None else None
        words = store.setting_path("transcripts.redaction_words")
        shown = dry_run(
            s,
            source.path,
            target,
            speaker_map=mapping,
            redactor=redactor_for_study(s, word_list=words),
            draft=result.draft,
        )
    for line in preview_lines(shown, source.path):
        console.print(line, markup=False, highlight=False)
    for warning in shown.warnings:
        err_console.print(f"Warning: {warning}", markup=False)


def _store(
    ctx: typer.Context,
    source: Source,
    result: Transcription,
    speaker_map: Path | None,
    again: bool,
) -> None:
    from innostudy.cli.transcripts import import_summary
    from innostudy.fieldwork.sessions import find_session
    from innostudy.transcripts.importing import run_import
    from innostudy.transcripts.speakers import load_speaker_map
    from innostudy.transcripts.transcribing import refuse_without_consent
    from innostudy.transcripts.wordlist import redactor_for_study

    mapping = load_speaker_map(speaker_map) if speaker_map is not None else None
    detail = {**result.details, "recording_id": source.recording_id}
    with open_store(ctx) as store, store.write_session() as s:
        target = find_session(s, source.session_id) if source.session_id is not None else None
        if target is not None:
            refuse_without_consent(target)  # consent may have changed while we listened
        words = store.setting_path("transcripts.redaction_words")
        imported = run_import(
            s,
            source.path,
            target,
            speaker_map=mapping,
            redactor=redactor_for_study(s, word_list=words),
            actor=ACTOR,
            draft=result.draft,
            allow_duplicate=again,
            detail=detail,
        )
        lines = import_summary(imported, new_session=target is None)
    result.checkpoint.discard()
    model = result.details["model"]
    console.print(
        f"Heard by {model['name']} (sha256 {model['sha256'][:12]}…); {result.chunks} chunks"
        + (f", {result.resumed} kept from an earlier run" if result.resumed else ""),
        markup=False,
    )
    for line in lines:
        console.print(line, markup=False)
    for warning in imported.warnings:
        err_console.print(f"Warning: {warning}", markup=False)
