"""Suggestions in a study: learn from accepted codings, propose codes, let people decide.

A suggestion is a ``Coding`` with status *suggested* by the model coder; it counts for
nothing (no matrix, report or reliability figure) until a person accepts it
(``manual.review_suggestion``), or until someone runs the explicit bulk command with a
threshold (:func:`accept_above`). Rejected suggestions are remembered: that code is not
suggested again for that segment. A turn gets every code that reaches its threshold;
thresholds are calibrated per code on what people accepted and rejected
(``auto/reviews.py``), so a code whose suggestions keep being rejected needs more
confidence before it is offered again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.coding.auto.base import (
    CodeText,
    Encoder,
    Example,
    Suggestion,
    Vectors,
    encoder_version,
)
from innostudy.coding.auto.cache import segment_vectors
from innostudy.coding.auto.calibration import calibrate_thresholds
from innostudy.coding.auto.learner import DEFAULT_THRESHOLD, Context, EmbeddingCoder
from innostudy.coding.auto.nothing import why_nothing
from innostudy.coding.auto.reviews import model_reviews
from innostudy.coding.codebook import study_codebook
from innostudy.coding.coded import accepted_by_person
from innostudy.coding.manual import coder_named, review_suggestion
from innostudy.coding.segments import SegmentRow, codable_segments
from innostudy.coding.spans import sentence_spans, trim_span
from innostudy.model import Code, Coder, CoderKind, CodeStatus, Coding, CodingStatus

MODEL_CODER = "autocoder"
MIN_WORDS = 8
LONG_TURN_WORDS = 40  # turns this long can be suggested sentence by sentence


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
        examples.append(Example(text, keys[c.code_id], f"segment {seg.id}", seg.transcript_id))
        whole.append(
            (seg.id, text)
            if (c.start, c.end) == trim_span(seg.text, 0, len(seg.text))
            else (-1, text)
        )
    vectors = np.zeros((len(examples), encoder.dim), np.float32)
    cached = [i for i, (sid, _) in enumerate(whole) if sid >= 0]
    if cached:
        # A turn with several codes is one example per code but one vector.
        turns = list(dict.fromkeys(whole[i][0] for i in cached))
        found = segment_vectors(session, encoder, [(sid, usable[sid].text) for sid in turns])
        row = {sid: n for n, sid in enumerate(turns)}
        vectors[cached] = found[[row[whole[i][0]] for i in cached]]
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
    weight: float = 0.0  # how far accepted examples moved the codebook's scores
    on_sentences: int = 0  # suggestions on a sentence span of a long turn
    why_none: str = ""  # when nothing was suggested: why, and what to do


@dataclass(frozen=True)
class _Unit:
    """What one suggestion is about: a whole turn, or one sentence of a long turn."""

    segment: SegmentRow
    start: int
    end: int


def suggest_codes(
    session: Session,
    encoder: Encoder,
    *,
    transcript_id: int | None = None,
    segment_ids: list[int] | None = None,
    min_words: int = MIN_WORDS,
    model_coder: str = MODEL_CODER,
    by_sentence: bool = False,
) -> SuggestRun:
    """Suggest every code that passes its threshold (at least the best one) for each usable
    turn no person has coded yet; earlier open suggestions on those turns are replaced.

    With ``by_sentence``, turns of ``LONG_TURN_WORDS`` words or more are read sentence by
    sentence, and each code is suggested on the run of sentences it was found in.
    """
    codes = candidate_codes(session)
    usable = {s.id: s for s in codable_segments(session)}
    examples, example_vectors = accepted_examples(session, encoder, codes, usable)
    coded = _coded_by_people(session)
    wanted = None if segment_ids is None else set(segment_ids)
    in_scope = [
        s
        for s in usable.values()
        if transcript_id in (None, s.transcript_id) and (wanted is None or s.id in wanted)
    ]
    uncoded = [s for s in in_scope if s.id not in coded]
    targets = [s for s in uncoded if s.words >= min_words]
    vectors = segment_vectors(session, encoder, [(s.id, s.text) for s in targets])
    coder = _fitted(
        session, encoder, codes, examples, example_vectors, targets, vectors, model_coder
    )
    units, unit_vectors = _units(encoder, targets, vectors, by_sentence)
    suggestions = coder.suggest_vectors(unit_vectors, [u.segment.transcript_id for u in units])
    # Nothing is written before the model has run (a long run must not hold the lock).
    model = coder_named(session, model_coder, CoderKind.MODEL)
    replaced = _drop_open_suggestions(session, model, [s.id for s in targets])
    rejected = _rejected(session, model)
    by_key = {c.key: c for c in codes}
    facts = {
        "model": encoder.name,
        "model_version": encoder_version(encoder),
        "learned_from": len(examples),
        "weight": coder.weight,
    }
    made = on_sentences = 0
    for unit, code, confidence, suggestion in _choices(units, suggestions, by_key, rejected):
        sentence = (unit.start, unit.end) != trim_span(unit.segment.text, 0, len(unit.segment.text))
        session.add(
            Coding(
                segment_id=unit.segment.id,
                code_id=by_key[code].id,
                coder_id=model.id,
                start=unit.start,
                end=unit.end,
                status=CodingStatus.SUGGESTED,
                confidence=confidence,
                reason=_reason(suggestion, facts, coder.threshold(code), sentence),
            )
        )
        made += 1
        on_sentences += sentence
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
    return SuggestRun(
        len(targets), made, replaced, len(examples), encoder.name, coder.weight, on_sentences, why
    )


def _fitted(
    session: Session,
    encoder: Encoder,
    codes: list[Code],
    examples: list[Example],
    example_vectors: Vectors,
    targets: list[SegmentRow],
    vectors: Vectors,
    model_coder: str,
) -> EmbeddingCoder:
    """The coder, with thresholds from what people did with this model's suggestions."""
    known = session.scalar(sa.select(Coder.id).where(Coder.name == model_coder))
    reviews = model_reviews(session, known) if known is not None else []
    thresholds = calibrate_thresholds(reviews, DEFAULT_THRESHOLD)
    coder = EmbeddingCoder(
        encoder, thresholds=thresholds.per_code, default_threshold=thresholds.pooled
    )
    coder.fit(
        [code_text(c) for c in codes],
        examples,
        example_vectors=example_vectors,
        context=Context(vectors, [s.transcript_id for s in targets]),
    )
    return coder


