"""The code-by-group matrix: how many turns each group's participants gave to each code.

Rows are codes in codebook order (a parent counts a turn once however many of its
children coded it); columns are focus groups, then one total per sector, so civil
service and comparison groups can be read side by side. Only a person's accepted codings
count, and only words the speaker's consent lets us analyse.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.model import (
    Code,
    Coder,
    CoderKind,
    Coding,
    CodingStatus,
    FocusGroup,
    GroupType,
    Participant,
    Sector,
    Segment,
    Speaker,
)
from innostudy.transcripts.usable import is_usable


@dataclass(frozen=True)
class MatrixColumn:
    key: str  # "g<id>" for a group, a sector value for a sector total
    label: str
    group_id: int | None
    turns: int  # usable participant turns: the base for reading a count


@dataclass(frozen=True)
class MatrixRow:
    code_id: int
    code_key: str
    code_name: str
    depth: int
    counts: list[int]


@dataclass(frozen=True)
class CodeGroupMatrix:
    columns: list[MatrixColumn]
    rows: list[MatrixRow]


def _participant_turns(session: Session) -> list[tuple[int, int, Sector]]:
    """(segment id, group id, sector) for every usable participant turn in a group."""
    segments = session.scalars(
        sa.select(Segment)
        .join(Speaker, Speaker.id == Segment.speaker_id)
        .join(Participant, Participant.id == Speaker.participant_id)
        .options(
            selectinload(Segment.speaker)
            .selectinload(Speaker.participant)
            .selectinload(Participant.consent)
        )
    ).all()
    groups = {
        g.id: g.group_type.sector
        for g in session.scalars(sa.select(FocusGroup).options(selectinload(FocusGroup.group_type)))
    }
    turns = []
    for seg in segments:
        participant = seg.speaker.participant if seg.speaker else None
        if participant is None or participant.focus_group_id is None or not is_usable(seg):
            continue
        turns.append((seg.id, participant.focus_group_id, groups[participant.focus_group_id]))
    return turns


def code_group_matrix(session: Session) -> CodeGroupMatrix:
    turns = _participant_turns(session)
    where = {seg: (group, sector) for seg, group, sector in turns}
    groups = session.scalars(
        sa.select(FocusGroup).join(GroupType).order_by(GroupType.position, FocusGroup.id)
    ).all()
    sectors = [s for s in Sector if any(g.group_type.sector is s for g in groups)]
    per_group: dict[int, int] = defaultdict(int)
    per_sector: dict[Sector, int] = defaultdict(int)
    for _, group_id, sector in turns:
        per_group[group_id] += 1
        per_sector[sector] += 1
    columns = [MatrixColumn(f"g{g.id}", g.label, g.id, per_group[g.id]) for g in groups]
    columns += [
        MatrixColumn(s.value, f"All {s.label.lower()}", None, per_sector[s]) for s in sectors
    ]
    coded = session.execute(
        sa.select(Coding.segment_id, Code.key)
        .join(Code, Code.id == Coding.code_id)
        .join(Coder, Coder.id == Coding.coder_id)
        .where(Coding.status == CodingStatus.ACCEPTED, Coder.kind == CoderKind.PERSON)
    ).all()
    segments_by_key: dict[str, set[int]] = defaultdict(set)
    for seg, key in coded:
        if seg not in where:
            continue
        parts = key.split(".")
        for depth in range(1, len(parts) + 1):
            segments_by_key[".".join(parts[:depth])].add(seg)
    rows = []
    for code in session.scalars(sa.select(Code).order_by(Code.codebook_id, Code.position)):
        segs = segments_by_key.get(code.key, set())
        counts = [sum(1 for s in segs if where[s][0] == g.id) for g in groups]
        counts += [sum(1 for s in segs if where[s][1] is sector) for sector in sectors]
        rows.append(MatrixRow(code.id, code.key, code.name, code.key.count("."), counts))
    return CodeGroupMatrix(columns, rows)
