"""The organisations in scope as researchers manage them: status, invitation links, contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.model import AuditEvent, Organisation, Response, ResponseStatus, utcnow
from innostudy.survey.organisations import ContactDetails, org_type_label
from innostudy.survey.tokens import issue_token


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    org_type: str
    type_label: str
    status: str
    revision: int
    invited_at: datetime | None
    updated_at: datetime | None
    submitted_at: datetime | None
    has_link: bool


def _row(org: Organisation) -> OrganisationRow:
    response: Response | None = org.response
    return OrganisationRow(
        org.id,
        org.name,
        org.org_type,
        org_type_label(org.org_type),
        response.status.value if response else ResponseStatus.INVITED.value,
        response.revision if response else 0,
        org.invited_at,
        response.updated_at if response else None,
        response.submitted_at if response else None,
        org.token_hash is not None,
    )


def list_organisations(
    session: Session, *, status: str | None = None, org_type: str | None = None
) -> list[OrganisationRow]:
    query = (
        sa.select(Organisation)
        .options(selectinload(Organisation.response))
        .order_by(Organisation.name)
    )
    if org_type:
        query = query.where(Organisation.org_type == org_type)
    rows = [_row(o) for o in session.scalars(query)]
    return [r for r in rows if status is None or r.status == status]


def organisation_row(session: Session, organisation_id: int) -> OrganisationRow | None:
    org = session.get(Organisation, organisation_id)
    return _row(org) if org is not None else None


def submitted_answers_of(session: Session, organisation_id: int) -> dict[str, Any] | None:
    response = session.scalar(
        sa.select(Response).where(Response.organisation_id == organisation_id)
    )
    return dict(response.answers) if response is not None else None


def contact_of(session: Session, organisation_id: int) -> ContactDetails | None:
    """Personal data: the person invited. Callers check the viewer may see it."""
    org = session.get(Organisation, organisation_id)
    if org is None or org.contact is None:
        return None
    c = org.contact
    return ContactDetails(c.contact_name, c.email, c.phone, c.job_title)


def issue_invitation(session: Session, organisation_id: int, *, actor: str) -> str | None:
    """A new personal link token for the organisation (any earlier link stops working).

    The token is returned once and only its hash is stored; the audit log records that
    a link was issued, not the link.
    """
    org = session.get(Organisation, organisation_id)
    if org is None:
        return None
    token = issue_token(org)
    org.invited_at = utcnow()
    session.add(
        AuditEvent(
            actor=actor, action="invitation.issue", entity_type="organisation", entity_id=org.id
        )
    )
    session.flush()
    return token
