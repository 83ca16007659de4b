"""The coding workbench: transcripts, applying codes to spans, memos, extracts, suggestions.

Every role may code. A withdrawn participant's turns are listed without their words and
cannot be coded; suggestions on them are not offered (``coding.browse`` decides).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from innostudy.coding.auto.embeddings import encoder_from_env
from innostudy.coding.auto.suggest import LONG_TURN_WORDS, suggest_codes
from innostudy.coding.browse import (
    CodingFilter,
    SegmentView,
    filter_choices,
    find_codings,
    open_suggestion,
    open_suggestion_count,
    suggestion_queue,
    transcripts_for_coding,
    usable_segment,
    workbench,
)
from innostudy.coding.codebook import study_codebook
from innostudy.coding.manual import (
    apply_code,
    person_coder,
    remove_coding,
    review_suggestion,
    set_memo,
    set_stance,
)
from innostudy.coding.spans import sentence_spans
from innostudy.errors import InputError, NotFoundError
from innostudy.model import Code, CodeStatus, Coding, CodingStatus, Stance, User
from innostudy.web.context import WebContext
from innostudy.web.deps import MAX_ID, CtxDep, CurrentUser, RowId, SessionDep, Viewer
from innostudy.web.deps import query_id as _id
from innostudy.web.errors import Forbidden, NotFound
from innostudy.web.highlight import Span, pieces
from innostudy.web.schemas import CodingCreate, MemoUpdate, StanceUpdate, SuggestionReview

router = APIRouter(prefix="/coding", tags=["coding"])


def _segment_context(segment: SegmentView) -> dict[str, Any]:
    if segment.text is None:
        return {"segment": segment, "pieces": [], "sentences": [], "long_turn": LONG_TURN_WORDS}
    spans = [
        Span(
            c.start,
            c.end,
            c.code_id,
            f"{c.code_name} ({c.coder_name}{', suggested' if c.status == 'suggested' else ''})",
            c.status == "suggested",
        )
        for c in segment.codings
    ]
    return {
        "segment": segment,
        "pieces": pieces(segment.text, spans),
        "sentences": sentence_spans(segment.text),
        "long_turn": LONG_TURN_WORDS,
    }


def _codes(s: Session) -> list[Code]:
    try:
        book = study_codebook(s)
    except NotFoundError:
        return []
    return [c for c in book.codes if c.status is CodeStatus.ACTIVE]


@router.get("")
def transcripts(
    request: Request, user: CurrentUser, ctx: CtxDep, s: SessionDep, group: str | None = None
) -> Response:
    return ctx.render(
        request,
        "coding_index.html",
        transcripts=transcripts_for_coding(s, group_id=_id(group)),
        choices=filter_choices(s),
        group=_id(group),
    )


@router.get("/codes.css")
def codes_css(ctx: CtxDep, s: SessionDep, user: CurrentUser) -> Response:
    """Highlight colours per code, as a stylesheet (inline styles are barred by the CSP)."""
    rules = [
        f".seg-text mark.code-{c.id} {{ border-bottom-color: {c.colour}; }}\n"
        for c in _codes(s)
        if c.colour
    ]
    return Response("".join(rules), media_type="text/css", headers={"Cache-Control": "no-cache"})


@router.get("/transcripts/{transcript_id}")
def transcript(
    request: Request,
    transcript_id: RowId,
    user: CurrentUser,
    ctx: CtxDep,
    s: SessionDep,
    coder: str | None = None,
    code: str | None = None,
) -> Response:
    view = workbench(s, transcript_id, coder_id=_id(coder), code_id=_id(code))
    if view is None:
        raise NotFound()
    return ctx.render(
        request,
        "workbench.html",
        view=view,
        segments=[_segment_context(seg) for seg in view.segments],
        codes=_codes(s),
        choices=filter_choices(s),
        coder=_id(coder),
        code=_id(code),
    )


def _code(s: Session, data: CodingCreate) -> Code | None:
    if data.code_id is not None:
        code: Code | None = s.get(Code, data.code_id) if 1 <= data.code_id <= MAX_ID else None
        return code
    key = (data.code_key or "").strip()
    return next((c for c in _codes(s) if c.key == key), None)


def _user(s: Session, viewer: Viewer) -> User:
    user = s.get(User, viewer.id)
    assert user is not None
    return user


@router.post("/segments/{segment_id}/codings")
def add_coding(
    request: Request,
    segment_id: RowId,
    user: CurrentUser,
    ctx: CtxDep,
    data: Annotated[CodingCreate, Form()],
) -> Response:
    with ctx.store.write_session() as s:
        segment = usable_segment(s, segment_id)
        code = _code(s, data)
        if segment is None or code is None or code.status is not CodeStatus.ACTIVE:
            raise NotFound("That turn or code does not exist, or the speaker withdrew.")
        try:
            coding = apply_code(
                s,
                segment,
                code,
                person_coder(s, _user(s, user)),
                data.start,
                data.end,
                memo=data.memo,
            )
        except InputError as exc:
            return ctx.render(request, "error.html", 422, title="Not applied", message=str(exc))
        transcript_id = segment.transcript_id
        coding_id = coding.id
    if request.headers.get("hx-request"):
        return _segment_fragment(request, ctx, transcript_id, segment_id)
    return RedirectResponse(
        f"/coding/transcripts/{transcript_id}?added={coding_id}#seg-{segment_id}", status_code=303
    )


def _segment_fragment(
    request: Request, ctx: WebContext, transcript_id: int, segment_id: int
) -> Response:
    with ctx.store.session() as s:
        view = workbench(s, transcript_id)
        assert view is not None
        segment = next(seg for seg in view.segments if seg.id == segment_id)
        return ctx.render(request, "_segment.html", codes=_codes(s), **_segment_context(segment))


def _own_coding(s: Session, coding_id: RowId, viewer: Viewer) -> Coding:
    coding: Coding | None = s.get(Coding, coding_id)
    if coding is None or usable_segment(s, coding.segment_id) is None:
        raise NotFound()
    if coding.coder.user_id != viewer.id and not viewer.can_edit_study:
        raise Forbidden("You can change only your own codings.")
    return coding


@router.post("/codings/{coding_id}/memo")
def memo(
    request: Request,
    coding_id: RowId,
    user: CurrentUser,
    ctx: CtxDep,
    data: Annotated[MemoUpdate, Form()],
) -> Response:
    with ctx.store.write_session() as s:
        coding = _own_coding(s, coding_id, user)
        set_memo(s, coding, data.memo, actor=user.username)
        target = f"/coding/transcripts/{coding.segment.transcript_id}#seg-{coding.segment_id}"
    return RedirectResponse(target, status_code=303)


@router.post("/codings/{coding_id}/stance")
def stance(
    request: Request,
    coding_id: RowId,
    user: CurrentUser,
    ctx: CtxDep,
    data: Annotated[StanceUpdate, Form()],
) -> Response:
    """Set how a coded turn stands toward its theme (``set_stance``: audited, and only on
    a person's accepted coding)."""
    with ctx.store.write_session() as s:
        coding = _own_coding(s, coding_id, user)
        transcript_id, segment_id = coding.segment.transcript_id, coding.segment_id
        try:
            set_stance(s, coding, Stance(data.stance) if data.stance else None, actor=user.username)
        except InputError as exc:
            raise Forbidden(exc.problem.message) from exc
    if request.headers.get("hx-request"):
        return _segment_fragment(request, ctx, transcript_id, segment_id)
    return RedirectResponse(
        f"/coding/transcripts/{transcript_id}#seg-{segment_id}", status_code=303
    )


@router.post("/codings/{coding_id}/remove")
def remove(request: Request, coding_id: RowId, user: CurrentUser, ctx: CtxDep) -> Response:
    with ctx.store.write_session() as s:
        coding = _own_coding(s, coding_id, user)
        transcript_id, segment_id = coding.segment.transcript_id, coding.segment_id
        remove_coding(s, coding, actor=user.username)
    if request.headers.get("hx-request"):
        return _segment_fragment(request, ctx, transcript_id, segment_id)
    return RedirectResponse(
        f"/coding/transcripts/{transcript_id}#seg-{segment_id}", status_code=303
    )


@router.post("/segments/{segment_id}/suggest")
def suggest_sentences(
    request: Request, segment_id: RowId, user: CurrentUser, ctx: CtxDep
) -> Response:
    """The model reads one long turn sentence by sentence and suggests codes on spans."""
    encoder = encoder_from_env()
    with ctx.store.write_session() as s:
        segment = usable_segment(s, segment_id)
        if segment is None:
            raise NotFound("That turn does not exist, or the speaker withdrew.")
        transcript_id = segment.transcript_id
        suggest_codes(s, encoder, segment_ids=[segment_id], min_words=1, by_sentence=True)
    return RedirectResponse(
        f"/coding/transcripts/{transcript_id}#seg-{segment_id}", status_code=303
    )


@router.get("/codings")
def extracts(
    request: Request,
    user: CurrentUser,
    ctx: CtxDep,
    s: SessionDep,
    group: str | None = None,
    code: str | None = None,
    coder: str | None = None,
    status: str | None = None,
) -> Response:
    chosen = next((st for st in CodingStatus if st.value == status), None)
    where = CodingFilter(group_id=_id(group), code_id=_id(code), coder_id=_id(coder), status=chosen)
    return ctx.render(
        request,
        "extracts.html",
        codings=find_codings(s, where),
        choices=filter_choices(s),
        where=where,
        statuses=[(st.value, st.value) for st in CodingStatus],
    )


@router.get("/suggestions")
def suggestions(
    request: Request,
    user: CurrentUser,
    ctx: CtxDep,
    s: SessionDep,
    group: str | None = None,
    code: str | None = None,
    transcript: str | None = None,
) -> Response:
    where = CodingFilter(group_id=_id(group), code_id=_id(code), transcript_id=_id(transcript))
    queue = suggestion_queue(s, where)
    return ctx.render(
        request,
        "suggestions.html",
        queue=queue,
        choices=filter_choices(s),
        where=where,
        reviewed=request.query_params.get("reviewed"),
    )


def _queue_left(ctx: WebContext, page_url: str) -> int | None:
    """Open suggestions left in the queue page the verdict came from (with its filters),
    so its count follows every review, by key or by mouse; None from other pages."""
    page = urlsplit(page_url)
    if page.path != "/coding/suggestions":
        return None
    query = {k: v[0] for k, v in parse_qs(page.query).items()}
    where = CodingFilter(
        group_id=_id(query.get("group")),
        code_id=_id(query.get("code")),
        transcript_id=_id(query.get("transcript")),
    )
    with ctx.store.session() as s:
        return open_suggestion_count(s, where)


@router.post("/suggestions/{coding_id}/review")
def review(
    request: Request,
    coding_id: RowId,
    user: CurrentUser,
    ctx: CtxDep,
    data: Annotated[SuggestionReview, Form()],
) -> Response:
    accept = data.verdict == "accept"
    with ctx.store.write_session() as s:
        suggestion = open_suggestion(s, coding_id)
        if suggestion is None:
            raise NotFound("This suggestion was already reviewed, or its speaker withdrew.")
        review_suggestion(s, suggestion, person_coder(s, _user(s, user)), accept=accept)
    verdict = "accepted" if accept else "rejected"
    if request.headers.get("hx-request"):
        return ctx.render(
            request,
            "_reviewed.html",
            coding_id=coding_id,
            verdict=verdict,
            open_count=_queue_left(ctx, request.headers.get("hx-current-url", "")),
        )
    return RedirectResponse(f"/coding/suggestions?reviewed={verdict}", status_code=303)
