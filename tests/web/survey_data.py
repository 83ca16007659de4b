"""A complete set of answers to the default instrument, as the form posts them, page by page."""

from __future__ import annotations

IMPACT_ITEMS = (
    "service_delivery",
    "responsiveness",
    "core_costs",
    "staff_working_life",
    "user_satisfaction",
    "efficiency",
    "joined_up_working",
)

PAGES: dict[int, dict[str, str | list[str]]] = {
    1: {
        "innovation_title": "Online licence renewals",
        "innovation_summary": "Renewals moved from paper forms to a web service.",
        "category": "it_web",
        "policy_admin": "administrative",
        "technology": "web_based",
        "completed_date": "2023-05-01",
    },
    2: {
        "cost_band": "100k_500k",
        "months_idea_to_approval": "4",
        "months_approval_to_pilot": "6",
        "months_pilot_to_rollout": "3",
        "time_to_market": "13",
        "business_case": "yes",
        "baseline": "no",
    },
    3: {
        "origin": ["frontline_staff", "service_users"],
        "triggers": ["efficiency_pressure", "user_demand"],
    },
    4: {
        "barriers_ranked.funding": "1",
        "barriers_ranked.it_constraints": "2",
        "enablers": ["leadership"],
    },
    5: {
        **{f"impacts.{item}": "high" for item in IMPACT_ITEMS},
        "overall_success": "very_high",
        "staff_count": "1,200",
    },
}

# What the stored response must hold after those pages (the answer shapes of answers.py).
STORED = {
    "innovation_title": "Online licence renewals",
    "innovation_summary": "Renewals moved from paper forms to a web service.",
    "category": "it_web",
    "policy_admin": "administrative",
    "technology": "web_based",
    "completed_date": "2023-05-01",
    "cost_band": "100k_500k",
    "months_idea_to_approval": 4,
    "months_approval_to_pilot": 6,
    "months_pilot_to_rollout": 3,
    "time_to_market": 13,
    "business_case": "yes",
    "baseline": "no",
    "origin": ["frontline_staff", "service_users"],
    "triggers": ["efficiency_pressure", "user_demand"],
    "barriers_ranked": ["funding", "it_constraints"],
    "enablers": ["leadership"],
    "impacts": dict.fromkeys(IMPACT_ITEMS, "high"),
    "overall_success": "very_high",
    "staff_count": 1200,
}
