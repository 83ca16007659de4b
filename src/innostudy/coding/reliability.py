"""Inter-coder reliability as a methods section reports it: pure functions, no database.

Units are segments. A coder's judgement of a unit is the *set* of codes they applied.

* **Which units count.** Only units that two or more coders judged (double coding a
  sample is the normal case); a unit one coder never saw is *missing* for that coder,
  not "no code". Units that every coder who saw them left uncoded are reported apart
  and left out of every figure: agreeing that small talk has no code would inflate
  agreement without saying anything about the codes.
* **Per code** each coder either applied the code to a unit or did not (a yes/no
  judgement), as QDA tools report agreement code by code; **overall** the whole set of
  codes is the label, so coders agree on a unit only if they coded it identically.
* **Figures**: percent agreement, Cohen's kappa (Light's mean over pairs beyond two
  coders), Krippendorff's alpha and Gwet's AC1 (``coding.agreement``), the code's
  prevalence (share of judgements applying it) and how many units were double-coded.
  Any of them that cannot be computed carries the reason.
* **Disagreements** are listed per code, in codebook order, then by position in the
  transcripts, so a coding team can go through them code by code.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from innostudy.coding.agreement import (
    Coefficient,
    alpha,
    cohen_kappa,
    gwet_ac1,
    kappa,
    krippendorff_alpha,
    percent,
    percent_agreement,
)

__all__ = [
    "Agreement",
    "Disagreement",
    "Judgements",
    "ReliabilityReport",
    "cohen_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability",
]

Judgements = Mapping[str, Mapping[Hashable, frozenset[str]]]
"""coder → unit → the set of codes that coder applied to the unit."""

OVERALL = "(all codes)"


@dataclass(frozen=True)
class Agreement:
    """Agreement on one code (or overall) over the double-coded units."""

    code: str
    units: int  # double-coded units the figures rest on
    applied: dict[str, int]  # coder → units they applied the code to (overall: coded at all)
    neither: int  # units where no coder applied this code (someone applied another)
    prevalence: float | None  # share of judgements applying the code (None overall)
    percent: Coefficient
    kappa: Coefficient
    alpha: Coefficient
    ac1: Coefficient


@dataclass(frozen=True)
class Disagreement:
    code: str
    unit: Hashable
    applied_by: list[str]
    not_by: list[str]
    codes: dict[str, frozenset[str]]  # coder → every code they applied to the unit


@dataclass(frozen=True)
class ReliabilityReport:
    coders: list[str]
    double_coded: int  # units two or more coders judged, with at least one code among them
    uncoded: int  # units two or more coders judged and nobody coded (left out)
    single: int  # units only one coder judged (left out)
    overall: Agreement
    per_code: list[Agreement]
    disagreements: list[Disagreement]

    def not_computable(self) -> list[tuple[str, str, str]]:
        """(code, coefficient, reason) for every figure that has no value."""
        return [
            (a.code, name, c.reason)
            for a in [self.overall, *self.per_code]
            for name, c in (("kappa", a.kappa), ("alpha", a.alpha), ("AC1", a.ac1))
            if c.value is None
        ]

    @property
    def mean_code_kappa(self) -> float | None:
        values = [a.kappa.value for a in self.per_code if a.kappa.value is not None]
        return float(np.mean(values)) if values else None


def reliability(
    judgements: Judgements,
    codes: Iterable[str] | None = None,
    *,
    position: Callable[[Hashable], Any] | None = None,
) -> ReliabilityReport:
    """Overall and per-code agreement between coders, and where they differ.

    ``codes`` fixes which codes are reported and in what order (default: every code
    used, sorted); ``position`` gives a unit's place for sorting disagreements (default:
    the unit itself).
    """
    coders = sorted(judgements)
    if len(coders) < 2:
        raise ValueError("reliability needs at least two coders")
    seen = {u for c in coders for u in judgements[c]}
    place: Callable[[Hashable], Any] = position or _itself
    judged = sorted((u for u in seen if _judges(judgements, coders, u) >= 2), key=place)
    units = [u for u in judged if any(judgements[c].get(u) for c in coders)]
    used = {k for c in coders for u in units for k in judgements[c].get(u, frozenset())}
    order = list(codes) if codes is not None else sorted(used)
    matrix = [[judgements[c].get(u) for u in units] for c in coders]
    overall = _agreement(OVERALL, coders, matrix, _itself, None)
    per_code = [_agreement(code, coders, matrix, _has(code), [False, True]) for code in order]
    return ReliabilityReport(
        coders=coders,
        double_coded=len(units),
        uncoded=len(judged) - len(units),
        single=len(seen) - len(judged),
        overall=overall,
        per_code=per_code,
        disagreements=_disagreements(judgements, coders, units, order),
    )


def _itself(value: Any) -> Any:
    return value


def _has(code: str) -> Callable[[frozenset[str]], Hashable]:
    return lambda codes: code in codes


def _judges(judgements: Judgements, coders: list[str], unit: Hashable) -> int:
    return sum(unit in judgements[c] for c in coders)


def _agreement(
    code: str,
    coders: list[str],
    matrix: list[list[frozenset[str] | None]],
    label: Callable[[frozenset[str]], Hashable],
    categories: list[Hashable] | None,
) -> Agreement:
    data: list[list[Hashable | None]] = [
        [None if s is None else label(s) for s in row] for row in matrix
    ]
    overall = categories is None
    applied = {
        coder: sum(1 for v in row if (bool(v) if overall else v is True))
        for coder, row in zip(coders, data, strict=True)
    }
    columns = list(zip(*data, strict=True)) if data and data[0] else []
    judgements = [v for column in columns for v in column if v is not None]
    neither = sum(1 for column in columns if not any(v is True for v in column))
    return Agreement(
        code=code,
        units=len(columns),
        applied=applied,
        neither=0 if overall else neither,
        prevalence=None
        if overall or not judgements
        else sum(v is True for v in judgements) / len(judgements),
        percent=percent(data) if columns else Coefficient(None, "no double-coded units"),
        kappa=_or_none(kappa, data, columns),
        alpha=_or_none(alpha, data, columns),
        ac1=gwet_ac1(data, categories) if columns else Coefficient(None, "no double-coded units"),
    )


def _or_none(
    statistic: Callable[[list[list[Hashable | None]]], Coefficient],
    data: list[list[Hashable | None]],
    columns: list[Any],
) -> Coefficient:
    if not columns:
        return Coefficient(None, "no double-coded units")
    result = statistic(data)
    if result.value is None and all(v in (None, False) for row in data for v in row):
        return Coefficient(None, "no coder applied this code to a double-coded unit")
    return result


def _disagreements(
    judgements: Judgements, coders: list[str], units: list[Hashable], order: list[str]
) -> list[Disagreement]:
    out = []
    for code in order:
        for unit in units:
            saw = [c for c in coders if unit in judgements[c]]
            yes = [c for c in saw if code in judgements[c][unit]]
            if yes and len(yes) < len(saw):
                out.append(
                    Disagreement(
                        code,
                        unit,
                        yes,
                        [c for c in saw if c not in yes],
                        {c: judgements[c][unit] for c in saw},
                    )
                )
    return out
