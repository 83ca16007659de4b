"""Write accepted rows in bulk, with the same outcome as ``responses.record_answers``.

A new organisation gets a row; a new response is written at revision 1; a changed
response (other answers or status) gets revision + 1; identical answers (equal as
Python values, as record_answers compares them) write nothing. Every write is
snapshotted as a ResponseRevision, so history is kept.

Submitted stays submitted: a row that would turn a submitted response back into a
draft, or change what a respondent submitted on the web form (their receipt code pins
it), is refused with its reason; with ``beside_submitted`` it is kept as a revision
beside the submission instead, and the response itself does not change.

New rows go in by chunk, one statement per table, in one of three ways: on SQLite from
JSON documents by a second thread (sqlite_bulk.py), or with executemany if that SQLite
lacks JSON functions; ids are counted from the table's maximum, which is safe because
an import holds SQLite's write lock from its first statement. Elsewhere (PostgreSQL)
through SQLAlchemy Core with RETURNING. tests/survey/test_import_writer.py checks that
all three give the same database, and what replaying record_answers gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
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
from innostudy.survey.importing.fastpath import dumps
from innostudy.survey.importing.identity import NewOrganisation
from innostudy.survey.importing.quarantine import RowProblem
from innostudy.survey.importing.sqlite_bulk import (
    ORGANISATIONS,
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


class Accepted(NamedTuple):
    """A valid row, ready to be written; ``text`` is its answers as JSON if already written."""

    row: int
    org_id: int | None
    new: NewOrganisation | None
    status: ResponseStatus
    answers: dict[str, Any]
    text: str | None = None

    def json(self) -> str:
        return self.text if self.text is not None else dumps(self.answers)


@dataclass
class Outcome:
    """Counts of one import; ``refusals`` are only those of the chunk just written."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_organisations: int = 0
    beside: int = 0
    refusals: list[RowProblem] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.new_organisations += other.new_organisations
        self.beside += other.beside


@dataclass(frozen=True)
class _Current:
    response_id: int
    revision: int
    status: ResponseStatus
    answers: dict[str, Any]
    source: ResponseSource
    submitted_at: datetime | None


