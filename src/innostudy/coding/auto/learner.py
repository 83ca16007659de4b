"""The auto-coder: the codebook is the prior, accepted examples move a code only as far as
the evidence justifies, and how far that is gets decided by the examples themselves.

    score_c(x) = log p0(c | x)  +  w · evidence_c(x)

* ``p0`` is **zero-shot** coding from the codebook alone: a multinomial logistic
  regression on sentence embeddings of each code's own text (name with description,
  include rule, examples written in the codebook). It never changes as coders work.
* ``evidence_c`` (``auto/evidence.py``) is a log likelihood ratio: how much more ``x``
  resembles the accepted examples of ``c`` than examples of other codes do, after each
  transcript's mean is removed. It is applied only to texts whose zero-shot best code
  has examples, so codes without examples **keep exactly their zero-shot results**
  instead of losing texts to codes people happened to code first; and how many examples
  a code has does not become a prior for it (no intercepts are learnt from examples; a
  code with 25 examples and one with 3 are judged by resemblance alone).
* ``w`` is chosen by **grouped cross-validation on the accepted examples** (groups are
  transcripts or sessions), from a few candidates that include 0, i.e. zero-shot itself
  (``auto/weighting.py``). Zero-shot wins unless a weight is better by more than its
  standard error and by a sign test, so a small or skewed set of examples leaves
  results at zero-shot rather than below it.

Confidence is ``softmax(score / T)``: ``T`` measured on the development split of the
evaluation set (bench/data/eval) for zero-shot, fitted on the examples' cross-validated
scores once they carry weight, so that stated confidence tracks the share of
suggestions that are right (docs/coding-accuracy.md). Each code may have its own
threshold (``auto/calibration.py``); every code at or above its threshold is listed in
``Suggestion.codes``, so a turn can get several codes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from innostudy.coding.auto.base import (
    CodeText,
    Encoder,
    Example,
    Neighbour,
    Suggestion,
    Vectors,
)
from innostudy.coding.auto.calibration import Review
from innostudy.coding.auto.evidence import Centring, Evidence, Matrix, combine
from innostudy.coding.auto.weighting import WeightChoice, choose_weight

REGULARISATION_C = 10.0
# Measured on the evaluation set's development split (and the default codebook's
# held-out segments): zero-shot probabilities are too flat at 1.0; at 0.35 the expected
# calibration error is 0.05–0.09. With examples, T is fitted on the cross-validated
# scores of the examples themselves (below).
ZERO_SHOT_TEMPERATURE = 0.35
TEMPERATURES = (0.25, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0)
MIN_FOR_TEMPERATURE = 20
# The pooled threshold of simulated reviews on the development split; a study replaces
# it with thresholds calibrated on its own reviews (``calibration.calibrate_thresholds``).
DEFAULT_THRESHOLD = 0.35
REVIEW_FLOOR = 0.02
NEAREST = 3
RANKED = 5
_CHUNK = 4096


@dataclass(frozen=True)
class Context:
    """Texts of the study beside the examples, unlabelled (usually the ones about to be
    coded). With the examples they give each group's mean vector, removed before texts
    are compared with examples."""

    vectors: Vectors
    groups: Sequence[Hashable] | None = None


class EmbeddingCoder:
    """An :class:`AutoCoder` over any :class:`Encoder` (the real model, or the fake)."""

    def __init__(
        self,
        encoder: Encoder,
        *,
        ranked: int = RANKED,
        nearest: int = NEAREST,
        thresholds: Mapping[str, float] | None = None,
        default_threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.encoder = encoder
        self.ranked = ranked
        self.nearest = nearest
        self.thresholds = dict(thresholds or {})
        self.default_threshold = default_threshold
        self.codes: list[str] = []
        self.weight = 0.0
        self.choice: WeightChoice | None = None
        self._model: LogisticRegression | None = None
        self._evidence: Evidence | None = None
        self._temperature = ZERO_SHOT_TEMPERATURE
        self._near: Vectors = np.zeros((0, encoder.dim), np.float32)
        self._near_meta: list[tuple[str, str, str]] = []  # ref, code, text

    def fit(
        self,
        codes: Sequence[CodeText],
        examples: Sequence[Example] = (),
        *,
        example_vectors: Vectors | None = None,
        context: Context | None = None,
    ) -> None:
        """Learn from the codebook, then weigh accepted examples (vectors may be cached)."""
        if not codes:
            raise ValueError("an auto-coder needs at least one code")
        self.codes = [c.key for c in codes]
        unknown = sorted({e.code for e in examples} - set(self.codes))
        if unknown:
            raise ValueError(f"examples use codes not in the codebook: {', '.join(unknown)}")
        book_texts, book_labels, book_meta = _codebook_rows(codes)
        book_vectors = self.encoder.encode(book_texts)
        self._model = _fit(book_vectors, book_labels, self.codes)
        self._evidence, self.choice, self.weight = None, None, 0.0
        if examples:
            if example_vectors is None:
                example_vectors = self.encoder.encode([e.text for e in examples])
            self._learn(examples, np.asarray(example_vectors, np.float64), context)
            self._near = np.asarray(example_vectors, np.float32)
            self._near_meta = [(e.ref, e.code, e.text) for e in examples]
        else:
            # Reasons show codebook examples until coders have accepted something.
            keep = [i for i, m in enumerate(book_meta) if m[0].startswith("codebook example")]
            self._near = book_vectors[keep]
            self._near_meta = [book_meta[i] for i in keep]
        self._temperature = self._fit_temperature()

    def _learn(self, examples: Sequence[Example], x: Matrix, context: Context | None) -> None:
        labels = [e.code for e in examples]
        groups: list[Hashable] = [e.group for e in examples]
        seen_x, seen_groups = [x], list(groups)
        if context is not None and len(context.vectors):
            seen_x.append(np.asarray(context.vectors, np.float64))
            seen_groups += (
                list(context.groups) if context.groups is not None else [""] * len(context.vectors)
            )
        centring = Centring.of(np.vstack(seen_x), seen_groups)

        def build(bx: Matrix, by: Sequence[str], bg: Sequence[Hashable]) -> Evidence:
            return Evidence(self.codes, bx, by, bg, centring)

        self.choice = choose_weight(
            self.codes,
            self.zero_shot(x),
            x,
            labels,
            groups,
            build,
            texts=[e.text for e in examples],
        )
        self.weight = self.choice.weight
        self._evidence = build(x, labels, groups) if self.weight else None

    def _fit_temperature(self) -> float:
        """The temperature with the least log loss on the examples' held-out scores."""
        held = self.choice.held_out if self.choice is not None else None
        if not self.weight or held is None or len(held.labels) < MIN_FOR_TEMPERATURE:
            return ZERO_SHOT_TEMPERATURE
        logits = held.logits(self.weight)
        rows = np.arange(len(held.labels))
        truth = np.array([self.codes.index(label) for label in held.labels])

        def log_loss(t: float) -> float:
            z = logits / t
            z = z - np.logaddexp.reduce(z, axis=1, keepdims=True)
            return float(-z[rows, truth].mean())

        return min(TEMPERATURES, key=log_loss)

    def held_out_reviews(self) -> list[Review]:
        """The examples' cross-validated suggestions as if a coder had reviewed them: a
        code is 'accepted' for a text when the text was labelled with it."""
        held = self.choice.held_out if self.choice is not None else None
        if held is None:
            return []
        logits = held.logits(self.weight) / self._temperature
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        labelled: dict[str, set[str]] = defaultdict(set)
        for text, label in zip(held.texts, held.labels, strict=True):
            labelled[text].add(label)
        seen: set[str] = set()
        reviews = []
        for row, text in enumerate(held.texts):
            if text in seen:
                continue
            seen.add(text)
            for j, code in enumerate(self.codes):
                if probs[row, j] >= REVIEW_FLOOR:
                    reviews.append(Review(code, float(probs[row, j]), code in labelled[text]))
        return reviews

    def zero_shot(self, vectors: Matrix | Vectors) -> Matrix:
        """log p0(code | text) from the codebook alone (columns in ``self.codes`` order)."""
        if self._model is None:
            raise RuntimeError("fit() first")
        if len(self.codes) == 1:
            return np.zeros((len(vectors), 1))
        log_p = self._model.predict_log_proba(np.asarray(vectors, np.float32))
        order = [list(self._model.classes_).index(c) for c in self.codes]
        out: Matrix = log_p[:, order].astype(np.float64)
        return out

    def scores(self, vectors: Vectors, groups: Sequence[Hashable] | None = None) -> Matrix:
        """Zero-shot log-probabilities plus weighted evidence, before the temperature."""
        out = self.zero_shot(vectors)
        if self._evidence is None or not self.weight:
            return out
        ev = self._evidence
        return combine(out, ev(np.asarray(vectors, np.float64), groups), ev.present, self.weight)

    def probabilities(self, vectors: Vectors, groups: Sequence[Hashable] | None = None) -> Vectors:
        """Calibrated probability of each code (columns in ``self.codes`` order)."""
        logits = self.scores(vectors, groups) / self._temperature
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        result: Vectors = (p / p.sum(axis=1, keepdims=True)).astype(np.float32)
        return result

    def threshold(self, code: str) -> float:
        return self.thresholds.get(code, self.default_threshold)

    def suggest(
        self, texts: Sequence[str], groups: Sequence[Hashable] | None = None
    ) -> list[Suggestion]:
        return self.suggest_vectors(self.encoder.encode(list(texts)), groups)

    def suggest_vectors(
        self, vectors: Vectors, groups: Sequence[Hashable] | None = None
    ) -> list[Suggestion]:
        out: list[Suggestion] = []
        for start in range(0, len(vectors), _CHUNK):
            chunk = vectors[start : start + _CHUNK]
            part = None if groups is None else list(groups[start : start + _CHUNK])
            out.extend(self._suggest_chunk(chunk, self.probabilities(chunk, part)))
        return out

    def _suggest_chunk(self, vectors: Vectors, probs: Vectors) -> list[Suggestion]:
        order = np.argsort(-probs, axis=1, kind="stable")
        sims = vectors @ self._near.T if self.nearest and len(self._near) else None
        result = []
        for row in range(len(vectors)):
            ranked = [(self.codes[j], round(float(probs[row, j]), 4)) for j in order[row]]
            best = ranked[0][0]
            above = [ranked[0]] + [(k, p) for k, p in ranked[1:] if p >= self.threshold(k)]
            nearest = self._nearest(sims[row] if sims is not None else None, best)
            result.append(Suggestion(best, ranked[0][1], ranked[: self.ranked], nearest, above))
        return result

    def _nearest(self, sims: Vectors | None, code: str) -> list[Neighbour]:
        if sims is None:
            return []
        same = [i for i, m in enumerate(self._near_meta) if m[1] == code]
        same.sort(key=lambda i: -float(sims[i]))
        return [
            Neighbour(self._near_meta[i][0], code, round(float(sims[i]), 4), self._near_meta[i][2])
            for i in same[: self.nearest]
        ]


def _codebook_rows(
    codes: Sequence[CodeText],
) -> tuple[list[str], list[str], list[tuple[str, str, str]]]:
    texts: list[str] = []
    labels: list[str] = []
    meta: list[tuple[str, str, str]] = []
    for code in codes:
        rows = [f"{code.name}. {code.description}".strip(" ."), code.include]
        named = ["codebook description", "codebook include rule"]
        for n, example in enumerate(code.examples, 1):
            rows.append(example)
            named.append(f"codebook example {n}")
        for text, what in zip(rows, named, strict=True):
            if text.strip():
                texts.append(text)
                labels.append(code.key)
                meta.append((f"{what} of {code.key}", code.key, text))
    return texts, labels, meta


def _fit(x: Vectors, y: list[str], codes: list[str]) -> LogisticRegression:
    model = LogisticRegression(C=REGULARISATION_C, max_iter=2000)
    if len(set(y)) < 2:
        # One code only: nothing to separate; keep a trivially fitted model shape.
        model.classes_ = np.array(codes)
        return model
    model.fit(x, np.array(y))
    return model
