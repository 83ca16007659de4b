"""Sessions (meetings) of focus groups."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from innostudy.model import FocusGroup, GroupSession


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
