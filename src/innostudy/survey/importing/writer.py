"""Write accepted rows in bulk, with the same outcome as ``responses.record_answers``.

A new organisation gets a row; a new response is written at revision 1; a changed
response (other answers or status) gets revision + 1; identical answers (equal as
Python values, as record_answers compares them) write nothing, except that respondent
times the file gives and the study lacks are filled in. Every write records a
ResponseRevision, so history is kept; the newest revision is stored *by reference*
(answers NULL: "those of the response row", model.ResponseRevision), and the one
before it is written out in full first (``keep_answers_of_newest``).

Submitted stays submitted: a row that would turn a submitted response back into a
draft, or change what a respondent submitted on the web form (their receipt code pins
it), is refused with its reason; with ``beside_submitted`` it is kept as a revision
beside the submission instead (its answers written out in full, not by reference), and
the response itself does not change.

New rows go in by chunk, one statement per table: on SQLite from JSON documents run
by a second thread (sqlite_bulk.py), or with executemany if that SQLite lacks JSON
functions; ids are counted from the table's maximum, which is safe because an import
holds SQLite's write lock from its first statement. On PostgreSQL with COPY
(pg_bulk.py). tests/survey/test_import_writer.py checks that every way gives the same
database, and what replaying record_answers gives.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from innostudy.model import (
    Organisation,
    Response,
    ResponseRevision,
    ResponseSource,
    ResponseStatus,
    utcnow,
)
from innostudy.survey.importing.fastpath import dumps, quoted
from innostudy.survey.importing.identity import NewOrganisation
from innostudy.survey.importing.moments import Times
from innostudy.survey.importing.quarantine import RowProblem
from innostudy.survey.importing.revising import Current, fills_in, retime, update_responses
from innostudy.survey.importing.sqlite_bulk import (
    ORGANISATIONS,
    RESPONSE_RUN,
    RESPONSES,
    REVISIONS,
    BackgroundWriter,
    Statement,
    organisations_doc,
    responses_doc,
    supported,
)
from innostudy.survey.responses import import_refusal

IMPORT_CACHE_KIB = -262_144  # SQLite's cache_size in KiB (negative): 256 MiB while importing
_VALUE = {s: s.value for s in ResponseStatus}  # Enum.value is slow in a loop of a million
ORG = cast(sa.Table, Organisation.__table__)
RESPONSE = cast(sa.Table, Response.__table__)
REVISION = cast(sa.Table, ResponseRevision.__table__)
NO_TIMES = Times(None, None, None)


class Accepted(NamedTuple):
    """A valid row, ready to be written; ``text`` is its answers as JSON if already written.

    ``answers`` may be None when ``text`` is given (a row checked in another process):
    it is decoded only if the row's organisation already has a response to compare.
    """

    row: int
    org_id: int | None
    new: NewOrganisation | None
    status: ResponseStatus
    answers: dict[str, Any] | None
    text: str | None = None
    times: Times | None = None
    quoted: str | None = None  # the answers' JSON as a JSON string (checked elsewhere)

    def json(self) -> str:
        if self.text is not None:
            return self.text
        if self.quoted is not None:
            return cast(str, json.loads(self.quoted))
        assert self.answers is not None
        return dumps(self.answers)

    def json_quoted(self) -> str:
        return self.quoted if self.quoted is not None else quoted(self.json())

    def values(self) -> dict[str, Any]:
        if self.answers is not None:
            return self.answers
        return cast(dict[str, Any], json.loads(self.json()))

    def moments(self) -> Times:
        """started, submitted (the tool's recorded time if it has no other), received."""
        t = self.times or NO_TIMES
        if self.status is not ResponseStatus.SUBMITTED:
            return Times(t.started, None, t.received)
        return Times(t.started, t.submitted or t.received, t.received)


@dataclass
class Outcome:
    """Counts of one import; ``refusals`` are only those of the chunk just written."""

    created: int = 0  # new responses, and first answers to an invitation
    updated: int = 0  # changed answers or status: a new revision
    unchanged: int = 0
    new_organisations: int = 0
    retimed: int = 0  # unchanged, but the file gave respondent times the study lacked
    answered_invitations: int = 0  # of ``created``: first answers of invited organisations
    beside: int = 0  # kept as revisions beside a submission (--beside-submitted)
    refusals: list[RowProblem] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.new_organisations += other.new_organisations
        self.retimed += other.retimed
        self.answered_invitations += other.answered_invitations
        self.beside += other.beside


@dataclass
class _Sorted:
    creates: list[Accepted] = field(default_factory=list)
    updates: list[tuple[Accepted, Current]] = field(default_factory=list)
    retimes: list[tuple[Accepted, Current]] = field(default_factory=list)
    beside: list[tuple[Accepted, Current]] = field(default_factory=list)
    refusals: list[RowProblem] = field(default_factory=list)
    unchanged: int = 0
    first_answers: int = 0  # updates of invited responses that had no answers yet


class ResponseWriter:
    """Writes chunks of accepted rows on ``conn``; ``dry_run`` only counts what would change."""

    def __init__(
        self,
        conn: Connection,
        *,
        batch_id: int | None,
        source_file: str,
        actor: str,
        instrument_version: str,
        dry_run: bool = False,
        beside_submitted: bool = False,
    ) -> None:
        self.conn = conn
        self.beside_submitted = beside_submitted
        self.batch_id = batch_id
        self.source_file = source_file
        self.actor = actor
        self.version = instrument_version
        self.dry_run = dry_run
        self.now = utcnow()
        self.fast = conn.dialect.name == "sqlite"
        self._next_ids: dict[str, int] = {}
        self.background: BackgroundWriter | None = None
        self.copy: Any = None
        self._cache: int | None = None
        if self.fast and not dry_run:
            # A large import's B-trees outgrow SQLite's default 2 MB page cache; pages
            # spilled to the WAL and read back again made a 1M-row import 40% slower.
            self._cache = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
            conn.exec_driver_sql(f"PRAGMA cache_size={IMPORT_CACHE_KIB}")
            if supported(conn):
                self.background = BackgroundWriter(conn)
        elif conn.dialect.name == "postgresql" and not dry_run:
            from innostudy.survey.importing.pg_bulk import CopyWriter

            self.copy = CopyWriter(conn, self)

    def drain(self) -> None:
        """Let queued writes finish, before this thread uses the connection itself."""
        if self.background is not None:
            self.background.drain()

    def close(self) -> None:
        """Stop the background writer (always, before the transaction ends)."""
        try:
            if self.background is not None:
                self.background.close()
        finally:
            if self._cache is not None:
                self.conn.exec_driver_sql(f"PRAGMA cache_size={self._cache}")
                self._cache = None

    def write(self, rows: Sequence[Accepted]) -> Outcome:
        sorted_rows = self._sort(rows)
        outcome = Outcome(
            created=len(sorted_rows.creates) + sorted_rows.first_answers,
            updated=len(sorted_rows.updates) - sorted_rows.first_answers,
            unchanged=sorted_rows.unchanged,
            new_organisations=sum(1 for a in sorted_rows.creates if a.new is not None),
            retimed=len(sorted_rows.retimes),
            answered_invitations=sorted_rows.first_answers,
            beside=len(sorted_rows.beside),
            refusals=sorted_rows.refusals,
        )
        if not self.dry_run:
            if sorted_rows.creates:
                if self.background is not None:
                    self._create_in_background(sorted_rows.creates)
                elif self.copy is not None:
                    self.copy.create(sorted_rows.creates)
                else:
                    self._create_with_executemany(sorted_rows.creates)
            if sorted_rows.updates or sorted_rows.retimes:
                self.drain()
                update_responses(self, sorted_rows.updates)
                retime(self, sorted_rows.retimes)
            if sorted_rows.beside:
                self.drain()
                self._keep_beside(sorted_rows.beside)
        return outcome

    # -- deciding ------------------------------------------------------------------------

    def _sort(self, rows: Sequence[Accepted]) -> _Sorted:
        known = [a.org_id for a in rows if a.org_id is not None]
        if known:
            self.drain()
        current = self._current(known) if known else {}
        result = _Sorted()
        for a in rows:
            now = current.get(a.org_id) if a.org_id is not None else None
            if now is None:
                result.creates.append(a)
            elif now.status is a.status and now.answers == a.values():
                result.unchanged += 1
                if fills_in(a.moments(), now.times):
                    result.retimes.append((a, now))
            elif (
                reason := import_refusal(now.status, now.source, now.times.submitted, a.status)
            ) is None:
                result.updates.append((a, now))
                if now.status is ResponseStatus.INVITED and not now.answers:
                    result.first_answers += 1
            elif self.beside_submitted:
                result.beside.append((a, now))
            else:
                problem = RowProblem(a.row, "status", "status", _VALUE[a.status], reason)
                result.refusals.append(problem)
        if result.beside:
            result.beside, kept = self._not_yet_beside(result.beside)
            result.unchanged += kept
        return result

    def _not_yet_beside(
        self, rows: list[tuple[Accepted, Current]]
    ) -> tuple[list[tuple[Accepted, Current]], int]:
        """Rows equal to the revision already kept beside their submission are unchanged,
        so importing the same file twice adds nothing."""
        ids = [now.response_id for _, now in rows]
        newest: dict[int, tuple[ResponseStatus, dict[str, Any]]] = {}
        for start in range(0, len(ids), 900):
            found = self.conn.execute(
                sa.select(REVISION.c.response_id, REVISION.c.status, REVISION.c.answers)
                .join(RESPONSE, RESPONSE.c.id == REVISION.c.response_id)
                .where(
                    REVISION.c.response_id.in_(ids[start : start + 900]),
                    REVISION.c.revision == RESPONSE.c.revision,
                    REVISION.c.beside_submission,
                )
            )
            newest.update((rid, (status, answers)) for rid, status, answers in found)
        new = [(a, now) for a, now in rows if newest.get(now.response_id) != (a.status, a.values())]
        return new, len(rows) - len(new)

    def _current(self, org_ids: list[int]) -> dict[int, Current]:
        found: dict[int, Current] = {}
        c = RESPONSE.c
        for start in range(0, len(org_ids), 900):
            part = org_ids[start : start + 900]
            rows = self.conn.execute(
                sa.select(
                    c.organisation_id,
                    c.id,
                    c.revision,
                    c.status,
                    c.answers,
                    c.started_at,
                    c.submitted_at,
                    c.received_at,
                    c.source,
                ).where(c.organisation_id.in_(part))
            )
            for org_id, rid, revision, status, answers, *moments, source in rows:
                found[org_id] = Current(rid, revision, status, answers, Times(*moments), source)
        return found

    # -- writing -------------------------------------------------------------------------

    def _keep_beside(self, rows: list[tuple[Accepted, Current]]) -> None:
        """Revisions beside a submission: the response only counts one more revision.
        Their answers are written out, since they are not the response row's."""
        self.conn.execute(
            sa.update(RESPONSE)
            .where(RESPONSE.c.id == sa.bindparam("rid"))
            .values(revision=RESPONSE.c.revision + 1),
            [{"rid": now.response_id} for _, now in rows],
        )
        self.conn.execute(
            sa.insert(REVISION),
            [
                {
                    "response_id": now.response_id,
                    "revision": now.revision + 1,
                    "status": a.status,
                    "answers": a.values(),
                    "source": ResponseSource.IMPORT,
                    "source_file": self.source_file,
                    "source_row": a.row,
                    "batch_id": self.batch_id,
                    "actor": self.actor,
                    "recorded_at": self.now,
                    "beside_submission": True,
                }
                for a, now in rows
            ],
        )

    def ids(self, table: sa.Table, n: int) -> list[int]:
        """Ids for ``n`` new rows of ``table`` (SQLite only: the import holds the write lock)."""
        name = table.name
        if name not in self._next_ids:
            self.drain()
            top = self.conn.execute(sa.select(sa.func.max(table.c.id))).scalar()
            self._next_ids[name] = int(top or 0) + 1
        first = self._next_ids[name]
        self._next_ids[name] = first + n
        return list(range(first, first + n))

    def stamp(self, moment: datetime | None = None) -> Any:
        """A time as SQLite stores it (the fast path skips SQLAlchemy's own conversion)."""
        if moment is None:
            moment = self.now
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def _times(self, a: Accepted) -> tuple[Any, Any, Any]:
        t = a.moments()
        stamp = self.stamp
        return (
            None if t.started is None else stamp(t.started),
            None if t.submitted is None else stamp(t.submitted),
            None if t.received is None else stamp(t.received),
        )

    def _create_in_background(self, creates: list[Accepted]) -> None:
        """New organisations, responses and first revisions: three statements (sqlite_bulk)."""
        assert self.background is not None
        new = [a for a in creates if a.new is not None]
        org_ids = dict(zip((a.row for a in new), self.ids(ORG, len(new)), strict=True))
        ids = self.ids(RESPONSE, len(creates))
        stamp = self.stamp()
        statements: list[Statement] = []
        if new:
            orgs = [(org_ids[a.row], *a.new) for a in new if a.new is not None]
            statements.append((ORGANISATIONS, (stamp, organisations_doc(orgs))))
        params = (self.version, self.source_file, self.batch_id, stamp, stamp, stamp)
        runs = _runs(creates)
        for first, last in runs:  # the common case: ids, rows and organisations in step
            head = creates[first]
            answers = "[" + ",".join(a.json_quoted() for a in creates[first:last]) + "]"
            bases = (ids[first], org_ids[head.row], _VALUE[head.status], self.version)
            more = (self.source_file, head.row, self.batch_id, stamp, stamp, stamp, answers)
            statements.append((RESPONSE_RUN, (*bases, *more)))
        inside = {i for first, last in runs for i in range(first, last)}
        rest = [(i, a) for i, a in enumerate(creates) if i not in inside]
        if rest:
            timed = any(a.times is not None for _, a in rest)
            rows = [
                (
                    ids[i],
                    a.org_id if a.org_id is not None else org_ids[a.row],
                    _VALUE[a.status],
                    a.row,
                    a.json_quoted(),
                    self._times(a) if timed else None,
                )
                for i, a in rest
            ]
            statements.append((RESPONSES, (*params, responses_doc(rows))))
        statements.append((REVISIONS, (self.actor, stamp, ids[0], ids[-1])))
        self.background.submit(statements)

    def _create_with_executemany(self, creates: list[Accepted]) -> None:
        """The same rows as _create_in_background, for an SQLite without JSON functions."""
        new = [a for a in creates if a.new is not None]
        org_ids = dict(zip((a.row for a in new), self.ids(ORG, len(new)), strict=True))
        stamp = self.stamp()
        if new:
            self.conn.exec_driver_sql(
                "INSERT INTO organisation (id, name, org_type, external_id, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(org_ids[a.row], *a.new, stamp) for a in new if a.new is not None],
            )
        ids = self.ids(RESPONSE, len(creates))
        rows = []
        for i, a in zip(ids, creates, strict=True):
            org = a.org_id if a.org_id is not None else org_ids[a.row]
            started, submitted, received = self._times(a)
            first = (i, org, _VALUE[a.status], a.json(), self.version, self.source_file, a.row)
            rows.append((*first, self.batch_id, stamp, stamp, started, submitted, received, stamp))
        self.conn.exec_driver_sql(
            "INSERT INTO response (id, organisation_id, status, answers, instrument_version, "
            "revision, source, source_file, source_row, batch_id, created_at, updated_at, "
            "started_at, submitted_at, received_at, imported_at) "
            "VALUES (?, ?, ?, ?, ?, 1, 'import', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self.conn.exec_driver_sql(REVISIONS, (self.actor, stamp, ids[0], ids[-1]))


MIN_RUN = 16


def _runs(creates: list[Accepted]) -> list[tuple[int, int]]:
    """Stretches [first, last) of rows that RESPONSE_RUN can write: new organisations (their
    ids follow each other), one status, no times, consecutive rows of the file."""
    runs: list[tuple[int, int]] = []
    first = 0
    for i in range(1, len(creates) + 1):
        a = creates[i - 1]
        fits = a.new is not None and not any(a.times or ())
        if i < len(creates):
            b = creates[i]
            joins = fits and b.row == a.row + 1 and b.status is a.status and b.new is not None
            if joins and not any(b.times or ()):
                continue
        if fits and i - first >= MIN_RUN:
            runs.append((first, i))
        first = i
    return runs
