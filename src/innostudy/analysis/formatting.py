"""How figures are written for people: one set of rules for slides, handout and report.

Percentages are whole numbers: with about a hundred organisations a decimal place
claims a precision the data do not have. Intervals are written "17–33%". Tests format
their independently recomputed values with these same functions, and the functions
themselves are pinned by examples.
"""

from __future__ import annotations

import math

MISSING = "–"


def _finite(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def pct(value: float | None) -> str:
    """37.4 → "37%"; None → "–"."""
    return f"{value:.0f}%" if _finite(value) else MISSING


def ci(low: float | None, high: float | None) -> str:
    """(17.2, 33.4) → "17–33%"."""
    if not (_finite(low) and _finite(high)):
        return MISSING
    return f"{low:.0f}–{high:.0f}%"


def number(value: float | None, decimals: int = 1) -> str:
    """A measured number: whole numbers without decimals, others with ``decimals``."""
    if not _finite(value):
        return MISSING
    assert value is not None
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{decimals}f}"


def count(value: int | None) -> str:
    return MISSING if value is None else f"{value:,}"


def p_value(value: float | None) -> str:
    """p-values to three decimals, and "<0.001" below that."""
    if not _finite(value):
        return MISSING
    assert value is not None
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def months(value: float | None) -> str:
    """6 → "6 months", 1 → "1 month", 6.5 → "6.5 months"."""
    if not _finite(value):
        return MISSING
    return f"{number(value)} month{'' if value == 1 else 's'}"


TEST_NAMES = {
    "chi_square": "chi-square test",
    "fisher_exact": "Fisher's exact test",
    "monte_carlo": "chi-square test (Monte-Carlo p-value)",
}


def test_result(test: str, p: float | None, p_holm: float | None) -> str:
    """ "chi-square test p = 0.012 (Holm-adjusted 0.204)": the adjusted value is the one to
    judge by, since many cross-tabs are tested at once."""
    name = TEST_NAMES.get(test, test)
    return f"{name} p = {p_value(p)} (Holm-adjusted {p_value(p_holm)})"
