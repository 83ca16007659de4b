"""What accepted examples say about a text, as a log likelihood ratio per code.

For a code with examples, the evidence is how much more a text resembles that code's
examples than texts of *other* codes do:

    log LR_c(x) = a_c · (s_c(x) − b_c),      s_c(x) = cos(x, centroid of c's examples)

which is the log ratio of two equal-variance normal densities of s_c: one fitted on
held-out examples *of* c, one on held-out examples of other codes (each example's
similarity is taken to a centroid built without its own group, so no example vouches
for itself). It is negative for a typical text of another code, positive for a typical
text of c, and zero for codes without examples, which therefore keep the codebook's
score. Few examples pull a_c towards the pooled estimate rather than to extremes.

Similarities are taken after removing each group's mean vector (a group is a transcript
or session). Talk in one session shares its topic (tax, prisons, floods) across codes;
without this, a text would look like every example from its own session, and examples
would pull texts towards whichever codes happened to be coded in that session.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]

SHRINK = 2.0  # a code's positive mean counts as k/(k+2) of its own, the rest pooled
BLOCKS = 4
MIN_GROUP = 8  # texts a group needs before its own mean is removed


def cv_groups(groups: Sequence[Hashable]) -> list[str]:
    """Groups to hold out in turn; a single group becomes contiguous (paragraph-like) blocks."""
    if len(set(groups)) >= 2:
        return [str(g) for g in groups]
    size = max(1, -(-len(groups) // BLOCKS))
    return [f"block {i // size}" for i in range(len(groups))]


def unit_rows(x: Matrix) -> Matrix:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    out: Matrix = np.divide(x, norms, out=np.zeros_like(x), where=norms > 1e-12)
    return out


@dataclass(frozen=True)
class Centring:
    """Group means to subtract; texts of an unknown or small group lose the overall mean."""

    means: Mapping[Hashable, Matrix]
    overall: Matrix

    @classmethod
    def of(cls, vectors: Matrix, groups: Sequence[Hashable]) -> Centring:
        if not len(vectors):
            raise ValueError("centring needs at least one vector")
        keys = np.array([str(g) for g in groups])
        means = {}
        for g in dict.fromkeys(groups):
            rows = vectors[keys == str(g)]
            # A mean of a few texts is mostly those texts: it would erase what they say.
            if len(rows) >= MIN_GROUP:
                means[g] = rows.mean(axis=0)
        return cls(means, vectors.mean(axis=0))

    def apply(self, vectors: Matrix, groups: Sequence[Hashable] | None) -> Matrix:
        if groups is None or not len(vectors):
            return vectors - self.overall
        return vectors - np.stack([self.means.get(g, self.overall) for g in groups])


def _centroids(codes: Sequence[str], x: Matrix, y: npt.NDArray[np.str_]) -> tuple[Matrix, Matrix]:
    cent = np.zeros((len(codes), x.shape[1]))
    counts = np.zeros(len(codes))
    for j, code in enumerate(codes):
        rows = x[y == code]
        counts[j] = len(rows)
        if len(rows):
            cent[j] = rows.mean(axis=0)
    return unit_rows(cent), counts


class Evidence:
    """Per-code log likelihood ratios from examples, in the group-centred space."""

    def __init__(
        self,
        codes: Sequence[str],
        x: Matrix,
        y: Sequence[str],
        groups: Sequence[Hashable],
        centring: Centring,
        *,
        shrink: float = SHRINK,
    ) -> None:
        self.codes = list(codes)
        self.centring = centring
        labels = np.array(list(y), dtype=str)
        keys = np.array(cv_groups(groups))
        shifted = centring.apply(x, list(groups))
        # What all examples share (their register, the study's subject) says nothing
        # about which code a text belongs to, so it is removed as well.
        self.offset = shifted.mean(axis=0) if len(x) else np.zeros(x.shape[1])
        space = unit_rows(shifted - self.offset)
        self.centroids, self.counts = _centroids(self.codes, space, labels)
        self.slope = np.zeros(len(self.codes))
        self.mid = np.zeros(len(self.codes))
        if len(x):
            self._fit_ratios(space, labels, keys, shrink)

    def _fit_ratios(
        self, space: Matrix, labels: npt.NDArray[np.str_], keys: npt.NDArray[np.str_], shrink: float
    ) -> None:
        positives: list[list[float]] = [[] for _ in self.codes]
        negatives: list[list[float]] = [[] for _ in self.codes]
        for group in dict.fromkeys(keys):
            held = keys == group
            if held.all():
                continue
            cent, counts = _centroids(self.codes, space[~held], labels[~held])
            sims = space[held] @ cent.T
            for row, label in zip(sims, labels[held], strict=True):
                for j, code in enumerate(self.codes):
                    if counts[j]:
                        (positives if code == label else negatives)[j].append(float(row[j]))
        every = [v for p in positives for v in p] + [v for n in negatives for v in n]
        variance = float(np.var(every)) if len(every) > 2 else 0.01
        variance = max(variance, 1e-4)
        pooled_pos = float(np.mean([v for p in positives for v in p])) if any(positives) else 0.3
        pooled_neg = float(np.mean([v for n in negatives for v in n])) if any(negatives) else 0.0
        for j in range(len(self.codes)):
            if not self.counts[j]:
                continue
            k = len(positives[j])
            own = float(np.mean(positives[j])) if k else pooled_pos
            pos = pooled_pos + k / (k + shrink) * (own - pooled_pos)
            neg = float(np.mean(negatives[j])) if negatives[j] else pooled_neg
            self.slope[j] = (pos - neg) / variance
            self.mid[j] = (pos + neg) / 2

    @property
    def present(self) -> npt.NDArray[np.bool_]:
        """Which codes have examples (the others get no evidence at all)."""
        return self.counts > 0

    def __call__(self, vectors: Matrix, groups: Sequence[Hashable] | None = None) -> Matrix:
        if not len(vectors):
            return np.zeros((0, len(self.codes)))
        space = unit_rows(self.centring.apply(vectors, groups) - self.offset)
        sims = space @ self.centroids.T
        out: Matrix = self.slope * (sims - self.mid)
        out[:, ~self.present] = 0.0
        return out


def combine(
    zero_shot: Matrix, evidence: Matrix, present: npt.NDArray[np.bool_], weight: float
) -> Matrix:
    """Zero-shot scores plus weighted evidence, for texts zero-shot puts under a code that
    has examples; a text it puts under a code nobody has coded yet keeps zero-shot's scores.

    Evidence then only ever chooses between codes that have examples (or finds that a text
    resembles none of them): it cannot pull a text away from a code that has no examples
    to speak for it, so such codes keep exactly their zero-shot results.
    """
    if not weight or not present.any():
        return zero_shot
    gated = present[zero_shot.argmax(axis=1)]
    out = zero_shot.copy()
    out[gated] += weight * evidence[gated]
    return out
