"""Small edits a coder makes in the workbench, each leaving a trace in the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

# One audit format for every change to a coding, shared with coding.manual.
from innostudy.coding.manual import _audit
from innostudy.model import Coder, CoderKind, Coding, User, utcnow

MAX_MEMO = 4000


def person_coder(session: Session, user: User) -> Coder:
    """The coder that stands for a signed-in person (created on first use).

    Never one the account did not create or claim: when the account's name is already a
    coder's (made from the command line before the account existed), the account codes
    as ``<name> (web)`` and the other coder's work stays its own (docs/web.md).
    """
    coder = session.scalar(sa.select(Coder).where(Coder.user_id == user.id).order_by(Coder.id))
    if coder is not None:
        return coder
    name, n = user.username, 1
    while session.scalar(sa.select(Coder.id).where(Coder.name == name)) is not None:
        name, n = f"{user.username} (web{'' if n == 1 else f' {n}'})", n + 1
    coder = Coder(name=name, kind=CoderKind.PERSON, user_id=user.id)
    session.add(coder)
    session.flush()
    return coder


def set_memo(session: Session, coding: Coding, memo: str, *, actor: str) -> None:
    """Replace a coding's memo; the previous text is kept in the audit log."""
    text = memo.replace("\r\n", "\n").strip()[:MAX_MEMO]
    if text == coding.memo:
        return
    _audit(session, actor, "coding.memo", coding, {"previous": coding.memo})
    coding.memo = text
    coding.updated_at = utcnow()


def remove_coding(session: Session, coding: Coding, *, actor: str) -> None:
    """Delete a coding; what it was (code, span, coder, memo) stays in the audit log."""
    _audit(
        session,
        actor,
        "coding.remove",
        coding,
        {
            "segment_id": coding.segment_id,
            "code_id": coding.code_id,
            "coder_id": coding.coder_id,
            "start": coding.start,
            "end": coding.end,
            "status": coding.status.value,
            "memo": coding.memo,
        },
    )
    session.delete(coding)
    session.flush()
