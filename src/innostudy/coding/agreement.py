"""Agreement coefficients: pure functions over coders' labels, with reasons when undefined.

Data are ``data[coder][unit]``: a label (any hashable value) or None when that coder did
not judge that unit. Every coefficient uses only units judged by two or more coders.

* percent agreement — the share of agreeing pairs of judgements within units (for two
  coders, the share of units they labelled alike);
* Cohen's kappa — for two coders; for more, the mean over coder pairs (Light's kappa);
* Krippendorff's alpha, nominal — any number of coders, missing judgements allowed;
* Gwet's AC1 — chance agreement from how often each category is used, which stays
  stable when one category is rare (where kappa drops sharply; Gwet 2008).

A coefficient that cannot be computed says why (:class:`Coefficient`), instead of
returning NaN: a table with "not computable: every judgement was the same" can be read
and reported; NaN cannot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

import krippendorff
import numpy as np

Data = Sequence[Sequence[Hashable | None]]

NO_PAIRS = "no unit was judged by two coders"
NO_VARIATION = "every judgement was the same, so chance agreement is complete"


@dataclass(frozen=True)
class Coefficient:
    """A value, or the reason there is none."""

    value: float | None
    reason: str = ""

    def text(self, digits: int = 2) -> str:
        return (
            f"{self.value:.{digits}f}"
            if self.value is not None
            else f"not computable: {self.reason}"
        )


def _same_length(a: Sequence[Hashable], b: Sequence[Hashable]) -> None:
    if len(a) != len(b):
        raise ValueError(f"two coders must label the same units ({len(a)} vs {len(b)})")


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Share of units (0..1) on which two coders gave the same label."""
    _same_length(a, b)
    if not a:
        return None
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa for two coders' nominal labels of the same units.

    None when it is undefined: no units, or both coders used one and the same label
    everywhere (chance agreement is then 1).
    """
    _same_length(a, b)
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def _judged(data: Data) -> list[list[Hashable]]:
    """Per unit, the labels of the coders who judged it (units judged once or never dropped)."""
    units = len(data[0]) if data else 0
    out = []
    for u in range(units):
        labels = [row[u] for row in data if row[u] is not None]
        if len(labels) >= 2:
            out.append(labels)
    return out


def percent(data: Data) -> Coefficient:
    """Share of agreeing pairs of judgements within each unit, averaged over units."""
    units = _judged(data)
    if not units:
        return Coefficient(None, NO_PAIRS)
    shares = []
    for labels in units:
        counts = Counter(labels)
        r = len(labels)
        shares.append(sum(c * (c - 1) for c in counts.values()) / (r * (r - 1)))
    return Coefficient(float(np.mean(shares)))


def kappa(data: Data) -> Coefficient:
    """Cohen's kappa for two coders; the mean over pairs of coders (Light's kappa) for more."""
    values = []
    shared = False
    for a, b in combinations(data, 2):
        pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
        shared = shared or bool(pairs)
        value = cohen_kappa([x for x, _ in pairs], [y for _, y in pairs])
        if value is not None:
            values.append(value)
    if values:
        return Coefficient(float(np.mean(values)))
    return Coefficient(None, NO_VARIATION if shared else NO_PAIRS)


def krippendorff_alpha(data: Data) -> float | None:
    """Nominal Krippendorff's alpha; None where :func:`alpha` gives a reason."""
    return alpha(data).value


def alpha(data: Data) -> Coefficient:
    """Nominal Krippendorff's alpha over any number of coders, missing judgements allowed."""
    units = _judged(data)
    if not units:
        return Coefficient(None, NO_PAIRS)
    if len({label for labels in units for label in labels}) < 2:
        return Coefficient(None, NO_VARIATION)
    numbers: dict[Hashable, int] = {}
    matrix = np.full((len(data), len(data[0])), np.nan)
    for i, row in enumerate(data):
        for j, value in enumerate(row):
            if value is not None:
                matrix[i, j] = numbers.setdefault(value, len(numbers))
    value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    if np.isnan(value):
        return Coefficient(None, NO_VARIATION)
    return Coefficient(value)


def gwet_ac1(data: Data, categories: Sequence[Hashable] | None = None) -> Coefficient:
    """Gwet's AC1 for any number of coders with missing judgements (Gwet 2014, ch. 2).

    ``categories`` are the labels a coder could have used (for a yes/no judgement, both,
    even if nobody said yes); by default the labels that occur.
    """
    units = _judged(data)
    if not units:
        return Coefficient(None, NO_PAIRS)
    rated = [[v for v in column if v is not None] for column in zip(*data, strict=True)]
    rated = [labels for labels in rated if labels]
    cats = (
        list(categories)
        if categories is not None
        else sorted({v for labels in rated for v in labels}, key=repr)
    )
    if len(cats) < 2:
        return Coefficient(None, "only one category exists, so there is nothing to agree on")
    observed = percent(data).value
    assert observed is not None
    shares = {c: sum(labels.count(c) / len(labels) for labels in rated) / len(rated) for c in cats}
    chance = sum(p * (1 - p) for p in shares.values()) / (len(cats) - 1)
    return Coefficient((observed - chance) / (1 - chance))
