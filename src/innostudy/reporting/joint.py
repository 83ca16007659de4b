"""Joint displays: for one area, what each focus group said, theme by theme.

Rows are the area's sub-codes; columns the groups (civil-service groups first), each
cell the number of a group's turns that a person coded with that theme. Only accepted
codings by people count, and withdrawn participants' turns are left out.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.fieldwork.consent import words_usable
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
from innostudy.reporting.document import Table


def _groups(session: Session) -> list[FocusGroup]:
    groups = session.scalars(
        sa.select(FocusGroup).join(GroupType).order_by(GroupType.position, FocusGroup.id)
    ).all()
    return sorted(groups, key=lambda g: g.group_type.sector is not Sector.CIVIL_SERVICE)


def theme_counts(session: Session, area: str) -> Counter[tuple[str, int]]:
    """(code key, group id) → number of distinct turns coded with it."""
    rows = session.execute(
        sa.select(Code.key, Participant.focus_group_id, Segment.id, Participant.id)
        .select_from(Coding)
        .join(Code, Coding.code_id == Code.id)
        .join(Coder, Coding.coder_id == Coder.id)
        .join(Segment, Coding.segment_id == Segment.id)
        .join(Speaker, Segment.speaker_id == Speaker.id)
        .join(Participant, Speaker.participant_id == Participant.id)
        .where(
            Coding.status == CodingStatus.ACCEPTED,
            Coder.kind == CoderKind.PERSON,
            Code.key.like(f"{area}.%"),
        )
    ).all()
    consent = {p.id: p.consent for p in session.scalars(sa.select(Participant))}
    seen = {
        (key, gid, sid)
        for key, gid, sid, pid in rows
        if gid is not None and words_usable(consent.get(pid))
    }
    return Counter((key, gid) for key, gid, _ in seen)


def joint_table(session: Session, area: str, area_title: str) -> Table:
    codes = session.scalars(
        sa.select(Code).where(Code.key.like(f"{area}.%")).order_by(Code.position)
    ).all()
    if not codes:
        raise LookupError(f"no codes under '{area}' in the codebook")
    groups = _groups(session)
    counts = theme_counts(session, area)
    rows = []
    for code in codes:
        cells = [counts[(code.key, g.id)] for g in groups]
        rows.append([code.name, *map(str, cells), str(sum(cells))])
    return Table(
        caption=f"{area_title}: turns in which each group raised each theme",
        header=["Theme", *(g.label for g in groups), "All groups"],
        rows=rows,
        numeric=[False, *([True] * (len(groups) + 1))],
        notes=["Counts of participant turns coded by the analysts (accepted codings only)."],
    )
