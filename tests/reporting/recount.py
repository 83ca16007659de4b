"""Counting focus-group talk by SQL alone, for tests that recompute what the report shows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session


def usable_turns(s: Session) -> list[Any]:
    """(segment, text, participant, group label, sector, group-type position, group id) of
    every participant turn whose speaker has not withdrawn."""
    return list(
        s.execute(
            sa.text(
                """
                SELECT segment.id, segment.text, participant.id, focus_group.label,
                       group_type.sector, group_type.position, focus_group.id
                FROM segment
                JOIN speaker ON speaker.id = segment.speaker_id
                JOIN participant ON participant.id = speaker.participant_id
                JOIN focus_group ON focus_group.id = participant.focus_group_id
                JOIN group_type ON group_type.id = focus_group.group_type_id
                LEFT JOIN consent ON consent.participant_id = participant.id
                WHERE speaker.role = 'participant' AND consent.withdrawn_at IS NULL
                """
            )
        ).all()
    )


def coded(s: Session, key: str, coder: str) -> set[int]:
    """Turns a coder accepted with the code or any code below it."""
    return set(
        s.execute(
            sa.text(
                """
                SELECT DISTINCT coding.segment_id FROM coding
                JOIN code ON code.id = coding.code_id JOIN coder ON coder.id = coding.coder_id
                WHERE coding.status = 'accepted' AND coder.kind = 'person' AND coder.name = :c
                  AND (code.key = :key OR code.key LIKE :below)
                """
            ),
            {"key": key, "below": f"{key}.%", "c": coder},
        ).scalars()
    )
