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
    """Levenshtein distance over words, and the (ref, hyp) index pairs that match."""
    n, m = len(ref), len(hyp)
    cost = [list(range(m + 1))] + [[i] + [0] * m for i in range(1, n + 1)]
    for i in range(1, n + 1):
        above, here, word = cost[i - 1], cost[i], ref[i - 1]
        for j in range(1, m + 1):
            here[j] = min(above[j] + 1, here[j - 1] + 1, above[j - 1] + (word != hyp[j - 1]))
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:  # among equally cheap paths, prefer matches, then gaps
        if ref[i - 1] == hyp[j - 1] and cost[i][j] == cost[i - 1][j - 1]:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif cost[i][j] == cost[i - 1][j] + 1:
            i -= 1
        elif cost[i][j] == cost[i][j - 1] + 1:
            j -= 1
        else:
            i, j = i - 1, j - 1
    return cost[n][m], pairs[::-1]
