"""The one code-by-group matrix counted by turn, by participant and by group, with the
denominator each unit implies, on the small study (SCS-03 withdrew: not counted)."""

from __future__ import annotations

import pytest

from innostudy.coding.group_matrix import UNIT_BASES, code_group_matrix
from innostudy.storage.store import StudyStore

from .conftest import SmallStudy

# column order: senior group, business group, all civil service, all comparison
EXPECTED = {
    # unit: (column bases, {code: counts})
    "turn": ([4, 3, 4, 3], {"costs.approval": [2, 0, 2, 0], "barriers.risk": [1, 1, 1, 1]}),
    "participant": ([2, 2, 2, 2], {"costs.approval": [2, 0, 2, 0], "barriers.risk": [1, 1, 1, 1]}),
    "group": ([1, 1, 1, 1], {"costs.approval": [1, 0, 1, 0], "barriers.risk": [1, 1, 1, 1]}),
}


@pytest.mark.parametrize("unit", list(EXPECTED))
def test_the_matrix_counts_each_unit_once_over_its_base(small_study: SmallStudy, unit: str) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        matrix = code_group_matrix(s, unit=unit, coders=["ana"])  # type: ignore[arg-type]
    bases, rows = EXPECTED[unit]
    assert [c.units for c in matrix.columns] == bases
    counts = {r.code_key: r.counts for r in matrix.rows}
    for code, expected in rows.items():
        assert counts[code] == expected
    # parents roll up: "costs" holds approval (2 turns by 2 people) and budgeting (1 turn)
    assert counts["costs"] == {"turn": [3, 0, 3, 0], "participant": [2, 0, 2, 0]}.get(
        unit, [1, 0, 1, 0]
    )
    assert unit in UNIT_BASES


def test_shares_divide_by_the_units_base(small_study: SmallStudy) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        frames = code_group_matrix(s, unit="participant", coders=["ana"]).frames()
    share = frames["share"]
    assert share.loc["origins.users", "Business group"] == 1.0  # both people who spoke
    assert share.loc["barriers.risk", "Business group"] == 0.5
