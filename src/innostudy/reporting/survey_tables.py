"""Survey questions as report tables: counts and percentages of submitted answers.

``{{table: QUESTION_KEY}}`` in the narrative shows one of these, built from the same
pure counts (analysis/counts.py) for every question with countable answers.
"""

from __future__ import annotations

from typing import Any

from innostudy.analysis.counts import QuestionFigures, question_figures
from innostudy.reporting.document import Table
from innostudy.survey.instrument import Instrument, QuestionType

_NOT_COUNTABLE = (QuestionType.TEXT, QuestionType.LONG_TEXT, QuestionType.DATE)
_COUNT_HEADER = {
    QuestionType.RANKING: "Ranked first",
    QuestionType.LIKERT_MATRIX: "High or very high",
}


def countable_questions(instrument: Instrument) -> list[str]:
    return [q.key for q in instrument.questions() if q.type not in _NOT_COUNTABLE]


def _numbers_table(figures: QuestionFigures) -> Table:
    n = figures.numbers
    rows = [[k.capitalize(), f"{n[k]:g}"] for k in ("mean", "median", "min", "max")] if n else []
    return Table(
        figures.label,
        ["", "Value"],
        rows,
        notes=[f"Base: {figures.answered} organisations that answered."],
        numeric=[False, True],
    )


def question_table(instrument: Instrument, key: str, answers: list[dict[str, Any]]) -> Table:
    q = instrument.question(key)
    figures = question_figures(q, answers)
    if q.type.is_numeric:
        return _numbers_table(figures)
    first = "Item" if q.type is QuestionType.LIKERT_MATRIX else "Answer"
    rows = [[r.label, str(r.count), f"{r.percent:.1f}"] for r in figures.rows]
    return Table(
        caption=q.label,
        header=[first, _COUNT_HEADER.get(q.type, "Organisations"), "%"],
        rows=rows,
        notes=[f"Base: {figures.answered} organisations that answered."],
        numeric=[False, True, True],
    )
