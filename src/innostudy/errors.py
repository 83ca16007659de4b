"""One exception tree for everything a user can cause.

    InnostudyError                 anything the CLI prints as one ``Error: …`` line
     ├── InputError                 a file, row/line and field the user can go and fix
     │    └── InputErrors           several of them at once (an import found many)
     ├── StudyError                 the study folder is missing, not empty, or damaged
     ├── ConfigError                study.toml or a setting is wrong
     ├── DatabaseError              the database cannot be reached or is out of date
     │    ├── DatabaseUnavailable   the server is down or unreachable (retry later)
     │    └── BusyError             another writer held the study longer than the wait
     ├── PersonalDataError          output would reveal personal data
     ├── ConflictError              someone else changed the record since it was read
     └── NotFoundError              something named does not exist (also a LookupError)

Anything else escaping to the CLI is a bug, and is shown as one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class InnostudyError(Exception):
    """Base class: the message is complete and meant for the user as it stands.

    ``details`` are lines shown under the one-line message when they help to act on it
    (the difference between a stale file and the study's version).
    """

    details: Sequence[str] = ()


_TABULAR_SUFFIXES = (".csv", ".tsv", ".txt.csv", ".xlsx", ".xls", ".sav", ".parquet")


def _unit_for(file: str) -> str:
    """Tables have rows, text files have lines: the message uses the word the user expects."""
    return "row" if file.lower().endswith(_TABULAR_SUFFIXES) else "line"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in an input file; ``row`` is 1-based."""

    file: str
    row: int | None
    field: str | None
    message: str
    value: str | None = None
    unit: str = "line"

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"{self.unit} {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class InputError(InnostudyError):
    """Bad input the user can fix: names the file, row or line, and field.

    ``unit`` defaults to "row" for tabular files and "line" for text, so messages read
    naturally ("row 14" in a CSV, "line 14" in a VTT); importers may override it.
    """

    def __init__(
        self,
        file: str | Path,
        row: int | None,
        field: str | None,
        message: str,
        *,
        value: str | None = None,
        unit: str | None = None,
    ) -> None:
        name = str(file)
        self.problem = Problem(name, row, field, message, value, unit or _unit_for(name))
        super().__init__(str(self.problem))

    @property
    def file(self) -> str:
        return self.problem.file

    @property
    def row(self) -> int | None:
        return self.problem.row

    @property
    def field(self) -> str | None:
        return self.problem.field


class InputErrors(InputError):
    """Many problems in one input; the message shows the first and counts the rest."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        if not errors:
            raise ValueError("InputErrors needs at least one error")
        self.errors = list(errors)
        p = self.errors[0].problem
        super().__init__(p.file, p.row, p.field, p.message, value=p.value, unit=p.unit)
        more = len(self.errors) - 1
        if more:
            self.args = (f"{self.problem} (and {more} more problem{'s' if more > 1 else ''})",)

    def __str__(self) -> str:
        return str(self.args[0])


class StudyError(InnostudyError):
    """The study folder cannot be used as asked (missing, not empty, damaged)."""


class ConfigError(InnostudyError):
    """A setting or study.toml is wrong."""


class DatabaseError(InnostudyError):
    """The database cannot be reached, or its schema is not what this version needs."""


class DatabaseUnavailable(DatabaseError):
    """The database server cannot be reached now; the same command later may work."""


class BusyError(DatabaseError):
    """Another writer held the study's write lock for longer than a writer waits."""


class PersonalDataError(InnostudyError):
    """Output would contain registered personal data and the user did not allow it."""


class ConflictError(InnostudyError):
    """Someone else changed the record since it was read (e.g. the same draft in two tabs)."""


class NotFoundError(InnostudyError, LookupError):
    """Something the user named does not exist: a transcript, coder, session, code...

    The one way every stage says so, so the CLI prints one line with exit 1 and the web
    app answers 404. The message names what was asked for and the command that lists
    what exists. It is also a ``LookupError``, which is what Python code expects from a
    failed lookup.
    """

    def __init__(
        self,
        kind: str,
        name: str | int | None = None,
        *,
        listing: str | None = None,
    ) -> None:
        self.kind, self.name, self.listing = kind, name, listing
        if name is None:
            what = f"this study has no {kind} yet"
        elif isinstance(name, int):
            what = f"no {kind} with ID {name}"
        else:
            what = f"no {kind} '{name}'"
        self.what = what
        super().__init__(what + (f"; list them with `innostudy {listing}`" if listing else ""))
