"""The tests of association against scipy, and the rule that picks (or refuses) one."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.stats import random_table
from scipy.stats.contingency import association

from innostudy.analysis.contingency import (
    CHI_SQUARE,
    FISHER,
    MONTE_CARLO,
    NO_TEST,
    association_test,
    chi_square,
    cramers_v,
    drop_empty,
    expected_counts,
    fisher_exact,
    holm,
    monte_carlo_p,
)

TABLES = [
    [[10, 20], [30, 25]],
    [[12, 7, 9], [8, 15, 11], [9, 10, 14]],
    [[25, 5], [18, 12], [20, 10], [15, 15]],
]


@pytest.mark.parametrize("table", TABLES)
def test_chi_square_matches_scipy(table: list[list[int]]) -> None:
    expected = stats.chi2_contingency(table, correction=False)
    statistic, df, p = chi_square(table)
    assert statistic == pytest.approx(expected.statistic)
    assert df == expected.dof
    assert p == pytest.approx(expected.pvalue)
    assert np.allclose(expected_counts(table), expected.expected_freq)
    n = int(np.sum(table))
    v = cramers_v(statistic, n, len(table), len(table[0]))
    assert v == pytest.approx(association(np.array(table), method="cramer", correction=False))


@pytest.mark.parametrize(
    "table",
    [[[3, 1], [1, 3]], [[0, 5], [4, 1]], [[8, 2], [1, 5]], [[10, 0], [0, 10]], [[2, 7], [3, 6]]],
)
def test_fisher_matches_scipy(table: list[list[int]]) -> None:
    odds, p = fisher_exact(table)
    expected = stats.fisher_exact(table)
    assert p == pytest.approx(expected.pvalue, rel=1e-9)
    (_, b), (c, _) = table
    assert odds == (None if b * c == 0 else pytest.approx(expected.statistic))


def test_fisher_by_hand() -> None:
    # Fisher's tea-tasting table: p = 34 / 70 ≈ 0.486 two-sided
    assert fisher_exact([[3, 1], [1, 3]])[1] == pytest.approx(34 / 70)


def test_the_rule_picks_chi_square_when_cochran_holds() -> None:
    result = association_test(TABLES[2])
    assert result.test == CHI_SQUARE and result.df == 3 and result.expected_below_5 == 0
    assert result.note == ""


def test_the_rule_falls_back_to_fisher_for_small_two_by_two() -> None:
    result = association_test([[3, 1], [1, 3]])
    assert result.test == FISHER and result.p_value == pytest.approx(34 / 70)
    assert result.expected_below_5 == 4


def test_small_tables_beyond_2x2_get_a_monte_carlo_p_value() -> None:
    small = association_test([[1, 2, 0], [3, 0, 1], [0, 2, 2]])
    assert small.test == MONTE_CARLO and small.df == 4
    assert small.note == (
        "Monte-Carlo p-value (10,000 tables with the same margins): 9 of 9 expected counts "
        "are below 5 (smallest 0.8), too few for the chi-square distribution"
    )
    assert association_test([[1, 2, 0], [3, 0, 1], [0, 2, 2]]).p_value == small.p_value  # seeded
    # Against the exact permutation distribution, approximated with 40 times the draws.
    table = [[1, 2, 0], [3, 0, 1], [0, 2, 2]]
    expected = np.outer([3, 4, 4], [4, 4, 3]) / 11
    draws = random_table([3, 4, 4], [4, 4, 3]).rvs(
        size=400_000, random_state=np.random.default_rng(7)
    )
    stats = ((draws - expected) ** 2 / expected).sum(axis=(1, 2))
    assert small.statistic is not None and small.p_value is not None
    reference = float((stats >= small.statistic * (1 - 1e-12)).mean())
    assert abs(small.p_value - reference) < 0.01
    assert small.p_value == pytest.approx(monte_carlo_p(table, small.statistic))


def test_holm_adjusts_together_and_keeps_order() -> None:
    # Worked example: p = 0.01, 0.04, 0.03 (m = 3) → 0.03, max(0.06, 0.04) = 0.06, 0.06.
    assert holm([0.01, 0.04, None, 0.03]) == pytest.approx([0.03, 0.06, None, 0.06])
    assert holm([0.5, 0.9]) == [1.0, 1.0]
    assert holm([]) == []


def test_the_rule_explains_when_no_test_is_possible() -> None:
    one_type = association_test([[4, 5, 6], [0, 0, 0]])
    assert (
        one_type.test == NO_TEST
        and one_type.note == "no test: only one organisation type with answers"
    )
    one_answer = association_test([[4, 0], [7, 0]])
    assert one_answer.note == "no test: only one answer with answers"
    assert association_test([]).test == NO_TEST


def test_empty_rows_and_columns_are_dropped_first() -> None:
    assert drop_empty([[0, 0, 0], [1, 0, 2], [3, 0, 4]]) == [[1, 2], [3, 4]]
    assert drop_empty([[0, 0]]) == []
