"""Recruitment planning: propose each group's candidates and warn about sizes.

Civil-service groups are recruited from people who answered the survey (the contact
of each organisation that submitted), placed by the words of their job title;
comparison groups from a contacts CSV that names each person's group type. The plan
is a proposal: ``write_sheet`` turns it into a recruitment sheet the team edits (remove
who declined) and brings back with ``innostudy participants import``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.errors import InputError, InputErrors
from innostudy.fieldwork.group_types import GroupTypeSpec
from innostudy.fieldwork.participants import SHEET_COLUMNS
from innostudy.fieldwork.tables import check_email, read_rows, write_rows
from innostudy.model import (
    FocusGroup,
    Organisation,
    OrganisationContact,
    Participant,
    ParticipantContact,
    Response,
    ResponseStatus,
)

CONTACT_COLUMNS = ["name", "group_type", "email", "phone", "organisation"]
CONTACT_OPTIONAL = ["organisation_type", "role", "level", "notes"]


@dataclass(frozen=True)
class Candidate:
    """Someone who could be invited; personal details stay in the plan and the sheet."""

    source: str  # "survey response 12" or "contacts.csv row 4"
    name: str
    email: str
    phone: str
    organisation: str
    organisation_type: str
    role: str
    group_type: str | None = None  # known for contacts; decided by job title for respondents
    response_id: int | None = None


@dataclass
class GroupProposal:
    spec: GroupTypeSpec
    group_name: str
    existing: int  # participants already in the group
    invited: list[Candidate] = field(default_factory=list)
    reserve: list[Candidate] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.existing + len(self.invited)

    def warning(self) -> str | None:
        if self.size < self.spec.min_size:
            return (
                f"{self.group_name}: {self.size} proposed, fewer than the "
                f"{self.spec.min_size} this group type needs"
            )
        if self.size > self.spec.max_size:
            return (
                f"{self.group_name}: {self.size} already, more than the "
                f"{self.spec.max_size} this group type allows"
            )
        return None


@dataclass
class Plan:
    groups: list[GroupProposal]
    unplaced: list[Candidate]

    @property
    def warnings(self) -> list[str]:
        return [w for g in self.groups if (w := g.warning()) is not None]


def place_by_title(title: str, specs: Sequence[GroupTypeSpec]) -> GroupTypeSpec | None:
    """The first survey-recruited group type whose job-title words occur in ``title``."""
    for spec in specs:
        if spec.recruit_from != "survey":
            continue
        for words in spec.job_titles:
            if re.search(rf"(?<!\w){re.escape(words)}(?!\w)", title, re.IGNORECASE):
                return spec
    return None


def _spread(candidates: list[Candidate]) -> list[Candidate]:
    """Round-robin over organisation types, so a group mixes kinds of organisation."""
    by_type: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_type[c.organisation_type].append(c)
    queues = [by_type[k] for k in sorted(by_type)]
    out: list[Candidate] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def make_plan(
    specs: Sequence[GroupTypeSpec],
    candidates: Iterable[Candidate],
    *,
    existing: dict[str, tuple[str, int]] | None = None,
) -> Plan:
    """Pure: assign candidates to group types; fill to the maximum, keep the rest in reserve.

    ``existing`` maps a type key to (group name, participants already recruited).
    """
    existing = existing or {}
    by_type: dict[str, list[Candidate]] = defaultdict(list)
    unplaced: list[Candidate] = []
    keys = {s.key for s in specs}
    for c in candidates:
        key = c.group_type if c.group_type is not None else _title_key(c, specs)
        if key in keys:
            by_type[key].append(c)
        else:
            unplaced.append(c)
    groups = []
    for spec in specs:
        name, have = existing.get(spec.key, (spec.short_label, 0))
        ordered = _spread(by_type[spec.key])
        room = max(0, spec.max_size - have)
        groups.append(GroupProposal(spec, name, have, ordered[:room], ordered[room:]))
    return Plan(groups, unplaced)


def _title_key(c: Candidate, specs: Sequence[GroupTypeSpec]) -> str | None:
    spec = place_by_title(c.role, specs)
    return spec.key if spec is not None else None


def not_yet_recruited(session: Session, candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates whose email is not already a participant's."""
    taken = {e.casefold() for e in session.scalars(sa.select(ParticipantContact.email)) if e}
    return [c for c in candidates if not c.email or c.email.casefold() not in taken]


