"""Everything that must hold before an import writes anything, checked in one pass.

A broken reference (a coding naming a code, user, variable or note the file does not
define) or a selection that runs past the end of its text means the file is damaged
or was misread; the import stops with every such problem, each naming ``project.qde``
and the line. Values that do not fit their declared type are not fatal: they are kept
as text and reported.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from innostudy.errors import InputError, InputErrors
from innostudy.exchange.refi.project import RefiCoding, RefiProject, RefiSource, RefiValue
from innostudy.exchange.refi.xmlutil import parse_datetime
from innostudy.wording import counted


def _lexical_ok(type_: str, value: str) -> str | None:
    """The value in canonical lexical form for its type, or None if it does not fit."""
    try:
        if type_ == "Text":
            return value
        if type_ == "Boolean":
            folded = value.strip().lower()
            return {"true": "true", "1": "true", "false": "false", "0": "false"}.get(folded)
        if type_ == "Integer":
            return str(int(value.strip()))
        if type_ == "Float":
            number = Decimal(value.strip())
            return format(number, "f") if number.is_finite() else None
        if type_ == "Date":
            return date.fromisoformat(value.strip()[:10]).isoformat()
        if type_ == "DateTime":
            return value.strip() if parse_datetime(value) is not None else None
    except (ValueError, InvalidOperation):
        return None
    return None


def normalise_values(project: RefiProject, warnings: list[str]) -> None:
    """Put every variable value in canonical form; a value that does not fit becomes Text."""
    bad = 0
    holders: list[list[RefiValue]] = [c.values for c in project.cases]
    holders += [s.values for s in project.sources]
    for values in holders:
        for value in values:
            canonical = _lexical_ok(value.type, value.value)
            if canonical is None:
                bad += 1
                value.type = "Text"
            else:
                value.value = canonical
    if bad:
        warnings.append(f"{counted(bad, 'variable value')} did not fit its type; kept as text")


class _Checker:
    def __init__(self, project: RefiProject) -> None:
        self.p = project
        self.errors: list[InputError] = []
        self.codes = {c.guid for c, _ in project.walk_codes()}
        self.users = {u.guid for u in project.users}
        self.variables = {v.guid for v in project.variables}
        self.notes = {n.guid for n in project.notes}

    def fail(self, line: int | None, field: str, message: str) -> None:
        self.errors.append(InputError(self.p.file, line, field, message, unit="line"))

    def notes_exist(self, guids: list[str], line: int | None) -> None:
        for guid in guids:
            if guid not in self.notes:
                self.fail(line, "NoteRef", f"refers to note {guid}, which the file does not define")

    def user_exists(self, guid: str | None, line: int | None) -> None:
        if guid is not None and guid not in self.users:
            self.fail(line, "creatingUser", f"names user {guid}, whom the file does not define")

    def coding(self, coding: RefiCoding) -> None:
        if coding.code_guid not in self.codes:
            self.fail(
                coding.line,
                "CodeRef",
                f"refers to code {coding.code_guid}, which the file does not define",
            )
        self.user_exists(coding.user_guid, coding.line)
        self.notes_exist(coding.note_guids, coding.line)

    def values(self, values: list[RefiValue]) -> None:
        for value in values:
            if value.variable_guid not in self.variables:
                self.fail(
                    value.line,
                    "VariableRef",
                    f"refers to variable {value.variable_guid}, which the file does not define",
                )

    def source(self, source: RefiSource) -> None:
        length = len(source.text)
        self.user_exists(source.user_guid, source.line)
        self.notes_exist(source.note_guids, source.line)
        self.values(source.values)
        for coding in source.codings:
            self.coding(coding)
        for sel in source.selections:
            if sel.end > length:
                hint = "; its CRLF line breaks count as one position each" if source.crlf else ""
                self.fail(
                    sel.line,
                    "endPosition",
                    f"selection {sel.start}-{sel.end} runs past the end of source "
                    f"'{source.name}' ({length} characters{hint})",
                )
            self.user_exists(sel.user_guid, sel.line)
            self.notes_exist(sel.note_guids, sel.line)
            for coding in sel.codings:
                self.coding(coding)

    def run(self) -> None:
        for code, _ in self.p.walk_codes():
            self.notes_exist(code.note_guids, code.line)
        for case in self.p.cases:
            self.values(case.values)
        for source in self.p.sources:
            self.source(source)
        self.notes_exist(self.p.note_guids, None)
        if self.errors:
            raise InputErrors(self.errors)


def check_project(project: RefiProject) -> None:
    """Raise every broken reference and impossible position at once (nothing is written yet)."""
    _Checker(project).run()
