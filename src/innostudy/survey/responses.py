"""Write responses so nothing is ever overwritten without a trace.

Every change bumps ``Response.revision`` and stores a ResponseRevision; an unchanged
re-import writes nothing. Callers that read a draft and write it back (the web form)
pass the revision they read, so two tabs on one draft cannot silently lose answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from innostudy.errors import ConflictError
from innostudy.model import (
    Organisation,
    Response,
    ResponseRevision,
    ResponseSource,
    ResponseStatus,
    utcnow,
)


@dataclass(frozen=True)
class Provenance:
    """Where a set of answers came from, kept on the response and on each revision."""

    source: ResponseSource
    source_file: str | None = None
    source_row: int | None = None
    batch_id: int | None = None
    actor: str = ""


@dataclass(frozen=True)
class WriteResult:
    response: Response
    outcome: str  # "created", "updated" or "unchanged"


def record_answers(
    session: Session,
    organisation: Organisation,
    answers: dict[str, Any],
    *,
    status: ResponseStatus,
    provenance: Provenance,
    instrument_version: str,
    expected_revision: int | None = None,
) -> WriteResult:
    """Create or revise the organisation's response; identical answers change nothing."""
    response = session.scalar(
        sa.select(Response).where(Response.organisation_id == organisation.id)
    )
    now = utcnow()
    # The respondent's own clock is ours only when they answer here and now (web, API);
    # a file's times are its own (survey.importing), never the moment it is read.
    live = provenance.source is not ResponseSource.IMPORT
    if response is None:
        response = Response(
            organisation=organisation,
            status=status,
            answers=answers,
            instrument_version=instrument_version,
            revision=1,
            source=provenance.source,
            source_file=provenance.source_file,
            source_row=provenance.source_row,
            batch_id=provenance.batch_id,
            created_at=now,
            updated_at=now,
            started_at=now if live else None,
            submitted_at=now if live and status is ResponseStatus.SUBMITTED else None,
        )
        session.add(response)
        session.flush()
        _snapshot(session, response, provenance)
        return WriteResult(response, "created")
    if expected_revision is not None and expected_revision != response.revision:
        raise ConflictError(
            f"response {response.id} changed since it was opened (revision {expected_revision}, "
            f"now {response.revision}); reload to see the newer answers"
        )
    if response.answers == answers and response.status == status:
        return WriteResult(response, "unchanged")
    keep_answers_of_newest(session, [response.id])
    response.answers = answers
    response.status = status
    response.instrument_version = instrument_version
    response.revision += 1
    response.source = provenance.source
    response.source_file = provenance.source_file
    response.source_row = provenance.source_row
    response.batch_id = provenance.batch_id
    response.updated_at = now
    if live and status is ResponseStatus.SUBMITTED and response.submitted_at is None:
        response.submitted_at = now
    session.flush()
    _snapshot(session, response, provenance)
    return WriteResult(response, "updated")


def import_refusal(
    status: ResponseStatus,
    source: ResponseSource,
    submitted_at: datetime | None,
    imported: ResponseStatus,
) -> str | None:
    """Why an imported row with status ``imported`` may not replace a response that has
    ``status`` and came from ``source`` (None: it may).

    Submitted stays submitted: no import turns it back into a draft, and what a
    respondent submitted themselves (web form, API) is pinned by their receipt code, so
    an import may not change it either. A submission that came from an earlier import
    may be corrected by a later export of the same survey tool.
    """
    if status is not ResponseStatus.SUBMITTED:
        return None
    when = f" on {submitted_at:%Y-%m-%d}" if submitted_at else ""
    keep = "--beside-submitted keeps the row as a revision beside the submission"
    if imported is not ResponseStatus.SUBMITTED:
        return (
            f"the response was already submitted{when}; an import never turns a submitted "
            f"response back into a {imported.value} ({keep})"
        )
    if source is not ResponseSource.IMPORT:
        how = "on the web form" if source is ResponseSource.WEB else f"through the {source.value}"
        return (
            f"the respondent submitted other answers {how}{when} and holds a receipt for "
            f"them, which the import would no longer match ({keep})"
        )
    return None


def keep_answers_of_newest(session: Session | Connection, response_ids: list[int]) -> None:
    """Copy the answers into newest revisions stored by reference, before they are revised.

    A bulk import stores a response's newest revision without answers ("the same as the
    response row", see model.ResponseRevision); they must be written out before the
    response row changes, or that revision's answers would be lost.
    """
    revision = sa.table(
        "response_revision",
        sa.column("response_id"),
        sa.column("answers"),
    )
    current = (
        sa.select(Response.answers).where(Response.id == revision.c.response_id).scalar_subquery()
    )
    for start in range(0, len(response_ids), 900):
        part = response_ids[start : start + 900]
        session.execute(
            sa.update(revision)
            .where(revision.c.response_id.in_(part), revision.c.answers.is_(None))
            .values(answers=current)
        )


def revision_answers(revision: ResponseRevision) -> dict[str, Any]:
    """A revision's answers; the newest may be stored by reference (the response row's)."""
    if revision.answers is not None:
        return dict(revision.answers)
    return dict(revision.response.answers)


def _snapshot(session: Session, response: Response, provenance: Provenance) -> None:
    session.add(
        ResponseRevision(
            response_id=response.id,
            revision=response.revision,
            status=response.status,
            answers=response.answers,
            source=provenance.source,
            source_file=provenance.source_file,
            source_row=provenance.source_row,
            batch_id=provenance.batch_id,
            actor=provenance.actor,
        )
    )


def submitted_answers(session: Session) -> list[tuple[Organisation, dict[str, Any]]]:
    """Organisations with a submitted response, and the answers, in organisation order."""
    rows = session.execute(
        sa.select(Organisation, Response.answers)
        .join(Response, Response.organisation_id == Organisation.id)
        .where(Response.status == ResponseStatus.SUBMITTED)
        .order_by(Organisation.id)
    )
    return [(org, dict(answers)) for org, answers in rows]
