"""Who said each word, on made-up voice vectors where the answer is known."""

from __future__ import annotations

import itertools

import numpy as np

from innostudy.transcripts.audio.diarise import (
    WINDOW,
    Word,
    assign,
    phrases,
    speaker_labels,
    window_starts,
)


def words(*spans: tuple[float, float]) -> list[Word]:
    return [Word(a, b, f" w{i}") for i, (a, b) in enumerate(spans)]


def test_a_pause_longer_than_a_quarter_second_ends_a_phrase() -> None:
    said = words((0.0, 0.4), (0.5, 0.9), (1.3, 1.6), (1.7, 2.0))
    assert phrases(said) == [range(0, 2), range(2, 4)]
    assert phrases([]) == []


def test_windows_cover_each_phrase_and_stay_inside_long_ones() -> None:
    short = window_starts(words((2.0, 2.6)))
    assert short == [2.3 - WINDOW / 2]  # one window, centred on the phrase
    long = window_starts(words((10.0, 11.0), (11.1, 13.0)))
    assert long[0] == 10.0 and long[-1] == 13.0 - WINDOW
    assert all(b - a <= 0.8 + 1e-9 for a, b in itertools.pairwise(long))


def voices(n: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, 256))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def noisy(v: np.ndarray, rng: np.random.Generator, amount: float = 0.6) -> np.ndarray:
    x = v + amount * rng.normal(size=v.shape) / 16
    return (x / np.linalg.norm(x)).astype(np.float32)


def conversation(turns: list[tuple[int, float, float]], gap: float, seed: int = 2) -> tuple:
    """Words every 0.3 s through each (voice, start, end) turn, windows labelled by time."""
    rng = np.random.default_rng(seed)
    centres = voices(3)
    said, truth = [], []
    for voice, a, b in turns:
        t = a
        while t + 0.25 <= b:
            said.append(Word(t, t + 0.25, " w"))
            truth.append(voice)
            t += 0.3
    starts = window_starts(said)

    def who(time: float) -> int:
        return next((v for v, a, b in turns if a <= time <= b + gap), turns[-1][0])

    vectors = np.stack([noisy(centres[who(s + WINDOW / 2)], rng) for s in starts])
    return said, truth, starts, vectors


def test_voices_are_found_and_a_change_without_a_pause_splits_a_phrase() -> None:
    # voice 1 answers voice 0 with no pause at 6.0 s; voice 2 speaks after a pause
    said, truth, starts, vectors = conversation(
        [(0, 0.0, 6.0), (1, 6.05, 12.0), (2, 12.6, 18.0)], 0.0
    )
    assert len(phrases(said)) == 2
    path = assign(said, starts, vectors, 3)
    relabel = {path[0]: 0, path[len(path) // 2]: 1, path[-1]: 2}
    right = sum(relabel.get(p) == t for p, t in zip(path, truth, strict=True))
    assert right / len(truth) >= 0.95
    assert len(set(path)) == 3


def test_one_odd_window_does_not_flip_a_word() -> None:
    said, truth, starts, vectors = conversation([(0, 0.0, 8.0), (1, 8.6, 16.0)], 0.3)
    vectors[3] = voices(3)[1]  # a cough that sounds like the other person
    path = assign(said, starts, vectors, 2)
    assert path[: truth.count(0)] == [path[0]] * truth.count(0)


def test_labels_follow_the_order_people_first_spoke() -> None:
    assert speaker_labels([2, 2, 0, 1, 0]) == ["S1", "S1", "S2", "S3", "S2"]


def test_more_speakers_than_phrases_gives_one_voice_per_phrase() -> None:
    said = words((0.0, 1.0), (2.0, 3.0))
    vectors = np.stack([voices(2)[0], voices(2)[1]]).astype(np.float32)
    path = assign(said, window_starts(said), vectors, 5)
    assert sorted(set(path)) == [0, 1]