@dataclass
class _Sorted:
    creates: list[Accepted] = field(default_factory=list)
    updates: list[tuple[Accepted, _Current]] = field(default_factory=list)
    beside: list[tuple[Accepted, _Current]] = field(default_factory=list)
    refusals: list[RowProblem] = field(default_factory=list)
    unchanged: int = 0


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
        self._cache: int | None = None
        if self.fast and not dry_run:
            # A large import's B-trees outgrow SQLite's default 2 MB page cache; pages
            # spilled to the WAL and read back again made a 1M-row import 40% slower.
            self._cache = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
            conn.exec_driver_sql(f"PRAGMA cache_size={IMPORT_CACHE_KIB}")
            if supported(conn):
                self.background = BackgroundWriter(conn)

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
            created=len(sorted_rows.creates),
            updated=len(sorted_rows.updates),
            unchanged=sorted_rows.unchanged,
            new_organisations=sum(1 for a in sorted_rows.creates if a.new is not None),
            beside=len(sorted_rows.beside),
            refusals=sorted_rows.refusals,
        )
        if not self.dry_run:
            if self.background is not None and sorted_rows.creates:
                self._create_in_background(sorted_rows.creates)
            else:
                org_ids = self._insert_organisations([a for a in sorted_rows.creates if a.new])
                self._insert_responses(sorted_rows.creates, org_ids)
            if sorted_rows.updates:
                self.drain()
                self._update_responses(sorted_rows.updates)
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
            elif now.status is a.status and now.answers == a.answers:
                result.unchanged += 1
            elif (
                reason := import_refusal(now.status, now.source, now.submitted_at, a.status)
            ) is None:
                result.updates.append((a, now))
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
        self, rows: list[tuple[Accepted, _Current]]
    ) -> tuple[list[tuple[Accepted, _Current]], int]:
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
        new = [(a, now) for a, now in rows if newest.get(now.response_id) != (a.status, a.answers)]
        return new, len(rows) - len(new)

    def _current(self, org_ids: list[int]) -> dict[int, _Current]:
        found: dict[int, _Current] = {}
        for start in range(0, len(org_ids), 900):
            part = org_ids[start : start + 900]
            rows = self.conn.execute(
                sa.select(
                    RESPONSE.c.organisation_id,
                    RESPONSE.c.id,
                    RESPONSE.c.revision,
                    RESPONSE.c.status,
                    RESPONSE.c.answers,
                    RESPONSE.c.source,
                    RESPONSE.c.submitted_at,
                ).where(RESPONSE.c.organisation_id.in_(part))
            )
            for org_id, *current in rows:
                found[org_id] = _Current(*current)
        return found

    # -- writing -------------------------------------------------------------------------

    def _ids(self, table: sa.Table, n: int) -> list[int]:
        """Ids for ``n`` new rows of ``table`` (SQLite only: the import holds the write lock)."""
        name = table.name
        if name not in self._next_ids:
            self.drain()
            top = self.conn.execute(sa.select(sa.func.max(table.c.id))).scalar()
            self._next_ids[name] = int(top or 0) + 1
        first = self._next_ids[name]
        self._next_ids[name] = first + n
        return list(range(first, first + n))

    def _stamp(self, column: sa.ColumnElement[Any]) -> Any:
        """``now`` as the driver wants it for ``column`` (the fast path skips SQLAlchemy)."""
        dialect = self.conn.dialect
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        return process(self.now) if process else self.now

    def _create_in_background(self, creates: list[Accepted]) -> None:
        """New organisations, responses and first revisions: three statements (sqlite_bulk)."""
        assert self.background is not None
        new = [a for a in creates if a.new is not None]
        org_ids = dict(zip((a.row for a in new), self._ids(ORG, len(new)), strict=True))
        ids = self._ids(RESPONSE, len(creates))
        stamp = self._stamp(RESPONSE.c.created_at)
        statements: list[Statement] = []
        if new:
            orgs = [(org_ids[a.row], *a.new) for a in new if a.new is not None]
            statements.append((ORGANISATIONS, (stamp, organisations_doc(orgs))))
        rows = [
            (
                i,
                a.org_id if a.org_id is not None else org_ids[a.row],
                _VALUE[a.status],
                a.row,
                a.json(),
            )
            for i, a in zip(ids, creates, strict=True)
        ]
        params = (self.version, self.source_file, self.batch_id, stamp, stamp, stamp)
        statements.append((RESPONSES, (*params, responses_doc(rows))))
        statements.append((REVISIONS, (self.actor, stamp, ids[0], ids[-1])))
        self.background.submit(statements)

    def _insert_organisations(self, creates: list[Accepted]) -> dict[int, int]:
        """Row number → new organisation id."""
        if not creates:
            return {}
        new = [a.new for a in creates if a.new is not None]
        if self.fast:
            ids = self._ids(ORG, len(new))
            stamp = self._stamp(ORG.c.created_at)
            self.conn.exec_driver_sql(
                "INSERT INTO organisation (id, name, org_type, external_id, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (i, n.name, n.org_type, n.external_id, stamp)
                    for i, n in zip(ids, new, strict=True)
                ],
            )
        else:
            result = self.conn.execute(
                sa.insert(ORG).returning(ORG.c.id, sort_by_parameter_order=True),
                [
                    {
                        "name": n.name,
                        "org_type": n.org_type,
                        "external_id": n.external_id,
                        "created_at": self.now,
                    }
                    for n in new
                ],
            )
            ids = [r[0] for r in result]
        return {a.row: i for a, i in zip(creates, ids, strict=True)}

    def _insert_responses(self, creates: list[Accepted], org_ids: dict[int, int]) -> None:
        if not creates:
            return
        submitted = ResponseStatus.SUBMITTED
        if self.fast:
            ids = self._ids(RESPONSE, len(creates))
            stamp = self._stamp(RESPONSE.c.created_at)
            texts = [a.json() for a in creates]
            self.conn.exec_driver_sql(
                "INSERT INTO response (id, organisation_id, status, answers, instrument_version, "
                "revision, source, source_file, source_row, batch_id, created_at, updated_at, "
                "submitted_at) VALUES (?, ?, ?, ?, ?, 1, 'import', ?, ?, ?, ?, ?, ?)",
                [
                    (
                        i,
                        a.org_id if a.org_id is not None else org_ids[a.row],
                        _VALUE[a.status],
                        text,
                        self.version,
                        self.source_file,
                        a.row,
                        self.batch_id,
                        stamp,
                        stamp,
                        stamp if a.status is submitted else None,
                    )
                    for i, a, text in zip(ids, creates, texts, strict=True)
                ],
            )
            self._snapshots_fast(
                [(i, 1, a, t) for i, a, t in zip(ids, creates, texts, strict=True)]
            )
            return
        result = self.conn.execute(
            sa.insert(RESPONSE).returning(RESPONSE.c.id, sort_by_parameter_order=True),
            [
                {
                    "organisation_id": a.org_id if a.org_id is not None else org_ids[a.row],
                    "status": a.status,
                    "answers": a.answers,
                    "instrument_version": self.version,
                    "revision": 1,
                    "source": ResponseSource.IMPORT,
                    "source_file": self.source_file,
                    "source_row": a.row,
                    "batch_id": self.batch_id,
                    "created_at": self.now,
                    "updated_at": self.now,
                    "submitted_at": self.now if a.status is submitted else None,
                }
                for a in creates
            ],
        )
        ids = [r[0] for r in result]
        self._snapshots_core([(i, 1, a) for i, a in zip(ids, creates, strict=True)])

    def _update_responses(self, updates: list[tuple[Accepted, _Current]]) -> None:
        if not updates:
            return
        stamp = self._stamp(RESPONSE.c.updated_at) if self.fast else self.now
        params = [
            {
                "rid": now.response_id,
                "status": _VALUE[a.status] if self.fast else a.status,
                "answers": a.json() if self.fast else a.answers,
                "version": self.version,
                "row": a.row,
                "stamp": stamp,
                "first": stamp if a.status is ResponseStatus.SUBMITTED else None,
            }
            for a, now in updates
        ]
        if self.fast:
            self.conn.exec_driver_sql(
                "UPDATE response SET status = :status, answers = :answers, "
                "instrument_version = :version, revision = revision + 1, source = 'import', "
                "source_file = :file, source_row = :row, batch_id = :batch, "
                "updated_at = :stamp, submitted_at = COALESCE(submitted_at, :first) "
                "WHERE id = :rid",
                [p | {"file": self.source_file, "batch": self.batch_id} for p in params],
            )
            self._snapshots_fast(
                [(now.response_id, now.revision + 1, a, a.json()) for a, now in updates]
            )
            return
        self.conn.execute(
            sa.update(RESPONSE)
            .where(RESPONSE.c.id == sa.bindparam("rid"))
            .values(
                status=sa.bindparam("status"),
                answers=sa.bindparam("answers", type_=RESPONSE.c.answers.type),
                instrument_version=sa.bindparam("version"),
                revision=RESPONSE.c.revision + 1,
                source=ResponseSource.IMPORT,
                source_file=self.source_file,
                source_row=sa.bindparam("row"),
                batch_id=self.batch_id,
                updated_at=sa.bindparam("stamp", type_=RESPONSE.c.updated_at.type),
                submitted_at=sa.func.coalesce(
                    RESPONSE.c.submitted_at,
                    sa.bindparam("first", type_=RESPONSE.c.submitted_at.type),
                ),
            ),
            params,
        )
        self._snapshots_core([(now.response_id, now.revision + 1, a) for a, now in updates])

    def _keep_beside(self, rows: list[tuple[Accepted, _Current]]) -> None:
        """Revisions beside a submission: the response only counts one more revision."""
        self.conn.execute(
            sa.update(RESPONSE)
            .where(RESPONSE.c.id == sa.bindparam("rid"))
            .values(revision=RESPONSE.c.revision + 1),
            [{"rid": now.response_id} for _, now in rows],
        )
        revisions = [(now.response_id, now.revision + 1, a) for a, now in rows]
        if self.fast:
            self._snapshots_fast([(*r, r[2].json()) for r in revisions], beside=True)
        else:
            self._snapshots_core(revisions, beside=True)

    def _snapshots_fast(
        self, rows: list[tuple[int, int, Accepted, str]], *, beside: bool = False
    ) -> None:
        stamp = self._stamp(REVISION.c.recorded_at)
        self.conn.exec_driver_sql(
            "INSERT INTO response_revision (response_id, revision, status, answers, source, "
            "source_file, source_row, batch_id, actor, recorded_at, beside_submission) "
            "VALUES (?, ?, ?, ?, 'import', ?, ?, ?, ?, ?, ?)",
            [
                (
                    rid,
                    revision,
                    _VALUE[a.status],
                    text,
                    self.source_file,
                    a.row,
                    self.batch_id,
                    self.actor,
                    stamp,
                    beside,
                )
                for rid, revision, a, text in rows
            ],
        )

    def _snapshots_core(
        self, rows: list[tuple[int, int, Accepted]], *, beside: bool = False
    ) -> None:
        self.conn.execute(
            sa.insert(REVISION),
            [
                {
                    "response_id": rid,
                    "revision": revision,
                    "status": a.status,
                    "answers": a.answers,
                    "source": ResponseSource.IMPORT,
                    "source_file": self.source_file,
                    "source_row": a.row,
                    "batch_id": self.batch_id,
                    "actor": self.actor,
                    "recorded_at": self.now,
                    "beside_submission": beside,
                }
                for rid, revision, a in rows
            ],
        )
