"""Which segments coding may show: participants' turns whose words may be analysed.

Every coding view (suggestions, lists, matrices, search, reliability) starts here, so a
withdrawn participant's words leave all of them at once. The selection itself is
``transcripts.usable.usable_segments``; this module only shapes it for coding.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, selectinload

from innostudy.model import FocusGroup, Participant, Segment, Speaker
from innostudy.transcripts.usable import usable_segments


@dataclass(frozen=True)
class SegmentRow:
    """A codable segment with what analysis may know of its speaker: codes and groups only."""

    id: int
    transcript_id: int
    position: int
    text: str
    participant_id: int
    participant_code: str
    group_id: int | None  # the participant's focus group, None when they have none
    group: str  # the focus group's name, "" when the participant has none
    group_label: str
    sector: str
    response_id: int | None

    @property
    def words(self) -> int:
        return len(self.text.split())


def codable_segments(
    session: Session, *, transcript_id: int | None = None, segment_ids: list[int] | None = None
) -> list[SegmentRow]:
    """Participants' turns that may be analysed, in transcript order, as plain rows.

    The selection is ``transcripts.usable.usable_segments`` (the one consent-aware
    query); this adds what coding views know of each speaker: code, group and sector.
    """
    query = usable_segments(
        transcript_id=transcript_id, segment_ids=segment_ids, participants_only=True
    ).options(
        selectinload(Segment.speaker)
        .selectinload(Speaker.participant)
        .selectinload(Participant.focus_group)
        .selectinload(FocusGroup.group_type)
    )
    rows: list[SegmentRow] = []
    for seg in session.scalars(query):
        assert seg.speaker is not None
        assert seg.speaker.participant is not None
        person = seg.speaker.participant
        group = person.focus_group
        rows.append(
            SegmentRow(
                id=seg.id,
                transcript_id=seg.transcript_id,
                position=seg.position,
                text=seg.text,
                participant_id=person.id,
                participant_code=person.code,
                group_id=group.id if group else None,
                group=group.name if group else "",
                group_label=group.label if group else "",
                sector=group.group_type.sector.value if group else "",
                response_id=person.response_id,
            )
        )
    return rows
