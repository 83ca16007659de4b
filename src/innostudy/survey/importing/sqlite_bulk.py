"""New responses into SQLite in bulk, written by a second thread while rows are checked.

Checking rows is Python; writing them is SQLite's own work, and the sqlite3 module
releases the GIL while a statement runs. So each chunk goes in as three statements
that read their rows from one JSON document (``json_each``): one statement per table
per chunk, not one per row, leaves the thread nothing to do in Python, and the
checking of the next chunk runs on the other core meanwhile. The thread uses the
import's own connection, inside its transaction; the importer waits for it (``drain``)
before it reads or writes anything itself, and always stops it before the transaction
ends, whether it commits or rolls back.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

Statement = tuple[str, tuple[Any, ...]]
_quoted = json.encoder.encode_basestring  # a JSON string, as the answers' encoder writes it

ORGANISATIONS = (
    "INSERT INTO organisation (id, name, org_type, external_id, created_at) "
    "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
    "json_extract(value, '$[2]'), json_extract(value, '$[3]'), ? FROM json_each(?)"
)
RESPONSES = (
    "INSERT INTO response (id, organisation_id, status, answers, instrument_version, revision, "
    "source, source_file, source_row, batch_id, created_at, updated_at, imported_at, "
    "started_at, submitted_at, received_at) "
    "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
    "json_extract(value, '$[2]'), json_extract(value, '$[4]'), ?, 1, 'import', ?, "
    "json_extract(value, '$[3]'), ?, ?, ?, ?, json_extract(value, '$[5]'), "
    "json_extract(value, '$[6]'), json_extract(value, '$[7]') FROM json_each(?)"
)
# A run of new responses whose ids, organisations and file rows all follow each other:
# only the answers come from the document, each as one JSON string that json_each hands
# over without parsing it again (a third less work for SQLite than RESPONSES).
RESPONSE_RUN = (
    "INSERT INTO response (id, organisation_id, status, answers, instrument_version, revision, "
    "source, source_file, source_row, batch_id, created_at, updated_at, imported_at) "
    "SELECT ? + key, ? + key, ?, value, ?, 1, 'import', ?, ? + key, ?, ?, ?, ? FROM json_each(?)"
)
# Revision 1 by reference: its answers are the response row's (model.ResponseRevision).
REVISIONS = (
    "INSERT INTO response_revision (response_id, revision, status, answers, source, "
    "source_file, source_row, batch_id, actor, recorded_at) "
    "SELECT id, 1, status, NULL, source, source_file, source_row, batch_id, ?, ? "
    "FROM response WHERE id BETWEEN ? AND ?"
)


def supported(conn: Connection) -> bool:
    """json_each and json_extract: built into SQLite since 3.38, and in most builds before."""
    try:
        conn.exec_driver_sql("SELECT json_extract(value, '$[0]') FROM json_each('[[1]]')")
    except Exception:  # an SQLite without JSON functions
        return False
    return True


def organisations_doc(rows: Sequence[tuple[int, str, str, str | None]]) -> str:
    """[[id, name, type, external id], …] as one JSON document."""
    return (
        "["
        + ",".join(
            f"[{i},{_quoted(name)},{_quoted(kind)},{'null' if ext is None else _quoted(ext)}]"
            for i, name, kind, ext in rows
        )
        + "]"
    )


def responses_doc(
    rows: Sequence[tuple[int, int, str, int, str, tuple[str | None, ...] | None]],
) -> str:
    """[[id, organisation id, status, source row, answers JSON as a string, started,
    submitted, received], …]; the answers come already quoted (a JSON string), and the
    times are left out when a row has none."""
    return (
        "["
        + ",".join(
            f'[{i},{org},"{status}",{row},{text}{_times(times)}]'
            for i, org, status, row, text, times in rows
        )
        + "]"
    )


def _times(times: tuple[str | None, ...] | None) -> str:
    if times is None:
        return ""
    return "".join("," + ("null" if t is None else f'"{t}"') for t in times)


class BackgroundWriter:
    """Runs lists of statements on the import's connection, in order, in one other thread."""

    def __init__(self, conn: Connection) -> None:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        self.raw = raw
        self.jobs: queue.Queue[list[Statement] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def submit(self, statements: list[Statement]) -> None:
        self._raise()
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="innostudy-writer", daemon=True)
            self.thread.start()
        self.jobs.put(statements)

    def drain(self) -> None:
        """Wait until everything submitted is written (before the importer uses the connection)."""
        if self.thread is not None:
            self.jobs.join()
        self._raise()

    def close(self) -> None:
        """Stop the thread; called on success and failure alike, before the transaction ends."""
        if self.thread is not None:
            self.jobs.put(None)
            self.thread.join()
            self.thread = None
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def _run(self) -> None:
        cursor = self.raw.cursor()
        try:
            while True:
                job = self.jobs.get()
                try:
                    if job is None:
                        return
                    if self.error is None:  # after a failure, only drain what is queued
                        for sql, params in job:
                            cursor.execute(sql, params)
                except BaseException as exc:  # handed to the importing thread
                    self.error = exc
                finally:
                    self.jobs.task_done()
        finally:
            cursor.close()
