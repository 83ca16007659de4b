"""Participants from a recruitment sheet, and participant lists that keep personal data out.

``import_participants`` reads the same CSV that ``groups plan --output`` writes (after
the researcher removed those who declined): every row is checked before any is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.errors import InputError, InputErrors, NotFoundError
from innostudy.fieldwork.consent import has_withdrawn, may_quote
from innostudy.fieldwork.consent_records import KINDS, consent_choice, record_consent
from innostudy.fieldwork.groups import PersonalDetails, add_participant
from innostudy.fieldwork.tables import check_email, parse_date, read_rows
from innostudy.model import (
    ConsentChoice,
    FocusGroup,
    Participant,
    ParticipantContact,
    Response,
)

SHEET_COLUMNS = [
    "group",
    "name",
    "email",
    "phone",
    "organisation",
    "organisation_type",
    "role",
    "level",
    "response_id",
    *KINDS,
    "consent_date",
    "source",
]


def find_participant(session: Session, code: str) -> Participant:
    row = session.scalar(sa.select(Participant).where(Participant.code == code.upper()))
    if row is None:
        raise NotFoundError("participant", code, listing="participants list")
    return row


def find_group(session: Session, name: str) -> FocusGroup:
    group = session.scalar(sa.select(FocusGroup).where(FocusGroup.name == name))
    if group is None:
        raise NotFoundError("focus group", name, listing="groups list")
    return group


@dataclass(frozen=True)
class _SheetRow:
    number: int
    group: FocusGroup
    personal: PersonalDetails
    role: str
    level: str
    organisation_type: str
    response_id: int | None
    consent: dict[str, ConsentChoice]
    consent_date: date | None


def import_participants(session: Session, path: Path, *, actor: str = "") -> list[Participant]:
    """Add every row of a recruitment sheet as a participant, or none if any row is wrong."""
    rows = read_rows(path, required=["group"], optional=SHEET_COLUMNS)
    groups = {g.name: g for g in session.scalars(sa.select(FocusGroup))}
    responses = set(session.scalars(sa.select(Response.id)))
    emails = {e.casefold() for e in session.scalars(sa.select(ParticipantContact.email)) if e}
    checked: list[_SheetRow] = []
    errors: list[InputError] = []
    for number, values in rows:
        try:
            checked.append(_check_row(path, number, values, groups, responses, emails))
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    if not checked:
        raise InputError(path, None, None, "no participants in the file")
    added = []
    for row in checked:
        participant = add_participant(
            session,
            row.group,
            role=row.role,
            level=row.level,
            organisation_type=row.organisation_type,
            response_id=row.response_id,
            personal=row.personal,
        )
        if row.consent or row.consent_date:
            record_consent(
                session,
                participant,
                row.consent,
                consent_date=row.consent_date,
                actor=actor,
            )
        added.append(participant)
    return added


def _check_row(
    path: Path,
    number: int,
    values: dict[str, str],
    groups: dict[str, FocusGroup],
    responses: set[int],
    emails: set[str],
) -> _SheetRow:
    group = groups.get(values.get("group", ""))
    if group is None:
        raise InputError(path, number, "group", f"no focus group called '{values.get('group')}'")
    email = check_email(values.get("email", ""), path, number)
    if email and email.casefold() in emails:
        raise InputError(path, number, "email", f"{email} is already a participant")
    emails.add(email.casefold())
    response_id = None
    if values.get("response_id"):
        if not values["response_id"].isdigit() or int(values["response_id"]) not in responses:
            raise InputError(
                path, number, "response_id", f"no survey response {values['response_id']}"
            )
        response_id = int(values["response_id"])
    consent = {
        kind: consent_choice(values[kind], source=str(path), row=number, field=kind)
        for kind in KINDS
        if values.get(kind)
    }
    return _SheetRow(
        number=number,
        group=group,
        personal=PersonalDetails(
            values.get("name", ""), email, values.get("phone", ""), values.get("organisation", "")
        ),
        role=values.get("role", ""),
        level=values.get("level", "") or group.group_type.level,
        organisation_type=values.get("organisation_type", ""),
        response_id=response_id,
        consent=consent,
        consent_date=parse_date(values.get("consent_date", ""), path, number, "consent_date"),
    )


@dataclass(frozen=True)
class ParticipantRow:
    """What a participant list shows: no personal data unless asked for."""

    code: str
    group: str
    role: str
    level: str
    organisation_type: str
    consent: str
    withdrawn: bool
    quotable: bool
    name: str = ""
    email: str = ""
    phone: str = ""
    organisation: str = ""


def participant_rows(
    session: Session, *, group: FocusGroup | None = None, contacts: bool = False
) -> list[ParticipantRow]:
    query = (
        sa.select(Participant)
        .options(selectinload(Participant.consent), selectinload(Participant.focus_group))
        .order_by(Participant.focus_group_id, Participant.code)
    )
    if group is not None:
        query = query.where(Participant.focus_group_id == group.id)
    if contacts:
        query = query.options(selectinload(Participant.contact))
    rows = []
    for p in session.scalars(query):
        contact = p.contact if contacts else None
        rows.append(
            ParticipantRow(
                code=p.code,
                group=p.focus_group.name if p.focus_group else "",
                role=p.role,
                level=p.level,
                organisation_type=p.organisation_type,
                consent=_consent_summary(p),
                withdrawn=has_withdrawn(p.consent),
                quotable=may_quote(p.consent),
                name=contact.full_name if contact else "",
                email=contact.email if contact else "",
                phone=contact.phone if contact else "",
                organisation=contact.organisation_name if contact else "",
            )
        )
    return rows


def _consent_summary(p: Participant) -> str:
    if p.consent is None:
        return "not recorded"
    marks = {
        ConsentChoice.GRANTED: "yes",
        ConsentChoice.REFUSED: "no",
        ConsentChoice.NOT_ASKED: "?",
    }
    return " ".join(f"{kind}:{marks[getattr(p.consent, kind)]}" for kind in KINDS)
