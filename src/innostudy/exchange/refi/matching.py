"""Recognising a transcript the study already has, so codings made elsewhere come home.

The usual exchange is a round trip: a team exports its study, codes further in NVivo or
ATLAS.ti, and imports that tool's project back. Its sources are then innostudy's own
transcripts, turn for turn. A source matches a transcript when the transcript is in the
same session, has the same name, and every turn has exactly the text of the
corresponding turn of the source (a turn innostudy withheld on export matches any
text). The import then adds the new codings to the existing turns instead of creating a
second copy of the transcript; codings the study already has are not added twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.exchange.refi.sources_out import WITHHELD_TEXT
from innostudy.model import Coding, Segment, Transcript


def align(held: Sequence[str], incoming: Sequence[str]) -> list[int | None] | None:
    """Turn by turn: the index of each incoming turn in ``held`` (None where withheld).

    None as a whole when the texts differ anywhere: then it is another transcript.
    """
    if len(held) != len(incoming):
        return None
    out: list[int | None] = []
    for index, (mine, theirs) in enumerate(zip(held, incoming, strict=True)):
        if theirs == WITHHELD_TEXT and mine != WITHHELD_TEXT:
            out.append(None)
        elif theirs == mine:
            out.append(index)
        else:
            return None
    return out


@dataclass(frozen=True)
class KnownTranscript:
    transcript_id: int
    segment_ids: list[int | None]  # per incoming turn; None where the export withheld it
    codings: set[tuple[int, int, int, int, int]]  # (segment, code, coder, start, end) held


def find_known(
    session: Session, session_id: int, name: str, texts: Sequence[str]
) -> tuple[KnownTranscript | None, bool]:
    """The matching transcript, and whether one of that name exists but differs."""
    candidates = session.scalars(
        sa.select(Transcript).where(Transcript.session_id == session_id, Transcript.name == name)
    ).all()
    for transcript in candidates:
        segments = session.execute(
            sa.select(Segment.id, Segment.text)
            .where(Segment.transcript_id == transcript.id)
            .order_by(Segment.position)
        ).all()
        aligned = align([text for _, text in segments], texts)
        if aligned is None:
            continue
        ids = [segments[i][0] if i is not None else None for i in aligned]
        rows = session.execute(
            sa.select(Coding.segment_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end)
            .join(Segment)
            .where(Segment.transcript_id == transcript.id)
        ).all()
        held = {(a, b, c, d, e) for a, b, c, d, e in rows}
        return KnownTranscript(transcript.id, ids, held), False
    return None, bool(candidates)
