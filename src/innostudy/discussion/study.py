"""A study's discussions, read once for the measures: turns, speakers, codes and stances.

Turns come from ``transcripts.usable.usable_segments`` (the one consent-aware query),
verbatim transcripts only (a note-taker's notes have no turns to weigh): a withdrawn
participant's turns are left out of every figure, as of every other view. Codes and
stances are people's accepted codings (``coding.coded.accepted_by_person``), limited to
``coders`` when given (the study's main coding, so that a reliability coder's second
pass is not pooled with it). Speakers are known by participant code; the moderator is
"Facilitator"; anyone else by role ("Note-taker") or as "Speaker N" in order of first
appearance, never by the label as imported (which may be a name).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.coded import accepted_by_person
from innostudy.discussion.turns import MODERATOR, OTHER, PARTICIPANT, Discussion, Turn
from innostudy.model import (
    Code,
    Coder,
    Coding,
    FocusGroup,
    GroupSession,
    GroupType,
    Participant,
    Sector,
    Segment,
    Speaker,
    SpeakerRole,
    Stance,
    Transcript,
)
from innostudy.transcripts.usable import usable_segments

FACILITATOR = "Facilitator"
NOTE_TAKER = "Note-taker"

_Marks = dict[int, tuple[set[str], dict[str, Stance]]]  # segment → codes, code → stance


class _Row(NamedTuple):
    segment_id: int
    transcript_id: int
    position: int
    start_ms: int | None
    end_ms: int | None
    text: str
    speaker_id: int | None
    role: SpeakerRole | None
    participant_id: int | None


class _Meta(NamedTuple):
    transcript_id: int
    session_id: int
    name: str
    group_id: int | None
    group: str | None
    sector: Sector | None


def load_discussions(
    session: Session,
    *,
    coders: Sequence[str] | None = None,
    session_id: int | None = None,
    transcript_id: int | None = None,
) -> list[Discussion]:
    """Every verbatim transcript's turns (narrowed to a session or transcript), in
    group-type order, then by session and transcript."""
    rows = [
        _Row(*r)
        for r in session.execute(
            usable_segments(
                verbatim_only=True, session_id=session_id, transcript_id=transcript_id
            ).with_only_columns(
                Segment.id,
                Segment.transcript_id,
                Segment.position,
                Segment.start_ms,
                Segment.end_ms,
                Segment.text,
                Speaker.id,
                Speaker.role,
                Speaker.participant_id,
            )
        )
    ]
    by_transcript: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        by_transcript[row.transcript_id].append(row)
    marks = _marks(session, coders, transcript_ids=list(by_transcript))
    people = {
        row.id: row.code for row in session.execute(sa.select(Participant.id, Participant.code))
    }
    discussions = [
        _discussion(meta, by_transcript[meta.transcript_id], marks, people)
        for meta in _transcripts(session, list(by_transcript))
    ]
    return discussions


def _transcripts(session: Session, ids: list[int]) -> list[_Meta]:
    """Where each transcript belongs, in group-type order, then by session."""
    if not ids:
        return []
    query = (
        sa.select(
            Transcript.id,
            GroupSession.id,
            GroupSession.name,
            FocusGroup.id,
            FocusGroup.label,
            GroupType.sector,
        )
        .join(GroupSession, GroupSession.id == Transcript.session_id)
        .outerjoin(FocusGroup, FocusGroup.id == GroupSession.focus_group_id)
        .outerjoin(GroupType, GroupType.id == FocusGroup.group_type_id)
        .where(Transcript.id.in_(ids))
        .order_by(GroupType.position.is_(None), GroupType.position, FocusGroup.id, GroupSession.id)
        .order_by(Transcript.id)
    )
    return [_Meta(*r) for r in session.execute(query)]


def _marks(session: Session, coders: Sequence[str] | None, *, transcript_ids: list[int]) -> _Marks:
    query = (
        sa.select(Coding.segment_id, Code.key, Coding.stance)
        .join(Code, Code.id == Coding.code_id)
        .join(Segment, Segment.id == Coding.segment_id)
        .where(accepted_by_person(), Segment.transcript_id.in_(transcript_ids))
        .order_by(Coding.segment_id, Coding.id)
    )
    if coders:
        query = query.join(Coder, Coder.id == Coding.coder_id).where(Coder.name.in_(coders))
    marks: _Marks = {}
    for segment_id, key, stance in session.execute(query):
        codes, stances = marks.setdefault(segment_id, (set(), {}))
        codes.add(key)
        if stance is not None:
            stances.setdefault(key, stance)
    return marks


def _discussion(meta: _Meta, rows: list[_Row], marks: _Marks, people: dict[int, str]) -> Discussion:
    unnamed: dict[int | None, str] = {}
    turns = []
    for r in rows:
        kind, who = _speaker(r.role, r.participant_id, r.speaker_id, people, unnamed)
        none: tuple[set[str], dict[str, Stance]] = (set(), {})
        codes, stances = marks.get(r.segment_id, none) if kind == PARTICIPANT else none
        turns.append(
            Turn(
                segment_id=r.segment_id,
                position=r.position,
                speaker=who,
                role=kind,
                words=len(r.text.split()),
                start_ms=r.start_ms,
                end_ms=r.end_ms,
                text=r.text if kind == MODERATOR else "",
                codes=frozenset(codes),
                stances=stances,
            )
        )
    return Discussion(
        transcript_id=meta.transcript_id,
        session_id=meta.session_id,
        name=meta.name,
        group_id=meta.group_id,
        group=meta.group or "",
        sector=meta.sector,
        turns=turns,
        end_times=any(t.end_ms is not None for t in turns),
    )


def _speaker(
    role: SpeakerRole | None,
    participant_id: int | None,
    speaker_id: int | None,
    people: dict[int, str],
    unnamed: dict[int | None, str],
) -> tuple[str, str]:
    if role is SpeakerRole.FACILITATOR:
        return MODERATOR, FACILITATOR
    if role is SpeakerRole.PARTICIPANT and participant_id is not None:
        return PARTICIPANT, people[participant_id]
    if role is SpeakerRole.NOTE_TAKER:
        return OTHER, NOTE_TAKER
    if speaker_id not in unnamed:
        unnamed[speaker_id] = f"Speaker {len(unnamed) + 1}"
    return OTHER, unnamed[speaker_id]
