"""`innostudy sessions …`: focus-group meetings, their notes and recordings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innostudy.cli.common import FIELDWORK, console, err_console, open_store
from innostudy.cli.output import ListFormat, emit
from innostudy.errors import StudyError

sessions_app = typer.Typer(
    help="Focus-group sessions: date, facilitator, notes, recordings.", no_args_is_help=True
)
SessionId = Annotated[int, typer.Argument(help="Session ID (see `sessions list`).")]


@sessions_app.command("add")
def add(
    ctx: typer.Context,
    group: Annotated[str, typer.Option(help="Focus group name.")],
    date: Annotated[str, typer.Option(help="Session date (YYYY-MM-DD).")],
    name: Annotated[str | None, typer.Option(help="Session name (default: GROUP session).")] = None,
    duration: Annotated[int | None, typer.Option(help="Length in minutes.")] = None,
    facilitator: Annotated[str, typer.Option(help="Facilitator, as transcripts label them.")] = "",
    note_taker: Annotated[str, typer.Option(help="Note-taker, as transcripts label them.")] = "",
    notes: Annotated[
        Path | None, typer.Option(help="Markdown file with the session notes.", show_default=False)
    ] = None,
) -> None:
    """Add a session to a focus group and print its ID."""
    from innostudy.fieldwork.participants import find_group
    from innostudy.fieldwork.sessions import add_session
    from innostudy.fieldwork.tables import parse_date
    from innostudy.textfiles import read_text

    day = parse_date(date, "--date", None, "date")
    notes_md = read_text(notes).text if notes is not None else ""
    with open_store(ctx) as store, store.write_session() as s:
        row = add_session(
            s,
            find_group(s, group),
            name=name,
            session_date=day,
            duration_minutes=duration,
            facilitator=facilitator,
            note_taker=note_taker,
            notes_md=notes_md,
        )
        session_id = row.id
    console.print(session_id)


@sessions_app.command("list")
def list_sessions(
    ctx: typer.Context,
    group: Annotated[str | None, typer.Option(help="Only this focus group.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="text or jsonl.")] = ListFormat.TEXT,
) -> None:
    """List sessions with their group, date, transcripts and recordings."""
    from innostudy.fieldwork.participants import find_group
    from innostudy.fieldwork.sessions import session_rows

    with open_store(ctx) as store, store.session() as s:
        rows = session_rows(s, find_group(s, group) if group else None)
    emit(
        fmt,
        rows,
        ["ID", "DATE", "GROUP", "MIN", "TRANSCRIPTS", "RECORDINGS", "NAME"],
        lambda r: [
            r.id,
            r.session_date,
            r.group or "(unassigned)",
            r.duration_minutes,
            r.transcripts,
            r.recordings,
            r.name,
        ],
    )


@sessions_app.command("assign")
def assign(
    ctx: typer.Context,
    session_id: SessionId,
    group: Annotated[str, typer.Option(help="Focus group name.")],
) -> None:
    """Put a session (e.g. one made for an imported transcript) into a focus group."""
    from innostudy.fieldwork.participants import find_group
    from innostudy.fieldwork.sessions import assign_session, find_session

    with open_store(ctx) as store, store.write_session() as s:
        assign_session(find_session(s, session_id), find_group(s, group))
    console.print(f"Session {session_id} is now in {group}")


@sessions_app.command("add-recording")
def add_recording(
    ctx: typer.Context,
    session_id: SessionId,
    file: Annotated[Path, typer.Argument(help="Audio or video file.")],
) -> None:
    """Copy a recording into the study folder with its SHA-256; print the recording ID."""
    from innostudy.fieldwork.recordings import add_recording as add
    from innostudy.fieldwork.recordings import consent_warnings
    from innostudy.fieldwork.sessions import find_session

    with open_store(ctx) as store, store.write_session() as s:
        group_session = find_session(s, session_id)
        row = add(s, store.folder, group_session, file)
        warnings = consent_warnings(group_session, row.media_type)
        rec_id, digest = row.id, row.sha256
    for warning in warnings:
        err_console.print(f"Warning: {warning}", markup=False)
    console.print(rec_id)
    err_console.print(f"sha256 {digest}")


@sessions_app.command("verify-recordings")
def verify_recordings(ctx: typer.Context) -> None:
    """Recompute every recording's checksum; exit non-zero if one is missing or changed."""
    from innostudy.fieldwork.recordings import verify_recordings as verify

    with open_store(ctx) as store, store.session() as s:
        checks = verify(s, store.folder)
    for check in checks:
        console.print(f"{check.recording_id}  {check.problem or 'ok'}  {check.path}", markup=False)
    bad = [c for c in checks if c.problem]
    if bad:
        raise StudyError(f"{len(bad)} of {len(checks)} recordings failed verification")


def register(app: typer.Typer) -> None:
    app.add_typer(sessions_app, name="sessions", rich_help_panel=FIELDWORK)
