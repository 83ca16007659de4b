from __future__ import annotations

import pytest

from innostudy.coding.reliability import cohen_kappa, percent_agreement


def test_cohens_worked_example() -> None:
    # The textbook 2x2 example: 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    # p_o = 35/50 = 0.7; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert percent_agreement(a, b) == pytest.approx(0.7)
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_three_categories() -> None:
    # Fleiss et al.'s style example with three categories, computed by hand:
    # agreement 7/10; marginals a: x4 y3 z3, b: x3 y4 z3; p_e = (12 + 12 + 9) / 100 = 0.33.
    a = ["x", "x", "x", "x", "y", "y", "y", "z", "z", "z"]
    b = ["x", "x", "x", "y", "y", "y", "z", "z", "z", "y"]
    assert percent_agreement(a, b) == pytest.approx(0.7)
    assert cohen_kappa(a, b) == pytest.approx((0.7 - 0.33) / (1 - 0.33))


def test_undefined_cases_are_none() -> None:
    assert cohen_kappa([], []) is None
    assert percent_agreement([], []) is None
    assert cohen_kappa([True, True], [True, True]) is None  # chance agreement is already 1
    assert cohen_kappa([False, True], [True, False]) == pytest.approx(-1.0)


def test_unequal_lengths_are_an_error() -> None:
    with pytest.raises(ValueError, match="different numbers of units"):
        cohen_kappa([1, 2], [1])
