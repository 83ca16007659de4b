"""Reliability between two coders, and the code-by-group matrix.

Both read small library functions (``coding.double_coding``, ``coding.group_matrix``) built
over the pure formulas in ``coding.reliability``; no formula lives in a view.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from innostudy.coding.auto.calibration import MIN_REVIEWS
from innostudy.coding.auto.calibration_text import calibration_chart
from innostudy.coding.auto.calibration_text import summary as calibration_summary
from innostudy.coding.auto.reviews import calibration_report
from innostudy.coding.coded import study_main_coding
from innostudy.coding.double_coding import person_coders, study_reliability
from innostudy.coding.group_matrix import UNIT_BASES, UNITS, check_unit, code_group_matrix
from innostudy.coding.reliability_text import units_sentence
from innostudy.errors import InputError
from innostudy.web.deps import CtxDep, CurrentUser, SessionDep
from innostudy.web.deps import query_id as _id

router = APIRouter(prefix="/coding", tags=["analysis"])


@router.get("/reliability")
def reliability(
    request: Request,
    user: CurrentUser,
    ctx: CtxDep,
    s: SessionDep,
    a: str | None = None,
    b: str | None = None,
) -> Response:
    coders = person_coders(s)
    first, second = _id(a), _id(b)
    if first is None and second is None and len(coders) >= 2:
        first, second = coders[0][0], coders[1][0]
    names = dict(coders)
    result, problem = None, None
    if first in names and second in names and first != second:
        try:
            result = study_reliability(s, [names[first], names[second]])
        except InputError as exc:
            problem = exc.problem.message
    return ctx.render(
        request,
        "reliability.html",
        coders=coders,
        a=first,
        b=second,
        result=result,
        problem=problem,
        units=units_sentence(result) if result else "",
    )


@router.get("/calibration")
def calibration(request: Request, user: CurrentUser, ctx: CtxDep, s: SessionDep) -> Response:
    report = calibration_report(s)
    return ctx.render(
        request,
        "calibration.html",
        report=report,
        summary=calibration_summary(report),
        codes=sorted(report.thresholds.per_code.items()),
        min_reviews=MIN_REVIEWS,
    )


@router.get("/calibration.png")
def calibration_png(user: CurrentUser, ctx: CtxDep, s: SessionDep) -> Response:
    png = calibration_chart(
        calibration_report(s), synthetic=ctx.store.settings.synthetic, fmt="png"
    )
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-cache"})


@router.get("/matrix")
def matrix(
    request: Request, user: CurrentUser, ctx: CtxDep, s: SessionDep, unit: str = "turn"
) -> Response:
    counted = unit if unit in UNITS else "turn"
    data = code_group_matrix(
        s, unit=check_unit(counted), coders=study_main_coding(s, ctx.store.settings).coders
    )
    peak = max((n for row in data.rows for n in row.counts), default=0) or 1
    return ctx.render(
        request,
        "matrix.html",
        matrix=data,
        peak=peak,
        base=UNIT_BASES[counted],
        units=[(u, f"{UNIT_BASES[u][0].upper()}{UNIT_BASES[u][1:]}") for u in UNITS],
    )
