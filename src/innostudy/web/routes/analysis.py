"""Reliability between two coders, and the code-by-group matrix.

Both read small library functions (``coding.comparison``, ``coding.group_matrix``) built
over the pure formulas in ``coding.reliability``; no formula lives in a view.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from innostudy.coding.browse import filter_choices
from innostudy.coding.comparison import compare_coders
from innostudy.coding.group_matrix import UNIT_BASES, UNITS, check_unit, code_group_matrix
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
    coders = filter_choices(s)["coders"]
    first, second = _id(a), _id(b)
    if first is None and second is None and len(coders) >= 2:
        first, second = coders[0][0], coders[1][0]
    comparison = compare_coders(s, first, second) if first and second and first != second else None
    return ctx.render(
        request, "reliability.html", coders=coders, a=first, b=second, comparison=comparison
    )


@router.get("/matrix")
def matrix(
    request: Request, user: CurrentUser, ctx: CtxDep, s: SessionDep, unit: str = "turn"
) -> Response:
    counted = unit if unit in UNITS else "turn"
    data = code_group_matrix(s, unit=check_unit(counted))
    peak = max((n for row in data.rows for n in row.counts), default=0) or 1
    return ctx.render(
        request,
        "matrix.html",
        matrix=data,
        peak=peak,
        base=UNIT_BASES[counted],
        units=[(u, f"{UNIT_BASES[u][0].upper()}{UNIT_BASES[u][1:]}") for u in UNITS],
    )
