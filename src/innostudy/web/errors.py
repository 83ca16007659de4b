"""Exceptions a handler raises to end a request with a proper page, and their handlers."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from innostudy.errors import BusyError, ConflictError, DatabaseUnavailable, NotFoundError
from innostudy.storage.db_errors import is_busy, is_unavailable
from innostudy.web.context import WebContext

UNAVAILABLE_RETRY_S = 30
BUSY_RETRY_S = 5
UNAVAILABLE = (
    "The study's database cannot be reached just now, so what you sent may not have been "
    "saved. Please try again in a minute. If you were filling in the survey, everything up to "
    "the last page you saved is kept."
)
BUSY = (
    "The study is busy: someone is importing or changing a lot of data at once, and what "
    "you sent was not saved. Please try again in a few seconds."
)
BROKEN = (
    "Something went wrong on the server and what you sent was not saved. The study team "
    "can find the details in the server log."
)


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


def wants_json(request: Request) -> bool:
    """Scripts and monitors ask for JSON; browsers (and everything else) get the page."""
    accept = request.headers.get("accept", "")
    return "json" in accept and "html" not in accept


def problem(
    request: Request,
    status: int,
    title: str,
    message: str,
    *,
    code: str,
    retry_after: int | None = None,
) -> Response:
    """The app's own error answer: the page (with the app's headers) or JSON, by Accept."""
    response: Response
    if wants_json(request):
        body: dict[str, object] = {"error": code, "title": title, "message": message}
        if retry_after is not None:
            body["retry_after"] = retry_after
        response = JSONResponse(body, status_code=status)
    else:
        response = _ctx(request).render(request, "error.html", status, title=title, message=message)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def unavailable(request: Request) -> Response:
    return problem(
        request,
        503,
        "Temporarily unavailable",
        UNAVAILABLE,
        code="database_unavailable",
        retry_after=UNAVAILABLE_RETRY_S,
    )


def busy(request: Request) -> Response:
    return problem(request, 503, "Busy", BUSY, code="busy", retry_after=BUSY_RETRY_S)


def server_error(request: Request) -> Response:
    return problem(request, 500, "Server error", BROKEN, code="server_error")


def install(app: FastAPI) -> None:
    @app.exception_handler(DatabaseUnavailable)
    async def database_unavailable(request: Request, exc: DatabaseUnavailable) -> Response:
        return unavailable(request)

    @app.exception_handler(BusyError)
    async def study_busy(request: Request, exc: BusyError) -> Response:
        return busy(request)

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> Response:
        message = "Someone changed the same thing at the same moment, so nothing was saved. "
        return problem(
            request,
            409,
            "Changed meanwhile",
            message + "Reload the page and try again.",
            code="conflict",
        )

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        # Raised outside a unit of work (which would have translated it): sorted here.
        if is_unavailable(exc):
            return unavailable(request)
        if is_busy(exc):
            return busy(request)
        return server_error(request)

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
