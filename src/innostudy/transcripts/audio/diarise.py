"""Who said each word: voice windows clustered into the known number of speakers.

    words (with times) ─► phrases (split at pauses) ─► 1.6 s windows inside each phrase
          ─► one voice vector per window ─► pieces of phrases clustered into N voices
          ─► each word scored against every voice ─► best path over the words
             (changing speaker costs more inside a phrase than at a pause)
          ─► turns: runs of words with one speaker

Windows stay inside phrases so that one rarely hears two people; the path step lets a
phrase change speaker mid-way (people answer without a pause) without letting a single
odd window flip one word. Knowing N (the session's attendees plus the moderator) is what
makes plain clustering work; nothing here guesses how many people spoke.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

WINDOW = 1.6  # seconds, the encoder's training length
STEP = 0.8
PAUSE = 0.25  # a gap this long ends a phrase
SWITCH_IN_PHRASE = 0.3  # score cost of a change of speaker between two words of a phrase
SWITCH_AT_PAUSE = 0.06
PIECE = 4  # windows (about 3 s of speech) pooled into one vector for the clustering

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str  # as the recogniser wrote it, with its leading space


def phrases(words: Sequence[Word]) -> list[range]:
    """Runs of words with no pause longer than ``PAUSE`` between them (indexes)."""
    out: list[range] = []
    first = 0
    for i in range(1, len(words) + 1):
        if i == len(words) or words[i].start - words[i - 1].end > PAUSE:
            if i > first:
                out.append(range(first, i))
            first = i
    return out


def window_starts(words: Sequence[Word]) -> list[float]:
    """Start times of the voice windows: every ``STEP`` through each phrase, one if short."""
    starts: list[float] = []
    for p in phrases(words):
        a, b = words[p.start].start, words[p.stop - 1].end
        if b - a <= WINDOW:
            starts.append(max(0.0, (a + b - WINDOW) / 2))
            continue
        s = a
        while s + WINDOW < b:
            starts.append(s)
            s += STEP
        starts.append(b - WINDOW)
    return starts


def assign(
    words: Sequence[Word], starts: Sequence[float], vectors: Floats, speakers: int
) -> list[int]:
    """A speaker index (0 … speakers-1) for every word."""
    if not words:
        return []
    starts_a = np.asarray(starts, dtype=np.float64)
    groups = phrases(words)
    piece_vectors, weights = _pieces(words, groups, starts_a, vectors)
    voices = _voices(piece_vectors, weights, min(speakers, len(piece_vectors)))
    scores = _word_scores(words, starts_a, vectors @ voices.T)
    in_phrase = np.zeros(len(words), dtype=bool)
    for p in groups:
        in_phrase[p.start + 1 : p.stop] = True
    return _best_path(scores, in_phrase)


def _pieces(
    words: Sequence[Word], groups: list[range], starts: npt.NDArray[np.float64], vectors: Floats
) -> tuple[Floats, npt.NDArray[np.float64]]:
    """One vector per piece of a phrase (at most ``PIECE`` windows), weighted by its windows.

    Pieces rather than whole phrases, so two people who never pause between each other
    still give the clustering something of each.
    """
    centres = starts + WINDOW / 2
    out: list[Floats] = []
    weights: list[float] = []
    for p in groups:
        a, b = words[p.start].start, words[p.stop - 1].end
        inside = np.flatnonzero((centres >= a - WINDOW / 2) & (centres <= b + WINDOW / 2))
        if len(inside) == 0:
            inside = np.array([int(np.argmin(abs(centres - a)))])
        for block in np.array_split(inside, -(-len(inside) // PIECE)):
            out.append(vectors[block].mean(axis=0))
            weights.append(float(len(block)))
    stacked = np.stack(out)
    stacked /= np.maximum(np.linalg.norm(stacked, axis=1, keepdims=True), 1e-8)
    return stacked.astype(np.float32), np.asarray(weights)


def _voices(vectors: Floats, weights: npt.NDArray[np.float64], n: int) -> Floats:
    """N voice centres: average-linkage clustering on cosine distance, duration-weighted."""
    if n <= 1:
        labels = np.zeros(len(vectors), dtype=int)
    else:
        from sklearn.cluster import AgglomerativeClustering

        labels = AgglomerativeClustering(
            n_clusters=n, metric="cosine", linkage="average"
        ).fit_predict(vectors)
    centres = np.stack(
        [(vectors[labels == c] * weights[labels == c, None]).sum(0) for c in range(n)]
    )
    norms = np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-8)
    unit: Floats = (centres / norms).astype(np.float32)
    return unit


def _word_scores(
    words: Sequence[Word], starts: npt.NDArray[np.float64], similarity: Floats
) -> Floats:
    """Each word's similarity to each voice: the mean over windows covering its middle."""
    centres = starts + WINDOW / 2
    out = np.zeros((len(words), similarity.shape[1]), dtype=np.float32)
    for i, w in enumerate(words):
        middle = (w.start + w.end) / 2
        covering = (starts <= middle) & (starts + WINDOW >= middle)
        rows = (
            similarity[covering]
            if covering.any()
            else similarity[[int(np.argmin(abs(centres - middle)))]]
        )
        out[i] = rows.mean(axis=0)
    return out


def _best_path(scores: Floats, in_phrase: npt.NDArray[np.bool_]) -> list[int]:
    """Viterbi over words: maximise similarity minus a cost for each change of speaker."""
    n_words, n_voices = scores.shape
    total = scores[0].astype(np.float64).copy()
    back = np.zeros((n_words, n_voices), dtype=np.int64)
    for i in range(1, n_words):
        cost = SWITCH_IN_PHRASE if in_phrase[i] else SWITCH_AT_PAUSE
        moves = total[None, :] - cost * (1 - np.eye(n_voices))  # [to, from]
        back[i] = moves.argmax(axis=1)
        total = moves.max(axis=1) + scores[i]
    path = [int(total.argmax())]
    for i in range(n_words - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


def speaker_labels(path: Sequence[int]) -> list[str]:
    """``S1``, ``S2``, … in order of first appearance, so S1 is whoever spoke first."""
    order: dict[int, str] = {}
    for voice in path:
        order.setdefault(voice, f"S{len(order) + 1}")
    return [order[v] for v in path]
