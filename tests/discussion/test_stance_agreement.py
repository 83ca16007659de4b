"""Reliability of stance coding, worked out by hand on the small study and on plain values."""

from __future__ import annotations

import pytest

from innostudy.coding.stance_agreement import stance_agreement, stance_judgements
from innostudy.model import Stance
from innostudy.storage.store import StudyStore

from .conftest import SmallStudy

N, A, D, Q = Stance.NEW, Stance.AGREE, Stance.DISAGREE, Stance.QUALIFY


def test_two_coders_on_the_small_study(small_study: SmallStudy) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        judgements, order = stance_judgements(s, ["ana", "ben"])
    result = stance_agreement(judgements, order)
    # units: (turn 1, approval) new/new, (2, approval) agree/qualify, (4, risk) new/new,
    # (6, budgeting) new/new; turn 3 was SCS-03's (withdrawn), the business group ana's only
    assert (result.units, result.unfinished) == (4, 0)
    assert result.percent == pytest.approx(3 / 4)
    chance = (3 / 4) * (3 / 4)  # new 3 of 4 for each; agree and qualify never meet
    assert result.kappa == pytest.approx((3 / 4 - chance) / (1 - chance))
    # Krippendorff: 8 pairable values (new 6, agree 1, qualify 1), one disagreeing unit
    expected = 1 - (8 - 1) * 2 / (2 * (6 * 1 + 6 * 1 + 1 * 1))
    assert result.alpha == pytest.approx(expected)
    assert result.per_stance[N] == pytest.approx(1.0)
    assert result.per_stance[A] == pytest.approx(0.0)  # ben never said agree
    assert result.confusion == {(N, N): 3, (A, Q): 1}
    (only,) = result.disagreements
    assert (only.segment_id, only.code) == (
        small_study.segments[(small_study.senior_transcript, 2)],
        "costs.approval",
    )
    assert only.stances == {"ana": A, "ben": Q}


def test_units_without_a_stance_are_unfinished_not_disagreements() -> None:
    judgements = {
        "a": {(1, "x"): N, (2, "x"): A, (3, "x"): None, (4, "y"): D},
        "b": {(1, "x"): N, (2, "x"): A, (3, "x"): Q},
    }
    result = stance_agreement(judgements, {})
    assert (result.units, result.unfinished) == (2, 1)  # unit 4: only a coded it
    assert result.percent == 1.0 and result.disagreements == ()
    assert result.kappa == pytest.approx(1.0)  # observed 1, chance 1/2


def test_three_coders_average_over_pairs() -> None:
    judgements = {
        "a": {(1, "x"): N, (2, "x"): A, (3, "x"): D, (4, "x"): Q},
        "b": {(1, "x"): N, (2, "x"): A, (3, "x"): D, (4, "x"): A},
        "c": {(1, "x"): N, (2, "x"): A, (3, "x"): D, (4, "x"): Q},
    }
    result = stance_agreement(judgements, {})
    assert result.units == 4
    assert result.percent == pytest.approx((3 / 4 + 1 + 3 / 4) / 3)
    assert result.confusion == {(N, N): 1, (A, A): 1, (D, D): 1, (Q, A): 1}
    assert [d.stances for d in result.disagreements] == [{"a": Q, "b": A, "c": Q}]
