"""Focus groups and their sessions; participant contacts for researchers only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markdown_it import MarkdownIt
from markupsafe import Markup

from innostudy.coding.coded import study_main_coding
from innostudy.discussion.overview import SessionDiscussion, session_discussion
from innostudy.discussion.turns import PARTICIPANT
from innostudy.fieldwork.overview import (
    group_detail,
    list_groups,
    participant_contacts,
    session_detail,
)
from innostudy.model import Stance
from innostudy.web.charts import TalkSpan, talk_timeline
from innostudy.web.deps import CtxDep, CurrentUser, Researcher, RowId, SessionDep
from innostudy.web.errors import NotFound
from innostudy.wording import counted

router = APIRouter(tags=["fieldwork"])
# Session notes are Markdown written by the team; raw HTML in them is shown as text.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


@router.get("/groups")
def groups(request: Request, user: CurrentUser, ctx: CtxDep, s: SessionDep) -> Response:
    return ctx.render(request, "groups.html", groups=list_groups(s))


@router.get("/groups/{group_id}")
def group(
    request: Request, group_id: RowId, user: CurrentUser, ctx: CtxDep, s: SessionDep
) -> Response:
    row = group_detail(s, group_id)
    if row is None:
        raise NotFound()
    return ctx.render(request, "group.html", group=row)


@router.get("/groups/{group_id}/contacts")
def contacts(
    request: Request, group_id: RowId, user: Researcher, ctx: CtxDep, s: SessionDep
) -> Response:
    row = group_detail(s, group_id)
    if row is None:
        raise NotFound()
    return ctx.render(
        request, "group_contacts.html", group=row, contacts=participant_contacts(s, group_id)
    )


@router.get("/sessions/{session_id}")
def session_page(
    request: Request, session_id: RowId, user: CurrentUser, ctx: CtxDep, s: SessionDep
) -> Response:
    row = session_detail(s, session_id)
    if row is None:
        raise NotFound()
    private = ctx.privacy(request)
    notes = Markup(_markdown.render(private(row.notes_md))) if row.notes_md else ""
    return ctx.render(request, "session.html", session=row, notes=notes, private=private)


@router.get("/sessions/{session_id}/discussion")
def discussion_page(
    request: Request, session_id: RowId, user: CurrentUser, ctx: CtxDep, s: SessionDep
) -> Response:
    """How the session's discussion went: talk, themes as they appeared, stances."""
    row = session_detail(s, session_id)
    if row is None:
        raise NotFound()
    main = study_main_coding(s, ctx.store.settings)  # what every view counts
    view = session_discussion(s, session_id, coders=main.coders)
    chart = _talk_chart(view) if view.talk is not None else ""
    return ctx.render(
        request, "discussion.html", session=row, view=view, chart=chart, stance=Stance
    )


def _talk_chart(view: SessionDiscussion) -> Markup:
    """The talk timeline: on the clock when every turn has a time, else in turn order."""
    assert view.talk is not None
    talk = view.talk
    timed = all(t.start_ms is not None for t in view.turns)
    quiet = set(talk.near_silent)
    spans = []
    for i, t in enumerate(view.turns):
        start = float(t.start_ms or 0) if timed else float(i)
        length = float(t.length_ms or 0) if timed else 1.0
        when = _clock(t.start_ms) if t.start_ms is not None else f"turn {i + 1}"
        spans.append(
            TalkSpan(
                t.speaker,
                start,
                length,
                f"{t.speaker}, {when}: {counted(t.words, 'word')}",
                quiet=t.speaker in quiet,
                moderator=t.role != PARTICIPANT,
            )
        )
    speakers = [p.speaker for p in (*talk.participants, *talk.others)]
    end = max((s.start + s.length for s in spans), default=0.0)
    axis = f"{_clock(int(end))} (h:mm:ss)" if timed else f"turn {len(spans)}"
    return talk_timeline(spans, speakers, title="Who spoke when", axis=axis)


def _clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
