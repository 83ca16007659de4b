"""Word error rate and speaker attribution, on turns small enough to count by hand."""

from __future__ import annotations

import pytest

from innostudy.transcripts.audio.accuracy import score, words_of

SCRIPT = [("ana", "We tried a small pilot."), ("ben", "It took six months!")]


def test_a_perfect_transcript() -> None:
    result = score(SCRIPT, [("S2", "we tried a small pilot"), ("S1", "It took six months.")])
    assert (result.word_error_rate, result.attribution, result.matched_words) == (0.0, 1.0, 9)
    assert result.mapping == {"S1": "ben", "S2": "ana"}


def test_errors_are_substitutions_deletions_and_insertions_over_script_words() -> None:
    # "small" → "tall" (1), "six" deleted (1), "really" inserted (1): 3 of 9 words
    result = score(SCRIPT, [("S1", "We tried a tall pilot. It really took months")])
    assert result.word_error_rate == pytest.approx(3 / 9)
    assert result.matched_words == 7
    assert result.attribution == pytest.approx(4 / 7)  # one label for both people


def test_a_word_given_to_the_wrong_person_counts_against_attribution() -> None:
    heard = [("S1", "We tried a small pilot. It"), ("S2", "took six months")]
    result = score(SCRIPT, heard)
    assert result.word_error_rate == 0.0
    assert result.attribution == pytest.approx(8 / 9)


def test_words_ignore_case_and_punctuation_but_keep_apostrophes() -> None:
    assert words_of("Don’t STOP, it's fine.") == ["don't", "stop", "it's", "fine"]
