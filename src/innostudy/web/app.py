"""``create_app(settings)``: the FastAPI app over one study.

request ─> SecurityHeaders ─> verify_csrf (every route) ─> route ─> stage function
                                                              └─> Jinja template
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from innostudy.storage.health import check_health
from innostudy.storage.store import StudyStore
from innostudy.web import errors
from innostudy.web.context import InstrumentCache, WebContext
from innostudy.web.deps import verify_csrf
from innostudy.web.routes import (
    analysis,
    auth,
    coding,
    dashboard,
    fieldwork,
    organisations,
    report,
    respondent,
    users,
)
from innostudy.web.security import SecurityHeaders
from innostudy.web.settings import WebSettings

ROUTERS = (respondent, auth, dashboard, organisations, fieldwork, coding, analysis, report, users)


def app_routes() -> list[APIRoute]:
    """Every route of the app's routers (tests walk them to check each one is protected)."""
    return [r for module in ROUTERS for r in module.router.routes if isinstance(r, APIRoute)]


def create_app(settings: WebSettings, store: StudyStore | None = None) -> FastAPI:
    """The app for one study: ``store``, or the study found from $INNOSTUDY_STUDY / cwd."""
    owns = store is None
    study = store if store is not None else StudyStore.open()
    ctx = WebContext(settings, study, owns, InstrumentCache(study))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Few threads: the work is short and holds the GIL; many threads only queue on it,
        # and a writer descheduled while it holds the write lock delays every other writer.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield
        if ctx.owns_store:
            ctx.store.close()

    app = FastAPI(
        title="innostudy",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(verify_csrf)],
    )
    app.state.ctx = ctx
    app.add_middleware(
        SecurityHeaders,
        hsts=settings.cookies_secure,
        on_error=lambda scope: errors.server_error(Request(scope)),
    )
    if settings.proxies:
        # Outermost, so the client address and scheme are the real ones for everything.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.proxies)
    app.mount("/static", StaticFiles(packages=[("innostudy.web", "static")]), name="static")
    for module in (
        respondent,
        auth,
        dashboard,
        organisations,
        fieldwork,
        coding,
        analysis,
        report,
        users,
    ):
        app.include_router(module.router)
    errors.install(app)

    @app.exception_handler(RequestValidationError)
    async def not_understood(request: Request, exc: RequestValidationError) -> Response:
        if any(error["loc"][:1] == ("path",) for error in exc.errors()):
            # an id that is not a number, or one no row can have: no such page
            return ctx.render(
                request,
                "error.html",
                404,
                title="Not found",
                message="There is no page at this address.",
            )
        return ctx.render(
            request,
            "error.html",
            422,
            title="Not understood",
            message="The request was missing a field or had a value of the wrong kind.",
        )

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/dashboard", status_code=303)

    @app.get("/healthz", include_in_schema=False)
    def health() -> JSONResponse:
        """Each part of the study (database, schema, folder) and whether it works: 200 when
        all do, 503 naming the part that does not (for monitors and load balancers)."""
        state = check_health(ctx.store)
        return JSONResponse(state.as_json(), status_code=200 if state.ok else 503)

    return app


def app_from_env() -> FastAPI:
    """The app for a worker process started by uvicorn (``serve --workers N``).

    The study comes from $INNOSTUDY_STUDY (and $INNOSTUDY_DATABASE_URL), the server
    settings from $INNOSTUDY_WEB_*, exactly as the serving command resolved them.
    """
    from innostudy.web.settings import load_web_settings

    return create_app(load_web_settings())
