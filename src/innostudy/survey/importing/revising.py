"""Revising responses an import finds already in the study: a new revision, or their times.

A changed response gets revision + 1, its newest revision stored by reference (answers
NULL, those of the response row) after the previous newest is written out in full
(``responses.keep_answers_of_newest``). An unchanged one only gets the respondent times
the file gives and the study lacks. Split from writer.py, which decides what is what.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import sqlalchemy as sa

from innostudy.model import Response, ResponseRevision, ResponseSource, ResponseStatus
from innostudy.survey.importing.moments import Times

if TYPE_CHECKING:
    from innostudy.survey.importing.writer import Accepted, ResponseWriter

RESPONSE = cast(sa.Table, Response.__table__)
REVISION = cast(sa.Table, ResponseRevision.__table__)
_VALUE = {s: s.value for s in ResponseStatus}


class Current(NamedTuple):
    """A response as the study holds it, to compare a row with."""

    response_id: int
    revision: int
    status: ResponseStatus
    answers: dict[str, Any]
    times: Times
    source: ResponseSource


def update_responses(w: ResponseWriter, updates: list[tuple[Accepted, Current]]) -> None:
    if not updates:
        return
    from innostudy.survey.responses import keep_answers_of_newest

    keep_answers_of_newest(w.conn, [now.response_id for _, now in updates])
    sqlite = w.conn.dialect.name == "sqlite"
    params = []
    for a, now in updates:
        t = a.moments()
        params.append(
            {
                "rid": now.response_id,
                "status": _VALUE[a.status] if sqlite else a.status,
                "answers": a.json() if sqlite else a.values(),
                "version": w.version,
                "row": a.row,
                "stamp": w.stamp() if sqlite else w.now,
                "started": _keep(t.started, now.times.started, w.stamp, sqlite),
                "submitted": _keep(t.submitted, now.times.submitted, w.stamp, sqlite),
                "received": _keep(t.received, now.times.received, w.stamp, sqlite),
                "file": w.source_file,
                "batch": w.batch_id,
            }
        )
    if sqlite:
        w.conn.exec_driver_sql(
            "UPDATE response SET status = :status, answers = :answers, "
            "instrument_version = :version, revision = revision + 1, source = 'import', "
            "source_file = :file, source_row = :row, batch_id = :batch, "
            "updated_at = :stamp, imported_at = :stamp, started_at = :started, "
            "submitted_at = :submitted, received_at = :received WHERE id = :rid",
            params,
        )
    else:
        c = RESPONSE.c
        w.conn.execute(
            sa.update(RESPONSE)
            .where(c.id == sa.bindparam("rid"))
            .values(
                status=sa.bindparam("status"),
                answers=sa.bindparam("answers", type_=c.answers.type),
                instrument_version=sa.bindparam("version"),
                revision=c.revision + 1,
                source=ResponseSource.IMPORT,
                source_file=sa.bindparam("file"),
                source_row=sa.bindparam("row"),
                batch_id=sa.bindparam("batch"),
                updated_at=sa.bindparam("stamp", type_=c.updated_at.type),
                imported_at=sa.bindparam("stamp", type_=c.imported_at.type),
                started_at=sa.bindparam("started", type_=c.started_at.type),
                submitted_at=sa.bindparam("submitted", type_=c.submitted_at.type),
                received_at=sa.bindparam("received", type_=c.received_at.type),
            ),
            params,
        )
    _snapshots(w, [(now.response_id, now.revision + 1, a) for a, now in updates])


def retime(w: ResponseWriter, retimes: list[tuple[Accepted, Current]]) -> None:
    """Fill in respondent times the study lacks, on responses whose answers are equal."""
    if not retimes:
        return
    sqlite = w.conn.dialect.name == "sqlite"
    params = []
    for a, now in retimes:
        t = a.moments()
        params.append(
            {
                "rid": now.response_id,
                "started": _keep(now.times.started, t.started, w.stamp, sqlite),
                "submitted": _keep(now.times.submitted, t.submitted, w.stamp, sqlite),
                "received": _keep(now.times.received, t.received, w.stamp, sqlite),
            }
        )
    if sqlite:
        w.conn.exec_driver_sql(
            "UPDATE response SET started_at = :started, submitted_at = :submitted, "
            "received_at = :received WHERE id = :rid",
            params,
        )
        return
    c = RESPONSE.c
    w.conn.execute(
        sa.update(RESPONSE)
        .where(c.id == sa.bindparam("rid"))
        .values(
            started_at=sa.bindparam("started", type_=c.started_at.type),
            submitted_at=sa.bindparam("submitted", type_=c.submitted_at.type),
            received_at=sa.bindparam("received", type_=c.received_at.type),
        ),
        params,
    )


def _snapshots(w: ResponseWriter, rows: list[tuple[int, int, Accepted]]) -> None:
    """Revisions of updated responses, their answers by reference (the response row's)."""
    if w.conn.dialect.name == "sqlite":
        who = (w.actor, w.stamp())
        w.conn.exec_driver_sql(
            "INSERT INTO response_revision (response_id, revision, status, answers, "
            "source, source_file, source_row, batch_id, actor, recorded_at) "
            "VALUES (?, ?, ?, NULL, 'import', ?, ?, ?, ?, ?)",
            [
                (rid, n, _VALUE[a.status], w.source_file, a.row, w.batch_id, *who)
                for rid, n, a in rows
            ],
        )
        return
    w.conn.execute(
        sa.insert(REVISION).values(answers=sa.null()),
        [
            {
                "response_id": rid,
                "revision": n,
                "status": a.status,
                "source": ResponseSource.IMPORT,
                "source_file": w.source_file,
                "source_row": a.row,
                "batch_id": w.batch_id,
                "actor": w.actor,
                "recorded_at": w.now,
            }
            for rid, n, a in rows
        ],
    )


def _keep(new: datetime | None, old: datetime | None, stamp: Any, sqlite: bool) -> Any:
    """``new`` when the file gives it, else what the study had."""
    chosen = new if new is not None else old
    if chosen is None or not sqlite:
        return chosen
    return stamp(chosen)


def fills_in(given: Times, stored: Times) -> bool:
    """Does the file give a respondent time that the study does not have yet?"""
    return any(g is not None and s is None for g, s in zip(given, stored, strict=True))
