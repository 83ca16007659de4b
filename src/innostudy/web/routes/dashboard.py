"""The dashboard: response progress by organisation type, refreshed live (static/dashboard.js)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from innostudy.survey.progress import submission_times, survey_progress
from innostudy.web.charts import Bar, stacked_bars, timeline_bars
from innostudy.web.deps import CtxDep, CurrentUser, SessionDep
from innostudy.web.timeline import timeline

router = APIRouter(tags=["dashboard"])
SERIES = ("submitted", "draft", "not started")


def _progress_context(s: Session) -> dict[str, Any]:
    progress = survey_progress(s)
    arrivals = timeline(submission_times(s))
    bars = [Bar(t.label, (t.submitted, t.draft, t.invited)) for t in progress.by_type]
    return {
        "progress": progress,
        "totals": progress.totals,
        "bars_svg": stacked_bars(
            bars, SERIES, title="Responses by organisation type", ident="by-type"
        ),
        "timeline": arrivals,
        "line_svg": timeline_bars(arrivals, ident="arrivals"),
    }


@router.get("/dashboard")
def dashboard(request: Request, user: CurrentUser, ctx: CtxDep, s: SessionDep) -> Response:
    return ctx.render(request, "dashboard.html", **_progress_context(s))


@router.get("/dashboard/progress")
def progress_partial(request: Request, user: CurrentUser, ctx: CtxDep, s: SessionDep) -> Response:
    """The live part of the dashboard, for HTMX to swap in every few seconds."""
    return ctx.render(request, "_progress_panel.html", **_progress_context(s))
