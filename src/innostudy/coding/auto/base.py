"""The seams of automatic coding: what an encoder and an auto-coder promise.

    texts ──Encoder──> unit vectors ──AutoCoder (fit on codebook + accepted examples)──>
    Suggestion(code, confidence, ranked, codes above threshold, nearest examples)

The real encoder (all-MiniLM-L6-v2, ``auto/embeddings.py``) loads a model; tests and
machines without it use :class:`HashingEncoder`, a deterministic bag-of-words stand-in
behind the same protocol, so everything above the encoder runs the same either way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 rows; ``name`` identifies cached vectors."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True)
class CodeText:
    """What the codebook says about one code: the zero-shot evidence."""

    key: str
    name: str
    description: str = ""
    include: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Example:
    """A labelled text a coder accepted; ``ref`` says where it came from (for reasons),
    ``group`` which transcript or session (examples are cross-validated by group)."""

    text: str
    code: str
    ref: str = ""
    group: Hashable = ""


@dataclass(frozen=True)
class Neighbour:
    """One piece of evidence behind a suggestion: a close, already coded text."""

    ref: str
    code: str
    similarity: float
    text: str


@dataclass(frozen=True)
class Suggestion:
    """The best code, the ranked alternatives, and every code at or above its threshold
    (``codes``: the best code first, then the others that pass; a turn may touch several)."""

    code: str
    confidence: float
    ranked: list[tuple[str, float]]
    nearest: list[Neighbour] = field(default_factory=list)
    codes: list[tuple[str, float]] = field(default_factory=list)


class AutoCoder(Protocol):
    """Fit on a codebook and accepted examples, then rank codes for new texts."""

    def fit(self, codes: Sequence[CodeText], examples: Sequence[Example] = ()) -> None: ...

    def suggest(self, texts: Sequence[str]) -> list[Suggestion]: ...


_WORD = re.compile(r"[a-z0-9']+")


class HashingEncoder:
    """A deterministic stand-in encoder: hashed words and word pairs, no model.

    Texts that share words get similar vectors, which is enough to exercise learning,
    search and suggestions in tests quickly and identically on every machine.
    """

    def __init__(self, dim: int = 256) -> None:
        self._dim = dim

    @property
    def name(self) -> str:
        return f"hashing-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def version(self) -> str:
        return f"hashing stand-in ({self._dim} dimensions, no model; for tests)"

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            for token in [*words, *(f"{a} {b}" for a, b in pairwise(words))]:
                digest = hashlib.blake2b(token.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self._dim] += 1.0
        return normalise(out)


def encoder_version(encoder: Encoder) -> str:
    """What produced the vectors, for the record (model, release, backend)."""
    return str(getattr(encoder, "version", encoder.name))


def normalise(vectors: npt.NDArray[np.floating]) -> Vectors:
    """Rows scaled to unit length (all-zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    scaled: Vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0).astype(
        np.float32
    )
    return scaled
