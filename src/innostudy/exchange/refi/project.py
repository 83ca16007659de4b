"""A REFI-QDA project as plain values: what the writer writes and the reader reads.

Export goes study → ``RefiProject`` → XML + ZIP; import goes ZIP + XML → ``RefiProject``
→ study. Keeping the middle as plain dataclasses lets the XML side and the database
side be tested apart, and lets tests compare two projects canonically.

Variable values keep their REFI type and lexical form (``("Integer", "3")``), so a value
read from one file is written to the next exactly as it came.

``line`` fields are where the element starts in ``project.qde`` (for error messages);
they are ``None`` for values built from a study.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")


@dataclass
class RefiUser:
    guid: str
    name: str
    line: int | None = None


@dataclass
class RefiCode:
    guid: str
    name: str
    description: str = ""
    colour: str = ""
    codable: bool = True
    note_guids: list[str] = field(default_factory=list)
    children: list[RefiCode] = field(default_factory=list)
    line: int | None = None


@dataclass
class RefiVariable:
    guid: str
    name: str
    type: str
    description: str = ""
    line: int | None = None


@dataclass
class RefiValue:
    """One ``VariableValue``: the variable it sets, the value's REFI type and lexical form."""

    variable_guid: str
    type: str
    value: str
    line: int | None = None


@dataclass
class RefiCase:
    guid: str
    name: str
    description: str = ""
    values: list[RefiValue] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)
    selection_guids: list[str] = field(default_factory=list)
    code_guids: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class RefiCoding:
    guid: str
    code_guid: str
    user_guid: str | None = None
    created_at: datetime | None = None
    note_guids: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class RefiSelection:
    """A ``PlainTextSelection``: positions are code points into the source's plain text."""

    guid: str
    start: int
    end: int
    user_guid: str | None = None
    created_at: datetime | None = None
    description: str = ""
    codings: list[RefiCoding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class RefiSource:
    """A ``TextSource``; ``text`` is its plain text (inline or from the archive)."""

    guid: str
    name: str
    text: str
    path: str | None = None
    rich_path: str | None = None  # the rich-text (DOCX) copy some tools write beside it
    crlf: bool = False  # the text had CR line breaks, now normalised (one position each)
    description: str = ""
    user_guid: str | None = None
    created_at: datetime | None = None
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)
    values: list[RefiValue] = field(default_factory=list)
    line: int | None = None


@dataclass
class RefiNote:
    guid: str
    name: str
    text: str
    user_guid: str | None = None
    created_at: datetime | None = None
    annotates: int = 0  # PlainTextSelections inside the note (annotations of a source)
    path: str | None = None
    line: int | None = None


@dataclass
class RefiProject:
    name: str
    origin: str = ""
    created_at: datetime | None = None
    description: str = ""
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)
    variables: list[RefiVariable] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)  # notes on the project as a whole
    warnings: list[str] = field(default_factory=list)  # what the reader saw and cannot carry
    file: str = ""  # how errors name project.qde (``study.qdpx:project.qde``)

    def walk_codes(self) -> Iterator[tuple[RefiCode, RefiCode | None]]:
        """Every code with its parent, parents first, in file order."""
        return walk_codes(self.codes)


def walk_codes(codes: list[RefiCode]) -> Iterator[tuple[RefiCode, RefiCode | None]]:
    stack: list[tuple[RefiCode, RefiCode | None]] = [(c, None) for c in reversed(codes)]
    while stack:
        code, parent = stack.pop()
        yield code, parent
        stack.extend((child, code) for child in reversed(code.children))
