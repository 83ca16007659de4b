"""Accepted codings as plain rows: what matrices, reliability and search count.

Only a person's accepted judgement counts (``CodingStatus.counts_as_coded``), and only
on segments whose speaker's words may be analysed (``coding.segments``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.segments import SegmentRow, codable_segments
from innostudy.model import Code, Coder, CoderKind, Coding, CodingStatus


@dataclass(frozen=True)
class CodedRow:
    segment: SegmentRow
    code: str
    coder: str


def coded_rows(session: Session, *, coders: list[str] | None = None) -> list[CodedRow]:
    """Accepted codings by people on usable segments (one row per segment, code and coder)."""
    usable = {s.id: s for s in codable_segments(session)}
    query = (
        sa.select(Coding.segment_id, Code.key, Coder.name)
        .join(Code, Coding.code_id == Code.id)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(Coding.status == CodingStatus.ACCEPTED, Coder.kind == CoderKind.PERSON)
        .distinct()
    )
    if coders:
        query = query.where(Coder.name.in_(coders))
    return [
        CodedRow(usable[sid], key, coder)
        for sid, key, coder in session.execute(query)
        if sid in usable
    ]


def judgements(
    session: Session, coders: list[str], *, transcript_id: int | None = None
) -> dict[str, dict[Hashable, frozenset[str]]]:
    """coder → segment → codes, over the transcripts each coder worked on.

    A segment in a transcript the coder worked on but left uncoded counts as the
    judgement "no code" (an empty set); transcripts a coder never opened are missing.
    """
    rows = coded_rows(session, coders=coders)
    segments = codable_segments(session, transcript_id=transcript_id)
    result: dict[str, dict[Hashable, frozenset[str]]] = {}
    for coder in coders:
        mine = [r for r in rows if r.coder == coder]
        worked = {r.segment.transcript_id for r in mine}
        codes: dict[int, set[str]] = defaultdict(set)
        for r in mine:
            codes[r.segment.id].add(r.code)
        result[coder] = {
            s.id: frozenset(codes.get(s.id, set())) for s in segments if s.transcript_id in worked
        }
    return result
