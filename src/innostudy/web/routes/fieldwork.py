"""Focus groups and their sessions; participant contacts for researchers only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markdown_it import MarkdownIt

from innostudy.fieldwork.overview import (
    group_detail,
    list_groups,
    participant_contacts,
    session_detail,
)
from innostudy.web.deps import CtxDep, CurrentUser, Researcher, RowId, SessionDep
from innostudy.web.errors import NotFound

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
    from markupsafe import Markup

    private = ctx.privacy(request)
    notes = Markup(_markdown.render(private(row.notes_md))) if row.notes_md else ""
    return ctx.render(request, "session.html", session=row, notes=notes, private=private)
