"""Signing in and out."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from innostudy.accounts import authenticate, end_session, start_session
from innostudy.web.deps import CtxDep, client_address
from innostudy.web.errors import Throttled
from innostudy.web.security import csrf_token, new_seed

router = APIRouter(tags=["auth"])


def _safe_next(value: str | None) -> str:
    """Only a path on this site: never //host or a scheme, so login cannot redirect away."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/dashboard"
    return value


def _login_page(
    request: Request,
    ctx: CtxDep,
    *,
    next_path: str,
    error: str = "",
    status_code: int = 200,
    username: str = "",
) -> Response:
    seed = request.cookies.get(ctx.seed_cookie) or new_seed()
    response = ctx.render(
        request,
        "login.html",
        status_code,
        csrf_token=csrf_token(ctx.settings.secret, f"a:{seed}"),
        next_path=next_path,
        error=error,
        username=username,
    )
    ctx.set_cookie(response, ctx.seed_cookie, seed, max_age=None)
    return response


@router.get("/login")
def login_form(request: Request, ctx: CtxDep, next: str | None = None) -> Response:
    return _login_page(request, ctx, next_path=_safe_next(next))


@router.post("/login")
def login(
    request: Request,
    ctx: CtxDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/dashboard",
) -> Response:
    address = f"ip:{client_address(request)}"
    account = f"user:{username.strip().lower()}"
    for key in (address, account):
        wait = ctx.login_throttle.retry_after(key)
        if wait is not None:
            raise Throttled(wait)
    with ctx.store.session() as s:
        user = authenticate(s, username, password)
        login = (
            start_session(s, user, lifetime=timedelta(hours=ctx.settings.session_hours))
            if user
            else None
        )
    if login is None:
        ctx.login_throttle.fail(address)
        ctx.login_throttle.fail(account)
        return _login_page(
            request,
            ctx,
            next_path=_safe_next(next),
            error="The user name or password is not right.",
            status_code=401,
            username=username,
        )
    ctx.login_throttle.reset(account)
    response = RedirectResponse(_safe_next(next), status_code=303)
    ctx.set_cookie(
        response, ctx.session_cookie, login.token, max_age=ctx.settings.session_hours * 3600
    )
    response.delete_cookie(
        ctx.seed_cookie, path="/", secure=ctx.settings.cookies_secure, httponly=True, samesite="lax"
    )
    return response


@router.post("/logout")
def logout(request: Request, ctx: CtxDep) -> Response:
    token = request.cookies.get(ctx.session_cookie)
    if token:
        with ctx.store.session() as s:
            end_session(s, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        ctx.session_cookie,
        path="/",
        secure=ctx.settings.cookies_secure,
        httponly=True,
        samesite="lax",
    )
    return response
