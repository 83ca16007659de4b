"""Check one response's answers against the instrument: types, choices, ranges, required, skips.

Pure functions over plain values, shared by the web form, every importer and the demo,
so an answer is judged the same way wherever it came from.

Answer shapes (as stored in ``Response.answers``)::

    text, long_text, single_choice, money_band, likert  -> str
    multi_choice, ranking                                 -> list[str] (ranking: first = rank 1)
    likert_matrix                                         -> dict[item key, str]
    number, months                                        -> int | float
    date                                                  -> "YYYY-MM-DD"

A missing answer is a missing key; empty strings and empty lists are never stored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from innostudy.survey.instrument import Instrument, Question, QuestionType
from innostudy.survey.relevance import is_relevant

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class AnswerProblem:
    """What is wrong with one answer; ``field`` is the question key (or key/item)."""

    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def check_value(q: Question, value: Any) -> str | None:
    """Why ``value`` is not a valid answer to ``q``, or None if it is."""
    checker = _CHECKERS[q.type]
    return checker(q, value)


def _text(q: Question, value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    if q.max_length is not None and len(value) > q.max_length:
        return f"is {len(value)} characters long; at most {q.max_length} allowed"
    return None


def _single(q: Question, value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be one choice"
    if q.choice(value) is None:
        return f"'{value}' is not one of the choices ({', '.join(q.choice_values)})"
    return None


def _multi(q: Question, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "must be a list of choices"
    unknown = [v for v in value if q.choice(v) is None]
    if unknown:
        return f"'{unknown[0]}' is not one of the choices ({', '.join(q.choice_values)})"
    if len(set(value)) != len(value):
        return "names a choice more than once"
    if q.min_selected is not None and len(value) < q.min_selected:
        return f"choose at least {q.min_selected}"
    if q.max_selected is not None and len(value) > q.max_selected:
        verb = "rank" if q.type is QuestionType.RANKING else "choose"
        return f"{verb} at most {q.max_selected} (got {len(value)})"
    return None


def _matrix(q: Question, value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must give a level for each item"
    keys = {i.key for i in q.items}
    for item, level in value.items():
        if item not in keys:
            return f"unknown item '{item}'"
        if not isinstance(level, str) or q.choice(level) is None:
            return f"item '{item}': '{level}' is not on the scale ({', '.join(q.choice_values)})"
    return None


def _number(q: Question, value: Any) -> str | None:
    # ints are always finite; math.isfinite would overflow on a very long one
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be a number"
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a number"
    if (q.integer or q.type is QuestionType.MONTHS) and value != int(value):
        return "must be a whole number"
    if q.minimum is not None and value < float(q.minimum):
        return f"{_fmt(value)} is below the minimum {_fmt(q.minimum)}"
    if q.maximum is not None and value > float(q.maximum):
        return f"{_fmt(value)} is above the maximum {_fmt(q.maximum)}"
    return None


def _date(q: Question, value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a date like 2024-03-31"
    # fromisoformat alone also takes week dates (2024-W01-1) and compact forms
    if _ISO_DATE.fullmatch(value) is None:
        return f"'{value}' is not a date like 2024-03-31"
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"'{value}' is not a date like 2024-03-31"
    if q.minimum is not None and value < str(q.minimum):
        return f"{value} is before {q.minimum}"
    if q.maximum is not None and value > str(q.maximum):
        return f"{value} is after {q.maximum}"
    return None


def _fmt(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    number = float(value)
    return str(int(number)) if number == int(number) else str(number)


_CHECKERS = {
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
    QuestionType.DATE: _date,
}


def validate_answers(
    instrument: Instrument, answers: Mapping[str, Any], *, complete: bool
) -> list[AnswerProblem]:
    """Every problem with a set of answers.

    ``complete`` is True for a submission: then required questions that the skip rules
    make relevant must be answered. Drafts may leave anything out. Answers to questions
    the skip rules hide, or that the instrument does not have, are always problems.
    """
    problems: list[AnswerProblem] = []
    for key in answers:
        if not instrument.has_question(key):
            problems.append(AnswerProblem(key, answers[key], "not a question in this instrument"))
    for q in instrument.questions():
        value = answers.get(q.key)
        relevant = is_relevant(q.relevance, answers)
        if is_empty(value):
            if complete and relevant and q.required:
                problems.append(AnswerProblem(q.key, value, "is required"))
            continue
        if not relevant:
            problems.append(
                AnswerProblem(q.key, value, f"should be empty: skip rule {q.relevant} is false")
            )
            continue
        message = check_value(q, value)
        if message is not None:
            problems.append(AnswerProblem(q.key, value, message))
        elif complete and q.required and q.type is QuestionType.LIKERT_MATRIX:
            missing = [i.key for i in q.items if not isinstance(value, dict) or i.key not in value]
            if missing:
                problems.append(AnswerProblem(f"{q.key}/{missing[0]}", None, "is required"))
    return problems


def drop_irrelevant(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers without those the skip rules now hide (e.g. the respondent changed a filter)."""
    kept: dict[str, Any] = {}
    for q in instrument.questions():
        if q.key in answers and not is_empty(answers[q.key]) and is_relevant(q.relevance, {**kept}):
            kept[q.key] = answers[q.key]
    return kept
