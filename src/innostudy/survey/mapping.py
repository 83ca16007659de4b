"""A mapping file: which column of a response file holds which answer, when names differ.

::

    format: csv                      # optional: as --format
    organisation:                    # the columns that name the organisation
      token: Token
      external_id: Ref
      name: Organisation
      type: Kind
    status:                          # optional; without it every row is submitted
      column: Complete
      values: {"Yes": submitted, "No": draft}
    columns:                         # file column -> question, or question/part
      Title: innovation_title
      "Impact 1": impacts/service_delivery   # a matrix item
      "Origin: ministers": origin/ministers  # one choice of a multi-choice (a tick)
      "Barrier 1": barriers_ranked#1         # rank position 1 of a ranking
      "Cost": cost_band
    choices:                         # file value -> choice value, per question
      cost_band: {"1": under_100k, "2": 100k_500k}
    ignore: [StartDate, EndDate]     # read nothing from these, do not list them
    separator: ";"                   # between choices written in one cell
    decimal_comma: false             # 12,5 means 12.5

Every name is checked against the instrument and the file, with the line it is on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innostudy.errors import InputError, InputErrors
from innostudy.model import ResponseStatus
from innostudy.survey.importing.cells import ChoiceLookup
from innostudy.survey.importing.plan import (
    EXTERNAL_ID,
    NAME,
    STATUS,
    TOKEN,
    TYPE,
    Binding,
    ColumnPlan,
    Item,
    Mark,
    RankAt,
    RankOf,
    Whole,
    status_words,
)
from innostudy.survey.instrument import Instrument, QuestionType
from innostudy.yamldoc import line_of, load_yaml

_ROLES = {"token": TOKEN, "external_id": EXTERNAL_ID, "name": NAME, "type": TYPE}
_TOP = {
    "format",
    "organisation",
    "status",
    "columns",
    "choices",
    "ignore",
    "separator",
    "decimal_comma",
}


@dataclass
class Mapping:
    source: str
    format: str | None = None
    roles: dict[str, str] = field(default_factory=dict)  # role -> column
    status_column: str | None = None
    status_values: dict[str, ResponseStatus] = field(default_factory=dict)
    columns: dict[str, Binding] = field(default_factory=dict)
    recodes: dict[str, dict[str, str]] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    separator: str | None = None
    decimal_comma: bool | None = None
    lines: dict[str, int | None] = field(default_factory=dict)  # column -> line, for messages


class _Reader:
    def __init__(self, path: Path, instrument: Instrument) -> None:
        self.source = str(path)
        self.instrument = instrument
        self.errors: list[InputError] = []

    def error(self, node: Any, key: str | None, message: str) -> None:
        self.errors.append(InputError(self.source, line_of(node, key), key, message, unit="line"))

    def read(self, data: Any) -> Mapping:
        result = Mapping(self.source)
        if not isinstance(data, dict):
            self.error(
                data, None, "a mapping file must be a YAML mapping (see docs/survey-import.md)"
            )
            return result
        for key in data:
            if key not in _TOP:
                self.error(data, key, f"unknown field '{key}' (one of: {', '.join(sorted(_TOP))})")
        result.format = str(data["format"]) if data.get("format") else None
        self.roles(data, result)
        self.status(data, result)
        self.columns(data, result)
        self.choices(data, result)
        result.ignore = [str(c) for c in data.get("ignore") or []]
        if data.get("separator") is not None:
            result.separator = str(data["separator"])
        if data.get("decimal_comma") is not None:
            result.decimal_comma = data["decimal_comma"] is True
        return result

    def roles(self, data: dict[str, Any], result: Mapping) -> None:
        node = data.get("organisation") or {}
        if not isinstance(node, dict):
            self.error(data, "organisation", "must map token/external_id/name/type to column names")
            return
        for key, column in node.items():
            if key not in _ROLES:
                self.error(
                    node, key, f"unknown field '{key}' (one of: token, external_id, name, type)"
                )
                continue
            result.roles[_ROLES[key]] = str(column)
            result.lines[str(column)] = line_of(node, key)

    def status(self, data: dict[str, Any], result: Mapping) -> None:
        node = data.get("status")
        if node is None:
            return
        if not isinstance(node, dict) or "column" not in node:
            self.error(data, "status", "needs 'column' (and optionally 'values')")
            return
        result.status_column = str(node["column"])
        result.lines[result.status_column] = line_of(node, "column")
        for raw, status in (node.get("values") or {}).items():
            try:
                result.status_values[str(raw)] = ResponseStatus(str(status))
            except ValueError:
                self.error(
                    node.get("values"),
                    raw,
                    f"'{status}' is not a status (submitted, draft, invited)",
                )

    def columns(self, data: dict[str, Any], result: Mapping) -> None:
        node = data.get("columns") or {}
        if not isinstance(node, dict):
            self.error(data, "columns", "must map file columns to questions")
            return
        for column, target in node.items():
            binding = self.target(str(target))
            if isinstance(binding, str):
                self.error(node, column, f"column '{column}': {binding}")
            else:
                result.columns[str(column)] = binding
                result.lines[str(column)] = line_of(node, column)

    def target(self, target: str) -> Binding | str:
        """``q``, ``q/choice``, ``q/item`` or ``q#rank`` as a binding, or what is wrong."""
        key, _, rest = target.replace("#", "/#", 1).partition("/")
        if not self.instrument.has_question(key):
            return f"'{key}' is not a question of the instrument"
        q = self.instrument.question(key)
        if not rest:
            if q.type is QuestionType.LIKERT_MATRIX:
                return f"'{key}' is a matrix: map each column to {key}/<item>"
            return Whole(key)
        if rest.startswith("#"):
            if q.type is not QuestionType.RANKING or not rest[1:].isdigit():
                return f"'{target}': '#n' (a rank position) only applies to a ranking question"
            return RankAt(key, int(rest[1:]))
        if q.type is QuestionType.LIKERT_MATRIX:
            if rest not in {i.key for i in q.items}:
                return f"'{rest}' is not an item of '{key}'"
            return Item(key, rest)
        choice = ChoiceLookup.of(q.choices).find(rest)
        if q.type not in (QuestionType.MULTI_CHOICE, QuestionType.RANKING) or choice is None:
            return f"'{target}': '{rest}' is not a choice of the multi-choice or ranking '{key}'"
        return Mark(key, choice) if q.type is QuestionType.MULTI_CHOICE else RankOf(key, choice)

    def choices(self, data: dict[str, Any], result: Mapping) -> None:
        node = data.get("choices") or {}
        for key, recode in node.items() if isinstance(node, dict) else []:
            if not self.instrument.has_question(key) or not self.instrument.question(key).choices:
                self.error(node, key, f"'{key}' is not a question with choices")
                continue
            values = set(self.instrument.question(key).choice_values)
            for raw, value in (recode or {}).items():
                if str(value) not in values:
                    self.error(recode, raw, f"'{value}' is not a choice of '{key}'")
            result.recodes[key] = {str(k): str(v) for k, v in (recode or {}).items()}


