"""Two coders compared code by code, with the unit being one segment.

This gathers the decisions (did coder A apply code X to segment S? did B?) and hands
them to the pure formulas in ``coding.reliability``. The units are the usable segments
of every transcript both coders worked in. A person's coding counts when accepted; a
model's claims count whatever a reviewer later decided, since they are what it said.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.coding.coded import accepted_by_person
from innostudy.coding.reliability import cohen_kappa, percent_agreement
from innostudy.model import Code, Coder, CoderKind, Coding, Segment, Speaker
from innostudy.transcripts.usable import is_usable


@dataclass(frozen=True)
class CodeAgreement:
    code_id: int
    code_key: str
    code_name: str
    both: int
    only_a: int
    only_b: int
    neither: int
    agreement: float | None
    kappa: float | None


@dataclass(frozen=True)
class Comparison:
    coder_a: str
    coder_b: str
    units: int
    transcripts: int
    rows: list[CodeAgreement]


def _counted(coder: Coder) -> sa.ColumnElement[bool]:
    if coder.kind is CoderKind.MODEL:
        return sa.true()  # a model's every claim, to compare with what a person accepted
    return accepted_by_person()


def _decisions(session: Session, coder: Coder) -> set[tuple[int, int]]:
    rows = session.execute(
        sa.select(Coding.segment_id, Coding.code_id).where(
            Coding.coder_id == coder.id, _counted(coder)
        )
    )
    return {(seg, code) for seg, code in rows}


def compare_coders(session: Session, coder_a_id: int, coder_b_id: int) -> Comparison | None:
    a, b = session.get(Coder, coder_a_id), session.get(Coder, coder_b_id)
    if a is None or b is None:
        return None
    decided_a, decided_b = _decisions(session, a), _decisions(session, b)
    segs_a = {s for s, _ in decided_a}
    segs_b = {s for s, _ in decided_b}
    transcripts_a = set(
        session.scalars(sa.select(Segment.transcript_id).where(Segment.id.in_(segs_a)))
    )
    transcripts_b = set(
        session.scalars(sa.select(Segment.transcript_id).where(Segment.id.in_(segs_b)))
    )
    shared = sorted(transcripts_a & transcripts_b)
    segments = session.scalars(
        sa.select(Segment)
        .where(Segment.transcript_id.in_(shared))
        .options(selectinload(Segment.speaker).selectinload(Speaker.participant))
        .order_by(Segment.transcript_id, Segment.position)
    ).all()
    units = [s.id for s in segments if is_usable(s)]
    used = {c for _, c in decided_a | decided_b}
    codes = session.scalars(sa.select(Code).where(Code.id.in_(used)).order_by(Code.position)).all()
    rows = []
    for code in codes:
        xs = [(u, code.id) in decided_a for u in units]
        ys = [(u, code.id) in decided_b for u in units]
        pairs = list(zip(xs, ys, strict=True))
        rows.append(
            CodeAgreement(
                code.id,
                code.key,
                code.name,
                both=pairs.count((True, True)),
                only_a=pairs.count((True, False)),
                only_b=pairs.count((False, True)),
                neither=pairs.count((False, False)),
                agreement=percent_agreement(xs, ys),
                kappa=cohen_kappa(xs, ys),
            )
        )
    return Comparison(a.name, b.name, len(units), len(shared), rows)
