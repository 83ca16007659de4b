"""The survey as a form: pages, field names, and turning posted fields into answers.

Pure functions over the instrument and plain values, so the web app (and anything else
that takes answers as HTML form fields) reads them one way and tests need no server.

One page per area (sections of the same area share a page). Every question has a
*form value*, the shape a form shows and posts back, beside its *answer* (the shape
stored, fixed in ``survey/answers.py``)::

    text, long_text, number, months, date, single choice, likert, money band -> str
    multi_choice                                                                -> list[str]
    ranking                      -> {choice: "1" | "2" | … | ""}   field  <key>.<choice>
    likert_matrix                -> {item: scale value}             field  <key>.<item>

Posted text that cannot become an answer ("twelve" for a number, two choices ranked 1)
is kept as typed so the page can show it again beside its message.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from innostudy.survey.answers import AnswerProblem, check_value, is_empty, validate_answers
from innostudy.survey.instrument import Instrument, Question, QuestionType, Section
from innostudy.survey.relevance import is_relevant, references

FormValue = str | list[str] | dict[str, str]
FormData = Mapping[str, Sequence[str]]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Page:
    """One page of the form: every section of one area, in instrument order."""

    number: int
    area: str
    title: str
    sections: tuple[Section, ...]

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def keys(self) -> set[str]:
        return {q.key for q in self.questions}


def pages(instrument: Instrument) -> list[Page]:
    by_area: dict[str, list[Section]] = {}
    for section in instrument.sections:
        by_area.setdefault(section.area, []).append(section)
    return [
        Page(number, area, sections[0].title, tuple(sections))
        for number, (area, sections) in enumerate(by_area.items(), start=1)
    ]


def page_of(instrument: Instrument, key: str) -> int:
    """The page number holding question ``key`` (a matrix item's ``key/item`` works too)."""
    base = key.split("/", 1)[0]
    return next(p.number for p in pages(instrument) if base in p.keys)


# --- form values ---------------------------------------------------------------------------


def form_value(q: Question, answer: Any) -> FormValue:
    """The stored answer as the form shows it."""
    if is_empty(answer):
        return _empty(q)
    if q.type is QuestionType.RANKING:
        ranks = {v: str(i) for i, v in enumerate(answer, start=1)}
        return {c.value: ranks.get(c.value, "") for c in q.choices}
    if q.type is QuestionType.LIKERT_MATRIX:
        return {str(k): str(v) for k, v in dict(answer).items()}
    if q.type is QuestionType.MULTI_CHOICE:
        return [str(v) for v in answer]
    if isinstance(answer, float) and answer.is_integer():
        return str(int(answer))
    return str(answer)


def _empty(q: Question) -> FormValue:
    if q.type is QuestionType.MULTI_CHOICE:
        return []
    if q.type in (QuestionType.RANKING, QuestionType.LIKERT_MATRIX):
        return {}
    return ""


def field_name(q: Question, part: str | None = None) -> str:
    return q.key if part is None else f"{q.key}.{part}"


def read_form_value(q: Question, form: FormData) -> FormValue:
    """What the browser posted for ``q``, cleaned of surrounding white space."""
    if q.type is QuestionType.MULTI_CHOICE:
        return [v for v in form.get(q.key, []) if v]
    if q.type is QuestionType.RANKING:
        return {c.value: _first(form, field_name(q, c.value)) for c in q.choices}
    if q.type is QuestionType.LIKERT_MATRIX:
        posted = {i.key: _first(form, field_name(q, i.key)) for i in q.items}
        return {k: v for k, v in posted.items() if v}
    text = _first(form, q.key).replace("\r\n", "\n")
    return text


def _first(form: FormData, name: str) -> str:
    values = form.get(name, [])
    return values[0].strip() if values else ""


def answer_from_form(q: Question, value: FormValue) -> tuple[Any, str | None]:
    """The answer a form value stands for (None if empty), or why it cannot be one."""
    if q.type is QuestionType.RANKING:
        assert isinstance(value, dict)
        return _ranking(q, value)
    if q.type is QuestionType.MULTI_CHOICE:
        assert isinstance(value, list)
        order = {c.value: i for i, c in enumerate(q.choices)}
        return (sorted(value, key=lambda v: order.get(v, len(order))) or None), None
    if q.type is QuestionType.LIKERT_MATRIX:
        assert isinstance(value, dict)
        return (dict(value) or None), None
    assert isinstance(value, str)
    if value == "":
        return None, None
    if q.type.is_numeric:
        return _number(value)
    return value, None


def _number(text: str) -> tuple[Any, str | None]:
    cleaned = text.replace(",", "").replace(" ", "")
    if not _NUMBER.match(cleaned):
        return None, "must be a number, written with digits (for example 12)"
    number = float(cleaned)
    return (int(number) if number.is_integer() and "." not in cleaned else number), None


def _ranking(q: Question, value: Mapping[str, str]) -> tuple[Any, str | None]:
    ranked: list[tuple[int, str]] = []
    for choice, rank in value.items():
        if rank == "":
            continue
        if not rank.isdigit() or int(rank) < 1:
            return None, f"rank '{rank}' is not a whole number from 1"
        ranked.append((int(rank), choice))
    ranks = sorted(r for r, _ in ranked)
    duplicated = sorted({r for r in ranks if ranks.count(r) > 1})
    if duplicated:
        return None, f"each rank can be given once; rank {duplicated[0]} is given more than once"
    if ranks != list(range(1, len(ranks) + 1)):
        given = ", ".join(str(r) for r in ranks)
        return None, f"ranks must run 1, 2, 3… without gaps (you gave {given})"
    return ([c for _, c in sorted(ranked)] or None), None


@dataclass
class PageInput:
    """A posted page: the answers it gives, what was typed, and what is wrong with it."""

    answers: dict[str, Any] = field(default_factory=dict)
    values: dict[str, FormValue] = field(default_factory=dict)
    problems: list[AnswerProblem] = field(default_factory=list)

    @property
    def invalid_keys(self) -> set[str]:
        return {p.field.split("/", 1)[0] for p in self.problems}


def read_page(page: Page, form: FormData) -> PageInput:
    """Read every question of ``page`` from posted fields; only valid answers are kept."""
    result = PageInput()
    for q in page.questions:
        value = read_form_value(q, form)
        result.values[q.key] = value
        answer, problem = answer_from_form(q, value)
        if problem is None and answer is not None:
            problem = check_value(q, answer)
        if problem is not None:
            result.problems.append(AnswerProblem(q.key, value, problem))
        elif answer is not None:
            result.answers[q.key] = answer
    return result


def merge_page(
    current: Mapping[str, Any], page: Page, page_answers: Mapping[str, Any]
) -> dict[str, Any]:
    """The draft with this page's questions replaced by what was just posted."""
    merged = {k: v for k, v in current.items() if k not in page.keys}
    merged.update(page_answers)
    return merged


def page_problems(
    instrument: Instrument, page: Page, answers: Mapping[str, Any], *, complete: bool
) -> list[AnswerProblem]:
    """The validator's verdict on one page's questions, given the whole draft."""
    return [
        p
        for p in validate_answers(instrument, answers, complete=complete)
        if p.field.split("/", 1)[0] in page.keys
    ]


# --- skip rules on a page ------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionState:
    """How a question appears: ``shown``, ``hidden`` by an earlier page's answer, or
    ``conditional`` on an answer on the same page (shown, with the rule in words, so the
    form works without JavaScript; the server drops the answer if the rule is false)."""

    question: Question
    mode: str
    relevant: bool
    controlled_by: tuple[str, ...] = ()


def question_states(
    instrument: Instrument, page: Page, answers: Mapping[str, Any]
) -> list[QuestionState]:
    states: list[QuestionState] = []
    for q in page.questions:
        expr = q.relevance
        relevant = is_relevant(expr, answers)
        if expr is None:
            states.append(QuestionState(q, "shown", True))
            continue
        on_page = tuple(k for k in references(expr) if k in page.keys)
        if on_page:
            states.append(QuestionState(q, "conditional", relevant, on_page))
        else:
            states.append(QuestionState(q, "shown" if relevant else "hidden", relevant))
    return states


def relevant_keys(instrument: Instrument, page: Page, answers: Mapping[str, Any]) -> list[str]:
    return [q.key for q in page.questions if is_relevant(q.relevance, answers)]


# --- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageProgress:
    number: int
    title: str
    answered: int
    questions: int
    missing_required: int
    problems: int = 0  # questions whose answer is wrong, or was typed and could not be read

    @property
    def status(self) -> str:
        if self.problems:
            return "has errors"
        if self.answered == 0:
            return "not started"
        return "complete" if self.missing_required == 0 else "in progress"


def progress(
    instrument: Instrument, answers: Mapping[str, Any], attention: Collection[str] = ()
) -> list[PageProgress]:
    """Per page: relevant questions, how many are answered, how many required are missing.

    ``attention`` names questions with a problem the stored answers cannot show (what was
    just typed and refused), so a page shown with errors is never listed as complete.
    """
    missing: list[str] = []
    wrong = set(attention)
    for p in validate_answers(instrument, answers, complete=True):
        key = p.field.split("/", 1)[0]
        if p.message == "is required":
            missing.append(key)
        else:
            wrong.add(key)
    out: list[PageProgress] = []
    for page in pages(instrument):
        keys = relevant_keys(instrument, page, answers)
        out.append(
            PageProgress(
                page.number,
                page.title,
                sum(1 for k in keys if not is_empty(answers.get(k))),
                len(keys),
                sum(1 for k in missing if k in page.keys),
                sum(1 for k in wrong if k in page.keys),
            )
        )
    return out


def resume_page(instrument: Instrument, answers: Mapping[str, Any]) -> int:
    """Where a returning respondent continues: the first page not yet complete."""
    for item in progress(instrument, answers):
        if item.status != "complete":
            return item.number
    return len(pages(instrument))
