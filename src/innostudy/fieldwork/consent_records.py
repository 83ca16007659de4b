"""Recording consent and withdrawal: every change leaves an audit event with before and after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from innostudy.errors import InputError
from innostudy.model import AuditEvent, Consent, ConsentChoice, Participant, utcnow

KINDS = ("audio", "video", "notes", "quotation")
_ANSWERS = {
    "yes": ConsentChoice.GRANTED,
    "y": ConsentChoice.GRANTED,
    "granted": ConsentChoice.GRANTED,
    "true": ConsentChoice.GRANTED,
    "1": ConsentChoice.GRANTED,
    "no": ConsentChoice.REFUSED,
    "n": ConsentChoice.REFUSED,
    "refused": ConsentChoice.REFUSED,
    "false": ConsentChoice.REFUSED,
    "0": ConsentChoice.REFUSED,
    "not_asked": ConsentChoice.NOT_ASKED,
    "not asked": ConsentChoice.NOT_ASKED,
}


def consent_choice(value: str, *, source: str, row: int | None, field: str) -> ConsentChoice:
    """'yes'/'no'/'not_asked' (and the usual spellings) → a ConsentChoice."""
    choice = _ANSWERS.get(value.strip().casefold())
    if choice is None:
        raise InputError(source, row, field, f"'{value}' is not yes, no or not_asked")
    return choice


def _snapshot(consent: Consent) -> dict[str, Any]:
    return {
        **{kind: getattr(consent, kind).value for kind in KINDS},
        "consent_date": consent.consent_date.isoformat() if consent.consent_date else None,
        "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
    }


def _consent_of(session: Session, participant: Participant) -> Consent:
    if participant.consent is None:
        participant.consent = Consent()
        session.flush()
    assert participant.consent is not None
    return participant.consent


def _audit(
    session: Session, participant: Participant, action: str, before: Any, after: Any, actor: str
) -> None:
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            entity_type="participant",
            entity_id=participant.id,
            detail={"code": participant.code, "from": before, "to": after},
        )
    )


def record_consent(
    session: Session,
    participant: Participant,
    choices: dict[str, ConsentChoice],
    *,
    consent_date: date | None = None,
    actor: str = "",
) -> Consent:
    """Set the given kinds of consent (others keep their value); audited."""
    unknown = sorted(set(choices) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown consent kinds: {unknown}")
    consent = _consent_of(session, participant)
    before = _snapshot(consent)
    for kind, choice in choices.items():
        setattr(consent, kind, choice)
    if consent_date is not None:
        consent.consent_date = consent_date
    consent.updated_at = utcnow()
    _audit(session, participant, "consent.record", before, _snapshot(consent), actor)
    session.flush()
    return consent


def withdraw(
    session: Session,
    participant: Participant,
    *,
    reason: str = "",
    at: datetime | None = None,
    actor: str = "",
) -> Consent:
    """The participant's words leave every analysis view from now on; nothing is deleted."""
    consent = _consent_of(session, participant)
    if consent.withdrawn_at is not None:
        raise InputError(
            participant.code,
            None,
            None,
            f"withdrew already on {consent.withdrawn_at.date().isoformat()}",
        )
    before = _snapshot(consent)
    consent.withdrawn_at = at or utcnow()
    consent.withdrawal_reason = reason
    consent.updated_at = utcnow()
    _audit(session, participant, "consent.withdraw", before, _snapshot(consent), actor)
    session.flush()
    return consent


def reinstate(session: Session, participant: Participant, *, actor: str = "") -> Consent:
    """Undo a withdrawal recorded by mistake; the audit trail keeps both events."""
    consent = _consent_of(session, participant)
    if consent.withdrawn_at is None:
        raise InputError(participant.code, None, None, "has not withdrawn")
    before = _snapshot(consent)
    consent.withdrawn_at = None
    consent.withdrawal_reason = ""
    consent.updated_at = utcnow()
    _audit(session, participant, "consent.reinstate", before, _snapshot(consent), actor)
    session.flush()
    return consent
