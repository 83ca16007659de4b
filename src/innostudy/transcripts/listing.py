"""Read-only views of stored transcripts: the list, and the redaction report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.errors import NotFoundError
from innostudy.model import (
    GroupSession,
    Redaction,
    Segment,
    Speaker,
    SpeakerRole,
    Transcript,
)
from innostudy.transcripts.usable import withdrawn_segment_ids


def find_transcript(session: Session, id_or_name: int | str) -> Transcript:
    """A transcript by ID, or by name when what was given is not a number."""
    found = None
    if isinstance(id_or_name, int) or id_or_name.isdigit():
        found = session.get(Transcript, int(id_or_name))
    if found is None and isinstance(id_or_name, str):
        found = session.scalar(sa.select(Transcript).where(Transcript.name == id_or_name))
    if found is None:
        raise NotFoundError("transcript", id_or_name, listing="transcripts list")
    return found


@dataclass(frozen=True)
class TranscriptRow:
    id: int
    name: str
    session_id: int
    session: str
    group: str | None
    format: str
    kind: str
    segments: int
    withdrawn_segments: int
    speakers: int
    unmapped_speakers: int
    redactions: int
    imported_at: datetime


def transcript_rows(session: Session) -> list[TranscriptRow]:
    def per_transcript(query: sa.Executable) -> dict[int, int]:
        return {tid: int(n) for tid, n in session.execute(query).all()}

    segments = per_transcript(
        sa.select(Segment.transcript_id, sa.func.count()).group_by(Segment.transcript_id)
    )
    redactions = per_transcript(
        sa.select(Segment.transcript_id, sa.func.count(Redaction.id))
        .join(Redaction, Redaction.segment_id == Segment.id)
        .group_by(Segment.transcript_id)
    )
    withdrawn_ids = withdrawn_segment_ids(session)
    withdrawn = per_transcript(
        sa.select(Segment.transcript_id, sa.func.count())
        .where(Segment.id.in_(withdrawn_ids))
        .group_by(Segment.transcript_id)
    )
    transcripts = session.scalars(
        sa.select(Transcript)
        .options(
            selectinload(Transcript.speakers),
            selectinload(Transcript.session).selectinload(GroupSession.focus_group),
        )
        .order_by(Transcript.id)
    ).all()
    return [
        TranscriptRow(
            id=t.id,
            name=t.name,
            session_id=t.session_id,
            session=t.session.name,
            group=t.session.focus_group.name if t.session.focus_group else None,
            format=t.source_format,
            kind=t.kind.value,
            segments=segments.get(t.id, 0),
            withdrawn_segments=withdrawn.get(t.id, 0),
            speakers=len(t.speakers),
            unmapped_speakers=sum(1 for sp in t.speakers if sp.role is SpeakerRole.UNKNOWN),
            redactions=redactions.get(t.id, 0),
            imported_at=t.imported_at,
        )
        for t in transcripts
    ]


@dataclass(frozen=True)
class RedactionRow:
    """One replacement: where, what tag, and the original (from the access-controlled layer)."""

    transcript_id: int
    segment_id: int
    position: int
    speaker: str | None
    tag: str
    kind: str
    original: str
    context: str  # the redacted text around the tag
    withdrawn: bool


def redaction_rows(session: Session, transcript_id: int | None = None) -> list[RedactionRow]:
    query = (
        sa.select(Redaction, Segment, Speaker.label)
        .join(Segment, Segment.id == Redaction.segment_id)
        .outerjoin(Speaker, Speaker.id == Segment.speaker_id)
        .order_by(Segment.transcript_id, Segment.position, Redaction.start)
    )
    if transcript_id is not None:
        find_transcript(session, transcript_id)
        query = query.where(Segment.transcript_id == transcript_id)
    withdrawn = withdrawn_segment_ids(session, transcript_id)
    return [
        RedactionRow(
            transcript_id=seg.transcript_id,
            segment_id=seg.id,
            position=seg.position,
            speaker=label,
            tag=r.tag,
            kind=r.kind,
            original=r.original,
            context=_context(seg.text, r.start, r.end),
            withdrawn=seg.id in withdrawn,
        )
        for r, seg, label in session.execute(query).all()
    ]


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    before = ("…" if start > width else "") + text[max(0, start - width) : start]
    after = text[end : end + width] + ("…" if end + width < len(text) else "")
    return f"{before}{text[start:end]}{after}"
