"""Reliability against published worked examples, and recomputed by hand.

Sources of the published figures:

* Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability", Annenberg School
  for Communication, University of Pennsylvania, section C (nominal data, 4 coders,
  12 units, missing values): alpha = 0.743.
* Gwet, K. L. irrCAC R package (CRAN, version 1.0, 2019), README and vignette
  "Calculating Chance-corrected Agreement Coefficients (CAC)"
  (https://cran.r-project.org/web/packages/irrCAC/vignettes/overview.html):
  - ``cont3x3abstractors`` (2 raters, 100 subjects, 3 categories): Cohen's kappa
    0.7964094, Gwet's AC1 0.8493305, Krippendorff's alpha 0.7972585, percent agreement
    0.89;
  - ``cac.raw4raters`` (Krippendorff's 2011 data above): percent agreement 0.8181818,
    Gwet's AC1 0.77544, Krippendorff's alpha 0.74342.
"""

from __future__ import annotations

from collections import Counter
from itertools import permutations

import pytest

from innostudy.coding.agreement import alpha, gwet_ac1, kappa, percent
from innostudy.coding.reliability import (
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability,
)


def test_cohen_kappa_of_a_two_by_two_table_by_hand() -> None:
    # 50 units: both yes 20, A yes/B no 5, A no/B yes 10, both no 15: observed 0.7,
    # chance 0.5*0.6 + 0.5*0.4 = 0.5, so kappa = (0.7 - 0.5) / 0.5 = 0.4.
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


def test_alpha_accepts_any_labels_and_says_why_it_is_not_computable() -> None:
    as_text = [[None if v is None else f"code-{v}" for v in row] for row in EXAMPLE]
    assert krippendorff_alpha(as_text) == pytest.approx(krippendorff_alpha(EXAMPLE))
    none_shared = alpha([["a", None], [None, "b"]])
    assert none_shared.value is None and none_shared.reason == "no unit was judged by two coders"
    same = alpha([["x", "x", "x"], ["x", "x", "x"]])
    assert same.value is None and "every judgement was the same" in same.reason
    assert same.text() == f"not computable: {same.reason}"


def _table(counts: list[list[int]]) -> list[list[int]]:
    """Two raters' labels from a contingency table (rows: rater A, columns: rater B)."""
    a: list[int] = []
    b: list[int] = []
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            a += [i] * n
            b += [j] * n
    return [a, b]


ABSTRACTORS = _table([[13, 0, 0], [0, 20, 7], [0, 4, 56]])  # irrCAC cont3x3abstractors


def test_two_raters_match_irrcac_cont3x3abstractors() -> None:
    assert kappa(ABSTRACTORS).value == pytest.approx(0.7964094, abs=1e-7)
    assert gwet_ac1(ABSTRACTORS).value == pytest.approx(0.8493305, abs=1e-7)
    assert alpha(ABSTRACTORS).value == pytest.approx(0.7972585, abs=1e-7)
    assert percent(ABSTRACTORS).value == pytest.approx(0.89)


def test_four_raters_with_gaps_match_irrcac_raw4raters() -> None:
    assert percent(EXAMPLE).value == pytest.approx(0.8181818, abs=1e-7)
    assert gwet_ac1(EXAMPLE).value == pytest.approx(0.77544, abs=1e-5)
    assert alpha(EXAMPLE).value == pytest.approx(0.74342, abs=1e-5)


def test_ac1_stays_steady_where_kappa_collapses_on_a_rare_code() -> None:
    # 100 units; each coder applied the code to 2 units, never the same ones: 96% agree.
    # kappa = (0.96 - 0.9608) / (1 - 0.9608) = -0.02; AC1 chance = 2 * 0.02 * 0.98 = 0.0392,
    # so AC1 = (0.96 - 0.0392) / (1 - 0.0392) = 0.958.
    a = [True, True, False, False] + [False] * 96
    b = [False, False, True, True] + [False] * 96
    k, ac1 = kappa([a, b]).value, gwet_ac1([a, b], [False, True]).value
    assert k == pytest.approx(-0.0204, abs=1e-4)
    assert ac1 == pytest.approx(0.9584, abs=1e-4)
    assert gwet_ac1([[True, True], [True, True]]).reason.startswith("only one category")


