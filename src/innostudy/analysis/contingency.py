"""Tests of association for a cross-tab (organisation type × answer), chosen honestly.

The rule, applied to the table after dropping rows and columns that are entirely zero:

1. fewer than two rows or two columns: no test ("nothing to compare");
2. Pearson's chi-square (no continuity correction) when Cochran's rule holds: every
   expected count is at least 1 and no more than 20% of them are below 5;
3. otherwise, for a 2 × 2 table, Fisher's exact test (two-sided);
4. otherwise the chi-square statistic with a Monte-Carlo p-value: 10,000 random tables
   with the observed margins (Patefield's algorithm, as R's ``chisq.test(simulate.p.value
   = TRUE)``), p = (1 + tables at least as extreme) / 10,001, from a fixed seed so the
   same data give the same p-value; the note says why the asymptotic test was not used.

Many tests are run at once (one per cross-tabbed variable), so ``holm`` adjusts their
p-values together (Holm's step-down method, which controls the chance of any false
positive without assuming independence). Pure functions over lists of counts; checked
against scipy in tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2, random_table

Table = Sequence[Sequence[int]]

CHI_SQUARE = "chi_square"
FISHER = "fisher_exact"
MONTE_CARLO = "monte_carlo"
NO_TEST = "none"
REPLICATES = 10_000
SIGNIFICANCE = 0.05  # the level "significant" counts are reported at
SEED = 20_060_301
_FISHER_TOLERANCE = 1 + 1e-7  # tables as likely as the observed one, within rounding


@dataclass(frozen=True)
class TestResult:
    test: str  # chi_square, fisher_exact or none
    n: int
    rows: int  # after dropping empty rows and columns
    columns: int
    statistic: float | None = None  # chi-square statistic, or Fisher's odds ratio
    df: int | None = None
    p_value: float | None = None
    cramers_v: float | None = None
    min_expected: float | None = None
    expected_below_5: int = 0
    note: str = ""


def drop_empty(table: Table) -> list[list[int]]:
    """The table without rows or columns whose counts are all zero."""
    rows = [list(r) for r in table if any(r)]
    if not rows:
        return []
    keep = [j for j in range(len(rows[0])) if any(r[j] for r in rows)]
    return [[r[j] for j in keep] for r in rows]


def expected_counts(table: Table) -> list[list[float]]:
    """Row total × column total / grand total, cell by cell."""
    total = sum(sum(r) for r in table)
    row_sums = [sum(r) for r in table]
    col_sums = [sum(col) for col in zip(*table, strict=True)]
    return [[rs * cs / total for cs in col_sums] for rs in row_sums]


def chi_square(table: Table) -> tuple[float, int, float]:
    """Pearson's chi-square statistic, degrees of freedom and p-value (no correction)."""
    expected = expected_counts(table)
    statistic = math.fsum(
        (o - e) ** 2 / e
        for obs_row, exp_row in zip(table, expected, strict=True)
        for o, e in zip(obs_row, exp_row, strict=True)
    )
    df = (len(table) - 1) * (len(table[0]) - 1)
    return statistic, df, float(chi2.sf(statistic, df))


def cramers_v(statistic: float, n: int, rows: int, columns: int) -> float:
    """Cramér's V: the chi-square statistic scaled to 0..1 by the table's size."""
    return math.sqrt(statistic / (n * (min(rows, columns) - 1)))


def fisher_exact(table: Table) -> tuple[float | None, float]:
    """Fisher's exact test for a 2 × 2 table: odds ratio and two-sided p-value.

    Two-sided means summing the hypergeometric probabilities of every table with the same
    margins that is no more likely than the observed one (R's and scipy's definition).
    The odds ratio is None where it is infinite or undefined (a zero off the diagonal).
    """
    (a, b), (c, d) = table
    row1, col1, n = a + b, a + c, a + b + c + d
    low, high = max(0, col1 - (n - row1)), min(row1, col1)
    denominator = math.comb(n, col1)

    def probability(x: int) -> float:
        return math.comb(row1, x) * math.comb(n - row1, col1 - x) / denominator

    observed = probability(a)
    p = math.fsum(
        pr for x in range(low, high + 1) if (pr := probability(x)) <= observed * _FISHER_TOLERANCE
    )
    odds_ratio = (a * d) / (b * c) if b * c else None
    return odds_ratio, min(1.0, p)


def monte_carlo_p(table: Table, statistic: float, *, replicates: int = REPLICATES) -> float:
    """P-value of Pearson's statistic against random tables with the same margins."""
    observed = np.asarray(table, dtype=float)
    rows, cols = observed.sum(axis=1), observed.sum(axis=0)
    expected = np.outer(rows, cols) / observed.sum()
    sampler = random_table(rows.astype(int), cols.astype(int))
    tables = sampler.rvs(size=replicates, random_state=np.random.default_rng(SEED))
    simulated = ((tables - expected) ** 2 / expected).sum(axis=(1, 2))
    at_least = int((simulated >= statistic * (1 - 64 * np.finfo(float).eps)).sum())
    return (1 + at_least) / (replicates + 1)


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-adjusted p-values, in the given order; None stays None (no test)."""
    ranked = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(ranked)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(ranked):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


def cochran_ok(expected: list[list[float]]) -> tuple[bool, float, int]:
    """Whether chi-square may be used: all expected ≥ 1 and at most 20% below 5."""
    cells = [e for row in expected for e in row]
    below_5 = sum(1 for e in cells if e < 5)
    smallest = min(cells)
    return smallest >= 1 and below_5 <= 0.2 * len(cells), smallest, below_5


def association_test(table: Table) -> TestResult:
    """Pick and run the test the rule in the module docstring allows, or explain why none."""
    kept = drop_empty(table)
    n = sum(sum(r) for r in kept)
    rows, columns = len(kept), len(kept[0]) if kept else 0
    if rows < 2 or columns < 2:
        what = "organisation type" if rows < 2 else "answer"
        return TestResult(NO_TEST, n, rows, columns, note=f"no test: only one {what} with answers")
    ok, smallest, below_5 = cochran_ok(expected_counts(kept))
    if ok:
        statistic, df, p = chi_square(kept)
        v = cramers_v(statistic, n, rows, columns)
        return TestResult(CHI_SQUARE, n, rows, columns, statistic, df, p, v, smallest, below_5)
    if rows == 2 and columns == 2:
        odds_ratio, p = fisher_exact(kept)
        return TestResult(FISHER, n, rows, columns, odds_ratio, None, p, None, smallest, below_5)
    cells = rows * columns
    statistic, df, _ = chi_square(kept)
    return TestResult(
        MONTE_CARLO,
        n,
        rows,
        columns,
        statistic,
        df,
        monte_carlo_p(kept, statistic),
        cramers_v(statistic, n, rows, columns),
        smallest,
        below_5,
        note=(
            f"Monte-Carlo p-value ({REPLICATES:,} tables with the same margins): {below_5} of "
            f"{cells} expected counts are below 5 (smallest {smallest:.1f}), too few for "
            "the chi-square distribution"
        ),
    )
