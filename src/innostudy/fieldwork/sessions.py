"""Sessions (meetings) of focus groups; a session may start outside any group until assigned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.errors import InputError, NotFoundError
from innostudy.model import FocusGroup, GroupSession, Recording, Transcript


def add_session(
    session: Session,
    group: FocusGroup | None,
    *,
    name: str | None = None,
    session_date: date | None = None,
    duration_minutes: int | None = None,
    facilitator: str = "",
    note_taker: str = "",
    notes_md: str = "",
) -> GroupSession:
    if duration_minutes is not None and duration_minutes <= 0:
        raise InputError("--duration", None, "duration", "must be a positive number of minutes")
    row = GroupSession(
        focus_group=group,
        name=name or (f"{group.name} session" if group else "Unassigned session"),
        session_date=session_date,
        duration_minutes=duration_minutes,
        facilitator=facilitator,
        note_taker=note_taker,
        notes_md=notes_md,
    )
    session.add(row)
    session.flush()
    return row


def find_session(session: Session, session_id: int) -> GroupSession:
    row = session.get(GroupSession, session_id)
    if row is None:
        raise NotFoundError("session", session_id, listing="sessions list")
    return row


def assign_session(group_session: GroupSession, group: FocusGroup) -> None:
    """Put a session (e.g. one made for an imported transcript) into its focus group."""
    group_session.focus_group = group


@dataclass(frozen=True)
class SessionRow:
    id: int
    name: str
    group: str | None
    session_date: date | None
    duration_minutes: int | None
    facilitator: str
    note_taker: str
    transcripts: int
    recordings: int


def session_rows(session: Session, group: FocusGroup | None = None) -> list[SessionRow]:
    counts = {
        model: dict(
            session.execute(
                sa.select(model.session_id, sa.func.count()).group_by(model.session_id)
            ).all()
        )
        for model in (Transcript, Recording)
    }
    query = (
        sa.select(GroupSession)
        .options(selectinload(GroupSession.focus_group))
        .order_by(GroupSession.session_date.is_(None), GroupSession.session_date, GroupSession.id)
    )
    if group is not None:
        query = query.where(GroupSession.focus_group_id == group.id)
    return [
        SessionRow(
            id=gs.id,
            name=gs.name,
            group=gs.focus_group.name if gs.focus_group else None,
            session_date=gs.session_date,
            duration_minutes=gs.duration_minutes,
            facilitator=gs.facilitator,
            note_taker=gs.note_taker,
            transcripts=int(counts[Transcript].get(gs.id, 0)),
            recordings=int(counts[Recording].get(gs.id, 0)),
        )
        for gs in session.scalars(query)
    ]
