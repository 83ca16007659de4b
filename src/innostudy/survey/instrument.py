"""The instrument: sections of questions, choice lists and skip rules, read from YAML.

The format is documented in docs/instrument-format.md. Loading checks everything a
respondent or an import would otherwise trip over later (unknown choice lists, skip
rules that read later or unknown questions, duplicate keys) and names the line.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innostudy.errors import InputError, InputErrors
from innostudy.survey import relevance
from innostudy.yamldoc import Node, line_of, load_yaml, parse_yaml

KEY_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class QuestionType(enum.Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    RANKING = "ranking"
    LIKERT = "likert"
    LIKERT_MATRIX = "likert_matrix"
    NUMBER = "number"
    MONTHS = "months"
    MONEY_BAND = "money_band"
    DATE = "date"

    @property
    def uses_choices(self) -> bool:
        """Types whose answers come from a choice list (``choices`` or ``scale``)."""
        return self in _CHOICE_TYPES

    @property
    def is_numeric(self) -> bool:
        return self in (QuestionType.NUMBER, QuestionType.MONTHS)

    @property
    def is_ordered_scale(self) -> bool:
        """The choice list is an ordered scale (its order is meaningful for analysis)."""
        return self in (QuestionType.LIKERT, QuestionType.LIKERT_MATRIX, QuestionType.MONEY_BAND)

    @property
    def choice_field(self) -> str:
        return "scale" if self in (QuestionType.LIKERT, QuestionType.LIKERT_MATRIX) else "choices"


_CHOICE_TYPES = frozenset(
    {
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTI_CHOICE,
        QuestionType.RANKING,
        QuestionType.LIKERT,
        QuestionType.LIKERT_MATRIX,
        QuestionType.MONEY_BAND,
    }
)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    code: int  # numeric code used by SPSS/Qualtrics style exports; defaults to position


@dataclass(frozen=True)
class MatrixItem:
    key: str
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    type: QuestionType
    label: str
    section: str
    area: str
    hint: str = ""
    required: bool = False
    relevant: str | None = None
    choice_list: str | None = None
    choices: tuple[Choice, ...] = ()
    items: tuple[MatrixItem, ...] = ()
    minimum: float | str | None = None
    maximum: float | str | None = None
    integer: bool = False
    max_length: int | None = None
    min_selected: int | None = None
    max_selected: int | None = None
    line: int | None = None

    @property
    def relevance(self) -> relevance.Expr | None:
        return relevance.parse(self.relevant) if self.relevant else None

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    @property
    def choice_values(self) -> list[str]:
        return [c.value for c in self.choices]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    area: str
    questions: tuple[Question, ...]
    intro: str = ""


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    version: str
    sections: tuple[Section, ...]
    choice_lists: dict[str, tuple[Choice, ...]]
    description: str = ""
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def question(self, key: str) -> Question:
        for q in self.questions():
            if q.key == key:
                return q
        raise KeyError(key)

    def has_question(self, key: str) -> bool:
        return any(q.key == key for q in self.questions())

    def questions_in_area(self, area: str) -> list[Question]:
        return [q for q in self.questions() if q.area == area]

    @property
    def areas(self) -> list[str]:
        seen: list[str] = []
        for s in self.sections:
            if s.area not in seen:
                seen.append(s.area)
        return seen


def load_instrument(path: Path) -> Instrument:
    """Read and check an instrument file; every problem found is reported together."""
    return parse_instrument(load_yaml(path), str(path))


def parse_instrument_text(text: str, source: str) -> Instrument:
    return parse_instrument(parse_yaml(text, source), source)


def parse_instrument(data: Any, source: str) -> Instrument:
    from innostudy.survey.instrument_parse import InstrumentParser

    parser = InstrumentParser(source)
    instrument = parser.parse(data)
    if parser.errors:
        raise InputErrors(parser.errors)
    assert instrument is not None
    return instrument


def check_instrument(path: Path) -> list[InputError]:
    """All problems in an instrument file (empty when it is valid)."""
    from innostudy.survey.instrument_parse import InstrumentParser

    try:
        data = load_yaml(path)
    except InputError as exc:
        return [exc]
    parser = InstrumentParser(str(path))
    parser.parse(data)
    return parser.errors


def is_node(value: Any) -> bool:
    return isinstance(value, Node)


__all__ = [
    "Choice",
    "Instrument",
    "MatrixItem",
    "Question",
    "QuestionType",
    "Section",
    "check_instrument",
    "line_of",
    "load_instrument",
    "parse_instrument",
]
