"""The personal-data gate: output must not contain any registered name, email or phone number."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.errors import PersonalDataError
from innostudy.model import OrganisationContact, ParticipantContact

_WORD = re.compile(r"\w+")


def registered_personal_data(session: Session) -> list[str]:
    """Every personal string the study holds: full names, emails and phone numbers."""
    values: list[str] = []
    for name, email, phone in session.execute(
        sa.select(ParticipantContact.full_name, ParticipantContact.email, ParticipantContact.phone)
    ):
        values += [name, email, phone]
    for name, email, phone in session.execute(
        sa.select(
            OrganisationContact.contact_name, OrganisationContact.email, OrganisationContact.phone
        )
    ):
        values += [name, email, phone]
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 3})


def find_personal_data(text: str, personal: Iterable[str]) -> list[str]:
    """Which registered strings occur in ``text`` as whole words, ignoring case and spacing."""
    # A match needs every word of the value as a whole word of the text, so one pass over
    # the text's words rules out almost every value before its own regex scan (which, on a
    # report with embedded charts, took seconds per format for a few hundred contacts).
    words = {w.lower() for w in _WORD.findall(text)}
    found: list[str] = []
    for value in personal:
        if not all(w.lower() in words for w in _WORD.findall(value)):
            continue
        pattern = r"\s+".join(re.escape(part) for part in value.split())
        if re.search(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE):
            found.append(value)
    return found


def check_no_personal_data(text: str, personal: Iterable[str], output: str) -> None:
    found = find_personal_data(text, personal)
    if found:
        shown = ", ".join(repr(f) for f in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        raise PersonalDataError(
            f"{output}: would contain registered personal data ({shown}{more}); "
            "remove it from the narrative or quotes, or pass --allow-personal-data"
        )
