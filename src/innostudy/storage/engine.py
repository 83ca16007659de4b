"""Turn a database URL into a ready Engine, with the connection settings each backend needs."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from innostudy.errors import DatabaseError
from innostudy.storage.credentials import (
    mask_password,
    with_environment_password,
    without_password,
)
from innostudy.storage.db_errors import LOCK_WAIT_S, reason

SQLITE_BUSY_TIMEOUT_MS = LOCK_WAIT_S * 1000
# Execution option naming the study write lock a transaction takes when it begins:
# "exclusive" (SQLite's BEGIN IMMEDIATE; PostgreSQL's advisory lock) or "shared"
# (PostgreSQL only: writers that row-lock what they change may run side by side).
IMMEDIATE = "innostudy_begin_immediate"
EXCLUSIVE, SHARED = "exclusive", "shared"
# The study's write lock on PostgreSQL: an advisory lock, which is per database, and one
# database holds one study. Two keys (class, object) so it cannot clash with other tools.
STUDY_LOCK = (0x1A05, 1)
_LOCK_SQL = {
    EXCLUSIVE: "SELECT pg_advisory_xact_lock({}, {})".format(*STUDY_LOCK),
    SHARED: "SELECT pg_advisory_xact_lock_shared({}, {})".format(*STUDY_LOCK),
}


def normalise_url(url: str) -> URL:
    """Accept the URLs people paste (postgres://, postgresql://) and pick the installed driver.

    A URL that cannot be read is echoed with its password masked.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"not a database URL: {mask_password(url)!r} (expected e.g. postgresql://user@host/db)"
        ) from None
    except ValueError:
        raise DatabaseError(
            f"not a database URL: {mask_password(url)!r} (the port must be a number, "
            "e.g. postgresql://user@host:5432/db)"
        ) from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not (parsed.drivername.startswith("sqlite") or parsed.drivername.startswith("postgresql")):
        raise DatabaseError(f"unsupported database {parsed.drivername!r}: use SQLite or PostgreSQL")
    return parsed


def writable_url(url: str) -> str:
    """``url`` as a study may store it: as the user spelled it, without the password."""
    normalise_url(url)  # refused here, masked, if it cannot be read
    return without_password(make_url(url)).render_as_string(hide_password=False)


def display_url(url: URL | str) -> str:
    """The URL as safe to print: the password is never shown."""
    parsed = url if isinstance(url, URL) else make_url(url)
    return mask_password(parsed.render_as_string(hide_password=True))


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # foreign_keys: SQLite ignores FOREIGN KEY clauses unless asked, per connection.
    # WAL + busy_timeout: readers never block the writer; writers queue instead of failing.
    # trusted_schema=OFF: a study.db received from elsewhere cannot run functions via views.
    # isolation_level=None: pysqlite's own transaction handling defers BEGIN and breaks
    # SAVEPOINT; SQLAlchemy emits BEGIN itself so each unit of work is one transaction.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA trusted_schema=OFF")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # A read-then-write unit of work must hold the write lock from its first read;
    # a deferred BEGIN would let two of them read the same row and one fail on upgrade.
    immediate = conn.get_execution_options().get(IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _postgresql_begin(conn: sa.Connection) -> None:
    # The same discipline as SQLite's BEGIN IMMEDIATE: the study lock is the first thing
    # a write transaction does, before it reads what it will change. Waiting for it is
    # bounded by lock_timeout, as SQLite's by busy_timeout.
    mode = conn.get_execution_options().get(IMMEDIATE)
    if mode:
        conn.exec_driver_sql(_LOCK_SQL[SHARED if mode == SHARED else EXCLUSIVE])


def make_engine(url: str | URL) -> Engine:
    parsed = normalise_url(
        url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    )
    if parsed.drivername.startswith("sqlite"):
        engine = sa.create_engine(
            parsed,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = sa.create_engine(
        with_environment_password(parsed),
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": 5,
            "options": f"-c lock_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            "application_name": "innostudy",
        },
    )
    sa.event.listen(engine, "begin", _postgresql_begin)
    return engine


def check_connection(engine: Engine) -> None:
    """Fail early with one readable line instead of a driver traceback later."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except OperationalError as exc:
        raise DatabaseError(
            f"cannot connect to database {display_url(engine.url)}: {reason(exc)}{_hint(exc)}"
        ) from None


def _hint(exc: OperationalError) -> str:
    """What to do when the server wanted a password it was not given."""
    text = str(exc.orig)
    if "no password supplied" in text or "password authentication failed" in text:
        return (
            " (give the password through INNOSTUDY_DATABASE_PASSWORD or PGPASSWORD, "
            "~/.pgpass or a service file; study.toml never holds it: see docs/team.md)"
        )
    return ""
