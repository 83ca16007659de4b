"""Talk and balance on a session small enough to count on one's fingers."""

from __future__ import annotations

from itertools import product

import pytest

from innostudy.discussion.talk import gini, talk_balance, turn_lengths

from .helpers import discussion, turn

# Words: moderator 6 + 5 = 11; A 10 + 2 = 12; B 6; C 1; an unidentified speaker 3.
SESSION = [
    turn(0, "M", "Welcome all, let us begin now", at=0, until=5),
    turn(1, "A", "one two three four five six seven eight nine ten", at=6, until=16),
    turn(2, "B", "one two three four five six", at=17, until=20),
    turn(3, "M", "And what about costs then", at=21, until=23),
    turn(4, "A", "yes indeed", at=24, until=25),
    turn(5, "C", "mm", at=26, until=26.5),
    turn(6, "?", "sorry who's that", at=27, until=28),
]


def test_each_speaker_is_counted_by_turns_words_and_time() -> None:
    talk = talk_balance([discussion(SESSION)])
    people = {p.speaker: (p.turns, p.words, p.speaking_ms) for p in talk.participants}
    assert people == {"A": (2, 12, 11_000), "B": (1, 6, 3000), "C": (1, 1, 500)}
    assert [p.speaker for p in talk.participants] == ["A", "B", "C"]  # most words first
    others = {p.speaker: (p.turns, p.words, p.speaking_ms) for p in talk.others}
    assert others == {"Facilitator": (2, 11, 7000), "Speaker 1": (1, 3, 1000)}
    assert (talk.turns, talk.words, talk.timed_turns, talk.speaking_ms) == (7, 33, 7, 22_500)


def test_the_moderators_share_is_of_everything_said() -> None:
    talk = talk_balance([discussion(SESSION)])
    assert talk.moderator_word_share == pytest.approx(11 / 33)
    assert talk.moderator_turn_share == pytest.approx(2 / 7)
    assert talk.moderator_time_share == pytest.approx(7000 / 22_500)


def test_balance_is_over_participants_only() -> None:
    talk = talk_balance([discussion(SESSION)])
    # |12-6| + |12-1| + |6-1| = 22 over pairs each way = 44; 2 n² mean = 2*9*(19/3) = 114
    assert talk.gini == pytest.approx(44 / 114)
    assert talk.top_two_share == pytest.approx(18 / 19)
    # an equal share is 19/3 ≈ 6.33 words; a quarter of it ≈ 1.58: C said 1
    assert talk.near_silent == ("C",)
    shares = {p.speaker: p.word_share for p in talk.participants}
    assert shares == pytest.approx({"A": 12 / 19, "B": 6 / 19, "C": 1 / 19})


@pytest.mark.parametrize(
    "values", [[1, 1], [0, 10], [3, 1, 4, 1, 5], [7, 0, 0, 2], [10] * 6, [1, 2, 3, 40]]
)
def test_gini_is_the_mean_absolute_difference_over_twice_the_mean(values: list[int]) -> None:
    n = len(values)
    mean = sum(values) / n
    expected = sum(abs(a - b) for a, b in product(values, values)) / (2 * n * n * mean)
    assert gini(values) == pytest.approx(expected)


def test_gini_needs_two_people_and_something_said() -> None:
    assert gini([5]) is None
    assert gini([0, 0, 0]) is None
    assert gini([]) is None


def test_with_start_times_only_a_turn_lasts_until_the_next_begins() -> None:
    turns = [
        turn(0, "M", "a question", at=0),
        turn(1, "A", "an answer of five words", at=4),
        turn(2, "B", "a reply", at=19),
        turn(3, "A", "the last word", at=25),
    ]
    assert turn_lengths(turns, end_times=False) == [4000, 15_000, 6000, None]
    talk = talk_balance([discussion(turns, end_times=False)])
    assert {p.speaker: p.speaking_ms for p in talk.participants} == {"A": 15_000, "B": 6000}
    assert talk.timed_turns == 3


def test_turns_without_times_count_for_turns_and_words_only() -> None:
    talk = talk_balance([discussion([turn(0, "A", "one two"), turn(1, "B", "three")])])
    assert talk.speaking_ms is None and talk.timed_turns == 0
    assert all(p.speaking_ms is None for p in talk.participants)
    assert talk.moderator_time_share is None
    assert talk.top_two_share is None  # two people: the two largest are everyone


def test_sessions_pool_into_a_group() -> None:
    first = discussion([turn(0, "A", "one two three"), turn(1, "M", "next")])
    second = discussion([turn(0, "A", "four"), turn(1, "B", "five six")], transcript_id=2)
    talk = talk_balance([first, second])
    assert {p.speaker: (p.turns, p.words) for p in talk.participants} == {
        "A": (2, 4),
        "B": (1, 2),
    }
    assert talk.moderator_words == 1 and talk.words == 7
