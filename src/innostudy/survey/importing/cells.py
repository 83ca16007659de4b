"""Reading one cell of a response file as an answer: choices, numbers, dates, marks, lists.

Every export tool writes answers its own way (choice values, labels or numeric codes;
``1``/``Y``/``Checked`` for a ticked box; ``;`` or ``,`` or spaces between choices).
These functions accept all of them and return the answer shape of ``answers.py``.
Whatever they cannot read is passed on unchanged, so the one validator names the
problem in its own words ("'Maybe' is not one of the choices (…)").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, time

from innostudy.survey.importing.dates import parse_moment
from innostudy.survey.instrument import Choice, Question, QuestionType

_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?")
_COMMA_DECIMAL = re.compile(r"[+-]?[0-9]+,[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MIDNIGHT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]00:00(?::00(?:\.0+)?)?Z?")
_SPACES = re.compile(r"\s+")

MARKED = frozenset({"1", "1.0", "y", "yes", "true", "x", "checked", "selected", "on"})
UNMARKED = frozenset({"", "0", "0.0", "n", "no", "false", "unchecked", "not selected", "off"})


def norm(text: str) -> str:
    """Labels compare without case or repeated spaces ("Don't  know" = "don't know")."""
    return _SPACES.sub(" ", text.strip()).casefold()


def code_text(text: str) -> str:
    """Numeric codes compare as whole numbers: ``3``, ``3.0`` and ``03`` are code 3."""
    t = text.strip()
    if _INT.fullmatch(t):
        return str(int(t))
    if _FLOAT.fullmatch(t):
        number = float(t)
        if number.is_integer():
            return str(int(number))
    return t


@dataclass(frozen=True)
class ChoiceLookup:
    """A cell → the choice value it names, trying value, then label, then numeric code."""

    by_value: dict[str, str]
    by_label: dict[str, str]
    by_code: dict[str, str]

    @classmethod
    def of(cls, choices: Iterable[Choice]) -> ChoiceLookup:
        by_value: dict[str, str] = {}
        by_label: dict[str, str] = {}
        by_code: dict[str, str] = {}
        for c in choices:
            by_value.setdefault(c.value, c.value)
            by_label.setdefault(norm(c.label), c.value)
            by_code.setdefault(str(c.code), c.value)
        return cls(by_value, by_label, by_code)

    def find(self, text: str) -> str | None:
        found = self.by_value.get(text)
        if found is not None:
            return found
        t = text.strip()
        return self.by_value.get(t) or self.by_label.get(norm(t)) or self.by_code.get(code_text(t))

    def __call__(self, text: str) -> str:
        found = self.find(text)
        return text.strip() if found is None else found


def number(text: str, *, decimal_comma: bool = False) -> int | float | str:
    """Whole numbers become ints, decimals floats; anything else stays text for the validator."""
    t = text.strip()
    if _INT.fullmatch(t):
        try:
            return int(t)
        except ValueError:  # more digits than Python converts
            return t
    if decimal_comma and _COMMA_DECIMAL.fullmatch(t):
        t = t.replace(",", ".")
    if _FLOAT.fullmatch(t):
        return float(t)
    return t


def date_text(text: str, order: str | None = None) -> str:
    """A date as ISO text, however it was written (see dates.py), or the text unchanged.

    ``order`` says whether a numeric date is day or month first (decided for the whole
    column). A timestamp becomes its date only at midnight (how spreadsheets store a
    date); any other time of day is left for the validator to refuse.
    """
    t = text.strip()
    if _ISO_DATE.fullmatch(t) is not None:
        return t
    if _MIDNIGHT.fullmatch(t):
        return t[:10]
    moment = parse_moment(t, order, UTC)
    if moment is None or moment.time() != time():
        return t
    return moment.date().isoformat()


_TRUE = ("1", "true", "t", "yes", "y")
_FALSE = ("0", "false", "f", "no", "n")


def binary_values(q: Question) -> dict[str, str] | None:
    """For a choice between two options coded 1 and 0 (a yes/no or true/false field):
    how the usual spellings of true and false map to them; None for other questions.
    """
    if q.type is not QuestionType.SINGLE_CHOICE or len(q.choices) != 2:
        return None
    coded: dict[str, str] = {}
    for c in q.choices:
        code = c.value.strip() if c.value.strip() in ("0", "1") else str(c.code)
        coded[code] = c.value
    if set(coded) != {"0", "1"}:
        return None
    return dict.fromkeys(_TRUE, coded["1"]) | dict.fromkeys(_FALSE, coded["0"])


def mark(text: str, choice: Choice) -> bool | None:
    """Is a 'one column per choice' cell ticked? None when it is neither yes nor no."""
    n = norm(text)
    if n in UNMARKED:
        return False
    if n in MARKED or text.strip() == choice.value or n == norm(choice.label):
        return True
    return None


def split_choices(text: str, lookup: ChoiceLookup, separators: Sequence[str]) -> list[str]:
    """A list of choices written in one cell, e.g. ``a;b`` or ``Ministers,Senior managers``.

    Labels may contain the separator ("Under £100,000"), so neighbouring pieces are
    joined again when together they name a choice and apart they do not.
    """
    t = text.strip()
    if not t:
        return []
    if lookup.find(t) is not None:
        return [lookup(t)]
    sep = next((s for s in separators if s in t), None)
    if sep is None:
        return [lookup(t)]
    parts = [p for p in (t.split(sep) if sep != " " else t.split()) if p.strip() != ""]
    values: list[str] = []
    i = 0
    while i < len(parts):
        end = i + 1
        for j in range(len(parts), i + 1, -1):
            if lookup.find(sep.join(parts[i:j])) is not None:
                end = j
                break
        values.append(lookup(sep.join(parts[i:end])))
        i = end
    return values
