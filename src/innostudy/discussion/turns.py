"""A discussion as the measures see it: turns with speaker, words, times, codes, stances.

The measures never touch the database; ``discussion.study`` builds these from a study,
tests build them by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from innostudy.model import Sector, Stance

PARTICIPANT = "participant"
MODERATOR = "facilitator"
OTHER = "other"  # a note-taker, or a speaker nobody has identified


@dataclass(frozen=True)
class Turn:
    segment_id: int
    position: int
    speaker: str  # participant code; "Facilitator"; otherwise the speaker's label
    role: str  # PARTICIPANT, MODERATOR or OTHER
    words: int
    start_ms: int | None = None
    end_ms: int | None = None
    text: str = ""  # kept for the moderator's turns (what they name); may be empty otherwise
    codes: frozenset[str] = frozenset()  # code keys of the main coding, as applied
    stances: Mapping[str, Stance] = field(default_factory=dict)  # code key → stance

    @property
    def is_participant(self) -> bool:
        return self.role == PARTICIPANT


@dataclass(frozen=True)
class Discussion:
    """One session's transcript: its turns in order, and where it belongs."""

    transcript_id: int
    session_id: int
    name: str  # the session's name
    group_id: int | None
    group: str  # the group's label ("" outside any group)
    sector: Sector | None
    turns: Sequence[Turn]
    end_times: bool = True  # False when the source gave start times only
