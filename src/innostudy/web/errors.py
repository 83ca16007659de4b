"""Exceptions a handler raises to end a request with a proper page, and their handlers."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from innostudy.errors import NotFoundError
from innostudy.web.context import WebContext


class LoginRequired(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class Forbidden(Exception):
    def __init__(self, message: str = "Your role does not give access to this page.") -> None:
        self.message = message


class CsrfFailed(Exception):
    pass


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after


class NotFound(Exception):
    def __init__(self, message: str = "There is no page at this address.") -> None:
        self.message = message


def _ctx(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={quote(exc.next_path, safe='/')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _ctx(request).render(
            request, "error.html", 403, title="Not allowed", message=exc.message
        )

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        message = (
            "This form could not be accepted because it did not carry a valid security "
            "token. Go back, reload the page and try again."
        )
        return _ctx(request).render(
            request, "error.html", 403, title="Form expired", message=message
        )

    @app.exception_handler(Throttled)
    async def throttled(request: Request, exc: Throttled) -> Response:
        minutes = max(1, round(exc.retry_after / 60))
        response = _ctx(request).render(
            request,
            "error.html",
            429,
            title="Too many attempts",
            message=f"Too many failed attempts from your address. Try again in about "
            f"{minutes} minute{'s' if minutes != 1 else ''}.",
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _ctx(request).render(
            request, "error.html", 404, title="Not found", message=exc.message
        )

    @app.exception_handler(NotFoundError)
    async def not_found_in_study(request: Request, exc: NotFoundError) -> Response:
        message = exc.what[:1].upper() + exc.what[1:] + "."
        return _ctx(request).render(request, "error.html", 404, title="Not found", message=message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Not allowed", 422: "Not understood"}
        return _ctx(request).render(
            request,
            "error.html",
            exc.status_code,
            title=titles.get(exc.status_code, "Error"),
            message=str(exc.detail)
            if exc.status_code != 404
            else "There is no page at this address.",
        )
