"""Which segments coding may show: participants' turns whose words may be analysed.

Every coding view (suggestions, lists, matrices, search, reliability) starts here, so a
withdrawn participant's words leave all of them at once (``fieldwork.consent``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.fieldwork.consent import words_usable
from innostudy.model import (
    FocusGroup,
    Participant,
    Segment,
    Speaker,
    SpeakerRole,
)


@dataclass(frozen=True)
class SegmentRow:
    """A codable segment with what analysis may know of its speaker: codes and groups only."""

    id: int
    transcript_id: int
    position: int
    text: str
    participant_id: int
    participant_code: str
    group: str  # the focus group's name, "" when the participant has none
    group_label: str
    sector: str
    response_id: int | None

    @property
    def words(self) -> int:
        return len(self.text.split())


def usable_segments(
    session: Session, *, transcript_id: int | None = None, segment_ids: list[int] | None = None
) -> list[SegmentRow]:
    """Participants' segments that may be analysed, in transcript order."""
    query = (
        sa.select(Segment)
        .join(Speaker, Segment.speaker_id == Speaker.id)
        .where(Speaker.role == SpeakerRole.PARTICIPANT, Speaker.participant_id.is_not(None))
        .options(
            selectinload(Segment.speaker)
            .selectinload(Speaker.participant)
            .options(
                selectinload(Participant.consent),
                selectinload(Participant.focus_group).selectinload(FocusGroup.group_type),
            )
        )
        .order_by(Segment.transcript_id, Segment.position)
    )
    if transcript_id is not None:
        query = query.where(Segment.transcript_id == transcript_id)
    if segment_ids is not None:
        query = query.where(Segment.id.in_(segment_ids))
    rows: list[SegmentRow] = []
    for seg in session.scalars(query):
        assert seg.speaker is not None
        assert seg.speaker.participant is not None
        person = seg.speaker.participant
        if not words_usable(person.consent):
            continue
        group = person.focus_group
        rows.append(
            SegmentRow(
                id=seg.id,
                transcript_id=seg.transcript_id,
                position=seg.position,
                text=seg.text,
                participant_id=person.id,
                participant_code=person.code,
                group=group.name if group else "",
                group_label=group.label if group else "",
                sector=group.group_type.sector.value if group else "",
                response_id=person.response_id,
            )
        )
    return rows
