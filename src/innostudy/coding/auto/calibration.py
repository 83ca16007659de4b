"""Does a suggestion's confidence mean what it says? Pure functions over reviewed outcomes.

A *review* is one model suggestion a person accepted or rejected, with the confidence
the model gave it. From reviews come

* the **reliability diagram**: confidences cut into equal-width bins, and in each bin the
  mean confidence beside the share accepted (a calibrated model sits on the diagonal);
* the **expected calibration error** (ECE): the bins' |accepted share − mean confidence|,
  weighted by how many reviews each bin holds (Guo et al., 2017, "On calibration of
  modern neural networks", section 2);
* **a threshold per code**: the lowest confidence from which, counting every review of
  that code at or above it, acceptances outnumber rejections (with one of each added,
  Laplace's rule, so two lucky reviews do not set a threshold). Codes with fewer than
  ``MIN_REVIEWS`` reviews use the threshold pooled over all codes, and with too few
  reviews overall the default stands. Every code whose score reaches its threshold is
  offered, so one turn can get several codes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MIN_REVIEWS = 10
TARGET = 0.5
BINS = 10


@dataclass(frozen=True)
class Review:
    code: str
    confidence: float
    accepted: bool


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    confidence: float | None  # mean confidence in the bin (None when empty)
    accepted: float | None  # share accepted in the bin


def reliability_bins(reviews: Iterable[Review], bins: int = BINS) -> list[Bin]:
    """Equal-width confidence bins over [0, 1]; the top bin includes 1.0."""
    if bins < 1:
        raise ValueError("at least one bin")
    sums: list[list[float]] = [[0.0, 0.0, 0.0] for _ in range(bins)]  # n, conf, accepted
    for r in reviews:
        if not 0.0 <= r.confidence <= 1.0:
            raise ValueError(f"confidence {r.confidence} is outside 0..1")
        b = min(int(r.confidence * bins), bins - 1)
        sums[b][0] += 1
        sums[b][1] += r.confidence
        sums[b][2] += r.accepted
    return [
        Bin(
            b / bins,
            (b + 1) / bins,
            int(n),
            conf / n if n else None,
            acc / n if n else None,
        )
        for b, (n, conf, acc) in enumerate(sums)
    ]


def expected_calibration_error(reviews: Sequence[Review], bins: int = BINS) -> float | None:
    """Weighted mean gap between confidence and accepted share; None without reviews."""
    table = reliability_bins(reviews, bins)
    total = sum(b.count for b in table)
    if not total:
        return None
    return (
        sum(b.count * abs((b.accepted or 0.0) - (b.confidence or 0.0)) for b in table if b.count)
        / total
    )


def threshold_for(reviews: Sequence[Review], target: float = TARGET) -> float | None:
    """The lowest confidence from which accepted ones are more than ``target`` of all
    reviews at or above it (Laplace-smoothed); None if there is no such confidence."""
    ordered = sorted(reviews, key=lambda r: -r.confidence)
    accepted = 0
    best: float | None = None
    for n, r in enumerate(ordered, 1):
        accepted += r.accepted
        last = n == len(ordered) or ordered[n].confidence < r.confidence
        if last and (accepted + 1) / (n + 2) > target:
            best = r.confidence
    return best


@dataclass(frozen=True)
class Thresholds:
    per_code: dict[str, float]
    pooled: float
    reviews: dict[str, int]  # code → reviews it was calibrated on

    def get(self, code: str) -> float:
        return self.per_code.get(code, self.pooled)

    def as_mapping(self) -> Mapping[str, float]:
        return dict(self.per_code)


def calibrate_thresholds(
    reviews: Sequence[Review],
    default: float,
    *,
    min_reviews: int = MIN_REVIEWS,
    target: float = TARGET,
) -> Thresholds:
    """A threshold per code with enough reviews; the pooled one (or the default) otherwise."""
    pooled = threshold_for(reviews, target) if len(reviews) >= min_reviews else None
    pooled = default if pooled is None else pooled
    by_code: dict[str, list[Review]] = defaultdict(list)
    for r in reviews:
        by_code[r.code].append(r)
    per_code: dict[str, float] = {}
    for code, mine in by_code.items():
        if len(mine) >= min_reviews:
            found = threshold_for(mine, target)
            per_code[code] = 1.0 if found is None else found
    return Thresholds(per_code, pooled, {c: len(v) for c, v in by_code.items()})
