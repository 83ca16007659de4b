"""The demo's seven focus groups: participants with synthetic names, consent and sessions.

Civil-service groups are recruited from organisations that submitted the survey (the
participant is linked to that response); comparison groups come from a contact list.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from innostudy.demo.names import email_for, person_name, phone_for
from innostudy.fieldwork.group_types import GroupTypeSpec
from innostudy.model import Sector

ROLES = {
    "cs_project": ("Project manager", "Programme officer", "Delivery manager"),
    "cs_mid": ("Team leader", "Policy adviser", "Operations manager"),
    "cs_senior": ("Director", "Deputy director", "Chief operating officer"),
    "consultants": ("Management consultant", "Partner, consultancy", "Change consultant"),
    "it_practitioners": ("Solution architect", "IT supplier account lead", "Digital delivery lead"),
    "business": ("Head of innovation", "Product director", "Founder"),
    "local_authorities": ("Chief executive", "Director of services", "Head of transformation"),
}
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
    respondents: list[tuple[str, str]],
    used_names: set[str],
) -> list[DemoGroup]:
    """One group per type; ``respondents`` are (organisation name, type) that submitted."""
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
        size = rng.randint(max(gtype.min_size, 6), min(gtype.max_size, 10))
        for _ in range(size):
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
                    role=rng.choice(ROLES.get(gtype.key, ("Participant",))),
                    level=gtype.level,
                    organisation_type=org_type,
                    organisation_name=org_name,
                    email=email_for(name),
                    phone=phone_for(phone_index),
                    response_org=response_org,
                )
            )
            phone_index += 1
        groups.append(group)
    _vary_consent(rng, groups)
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


def _vary_consent(rng: random.Random, groups: list[DemoGroup]) -> None:
    """A few people refuse quotation and one withdraws, so consent rules have work to do."""
    everyone = [p for g in groups for p in g.participants]
    for p in rng.sample(everyone, 3):
        p.quotation = False
    rng.choice([p for p in everyone if p.quotation]).withdrawn = True
