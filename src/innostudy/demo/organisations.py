"""The demo's 126 synthetic organisations: realistic types, invented names and contacts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from innostudy.demo.names import FORMS, REMITS, email_for, person_name, phone_for

# Roughly the shape of a central-government population: many agencies and public bodies,
# fewer departments.
TYPE_COUNTS = {
    "ministerial_department": 18,
    "non_ministerial_department": 20,
    "executive_agency": 40,
    "ndpb": 48,
}
JOB_TITLES = (
    "Head of Transformation",
    "Director of Operations",
    "Innovation Lead",
    "Chief Operating Officer",
)


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    org_type: str
    contact_name: str
    email: str
    phone: str
    job_title: str


def make_organisations(rng: random.Random, used_names: set[str]) -> list[DemoOrganisation]:
    remits = list(REMITS)
    rng.shuffle(remits)
    orgs: list[DemoOrganisation] = []
    taken: set[str] = set()
    index = 0
    for org_type, count in TYPE_COUNTS.items():
        for _ in range(count):
            remit = remits[index % len(remits)]
            forms = FORMS[org_type]
            name = forms[(index // len(remits) + rng.randrange(len(forms))) % len(forms)].format(
                r=remit
            )
            while name in taken:
                name = (
                    f"{name} (North)"
                    if "(North)" not in name
                    else name.replace("(North)", "(South)")
                )
            taken.add(name)
            person = person_name(rng, used_names, set())
            orgs.append(
                DemoOrganisation(
                    name=name,
                    org_type=org_type,
                    contact_name=person,
                    email=email_for(person, "example.gov.invalid"),
                    phone=phone_for(index),
                    job_title=rng.choice(JOB_TITLES),
                )
            )
            index += 1
    rng.shuffle(orgs)
    return orgs
