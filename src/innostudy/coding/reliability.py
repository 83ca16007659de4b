"""Agreement between two coders: pure functions over two equally long lists of decisions.

Each position is one unit (e.g. one segment) and holds the category each coder chose
(for one code: True if the coder applied it). Undefined results are None, never 0 or NaN.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def _check(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    if len(a) != len(b):
        raise ValueError(f"the two coders rated different numbers of units ({len(a)} and {len(b)})")
    return len(a)


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Share of units on which both coders made the same decision (0–1); None if no units."""
    n = _check(a, b)
    if n == 0:
        return None
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / n


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa: agreement beyond what each coder's own rates would give by chance.

    kappa = (p_o - p_e) / (1 - p_e), with p_e = sum over categories of the product of
    the two coders' marginal proportions. None when there are no units, or when chance
    agreement is already perfect (both coders used one and the same category throughout).
    """
    n = _check(a, b)
    if n == 0:
        return None
    observed = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in count_a.keys() | count_b.keys()) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)
