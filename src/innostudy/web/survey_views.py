"""View models for the survey pages: what each template needs, built from plain values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from innostudy.survey.answers import AnswerProblem
from innostudy.survey.form import FormValue, Page, form_value, question_states
from innostudy.survey.form_text import describe_rule, display_answer, respondent_message
from innostudy.survey.instrument import Instrument, Question


@dataclass
class QuestionBlock:
    q: Question
    mode: str  # shown | conditional (hidden questions are not rendered)
    relevant: bool
    rule_text: str
    value: FormValue
    errors: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # saved by another tab, on conflict

    @property
    def type(self) -> str:
        return self.q.type.value

    @property
    def error_id(self) -> str:
        return f"{self.q.key}-error"

    @property
    def hint_id(self) -> str:
        return f"{self.q.key}-hint"

    def describedby(self) -> str:
        ids = []
        if self.q.hint or self.mode == "conditional":
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    def rank_options(self) -> list[int]:
        limit = self.q.max_selected or len(self.q.choices)
        return list(range(1, min(limit, len(self.q.choices)) + 1))


def question_blocks(
    instrument: Instrument,
    page: Page,
    answers: Mapping[str, Any],
    *,
    values: Mapping[str, FormValue] | None = None,
    problems: Sequence[AnswerProblem] = (),
    elsewhere: Mapping[str, Any] | None = None,
) -> list[QuestionBlock]:
    """Blocks for the questions to show; ``values`` are what was typed, if re-shown."""
    blocks = []
    for state in question_states(instrument, page, answers):
        if state.mode == "hidden":
            continue
        q = state.question
        value = values[q.key] if values and q.key in values else form_value(q, answers.get(q.key))
        expr = q.relevance
        rule = (
            f"Answer this only if {describe_rule(instrument, expr)}."
            if state.mode == "conditional" and expr is not None
            else ""
        )
        block = QuestionBlock(q, state.mode, state.relevant, rule, value)
        block.errors = [
            respondent_message(p, q) for p in problems if p.field.split("/", 1)[0] == q.key
        ]
        if elsewhere is not None and q.key in elsewhere:
            block.elsewhere = display_answer(q, elsewhere.get(q.key)) or ["(no answer)"]
        blocks.append(block)
    return blocks


@dataclass(frozen=True)
class AnswerLine:
    key: str
    label: str
    lines: list[str]


@dataclass(frozen=True)
class AnswerSection:
    number: int
    title: str
    answers: list[AnswerLine]


def answer_sections(
    instrument: Instrument, pages: Sequence[Page], answers: Mapping[str, Any]
) -> list[AnswerSection]:
    """Every relevant question with its answer in words, page by page (review, receipt)."""
    out = []
    for page in pages:
        lines = [
            AnswerLine(
                s.question.key,
                s.question.label,
                display_answer(s.question, answers.get(s.question.key)),
            )
            for s in question_states(instrument, page, answers)
            if s.relevant
        ]
        out.append(AnswerSection(page.number, page.title, lines))
    return out


def error_summary(
    instrument: Instrument, problems: Sequence[AnswerProblem]
) -> list[tuple[str, str, str]]:
    """(anchor, question label, message) for the box at the top of a page."""
    rows = []
    for p in problems:
        key = p.field.split("/", 1)[0]
        q = instrument.question(key) if instrument.has_question(key) else None
        rows.append(
            (f"q-{key}", q.label if q else key, respondent_message(p, q) if q else p.message)
        )
    return rows
