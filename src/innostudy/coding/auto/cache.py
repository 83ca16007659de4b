"""Segment embeddings cached in the study store, so a re-run embeds only new or changed text."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.auto.base import Encoder, Vectors, encoder_version
from innostudy.model import SegmentEmbedding


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def segment_vectors(
    session: Session, encoder: Encoder, items: Sequence[tuple[int, str]]
) -> Vectors:
    """Vectors for (segment id, text) pairs, from the cache where the text is unchanged.

    A cached row is reused only if it was made by the same encoder from exactly the
    same text (by SHA-256), so edited or re-redacted segments are embedded again.
    """
    ids = [sid for sid, _ in items]
    cached: dict[int, SegmentEmbedding] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        cached.update(
            (row.segment_id, row)
            for row in session.scalars(
                sa.select(SegmentEmbedding).where(
                    SegmentEmbedding.model_name == encoder.name,
                    SegmentEmbedding.segment_id.in_(chunk),
                )
            )
        )
    out = np.zeros((len(items), encoder.dim), np.float32)
    missing: list[int] = []
    for row, (sid, text) in enumerate(items):
        hit = cached.get(sid)
        if hit is not None and hit.text_sha256 == text_sha256(text) and hit.dim == encoder.dim:
            out[row] = np.frombuffer(hit.vector, dtype=np.float32)
        else:
            missing.append(row)
    if missing:
        # a segment asked for twice (two whole-turn codings of one turn) is embedded
        # and stored once: the cache holds one row per segment and encoder
        first = {items[r][0]: r for r in reversed(missing)}
        fresh = dict(zip(first, encoder.encode([items[r][1] for r in first.values()]), strict=True))
        for sid, row in first.items():
            _store(session, cached.get(sid), sid, encoder, items[row][1], fresh[sid])
        for row in missing:
            out[row] = fresh[items[row][0]]
        session.flush()
    return out


def _store(
    session: Session,
    existing: SegmentEmbedding | None,
    segment_id: int,
    encoder: Encoder,
    text: str,
    vector: Vectors,
) -> None:
    row = existing or SegmentEmbedding(segment_id=segment_id, model_name=encoder.name)
    row.text_sha256 = text_sha256(text)
    row.dim = encoder.dim
    row.vector = np.asarray(vector, dtype=np.float32).tobytes()
    session.add(row)


class RememberingEncoder:
    """An encoder that keeps every vector it made in memory for the rest of one command.

    A unit of work that has to be redone (say, because a concurrent writer took the
    database first) then costs a dictionary lookup per text instead of a model run.
    """

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self._seen: dict[str, Vectors] = {}

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def version(self) -> str:
        return encoder_version(self.inner)

    def encode(self, texts: Sequence[str]) -> Vectors:
        new = list(dict.fromkeys(t for t in texts if t not in self._seen))
        if new:
            self._seen.update(zip(new, self.inner.encode(new), strict=True))
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self._seen[t] for t in texts]).astype(np.float32, copy=False)
