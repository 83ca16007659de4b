"""Reliability of a study's double coding: what ``code reliability`` and the web view show.

Both read this one function, so the command line, the web page and the exports cannot
report different figures. Judgements are people's accepted codings (``coding.coded``);
a model's suggestions are not judgements (how often people accepted them is the
calibration report's business, ``coding.auto.reviews``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.codebook import study_codebook
from innostudy.coding.coded import judgements
from innostudy.coding.reliability import ReliabilityReport, reliability
from innostudy.coding.segments import codable_segments
from innostudy.errors import InputError
from innostudy.model import Code, Coder, CoderKind, Transcript


@dataclass(frozen=True)
class StudyReliability:
    report: ReliabilityReport
    places: dict[int, str]  # segment id → "transcript name, turn N"
    transcripts: dict[int, int]  # segment id → transcript id
    names: dict[str, str]  # code key → name


def person_coders(session: Session) -> list[tuple[int, str]]:
    """People who code, as (id, name), for choosing whom to compare."""
    rows = session.execute(
        sa.select(Coder.id, Coder.name).where(Coder.kind == CoderKind.PERSON).order_by(Coder.name)
    )
    return [(i, n) for i, n in rows]


def study_reliability(
    session: Session, coders: list[str], *, transcript_id: int | None = None
) -> StudyReliability:
    """Agreement between the named people over the turns two or more of them judged."""
    names = list(dict.fromkeys(coders))
    if len(names) < 2:
        raise InputError("--coder", None, "coder", "name at least two different coders")
    # Unknown coders, and coders (a model among them) with no accepted codings to
    # compare, are refused by ``judgements``: the one place that knows what counts.
    judged = judgements(session, names, transcript_id=transcript_id)
    segments = {s.id: s for s in codable_segments(session, transcript_id=transcript_id)}
    titles = dict(session.execute(sa.select(Transcript.id, Transcript.name)).all())
    codes = session.scalars(
        sa.select(Code)
        .where(Code.codebook_id == study_codebook(session).id)
        .order_by(Code.position)
    ).all()
    used = {k for per_coder in judged.values() for keys in per_coder.values() for k in keys}
    report = reliability(
        judged,
        [c.key for c in codes if c.key in used],
        position=lambda u: (segments[u].transcript_id, segments[u].position),  # type: ignore[index]
    )
    places = {
        sid: f"{titles.get(seg.transcript_id, seg.transcript_id)}, turn {seg.position + 1}"
        for sid, seg in segments.items()
    }
    transcript_of = {sid: seg.transcript_id for sid, seg in segments.items()}
    return StudyReliability(report, places, transcript_of, {c.key: c.name for c in codes})
