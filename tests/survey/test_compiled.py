"""The compiled instrument must judge every input exactly as validate_answers does."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innostudy.studies import default_file
from innostudy.survey.answers import validate_answers
from innostudy.survey.compiled import CompiledInstrument
from innostudy.survey.instrument import Instrument, QuestionType, load_instrument
from innostudy.survey.instrument import parse_instrument_text as parse_text

RULES_INSTRUMENT = """
id: rules
title: Rules
choice_lists:
  abc: [a, b, c, "1", "01"]
  scale: [lo, mid, hi]
sections:
  - key: s
    questions:
      - {key: pick, type: single_choice, choices: abc, required: true}
      - {key: many, type: multi_choice, choices: abc, min_selected: 2, max_selected: 3}
      - {key: n, type: number, min: -5, max: 5.5}
      - {key: whole, type: number, integer: true, relevant: "${n} > 1 or ${pick} = '1'"}
      - {key: when, type: date, min: "2020-01-01", max: "2020-12-31", relevant: "count-selected(${many}) >= 2"}
      - {key: words, type: long_text, max_length: 5, required: true, relevant: "not(selected(${many}, 'b'))"}
      - {key: rank, type: ranking, choices: abc, max_ranked: 2, required: true, relevant: "${pick} != ''"}
      - {key: grid, type: likert_matrix, scale: scale, required: true, relevant: "${words} = 'yes' and ${n} <= 0",
         items: [{key: x}, {key: y}]}
      - {key: months, type: months, max: 12, relevant: "${when} < '2020-06-01'"}
"""


@pytest.fixture(scope="module")
def instruments() -> list[Instrument]:
    return [load_instrument(default_file("instrument.yaml")), parse_text(RULES_INSTRUMENT, "t")]


def _plausible(instrument: Instrument) -> st.SearchStrategy[dict[str, Any]]:
    """Answers that are often valid and often wrong in one small way."""
    choices = sorted({c.value for q in instrument.questions() for c in q.choices})
    items = sorted({i.key for q in instrument.questions() for i in q.items})
    scalar = st.one_of(
        st.sampled_from(choices),
        st.text(max_size=8),
        st.integers(-10, 300),
        st.integers(10**308, 10**320),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.sampled_from(["2020-03-04", "2019-12-31", "2024-02-30", "2024-W01-1", "20200304"]),
        st.none(),
    )
    value = st.one_of(
        scalar,
        st.lists(st.one_of(st.sampled_from(choices), st.integers(0, 3)), max_size=5),
        st.dictionaries(st.sampled_from([*items, "zz"]), scalar, max_size=4),
        st.just([]),
        st.just({}),
        st.just(""),
    )
    keys = [q.key for q in instrument.questions()] + ["unknown"]
    return st.dictionaries(st.sampled_from(keys), value, max_size=len(keys))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), complete=st.booleans(), which=st.integers(0, 1))
def test_compiled_equals_validate_answers(
    instruments: list[Instrument], data: st.DataObject, complete: bool, which: int
) -> None:
    instrument = instruments[which]
    answers = data.draw(_plausible(instrument))
    expected = validate_answers(instrument, answers, complete=complete)
    assert CompiledInstrument(instrument).problems(answers, complete=complete) == expected


def test_valid_demo_answers_have_no_problems(instruments: list[Instrument]) -> None:
    import random

    from innostudy.demo.responses import complete_answers

    instrument = instruments[0]
    compiled = CompiledInstrument(instrument)
    rng = random.Random(5)
    for _ in range(200):
        answers = complete_answers(rng, instrument, "ndpb")
        assert compiled.problems(answers, complete=True) == []


def test_every_type_has_a_fast_check(instruments: list[Instrument]) -> None:
    types = {q.type for q in instruments[0].questions()}
    assert types == set(QuestionType)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (10**400, "is above the maximum 100000"),
        ("2024-W01-1", "'2024-W01-1' is not a date like 2024-03-31"),
    ],
)
def test_edge_values_that_used_to_crash_or_pass(
    instruments: list[Instrument], value: Any, message: str
) -> None:
    key = "staff_count" if isinstance(value, int) else "completed_date"
    problems = validate_answers(instruments[0], {key: value}, complete=False)
    assert [p.message for p in problems] == [
        message if isinstance(value, str) else f"{value} {message}"
    ]
