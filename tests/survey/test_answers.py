from __future__ import annotations

from typing import Any

import pytest

from innostudy.studies import default_file
from innostudy.survey.answers import drop_irrelevant, validate_answers
from innostudy.survey.instrument import Instrument, load_instrument


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    return load_instrument(default_file("instrument.yaml"))


def complete() -> dict[str, Any]:
    return {
        "innovation_title": "Online permits",
        "innovation_summary": "We moved permits online.",
        "category": "it_web",
        "policy_admin": "administrative",
        "technology": "web_based",
        "cost_band": "100k_500k",
        "business_case": "no",
        "origin": ["senior_managers"],
        "triggers": ["efficiency_pressure"],
        "barriers_ranked": ["reluctance", "funding"],
        "impacts": dict.fromkeys(
            (
                "service_delivery",
                "responsiveness",
                "core_costs",
                "staff_working_life",
                "user_satisfaction",
                "efficiency",
                "joined_up_working",
            ),
            "high",
        ),
        "overall_success": "high",
    }


def test_a_complete_response_is_valid(instrument: Instrument) -> None:
    assert validate_answers(instrument, complete(), complete=True) == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"category": "magic"}, "category", "'magic' is not one of the choices"),
        ({"origin": "ministers"}, "origin", "must be a list of choices"),
        (
            {"triggers": ["competition", "user_demand", "new_technology", "failure_crisis"]},
            "triggers",
            "choose at most 3 (got 4)",
        ),
        (
            {"barriers_ranked": ["funding", "funding"]},
            "barriers_ranked",
            "names a choice more than once",
        ),
        (
            {
                "barriers_ranked": [
                    "reluctance",
                    "funding",
                    "leadership",
                    "skills",
                    "silos",
                    "legislation",
                ]
            },
            "barriers_ranked",
            "rank at most 5 (got 6)",
        ),
        (
            {"impacts": {"efficiency": "enormous"}},
            "impacts",
            "item 'efficiency': 'enormous' is not on the scale",
        ),
        ({"impacts": {"speed": "high"}}, "impacts", "unknown item 'speed'"),
        ({"overall_success": "great"}, "overall_success", "'great' is not one of the choices"),
        ({"time_to_market": 241}, "time_to_market", "241 is above the maximum 240"),
        ({"time_to_market": -1}, "time_to_market", "-1 is below the minimum 0"),
        ({"time_to_market": 2.5}, "time_to_market", "must be a whole number"),
        ({"staff_count": "many"}, "staff_count", "must be a number"),
        ({"staff_count": True}, "staff_count", "must be a number"),
        ({"completed_date": "2024-02-30"}, "completed_date", "'2024-02-30' is not a date"),
        ({"completed_date": "2014-12-31"}, "completed_date", "2014-12-31 is before 2015-01-01"),
        (
            {"innovation_title": "x" * 201},
            "innovation_title",
            "is 201 characters long; at most 200 allowed",
        ),
        (
            {"baseline": "yes"},
            "baseline",
            "should be empty: skip rule ${business_case} = 'yes' is false",
        ),
        ({"colour": "red"}, "colour", "not a question in this instrument"),
    ],
)
def test_each_kind_of_problem(
    instrument: Instrument, change: dict[str, Any], field: str, message: str
) -> None:
    problems = validate_answers(instrument, complete() | change, complete=True)
    assert [(p.field, message in p.message) for p in problems] == [(field, True)], problems


def test_required_only_when_complete_and_relevant(instrument: Instrument) -> None:
    partial = {"category": "other"}
    assert validate_answers(instrument, partial, complete=False) == []
    missing = {p.field for p in validate_answers(instrument, partial, complete=True)}
    assert "category_other" in missing  # relevant because category is 'other'
    assert "baseline" not in missing  # hidden: no business case


def test_matrix_items_are_all_required_on_submission(instrument: Instrument) -> None:
    answers = complete()
    del answers["impacts"]["core_costs"]
    problems = validate_answers(instrument, answers, complete=True)
    assert [(p.field, p.message) for p in problems] == [("impacts/core_costs", "is required")]


def test_drop_irrelevant_forgets_hidden_answers(instrument: Instrument) -> None:
    answers = complete() | {"category": "policy", "category_other": "stale"}
    assert "category_other" not in drop_irrelevant(instrument, answers)
    assert drop_irrelevant(instrument, complete()) == complete()
