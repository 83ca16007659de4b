"""Facts about what the groups raised, read from the one code-by-group matrix of the main
coding: which groups raised an area most and least (as a share of their own turns, so a
talkative group does not win by talking), its commonest theme, how many people raised a
theme out of those present, and where the civil-service and comparison groups differ.
Ties are named, never broken silently.
"""

from __future__ import annotations

from innostudy.analysis import formatting
from innostudy.coding.group_matrix import MatrixColumn, MatrixRow
from innostudy.model import Sector
from innostudy.reporting.fact_context import Fact, FactContext, count, words_list
from innostudy.reporting.resolver import Unresolved


def _row(ctx: FactContext, key: str) -> MatrixRow:
    row = next((r for r in ctx.matrix.rows if r.code_key == key), None)
    if row is None:
        raise LookupError(f"no code '{key}' in the codebook (`innostudy code list-codes`)")
    return row


def _coded(ctx: FactContext, row: MatrixRow) -> None:
    if not any(row.counts):
        raise Unresolved(f"no turn has been coded '{row.code_key}' in the main coding yet")


def _pct(part: int, whole: int) -> str:
    return formatting.pct(100 * part / whole)


def _groups(ctx: FactContext) -> list[tuple[int, MatrixColumn]]:
    return [(i, c) for i, c in enumerate(ctx.matrix.columns) if c.group_id is not None and c.units]


def _extreme(ctx: FactContext, area: str, *, most: bool) -> str:
    row = _row(ctx, area)
    _coded(ctx, row)
    groups = _groups(ctx)
    if len(groups) < 2:
        raise Unresolved("fewer than two groups have analysable turns to compare")
    shares = {i: row.counts[i] / c.units for i, c in groups}
    if max(shares.values()) == min(shares.values()):
        same = formatting.pct(100 * max(shares.values()))
        raise Unresolved(f"every group gave it the same share of its turns ({same})")
    best = (max if most else min)(shares.values())
    tied = [(i, c) for i, c in groups if shares[i] == best]
    names = words_list([c.label for _, c in tied])
    if len(tied) > 1:
        return f"{names} ({formatting.pct(100 * best)} of their turns each)"
    i, c = tied[0]
    return f"{names} ({_pct(row.counts[i], c.units)} of its turns, {row.counts[i]} of {c.units})"


def _top_theme(ctx: FactContext, area: str) -> str:
    children = [r for r in ctx.matrix.rows if r.code_key.startswith(f"{area}.") and r.depth == 1]
    if not children:
        raise LookupError(f"no themes under '{area}' in the codebook")
    totals = {r.code_key: _all(ctx, r) for r in children}
    best = max(totals.values())
    if not best:
        raise Unresolved(f"no turn has been coded under '{area}' in the main coding yet")
    tied = [r.code_name for r in children if totals[r.code_key] == best]
    turns = f"{count(best)} turn{'' if best == 1 else 's'}"
    return f"{words_list(tied)} ({turns}{' each' if len(tied) > 1 else ''})"


def _all(ctx: FactContext, row: MatrixRow) -> int:
    return sum(n for n, c in zip(row.counts, ctx.matrix.columns, strict=True) if c.group_id is None)


def _sector(ctx: FactContext, sector: Sector) -> int | None:
    return next(
        (i for i, c in enumerate(ctx.matrix.columns) if c.group_id is None and c.sector is sector),
        None,
    )


def _people(ctx: FactContext, code: str) -> str:
    row = _row(ctx, code)
    present = sum(c.people for c in ctx.matrix.columns if c.group_id is None)
    if not present:
        raise Unresolved("no participant has an analysable turn yet")
    raised = sum(
        n for n, c in zip(row.people, ctx.matrix.columns, strict=True) if c.group_id is None
    )
    return f"{count(raised)} of {count(present)}"


def _turns(ctx: FactContext, code: str) -> str:
    row = _row(ctx, code)
    turns = sum(c.units for c in ctx.matrix.columns if c.group_id is None)
    if not turns:
        raise Unresolved("no participant has an analysable turn yet")
    n = _all(ctx, row)
    return f"{count(n)} turn{'' if n == 1 else 's'} ({_pct(n, turns)} of participants' turns)"


def _sector_share(ctx: FactContext, area: str, sector: Sector) -> str:
    row = _row(ctx, area)
    i = _sector(ctx, sector)
    if i is None or not ctx.matrix.columns[i].units:
        raise Unresolved(f"no {sector.label.lower()} group has analysable turns yet")
    units = ctx.matrix.columns[i].units
    return f"{_pct(row.counts[i], units)} of their turns ({row.counts[i]} of {count(units)})"


