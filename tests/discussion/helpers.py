"""Small discussions written out turn by turn, so every figure can be worked out by hand."""

from __future__ import annotations

from collections.abc import Sequence

from innostudy.discussion.turns import MODERATOR, OTHER, PARTICIPANT, Discussion, Turn
from innostudy.model import Sector, Stance

STANCES = {"new": Stance.NEW, "agree": Stance.AGREE, "disagree": Stance.DISAGREE}
STANCES["qualify"] = Stance.QUALIFY


def turn(
    i: int,
    speaker: str,
    text: str,
    *,
    at: float | None = None,
    until: float | None = None,
    codes: str = "",
    stance: str = "",
) -> Turn:
    """``speaker`` "M" is the moderator, "?" someone unidentified, anything else a
    participant code; ``at``/``until`` in seconds; ``codes`` space-separated keys, each
    taking ``stance`` when given."""
    role = MODERATOR if speaker == "M" else OTHER if speaker == "?" else PARTICIPANT
    keys = frozenset(codes.split())
    return Turn(
        segment_id=100 + i,
        position=i,
        speaker={"M": "Facilitator", "?": "Speaker 1"}.get(speaker, speaker),
        role=role,
        words=len(text.split()),
        start_ms=None if at is None else int(at * 1000),
        end_ms=None if until is None else int(until * 1000),
        text=text if role == MODERATOR else "",
        codes=keys,
        stances=dict.fromkeys(keys, STANCES[stance]) if stance else {},
    )


def discussion(
    turns: Sequence[Turn], *, end_times: bool = True, transcript_id: int = 1, group: str = "G"
) -> Discussion:
    return Discussion(
        transcript_id=transcript_id,
        session_id=transcript_id,
        name=f"session {transcript_id}",
        group_id=1,
        group=group,
        sector=Sector.CIVIL_SERVICE,
        turns=list(turns),
        end_times=end_times,
    )
