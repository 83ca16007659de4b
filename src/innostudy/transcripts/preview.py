"""What an import would do, shown before anything is written (``--dry-run``).

Everything here is computed from the parsed file and the study as it is: the layout
found and why, each speaker's turns and words and who they would be mapped to, the
first turns (redacted, as they would be stored), and every note and warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft
from innostudy.transcripts.redaction import Redactor
from innostudy.transcripts.speakers import SpeakerAssignment


@dataclass(frozen=True)
class SpeakerLine:
    label: str
    turns: int
    words: int
    maps_to: str
    how: str


@dataclass
class Preview:
    layout: str
    turns: int
    words: int
    first_ms: int | None
    last_ms: int | None
    verbatim: bool
    speakers: list[SpeakerLine]
    first_turns: list[SegmentDraft]
    unlabelled: int
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_HOW = {
    "map": "as you mapped it",
    "session": "the session's facilitator or note-taker, or a role word in the label",
    "label": "the label is a participant code",
    "name": "a registered participant's name",
    "unmapped": "not mapped yet",
}


def _words(text: str) -> int:
    return len(text.split())


def preview(
    draft: TranscriptDraft,
    speakers: dict[str, SpeakerAssignment],
    codes: dict[int, str],
    redactor: Redactor,
    *,
    warnings: list[str] | None = None,
    first: int = 5,
) -> Preview:
    """The dry run of one file; ``codes`` names participants by id (never by name)."""
    lines = []
    for label, assignment in speakers.items():
        said = [s for s in draft.segments if s.speaker == label]
        target = codes.get(assignment.participant_id or -1) or assignment.role.value
        lines.append(
            SpeakerLine(
                label,
                len(said),
                sum(_words(s.text) for s in said),
                target,
                _HOW.get(assignment.how, assignment.how),
            )
        )
    times = [t for s in draft.segments for t in (s.start_ms, s.end_ms) if t is not None]
    shown = [
        SegmentDraft(s.speaker, redactor.redact(s.text)[0], s.line, s.start_ms, s.end_ms)
        for s in draft.segments[:first]
    ]
    return Preview(
        layout=draft.layout,
        turns=len(draft.segments),
        words=sum(_words(s.text) for s in draft.segments),
        first_ms=min(times) if times else None,
        last_ms=max(times) if times else None,
        verbatim=draft.verbatim,
        speakers=lines,
        first_turns=shown,
        unlabelled=sum(1 for s in draft.segments if s.speaker is None),
        notes=list(draft.notes),
        warnings=[*draft.warnings, *(warnings or [])],
    )
