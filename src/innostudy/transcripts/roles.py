"""Which words name a speaker's role, and the names innostudy writes for roles.

One list serves every reader of speaker labels: the transcript importer ("Moderator 2"
is a facilitator), speaker map files and prompts ("note_taker"), REFI-QDA sources from
other tools ("Interviewer"), and every writer of labels (REFI exports, the workbench).
A word added here is recognised everywhere at once.
"""

from __future__ import annotations

import re

from innostudy.model import SpeakerRole

#: Words (compared case-folded, with "-" and "_" read as spaces) that name each role.
FACILITATOR_WORDS = frozenset({"facilitator", "moderator", "interviewer", "host"})
NOTE_TAKER_WORDS = frozenset({"note taker", "notetaker", "scribe", "rapporteur"})
#: What a person may type for "not known yet" in a map file or at the prompt.
UNKNOWN_WORDS = frozenset({"unknown"})

#: How innostudy names a role where a speaker is shown or written without a code.
ROLE_NAMES: dict[SpeakerRole, str] = {
    SpeakerRole.FACILITATOR: "Facilitator",
    SpeakerRole.NOTE_TAKER: "Note-taker",
    SpeakerRole.UNKNOWN: "Unidentified speaker",
    SpeakerRole.PARTICIPANT: "Participant",
}

_ROLES = (
    (SpeakerRole.FACILITATOR, FACILITATOR_WORDS),
    (SpeakerRole.NOTE_TAKER, NOTE_TAKER_WORDS),
)
_IN_LABEL = [
    (role, re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words))) + r")\b"))
    for role, words in _ROLES
]


def _words(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


def role_word(text: str) -> SpeakerRole | None:
    """The role a person names on its own ("moderator", "note_taker", "unknown"), else None."""
    word = _words(text)
    if word in UNKNOWN_WORDS:
        return SpeakerRole.UNKNOWN
    return next((role for role, words in _ROLES if word in words), None)


def role_in_label(label: str) -> SpeakerRole | None:
    """The role a transcript's speaker label states ("Facilitator", "Moderator 2",
    "Lead interviewer", "Note-taker"), else None."""
    words = _words(label)
    return next((role for role, pattern in _IN_LABEL if pattern.search(words)), None)
