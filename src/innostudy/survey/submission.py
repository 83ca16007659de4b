"""A respondent's units of work: save a page of the draft, submit, and the receipt.

Each function runs inside one write transaction (``store.write_session()``) and locks
the organisation row first, so two requests for the same response (two tabs, a double
click, a resent POST) are applied one after the other, never interleaved.

Two tabs on one draft: every page carries the revision it was rendered from. When the
draft has moved on since, the page's questions are compared three ways (the answers at
that revision, the answers now, the answers posted). If the other tab changed none of
this page's questions, the page is merged onto the newer draft; if it did, nothing is
written and the respondent sees both versions. Nothing is lost silently either way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.errors import NotFoundError
from innostudy.model import Organisation, Response, ResponseRevision, ResponseSource, ResponseStatus
from innostudy.survey.answers import AnswerProblem, drop_irrelevant, validate_answers
from innostudy.survey.form import Page, merge_page
from innostudy.survey.instrument import Instrument
from innostudy.survey.responses import Provenance, record_answers

RESPONDENT = "respondent (web form)"


@dataclass(frozen=True)
class SaveResult:
    """``saved``, ``unchanged``, ``conflict`` (nothing written) or ``closed`` (submitted)."""

    outcome: str
    revision: int
    answers: dict[str, Any]
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubmitResult:
    """``submitted``, ``already`` (an earlier request did it), ``changed`` (the draft moved
    on since the review page was shown) or ``invalid`` (problems listed)."""

    outcome: str
    response: Response | None
    problems: list[AnswerProblem] = field(default_factory=list)


def lock_organisation(session: Session, organisation_id: int) -> Organisation:
    """The organisation, row-locked on PostgreSQL (SQLite's write lock is already held)."""
    org = session.scalar(
        sa.select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    )
    if org is None:
        raise NotFoundError("organisation", organisation_id)
    return org


def current_response(session: Session, organisation_id: int) -> Response | None:
    return session.scalar(sa.select(Response).where(Response.organisation_id == organisation_id))


def answers_at(session: Session, response: Response | None, revision: int) -> dict[str, Any]:
    """The answers as they were at ``revision`` (0 means before the response existed)."""
    if response is None or revision <= 0:
        return {}
    stored = session.scalar(
        sa.select(ResponseRevision.answers).where(
            ResponseRevision.response_id == response.id, ResponseRevision.revision == revision
        )
    )
    if stored is None and revision == response.revision:
        return dict(response.answers)  # the newest revision, stored by reference
    return dict(stored or {})


def conflicting_keys(
    base: Mapping[str, Any],
    current: Mapping[str, Any],
    posted: Mapping[str, Any],
    keys: Collection[str],
) -> tuple[str, ...]:
    """Questions changed elsewhere since ``base`` that the posted page would change again."""
    return tuple(
        k for k in sorted(keys) if current.get(k) != base.get(k) and posted.get(k) != current.get(k)
    )


def save_page(
    session: Session,
    organisation_id: int,
    instrument: Instrument,
    page: Page,
    page_answers: Mapping[str, Any],
    *,
    base_revision: int,
    unreadable: Collection[str] = (),
    actor: str = RESPONDENT,
) -> SaveResult:
    """Store one page of the draft; ``unreadable`` questions keep their stored answer."""
    org = lock_organisation(session, organisation_id)
    response = current_response(session, org.id)
    current = dict(response.answers) if response else {}
    revision = response.revision if response else 0
    if response is not None and response.status.is_final():
        return SaveResult("closed", revision, current)
    posted = dict(page_answers)
    for key in unreadable:
        if key in current:
            posted[key] = current[key]
        else:
            posted.pop(key, None)
    if base_revision != revision:
        base = answers_at(session, response, base_revision)
        conflicts = conflicting_keys(base, current, posted, page.keys)
        if conflicts:
            return SaveResult("conflict", revision, current, conflicts)
    merged = drop_irrelevant(instrument, merge_page(current, page, posted))
    written = record_answers(
        session,
        org,
        merged,
        status=ResponseStatus.DRAFT,
        provenance=Provenance(ResponseSource.WEB, actor=actor),
        instrument_version=instrument.version,
        expected_revision=revision if response is not None else None,
    )
    outcome = "unchanged" if written.outcome == "unchanged" else "saved"
    return SaveResult(outcome, written.response.revision, merged)


def submit_response(
    session: Session,
    organisation_id: int,
    instrument: Instrument,
    *,
    base_revision: int,
    actor: str = RESPONDENT,
) -> SubmitResult:
    """Submit the draft the respondent reviewed; a repeated request changes nothing."""
    org = lock_organisation(session, organisation_id)
    response = current_response(session, org.id)
    if response is not None and response.status.is_final():
        return SubmitResult("already", response)
    if response is None or response.revision != base_revision:
        return SubmitResult("changed", response)
    problems = validate_answers(instrument, response.answers, complete=True)
    if problems:
        return SubmitResult("invalid", response, problems)
    written = record_answers(
        session,
        org,
        dict(response.answers),
        status=ResponseStatus.SUBMITTED,
        provenance=Provenance(ResponseSource.WEB, actor=actor),
        instrument_version=instrument.version,
        expected_revision=base_revision,
    )
    return SubmitResult("submitted", written.response)


def receipt_code(response: Response) -> str:
    """A short code that pins what was submitted: the same answers give the same code.

    The respondent can quote it later; anyone holding the study can recompute it from the
    stored response and see that nothing changed since.
    """
    payload = json.dumps(
        {
            "response": response.id,
            "organisation": response.organisation_id,
            "submitted_at": response.submitted_at.isoformat() if response.submitted_at else "",
            "answers": response.answers,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest().upper()
    return f"R-{response.id:05d}-{digest[:4]}-{digest[4:8]}"
