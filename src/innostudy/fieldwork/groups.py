"""Focus groups and their participants, who are known in analysis only by pseudonymous codes."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.errors import InputError
from innostudy.model import FocusGroup, GroupType, Participant, ParticipantContact


@dataclass(frozen=True)
class PersonalDetails:
    """Personal data of a participant; stored apart from everything analytic."""

    full_name: str = ""
    email: str = ""
    phone: str = ""
    organisation_name: str = ""


def group_type(session: Session, key: str) -> GroupType:
    row = session.scalar(sa.select(GroupType).where(GroupType.key == key))
    if row is None:
        known = ", ".join(session.scalars(sa.select(GroupType.key).order_by(GroupType.position)))
        raise InputError("--type", None, "type", f"unknown group type '{key}' (one of: {known})")
    return row


def add_group(
    session: Session, name: str, type_key: str, *, label: str | None = None
) -> FocusGroup:
    gtype = group_type(session, type_key)
    if session.scalar(sa.select(FocusGroup.id).where(FocusGroup.name == name)) is not None:
        raise InputError("NAME", None, "name", f"a focus group called '{name}' already exists")
    group = FocusGroup(name=name, group_type=gtype, label=label or gtype.short_label or gtype.label)
    session.add(group)
    session.flush()
    return group


def next_participant_code(session: Session, prefix: str) -> str:
    """The next free code such as SCS-03; codes are never reused, even after deletion."""
    codes = session.scalars(
        sa.select(Participant.code).where(Participant.code.like(f"{prefix}-%"))
    ).all()
    numbers = [int(c.rsplit("-", 1)[1]) for c in codes if c.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:02d}"


def add_participant(
    session: Session,
    group: FocusGroup,
    *,
    role: str = "",
    level: str = "",
    organisation_type: str = "",
    response_id: int | None = None,
    personal: PersonalDetails | None = None,
) -> Participant:
    participant = Participant(
        code=next_participant_code(session, group.group_type.code_prefix),
        focus_group=group,
        role=role,
        level=level,
        organisation_type=organisation_type,
        response_id=response_id,
    )
    if personal is not None:
        participant.contact = ParticipantContact(
            full_name=personal.full_name,
            email=personal.email,
            phone=personal.phone,
            organisation_name=personal.organisation_name,
        )
    session.add(participant)
    session.flush()
    return participant


def size_warning(group: FocusGroup) -> str | None:
    """A recruitment warning when a group is outside its type's size bounds."""
    n, gtype = len(group.participants), group.group_type
    if n < gtype.min_size:
        return (
            f"{group.name}: {n} participants, fewer than the {gtype.min_size} this group type needs"
        )
    if n > gtype.max_size:
        return (
            f"{group.name}: {n} participants, more than the {gtype.max_size} this group type allows"
        )
    return None


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    type_key: str
    label: str
    sector: str
    participants: int
    withdrawn: int
    min_size: int
    max_size: int
    warning: str | None


def group_rows(session: Session) -> list[GroupRow]:
    from innostudy.fieldwork.consent import has_withdrawn

    rows = []
    for g in session.scalars(sa.select(FocusGroup).order_by(FocusGroup.id)):
        rows.append(
            GroupRow(
                id=g.id,
                name=g.name,
                type_key=g.group_type.key,
                label=g.label,
                sector=g.sector.value,
                participants=len(g.participants),
                withdrawn=sum(1 for p in g.participants if has_withdrawn(p.consent)),
                min_size=g.group_type.min_size,
                max_size=g.group_type.max_size,
                warning=size_warning(g),
            )
        )
    return rows
