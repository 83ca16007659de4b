"""The pure statistics against statsmodels, scipy and numpy on small hand-checkable data."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from statsmodels.stats.proportion import proportion_confint

from innostudy.analysis import formatting
from innostudy.analysis.statistics import (
    diverging_starts,
    high_levels,
    mean_from_counts,
    median_from_counts,
    numeric_aggregations,
    numeric_summary,
    ordinal_median_label,
    quantile,
    wilson_interval,
    with_proportion,
)

CASES = [(0, 1), (1, 1), (0, 5), (3, 5), (5, 5), (1, 97), (24, 97), (96, 97), (50, 100), (7, 13)]


@pytest.mark.parametrize(("count", "n"), CASES)
def test_wilson_matches_statsmodels(count: int, n: int) -> None:
    low, high = proportion_confint(count, n, alpha=0.05, method="wilson")
    assert wilson_interval(count, n) == pytest.approx((100 * low, 100 * high), abs=1e-9)


def test_wilson_by_hand() -> None:
    # 3 of 5, z = 1.96: centre (0.6 + 0.384) / 1.768 = 0.5566, half-width 0.4188/… ≈ 0.3903
    low, high = wilson_interval(3, 5)  # type: ignore[misc]
    assert (round(low, 1), round(high, 1)) == (23.1, 88.2)
    assert wilson_interval(0, 0) is None
    assert wilson_interval(0, 10)[0] == 0.0  # type: ignore[index]
    assert wilson_interval(10, 10)[1] == 100.0  # type: ignore[index]
    with pytest.raises(ValueError, match="outside"):
        wilson_interval(6, 5)


def test_vectorised_wilson_matches_the_scalar_one() -> None:
    frame = pl.DataFrame({"k": [c for c, _ in CASES] + [0], "n": [n for _, n in CASES] + [0]})
    out = with_proportion(frame, "k", "n", prefix="x_", pct="share")
    for row in out.iter_rows(named=True):
        expected = wilson_interval(row["k"], row["n"])
        if expected is None:
            assert row["x_share"] is None and row["x_ci_low"] is None
            continue
        assert row["x_share"] == pytest.approx(100 * row["k"] / row["n"])
        assert (row["x_ci_low"], row["x_ci_high"]) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    "values", [[4.0], [1.0, 2.0], [3.0, 1.0, 2.0, 10.0], [5.0] * 6, [2, 3, 3, 7, 8, 13, 21, 22]]
)
def test_numeric_summary_matches_numpy(values: list[float]) -> None:
    s = numeric_summary(values)
    assert s.n == len(values)
    assert s.mean == pytest.approx(np.mean(values))
    assert s.sd == (pytest.approx(np.std(values, ddof=1)) if len(values) > 1 else None)
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    assert (s.q1, s.median, s.q3) == pytest.approx((q1, median, q3))
    assert s.iqr == pytest.approx(q3 - q1)
    assert (s.minimum, s.maximum) == (min(values), max(values))


def test_numeric_aggregations_match_the_scalar_reference() -> None:
    data = {"a": [2, 3, 3, 7, 8, 13, 21, 22], "b": [5], "c": []}
    frame = pl.DataFrame(
        [(k, float(v)) for k, vs in data.items() for v in vs] + [("c", None), ("b", None)],
        schema={"q": pl.String, "value": pl.Float64},
        orient="row",
    )
    out = {r["q"]: r for r in frame.group_by("q").agg(numeric_aggregations()).iter_rows(named=True)}
    for key, values in data.items():
        ref = numeric_summary(values)
        row = out[key]
        assert row["n"] == ref.n
        for field, attr in (
            ("mean", "mean"),
            ("sd", "sd"),
            ("median", "median"),
            ("q1", "q1"),
            ("q3", "q3"),
            ("min", "minimum"),
            ("max", "maximum"),
        ):
            expected = getattr(ref, attr)
            assert row[field] == (None if expected is None else pytest.approx(expected)), (
                key,
                field,
            )


def test_quantile_by_hand() -> None:
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.25) == 1.75
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert quantile([7.0], 0.75) == 7.0


@pytest.mark.parametrize(
    "counts",
    [[0, 0, 1, 0, 0], [1, 0, 0, 0, 1], [2, 3, 5, 8, 13], [0, 4, 0, 4, 0], [0, 0, 0, 0, 9], [1, 2]],
)
def test_ordinal_median_and_mean_match_numpy(counts: list[int]) -> None:
    codes = [code for code, c in enumerate(counts, start=1) for _ in range(c)]
    assert median_from_counts(counts) == np.median(codes)
    assert mean_from_counts(counts) == pytest.approx(np.mean(codes))
    assert median_from_counts([0, 0, 0]) is None and mean_from_counts([0, 0]) is None


def test_ordinal_median_labels() -> None:
    labels = ["Very low", "Low", "Moderate", "High", "Very high"]
    assert ordinal_median_label(4.0, labels) == "High"
    assert ordinal_median_label(3.5, labels) == "between Moderate and High"
    assert ordinal_median_label(None, labels) is None


def test_diverging_starts_centre_the_middle_level() -> None:
    # five levels: 10 | 20 | 30 | 25 | 15 → the middle 30 straddles zero
    starts = diverging_starts([10, 20, 30, 25, 15])
    assert starts == [-45, -35, -15, 15, 40]
    assert diverging_starts([10, 40, 30, 20]) == [
        -50,
        -40,
        0,
        30,
    ]  # even scale: split between halves
    assert math.isclose(starts[-1] + 15, 55)


def test_high_levels() -> None:
    assert [high_levels(k) for k in (2, 3, 4, 5, 7)] == [1, 1, 2, 2, 2]


def test_formatting_rules() -> None:
    assert formatting.pct(37.5) == "38%" and formatting.pct(None) == "–"
    assert formatting.ci(17.24, 33.5) == "17–34%"
    assert formatting.number(24.0) == "24" and formatting.number(6.25) == "6.2"
    assert formatting.number(1234.0) == "1,234"
    assert formatting.months(1.0) == "1 month" and formatting.months(6.5) == "6.5 months"
    assert formatting.p_value(0.0004) == "<0.001" and formatting.p_value(0.0412) == "0.041"
    assert formatting.count(1200) == "1,200" and formatting.count(None) == "–"
