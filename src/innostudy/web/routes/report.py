"""Report preview: the current report rendered from the store, shown in a sandboxed frame.

For now this is ``reporting.first_report``; the report engine (issue 7) plugs in by
replacing ``render_report_html`` and ``write_report`` (below) with its renderer.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from innostudy.areas import load_areas
from innostudy.errors import InnostudyError
from innostudy.reporting.first_report import render_first_report
from innostudy.web.context import WebContext
from innostudy.web.deps import CtxDep, Researcher
from innostudy.web.security import REPORT_PREVIEW_POLICY

router = APIRouter(prefix="/report", tags=["report"])


# The two functions below are the seam for the report engine (issue 7): they call
# ``reporting.first_report`` today; with the engine they become
# ``reporting.render.build_document`` + ``render_html`` (preview) and ``render_report``.


def render_report_html(ctx: WebContext) -> str:
    """The report as HTML, through the same renderer and personal-data gate as the CLI."""
    with tempfile.TemporaryDirectory(prefix="innostudy-preview-") as folder:
        return write_report(ctx, Path(folder))[0].read_text(encoding="utf-8")


def write_report(ctx: WebContext, out_dir: Path | None = None) -> list[Path]:
    """Render the report into ``out_dir`` (default: the study's report folder)."""
    with ctx.store.session() as s:
        path = render_first_report(
            s,
            ctx.instrument(),
            load_areas(ctx.store.setting_path("fieldwork.areas")),
            out_dir or ctx.store.path(str(ctx.store.settings["report.dir"])),
            study_name=ctx.store.settings.study_name,
            synthetic=ctx.store.settings.synthetic,
        )
    return [path]


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