def test_report_gives_every_figure_per_code_and_overall() -> None:
    a = {1: frozenset({"x"}), 2: frozenset({"y"}), 3: frozenset({"x"}), 4: frozenset({"y"})}
    b = {1: frozenset({"x"}), 2: frozenset({"x"}), 3: frozenset({"x", "y"}), 4: frozenset({"y"})}
    report = reliability({"ann": a, "bob": b})
    assert report.coders == ["ann", "bob"]
    assert (report.double_coded, report.uncoded, report.single) == (4, 0, 0)
    assert report.overall.percent.value == pytest.approx(0.5)
    per = {p.code: p for p in report.per_code}
    # code x: ann 1,0,1,0 vs bob 1,1,1,0; code y: ann 0,1,0,1 vs bob 0,0,1,1
    assert per["x"].percent.value == pytest.approx(0.75)
    assert per["x"].kappa.value == pytest.approx(cohen_kappa([1, 0, 1, 0], [1, 1, 1, 0]))
    assert per["y"].kappa.value == pytest.approx(cohen_kappa([0, 1, 0, 1], [0, 0, 1, 1]))
    assert per["x"].applied == {"ann": 2, "bob": 3} and per["x"].neither == 1
    assert per["x"].prevalence == pytest.approx(5 / 8)
    assert per["x"].ac1.value == pytest.approx(gwet_ac1([[1, 0, 1, 0], [1, 1, 1, 0]], [0, 1]).value)


def test_units_nobody_coded_and_units_one_coder_saw_are_left_out() -> None:
    """Agreeing that small talk has no code must not inflate agreement."""
    a = {1: frozenset({"x"}), 2: frozenset({"y"}), 3: frozenset(), 4: frozenset(), 5: frozenset()}
    b = {
        1: frozenset({"x"}),
        2: frozenset({"x"}),
        3: frozenset(),
        4: frozenset(),
        6: frozenset({"x"}),
    }
    report = reliability({"a": a, "b": b})
    assert (report.double_coded, report.uncoded, report.single) == (2, 2, 2)
    assert report.overall.units == 2 and report.overall.percent.value == pytest.approx(0.5)
    assert {p.code: p.units for p in report.per_code} == {"x": 2, "y": 2}


def test_a_code_nobody_applied_is_reported_as_not_computable() -> None:
    a = {1: frozenset({"x"}), 2: frozenset({"x"})}
    b = {1: frozenset({"x"}), 2: frozenset()}
    report = reliability({"a": a, "b": b}, ["x", "unused"])
    unused = report.per_code[1]
    assert unused.code == "unused" and unused.prevalence == 0.0
    assert unused.kappa.value is None and unused.alpha.value is None
    assert unused.kappa.reason == "no coder applied this code to a double-coded unit"
    assert ("unused", "alpha", unused.alpha.reason) in report.not_computable()


def test_disagreements_are_sorted_by_code_then_position() -> None:
    a = {10: frozenset({"y"}), 20: frozenset({"x"}), 30: frozenset({"x", "y"})}
    b = {10: frozenset({"x"}), 20: frozenset({"y"}), 30: frozenset({"x"})}
    place = {10: 3, 20: 1, 30: 2}  # 20 comes first in the transcript
    report = reliability({"a": a, "b": b}, ["y", "x"], position=place.__getitem__)
    assert [(d.code, d.unit) for d in report.disagreements] == [
        ("y", 20),
        ("y", 30),
        ("y", 10),
        ("x", 20),
        ("x", 10),
    ]
    first = report.disagreements[0]
    assert (first.applied_by, first.not_by) == (["b"], ["a"])
    assert first.codes == {"a": frozenset({"x"}), "b": frozenset({"y"})}


def test_three_coders_use_lights_kappa_and_all_pairs() -> None:
    a = {1: frozenset({"x"}), 2: frozenset({"y"}), 3: frozenset({"x"})}
    b = {1: frozenset({"x"}), 2: frozenset({"y"}), 3: frozenset({"y"})}
    c = {1: frozenset({"x"}), 2: frozenset({"x"})}  # c never saw unit 3
    report = reliability({"a": a, "b": b, "c": c}, ["x"])
    x = report.per_code[0]
    pairs = [
        cohen_kappa([1, 0, 1], [1, 0, 0]),
        cohen_kappa([1, 0], [1, 1]),
        cohen_kappa([1, 0], [1, 1]),
    ]
    expected = [k for k in pairs if k is not None]
    assert x.kappa.value == pytest.approx(sum(expected) / len(expected))
    assert x.alpha.value == pytest.approx(krippendorff_alpha([[1, 0, 1], [1, 0, 0], [1, 1, None]]))


def test_reliability_needs_two_coders() -> None:
    with pytest.raises(ValueError, match="at least two coders"):
        reliability({"a": {1: frozenset({"x"})}})
