"""Making a text the study's definition: checked, refused when stale, kept as a revision.

``adopt`` is the one way a person's file becomes a definition (``definitions import``,
``survey instrument use``, ``init``, ``report init``). ``record`` stores a version that
innostudy derived from the database itself (the codebook after ``code add``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from innostudy.definitions.compare import change_summary, same_meaning, unified
from innostudy.definitions.kind import Kind
from innostudy.definitions.revisions import append_revision, current_revision, lock_definition
from innostudy.definitions.text import body_of, stamp_of
from innostudy.definitions.views import StaleFileError, base_revision, revision_label
from innostudy.model import DefinitionRevision

T = TypeVar("T")


@dataclass
class Adoption(Generic[T]):
    revision: DefinitionRevision
    previous: DefinitionRevision | None
    changed: bool
    value: T
    notes: list[str] = field(default_factory=list)


def adopt(
    session: Session,
    kind: Kind[T],
    text: str,
    *,
    source: str,
    actor: str,
    force: bool = False,
) -> Adoption[T]:
    """Check ``text`` (errors name ``source`` and its lines) and make it the next revision.

    A text made from an older revision than the study's (its stamp, or its equal in the
    history, says so) is refused unless ``force``: adopting it would silently undo the
    revisions in between. Equal text adds nothing.
    """
    value = kind.parse(text, source)
    body = body_of(text)
    lock_definition(session, kind.name)
    current = current_revision(session, kind.name)
    if current is not None and current.content == body:
        return Adoption(current, current, False, value)
    if current is not None and not force and not same_meaning(current.content, body):
        base = base_revision(session, kind.name, stamp_of(text), body)
        if base is not None and base < current.number:
            raise _stale(kind, source, base, current, body)
    notes = kind.apply(session, value, actor) if kind.apply is not None else []
    summary = change_summary(current.content if current else None, body)
    row = append_revision(session, kind.name, body, actor=actor, source=source, summary=summary)
    return Adoption(row, current, True, value, notes)


def record(
    session: Session, name: str, text: str, *, actor: str, source: str
) -> DefinitionRevision | None:
    """Store a version derived from the database as the next revision, if it differs."""
    body = body_of(text)
    lock_definition(session, name)
    current = current_revision(session, name)
    if current is not None and current.content == body:
        return None
    summary = change_summary(current.content if current else None, body)
    return append_revision(session, name, body, actor=actor, source=source, summary=summary)


def _stale(
    kind: Kind[T], source: str, base: int, current: DefinitionRevision, body: str
) -> StaleFileError:
    title = kind.file.title
    return StaleFileError(
        f"{source} was made from revision {base} of the {title}, but the study is at "
        f"{revision_label(current)}; adopting it would undo that. Take the study's with "
        f"`innostudy definitions export {kind.name} --force` (your edits are lost), or "
        "pass --force to replace it anyway",
        unified(current.content, body, f"study database, revision {current.number}", source),
    )
