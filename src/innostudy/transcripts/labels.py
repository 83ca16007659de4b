"""Speaker labels that are probably not people: field names, dates and headings.

A transcript's first lines often say when and where it was recorded ("Date: 10 March
2026. Recorded with consent"), and a reader of labels takes "Date" for a speaker. Such
lines before the first turn are header lines (skipped, and said so); a label of this
kind later in the file is kept but warned about, so a person can check it.
"""

from __future__ import annotations

import functools
import re

from innostudy.transcripts.drafts import TranscriptDraft

#: Words that head a transcript's metadata lines rather than name a speaker.
FIELD_WORDS = frozenset(
    {
        "date", "time", "day", "location", "place", "venue", "site", "duration", "length",
        "title", "subject", "topic", "project", "study", "session", "recorded",
        "recording", "transcribed", "transcriber", "transcription", "transcript", "file",
        "filename", "audio", "video", "participants", "attendees", "present", "apologies",
        "keywords", "language", "version", "created", "modified", "id", "ref", "reference",
        "agenda", "format", "note", "notes", "consent", "source", "author", "tags",
    }
)  # fmt: skip
#: Words that head a section of a transcript rather than name a speaker.
HEADING_WORDS = frozenset(
    {
        "introduction", "intro", "summary", "conclusion", "conclusions", "background",
        "section", "part", "chapter", "question", "questions", "theme", "appendix",
        "overview", "contents", "break", "end", "close", "closing", "opening", "welcome",
    }
)  # fmt: skip
_MONTHS = "january february march april may june july august september october november december"
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_DATE_WORDS = frozenset(_MONTHS.split() + [m[:3] for m in _MONTHS.split()] + _DAYS.split())
_NUMBERED = re.compile(r"^(?:q|question|part|section|topic|theme)\s*\d+[a-z]?$")


def _words(label: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", label.casefold()).split()


@functools.lru_cache(maxsize=1024)
def kind_of_label(label: str) -> str | None:
    """'a field name', 'a date' or 'a heading' when the label looks like one, else None."""
    words = _words(label)
    if not words:
        return None
    joined = " ".join(words)
    if joined in FIELD_WORDS or (len(words) == 2 and words[0] in FIELD_WORDS):
        return "a field name"
    if any(w in _DATE_WORDS for w in words) and (
        len(words) == 1 or any(w.isdigit() for w in words)
    ):
        return "a date"
    if words[0] in HEADING_WORDS or _NUMBERED.match(joined):
        return "a heading"
    return None


def label_warnings(draft: TranscriptDraft, unit: str = "line") -> list[str]:
    """One warning per speaker label that looks like a field name, a date or a heading."""
    out: list[str] = []
    for label in draft.speakers:
        kind = kind_of_label(label)
        if kind is None:
            continue
        turns = [s for s in draft.segments if s.speaker == label]
        out.append(
            f"speaker '{label}' ({unit} {turns[0].line}, {len(turns)} "
            f"turn{'' if len(turns) == 1 else 's'}) looks like {kind}, not a person: check it, "
            "or read the file another way with --layout or --speaker-pattern"
        )
    return out
