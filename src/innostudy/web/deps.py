"""Dependencies as Annotated aliases: who is asking, may they, and the study they work on.

Every request also passes ``verify_csrf`` (installed app-wide in ``create_app``), so no
form can be added without CSRF protection.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from innostudy.accounts import session_user
from innostudy.model import ResponseStatus, Role
from innostudy.survey.submission import current_response, receipt_code
from innostudy.survey.tokens import hash_token, organisation_for_token
from innostudy.web.context import WebContext
from innostudy.web.errors import CsrfFailed, Forbidden, LoginRequired, NotFound, Throttled
from innostudy.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    csrf_token,
    csrf_valid,
)


async def get_ctx(request: Request) -> WebContext:
    """Async on purpose: plain dependencies would each cost a hop to the thread pool."""
    return app_ctx(request)


def app_ctx(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


CtxDep = Annotated[WebContext, Depends(get_ctx)]


def get_session(ctx: CtxDep) -> Iterator[Session]:
    """A read transaction for a page; writes use ``ctx.store.write_session()`` explicitly."""
    with ctx.store.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


# Ids are INTEGER columns: 32-bit on PostgreSQL (SQLite's are 64-bit). A larger number can
# name no row, and handing it to the driver raises an overflow instead of finding nothing.
MAX_ID = 2**31 - 1

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A row id in a path; anything else (not a number, 0, beyond MAX_ID) is a 404 (app.py)."""


def query_id(value: str | None) -> int | None:
    """A numeric id from a query parameter; anything else (e.g. an empty filter) is None.

    A number no row can have is a 404, like a path id: the filter names nothing."""
    if not value or not value.isdigit():
        return None
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise NotFound()
    return number


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def csrf_binding(request: Request, ctx: WebContext) -> str | None:
    """What this visitor's CSRF token is bound to (see web/security.py)."""
    token = request.path_params.get("token")
    if request.url.path.startswith("/s/") and token:
        return f"s:{hash_token(str(token))}"
    login = request.cookies.get(ctx.session_cookie)
    if login and request.url.path != "/login":
        return f"u:{login}"
    seed = request.cookies.get(ctx.seed_cookie)
    return f"a:{seed}" if seed else None


def _cross_site(request: Request) -> bool:
    """True when the browser says the request came from another site or origin.

    ``Sec-Fetch-Site`` is trusted when present (only ``same-origin`` and ``none``, a
    typed address or bookmark, pass). Without it, an ``Origin`` other than ours fails.
    ``Origin: null`` is what browsers send for our own forms under
    ``Referrer-Policy: no-referrer``, so it proves nothing either way.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return False
    return origin.split("://", 1)[-1] != request.headers.get("host", "")


async def verify_csrf(request: Request) -> None:
    ctx = app_ctx(request)
    binding = csrf_binding(request, ctx)
    if binding:
        request.state.csrf = csrf_token(ctx.settings.secret, binding)
    if request.method in SAFE_METHODS:
        return
    if _cross_site(request):
        raise CsrfFailed()
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not csrf_valid(ctx.settings.secret, binding, sent):
        raise CsrfFailed()


@dataclass(frozen=True)
class Viewer:
    """The signed-in person, detached from the database session."""

    id: int
    username: str
    display_name: str
    role: Role

    @property
    def can_see_personal_data(self) -> bool:
        return self.role.can_see_personal_data()

    @property
    def can_edit_study(self) -> bool:
        return self.role.can_edit_study()

    @property
    def can_manage_users(self) -> bool:
        return self.role.can_manage_users()


def optional_viewer(request: Request, ctx: CtxDep) -> Viewer | None:
    token = request.cookies.get(ctx.session_cookie)
    if not token:
        return None
    with ctx.store.session() as s:
        user = session_user(s, token)
        viewer = Viewer(user.id, user.username, user.display_name, user.role) if user else None
    request.state.viewer = viewer
    return viewer


def current_user(
    request: Request, viewer: Annotated[Viewer | None, Depends(optional_viewer)]
) -> Viewer:
    if viewer is None:
        query = f"?{request.url.query}" if request.url.query else ""
        raise LoginRequired(request.url.path + query)
    return viewer


CurrentUser = Annotated[Viewer, Depends(current_user)]


async def researcher(user: CurrentUser) -> Viewer:
    if not user.can_see_personal_data:
        raise Forbidden("This page is for researchers; coders work on pseudonymised text only.")
    return user


async def admin(user: CurrentUser) -> Viewer:
    if not user.can_manage_users:
        raise Forbidden("Only an administrator can manage users.")
    return user


Researcher = Annotated[Viewer, Depends(researcher)]
Admin = Annotated[Viewer, Depends(admin)]


@dataclass(frozen=True)
class Draft:
    """The organisation's response as it stood when the request arrived."""

    status: ResponseStatus
    answers: dict[str, Any]
    revision: int
    submitted_at: datetime | None
    receipt: str


@dataclass(frozen=True)
class Invitee:
    """The organisation whose personal link this request came with, and its response."""

    token: str
    organisation_id: int
    organisation_name: str
    draft: Draft | None  # None where the route reads it inside its own write transaction

    @property
    def current(self) -> Draft:
        assert self.draft is not None, "this route resolved the link without its draft"
        return self.draft


def read_draft(s: Session, organisation_id: int) -> Draft:
    r = current_response(s, organisation_id)
    if r is None:
        return Draft(ResponseStatus.INVITED, {}, 0, None, "")
    receipt = receipt_code(r) if r.status.is_final() else ""
    return Draft(r.status, dict(r.answers), r.revision, r.submitted_at, receipt)


def _resolve(token: str, request: Request, ctx: WebContext, *, with_draft: bool) -> Invitee:
    address = client_address(request)
    wait = ctx.token_throttle.retry_after(address)
    if wait is not None:
        raise Throttled(wait)
    with ctx.store.session() as s:
        org = organisation_for_token(s, token)
        found = None
        if org is not None:
            draft = read_draft(s, org.id) if with_draft else None
            found = Invitee(token, org.id, org.name, draft)
    if found is None:
        ctx.token_throttle.fail(address)
        raise NotFound("This survey link is not valid. Check that the whole link was copied.")
    return found


def invitee(token: str, request: Request, ctx: CtxDep) -> Invitee:
    """Resolve a survey link, with the response as it stands (pages that show it).

    Wrong links are counted per address and then refused."""
    return _resolve(token, request, ctx, with_draft=True)


def invitee_only(token: str, request: Request, ctx: CtxDep) -> Invitee:
    """Resolve a survey link without reading the response (posts read it while writing)."""
    return _resolve(token, request, ctx, with_draft=False)


InviteeDep = Annotated[Invitee, Depends(invitee)]
PosterDep = Annotated[Invitee, Depends(invitee_only)]