def _units(
    encoder: Encoder, targets: list[SegmentRow], vectors: Vectors, by_sentence: bool
) -> tuple[list[_Unit], Vectors]:
    units: list[_Unit] = []
    rows: list[Vectors] = []
    for seg, vector in zip(targets, vectors, strict=True):
        spans = sentence_spans(seg.text) if by_sentence and seg.words >= LONG_TURN_WORDS else []
        if len(spans) < 2:
            units.append(_Unit(seg, *trim_span(seg.text, 0, len(seg.text))))
            rows.append(vector[None, :])
            continue
        units.extend(_Unit(seg, a, b) for a, b in spans)
        rows.append(encoder.encode([seg.text[a:b] for a, b in spans]))
    return units, (np.vstack(rows) if rows else np.zeros((0, encoder.dim), np.float32))


def _choices(
    units: list[_Unit],
    suggestions: list[Suggestion],
    by_key: dict[str, Code],
    rejected: set[tuple[int, int]],
) -> list[tuple[_Unit, str, float, Suggestion]]:
    """Every code above its threshold that was not rejected on the turn (else the best such
    code), with consecutive sentences of one turn that share a code joined into one span."""
    picked: list[tuple[_Unit, str, float, Suggestion]] = []
    for unit, s in zip(units, suggestions, strict=True):
        allowed = [(k, p) for k, p in s.codes if (unit.segment.id, by_key[k].id) not in rejected]
        if not allowed:
            allowed = [
                (k, p) for k, p in s.ranked if (unit.segment.id, by_key[k].id) not in rejected
            ][:1]
        picked.extend((unit, k, p, s) for k, p in allowed)
    merged: list[tuple[_Unit, str, float, Suggestion]] = []
    for unit, code, p, s in picked:
        last = next(
            (m for m in reversed(merged) if m[0].segment.id == unit.segment.id and m[1] == code),
            None,
        )
        if last is not None and _adjacent(last[0], unit):
            grown = _Unit(unit.segment, last[0].start, unit.end)
            best = max((last[2], last[3]), (p, s), key=lambda x: x[0])
            merged[merged.index(last)] = (grown, code, best[0], best[1])
        else:
            merged.append((unit, code, p, s))
    return merged


def _adjacent(a: _Unit, b: _Unit) -> bool:
    """b starts right after a, with only white space between them."""
    return a.end <= b.start and not a.segment.text[a.end : b.start].strip()


def _reason(
    suggestion: Suggestion, facts: dict[str, object], threshold: float, sentence: bool
) -> dict[str, object]:
    return {
        **facts,
        "span": "sentence" if sentence else "turn",
        "threshold": round(threshold, 4),
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
