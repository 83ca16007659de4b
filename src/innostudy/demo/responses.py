"""Synthetic survey answers, valid against the default instrument, with realistic gaps.

The weights encode the story the demo should tell (ideas mostly from the top, reluctance
to change as the leading barrier, impacts rated high with little user evidence) so that
the briefing and report have something to discuss. Every generated response is checked
with the same validator the importers use.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from innostudy.survey.answers import validate_answers
from innostudy.survey.instrument import Instrument

W = dict[str, float]

CATEGORY: W = {
    "performance_management": 8,
    "joining_up": 10,
    "service_delivery": 24,
    "it_web": 22,
    "administrative_process": 16,
    "policy": 6,
    "staff_hr": 5,
    "procurement": 4,
    "environment": 3,
    "other": 2,
}
COST: W = {
    "under_100k": 25,
    "100k_500k": 30,
    "500k_1m": 15,
    "1m_5m": 14,
    "5m_20m": 6,
    "over_20m": 3,
    "dont_know": 7,
}
ORIGIN: W = {
    "ministers": 0.35,
    "senior_managers": 0.6,
    "middle_managers": 0.3,
    "frontline_staff": 0.08,
    "service_users": 0.05,
    "other_organisations": 0.2,
    "private_partners": 0.1,
    "legislation": 0.12,
    "other": 0.03,
}
TRIGGER: W = {
    "political_priority": 4,
    "efficiency_pressure": 5.5,
    "new_technology": 3.5,
    "user_demand": 1.2,
    "performance_targets": 3,
    "failure_crisis": 1,
    "cross_department": 2.5,
    "competition": 0.5,
}
BARRIER: W = {
    "reluctance": 16,
    "funding": 7,
    "stakeholders_contractors": 6,
    "fear_of_failure": 6,
    "it_constraints": 6,
    "leadership": 4,
    "procurement_rules": 5,
    "legislation": 3,
    "skills": 4,
    "lack_of_rewards": 3,
    "silos": 5,
}
ENABLER: W = {
    "leadership": 0.6,
    "dedicated_funding": 0.3,
    "skilled_team": 0.5,
    "user_involvement": 0.15,
    "partnership": 0.3,
    "political_support": 0.35,
    "technology": 0.4,
    "culture": 0.2,
}
IMPACT: W = {"very_low": 3, "low": 8, "moderate": 25, "high": 40, "very_high": 24}
IMPACT_COSTS: W = {"very_low": 10, "low": 22, "moderate": 35, "high": 23, "very_high": 10}
TITLES = {
    "performance_management": (
        "Live performance dashboard for {x}",
        "Monthly outcome reviews in {x}",
    ),
    "joining_up": ("Shared front door with {x} partners", "Joint case team for {x}"),
    "service_delivery": ("Same-day {x} decisions", "Redesigned {x} service"),
    "it_web": ("Online {x} applications", "Digital {x} account"),
    "administrative_process": ("Simplified {x} approvals", "Paperless {x} processing"),
    "policy": ("New {x} policy framework", "Outcome-based {x} funding"),
    "staff_hr": ("Flexible deployment of {x} staff", "{x} skills academy"),
    "procurement": ("Open challenge fund for {x} suppliers", "Shared {x} procurement"),
    "environment": ("Low-carbon {x} estate", "{x} emissions tracker"),
    "other": ("{x} pilot", "{x} experiment"),
}
TOPICS = (
    "licensing",
    "grant",
    "inspection",
    "appeals",
    "records",
    "permit",
    "casework",
    "complaints",
    "payments",
)
LESSONS = (
    "Involve front-line staff and users much earlier.",
    "Measure a baseline before starting so impact can be shown.",
    "Secure funding for roll-out, not only for the pilot.",
    "Spend less time on approvals for small, reversible changes.",
    "Agree the contract terms with the supplier before building anything.",
)


def weighted(rng: random.Random, weights: W) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def ranked(rng: random.Random, weights: W, k: int) -> list[str]:
    """Weighted sampling without replacement: the order is the ranking."""
    pool = dict(weights)
    order: list[str] = []
    for _ in range(min(k, len(pool))):
        pick = weighted(rng, pool)
        order.append(pick)
        del pool[pick]
    return order


def _months(rng: random.Random, median: float, cap: int) -> int:
    return max(1, min(cap, round(rng.lognormvariate(0, 0.6) * median)))


def _general(rng: random.Random, org_type: str) -> dict[str, Any]:
    weights = dict(CATEGORY)
    if org_type == "executive_agency":
        weights["service_delivery"] *= 1.5
    if org_type == "ministerial_department":
        weights["policy"] *= 3
    category = weighted(rng, weights)
    topic = rng.choice(TOPICS)
    a: dict[str, Any] = {
        "innovation_title": rng.choice(TITLES[category]).format(x=topic).capitalize(),
        "innovation_summary": (
            f"We changed how {topic} work is done. The change was piloted with one team "
            f"and then rolled out. (Synthetic demo answer.)"
        ),
        "category": category,
        "policy_admin": weighted(
            rng,
            {"policy": 70, "administrative": 10, "both": 20}
            if category == "policy"
            else {"policy": 15, "administrative": 60, "both": 25},
        ),
        "technology": weighted(
            rng,
            {"web_based": 6, "it_based": 4}
            if category == "it_web"
            else {"web_based": 40, "it_based": 28, "mainly_administrative": 32},
        ),
    }
    if category == "other":
        a["category_other"] = "Regulatory change (synthetic)"
    if rng.random() < 0.85:
        a["completed_date"] = (
            date(2021, 1, 1) + timedelta(days=rng.randrange(0, 5 * 365))
        ).isoformat()
    return a


def _costs(rng: random.Random) -> dict[str, Any]:
    a: dict[str, Any] = {"cost_band": weighted(rng, COST)}
    stages = {
        "months_idea_to_approval": _months(rng, 6, 120),
        "months_approval_to_pilot": _months(rng, 8, 120),
        "months_pilot_to_rollout": _months(rng, 6, 120),
    }
    for key, value in stages.items():
        if rng.random() < 0.88:
            a[key] = value
    if rng.random() < 0.9:
        a["time_to_market"] = min(240, sum(stages.values()) + rng.randint(-2, 3))
    a["business_case"] = weighted(rng, {"yes": 65, "no": 25, "dont_know": 10})
    if a["business_case"] == "yes" and rng.random() < 0.9:
        a["baseline"] = weighted(rng, {"yes": 45, "no": 45, "dont_know": 10})
    return a


def _origins(rng: random.Random) -> dict[str, Any]:
    origin = [o for o, p in ORIGIN.items() if rng.random() < p] or ["senior_managers"]
    a: dict[str, Any] = {
        "origin": origin,
        "triggers": ranked(rng, TRIGGER, rng.choice((1, 2, 2, 3, 3))),
    }
    if "other" in origin and rng.random() < 0.8:
        a["origin_other"] = "A recommendation from an inspection report (synthetic)"
    return a


def _barriers(rng: random.Random) -> dict[str, Any]:
    a: dict[str, Any] = {"barriers_ranked": ranked(rng, BARRIER, rng.choice((2, 3, 4, 5, 5)))}
    if rng.random() < 0.8:
        a["enablers"] = [e for e, p in ENABLER.items() if rng.random() < p] or ["leadership"]
    return a


def _impacts(rng: random.Random, instrument: Instrument) -> dict[str, Any]:
    matrix = instrument.question("impacts")
    a: dict[str, Any] = {
        "impacts": {
            i.key: weighted(rng, IMPACT_COSTS if i.key == "core_costs" else IMPACT)
            for i in matrix.items
        },
        "overall_success": weighted(rng, IMPACT),
    }
    if rng.random() < 0.9:
        a["impact_evidence"] = weighted(rng, {"yes": 25, "no": 55, "dont_know": 20})
    if rng.random() < 0.7:
        a["staff_count"] = max(1, round(rng.lognormvariate(2.5, 0.9)))
    if rng.random() < 0.5:
        a["lessons"] = rng.choice(LESSONS)
    return a


def complete_answers(rng: random.Random, instrument: Instrument, org_type: str) -> dict[str, Any]:
    answers = {
        **_general(rng, org_type),
        **_costs(rng),
        **_origins(rng),
        **_barriers(rng),
        **_impacts(rng, instrument),
    }
    _check(instrument, answers, complete=True)
    return answers


def draft_answers(rng: random.Random, instrument: Instrument, org_type: str) -> dict[str, Any]:
    """A draft stops partway: the first one or two sections filled in."""
    answers = _general(rng, org_type)
    if rng.random() < 0.5:
        answers |= _costs(rng)
    _check(instrument, answers, complete=False)
    return answers


def _check(instrument: Instrument, answers: dict[str, Any], *, complete: bool) -> None:
    problems = validate_answers(instrument, answers, complete=complete)
    if problems:
        raise AssertionError(f"demo generated an invalid response: {problems[0]}")
