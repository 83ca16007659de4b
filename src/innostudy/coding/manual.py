"""Coding by people (and accepting what models suggest): apply, list, memo and remove.

The one implementation behind the CLI and the web workbench, so both leave the same
audit records (``coding.status``, ``suggestion.review``, ``coding.memo``,
``coding.stance``, ``coding.remove``).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.coding.spans import check_span
from innostudy.errors import InputError, NotFoundError
from innostudy.model import (
    AuditEvent,
    Code,
    Coder,
    CoderKind,
    Coding,
    CodingStatus,
    Segment,
    Stance,
    User,
    utcnow,
)

MAX_MEMO = 4000


def coder_named(session: Session, name: str, kind: CoderKind = CoderKind.PERSON) -> Coder:
    """The coder called ``name``; a person named like a web account is that account's coder."""
    coder = session.scalar(sa.select(Coder).where(Coder.name == name))
    if coder is not None:
        return coder
    user = (
        session.scalar(sa.select(User).where(User.username == name))
        if kind is CoderKind.PERSON
        else None
    )
    if user is not None:
        mine = session.scalar(sa.select(Coder).where(Coder.user_id == user.id).order_by(Coder.id))
        if mine is not None:
            return mine
    coder = Coder(name=name, kind=kind, user_id=user.id if user is not None else None)
    session.add(coder)
    session.flush()
    return coder


def apply_code(
    session: Session,
    segment: Segment,
    code: Code,
    coder: Coder,
    start: int,
    end: int,
    *,
    status: CodingStatus = CodingStatus.ACCEPTED,
    confidence: float | None = None,
    memo: str = "",
) -> Coding:
    """Apply ``code`` to [start, end) of the segment's text; the same span twice is one coding."""
    problem = check_span(segment.text, start, end)
    if problem is not None:
        raise InputError(f"segment {segment.id}", None, "span", problem)
    existing = session.scalar(
        sa.select(Coding).where(
            Coding.segment_id == segment.id,
            Coding.code_id == code.id,
            Coding.coder_id == coder.id,
            Coding.start == start,
            Coding.end == end,
        )
    )
    if existing is not None:
        if existing.status != status:
            _audit(
                session,
                coder.name,
                "coding.status",
                existing,
                {"from": existing.status.value, "to": status.value},
            )
            existing.status = status
            existing.updated_at = utcnow()
        return existing
    coding = Coding(
        segment_id=segment.id,
        code_id=code.id,
        coder_id=coder.id,
        start=start,
        end=end,
        status=status,
        confidence=confidence,
        memo=_clean_memo(memo),
    )
    session.add(coding)
    session.flush()
    return coding


def review_suggestion(
    session: Session, suggestion: Coding, reviewer: Coder, *, accept: bool
) -> Coding | None:
    """A person accepts or rejects a model's suggestion; both are kept, with a trace.

    The suggestion row keeps the model's claim and records the verdict (accepted or
    rejected), which is what learning reads. Accepting also creates the reviewer's own
    coding of the same span, so reliability and reports count a person's judgement.
    """
    if suggestion.status is not CodingStatus.SUGGESTED:
        raise InputError(
            f"coding {suggestion.id}",
            None,
            "status",
            f"is {suggestion.status.value}, not a suggestion",
        )
    verdict = CodingStatus.ACCEPTED if accept else CodingStatus.REJECTED
    _audit(session, reviewer.name, "suggestion.review", suggestion, {"verdict": verdict.value})
    suggestion.status = verdict
    suggestion.updated_at = utcnow()
    if not accept:
        session.flush()
        return None
    coding = apply_code(
        session, suggestion.segment, suggestion.code, reviewer, suggestion.start, suggestion.end
    )
    coding.reason = {"accepted_suggestion": suggestion.id}
    session.flush()
    return coding


def _audit(
    session: Session, actor: str, action: str, coding: Coding, detail: dict[str, object]
) -> None:
    session.add(
        AuditEvent(
            actor=actor, action=action, entity_type="coding", entity_id=coding.id, detail=detail
        )
    )


