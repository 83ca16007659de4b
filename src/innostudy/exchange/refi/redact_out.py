"""The personal-data rule over a project on its way out: names, descriptions, notes, memos.

Turn texts are not touched here: they are the study's analytic text, redacted when the
transcript was imported, and codings point into them by position. Everything else a
person wrote (session notes, code and coding memos, names and descriptions) goes through
``PersonalData.redact``, and the count goes into the export report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from innostudy.exchange.refi.project import RefiCode, RefiProject, RefiValue
from innostudy.personal_data import PersonalData


def redact_project(project: RefiProject, personal: PersonalData) -> int:
    """Redact every free text of ``project`` in place; how many values were replaced."""
    count = 0

    def clean(text: str) -> str:
        nonlocal count
        redacted, n = personal.redact(text)
        count += n
        return redacted

    project.name, project.description = clean(project.name), clean(project.description)
    for code in _codes(project.codes):
        code.name, code.description = clean(code.name), clean(code.description)
    for variable in project.variables:
        variable.description = clean(variable.description)
    for case in project.cases:
        case.name, case.description = clean(case.name), clean(case.description)
        _values(case.values, clean)
    for source in project.sources:
        source.name, source.description = clean(source.name), clean(source.description)
        _values(source.values, clean)
        for selection in source.selections:
            selection.description = clean(selection.description)
    for note in project.notes:
        note.name = clean(note.name)
        if not note.annotates:  # positions inside an annotated note must stay as they are
            note.text = clean(note.text)
    return count


def _codes(codes: list[RefiCode]) -> Iterator[RefiCode]:
    for code in codes:
        yield code
        yield from _codes(code.children)


def _values(values: list[RefiValue], clean: Callable[[str], str]) -> None:
    for value in values:
        if value.type == "Text":
            value.value = clean(value.value)
