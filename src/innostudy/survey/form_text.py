"""Words a respondent reads: skip rules in plain English, answers as labels, messages.

Pure functions; the web form, the review page and the printable receipt all use them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from innostudy.survey.answers import AnswerProblem, is_empty
from innostudy.survey.instrument import Instrument, Question, QuestionType
from innostudy.survey.relevance import BoolOp, Call, Compare, Expr, Literal, Ref


def describe_rule(instrument: Instrument, expr: Expr) -> str:
    """A skip rule as a clause: "you chose “Other” for “Which category …?”"."""
    if isinstance(expr, BoolOp) and expr.op in ("and", "or"):
        return f" {expr.op} ".join(describe_rule(instrument, a) for a in expr.args)
    if isinstance(expr, Compare) and isinstance(expr.left, Ref):
        q = _question(instrument, expr.left.name)
        right = expr.right
        if q is not None and isinstance(right, Literal):
            if expr.op == "!=" and right.value == "":
                return f"you answered “{q.label}”"
            if expr.op in ("=", "!="):
                said = _choice_label(q, right.value)
                verb = "answered" if expr.op == "=" else "did not answer"
                return f"you {verb} “{said}” to “{q.label}”"
    if isinstance(expr, Call) and expr.name == "selected":
        target, wanted = expr.args
        if isinstance(target, Ref) and isinstance(wanted, Literal):
            q = _question(instrument, target.name)
            if q is not None:
                return f"you chose “{_choice_label(q, wanted.value)}” for “{q.label}”"
    return "your earlier answers make it apply"


def _question(instrument: Instrument, key: str) -> Question | None:
    return instrument.question(key) if instrument.has_question(key) else None


def _choice_label(q: Question, value: str | float) -> str:
    choice = q.choice(str(value))
    if choice is not None:
        return choice.label
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def display_answer(q: Question, answer: Any) -> list[str]:
    """An answer as lines of text a person reads (labels, not stored values)."""
    if is_empty(answer):
        return []
    if q.type is QuestionType.MULTI_CHOICE:
        return [_choice_label(q, v) for v in answer]
    if q.type is QuestionType.RANKING:
        return [f"{rank}. {_choice_label(q, v)}" for rank, v in enumerate(answer, start=1)]
    if q.type is QuestionType.LIKERT_MATRIX:
        return [
            f"{item.label}: {_choice_label(q, answer[item.key])}"
            for item in q.items
            if item.key in answer
        ]
    if q.type.uses_choices:
        return [_choice_label(q, answer)]
    if q.type is QuestionType.MONTHS:
        return [f"{_number(answer)} month{'' if answer == 1 else 's'}"]
    if q.type is QuestionType.NUMBER:
        return [_number(answer)]
    if q.type is QuestionType.DATE:
        return [_long_date(str(answer))]
    return str(answer).split("\n")


def _number(value: Any) -> str:
    number = float(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,}"


def _long_date(text: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {day.strftime('%B %Y')}"


_REQUIRED = "Answer this question to continue."


def respondent_message(problem: AnswerProblem, q: Question | None = None) -> str:
    """The validator's wording turned into a sentence for the person filling the form."""
    if problem.message == "is required":
        if "/" in problem.field and q is not None:
            item_key = problem.field.split("/", 1)[1]
            label = next((i.label for i in q.items if i.key == item_key), item_key)
            return f"Choose a level for “{label}”."
        return _REQUIRED
    if problem.message.startswith("should be empty"):
        return "This question does not apply given your other answers; leave it empty."
    message = problem.message
    if q is not None and q.type is QuestionType.RANKING:
        return message[0].upper() + message[1:] + "."
    starts = ("must", "is ", "names")
    prefix = "The answer " if message.startswith(starts) else ""
    text = prefix + message
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")