def list_codings(
    session: Session,
    *,
    coder: str | None = None,
    code: str | None = None,
    segment_id: int | None = None,
    transcript_id: int | None = None,
    status: CodingStatus | None = None,
) -> list[Coding]:
    """Codings in transcript order; withdrawn participants' segments are left out."""
    from innostudy.coding.segments import codable_segments

    query = (
        sa.select(Coding)
        .join(Segment, Coding.segment_id == Segment.id)
        .join(Code, Coding.code_id == Code.id)
        .join(Coder, Coding.coder_id == Coder.id)
        .options(
            selectinload(Coding.code), selectinload(Coding.coder), selectinload(Coding.segment)
        )
        .order_by(Segment.transcript_id, Segment.position, Coding.start, Coding.id)
    )
    if coder is not None:
        query = query.where(Coder.name == coder)
    if code is not None:
        query = query.where(sa.or_(Code.key == code, Code.key.startswith(code + ".")))
    if segment_id is not None:
        query = query.where(Coding.segment_id == segment_id)
    if transcript_id is not None:
        query = query.where(Segment.transcript_id == transcript_id)
    if status is not None:
        query = query.where(Coding.status == status)
    usable = {s.id for s in codable_segments(session, transcript_id=transcript_id)}
    return [c for c in session.scalars(query) if c.segment_id in usable]


def coding_by_id(session: Session, coding_id: int) -> Coding:
    coding = session.get(Coding, coding_id)
    if coding is None:
        raise NotFoundError("coding", coding_id, listing="code list")
    return coding


def require_own(coding: Coding, coder: Coder) -> None:
    """The CLI's rule: each coder removes, or sets the stance of, only their own codings
    (the web app lets editors change anyone's, and checks that itself)."""
    if coding.coder_id != coder.id:
        raise InputError(
            f"coding {coding.id}",
            None,
            "coder",
            f"belongs to {coding.coder.name}; each coder changes only their own codings",
        )


def remove_coding(session: Session, coding: Coding, *, actor: str) -> None:
    """Delete a coding; what it was (code, span, coder, status, memo) stays in the audit log."""
    _audit(
        session,
        actor,
        "coding.remove",
        coding,
        {
            "segment_id": coding.segment_id,
            "code_id": coding.code_id,
            "code": coding.code.key,
            "coder_id": coding.coder_id,
            "coder": coding.coder.name,
            "start": coding.start,
            "end": coding.end,
            "status": coding.status.value,
            "memo": coding.memo,
        },
    )
    session.delete(coding)
    session.flush()


def set_memo(session: Session, coding: Coding, memo: str, *, actor: str) -> None:
    """Replace a coding's memo (trimmed, at most MAX_MEMO characters); the audit log keeps
    the previous and the new text. An unchanged memo records nothing."""
    text = _clean_memo(memo)
    if text == coding.memo:
        return
    _audit(session, actor, "coding.memo", coding, {"from": coding.memo, "to": text})
    coding.memo = text
    coding.updated_at = utcnow()
    session.flush()


def set_stance(session: Session, coding: Coding, stance: Stance | None, *, actor: str) -> None:
    """Set (or clear, with None) how a person's coded turn stands toward its theme; the
    audit log keeps the previous and the new stance. Only a person's accepted coding
    carries a stance: a suggestion is not yet anyone's judgement. Unchanged, nothing."""
    if coding.status is not CodingStatus.ACCEPTED or coding.coder.kind is not CoderKind.PERSON:
        raise InputError(
            f"coding {coding.id}",
            None,
            "stance",
            "only a person's accepted coding takes a stance (accept the suggestion first)",
        )
    if stance is coding.stance:
        return
    before = coding.stance.value if coding.stance else None
    _audit(
        session,
        actor,
        "coding.stance",
        coding,
        {"from": before, "to": stance.value if stance else None},
    )
    coding.stance = stance
    coding.updated_at = utcnow()
    session.flush()


def _clean_memo(memo: str) -> str:
    return memo.replace("\r\n", "\n").strip()[:MAX_MEMO]


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
    named = session.scalar(sa.select(Coder).where(Coder.name == user.username))
    if named is not None and named.kind is CoderKind.PERSON and named.user_id is None:
        named.user_id = user.id
        return named
    name = user.username if named is None else f"{user.username} (person)"
    coder = Coder(name=name, kind=CoderKind.PERSON, user_id=user.id)
    session.add(coder)
    session.flush()
    return coder
