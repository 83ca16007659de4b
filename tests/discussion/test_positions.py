"""Agreement and dissent per theme: verdicts count people, and show their turns."""

from __future__ import annotations

import pytest

from innostudy.discussion.positions import theme_positions, verdict
from innostudy.model import Stance

from .helpers import discussion, turn

REWARDS = "barriers.rewards"


@pytest.mark.parametrize(
    ("agreed", "disagreed", "expected"),
    [
        (2, 2, "split"),
        (3, 2, "split"),
        (2, 1, "contested"),
        (0, 1, "contested"),
        (1, 3, "contested"),  # two against, one for: disputed, not split
        (2, 0, "consensus"),
        (1, 0, "open"),
        (0, 0, "open"),
    ],
)
def test_the_verdict_rule(agreed: int, disagreed: int, expected: str) -> None:
    assert verdict(agreed, disagreed) == expected


def test_a_group_that_splits_and_the_turns_that_show_it() -> None:
    session = discussion(
        [
            turn(0, "M", "Should people be rewarded?"),
            turn(1, "A", "x", codes=REWARDS, stance="new"),
            turn(2, "B", "x", codes=REWARDS, stance="agree"),
            turn(3, "C", "x", codes=REWARDS, stance="disagree"),
            turn(4, "C", "x", codes=REWARDS, stance="disagree"),  # one person, twice
            turn(5, "D", "x", codes=REWARDS, stance="qualify"),
            turn(6, "E", "x", codes=REWARDS, stance="agree"),
            turn(7, "F", "x", codes=REWARDS),  # coded, no stance yet
        ]
    )
    (rewards,) = theme_positions([session])
    assert rewards.verdict == "contested"  # C alone disagrees, however often
    assert rewards.counts == {Stance.NEW: 1, Stance.AGREE: 2, Stance.DISAGREE: 2, Stance.QUALIFY: 1}
    assert (rewards.agreed, rewards.disagreed, rewards.unstanced) == (("B", "E"), ("C",), 1)
    assert [t.segment_id for t in rewards.showing()] == [103, 104]

    second = discussion([turn(0, "G", "x", codes=REWARDS, stance="disagree")], transcript_id=2)
    (pooled,) = theme_positions([session, second])  # the group's two sessions together
    assert pooled.verdict == "split"
    assert pooled.disagreed == ("C", "G")
    shown = [(t.transcript_id, t.segment_id, t.stance) for t in pooled.showing()]
    assert shown == [
        (1, 102, Stance.AGREE),
        (1, 103, Stance.DISAGREE),
        (1, 104, Stance.DISAGREE),
        (1, 106, Stance.AGREE),
        (2, 100, Stance.DISAGREE),
    ]


def test_stances_belong_to_their_theme_and_only_participants_count() -> None:
    session = discussion(
        [
            turn(0, "A", "x", codes="a.one a.two", stance="agree"),
            turn(1, "B", "x", codes="a.one", stance="agree"),
            turn(2, "?", "x", codes="a.two", stance="disagree"),  # not a participant
        ]
    )
    by_code = {p.code: p for p in theme_positions([session])}
    assert by_code["a.one"].verdict == "consensus"
    assert by_code["a.one"].showing() == by_code["a.one"].turns
    assert by_code["a.two"].verdict == "open" and by_code["a.two"].disagreed == ()
    assert by_code["a.two"].showing() == by_code["a.two"].turns  # open: everything shows it
