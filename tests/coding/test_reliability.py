"""Reliability against published worked examples, and recomputed by hand."""

from __future__ import annotations

from collections import Counter
from itertools import permutations

import pytest

from innostudy.coding.reliability import (
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability,
)


def test_cohen_kappa_matches_the_textbook_two_by_two_example() -> None:
    # 50 units: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> kappa 0.4.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert percent_agreement(a, b) == pytest.approx(0.7)


def test_kappa_is_undefined_without_variation_and_needs_equal_lengths() -> None:
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError, match="same units"):
        cohen_kappa(["a"], ["a", "b"])


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example:
# 4 coders, 12 units, missing values; published alpha = 0.743.
K = None
EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, K, K, K],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, K, 3],
    [K, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, K],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, K],
]


def _alpha_by_hand(data: list[list[object]]) -> float:
    """Nominal alpha from the coincidence matrix, written out independently."""
    coincidences: Counter[tuple[object, object]] = Counter()
    for unit in zip(*data, strict=True):
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for a, b in permutations(range(m), 2):
            coincidences[(values[a], values[b])] += 1 / (m - 1)
    n_c: Counter[object] = Counter()
    for (a, _), w in coincidences.items():
        n_c[a] += w
    n = sum(n_c.values())
    observed = sum(w for (a, b), w in coincidences.items() if a != b)
    expected = sum(n_c[a] * n_c[b] for a in n_c for b in n_c if a != b) / (n - 1)
    return 1 - observed / expected


def test_krippendorff_alpha_matches_the_published_example() -> None:
    alpha = krippendorff_alpha(EXAMPLE)
    assert alpha == pytest.approx(0.743, abs=5e-4)
    assert alpha == pytest.approx(_alpha_by_hand(EXAMPLE))


def test_alpha_accepts_any_labels_and_is_none_without_pairs() -> None:
    as_text = [[None if v is None else f"code-{v}" for v in row] for row in EXAMPLE]
    assert krippendorff_alpha(as_text) == pytest.approx(krippendorff_alpha(EXAMPLE))
    assert krippendorff_alpha([["a", None], [None, "b"]]) is None


def test_report_gives_overall_per_code_and_disagreements() -> None:
    a = {1: frozenset({"x"}), 2: frozenset({"y"}), 3: frozenset({"x"}), 4: frozenset()}
    b = {1: frozenset({"x"}), 2: frozenset({"x"}), 3: frozenset({"x", "y"}), 4: frozenset()}
    report = reliability({"ann": a, "bob": b})
    assert report.coders == ["ann", "bob"]
    assert report.overall.units == 4
    assert report.overall.percent == pytest.approx(0.5)
    per = {p.code: p for p in report.per_code}
    # code x: ann 1,0,1,0 vs bob 1,1,1,0 ; code y: ann 0,1,0,0 vs bob 0,0,1,0
    assert per["x"].percent == pytest.approx(0.75)
    assert per["x"].kappa == pytest.approx(cohen_kappa([1, 0, 1, 0], [1, 1, 1, 0]))
    assert per["y"].kappa == pytest.approx(cohen_kappa([0, 1, 0, 0], [0, 0, 1, 0]))
    assert [d.unit for d in report.disagreements] == [2, 3]
    assert report.disagreements[1].codes == {"ann": frozenset({"x"}), "bob": frozenset({"x", "y"})}


def test_units_a_coder_never_saw_are_missing_not_disagreements() -> None:
    a = {1: frozenset({"x"}), 2: frozenset({"y"})}
    b = {1: frozenset({"x"}), 2: frozenset({"y"}), 3: frozenset({"x"})}
    report = reliability({"a": a, "b": b})
    assert report.overall.units == 2
    assert report.overall.percent == 1.0
    assert report.disagreements == []
