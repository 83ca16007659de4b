"""Semantic search: the segments closest in meaning to a phrase, by group and code."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from innostudy.coding.auto.base import Encoder
from innostudy.coding.auto.cache import segment_vectors
from innostudy.coding.coded import coded_rows
from innostudy.coding.segments import SegmentRow, codable_segments


@dataclass(frozen=True)
class Hit:
    segment: SegmentRow
    similarity: float
    codes: list[str]


def search_segments(
    session: Session,
    encoder: Encoder,
    phrase: str,
    *,
    group: str | None = None,
    code: str | None = None,
    limit: int = 10,
) -> list[Hit]:
    """Best matches first. ``group`` matches a group's name or label; ``code`` keeps
    segments a person coded with that code or one below it (``barriers`` → all barriers)."""
    if not phrase.strip():
        raise ValueError("search for a phrase, not an empty string")
    segments = codable_segments(session)
    codes: dict[int, set[str]] = {}
    for r in coded_rows(session):
        codes.setdefault(r.segment.id, set()).add(r.code)
    if group:
        segments = [s for s in segments if group in (s.group, s.group_label)]
    if code:
        segments = [
            s
            for s in segments
            if any(k == code or k.startswith(code + ".") for k in codes.get(s.id, ()))
        ]
    if not segments:
        return []
    vectors = segment_vectors(session, encoder, [(s.id, s.text) for s in segments])
    query = encoder.encode([phrase])[0]
    scores = vectors @ query
    best = np.argsort(-scores, kind="stable")[:limit]
    return [
        Hit(segments[i], round(float(scores[i]), 4), sorted(codes.get(segments[i].id, ())))
        for i in best
    ]
