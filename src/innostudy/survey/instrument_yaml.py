"""Write an Instrument back as instrument YAML (the format of docs/instrument-format.md).

Used for instruments brought in from XLSForm, LimeSurvey, REDCap or inferred from a
response file: the result is a file people review and edit. Defaults are left out
(a code equal to the choice's position, ``required: false``), so the file reads like
one written by hand, and loading it gives the same instrument back.
"""

from __future__ import annotations

from typing import Any

import yaml

from innostudy.survey.instrument import Choice, Instrument, Question, QuestionType, Section

HEADER = "# Written by innostudy; the format is documented in docs/instrument-format.md.\n"


def _number(value: float | str | None) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def choices_data(choices: tuple[Choice, ...]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for position, c in enumerate(choices, start=1):
        item: dict[str, Any] = {"value": c.value, "label": c.label}
        if c.code != position:
            item["code"] = c.code
        items.append(item)
    return items


def question_data(q: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"key": q.key, "type": q.type.value, "label": q.label}
    if q.hint:
        data["hint"] = q.hint
    if q.required:
        data["required"] = True
    if q.relevant:
        data["relevant"] = q.relevant
    if q.type.uses_choices:
        data[q.type.choice_field] = q.choice_list or choices_data(q.choices)
    if q.type is QuestionType.LIKERT_MATRIX:
        data["items"] = [{"key": i.key, "label": i.label} for i in q.items]
    if q.minimum is not None and not (q.type is QuestionType.MONTHS and q.minimum == 0.0):
        data["min"] = _number(q.minimum)
    if q.maximum is not None:
        data["max"] = _number(q.maximum)
    if q.type is QuestionType.NUMBER and q.integer:
        data["integer"] = True
    if q.max_length is not None:
        data["max_length"] = q.max_length
    few, many = (
        ("min_ranked", "max_ranked")
        if q.type is QuestionType.RANKING
        else ("min_selected", "max_selected")
    )
    if q.min_selected is not None:
        data[few] = q.min_selected
    if q.max_selected is not None:
        data[many] = q.max_selected
    return data


def section_data(section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {"key": section.key, "title": section.title}
    if section.area != section.key:
        data["area"] = section.area
    if section.intro:
        data["intro"] = section.intro
    data["questions"] = [question_data(q) for q in section.questions]
    return data


def instrument_data(instrument: Instrument) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": instrument.id,
        "title": instrument.title,
        "version": instrument.version,
    }
    if instrument.description:
        data["description"] = instrument.description
    data |= instrument.extra
    if instrument.choice_lists:
        data["choice_lists"] = {
            name: choices_data(choices) for name, choices in instrument.choice_lists.items()
        }
    data["sections"] = [section_data(s) for s in instrument.sections]
    return data


def dump_instrument(instrument: Instrument) -> str:
    body = yaml.safe_dump(
        instrument_data(instrument), sort_keys=False, allow_unicode=True, width=100
    )
    return HEADER + body