def survey_candidates(session: Session) -> list[Candidate]:
    """The contact person of every organisation that submitted, not yet a participant."""
    linked = set(session.scalars(sa.select(Participant.response_id)))
    rows = session.execute(
        sa.select(Response.id, Organisation, OrganisationContact)
        .join(Organisation, Organisation.id == Response.organisation_id)
        .join(OrganisationContact, OrganisationContact.organisation_id == Organisation.id)
        .where(Response.status == ResponseStatus.SUBMITTED)
        .order_by(Organisation.name)
    ).all()
    return not_yet_recruited(
        session,
        [
            Candidate(
                source=f"survey response {rid}",
                name=contact.contact_name,
                email=contact.email,
                phone=contact.phone,
                organisation=org.name,
                organisation_type=org.org_type,
                role=contact.job_title,
                response_id=rid,
            )
            for rid, org, contact in rows
            if rid not in linked
        ],
    )


def load_contacts(path: Path, specs: Sequence[GroupTypeSpec]) -> list[Candidate]:
    """A contacts CSV for comparison groups; every row checked, all errors reported together."""
    rows = read_rows(path, required=CONTACT_COLUMNS, optional=CONTACT_OPTIONAL)
    by_name = {s.key.casefold(): s.key for s in specs} | {s.label.casefold(): s.key for s in specs}
    candidates, errors = [], []
    for number, values in rows:
        try:
            key = by_name.get(values["group_type"].casefold())
            if key is None:
                raise InputError(
                    path,
                    number,
                    "group_type",
                    f"unknown group type '{values['group_type']}' "
                    f"(one of: {', '.join(s.key for s in specs)})",
                )
            if not values["name"]:
                raise InputError(path, number, "name", "every contact needs a name")
            candidates.append(
                Candidate(
                    source=f"{path.name} row {number}",
                    name=values["name"],
                    email=check_email(values["email"], path, number),
                    phone=values["phone"],
                    organisation=values["organisation"],
                    organisation_type=values.get("organisation_type", ""),
                    role=values.get("role", ""),
                    group_type=key,
                )
            )
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    return candidates


def existing_groups(session: Session) -> dict[str, tuple[str, int]]:
    """Type key → (name, participants) of the first group of each type already set up."""
    result: dict[str, tuple[str, int]] = {}
    for group in session.scalars(sa.select(FocusGroup).order_by(FocusGroup.id)):
        result.setdefault(group.group_type.key, (group.name, len(group.participants)))
    return result


def write_sheet(plan: Plan, path: Path, *, keep_formulas: bool = False) -> int:
    """The invited candidates as a recruitment sheet for ``participants import``."""
    rows = [
        {
            "group": g.group_name,
            "name": c.name,
            "email": c.email,
            "phone": c.phone,
            "organisation": c.organisation,
            "organisation_type": c.organisation_type,
            "role": c.role,
            "level": g.spec.level,
            "response_id": str(c.response_id or ""),
            "source": c.source,
        }
        for g in plan.groups
        for c in g.invited
    ]
    write_rows(path, SHEET_COLUMNS, rows, keep_formulas=keep_formulas)
    return len(rows)


def create_planned_groups(session: Session, plan: Plan) -> list[FocusGroup]:
    """Set up each proposed group that does not exist yet, so the sheet can be imported."""
    from innostudy.fieldwork.groups import add_group

    have = set(session.scalars(sa.select(FocusGroup.name)))
    created = []
    for proposal in plan.groups:
        if proposal.group_name not in have and proposal.invited:
            created.append(add_group(session, proposal.group_name, proposal.spec.key))
    return created
