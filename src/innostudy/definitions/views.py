"""A folder's file of a definition, compared with the database: in step, stale or edited.

Commands that read a definition check its file first (when the store asks for it, as the
CLI's does): a file that differs from the study's revision is refused with the
difference, so nobody works from a version a colleague has since replaced, and nobody's
edits are silently ignored. The states::

    in step       the file says what the study's current revision says (comments aside)
    missing       there is no file; nothing to refuse
    stale         the file is an older revision, unedited
    stale, edited the file was edited from an older revision
    edited        the file was edited from the current revision, and not yet imported
    differs       the file differs and does not say which revision it came from
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from innostudy.atomic import write_atomic
from innostudy.config import Settings
from innostudy.definitions.compare import same_meaning, unified
from innostudy.definitions.names import BY_NAME
from innostudy.definitions.revisions import current_revision, history, revision_number
from innostudy.definitions.text import Stamp, body_of, stamp_of, stamped
from innostudy.errors import ConflictError, InnostudyError
from innostudy.model import DefinitionRevision
from innostudy.textfiles import read_text


class FileState(enum.Enum):
    IN_STEP = "in step"
    MISSING = "missing"
    STALE = "stale"
    STALE_EDITED = "stale, edited"
    EDITED = "edited"
    DIFFERS = "differs"


@dataclass(frozen=True)
class FileView:
    name: str
    path: Path
    relative: str
    state: FileState
    current: DefinitionRevision | None
    base: int | None = None  # the revision the file was made from, when known
    body: str = ""


class StaleFileError(ConflictError):
    """A definition's file and the study's revision disagree; details hold the diff."""

    def __init__(self, message: str, details: list[str]) -> None:
        super().__init__(message)
        self.details = details


def base_revision(session: Session, name: str, stamp: Stamp | None, body: str) -> int | None:
    """Which revision ``body`` was made from: its stamp, else the newest with its meaning."""
    if stamp is not None and stamp.name == name:
        row = revision_number(session, name, stamp.number)
        if row is not None and row.sha256.startswith(stamp.sha):
            return row.number
    for row in reversed(history(session, name)):
        if same_meaning(row.content, body):
            return row.number
    return None


def inspect_file(
    session: Session,
    root: Path,
    settings: Settings,
    name: str,
    current: DefinitionRevision | None = None,
) -> FileView:
    spec = BY_NAME[name]
    path, relative = spec.path(root, settings), spec.relative(settings)
    current = current or current_revision(session, name)
    if not path.is_file():
        return FileView(name, path, relative, FileState.MISSING, current)
    try:
        text = read_text(path).text
    except InnostudyError:
        text = ""
    body = body_of(text)
    if current is not None and same_meaning(current.content, body):
        return FileView(name, path, relative, FileState.IN_STEP, current, current.number, body)
    base = base_revision(session, name, stamp_of(text), body)
    if current is None or base is None:
        state = FileState.DIFFERS
    elif base == current.number:
        state = FileState.EDITED
    else:
        older = revision_number(session, name, base)
        unedited = older is not None and same_meaning(older.content, body)
        state = FileState.STALE if unedited else FileState.STALE_EDITED
    return FileView(name, path, relative, state, current, base, body)


def revision_label(row: DefinitionRevision) -> str:
    when = row.created_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"revision {row.number} ({row.actor}, {when}: {row.summary})"


def refusal(view: FileView) -> StaleFileError:
    """The error for a file that is not in step: what is wrong, the commands, the diff."""
    current = view.current
    assert current is not None
    title, name, rel = BY_NAME[view.name].title, view.name, view.relative
    export, adopt = f"`innostudy definitions export {name}", f"`innostudy definitions import {rel}"
    if view.state is FileState.STALE:
        message = (
            f"{rel} is revision {view.base} of the {title}, but the study is at "
            f"{revision_label(current)}; refresh it with {export}`"
        )
    elif view.state is FileState.STALE_EDITED:
        message = (
            f"{rel} was edited from revision {view.base} of the {title}, but the study is at "
            f"{revision_label(current)}; keep the study's with {export} --force` (your edits "
            f"are lost), or make your file the study's with {adopt} --force` (which undoes "
            f"revisions {view.base + 1 if view.base else '?'}–{current.number})"
        )
    elif view.state is FileState.EDITED:
        message = (
            f"{rel} has changes that are not the study's {title} (revision {current.number}); "
            f"make them the study's with {adopt}`, or discard them with {export} --force`"
        )
    else:
        message = (
            f"{rel} differs from the study's {title} (revision {current.number}) and does not "
            f"say which revision it came from; make it the study's with {adopt}`, or replace "
            f"it with {export} --force`"
        )
    return StaleFileError(message, difference(view))


def difference(view: FileView) -> list[str]:
    assert view.current is not None
    return unified(
        view.current.content,
        view.body,
        f"study database, revision {view.current.number}",
        f"{view.relative} in this folder",
    )


def check_file(view: FileView) -> None:
    if view.state not in (FileState.IN_STEP, FileState.MISSING):
        raise refusal(view)


def write_file(root: Path, settings: Settings, row: DefinitionRevision) -> Path:
    """Write revision ``row`` as the folder's file of it, stamped, whole or not at all."""
    spec = BY_NAME[row.name]
    path = spec.path(root, settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, stamped(row.content, row.name, row.number, spec.relative(settings)))
    return path
