"""One large write on a SQLite study with a rollback journal instead of the write-ahead log.

A study runs in WAL mode so that the web app's readers never wait for a writer. For a
bulk load (a survey import of hundreds of thousands of rows) WAL costs twice: every page
goes to the log first and is copied into the database at the checkpoint. When nothing
else has the study open, ``bulk_write_session`` switches the connection to a rollback
journal (``journal_mode=DELETE``, ``synchronous=FULL``) for that one transaction, and
back to WAL after it, committed or not.

Nothing can be half-written: a rollback journal keeps the pages the transaction changes,
and a process killed at any moment (even ``kill -9``) leaves a *hot journal* that SQLite
rolls back the next time the study is opened, before anything reads it. If another
connection has the study open (a running web app), the switch is refused by SQLite and
the write runs in WAL as usual; a process that opens the study during the load waits for
it (busy timeout), since a rollback journal locks readers out while pages are written.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from sqlalchemy.orm import Session

from innostudy.storage.engine import IMMEDIATE
from innostudy.storage.store import StudyStore


@contextlib.contextmanager
def bulk_write_session(store: StudyStore) -> Iterator[Session]:
    """``store.write_session()``, with a rollback journal on SQLite when it can be had."""
    if not store.is_sqlite:
        with store.write_session() as session:
            yield session
        return
    with store._write_lock:
        store.engine.dispose()  # idle connections of this process would keep WAL in place
        with store.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            try:
                mode = str(raw.execute("PRAGMA journal_mode=DELETE").fetchone()[0]).lower()
            except sqlite3.OperationalError:  # another process is writing: stay in WAL
                mode = "wal"
            try:
                if mode == "delete":
                    raw.execute("PRAGMA synchronous=FULL")
                conn = conn.execution_options(**{IMMEDIATE: True})
                with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                    yield session
            finally:
                if mode == "delete":
                    raw.execute("PRAGMA journal_mode=WAL")
                    raw.execute("PRAGMA synchronous=NORMAL")
