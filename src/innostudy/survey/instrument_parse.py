"""Turn a loaded instrument YAML document into an Instrument, collecting every problem.

Kept apart from instrument.py so the data classes stay readable; this module only
knows how the YAML format maps onto them and which mistakes to name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from innostudy.errors import InputError
from innostudy.survey import relevance
from innostudy.survey.instrument import (
    KEY_PATTERN,
    Choice,
    Instrument,
    MatrixItem,
    Question,
    QuestionType,
    Section,
)
from innostudy.yamldoc import line_of

_QUESTION_FIELDS = {
    "key",
    "type",
    "label",
    "hint",
    "required",
    "relevant",
    "choices",
    "scale",
    "items",
    "min",
    "max",
    "integer",
    "max_length",
    "min_selected",
    "max_selected",
    "max_ranked",
    "min_ranked",
}
_TYPE_FIELDS: dict[QuestionType, set[str]] = {
    QuestionType.TEXT: {"max_length"},
    QuestionType.LONG_TEXT: {"max_length"},
    QuestionType.SINGLE_CHOICE: {"choices"},
    QuestionType.MONEY_BAND: {"choices"},
    QuestionType.MULTI_CHOICE: {"choices", "min_selected", "max_selected"},
    QuestionType.RANKING: {"choices", "max_ranked", "min_ranked"},
    QuestionType.LIKERT: {"scale"},
    QuestionType.LIKERT_MATRIX: {"scale", "items"},
    QuestionType.NUMBER: {"min", "max", "integer"},
    QuestionType.MONTHS: {"min", "max"},
    QuestionType.DATE: {"min", "max"},
}
_COMMON_FIELDS = {"key", "type", "label", "hint", "required", "relevant"}


class InstrumentParser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[InputError] = []
        self.choice_lists: dict[str, tuple[Choice, ...]] = {}
        self.seen_keys: list[str] = []

    def error(self, node: Any, key: str | None, message: str) -> None:
        self.errors.append(InputError(self.source, line_of(node, key), key, message, unit="line"))

    def parse(self, data: Any) -> Instrument | None:
        if not isinstance(data, dict):
            self.error(data, None, "an instrument must be a YAML mapping with 'sections'")
            return None
        for name in ("id", "title", "sections"):
            if name not in data:
                self.error(data, None, f"missing '{name}'")
        self.choice_lists = self.parse_choice_lists(data)
        sections = self.parse_sections(data)
        if self.errors:
            return None
        known = {"id", "title", "version", "description", "choice_lists", "sections"}
        return Instrument(
            id=str(data["id"]),
            title=str(data["title"]),
            version=str(data.get("version", "1")),
            description=str(data.get("description", "")),
            sections=tuple(sections),
            choice_lists=self.choice_lists,
            source=self.source,
            extra={k: v for k, v in data.items() if k not in known},
        )

    def parse_choice_lists(self, data: dict[str, Any]) -> dict[str, tuple[Choice, ...]]:
        lists = data.get("choice_lists") or {}
        if not isinstance(lists, dict):
            self.error(data, "choice_lists", "must map list names to lists of choices")
            return {}
        return {name: self.parse_choices(lists, name, items) for name, items in lists.items()}

    def parse_choices(self, parent: Any, name: str, items: Any) -> tuple[Choice, ...]:
        if not isinstance(items, list) or not items:
            self.error(parent, name, "a choice list must be a non-empty list")
            return ()
        choices: list[Choice] = []
        for position, item in enumerate(items, start=1):
            if isinstance(item, str | int) and not isinstance(item, bool):
                item = {"value": str(item), "label": str(item)}
            if not isinstance(item, dict) or "value" not in item:
                self.error(parent, name, f"choice {position} needs a 'value'")
                continue
            value = str(item["value"])
            if any(c.value == value for c in choices):
                self.error(item, "value", f"duplicate choice value '{value}' in list '{name}'")
            code = item.get("code", position)
            if not isinstance(code, int) or isinstance(code, bool):
                self.error(item, "code", "a choice code must be a whole number")
                code = position
            if any(c.code == code for c in choices):  # imports read codes back to choices
                self.error(item, "code", f"duplicate choice code {code} in list '{name}'")
            choices.append(Choice(value, str(item.get("label", value)), code))
        return tuple(choices)

    def parse_sections(self, data: dict[str, Any]) -> list[Section]:
        raw = data.get("sections")
        if not isinstance(raw, list) or not raw:
            if "sections" in data:
                self.error(data, "sections", "must be a non-empty list of sections")
            return []
        sections: list[Section] = []
        for node in raw:
            if not isinstance(node, dict) or "key" not in node:
                self.error(
                    node if isinstance(node, dict) else data,
                    "sections",
                    "each section needs a 'key'",
                )
                continue
            key = str(node["key"])
            area = str(node.get("area", key))
            questions = [self.parse_question(q, key, area) for q in node.get("questions") or []]
            if not questions:
                self.error(node, "questions", f"section '{key}' has no questions")
            sections.append(
                Section(
                    key=key,
                    title=str(node.get("title", key)),
                    area=area,
                    intro=str(node.get("intro", "")),
                    questions=tuple(q for q in questions if q is not None),
                )
            )
        return sections

    def parse_question(self, node: Any, section: str, area: str) -> Question | None:
        if not isinstance(node, dict):
            self.error(node, None, f"a question in section '{section}' must be a mapping")
            return None
        key = node.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            self.error(
                node,
                "key",
                f"question key {key!r} must be letters, digits and _ (not starting with a digit)",
            )
            return None
        if key in self.seen_keys:
            self.error(node, "key", f"duplicate question key '{key}'")
        try:
            qtype = QuestionType(node.get("type"))
        except ValueError:
            allowed = ", ".join(t.value for t in QuestionType)
            self.error(
                node,
                "type",
                f"question '{key}': unknown type {node.get('type')!r} (one of: {allowed})",
            )
            return None
        for name in node:
            if name not in _QUESTION_FIELDS:
                self.error(node, name, f"question '{key}': unknown field '{name}'")
            elif name not in _COMMON_FIELDS and name not in _TYPE_FIELDS[qtype]:
                self.error(
                    node,
                    name,
                    f"question '{key}': field '{name}' does not apply to type {qtype.value}",
                )
        choice_list, choices = self.resolve_choices(node, key, qtype)
        rule = self.check_relevance(node, key)
        self.seen_keys.append(key)
        return Question(
            key=key,
            type=qtype,
            label=str(node.get("label", key)),
            hint=str(node.get("hint", "")),
            section=section,
            area=area,
            required=bool(node.get("required", False)),
            relevant=rule,
            choice_list=choice_list,
            choices=choices,
            items=self.parse_items(node, key, qtype),
            minimum=self.bound(node, "min", qtype, key),
            maximum=self.bound(node, "max", qtype, key),
            integer=bool(node.get("integer", qtype is QuestionType.MONTHS)),
            max_length=self.positive(node, "max_length", key),
            min_selected=self.positive(node, "min_selected", key)
            or self.positive(node, "min_ranked", key),
            max_selected=self.positive(node, "max_selected", key)
            or self.positive(node, "max_ranked", key),
            line=line_of(node),
        )

    def resolve_choices(
        self, node: dict[str, Any], key: str, qtype: QuestionType
    ) -> tuple[str | None, tuple[Choice, ...]]:
        if not qtype.uses_choices:
            return None, ()
        field = qtype.choice_field
        ref = node.get(field)
        if isinstance(ref, list):
            return None, self.parse_choices(node, field, ref)
        if not isinstance(ref, str):
            self.error(
                node,
                field,
                f"question '{key}' ({qtype.value}) needs '{field}': a choice list name or a list",
            )
            return None, ()
        if ref not in self.choice_lists:
            self.error(node, field, f"question '{key}': unknown choice list '{ref}'")
            return ref, ()
        return ref, self.choice_lists[ref]

    def parse_items(
        self, node: dict[str, Any], key: str, qtype: QuestionType
    ) -> tuple[MatrixItem, ...]:
        if qtype is not QuestionType.LIKERT_MATRIX:
            return ()
        raw = node.get("items")
        if not isinstance(raw, list) or not raw:
            self.error(
                node, "items", f"question '{key}' (likert_matrix) needs a non-empty 'items' list"
            )
            return ()
        items: list[MatrixItem] = []
        for item in raw:
            if not isinstance(item, dict) or not KEY_PATTERN.match(str(item.get("key", ""))):
                self.error(
                    node,
                    "items",
                    f"question '{key}': each item needs a 'key' of letters, digits and _",
                )
                continue
            items.append(MatrixItem(str(item["key"]), str(item.get("label", item["key"]))))
        return tuple(items)

    def check_relevance(self, node: dict[str, Any], key: str) -> str | None:
        rule = node.get("relevant")
        if rule is None or rule == "":
            return None
        try:
            refs = relevance.references(relevance.parse(str(rule)))
        except relevance.RelevanceError as exc:
            self.error(node, "relevant", f"question '{key}': skip rule does not parse: {exc}")
            return None
        for ref in refs:
            if ref not in self.seen_keys:
                self.error(
                    node,
                    "relevant",
                    f"question '{key}': skip rule reads '{ref}', which is not an earlier question",
                )
        return str(rule)

    def bound(
        self, node: dict[str, Any], name: str, qtype: QuestionType, key: str
    ) -> float | str | None:
        value = node.get(name)
        if value is None:
            return 0.0 if qtype is QuestionType.MONTHS and name == "min" else None
        if qtype is QuestionType.DATE:
            text = value.isoformat() if isinstance(value, date) else str(value)
            try:
                date.fromisoformat(text)
            except ValueError:
                self.error(node, name, f"question '{key}': '{name}' must be a date like 2024-03-31")
                return None
            return text
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(node, name, f"question '{key}': '{name}' must be a number")
            return None
        return float(value)

    def positive(self, node: dict[str, Any], name: str, key: str) -> int | None:
        value = node.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(
                node, name, f"question '{key}': '{name}' must be a whole number of at least 1"
            )
            return None
        return value
