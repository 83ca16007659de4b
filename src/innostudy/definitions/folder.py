"""A study folder's files and the database, kept in step: adopt a file, write the files.

After every change a command makes, the folder it ran in gets the new revision's file
(atomically), so a study used by one person on one laptop always has readable YAML
files that say what the study says. Other folders on the same database learn of the
change when they next read the definition (views.check_file).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from innostudy.definitions.adopting import Adoption, adopt
from innostudy.definitions.kind import Kind
from innostudy.definitions.names import BY_NAME
from innostudy.definitions.revisions import current_revision
from innostudy.definitions.views import (
    FileState,
    FileView,
    StaleFileError,
    check_file,
    difference,
    inspect_file,
    write_file,
)
from innostudy.errors import InputError, NotFoundError
from innostudy.textfiles import read_text

if TYPE_CHECKING:
    from innostudy.storage.store import StudyStore

T = TypeVar("T")
# States in which the folder's file holds text the study does not have.
HOLDS_EDITS = (FileState.EDITED, FileState.STALE_EDITED, FileState.DIFFERS)


def inspect(store: StudyStore, name: str) -> FileView:
    with store.session() as session:
        return inspect_file(session, store.folder, store.settings, name)


def check_folder_file(store: StudyStore, name: str) -> None:
    """Refuse when this folder's file of ``name`` is stale or edited (if the store checks)."""
    if store.check_files:
        check_file(inspect(store, name))


def adopt_text(
    store: StudyStore, kind: Kind[T], text: str, *, source: str, actor: str, force: bool = False
) -> Adoption[T]:
    """Adopt ``text`` in one unit of work, then write this folder's file of it."""
    with store.write_session() as session:
        adoption = adopt(session, kind, text, source=source, actor=actor, force=force)
    write_file(store.folder, store.settings, adoption.revision)
    return adoption


def adopt_file(
    store: StudyStore,
    kind: Kind[T],
    path: Path,
    *,
    actor: str,
    force: bool = False,
    text: str | None = None,
) -> Adoption[T]:
    """Make the file at ``path`` (or ``text`` converted from it) the study's ``kind``; this
    folder's file then shows it.

    When ``path`` is not this folder's file and that file holds edits the study does not
    have, they would be overwritten: refused unless ``force``.
    """
    if not path.exists():
        raise InputError(path, None, None, "file not found")
    own = kind.file.path(store.folder, store.settings)
    if not force and own.exists() and own.resolve() != path.resolve():
        view = inspect(store, kind.name)
        if view.state in HOLDS_EDITS and view.current is not None:
            raise StaleFileError(
                f"{view.relative} in this folder has changes that are not the study's "
                f"{kind.file.title}, and adopting {path} would replace the file; make them the "
                f"study's first with `innostudy definitions import {view.relative}`, or pass "
                "--force to let them go",
                difference(view),
            )
    if text is None:
        text = read_text(path).text
    return adopt_text(store, kind, text, source=str(path), actor=actor, force=force)


def write_files(
    store: StudyStore, names: Iterable[str], *, force: bool = False
) -> list[tuple[str, Path, FileState]]:
    """Write each definition's current revision into this folder; returns what each was.

    A file holding edits the study does not have is kept (refused) unless ``force``;
    nothing is written if any is refused.
    """
    views = [inspect(store, name) for name in names]
    for view in views:
        if view.current is None:
            raise NotFoundError(BY_NAME[view.name].title)
        if view.state in HOLDS_EDITS and not force:
            raise StaleFileError(
                f"{view.relative} has changes that are not the study's (revision "
                f"{view.current.number}) and would be lost; make them the study's with "
                f"`innostudy definitions import {view.relative}`, or pass --force to overwrite",
                difference(view),
            )
    for view in views:
        assert view.current is not None
        if force or view.state is not FileState.IN_STEP or view.body == view.current.content:
            write_file(store.folder, store.settings, view.current)
        # else: the same meaning with the person's own comments or layout; theirs is kept
    return [(v.name, v.path, v.state) for v in views]


def stored_names(store: StudyStore) -> list[str]:
    """The definitions this study has (a study may not have an outline yet)."""
    with store.session() as session:
        return [n for n in BY_NAME if current_revision(session, n) is not None]