def _top_area(ctx: FactContext) -> str:
    """The area with the largest share of turns on each side; a gap when the sides differ."""
    areas = [r for r in ctx.matrix.rows if r.depth == 0]
    tops: list[str] = []
    for sector in (Sector.CIVIL_SERVICE, Sector.COMPARISON):
        i = _sector(ctx, sector)
        if i is None or not ctx.matrix.columns[i].units:
            raise Unresolved("both civil-service and comparison groups need analysable turns")
        best = max((r.counts[i] for r in areas), default=0)
        if not best:
            raise Unresolved(f"no {sector.label.lower()} turn has been coded yet")
        tops.append(words_list([r.code_name for r in areas if r.counts[i] == best]))
    if tops[0] != tops[1]:
        raise Unresolved(
            f"the civil-service groups gave most turns to {tops[0]}, "
            f"the comparison groups to {tops[1]}"
        )
    return tops[0]


def _largest_gap(ctx: FactContext, area: str) -> str:
    cs, cmp_ = _sector(ctx, Sector.CIVIL_SERVICE), _sector(ctx, Sector.COMPARISON)
    columns = ctx.matrix.columns
    if cs is None or cmp_ is None or not columns[cs].units or not columns[cmp_].units:
        raise Unresolved("both civil-service and comparison groups need analysable turns")
    children = [r for r in ctx.matrix.rows if r.code_key.startswith(f"{area}.") and r.depth == 1]
    if not children:
        raise LookupError(f"no themes under '{area}' in the codebook")

    def gap(r: MatrixRow) -> float:
        return r.counts[cs] / columns[cs].units - r.counts[cmp_] / columns[cmp_].units

    widest = max(children, key=lambda r: abs(gap(r)))
    if not any(r.counts[cs] or r.counts[cmp_] for r in children):
        raise Unresolved(f"no turn has been coded under '{area}' in the main coding yet")
    if not gap(widest):
        raise Unresolved("both sides gave every theme the same share of their turns")
    return (
        f"{widest.code_name}: {_pct(widest.counts[cs], columns[cs].units)} of civil-service "
        f"turns against {_pct(widest.counts[cmp_], columns[cmp_].units)} of comparison-group turns"
    )


THEME_FACTS: tuple[Fact, ...] = (
    Fact(
        "themes.<area>.most_raised_by",
        "the group that gave the area the largest share of its turns",
        "Senior civil servants (16% of its turns, 34 of 210)",
        lambda c, area: _extreme(c, area, most=True),
    ),
    Fact(
        "themes.<area>.least_raised_by",
        "the group that gave the area the smallest share of its turns",
        "Business group (4% of its turns, 9 of 225)",
        lambda c, area: _extreme(c, area, most=False),
    ),
    Fact(
        "themes.<area>.top_theme",
        "the area's theme raised in the most turns",
        "Risk and blame (64 turns)",
        lambda c, area: _top_theme(c, area),
    ),
    Fact(
        "themes.<code>.people",
        "participants who raised a theme (or area) out of those present",
        "9 of 52",
        lambda c, code: _people(c, code),
    ),
    Fact(
        "themes.<code>.turns",
        "turns coded with a theme (or area), with their share",
        "64 turns (5% of participants' turns)",
        lambda c, code: _turns(c, code),
    ),
    Fact(
        "comparison.<area>.civil_service",
        "the share of civil-service turns on the area",
        "12% of their turns (50 of 412)",
        lambda c, area: _sector_share(c, area, Sector.CIVIL_SERVICE),
    ),
    Fact(
        "comparison.<area>.comparison",
        "the share of comparison-group turns on the area",
        "9% of their turns (51 of 560)",
        lambda c, area: _sector_share(c, area, Sector.COMPARISON),
    ),
    Fact(
        "comparison.top_area",
        "the area that took the largest share of turns in both the civil-service and the "
        "comparison groups (a gap when the two sides differ)",
        "Barriers and enablers",
        lambda c: _top_area(c),
    ),
    Fact(
        "comparison.<area>.largest_gap",
        "the area's theme on which the two sides differ most",
        "Risk and blame: 14% of civil-service turns against 5% of comparison-group turns",
        lambda c, area: _largest_gap(c, area),
    ),
)
