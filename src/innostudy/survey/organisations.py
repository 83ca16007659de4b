"""Organisations in scope of the survey, with their personal contact kept in its own table."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.model import Organisation, OrganisationContact

UNIDENTIFIED = "unidentified"
ORG_TYPE_LABELS = {
    "ministerial_department": "Ministerial department",
    "non_ministerial_department": "Non-ministerial department",
    "executive_agency": "Executive agency",
    "ndpb": "Non-departmental public body",
    "local_authority": "Local authority",
    "company": "Company",
    "other": "Other",
    # anonymous responses (no token, id or name): whose they are is not known, so they
    # have no population and no response rate (analysis.tables.response_rates_table)
    UNIDENTIFIED: "Unidentified (anonymous responses)",
}


def org_type_label(key: str) -> str:
    return ORG_TYPE_LABELS.get(key, key.replace("_", " ").capitalize())


@dataclass(frozen=True)
class ContactDetails:
    """Personal data about the person invited on behalf of an organisation."""

    name: str = ""
    email: str = ""
    phone: str = ""
    job_title: str = ""


def add_organisation(
    session: Session,
    name: str,
    org_type: str,
    *,
    contact: ContactDetails | None = None,
    external_id: str | None = None,
) -> Organisation:
    org = Organisation(name=name, org_type=org_type, external_id=external_id)
    if contact is not None:
        org.contact = OrganisationContact(
            contact_name=contact.name,
            email=contact.email,
            phone=contact.phone,
            job_title=contact.job_title,
        )
    session.add(org)
    session.flush()
    return org


def organisation_by_name(session: Session, name: str) -> Organisation | None:
    return session.scalar(sa.select(Organisation).where(Organisation.name == name))