def load_mapping(path: Path, instrument: Instrument) -> Mapping:
    reader = _Reader(path, instrument)
    mapping = reader.read(load_yaml(path))
    if reader.errors:
        raise InputErrors(reader.errors)
    return mapping


def apply_mapping(mapping: Mapping, plan: ColumnPlan) -> None:
    """Let the mapping decide for every column it names; check those columns exist."""
    index = {name.strip(): i for i, name in enumerate(plan.columns)}
    errors: list[InputError] = []

    def find(column: str) -> int | None:
        i = index.get(column.strip())
        if i is None:
            line = mapping.lines.get(column)
            errors.append(
                InputError(
                    mapping.source, line, column, f"the file has no column '{column}'", unit="line"
                )
            )
        return i

    taken: set[int] = set()  # columns the mapping gives a new meaning (or none)
    for column, binding in mapping.columns.items():
        i = find(column)
        if i is not None:
            plan.answers[i] = binding
            taken.add(i)
    for column in mapping.ignore:
        i = index.get(column.strip())
        if i is not None:
            plan.answers.pop(i, None)
            plan.ignored.append(plan.columns[i])
            taken.add(i)
    plan.roles = {role: i for role, i in plan.roles.items() if i not in taken}
    for role, column in mapping.roles.items():
        i = find(column)
        if i is not None:
            plan.answers.pop(i, None)
            plan.roles[role] = i
            taken.add(i)
    if mapping.status_column is not None:
        i = find(mapping.status_column)
        if i is not None:
            plan.answers.pop(i, None)
            plan.roles[STATUS] = i
            plan.status_rule = status_words(i, mapping.status_values)
            plan.status_field = mapping.status_column
            taken.add(i)
    if errors:
        raise InputErrors(errors)
    taken_names = {plan.columns[i] for i in taken}
    plan.unmapped = [c for c in plan.unmapped if c not in taken_names]
    plan.recodes |= mapping.recodes
    if mapping.separator is not None:
        plan.list_separators = (mapping.separator,)
    if mapping.decimal_comma is not None:
        plan.decimal_comma = mapping.decimal_comma
