"""Words a respondent reads: skip rules in plain English, answers as labels, messages.

Pure functions; the web form, the review page and the printable receipt all use them.
"""

from __future__ import annotations

import re
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


def respondent_message(problem: AnswerProblem, q: Question | None = None) -> str:
    """The validator's verdict as a sentence for the person filling the form.

    Specific to the question's type and to the rule that failed ("Enter a number of 0
    or more", "Choose at most 3 answers; you chose 4"), never a generic "answer this".
    """
    message = problem.message
    if message == "is required" and q is not None:
        return _required(problem, q)
    if message.startswith("should be empty"):
        return "This question does not apply given your other answers; leave it empty."
    if q is not None:
        for pattern, build in _RULES:
            found = pattern.fullmatch(message)
            if found is not None:
                return str(build(q, found))
        if q.type is QuestionType.RANKING:
            return _sentence(message)
    starts = ("must", "is ", "names")
    return _sentence(("The answer " if message.startswith(starts) else "") + message)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _required(problem: AnswerProblem, q: Question) -> str:
    if "/" in problem.field:
        item_key = problem.field.split("/", 1)[1]
        label = next((i.label for i in q.items if i.key == item_key), item_key)
        return f"Choose a level for “{label}”."
    least = q.min_selected or 1
    wanted = {
        QuestionType.TEXT: "Type your answer.",
        QuestionType.LONG_TEXT: "Type your answer.",
        QuestionType.NUMBER: "Enter a whole number." if q.integer else "Enter a number.",
        QuestionType.MONTHS: "Enter a number of months.",
        QuestionType.DATE: "Enter a date.",
        QuestionType.MULTI_CHOICE: f"Choose at least {_count(least, 'answer')}.",
        QuestionType.RANKING: f"Rank at least {_count(least, 'item')}.",
        QuestionType.LIKERT_MATRIX: "Choose a level for each item.",
    }.get(q.type, "Choose one of the answers.")
    return wanted


def _count(n: int, noun: str) -> str:
    return "one " + noun if n == 1 else f"{n} {noun}s"


def _range(q: Question) -> str:
    unit = "months" if q.type is QuestionType.MONTHS else ""
    low, high = q.minimum, q.maximum
    what = "a whole number" if q.integer or q.type is QuestionType.MONTHS else "a number"
    if low is not None and high is not None:
        text = f"Enter {what} from {_plain(low)} to {_plain(high)}"
    elif low is not None:
        text = f"Enter {what} of {_plain(low)} or more"
    else:
        text = f"Enter {what} of {_plain(high)} or less"
    return text + (f" {unit}." if unit else ".")


def _plain(value: Any) -> str:
    number = float(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,}"


def _date_bound(q: Question, m: re.Match[str]) -> str:
    side = "on or after" if m.group(2) == "before" else "on or before"
    return f"Enter a date {side} {_long_date(m.group(3))}."


# validator message -> respondent sentence, by the rule that failed
_RULES: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"is (\d+) characters long; at most (\d+) allowed"),
        lambda q, m: (
            f"Shorten your answer to {m.group(2)} characters or fewer (it has {m.group(1)})."
        ),
    ),
    (re.compile(r"\S+ is (below the minimum|above the maximum) \S+"), lambda q, m: _range(q)),
    (
        re.compile(r"must be a whole number"),
        lambda q, m: (
            "Enter a whole number of months, without decimals."
            if q.type is QuestionType.MONTHS
            else "Enter a whole number, without decimals."
        ),
    ),
    (
        re.compile(r"must be a number, written with digits.*"),
        lambda q, m: (
            "Enter a number of months, written with digits (for example 12)."
            if q.type is QuestionType.MONTHS
            else "Enter a number, written with digits (for example 12)."
        ),
    ),
    (
        re.compile(r"'.*' is not a date like .*"),
        lambda q, m: "Enter a real date, like 31 March 2024.",
    ),
    (re.compile(r"(\S+) is (before|after) (\S+)"), _date_bound),
    (
        re.compile(r"choose at least (\d+)"),
        lambda q, m: f"Choose at least {_count(int(m.group(1)), 'answer')}.",
    ),
    (
        re.compile(r"choose at most (\d+) \(got (\d+)\)"),
        lambda q, m: f"Choose at most {_count(int(m.group(1)), 'answer')}; you chose {m.group(2)}.",
    ),
    (
        re.compile(r"rank at most (\d+) \(got (\d+)\)"),
        lambda q, m: f"Rank at most {_count(int(m.group(1)), 'item')}; you ranked {m.group(2)}.",
    ),
    (
        re.compile(r"'.*' is not one of the choices .*"),
        lambda q, m: "Choose one of the answers shown.",
    ),
]
