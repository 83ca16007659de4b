"""Case and source variables: innostudy's own, survey answers, and their REFI values.

Participants and focus groups become REFI cases; what innostudy knows about them travels
as variables with fixed English names (below). Survey answers are added only for the
questions the user picks (``--variable KEY``), from the participant's linked response
when it was submitted, named ``survey: KEY`` (``survey: KEY.ITEM`` for one row of a
Likert matrix). Choice answers are written as their labels, because that is what a
person reads in a QDA tool.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from innostudy.errors import InputError
from innostudy.exchange.refi.ids import Guids
from innostudy.exchange.refi.project import RefiValue, RefiVariable
from innostudy.survey.instrument import Instrument, Question, QuestionType

FOCUS_GROUP = "Focus group"
GROUP_TYPE = "Group type"
SECTOR = "Sector"
ROLE = "Role"
LEVEL = "Level"
ORGANISATION_TYPE = "Organisation type"
MAY_QUOTE = "May be quoted"
SESSION = "Session"
SESSION_DATE = "Session date"
TRANSCRIPT_KIND = "Transcript kind"
SURVEY_PREFIX = "survey: "

# innostudy's own variables, in the order they are declared, with their REFI types.
OWN_VARIABLES: dict[str, str] = {
    FOCUS_GROUP: "Text",
    GROUP_TYPE: "Text",
    SECTOR: "Text",
    ROLE: "Text",
    LEVEL: "Text",
    ORGANISATION_TYPE: "Text",
    MAY_QUOTE: "Boolean",
    SESSION: "Text",
    SESSION_DATE: "Date",
    TRANSCRIPT_KIND: "Text",
}
OWN_DESCRIPTIONS = {
    FOCUS_GROUP: "The focus group a participant belongs to, or a transcript comes from.",
    GROUP_TYPE: "The kind of focus group (e.g. senior civil servants).",
    SECTOR: "Civil service or comparison group.",
    ROLE: "The participant's job or role.",
    LEVEL: "The participant's level of seniority.",
    ORGANISATION_TYPE: "The kind of organisation the participant works for.",
    MAY_QUOTE: "Whether the participant consented to verbatim quotation and has not withdrawn.",
    SESSION: "The focus-group session a transcript records.",
    SESSION_DATE: "The date of that session.",
    TRANSCRIPT_KIND: "verbatim (a transcript) or notes (a note-taker's record).",
}


def decimal_text(value: float) -> str:
    """A float as xsd:decimal (no exponent): 1e-07 → 0.0000001."""
    return format(Decimal(repr(value)), "f")


@dataclass(frozen=True)
class SurveyVariable:
    name: str
    question: Question
    item: str | None = None  # a Likert-matrix row

    @property
    def type(self) -> str:
        if self.question.type in (QuestionType.NUMBER, QuestionType.MONTHS):
            return "Integer" if self.question.integer else "Float"
        if self.question.type is QuestionType.DATE:
            return "Date"
        return "Text"


def survey_variables(instrument: Instrument, keys: Sequence[str]) -> list[SurveyVariable]:
    """The variables for the questions the user picked; an unknown key is an input error."""
    out: list[SurveyVariable] = []
    for key in keys:
        base, _, item = key.partition(".")
        if not instrument.has_question(base):
            known = ", ".join(q.key for q in instrument.questions())
            raise InputError(
                "--variable", None, key, f"no question '{base}' in the instrument (one of: {known})"
            )
        q = instrument.question(base)
        if q.type is QuestionType.LIKERT_MATRIX:
            items = [i.key for i in q.items]
            if item and item not in items:
                raise InputError(
                    "--variable",
                    None,
                    key,
                    f"'{base}' has no row '{item}' (one of: {', '.join(items)})",
                )
            out += [
                SurveyVariable(f"{SURVEY_PREFIX}{base}.{i}", q, i)
                for i in ([item] if item else items)
            ]
        elif item:
            raise InputError(
                "--variable", None, key, f"'{base}' is not a Likert matrix; drop '.{item}'"
            )
        else:
            out.append(SurveyVariable(f"{SURVEY_PREFIX}{base}", q))
    return list({v.name: v for v in out}.values())


def _label(q: Question, value: str) -> str:
    choice = q.choice(value)
    return choice.label if choice is not None else value


def survey_value(var: SurveyVariable, answers: Mapping[str, Any]) -> tuple[str, str] | None:
    """(REFI type, lexical value) of one answer, or None when it was not answered."""
    q, value = var.question, answers.get(var.question.key)
    if var.item is not None:
        value = value.get(var.item) if isinstance(value, dict) else None
    if value is None or value == "" or value == []:
        return None
    if var.type in ("Integer", "Float"):
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            return None
        if var.type == "Integer" and float(value).is_integer():
            return "Integer", str(int(value))
        return "Float", decimal_text(float(value))
    if var.type == "Date":
        return "Date", str(value)
    if isinstance(value, list):
        return "Text", "; ".join(_label(q, str(v)) for v in value)
    return "Text", _label(q, str(value)) if q.type.uses_choices else str(value)


class VariableTable:
    """Variables in order of declaration; only those that received a value are declared."""

    def __init__(self, guids: Guids) -> None:
        self.guids = guids
        self._types: dict[str, str] = dict(OWN_VARIABLES)
        self._order: list[str] = list(OWN_VARIABLES)
        self._used: set[str] = set()

    def reserve(self, name: str, type_: str) -> None:
        """Fix a variable's place in the order (survey variables come before stored ones)."""
        if name not in self._types:
            self._types[name] = type_
            self._order.append(name)

    def value(self, name: str, type_: str, value: str) -> RefiValue:
        self.reserve(name, type_)
        self._used.add(name)
        return RefiValue(self.guids("variable", name), type_, value)

    def declared(self) -> list[RefiVariable]:
        return [
            RefiVariable(
                guid=self.guids("variable", name),
                name=name,
                type=self._types[name],
                description=OWN_DESCRIPTIONS.get(name, ""),
            )
            for name in self._order
            if name in self._used
        ]
