"""How well a transcription matches its script: word error rate and speakers, after alignment.

Used by the tests and the benchmark, which synthesise speech from a known script.
Words are compared lower-cased without punctuation. Speaker attribution counts the
words recognised correctly whose speaker is right, after the best one-to-one mapping of
``S1…Sn`` to the script's speakers (the labels are arbitrary; the grouping is what counts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Accuracy:
    word_error_rate: float
    attribution: float  # share of matched words given to the right speaker
    matched_words: int
    mapping: dict[str, str]  # S1 → script speaker


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def score(reference: Sequence[tuple[str, str]], heard: Sequence[tuple[str, str]]) -> Accuracy:
    """``(speaker, text)`` turns of the script and of the transcript."""
    ref = [(w, who) for who, text in reference for w in words_of(text)]
    hyp = [(w, who) for who, text in heard for w in words_of(text)]
    errors, pairs = _align([w for w, _ in ref], [w for w, _ in hyp])
    ref_speakers = sorted({who for _, who in ref})
    hyp_speakers = sorted({who for _, who in hyp})
    counts = np.zeros((len(hyp_speakers), len(ref_speakers)))
    for i, j in pairs:
        counts[hyp_speakers.index(hyp[j][1]), ref_speakers.index(ref[i][1])] += 1
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(-counts)
    right = counts[rows, cols].sum()
    return Accuracy(
        word_error_rate=errors / max(1, len(ref)),
        attribution=float(right / len(pairs)) if pairs else 0.0,
        matched_words=len(pairs),
        mapping={hyp_speakers[r]: ref_speakers[c] for r, c in zip(rows, cols, strict=True)},
    )


def _align(ref: list[str], hyp: list[str]) -> tuple[int, list[tuple[int, int]]]:
    """Levenshtein distance over words, and the (ref, hyp) index pairs that match.

    One row of costs at a time (numpy) and one byte per cell for the way back, so a
    90-minute script (14,000 words each side) needs about 200 MB, not gigabytes.
    Among equally cheap ways back, matches come first, then gaps, then substitutions.
    """
    n, m = len(ref), len(hyp)
    vocabulary = {w: k for k, w in enumerate(dict.fromkeys([*ref, *hyp]))}
    hyp_ids = np.array([vocabulary[w] for w in hyp], dtype=np.int64)
    steps = np.arange(m + 1)
    way = np.zeros((n + 1, m + 1), dtype=np.uint8)  # 0 match, 1 up, 2 left, 3 substitute
    way[0, 1:] = 2
    prev = steps.copy()
    for i in range(1, n + 1):
        same = hyp_ids == vocabulary[ref[i - 1]]
        candidate = np.empty(m + 1, dtype=np.int64)
        candidate[0] = i
        candidate[1:] = np.minimum(prev[1:] + 1, prev[:-1] + ~same)
        row = np.minimum.accumulate(candidate - steps) + steps  # insertions along the row
        way[i, 0] = 1
        way[i, 1:] = np.where(
            same & (prev[:-1] == row[1:]),
            0,
            np.where(prev[1:] + 1 == row[1:], 1, np.where(row[:-1] + 1 == row[1:], 2, 3)),
        )
        prev = row
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        step = way[i, j]
        if step == 0:
            pairs.append((i - 1, j - 1))
        i, j = (i - 1, j - 1) if step in (0, 3) else (i - 1, j) if step == 1 else (i, j - 1)
    return int(prev[m]), pairs[::-1]
