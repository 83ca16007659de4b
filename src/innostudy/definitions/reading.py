"""Reading a definition: always the study database's current revision.

Every interface reads definitions here (CLI, web app, report, exports, demo). When the
store asks for it (the CLI's does), the folder's file is checked first and a stale or
edited file is refused with the difference, instead of being silently ignored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy.orm import Session

from innostudy.definitions.kind import Kind
from innostudy.definitions.revisions import current_revision
from innostudy.definitions.views import check_file, inspect_file
from innostudy.errors import NotFoundError
from innostudy.model import DefinitionRevision

if TYPE_CHECKING:
    from innostudy.storage.store import StudyStore

T = TypeVar("T")
_CACHE_SIZE = 16
_cache: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
_cache_lock = threading.Lock()


def current(store: StudyStore, kind: Kind[Any], session: Session) -> DefinitionRevision:
    """The revision in force, after checking the folder's file if the store asks for it."""
    row = current_revision(session, kind.name)
    if row is None:
        raise NotFoundError(kind.file.title)
    if store.check_files:
        check_file(inspect_file(session, store.folder, store.settings, kind.name, row))
    return row


def read(store: StudyStore, kind: Kind[T], session: Session | None = None) -> T:
    """The study's current ``kind`` (e.g. its instrument), parsed."""
    if session is None:
        with store.session() as own:
            return read(store, kind, own)
    row = current(store, kind, session)
    return parsed(kind, row, source_of(store, kind, row))


def current_text(store: StudyStore, kind: Kind[Any]) -> tuple[str, str]:
    """The current revision's text and the name errors in it should give."""
    with store.session() as session:
        row = current(store, kind, session)
    return row.content, source_of(store, kind, row)


def source_of(store: StudyStore, kind: Kind[Any], row: DefinitionRevision) -> str:
    """How errors name a stored revision: the folder's file and the revision it shows."""
    return f"{kind.file.relative(store.settings)} (revision {row.number})"


def parsed(kind: Kind[T], row: DefinitionRevision, source: str) -> T:
    """``row`` parsed; errors name ``source`` with the line in the revision's text."""
    if not kind.cache:
        return kind.parse(row.content, source)
    key = (kind.name, row.sha256, source)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return cast(T, _cache[key])
    value = kind.parse(row.content, source)
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value
