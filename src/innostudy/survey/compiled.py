"""The instrument compiled into per-question checkers, for checking many rows quickly.

``answers.validate_answers`` stays the one definition of a valid set of answers. A
``CompiledInstrument`` gives the same list of problems, with the same messages, for
any input: each question gets a cheap test that recognises the common valid answer,
and every value that test does not accept is judged by ``answers.check_value`` itself.
Skip rules are compiled once instead of being parsed and walked for every row.
tests/survey/test_compiled.py compares the two on generated answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, cast

from innostudy.survey.answers import AnswerProblem, check_value
from innostudy.survey.instrument import Instrument, Question, QuestionType
from innostudy.survey.relevance import compile_rule

SurelyValid = Callable[[Any], bool]


def _text(q: Question) -> SurelyValid:
    limit = q.max_length
    if limit is None:
        return lambda v: type(v) is str
    return lambda v: type(v) is str and len(v) <= limit


def _single(q: Question) -> SurelyValid:
    values = frozenset(q.choice_values)
    return lambda v: type(v) is str and v in values


def _multi(q: Question) -> SurelyValid:
    values = frozenset(q.choice_values)
    low = q.min_selected or 0
    high = q.max_selected if q.max_selected is not None else len(values)

    def ok(v: Any) -> bool:
        if type(v) is not list or not low <= len(v) <= high:
            return False
        seen = set(v) if all(type(x) is str for x in v) else None
        return seen is not None and len(seen) == len(v) and seen <= values

    return ok


def _matrix(q: Question) -> SurelyValid:
    items = frozenset(i.key for i in q.items)
    values = frozenset(q.choice_values)

    def ok(v: Any) -> bool:
        return type(v) is dict and all(
            k in items and type(level) is str and level in values for k, level in v.items()
        )

    return ok


def _number(q: Question) -> SurelyValid:
    whole = q.integer or q.type is QuestionType.MONTHS
    low = float(q.minimum) if q.minimum is not None else -math.inf
    high = float(q.maximum) if q.maximum is not None else math.inf

    def ok(v: Any) -> bool:
        kind = type(v)
        if kind is int:
            return bool(low <= v <= high)
        if kind is float:
            return math.isfinite(v) and (not whole or v == int(v)) and low <= v <= high
        return False

    return ok


def _never(_q: Question) -> SurelyValid:
    """Dates are cheap to check properly; let check_value judge every one."""
    return lambda _v: False


_FAST: dict[QuestionType, Callable[[Question], SurelyValid]] = {
    QuestionType.TEXT: _text,
    QuestionType.LONG_TEXT: _text,
    QuestionType.SINGLE_CHOICE: _single,
    QuestionType.MONEY_BAND: _single,
    QuestionType.LIKERT: _single,
    QuestionType.MULTI_CHOICE: _multi,
    QuestionType.RANKING: _multi,
    QuestionType.LIKERT_MATRIX: _matrix,
    QuestionType.NUMBER: _number,
    QuestionType.MONTHS: _number,
    QuestionType.DATE: _never,
}


class CompiledInstrument:
    """``problems(answers, complete=…)`` equals ``validate_answers(instrument, …)``."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.keys = frozenset(q.key for q in instrument.questions())
        # One tuple per question, unpacked in the loop: this runs for every imported row.
        self._steps = tuple(
            (
                q.key,
                _FAST[q.type](q),
                compile_rule(q.relevance) if q.relevant else None,
                q.required,
                q,
                tuple(i.key for i in q.items)
                if q.required and q.type is QuestionType.LIKERT_MATRIX
                else (),
            )
            for q in instrument.questions()
        )

    def problems(self, answers: Mapping[str, Any], *, complete: bool) -> list[AnswerProblem]:
        problems: list[AnswerProblem] = []
        keys = self.keys
        for key in answers:
            if key not in keys:
                problems.append(
                    AnswerProblem(key, answers[key], "not a question in this instrument")
                )
        for key, surely_valid, rule, required, question, matrix_items in self._steps:
            value = answers.get(key)
            relevant = True if rule is None else rule(answers)
            if _is_empty(value):
                if complete and relevant and required:
                    problems.append(AnswerProblem(key, value, "is required"))
                continue
            if not relevant:
                problems.append(
                    AnswerProblem(
                        key, value, f"should be empty: skip rule {question.relevant} is false"
                    )
                )
                continue
            if not surely_valid(value):
                message = check_value(question, value)
                if message is not None:
                    problems.append(AnswerProblem(key, value, message))
                    continue
            if complete and matrix_items:
                present = cast(dict[str, Any], value)  # a valid matrix answer is a dict
                missing = [i for i in matrix_items if i not in present]
                if missing:
                    problems.append(AnswerProblem(f"{key}/{missing[0]}", None, "is required"))
        return problems


def _is_empty(value: Any) -> bool:
    """``answers.is_empty``, answered without comparing a text to a list and a dict."""
    if value is None:
        return True
    kind = value.__class__
    if kind is str or kind is list or kind is dict:
        return not value
    return bool(value == "" or value == [] or value == {})
