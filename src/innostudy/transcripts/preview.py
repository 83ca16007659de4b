"""What a transcript would bring in, before anything is stored (the dry-run view)."""

from __future__ import annotations

from dataclasses import dataclass

from innostudy.transcripts.drafts import TranscriptDraft


@dataclass(frozen=True)
class SpeakerCount:
    label: str
    turns: int
    words: int


def speaker_counts(draft: TranscriptDraft) -> list[SpeakerCount]:
    """Turns and words per speaker label, in order of first appearance."""
    counts: dict[str, list[int]] = {}
    for seg in draft.segments:
        entry = counts.setdefault(seg.speaker or "(no speaker)", [0, 0])
        entry[0] += 1
        entry[1] += len(seg.text.split())
    return [SpeakerCount(label, turns, words) for label, (turns, words) in counts.items()]


def summary_line(draft: TranscriptDraft) -> str:
    """``24 turns, 412 words, 3 speakers, 00:00:01–00:01:17`` (times when the source had them)."""
    from innostudy.transcripts.timecodes import format_timecode

    counts = speaker_counts(draft)
    words = sum(c.words for c in counts)
    line = f"{len(draft.segments)} turns, {words} words, {len(counts)} speakers"
    starts = [s.start_ms for s in draft.segments if s.start_ms is not None]
    ends = [s.end_ms for s in draft.segments if s.end_ms is not None]
    if starts and ends:
        line += f", {format_timecode(min(starts))}–{format_timecode(max(ends))}"
    return line
