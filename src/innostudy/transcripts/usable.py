"""The one way other stages get segments they may analyse: consent-aware segment queries.

A participant who withdrew keeps their words in the store (for audit) but those words
leave coding views, quote lists, matrices, searches, exports and reports. Every stage
asks here instead of joining ``Consent`` itself::

    from innostudy.transcripts.usable import usable_segments
    for segment in session.scalars(usable_segments(focus_group_id=group.id)):
        ...

The rule itself lives in ``fieldwork/consent.py`` (Python and SQL forms, tested equal).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.fieldwork.consent import withdrawn_clause, words_usable
from innostudy.model import (
    Consent,
    GroupSession,
    Participant,
    Segment,
    Speaker,
    SpeakerRole,
    Transcript,
    TranscriptKind,
)


def usable_segments(
    *,
    transcript_id: int | None = None,
    session_id: int | None = None,
    focus_group_id: int | None = None,
    segment_ids: Collection[int] | None = None,
    verbatim_only: bool = False,
    participants_only: bool = False,
) -> sa.Select[Segment]:
    """Segments whose words may be analysed, in transcript order; narrow with the filters.

    ``verbatim_only`` leaves out note-takers' notes (what quotes and word counts want);
    ``participants_only`` keeps the turns of mapped participants (what coding counts).
    """
    query = (
        sa.select(Segment)
        .join(Transcript, Transcript.id == Segment.transcript_id)
        .outerjoin(Speaker, Speaker.id == Segment.speaker_id)
        .outerjoin(Consent, Consent.participant_id == Speaker.participant_id)
        .where(sa.not_(withdrawn_clause()))
        .order_by(Segment.transcript_id, Segment.position)
    )
    if transcript_id is not None:
        query = query.where(Segment.transcript_id == transcript_id)
    if session_id is not None:
        query = query.where(Transcript.session_id == session_id)
    if focus_group_id is not None:
        query = query.join(GroupSession, GroupSession.id == Transcript.session_id).where(
            GroupSession.focus_group_id == focus_group_id
        )
    if segment_ids is not None:
        query = query.where(Segment.id.in_(list(segment_ids)))
    if verbatim_only:
        query = query.where(Transcript.kind == TranscriptKind.VERBATIM)
    if participants_only:
        query = query.where(
            Speaker.role == SpeakerRole.PARTICIPANT, Speaker.participant_id.is_not(None)
        )
    return query


def withdrawn_segment_ids(session: Session, transcript_id: int | None = None) -> set[int]:
    """Segments kept for audit only: spoken by a participant who has withdrawn."""
    query = (
        sa.select(Segment.id)
        .join(Speaker, Speaker.id == Segment.speaker_id)
        .join(Consent, Consent.participant_id == Speaker.participant_id)
        .where(withdrawn_clause())
    )
    if transcript_id is not None:
        query = query.where(Segment.transcript_id == transcript_id)
    return set(session.scalars(query))


def is_usable(segment: Segment) -> bool:
    """The same rule for a segment already loaded."""
    speaker = segment.speaker
    if speaker is None or speaker.participant is None:
        return True
    return words_usable(speaker.participant.consent)


@dataclass(frozen=True)
class SegmentView:
    """A segment as a person reads it: label as imported, participant code, times, text."""

    id: int
    position: int
    speaker: str | None
    role: str
    participant: str | None
    start_ms: int | None
    end_ms: int | None
    text: str
    withdrawn: bool


def segment_views(
    session: Session, transcript: Transcript, *, include_withdrawn: bool = False
) -> list[SegmentView]:
    """Segments of one transcript; a withdrawn participant's are flagged, text withheld
    unless ``include_withdrawn`` (an audit, asked for explicitly)."""
    segments = session.scalars(
        sa.select(Segment)
        .where(Segment.transcript_id == transcript.id)
        .options(
            selectinload(Segment.speaker)
            .selectinload(Speaker.participant)
            .selectinload(Participant.consent)
        )
        .order_by(Segment.position)
    ).all()
    views = []
    for seg in segments:
        sp = seg.speaker
        withdrawn = not is_usable(seg)
        views.append(
            SegmentView(
                id=seg.id,
                position=seg.position,
                speaker=sp.label if sp is not None else None,
                role=sp.role.value if sp is not None else SpeakerRole.UNKNOWN.value,
                participant=sp.participant.code if sp is not None and sp.participant else None,
                start_ms=seg.start_ms,
                end_ms=seg.end_ms,
                text="" if withdrawn and not include_withdrawn else seg.text,
                withdrawn=withdrawn,
            )
        )
    return views
