"""Synthetic names for the demo: people and public organisations that do not exist.

Organisation names combine a form ("Agency for …") with an invented remit; people's
names mix common given names and surnames, including non-ASCII ones (Zoë, Siân,
Łukasz) so that redaction and exports meet them in the demo.
"""

from __future__ import annotations

import random

GIVEN_NAMES = (
    "Aisha",
    "Alun",
    "Amara",
    "Anders",
    "Beatriz",
    "Bronwen",
    "Callum",
    "Chidi",
    "Dafydd",
    "Deepa",
    "Eilidh",
    "Emeka",
    "Fatima",
    "Fergus",
    "Gareth",
    "Grainne",
    "Hamish",
    "Hannah",
    "Idris",
    "Ines",
    "Jasper",
    "Joanna",
    "Kofi",
    "Lena",
    "Łukasz",
    "Maeve",
    "Malik",
    "Marta",
    "Niamh",
    "Nikhil",
    "Olwen",
    "Omar",
    "Priya",
    "Rhys",
    "Rosa",
    "Ruairi",
    "Saoirse",
    "Siân",
    "Tariq",
    "Tomasz",
    "Una",
    "Vikram",
    "Wen",
    "Yusuf",
    "Zoë",
    "Ffion",
    "Gustav",
    "Halima",
    "Ilse",
    "Jonah",
)
SURNAMES = (
    "Abernethy",
    "Adeyemi",
    "Bancroft",
    "Blackwood",
    "Calloway",
    "Chaudhry",
    "Davenport",
    "Dunmore",
    "Ellery",
    "Fairbairn",
    "Ferreira",
    "Gallagher",
    "Greaves",
    "Hartley",
    "Haverford",
    "Iqbal",
    "Jablonski",
    "Kavanagh",
    "Kowalczyk",
    "Lindqvist",
    "Llewellyn",
    "MacAskill",
    "Mensah",
    "Morcombe",
    "Nakamura",
    "Nwosu",
    "Okonkwo",
    "Ostrowski",
    "Penhaligon",
    "Quartey",
    "Ravensworth",
    "Rahman",
    "Seaton",
    "Sheridan",
    "Thorne",
    "Trevelyan",
    "Underwood",
    "Vasquez",
    "Whitcombe",
    "Wróbel",
    "Yardley",
    "Zielinski",
    "Ashdown",
    "Brereton",
    "Cartwright",
    "Delacroix",
    "Eastwood",
    "Fitzroy",
)

REMITS = (
    "Coastal Resilience",
    "Inland Waterways",
    "Civic Archives",
    "Upland Land Use",
    "Heritage Skills",
    "Rural Connectivity",
    "Public Records Quality",
    "Tidal Energy",
    "Apprenticeship Standards",
    "Community Safety",
    "Flood Forecasting",
    "Seed and Plant Testing",
    "Weights and Measures",
    "Digital Identity",
    "Harbour Standards",
    "Benefit Appeals",
    "Regional Statistics",
    "Food Traceability",
    "Wildlife Licensing",
    "Road User Charging",
    "School Transport",
    "Housing Retrofit",
    "Court Listings",
    "Veterans' Records",
    "Pension Tracing",
    "Mine Water",
    "Civil Contingencies",
    "Port Health",
    "Peatland Restoration",
    "Social Enterprise",
    "Rail Accessibility",
    "Library Networks",
    "Business Rates Review",
    "Census Methods",
    "Animal Welfare Inspection",
    "Public Art Collections",
    "Grant Assurance",
    "Cyber Resilience",
    "Youth Volunteering",
    "Offshore Licensing",
    "Noise Monitoring",
    "Land Registration Services",
    "Lifelong Learning",
    "Medical Devices Testing",
    "Marine Survey",
    "Air Quality Monitoring",
    "Fire Standards",
    "Water Metering",
    "Charity Registration",
    "Procurement Assurance",
    "Tenancy Deposits",
    "Forest Research",
    "Geological Records",
    "Drought Planning",
    "Bus Franchising",
    "Small Claims",
    "Pollinator Recovery",
    "Freight Corridors",
    "Disability Employment",
    "Parole Scheduling",
    "Cultural Exchange",
    "Canal Heritage",
    "Energy Efficiency Grants",
    "Local Audit Quality",
    "Shellfish Safety",
    "Rural Post Offices",
)

FORMS = {
    "ministerial_department": ("Department for {r}", "Ministry of {r}"),
    "non_ministerial_department": ("Office of {r}", "{r} Office", "Board of {r}"),
    "executive_agency": ("{r} Agency", "{r} Service", "National {r} Unit"),
    "ndpb": ("{r} Council", "{r} Commission", "{r} Authority", "{r} Trust"),
}

SYSTEMS = (
    "Harbourline",
    "CaseBridge",
    "Ledgerwell",
    "PortalOne",
    "Northstar",
    "Quillpoint",
    "Tessera",
)


def person_name(rng: random.Random, used: set[str], avoid_given: set[str] | None = None) -> str:
    """A full name not yet used in this demo, with a given name not in ``avoid_given``.

    Within one focus group given names differ, as people address each other by them.
    """
    avoid = avoid_given if avoid_given is not None else set()
    while True:
        given, surname = rng.choice(GIVEN_NAMES), rng.choice(SURNAMES)
        name = f"{given} {surname}"
        if name not in used and given not in avoid:
            used.add(name)
            avoid.add(given)
            return name


def email_for(name: str, domain: str = "example.org") -> str:
    """Addresses under example.org, a domain reserved for documentation (RFC 2606)."""
    local = ".".join(name.lower().split())
    ascii_local = local.encode("ascii", "ignore").decode() or "person"
    return f"{ascii_local}@{domain}"


def phone_for(index: int) -> str:
    """Numbers in a range Ofcom reserves for drama (07700 900000–900999): never real."""
    return f"07700 900{index % 1000:03d}"
