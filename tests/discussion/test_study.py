"""A study's discussions as the measures see them, and the measures on them, by hand."""

from __future__ import annotations

import pytest

from innostudy.discussion.study import load_discussions
from innostudy.discussion.talk import talk_balance
from innostudy.model import Sector, Stance
from innostudy.storage.store import StudyStore

from .conftest import SmallStudy


def test_turns_come_with_codes_and_stances_and_without_the_withdrawn(
    small_study: SmallStudy,
) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        senior, business = load_discussions(s, coders=["ana"])
    assert (senior.group, senior.sector, senior.end_times) == (
        "Senior civil servants group",
        Sector.CIVIL_SERVICE,
        True,
    )
    assert (business.sector, business.end_times) == (Sector.COMPARISON, False)
    rows = [(t.position, t.speaker, t.role, t.words, t.start_ms, t.end_ms) for t in senior.turns]
    assert rows == [
        (0, "Facilitator", "facilitator", 8, 0, 4000),
        (1, "SCS-01", "participant", 8, 5000, 11_000),
        (2, "SCS-02", "participant", 5, 12_000, 14_000),
        # position 3 was SCS-03's, who withdrew: their turn counts for nothing
        (4, "SCS-01", "participant", 11, 21_000, 30_000),
        (5, "Facilitator", "facilitator", 3, 31_000, 33_000),
        (6, "SCS-02", "participant", 6, 34_000, 38_000),
    ]
    assert [dict(t.stances) for t in senior.turns if t.codes] == [
        {"costs.approval": Stance.NEW},
        {"costs.approval": Stance.AGREE},
        {"barriers.risk": Stance.NEW},
        {"costs.budgeting": Stance.NEW},
    ]
    assert senior.turns[0].text.startswith("How long") and senior.turns[1].text == ""
    assert [t.start_ms for t in business.turns] == [0, 6000, 20_000, 25_000]
    assert all(t.end_ms is None for t in business.turns)


def test_only_the_coders_asked_for_are_read(small_study: SmallStudy) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        (senior,) = load_discussions(s, coders=["ben"], transcript_id=small_study.senior_transcript)
        (business,) = load_discussions(s, coders=["ben"], session_id=None)[1:]
    assert senior.turns[2].stances == {"costs.approval": Stance.QUALIFY}
    assert not any(t.codes for t in business.turns)


def test_talk_in_the_small_study(small_study: SmallStudy) -> None:
    with StudyStore.open(small_study.folder) as store, store.session() as s:
        senior, business = load_discussions(s)
    talk = talk_balance([senior])
    assert {p.speaker: (p.turns, p.words, p.speaking_ms) for p in talk.participants} == {
        "SCS-01": (2, 19, 15_000),
        "SCS-02": (2, 11, 6000),
    }
    assert talk.moderator_word_share == pytest.approx(11 / 41)
    assert talk.gini == pytest.approx(abs(19 - 11) * 2 / (2 * 2 * 2 * 15))
    plain = talk_balance([business])
    # start times only: 0 → 6 → 20 → 25, the last turn's length unknown
    assert {p.speaker: p.speaking_ms for p in plain.participants} == {
        "BUS-01": 14_000,
        "BUS-02": 5000,
    }
    assert plain.moderator_ms == 6000 and plain.timed_turns == 3
