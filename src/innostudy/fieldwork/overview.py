"""Focus groups, their sessions and participants as the web pages list them.

Participants appear by code, role and level, with what their consent allows (read
through ``fieldwork.consent``); contact details are a separate function, for roles that
may see personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.fieldwork.consent import has_withdrawn, may_quote
from innostudy.model import FocusGroup, GroupSession, GroupType, Participant, Segment, Transcript


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    code: str
    role: str
    level: str
    organisation_type: str
    consent: str  # "may be quoted", "not for quotation", "withdrawn"


@dataclass(frozen=True)
class TranscriptRow:
    id: int
    name: str
    kind: str
    segments: int


@dataclass(frozen=True)
class SessionRow:
    id: int
    name: str
    session_date: date | None
    duration_minutes: int | None
    facilitator: str
    note_taker: str
    notes_md: str
    group_id: int | None
    group_label: str
    transcripts: list[TranscriptRow]


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    label: str
    type_label: str
    sector: str
    participants: list[ParticipantRow]
    sessions: list[SessionRow]
    min_size: int
    max_size: int

    @property
    def withdrawn(self) -> int:
        return sum(1 for p in self.participants if p.consent == "withdrawn")


def consent_summary(participant: Participant) -> str:
    if has_withdrawn(participant.consent):
        return "withdrawn"
    return "may be quoted" if may_quote(participant.consent) else "not for quotation"


def _transcripts(session: Session, session_id: int) -> list[TranscriptRow]:
    rows = session.execute(
        sa.select(Transcript, sa.func.count(Segment.id))
        .outerjoin(Segment, Segment.transcript_id == Transcript.id)
        .where(Transcript.session_id == session_id)
        .group_by(Transcript.id)
        .order_by(Transcript.id)
    ).all()
    return [TranscriptRow(t.id, t.name, t.kind.value, int(n)) for t, n in rows]


def session_row(session: Session, gs: GroupSession) -> SessionRow:
    group = gs.focus_group
    return SessionRow(
        gs.id,
        gs.name,
        gs.session_date,
        gs.duration_minutes,
        gs.facilitator,
        gs.note_taker,
        gs.notes_md,
        group.id if group else None,
        group.label if group else "No group",
        _transcripts(session, gs.id),
    )


def _group_row(session: Session, group: FocusGroup) -> GroupRow:
    gtype = group.group_type
    return GroupRow(
        group.id,
        group.name,
        group.label,
        gtype.label,
        gtype.sector.label,
        [
            ParticipantRow(p.id, p.code, p.role, p.level, p.organisation_type, consent_summary(p))
            for p in group.participants
        ],
        [session_row(session, s) for s in sorted(group.sessions, key=lambda s: s.id)],
        gtype.min_size,
        gtype.max_size,
    )


def list_groups(session: Session) -> list[GroupRow]:
    groups = session.scalars(
        sa.select(FocusGroup)
        .join(GroupType)
        .options(
            selectinload(FocusGroup.participants).selectinload(Participant.consent),
            selectinload(FocusGroup.sessions),
            selectinload(FocusGroup.group_type),
        )
        .order_by(GroupType.position, FocusGroup.id)
    ).all()
    return [_group_row(session, g) for g in groups]


def group_detail(session: Session, group_id: int) -> GroupRow | None:
    group = session.get(FocusGroup, group_id)
    return _group_row(session, group) if group is not None else None


def session_detail(session: Session, session_id: int) -> SessionRow | None:
    gs = session.get(GroupSession, session_id)
    return session_row(session, gs) if gs is not None else None


@dataclass(frozen=True)
class ParticipantContactRow:
    code: str
    full_name: str
    email: str
    phone: str
    organisation_name: str


def participant_contacts(session: Session, group_id: int) -> list[ParticipantContactRow]:
    """Personal data: only for roles that may see it (the caller checks)."""
    participants = session.scalars(
        sa.select(Participant)
        .where(Participant.focus_group_id == group_id)
        .options(selectinload(Participant.contact))
        .order_by(Participant.code)
    ).all()
    return [
        ParticipantContactRow(
            p.code,
            p.contact.full_name if p.contact else "",
            p.contact.email if p.contact else "",
            p.contact.phone if p.contact else "",
            p.contact.organisation_name if p.contact else "",
        )
        for p in participants
    ]
