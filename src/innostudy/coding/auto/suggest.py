"""Suggestions in a study: learn from accepted codings, propose codes, let people decide.

A suggestion is a ``Coding`` with status *suggested* by the model coder; it counts for
nothing (no matrix, report or reliability figure) until a person accepts it
(``manual.review_suggestion``), or until someone runs the explicit bulk command with a
threshold (:func:`accept_above`). Rejected suggestions are remembered: that code is not
suggested again for that segment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.coding.auto.base import CodeText, Encoder, Example, Suggestion, Vectors
from innostudy.coding.auto.cache import segment_vectors
from innostudy.coding.auto.learner import EmbeddingCoder
from innostudy.coding.auto.nothing import why_nothing
from innostudy.coding.codebook import study_codebook
from innostudy.coding.coded import accepted_by_person
from innostudy.coding.manual import coder_named, review_suggestion
from innostudy.coding.segments import SegmentRow, codable_segments
from innostudy.coding.spans import trim_span
from innostudy.model import Code, Coder, CoderKind, CodeStatus, Coding, CodingStatus

MODEL_CODER = "autocoder"
MIN_WORDS = 8


def candidate_codes(session: Session) -> list[Code]:
    """Active codes without active children: the codes a segment is actually coded with."""
    book = study_codebook(session)
    codes = session.scalars(
        sa.select(Code)
        .where(Code.codebook_id == book.id, Code.status == CodeStatus.ACTIVE)
        .order_by(Code.position)
    ).all()
    parents = {c.parent_id for c in codes if c.parent_id is not None}
    return [c for c in codes if c.id not in parents]


def code_text(code: Code) -> CodeText:
    return CodeText(code.key, code.name, code.description, code.include, tuple(code.examples or ()))


def accepted_examples(
    session: Session, encoder: Encoder, codes: list[Code], usable: dict[int, SegmentRow]
) -> tuple[list[Example], Vectors]:
    """What people accepted, one example per (segment, code, span), with cached vectors."""
    keys = {c.id: c.key for c in codes}
    rows = session.scalars(
        sa.select(Coding)
        .where(accepted_by_person(), Coding.code_id.in_(list(keys)))
        .order_by(Coding.id)
    ).all()
    seen: set[tuple[int, int, int, int]] = set()
    examples: list[Example] = []
    whole: list[tuple[int, str]] = []
    for c in rows:
        seg = usable.get(c.segment_id)
        if seg is None or (c.segment_id, c.code_id, c.start, c.end) in seen:
            continue
        seen.add((c.segment_id, c.code_id, c.start, c.end))
        text = seg.text[c.start : c.end]
        examples.append(Example(text, keys[c.code_id], f"segment {seg.id}"))
        whole.append(
            (seg.id, text)
            if (c.start, c.end) == trim_span(seg.text, 0, len(seg.text))
            else (-1, text)
        )
    vectors = np.zeros((len(examples), encoder.dim), np.float32)
    cached = [i for i, (sid, _) in enumerate(whole) if sid >= 0]
    if cached:
        vectors[cached] = segment_vectors(
            session, encoder, [(whole[i][0], usable[whole[i][0]].text) for i in cached]
        )
    fresh = [i for i, (sid, _) in enumerate(whole) if sid < 0]
    if fresh:
        vectors[fresh] = encoder.encode([whole[i][1] for i in fresh])
    return examples, vectors


@dataclass(frozen=True)
class SuggestRun:
    segments: int
    suggested: int
    replaced: int
    examples: int
    encoder: str
    why_none: str = ""  # when nothing was suggested: why, and what to do


def suggest_codes(
    session: Session,
    encoder: Encoder,
    *,
    transcript_id: int | None = None,
    min_words: int = MIN_WORDS,
    model_coder: str = MODEL_CODER,
) -> SuggestRun:
    """Suggest one code for every usable, not yet coded segment; earlier open ones are replaced."""
    codes = candidate_codes(session)
    usable = {s.id: s for s in codable_segments(session)}
    examples, example_vectors = accepted_examples(session, encoder, codes, usable)
    coder = EmbeddingCoder(encoder)
    coder.fit([code_text(c) for c in codes], examples, example_vectors=example_vectors)
    model = coder_named(session, model_coder, CoderKind.MODEL)
    coded = _coded_by_people(session)
    in_scope = [s for s in usable.values() if transcript_id in (None, s.transcript_id)]
    uncoded = [s for s in in_scope if s.id not in coded]
    targets = [s for s in uncoded if s.words >= min_words]
    replaced = _drop_open_suggestions(session, model, [s.id for s in targets])
    rejected = _rejected(session, model)
    vectors = segment_vectors(session, encoder, [(s.id, s.text) for s in targets])
    by_key = {c.key: c for c in codes}
    made = 0
    for seg, suggestion in zip(targets, coder.suggest_vectors(vectors), strict=True):
        choice = next(
            ((k, p) for k, p in suggestion.ranked if (seg.id, by_key[k].id) not in rejected),
            None,
        )
        if choice is None:
            continue
        start, end = trim_span(seg.text, 0, len(seg.text))
        session.add(
            Coding(
                segment_id=seg.id,
                code_id=by_key[choice[0]].id,
                coder_id=model.id,
                start=start,
                end=end,
                status=CodingStatus.SUGGESTED,
                confidence=choice[1],
                reason=_reason(suggestion, encoder, len(examples)),
            )
        )
        made += 1
    session.flush()
    why = (
        ""
        if made
        else why_nothing(
            session,
            transcript_id=transcript_id,
            usable=in_scope,
            uncoded=uncoded,
            targets=len(targets),
            min_words=min_words,
        )
    )
    return SuggestRun(len(targets), made, replaced, len(examples), encoder.name, why)


def _reason(suggestion: Suggestion, encoder: Encoder, examples: int) -> dict[str, object]:
    return {
        "model": encoder.name,
        "learned_from": examples,
        "ranked": [[k, p] for k, p in suggestion.ranked],
        "nearest": [
            {"ref": n.ref, "code": n.code, "similarity": n.similarity, "text": n.text[:200]}
            for n in suggestion.nearest
        ],
    }


def _coded_by_people(session: Session) -> set[int]:
    return set(session.scalars(sa.select(Coding.segment_id).where(accepted_by_person())))


def _drop_open_suggestions(session: Session, model: Coder, segment_ids: list[int]) -> int:
    dropped = 0
    for start in range(0, len(segment_ids), 900):
        result = session.execute(
            sa.delete(Coding).where(
                Coding.coder_id == model.id,
                Coding.status == CodingStatus.SUGGESTED,
                Coding.segment_id.in_(segment_ids[start : start + 900]),
            )
        )
        dropped += result.rowcount  # type: ignore[attr-defined]
    return dropped


def _rejected(session: Session, model: Coder) -> set[tuple[int, int]]:
    rows = session.execute(
        sa.select(Coding.segment_id, Coding.code_id).where(
            Coding.coder_id == model.id, Coding.status == CodingStatus.REJECTED
        )
    )
    return {(s, c) for s, c in rows}


def open_suggestions(
    session: Session, *, min_confidence: float = 0.0, model_coder: str | None = None
) -> list[Coding]:
    """Suggestions awaiting a person, most confident first, withdrawn speakers left out."""
    usable = {s.id for s in codable_segments(session)}
    query = (
        sa.select(Coding)
        .join(Coder)
        .where(Coding.status == CodingStatus.SUGGESTED, Coder.kind == CoderKind.MODEL)
        .options(selectinload(Coding.code), selectinload(Coding.segment))
        .order_by(Coding.confidence.desc(), Coding.id)
    )
    if model_coder is not None:
        query = query.where(Coder.name == model_coder)
    return [
        c
        for c in session.scalars(query)
        if c.segment_id in usable and (c.confidence or 0.0) >= min_confidence
    ]


def accept_above(
    session: Session, reviewer: Coder, threshold: float, *, model_coder: str | None = None
) -> list[Coding]:
    """The explicit bulk step: ``reviewer`` accepts every suggestion at or above ``threshold``."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError("the threshold must be above 0 and at most 1")
    if reviewer.kind is not CoderKind.PERSON:
        raise ValueError("only a person can accept suggestions")
    accepted = []
    for suggestion in open_suggestions(session, min_confidence=threshold, model_coder=model_coder):
        made = review_suggestion(session, suggestion, reviewer, accept=True)
        if made is not None:
            accepted.append(made)
    return accepted
