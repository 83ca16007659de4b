"""Organisations in scope: status, answers, contact details, and personal survey links.

Researchers and administrators only: coders work on pseudonymised transcripts.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from innostudy.survey.form import pages
from innostudy.survey.links import link_base
from innostudy.survey.roster import (
    contact_of,
    issue_invitation,
    list_organisations,
    organisation_row,
    submitted_answers_of,
)
from innostudy.web.deps import CtxDep, Researcher, RowId, SessionDep
from innostudy.web.errors import NotFound
from innostudy.web.survey_views import answer_sections

router = APIRouter(prefix="/organisations", tags=["organisations"])
STATUSES = ("invited", "draft", "submitted")


@router.get("")
def organisations(
    request: Request,
    user: Researcher,
    ctx: CtxDep,
    s: SessionDep,
    status: str | None = None,
    org_type: str | None = None,
) -> Response:
    chosen = status if status in STATUSES else None
    rows = list_organisations(s, status=chosen, org_type=org_type or None)
    types = sorted({(r.org_type, r.type_label) for r in list_organisations(s)}, key=lambda t: t[1])
    return ctx.render(
        request,
        "organisations.html",
        rows=rows,
        status=chosen,
        org_type=org_type or "",
        statuses=STATUSES,
        types=types,
    )


@router.get("/{organisation_id}")
def organisation(
    request: Request, organisation_id: RowId, user: Researcher, ctx: CtxDep, s: SessionDep
) -> Response:
    row = organisation_row(s, organisation_id)
    if row is None:
        raise NotFound()
    instrument = ctx.instrument()
    answers = submitted_answers_of(s, organisation_id) or {}
    return ctx.render(
        request,
        "organisation.html",
        org=row,
        contact=contact_of(s, organisation_id),
        sections=answer_sections(instrument, pages(instrument), answers),
        link=None,
        link_warning="",
    )


@router.post("/{organisation_id}/link")
def new_link(request: Request, organisation_id: RowId, user: Researcher, ctx: CtxDep) -> Response:
    """Issue a new personal link; it is shown once (only its hash is kept)."""
    with ctx.store.write_session() as s:
        token = issue_invitation(s, organisation_id, actor=user.username)
    if token is None:
        raise NotFound()
    base = link_base(ctx.store.settings)
    with ctx.store.session() as s:
        row = organisation_row(s, organisation_id)
        contact = contact_of(s, organisation_id)
        instrument = ctx.instrument()
        answers = submitted_answers_of(s, organisation_id) or {}
    return ctx.render(
        request,
        "organisation.html",
        org=row,
        contact=contact,
        sections=answer_sections(instrument, pages(instrument), answers),
        link=base.link(token),
        link_warning=base.warning(),
    )
