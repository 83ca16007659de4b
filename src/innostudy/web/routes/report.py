"""Report preview and rendering, through the same engine and personal-data gate as the CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from innostudy.errors import InnostudyError
from innostudy.reporting.outline import study_outline
from innostudy.reporting.render import (
    build_document,
    parse_formats,
    render_report,
)
from innostudy.reporting.render_html import render_html
from innostudy.web.context import WebContext
from innostudy.web.deps import CtxDep, Researcher
from innostudy.web.security import REPORT_PREVIEW_POLICY

router = APIRouter(prefix="/report", tags=["report"])


def render_report_html(ctx: WebContext) -> str:
    """The report as HTML, composed from the store; nothing is written."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    document, personal = build_document(ctx.store, study_outline(ctx.store)[0], stamp)
    html = render_html(document)
    personal.check(html, "report preview")
    return html


def write_report(ctx: WebContext) -> list[Path]:
    """Render the report in the study's formats into its report folder."""
    formats = parse_formats(str(ctx.store.settings["report.formats"]))
    return list(render_report(ctx.store, formats).paths.values())


@router.get("")
def report_page(request: Request, user: Researcher, ctx: CtxDep) -> Response:
    return ctx.render(request, "report.html", saved=request.query_params.get("saved"))


@router.get("/preview")
def preview(user: Researcher, ctx: CtxDep) -> Response:
    try:
        html = render_report_html(ctx)
    except InnostudyError as exc:
        html = f"<!doctype html><title>Report not ready</title><p>{escape(str(exc))}</p>"
    return HTMLResponse(
        html,
        headers={"Content-Security-Policy": REPORT_PREVIEW_POLICY, "X-Frame-Options": "SAMEORIGIN"},
    )


@router.post("/render")
def render(request: Request, user: Researcher, ctx: CtxDep) -> Response:
    """Write the report to the study folder, as `innostudy report` does."""
    try:
        paths = write_report(ctx)
    except InnostudyError as exc:
        return ctx.render(request, "report.html", 422, saved=None, error=str(exc))
    written = ", ".join(str(p.relative_to(ctx.store.folder)) for p in paths)
    return ctx.render(request, "report.html", saved=written)
