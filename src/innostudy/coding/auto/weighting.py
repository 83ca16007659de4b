"""How far accepted examples may move the codebook's scores: chosen from the examples.

The score of code c for a text x is ``zero-shot log p(c|x) + w · evidence_c(x)``, the
evidence applied only where zero-shot's best code has examples (``auto/evidence.py``:
``combine``), so codes nobody has coded keep their zero-shot results whatever ``w`` is.
``w`` is picked from a few candidates, **zero included**, by grouped cross-validation on
the accepted examples themselves: each group (transcript or session; blocks of
consecutive examples when there is one group) in turn is held out, evidence is rebuilt
from the others, and for every held-out example we note whether ``w`` made its code right
where zero-shot had it wrong, or the reverse (a paired gain).

Each code's gain counts in proportion to n/(n+2) of its n held-out examples, so one
lucky example cannot decide. A candidate must beat zero-shot by more than one standard
error of its estimated gain and pass a one-sided sign test over the examples it changed
(at least ``MIN_NET`` more set right than set wrong); candidates qualify in increasing
order only, and the smallest within a standard error of the best qualifying one is used.
Zero-shot wins otherwise. A small or skewed set of examples therefore leaves the
codebook's scores alone rather than pulling results below them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from innostudy.coding.auto.evidence import Evidence, Matrix, combine, cv_groups

CANDIDATES = (0.0, 0.25, 0.5, 1.0, 2.0)
CODE_SHRINK = 2.0
STANDARD_ERRORS = 1.0
MIN_VARIANCE = 0.25
MIN_NET = 3  # held-out examples a weight must fix, net of those it spoils
SIGN_TEST_Z = 2.33

BuildEvidence = Callable[[Matrix, Sequence[str], Sequence[Hashable]], Evidence]


@dataclass(frozen=True)
class HeldOut:
    """Cross-validated scores of the examples (for calibrating thresholds)."""

    zero_shot: Matrix  # log-probabilities, one row per example
    evidence: Matrix  # evidence built without the example's group
    present: npt.NDArray[np.bool_]  # which codes had examples when the row was held out
    labels: list[str]
    texts: list[str]

    def logits(self, weight: float) -> Matrix:
        out: Matrix = self.zero_shot.copy()
        for row in range(len(out)):
            out[row : row + 1] = combine(
                self.zero_shot[row : row + 1],
                self.evidence[row : row + 1],
                self.present[row],
                weight,
            )
        return out


@dataclass(frozen=True)
class WeightChoice:
    weight: float
    gains: dict[float, float]  # candidate → estimated gain over zero-shot, less one SE
    held_out: HeldOut | None


def choose_weight(
    codes: Sequence[str],
    zero_shot: Matrix,
    x: Matrix,
    labels: Sequence[str],
    groups: Sequence[Hashable],
    build: BuildEvidence,
    *,
    candidates: Sequence[float] = CANDIDATES,
    texts: Sequence[str] | None = None,
) -> WeightChoice:
    """The candidate weight with the best cross-validated gain over zero-shot (0 if none)."""
    y = np.array(list(labels), dtype=str)
    real = list(groups)
    folds = np.array(cv_groups(real))
    if len(set(folds)) < 2 or len(set(y)) < 2:
        return WeightChoice(0.0, {0.0: 0.0}, None)
    gain = _Gains(codes, candidates)
    evidence = np.zeros_like(zero_shot)
    present = np.zeros((len(y), len(codes)), bool)
    for fold in dict.fromkeys(folds):
        held = folds == fold
        ev = build(x[~held], list(y[~held]), _pick(real, ~held))
        evidence[held] = ev(x[held], _pick(real, held))
        present[held] = ev.present
        gain.add(zero_shot[held], evidence[held], ev.present, y[held])
    estimates = {w: gain.estimate(w) for w in candidates if w}
    gains = {0.0: 0.0, **{w: round(m - STANDARD_ERRORS * e, 6) for w, (m, e) in estimates.items()}}
    # Trust grows a step at a time: a weight counts only if every smaller one did too,
    # so a large weight cannot win on its own lucky draw.
    safe: list[float] = []
    for w in sorted(estimates):
        if not (gains[w] > 0 and gain.significant(w)):
            break
        safe.append(w)
    best = 0.0
    if safe:
        # The smallest weight whose gain is within one standard error of the best gain:
        # larger weights trust the examples more, and the estimates are noisy.
        top = max(safe, key=lambda w: estimates[w][0])
        floor = estimates[top][0] - estimates[top][1]
        best = min(w for w in safe if estimates[w][0] >= floor)
    named = list(texts) if texts is not None else [str(i) for i in range(len(y))]
    return WeightChoice(best, gains, HeldOut(zero_shot, evidence, present, list(y), named))


def _pick(items: list[Hashable], mask: npt.NDArray[np.bool_]) -> list[Hashable]:
    return [item for item, keep in zip(items, mask, strict=True) if keep]


class _Gains:
    """Per code: did weight w turn zero-shot's miss into a hit (+1), or a hit into a miss (−1)?"""

    def __init__(self, codes: Sequence[str], candidates: Sequence[float]) -> None:
        self.codes = list(codes)
        self.diffs: dict[float, dict[str, list[float]]] = {w: defaultdict(list) for w in candidates}

    def add(
        self,
        zero_shot: Matrix,
        evidence: Matrix,
        present: npt.NDArray[np.bool_],
        labels: npt.NDArray[np.str_],
    ) -> None:
        base = zero_shot.argmax(axis=1)
        for w, per_code in self.diffs.items():
            picks = combine(zero_shot, evidence, present, w).argmax(axis=1)
            for label, pick, was in zip(labels, picks, base, strict=True):
                per_code[str(label)].append(
                    float(self.codes[pick] == label) - float(self.codes[was] == label)
                )

    def significant(self, w: float) -> bool:
        """More held-out examples set right than set wrong, by at least ``MIN_NET`` and by
        a one-sided sign test at 5% (normal approximation) over the examples it changed."""
        flips = [d for diffs in self.diffs[w].values() for d in diffs if d]
        net = sum(flips)
        return net >= MIN_NET and net >= SIGN_TEST_Z * float(np.sqrt(len(flips)))

    def estimate(self, w: float) -> tuple[float, float]:
        """Mean gain over codes (each weighted n/(n+2)) and its standard error."""
        total = weight_sum = variance = 0.0
        for diffs in self.diffs[w].values():
            n = len(diffs)
            weight = n / (n + CODE_SHRINK)
            total += weight * float(np.mean(diffs))
            weight_sum += weight
            variance += weight**2 * max(float(np.var(diffs)), MIN_VARIANCE) / n
        if not weight_sum:
            return 0.0, 0.0
        return total / weight_sum, float(np.sqrt(variance)) / weight_sum
