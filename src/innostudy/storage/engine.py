"""Turn a database URL into a ready Engine, with the connection settings each backend needs."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from innostudy.errors import DatabaseError

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Execution option asking SQLite to take the write lock when the transaction begins.
IMMEDIATE = "innostudy_begin_immediate"


def normalise_url(url: str) -> URL:
    """Accept the URLs people paste (postgres://, postgresql://) and pick the installed driver."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"not a database URL: {url!r} (expected e.g. postgresql://user@host/db)"
        ) from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not (parsed.drivername.startswith("sqlite") or parsed.drivername.startswith("postgresql")):
        raise DatabaseError(f"unsupported database {parsed.drivername!r}: use SQLite or PostgreSQL")
    return parsed


def display_url(url: URL | str) -> str:
    """The URL as safe to print: the password is never shown."""
    parsed = url if isinstance(url, URL) else make_url(url)
    return parsed.render_as_string(hide_password=True)


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


def make_engine(url: str | URL) -> Engine:
    parsed = normalise_url(str(url) if isinstance(url, URL) else url)
    if parsed.drivername.startswith("sqlite"):
        engine = sa.create_engine(
            parsed,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def check_connection(engine: Engine) -> None:
    """Fail early with one readable line instead of a driver traceback later."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"cannot connect to database {display_url(engine.url)}: {reason}"
        ) from None
