"""What innostudy must know about one kind of definition: how to read it, and what else
in the database follows it when a new revision is adopted.

Each stage defines its own (``survey.instrument_definition.INSTRUMENT``, …) next to its
parser, so this package depends on no stage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from innostudy.definitions.names import BY_NAME, DefinitionFile

T = TypeVar("T")


@dataclass(frozen=True)
class Kind(Generic[T]):
    name: str
    parse: Callable[[str, str], T]  # (text, source named in errors) -> value; raises InputError
    # Keeps rows that mirror the definition in step (codes, group types) when a revision is
    # adopted; returns notes for the person; may refuse with an InnostudyError.
    apply: Callable[[Session, T, str], list[str]] | None = None
    cache: bool = False  # keep parsed values (immutable ones only) by content hash

    @property
    def file(self) -> DefinitionFile:
        return BY_NAME[self.name]
