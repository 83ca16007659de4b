"""The respondent's side, ``/s/<token>``: start, one page per area, review, submit, receipt.

Every page works without JavaScript. Skip rules are applied by the server; the script
only hides and shows questions on the same page as answers change, by asking the server.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from innostudy.survey.answers import validate_answers
from innostudy.survey.form import (
    Page,
    merge_page,
    page_problems,
    pages,
    progress,
    read_page,
    relevant_keys,
    resume_page,
)
from innostudy.survey.submission import SaveResult, save_page, submit_response
from innostudy.web.context import WebContext
from innostudy.web.deps import CtxDep, Draft, Invitee, InviteeDep, PosterDep, read_draft
from innostudy.web.errors import NotFound
from innostudy.web.survey_views import answer_sections, error_summary, question_blocks

router = APIRouter(prefix="/s/{token}", tags=["respondent"])
ACTIONS = ("next", "back", "save", "review")


def _draft(ctx: WebContext, organisation_id: int) -> Draft:
    with ctx.store.session() as s:
        return read_draft(s, organisation_id)


def _to(who: Invitee, tail: str = "") -> RedirectResponse:
    return RedirectResponse(f"/s/{who.token}{tail}", status_code=303)


def _page(ctx: WebContext, number: int) -> Page:
    all_pages = pages(ctx.instrument())
    if not 1 <= number <= len(all_pages):
        raise NotFound("The survey has no such page.")
    return all_pages[number - 1]


@router.get("")
def start(request: Request, who: InviteeDep, ctx: CtxDep) -> Response:
    draft = who.current
    if draft.status.is_final():
        return _to(who, "/receipt")
    instrument = ctx.instrument()
    return ctx.render(
        request,
        "survey_start.html",
        who=who,
        instrument=instrument,
        progress=progress(instrument, draft.answers),
        current_step=None,
        resume=resume_page(instrument, draft.answers),
        started=draft.revision > 0 and bool(draft.answers),
    )


def _render_page(
    request: Request,
    ctx: WebContext,
    who: Invitee,
    page: Page,
    answers: dict[str, Any],
    revision: int,
    *,
    status_code: int = 200,
    values: dict[str, Any] | None = None,
    problems: list[Any] | None = None,
    conflict: SaveResult | None = None,
    notice: str = "",
) -> Response:
    instrument = ctx.instrument()
    problems = problems or []
    elsewhere = {k: conflict.answers.get(k) for k in conflict.conflicts} if conflict else None
    return ctx.render(
        request,
        "survey_page.html",
        status_code,
        who=who,
        instrument=instrument,
        page=page,
        page_count=len(pages(instrument)),
        progress=progress(instrument, answers, {p.field.split("/", 1)[0] for p in problems}),
        current_step=page.number,
        blocks=question_blocks(
            instrument, page, answers, values=values, problems=problems, elsewhere=elsewhere
        ),
        summary=error_summary(instrument, problems),
        revision=revision,
        conflict=conflict,
        notice=notice,
    )


@router.get("/p/{number}")
def show_page(request: Request, number: int, who: InviteeDep, ctx: CtxDep) -> Response:
    page = _page(ctx, number)
    draft = who.current
    if draft.status.is_final():
        return _to(who, "/receipt")
    notice = (
        "Your answers are saved. You can close this window and come back with your link."
        if request.query_params.get("saved")
        else ""
    )
    return _render_page(request, ctx, who, page, draft.answers, draft.revision, notice=notice)


def _form_lists(form: FormData) -> dict[str, list[str]]:
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


@router.post("/p/{number}")
async def save(request: Request, number: int, who: PosterDep, ctx: CtxDep) -> Response:
    page = _page(ctx, number)
    form = await request.form()
    action = str(form.get("action", "next"))
    action = action if action in ACTIONS else "next"
    posted = read_page(page, _form_lists(form))
    instrument = ctx.instrument()

    def write() -> SaveResult:
        # shared: save_page row-locks the organisation, so respondents of different
        # organisations save side by side; imports and other writers still exclude them
        return ctx.store.write(
            lambda s: save_page(
                s,
                who.organisation_id,
                instrument,
                page,
                posted.answers,
                base_revision=_int(form.get("revision")),
                unreadable=posted.invalid_keys,
            ),
            shared=True,
        )

    result = await run_in_threadpool(write)
    if result.outcome == "closed":
        return _to(who, "/receipt")
    shown = merge_page(result.answers, page, posted.answers)
    if result.outcome == "conflict":
        return _render_page(
            request,
            ctx,
            who,
            page,
            shown,
            result.revision,
            status_code=409,
            values=posted.values,
            conflict=result,
        )
    problems = list(posted.problems)
    if action in ("next", "review"):
        problems += [
            p
            for p in page_problems(instrument, page, result.answers, complete=True)
            if p.field.split("/", 1)[0] not in posted.invalid_keys
        ]
    if problems:
        return _render_page(
            request,
            ctx,
            who,
            page,
            shown,
            result.revision,
            status_code=422,
            values=posted.values,
            problems=problems,
        )
    last = len(pages(instrument))
    if action == "back":
        return _to(who, f"/p/{max(1, number - 1)}" if number > 1 else "")
    if action == "save":
        return _to(who, f"/p/{number}?saved=1")
    if action == "review" or number >= last:
        return _to(who, "/review")
    return _to(who, f"/p/{number + 1}")


@router.post("/p/{number}/relevance")
async def relevance(request: Request, number: int, who: InviteeDep, ctx: CtxDep) -> Response:
    """Which questions on this page apply, given the answers being typed (for the script)."""
    page = _page(ctx, number)
    posted = read_page(page, _form_lists(await request.form()))
    answers = merge_page(who.current.answers, page, posted.answers)
    return JSONResponse({"relevant": relevant_keys(ctx.instrument(), page, answers)})


def _render_review(
    request: Request,
    ctx: WebContext,
    who: Invitee,
    draft: Draft,
    *,
    status_code: int = 200,
    notice: str = "",
) -> Response:
    instrument = ctx.instrument()
    problems = validate_answers(instrument, draft.answers, complete=True)
    all_pages = pages(instrument)
    return ctx.render(
        request,
        "survey_review.html",
        status_code,
        who=who,
        instrument=instrument,
        sections=answer_sections(instrument, all_pages, draft.answers),
        summary=error_summary(
            instrument, problems, {k: p.number for p in all_pages for k in p.keys}
        ),
        problem_pages=sorted({_page_of(all_pages, p.field) for p in problems}),
        progress=progress(instrument, draft.answers),
        current_step="review",
        page_count=len(all_pages),
        revision=draft.revision,
        notice=notice,
    )


def _page_of(all_pages: list[Page], field: str) -> int:
    key = field.split("/", 1)[0]
    return next((p.number for p in all_pages if key in p.keys), 1)


@router.get("/review")
def review(request: Request, who: InviteeDep, ctx: CtxDep) -> Response:
    draft = who.current
    if draft.status.is_final():
        return _to(who, "/receipt")
    notice = (
        "Your answers changed in another window since this page was shown. "
        "Check them below, then submit again."
        if request.query_params.get("changed")
        else ""
    )
    return _render_review(request, ctx, who, draft, notice=notice)


@router.post("/submit")
async def submit(request: Request, who: PosterDep, ctx: CtxDep) -> Response:
    form = await request.form()
    instrument = ctx.instrument()

    def write() -> str:
        return ctx.store.write(
            lambda s: (
                submit_response(
                    s, who.organisation_id, instrument, base_revision=_int(form.get("revision"), -1)
                ).outcome
            ),
            shared=True,
        )

    outcome = await run_in_threadpool(write)
    if outcome in ("submitted", "already"):
        return _to(who, "/receipt")
    if outcome == "changed":
        return _to(who, "/review?changed=1")
    draft = await run_in_threadpool(_draft, ctx, who.organisation_id)
    return _render_review(request, ctx, who, draft, status_code=422)


@router.get("/receipt")
def receipt(request: Request, who: InviteeDep, ctx: CtxDep) -> Response:
    draft = who.current
    if not draft.status.is_final():
        return _to(who)
    instrument = ctx.instrument()
    return ctx.render(
        request,
        "survey_receipt.html",
        who=who,
        instrument=instrument,
        sections=answer_sections(instrument, pages(instrument), draft.answers),
        submitted_at=draft.submitted_at,
        receipt=draft.receipt,
    )
