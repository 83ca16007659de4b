"""Plain counts of submitted answers per question: the figures of the first report.

Pure functions over the instrument and a list of answer dicts; no database, no plotting.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from innostudy.survey.instrument import Instrument, Question, QuestionType

HIGH_LEVELS = ("high", "very_high")


@dataclass(frozen=True)
class CountRow:
    value: str
    label: str
    count: int
    percent: float  # of those who answered the question


@dataclass
class QuestionFigures:
    key: str
    label: str
    type: str
    answered: int
    rows: list[CountRow] = field(default_factory=list)
    numbers: dict[str, float] = field(default_factory=dict)


def _pct(count: int, base: int) -> float:
    return round(100.0 * count / base, 1) if base else 0.0


def _choice_rows(q: Question, counter: Counter[str], base: int) -> list[CountRow]:
    return [
        CountRow(c.value, c.label, counter[c.value], _pct(counter[c.value], base))
        for c in q.choices
    ]


def question_figures(q: Question, answers: Sequence[dict[str, Any]]) -> QuestionFigures:
    values = [a[q.key] for a in answers if q.key in a]
    figures = QuestionFigures(q.key, q.label, q.type.value, len(values))
    if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MONEY_BAND, QuestionType.LIKERT):
        figures.rows = _choice_rows(q, Counter(values), len(values))
    elif q.type is QuestionType.MULTI_CHOICE:
        figures.rows = _choice_rows(q, Counter(v for chosen in values for v in chosen), len(values))
    elif q.type is QuestionType.RANKING:
        figures.rows = _choice_rows(
            q, Counter(chosen[0] for chosen in values if chosen), len(values)
        )
    elif q.type is QuestionType.LIKERT_MATRIX:
        for item in q.items:
            levels = [v[item.key] for v in values if item.key in v]
            high = sum(1 for level in levels if level in HIGH_LEVELS)
            figures.rows.append(CountRow(item.key, item.label, high, _pct(high, len(levels))))
    elif q.type.is_numeric and values:
        numbers = [float(v) for v in values]
        figures.numbers = {
            "mean": round(statistics.fmean(numbers), 1),
            "median": float(statistics.median(numbers)),
            "min": min(numbers),
            "max": max(numbers),
        }
    return figures


def area_figures(
    instrument: Instrument, area: str, answers: Sequence[dict[str, Any]]
) -> list[QuestionFigures]:
    """Figures for the questions of one area that have countable answers."""
    countable = [
        q
        for q in instrument.questions_in_area(area)
        if q.type not in (QuestionType.TEXT, QuestionType.LONG_TEXT, QuestionType.DATE)
    ]
    return [question_figures(q, answers) for q in countable]
