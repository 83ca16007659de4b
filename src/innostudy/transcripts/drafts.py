"""What every transcript format parser produces: speaker turns not yet stored.

Offsets everywhere in innostudy are Unicode code points into ``text`` (Python ``str``
indices), see ARCHITECTURE.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SegmentDraft:
    """One speaker turn as read from a file; ``line`` is where it starts (1-based)."""

    speaker: str | None
    text: str
    line: int
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass
class TranscriptDraft:
    """Turns, and how they were read: the layout used, what was skipped (``notes``) and
    what a person should check (``warnings``), so nothing is left out silently."""

    segments: list[SegmentDraft] = field(default_factory=list)
    verbatim: bool = True
    notes: list[str] = field(default_factory=list)
    layout: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first appearance."""
        seen: list[str] = []
        for seg in self.segments:
            if seg.speaker and seg.speaker not in seen:
                seen.append(seg.speaker)
        return seen
