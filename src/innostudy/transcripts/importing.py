"""Bring a transcript file into a session: parse, map speakers, redact, store in one go.

Everything that can fail (parsing, an unknown participant code in the speaker map, a
file imported twice) fails before the first write; the caller's transaction then holds
the whole transcript or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.errors import InputError
from innostudy.fieldwork.recordings import sha256_of
from innostudy.model import (
    GroupSession,
    ImportBatch,
    ImportKind,
    Participant,
    Redaction,
    Segment,
    SegmentRaw,
    Speaker,
    Transcript,
    TranscriptKind,
)
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats import parse_transcript, resolve_format
from innostudy.transcripts.preview import Preview, preview
from innostudy.transcripts.redaction import Redactor
from innostudy.transcripts.speakers import (
    SpeakerAssignment,
    SpeakerMap,
    SpeakerResolver,
    as_speaker_map,
)
from innostudy.transcripts.wordlist import redactor_for_study

__all__ = ["ImportResult", "dry_run", "import_transcript", "redactor_for_study", "run_import"]


@dataclass
class ImportResult:
    transcript: Transcript
    speakers: dict[str, SpeakerAssignment]
    redactions: int
    warnings: list[str] = field(default_factory=list)
    layout: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def unmapped(self) -> list[str]:
        return [label for label, a in self.speakers.items() if a.how == "unmapped"]


def import_transcript(
    session: Session,
    path: Path,
    group_session: GroupSession,
    *,
    fmt: str = "auto",
    speaker_map: Mapping[str, str] | SpeakerMap | None = None,
    speaker_map_source: str = "speaker map",
    kind: TranscriptKind = TranscriptKind.VERBATIM,
    redactor: Redactor | None = None,
    actor: str = "",
) -> Transcript:
    """Import one file into ``group_session`` and return the stored transcript."""
    return run_import(
        session,
        path,
        group_session,
        fmt=fmt,
        speaker_map=as_speaker_map(speaker_map, speaker_map_source),
        kind=kind,
        redactor=redactor,
        actor=actor,
    ).transcript


def session_for_file(session: Session, name: str) -> GroupSession:
    """A new session outside any group, named after the file, to be assigned later."""
    row = GroupSession(name=name, focus_group=None)
    session.add(row)
    session.flush()
    return row


def run_import(
    session: Session,
    path: Path,
    group_session: GroupSession | None,
    *,
    fmt: str = "auto",
    speaker_map: SpeakerMap | None = None,
    kind: TranscriptKind = TranscriptKind.VERBATIM,
    redactor: Redactor | None = None,
    actor: str = "",
    draft: TranscriptDraft | None = None,
    allow_duplicate: bool = False,
    detail: dict[str, Any] | None = None,
    layout: str | None = None,
    pattern: str | None = None,
) -> ImportResult:
    """Parse (unless ``draft`` is given), check, then write; ``None`` session: a new one.

    ``layout`` or ``pattern`` say how turns are marked when the file's own evidence is
    not wanted (``--layout``, ``--speaker-pattern``). ``detail`` is kept with the import
    batch: how the transcript was made (a transcription's models and their SHA-256).
    """
    fmt_name = "audio" if draft is not None else resolve_format(path, fmt)
    if draft is None:
        draft = parse_transcript(path, fmt_name, layout=layout, pattern=pattern)
    digest = sha256_of(path)  # streamed: a recording may be gigabytes
    if group_session is not None and not allow_duplicate:
        refuse_duplicate(session, path, digest, group_session)
    speakers, warnings = resolve_speakers(session, path, group_session, draft, speaker_map)
    redactor = redactor or redactor_for_study(session)
    # A file is often named after someone ("interview-jane-smith.docx"): the name people
    # see goes through the same redaction as the words; the file name stays in the raw
    # layer (source_file, the import batch) with the rest of what came in.
    name = redactor.redact(path.stem)[0]
    if group_session is None:
        group_session = session_for_file(session, name)
    batch = ImportBatch(
        kind=ImportKind.TRANSCRIPT,
        file_name=path.name,
        file_sha256=digest,
        file_format=fmt_name,
        actor=actor,
        rows_total=len(draft.segments),
        rows_imported=len(draft.segments),
        detail={
            **(detail or {}),
            "layout": draft.layout,
            "notes": draft.notes,
            "warnings": draft.warnings,
        },
    )
    session.add(batch)
    session.flush()
    transcript = Transcript(
        session_id=group_session.id,
        name=name,
        kind=kind if draft.verbatim else TranscriptKind.NOTES,
        source_file=path.name,
        source_format=fmt_name,
        source_sha256=digest,
        batch_id=batch.id,
    )
    session.add(transcript)
    session.flush()
    count = _store_segments(session, transcript, draft, speakers, redactor)
    session.refresh(transcript)
    return ImportResult(
        transcript, speakers, count, [*draft.warnings, *warnings], draft.layout, draft.notes
    )


def dry_run(
    session: Session,
    path: Path,
    group_session: GroupSession | None,
    *,
    fmt: str = "auto",
    speaker_map: SpeakerMap | None = None,
    redactor: Redactor | None = None,
    layout: str | None = None,
    pattern: str | None = None,
    draft: TranscriptDraft | None = None,
) -> Preview:
    """Everything ``run_import`` would decide, computed without writing anything; ``draft``
    is given when the turns came from elsewhere (a transcription), so both dry runs show
    one view."""
    if draft is None:
        draft = parse_transcript(path, resolve_format(path, fmt), layout=layout, pattern=pattern)
    speakers, warnings = resolve_speakers(session, path, group_session, draft, speaker_map)
    ids = [a.participant_id for a in speakers.values() if a.participant_id is not None]
    rows = session.execute(
        sa.select(Participant.id, Participant.code).where(Participant.id.in_(ids))
    )
    codes = {row.id: row.code for row in rows}
    return preview(
        draft, speakers, codes, redactor or redactor_for_study(session), warnings=warnings
    )


def resolve_speakers(
    session: Session,
    path: Path,
    group_session: GroupSession | None,
    draft: TranscriptDraft,
    speaker_map: SpeakerMap | None,
) -> tuple[dict[str, SpeakerAssignment], list[str]]:
    """Who each label is, without writing anything (the dry run shows the same)."""
    mapping = speaker_map or SpeakerMap()
    probe = group_session or GroupSession(name=path.stem)
    resolver = SpeakerResolver(session, probe, mapping)
    speakers = resolver.resolve(draft.speakers)
    return speakers, [*resolver.warnings, *resolver.unused(draft.speakers)]


def refuse_duplicate(
    session: Session, path: Path, digest: str, group_session: GroupSession
) -> None:
    existing = session.scalar(
        sa.select(Transcript.id).where(
            Transcript.session_id == group_session.id, Transcript.source_sha256 == digest
        )
    )
    if existing is not None:
        raise InputError(
            path,
            None,
            None,
            f"this file is already transcript {existing} of session {group_session.id}; "
            "pass --again to import it once more",
        )


def _store_segments(
    session: Session,
    transcript: Transcript,
    draft: TranscriptDraft,
    speakers: dict[str, SpeakerAssignment],
    redactor: Redactor,
) -> int:
    """Speakers, segments (raw and redacted) and redaction rows; returns the redactions made."""
    speaker_rows = {
        label: Speaker(
            transcript_id=transcript.id, label=label, role=a.role, participant_id=a.participant_id
        )
        for label, a in speakers.items()
    }
    session.add_all(speaker_rows.values())
    session.flush()
    rows = []
    replacements = []
    for position, seg in enumerate(draft.segments):
        text, found = redactor.redact(seg.text)
        rows.append(
            Segment(
                transcript_id=transcript.id,
                position=position,
                speaker_id=speaker_rows[seg.speaker].id if seg.speaker else None,
                start_ms=seg.start_ms,
                end_ms=seg.end_ms,
                text=text,
                raw=SegmentRaw(text=seg.text),
            )
        )
        replacements.append(found)
    session.add_all(rows)
    session.flush()  # one batched insert; the ids are needed by the redaction rows
    session.add_all(
        Redaction(
            segment_id=row.id, start=r.start, end=r.end, tag=r.tag, kind=r.kind, original=r.original
        )
        for row, found in zip(rows, replacements, strict=True)
        for r in found
    )
    session.flush()
    return sum(len(found) for found in replacements)
