"""Pure statistics over counts and values: Wilson intervals, numeric and ordinal summaries.

Every function here takes plain values or a polars frame and returns plain values or a
frame; nothing reads the database or draws. Proportions are returned as **percentages**
(0–100) because that is how every table, slide and report shows them. Tests check each
function against scipy, statsmodels or numpy on small hand-checkable data.

Why Wilson: with ~100 organisations many shares sit near 0% or 100% and cells are small;
the Wald interval then collapses to zero width or leaves [0, 100]. Wilson's score
interval keeps sensible coverage there (Brown, Cai and DasGupta 2001). No finite-population
correction is applied: the intervals describe the process that produced the answers, not
only the organisations in scope, and so err on the wide side (docs/analysis.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

Z95 = 1.959963984540054  # the 97.5% point of the standard normal: a two-sided 95% interval
SMALL_CELL = 5  # counts below this are flagged "small" in tables, charts and slides


def wilson_interval(count: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for ``count`` successes out of ``n``, in percent.

    None when ``n`` is 0: there is no proportion to bound.
    """
    if n <= 0:
        return None
    if not 0 <= count <= n:
        raise ValueError(f"count {count} is outside 0..{n}")
    p = count / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At 0 and n the bounds are exactly 0% and 100%; say so rather than keep rounding dust.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return 100 * low, 100 * high


def with_proportion(
    frame: pl.DataFrame,
    count: str,
    n: str,
    *,
    prefix: str = "",
    pct: str = "pct",
    z: float = Z95,
) -> pl.DataFrame:
    """Add ``<prefix><pct>``, ``<prefix>ci_low`` and ``<prefix>ci_high`` (percent) to a frame.

    The same formula as :func:`wilson_interval`, vectorised; rows with ``n`` = 0 get nulls.
    """
    k = pl.col(count).cast(pl.Float64)
    m = pl.col(n).cast(pl.Float64)
    valid = m > 0
    p = k / m
    z2 = z * z
    denominator = 1 + z2 / m
    centre = (p + z2 / (2 * m)) / denominator
    half = z / denominator * (p * (1 - p) / m + z2 / (4 * m * m)).sqrt()
    low = pl.when(k == 0).then(0.0).otherwise((centre - half).clip(0.0, 1.0))
    high = pl.when(k == m).then(1.0).otherwise((centre + half).clip(0.0, 1.0))
    return frame.with_columns(
        pl.when(valid).then(100 * k / m).alias(f"{prefix}{pct}"),
        pl.when(valid).then(100 * low).alias(f"{prefix}ci_low"),
        pl.when(valid).then(100 * high).alias(f"{prefix}ci_high"),
    )


@dataclass(frozen=True)
class NumericSummary:
    """Describes a set of numbers; quartiles interpolate linearly (numpy's default, R type 7)."""

    n: int
    mean: float | None
    sd: float | None  # sample standard deviation (n − 1); None below two values
    median: float | None
    q1: float | None
    q3: float | None
    minimum: float | None
    maximum: float | None

    @property
    def iqr(self) -> float | None:
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy ``linear``, R type 7)."""
    if not sorted_values:
        raise ValueError("quantile of no values")
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


def numeric_summary(values: Sequence[float]) -> NumericSummary:
    """The scalar reference for what :func:`numeric_aggregations` computes over a frame."""
    xs = sorted(float(v) for v in values)
    n = len(xs)
    if n == 0:
        return NumericSummary(0, None, None, None, None, None, None, None)
    mean = math.fsum(xs) / n
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1)) if n > 1 else None
    return NumericSummary(
        n, mean, sd, quantile(xs, 0.5), quantile(xs, 0.25), quantile(xs, 0.75), xs[0], xs[-1]
    )


def numeric_aggregations(value: str = "value") -> list[pl.Expr]:
    """Aggregations giving the columns of the numeric table (nulls are ignored)."""
    col = pl.col(value).drop_nulls()
    return [
        col.len().cast(pl.Int64).alias("n"),
        col.mean().alias("mean"),
        col.std(ddof=1).alias("sd"),
        col.median().alias("median"),
        col.quantile(0.25, interpolation="linear").alias("q1"),
        col.quantile(0.75, interpolation="linear").alias("q3"),
        col.min().cast(pl.Float64).alias("min"),
        col.max().cast(pl.Float64).alias("max"),
    ]


def high_levels(scale_size: int) -> int:
    """How many top levels of an ordered scale count as "high": two on a 4+ point scale.

    On the default five-point impact scale that is "high" and "very high"; a three-point
    scale has only its top level.
    """
    return 2 if scale_size >= 4 else 1


def ordinal_median_label(median: float | None, labels: Sequence[str]) -> str | None:
    """Name the median of codes 1..k: the level itself, or "between A and B" for a half."""
    if median is None:
        return None
    low = math.floor(median)
    if median == low:
        return labels[low - 1]
    return f"between {labels[low - 1]} and {labels[low]}"


def diverging_starts(pcts: Sequence[float]) -> list[float]:
    """Left edges of the segments of one diverging stacked bar, centred on the scale's middle.

    Levels below the middle sit left of 0 and levels above it to the right; an odd scale's
    middle level straddles 0. The segments still add up to the whole bar.
    """
    k = len(pcts)
    half = k // 2
    left = sum(pcts[:half]) + (pcts[half] / 2 if k % 2 else 0.0)
    starts: list[float] = []
    edge = -left
    for p in pcts:
        starts.append(edge)
        edge += p
    return starts


def _code_at(counts: Sequence[int], index: int) -> int:
    """The 1-based code of the ``index``-th (0-based) answer when answers are sorted."""
    seen = 0
    for code, count in enumerate(counts, start=1):
        seen += count
        if index < seen:
            return code
    raise IndexError(index)


def median_from_counts(counts: Sequence[int]) -> float | None:
    """The median code (1..k) of an ordered scale, given how many chose each level.

    Identical to the median of the expanded list of codes: the middle code, or the mean
    of the two middle codes when the number of answers is even.
    """
    n = sum(counts)
    if n == 0:
        return None
    if n % 2:
        return float(_code_at(counts, n // 2))
    return (_code_at(counts, n // 2 - 1) + _code_at(counts, n // 2)) / 2


def mean_from_counts(counts: Sequence[int]) -> float | None:
    """The mean code (1..k) of an ordered scale: a convenience, not an interval measure."""
    n = sum(counts)
    if n == 0:
        return None
    return math.fsum(code * c for code, c in enumerate(counts, start=1)) / n
