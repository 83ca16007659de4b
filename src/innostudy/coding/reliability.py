"""Inter-coder reliability: pure functions over plain values, no database.

Units are segments. A coder's judgement of a unit is the *set* of codes they applied to
it. Two views follow from that:

* **per code** — each coder either applied the code to the unit or did not (a binary
  label), which is how QDA tools usually report agreement code by code;
* **overall** — the whole set of codes is the label, so two coders agree on a segment only
  when they coded it identically (strict, and easy to explain).

Units a coder did not code at all are *missing* for that coder (not "no code"): only
units both coders looked at count for a pair, and Krippendorff's alpha handles the
gaps itself. Statistics that are undefined (no units, or no variation at all) are None.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import krippendorff
import numpy as np


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


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Nominal Krippendorff's alpha; ``data[coder][unit]`` is a label or None (missing).

    Labels may be any hashable values; they are numbered for the ``krippendorff``
    package. None when fewer than two values are pairable or there is no variation.
    """
    labels: dict[Hashable, int] = {}
    matrix = np.full((len(data), len(data[0]) if data else 0), np.nan)
    for i, row in enumerate(data):
        for j, value in enumerate(row):
            if value is not None:
                matrix[i, j] = labels.setdefault(value, len(labels))
    pairable = (np.sum(~np.isnan(matrix), axis=0) >= 2).sum() if matrix.size else 0
    if pairable == 0 or len(labels) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def _same_length(a: Sequence[Hashable], b: Sequence[Hashable]) -> None:
    if len(a) != len(b):
        raise ValueError(f"two coders must label the same units ({len(a)} vs {len(b)})")


Judgements = Mapping[str, Mapping[Hashable, frozenset[str]]]
"""coder → unit → the set of codes that coder applied to the unit."""


@dataclass(frozen=True)
class Agreement:
    """Agreement on one code (or overall): statistics over the units coders shared."""

    code: str
    units: int
    percent: float | None
    kappa: float | None  # mean over coder pairs (Cohen's kappa is for two coders)
    alpha: float | None  # Krippendorff's alpha over all coders


@dataclass(frozen=True)
class Disagreement:
    unit: Hashable
    codes: dict[str, frozenset[str]]  # coder → codes on this unit


@dataclass(frozen=True)
class ReliabilityReport:
    coders: list[str]
    overall: Agreement
    per_code: list[Agreement]
    disagreements: list[Disagreement]

    @property
    def mean_code_kappa(self) -> float | None:
        values = [a.kappa for a in self.per_code if a.kappa is not None]
        return sum(values) / len(values) if values else None


def reliability(judgements: Judgements, codes: Iterable[str] | None = None) -> ReliabilityReport:
    """Overall and per-code agreement between coders, and the units where they differ."""
    coders = sorted(judgements)
    if len(coders) < 2:
        raise ValueError("reliability needs at least two coders")
    units = sorted({u for c in coders for u in judgements[c]}, key=repr)
    all_codes = sorted(
        set(codes)
        if codes is not None
        else {k for c in coders for s in judgements[c].values() for k in s}
    )

    def labels(value_of: object) -> list[list[Hashable | None]]:
        assert callable(value_of)
        return [
            [value_of(judgements[c][u]) if u in judgements[c] else None for u in units]
            for c in coders
        ]

    overall = _agreement("(all codes)", labels(lambda s: s))
    per_code = [_agreement(code, labels(lambda s, k=code: k in s)) for code in all_codes]
    disagreements = [
        Disagreement(u, {c: judgements[c][u] for c in coders if u in judgements[c]})
        for u in units
        if len({judgements[c][u] for c in coders if u in judgements[c]}) > 1
    ]
    return ReliabilityReport(coders, overall, per_code, disagreements)


def _agreement(code: str, data: list[list[Hashable | None]]) -> Agreement:
    kappas: list[float] = []
    agreed = shared = 0
    for a, b in combinations(data, 2):
        pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
        shared = max(shared, len(pairs))
        agreed += sum(x == y for x, y in pairs)
        kappa = cohen_kappa([x for x, _ in pairs], [y for _, y in pairs])
        if kappa is not None:
            kappas.append(kappa)
    pair_units = sum(
        sum(x is not None and y is not None for x, y in zip(a, b, strict=True))
        for a, b in combinations(data, 2)
    )
    return Agreement(
        code=code,
        units=shared,
        percent=agreed / pair_units if pair_units else None,
        kappa=sum(kappas) / len(kappas) if kappas else None,
        alpha=krippendorff_alpha(data),
    )
