"""Reading posted form fields into answers: pure, no server."""

from __future__ import annotations

from pathlib import Path

import pytest

from innostudy.survey.answers import AnswerProblem
from innostudy.survey.form import (
    answer_from_form,
    form_value,
    pages,
    progress,
    question_states,
    read_page,
    resume_page,
)
from innostudy.survey.form_text import describe_rule, display_answer, respondent_message
from innostudy.survey.instrument import Instrument, load_instrument

DEFAULT = Path(__file__).resolve().parents[2] / "src/innostudy/defaults/instrument.yaml"


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    return load_instrument(DEFAULT)


def test_one_page_per_area(instrument: Instrument) -> None:
    assert [p.area for p in pages(instrument)] == [
        "general",
        "costs",
        "origins",
        "barriers",
        "impacts",
    ]


@pytest.mark.parametrize(
    ("key", "posted", "answer", "problem"),
    [
        ("months_idea_to_approval", "12", 12, None),
        ("months_idea_to_approval", " 1,200 ", 1200, None),
        ("staff_count", "twelve", None, "must be a number, written with digits (for example 12)"),
        ("innovation_title", "", None, None),
        ("staff_count", "2.5", 2.5, None),
    ],
)
def test_scalars(
    instrument: Instrument, key: str, posted: str, answer: object, problem: str | None
) -> None:
    assert answer_from_form(instrument.question(key), posted.strip()) == (answer, problem)


def test_ranking_reads_ranks_into_order(instrument: Instrument) -> None:
    q = instrument.question("barriers_ranked")
    assert answer_from_form(q, {"funding": "2", "skills": "1", "silos": ""}) == (
        ["skills", "funding"],
        None,
    )
    assert (
        answer_from_form(q, {"funding": "1", "skills": "3"})[1]
        == "ranks must run 1, 2, 3… without gaps (you gave 1, 3)"
    )
    assert answer_from_form(q, {"funding": "x"})[1] == "rank 'x' is not a whole number from 1"


def test_form_values_round_trip(instrument: Instrument) -> None:
    answers = {
        "barriers_ranked": ["skills", "funding"],
        "impacts": {"efficiency": "high"},
        "origin": ["ministers"],
        "staff_count": 30,
        "category": "policy",
    }
    page_numbers = {p.area: p for p in pages(instrument)}
    for area in ("general", "origins", "barriers", "impacts"):
        page = page_numbers[area]
        fields: dict[str, list[str]] = {}
        for q in page.questions:
            value = form_value(q, answers.get(q.key))
            if isinstance(value, dict):
                fields.update({f"{q.key}.{k}": [v] for k, v in value.items()})
            elif isinstance(value, list):
                fields[q.key] = value
            else:
                fields[q.key] = [value]
        posted = read_page(page, fields)
        assert posted.problems == []
        assert posted.answers == {k: v for k, v in answers.items() if k in page.keys}


def test_a_page_keeps_invalid_fields_as_typed(instrument: Instrument) -> None:
    page = pages(instrument)[1]
    posted = read_page(page, {"months_idea_to_approval": ["130"], "cost_band": ["under_100k"]})
    assert posted.answers == {"cost_band": "under_100k"}
    assert posted.values["months_idea_to_approval"] == "130"
    assert posted.problems == [
        AnswerProblem("months_idea_to_approval", "130", "130 is above the maximum 120")
    ]


def test_same_page_rules_are_conditional_and_earlier_page_rules_hide(
    instrument: Instrument,
) -> None:
    general = pages(instrument)[0]
    states = {
        s.question.key: s for s in question_states(instrument, general, {"category": "policy"})
    }
    assert states["category_other"].mode == "conditional" and not states["category_other"].relevant
    assert states["category_other"].controlled_by == ("category",)


def test_rules_in_words(instrument: Instrument) -> None:
    q = instrument.question("origin_other")
    assert q.relevance is not None
    assert (
        describe_rule(instrument, q.relevance)
        == "you chose “Other” for “Where did the idea come from? Choose all that apply.”"
    )


def test_answers_in_words(instrument: Instrument) -> None:
    assert display_answer(instrument.question("months_idea_to_approval"), 1) == ["1 month"]
    assert display_answer(instrument.question("completed_date"), "2024-03-31") == ["31 March 2024"]
    assert display_answer(instrument.question("barriers_ranked"), ["skills"]) == ["1. Skills"]


def test_messages_for_respondents(instrument: Instrument) -> None:
    impacts = instrument.question("impacts")
    assert (
        respondent_message(AnswerProblem("impacts/efficiency", None, "is required"), impacts)
        == "Choose a level for “Efficiency”."
    )
    assert (
        respondent_message(AnswerProblem("x", "", "must be a number"))
        == "The answer must be a number."
    )


def test_progress_and_resume(instrument: Instrument) -> None:
    answers = {
        "innovation_title": "T",
        "innovation_summary": "S",
        "category": "policy",
        "policy_admin": "policy",
        "technology": "web_based",
    }
    items = progress(instrument, answers)
    assert items[0].status == "complete" and items[1].status == "not started"
    assert resume_page(instrument, answers) == 2


@pytest.mark.parametrize(
    ("key", "field", "validator", "expected"),
    [
        ("innovation_title", "", "is required", "Type your answer."),
        ("category", "", "is required", "Choose one of the answers."),
        ("cost_band", "", "is required", "Choose one of the answers."),
        ("origin", "", "is required", "Choose at least one answer."),
        ("barriers_ranked", "", "is required", "Rank at least one item."),
        ("impacts", "", "is required", "Choose a level for each item."),
        ("staff_count", "", "is required", "Enter a whole number."),
        ("time_to_market", "", "is required", "Enter a number of months."),
        ("completed_date", "", "is required", "Enter a date."),
        (
            "triggers",
            "",
            "choose at most 3 (got 4)",
            "Choose at most 3 answers; you chose 4.",
        ),
        (
            "innovation_title",
            "",
            "is 230 characters long; at most 200 allowed",
            "Shorten your answer to 200 characters or fewer (it has 230).",
        ),
        (
            "staff_count",
            "",
            "must be a number, written with digits (for example 12)",
            "Enter a number, written with digits (for example 12).",
        ),
        (
            "time_to_market",
            "",
            "must be a whole number",
            "Enter a whole number of months, without decimals.",
        ),
        (
            "time_to_market",
            "",
            "-1 is below the minimum 0",
            "Enter a whole number from 0 to 240 months.",
        ),
        (
            "completed_date",
            "",
            "'2024-02-30' is not a date like 2024-03-31",
            "Enter a real date, like 31 March 2024.",
        ),
    ],
)
def test_each_message_names_what_the_question_needs(
    instrument: Instrument, key: str, field: str, validator: str, expected: str
) -> None:
    q = instrument.question(key)
    assert respondent_message(AnswerProblem(field or key, None, validator), q) == expected


def test_required_messages_differ_by_kind_of_answer(instrument: Instrument) -> None:
    """Typing, choosing one, choosing several, ranking, rating and numbers each say so."""
    said = {
        q.type.value: respondent_message(AnswerProblem(q.key, None, "is required"), q)
        for q in instrument.questions()
    }
    kinds = ["text", "single_choice", "multi_choice", "ranking", "likert_matrix", "months", "date"]
    assert len({said[k] for k in kinds}) == len(kinds)
    assert "Answer this question to continue." not in said.values()
