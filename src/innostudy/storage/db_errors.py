"""What a database error means for the person who caused it, in one line without SQL.

Drivers describe failures with the statement and its parameters attached (an import's
is kilobytes long and may hold answers); none of that is ever shown. Errors are sorted
by what the user can do about them:

    busy         another writer holds the study's write lock for longer than the wait
                 (SQLite: "database is locked"; PostgreSQL: lock_timeout, 55P03) → retry later
    transient    two writers crossed (serialization failure 40001, deadlock 40P01, unique
                 violation 23505 from a concurrent insert) → the unit of work is rerun
    unavailable  the server cannot be reached or went away (class 08, 57P0x) → retry later
    other        a bug: shown as one line naming the driver's error class
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy.exc import DBAPIError, StatementError

from innostudy.errors import BusyError, ConflictError, DatabaseUnavailable
from innostudy.storage.credentials import mask_password

TRANSIENT_STATES = frozenset({"40001", "40P01", "23505"})
UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
LOCK_WAIT_S = 10  # SQLite's busy_timeout and PostgreSQL's lock_timeout: the same wait
BUSY_MESSAGE = (
    f"the study is busy: another command or person has been writing to it for more than "
    f"{LOCK_WAIT_S} s; nothing was changed, try again in a moment"
)
CONFLICT_MESSAGE = (
    "another writer changed the same records at the same moment; nothing was changed, run it again"
)


def sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", "") or "")


def _sqlite_says(exc: DBAPIError, *words: str) -> bool:
    text = str(exc.orig).lower()
    return type(exc.orig).__module__.startswith("sqlite3") and any(w in text for w in words)


def is_busy(exc: DBAPIError) -> bool:
    return sqlstate(exc) == "55P03" or _sqlite_says(exc, "database is locked", "is busy")


def is_transient(exc: DBAPIError) -> bool:
    return sqlstate(exc) in TRANSIENT_STATES


def is_unavailable(exc: DBAPIError) -> bool:
    state = sqlstate(exc)
    if exc.connection_invalidated or state.startswith("08") or state in UNAVAILABLE_STATES:
        return True
    if _sqlite_says(exc, "unable to open database", "disk i/o error"):
        return True
    # psycopg raises OperationalError without a state when it cannot connect at all
    return not state and type(exc.orig).__name__ == "OperationalError" and not _is_sqlite(exc)


def _is_sqlite(exc: DBAPIError) -> bool:
    return type(exc.orig).__module__.startswith("sqlite3")


def reason(exc: BaseException) -> str:
    """The driver's own first line (never the statement or its parameters), masked."""
    orig = exc.orig if isinstance(exc, StatementError) and exc.orig is not None else exc
    lines = str(orig).strip().splitlines()
    first = lines[0].strip() if lines else type(orig).__name__
    return mask_password(first)


def translate(exc: DBAPIError) -> Exception:
    """The user's error for ``exc``, or ``exc`` itself when it is a bug to report."""
    if is_busy(exc):
        return BusyError(BUSY_MESSAGE)
    if is_unavailable(exc):
        return DatabaseUnavailable(f"the database cannot be reached: {reason(exc)}")
    if is_transient(exc):
        return ConflictError(CONFLICT_MESSAGE)
    return exc


@contextlib.contextmanager
def database_errors() -> Iterator[None]:
    """Turn the database errors a user can act on into one-line InnostudyErrors."""
    try:
        yield
    except DBAPIError as exc:
        translated = translate(exc)
        if translated is exc:
            raise
        raise translated from exc
