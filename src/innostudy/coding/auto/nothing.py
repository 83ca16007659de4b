"""Why ``code suggest`` found nothing to suggest, and what to do about it.

"0 suggestions for 0 segments" told a newcomer nothing. The reasons are checked in the
order the pipeline would have to be fixed: no transcript, no turn by a mapped
participant (speakers to map, or everyone withdrew), every turn already coded by a
person, every remaining turn too short, every code already rejected for them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.segments import SegmentRow
from innostudy.model import Segment, Speaker, SpeakerRole, Transcript


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def _every(count: int, noun: str) -> str:
    """ "the only turn … is" / "all 3 turns … are": a subject that agrees with its verb."""
    return (
        f"the only {noun} in {{where}} is"
        if count == 1
        else f"all {count:,} {noun}s in {{where}} are"
    )


def why_nothing(
    session: Session,
    *,
    transcript_id: int | None,
    usable: list[SegmentRow],
    uncoded: list[SegmentRow],
    targets: int,
    min_words: int,
) -> str:
    """The reason nothing was suggested, with the command that changes it (one line)."""
    where = f"transcript {transcript_id}" if transcript_id is not None else "the study"
    scope = sa.select(Segment).join(Transcript)
    if transcript_id is not None:
        scope = scope.where(Transcript.id == transcript_id)
    turns = session.scalar(sa.select(sa.func.count()).select_from(scope.subquery())) or 0
    if not turns:
        return (
            f"{where} has no transcript turns yet; import a transcript with "
            "`innostudy transcripts import FILE --session ID`"
        )
    if not usable:
        return _no_participant_turns(session, where, turns, transcript_id)
    if not uncoded:
        subject = _every(len(usable), "participant turn").format(where=where)
        return f"{subject} already coded by a person; see them with `innostudy code list`"
    if not targets:
        subject = _every(len(uncoded), "uncoded participant turn").format(where=where)
        return f"{subject} shorter than {min_words} words; lower --min-words to include them"
    return (
        f"every code was rejected earlier for the {_n(targets, 'remaining turn')} in {where}; "
        "code them by hand with `innostudy code apply SEGMENT CODE --coder NAME`"
    )


def _no_participant_turns(
    session: Session, where: str, turns: int, transcript_id: int | None
) -> str:
    query = (
        sa.select(Speaker.transcript_id, Speaker.label)
        .join(Segment, Segment.speaker_id == Speaker.id)
        .where(Speaker.role == SpeakerRole.UNKNOWN)
        .distinct()
        .order_by(Speaker.transcript_id, Speaker.label)
    )
    if transcript_id is not None:
        query = query.where(Speaker.transcript_id == transcript_id)
    unmapped = session.execute(query).all()
    if unmapped:
        labels = ", ".join(label for _, label in unmapped[:3])
        return (
            f"none of the {_n(turns, 'turn')} in {where} is by a mapped participant "
            f"({_n(len(unmapped), 'speaker label')} not mapped: {labels}); map them with "
            f"`innostudy transcripts map-speakers {unmapped[0][0]}`"
        )
    participants = session.scalar(
        sa.select(sa.func.count())
        .select_from(Segment)
        .join(Speaker, Speaker.id == Segment.speaker_id)
        .join(Transcript, Transcript.id == Segment.transcript_id)
        .where(Speaker.role == SpeakerRole.PARTICIPANT)
        .where(sa.true() if transcript_id is None else Transcript.id == transcript_id)
    )
    if participants:
        return (
            f"the participants who speak in {where} have withdrawn, so their words are not "
            "analysed; see `innostudy participants list`"
        )
    subject = _every(turns, "turn").format(where=where)
    return (
        f"{subject} by the facilitator or note-taker; check the speakers with "
        "`innostudy transcripts show ID`"
    )
