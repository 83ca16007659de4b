"""The demo's seven focus groups: participants with synthetic names, consent and sessions.

Who is in each group, their roles and their consent come from the group's script
(demo/scripts/), because the words each person says were written for that person.
Civil-service groups are recruited from organisations that submitted the survey (the
participant is linked to that response); comparison groups come from a contact list.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from innostudy.demo.names import email_for, person_name, phone_for
from innostudy.demo.script import Script
from innostudy.fieldwork.group_types import GroupTypeSpec
from innostudy.model import Sector

FIRST_SESSION = date(2026, 3, 3)


@dataclass
class DemoParticipant:
    full_name: str
    role: str
    level: str
    organisation_type: str
    organisation_name: str
    email: str
    phone: str
    quotation: bool = True
    withdrawn: bool = False
    response_org: str | None = None  # organisation whose survey response recruited them

    @property
    def given_name(self) -> str:
        return self.full_name.split()[0]


@dataclass
class DemoGroup:
    name: str
    type_key: str
    sector: Sector
    session_date: date
    facilitator: str
    note_taker: str
    participants: list[DemoParticipant] = field(default_factory=list)


def make_groups(
    rng: random.Random,
    group_types: list[GroupTypeSpec],
    scripts: dict[str, Script],
    respondents: list[tuple[str, str]],
    used_names: set[str],
) -> list[DemoGroup]:
    """One group per type, people as its script casts them; ``respondents`` are
    (organisation name, type) that submitted the survey."""
    pool = list(respondents)
    rng.shuffle(pool)
    groups: list[DemoGroup] = []
    phone_index = 500
    for index, gtype in enumerate(group_types):
        group = DemoGroup(
            name=gtype.short_label,
            type_key=gtype.key,
            sector=gtype.sector,
            session_date=FIRST_SESSION + timedelta(days=7 * index + rng.randrange(0, 3)),
            facilitator="Facilitator",
            note_taker="Note-taker",
        )
        given: set[str] = set()
        for person in scripts[gtype.key].people:
            name = person_name(rng, used_names, given)
            if gtype.sector is Sector.CIVIL_SERVICE and pool:
                org_name, org_type = pool.pop()
                response_org: str | None = org_name
            else:
                org_name, org_type, response_org = (
                    _comparison_org(rng, gtype.key),
                    _comparison_type(gtype.key),
                    None,
                )
            group.participants.append(
                DemoParticipant(
                    full_name=name,
                    role=person.role,
                    level=gtype.level,
                    organisation_type=org_type,
                    organisation_name=org_name,
                    email=email_for(name),
                    phone=phone_for(phone_index),
                    quotation=person.quotation,
                    withdrawn=person.withdrawn,
                    response_org=response_org,
                )
            )
            phone_index += 1
        groups.append(group)
    return groups


def _comparison_type(type_key: str) -> str:
    return {"local_authorities": "local_authority"}.get(type_key, "company")


def _comparison_org(rng: random.Random, type_key: str) -> str:
    stems = ("Northgate", "Brightwater", "Kestrel", "Meridian", "Fenwick", "Larkspur", "Oakridge")
    kinds = {
        "consultants": "Consulting",
        "it_practitioners": "Systems",
        "business": "Labs",
        "local_authorities": "District Council",
    }
    return f"{rng.choice(stems)} {kinds.get(type_key, 'Partners')} (synthetic)"
