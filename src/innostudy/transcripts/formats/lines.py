"""Turns from line-oriented text: a line that starts a turn, then lines that continue it.

Plain text, Markdown transcripts and Word paragraphs differ only in their layout (what a
turn start looks like, ``layouts.py``); the accumulation is the same and lives here:
YAML front matter, Markdown headings and rules, Otter's closing line and the header
lines before the first turn are skipped and counted in the draft's notes; words before
any label become a turn without a speaker; a time-only label continues its speaker's
turn; a label with no words after it is left out with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from innostudy.errors import InputError
from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft
from innostudy.transcripts.formats.layouts import HEADING, Layout
from innostudy.transcripts.labels import kind_of_label
from innostudy.transcripts.timecodes import parse_timecode

Line = tuple[int, str]

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)\s*$")
_RULE = re.compile(r"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|<!--.*-->)$")
_MD_HEADING = re.compile(r"^#{1,6}(?:\s|$)")
_OTTER_TRAILER = re.compile(r"^transcribed by\b.*otter", re.IGNORECASE)
_MAX_FRONT_MATTER = 200
_STRUCTURE_STARTS = set("-*_<#Tt")


def front_matter(lines: Sequence[Line]) -> int:
    """How many leading lines are YAML front matter (``---`` … ``---``); 0 if none."""
    first = next((k for k, (_, text) in enumerate(lines) if text.strip()), None)
    if first is None or lines[first][1].strip() != "---":
        return 0
    for k in range(first + 1, min(len(lines), first + _MAX_FRONT_MATTER)):
        if _FRONT_MATTER_END.match(lines[k][1]):
            return k + 1
    return 0


def is_structure(line: str, layout: Layout) -> bool:
    """Markdown rules and headings (unless headings are the labels), Otter's closing line."""
    if line[:1] not in _STRUCTURE_STARTS:
        return False
    if _RULE.match(line) or _OTTER_TRAILER.match(line):
        return True
    return layout is not HEADING and _MD_HEADING.match(line) is not None


class _Collector:
    def __init__(self, source: Path, layout: Layout, unit: str) -> None:
        self.source, self.layout, self.unit = source, layout, unit
        self.draft = TranscriptDraft(layout=layout.name)
        self.current: SegmentDraft | None = None
        self.started = False
        self.skipped: list[int] = []
        self.header: list[int] = []
        self.paragraph_break = False

    def add(self, number: int, line: str) -> None:
        if not line:
            self.paragraph_break = True
            return
        if is_structure(line, self.layout):
            self.skipped.append(number)
            return
        start = self.layout.match(line)
        if start is not None and start.speaker is None and self.current is not None:
            self._continue(start.text)
        elif start is not None and start.speaker is not None:
            if not self.started and kind_of_label(start.speaker) == "a field name":
                self.header.append(number)
                return
            self.started = True
            self.current = SegmentDraft(
                start.speaker,
                start.text,
                number,
                start_ms=turn_time(start.time_text, self.source, number, self.unit),
            )
            self.draft.segments.append(self.current)
        elif start is not None:  # a time alone before any speaker
            self._unlabelled(number, start.text, start.time_text)
        elif not self.started and self.layout.patterns and _title_like(line):
            self.header.append(number)
            return
        elif self.current is None or (not self.layout.patterns and self.paragraph_break):
            self._unlabelled(number, line, None)
        else:
            self._continue(line)
        self.paragraph_break = False

    def _continue(self, text: str) -> None:
        assert self.current is not None
        self.current.text = f"{self.current.text} {text}".strip()

    def _unlabelled(self, number: int, text: str, time_text: str | None) -> None:
        self.current = SegmentDraft(
            None, text, number, start_ms=turn_time(time_text, self.source, number, self.unit)
        )
        self.draft.segments.append(self.current)

    def finish(self) -> TranscriptDraft:
        draft = self.draft
        unlabelled = [s for s in draft.segments if s.speaker is None]
        if unlabelled and self.layout.patterns and any(s.speaker for s in draft.segments):
            draft.warnings.append(
                f"{_count(len(unlabelled), 'passage')} before or without a speaker label kept "
                f"as turns with no speaker ({self.unit} {_spans([s.line for s in unlabelled])})"
            )
        empty = [s for s in draft.segments if not s.text]
        if empty:
            draft.segments = [s for s in draft.segments if s.text]
            where = ", ".join(str(s.line) for s in empty[:10])
            draft.warnings.append(
                f"{_count(len(empty), 'label')} with no words after them left out "
                f"({self.unit} {where}{', …' if len(empty) > 10 else ''})"
            )
        if self.header:
            draft.notes.append(f"header lines skipped ({self.unit} {_spans(self.header)})")
        if self.skipped:
            draft.notes.append(
                f"headings, rules and trailers skipped ({self.unit} {_spans(self.skipped)})"
            )
        return draft


def _title_like(line: str) -> bool:
    """A short line that is not a sentence: a title, a date line, a list of names."""
    return len(line.split()) <= 12 and not line.rstrip("*_ ").endswith((".", "?", "!", "…"))


def read_turns(
    lines: Sequence[Line], source: Path, layout: Layout, *, unit: str = "line", check: bool = True
) -> TranscriptDraft:
    """Group numbered lines into turns with ``layout``; front matter is skipped first."""
    skip = front_matter(lines)
    collector = _Collector(source, layout, unit)
    for number, raw in lines[skip:]:
        collector.add(number, raw.strip())
    draft = collector.finish()
    if skip:
        draft.notes.insert(0, f"front matter skipped ({unit}s 1-{lines[skip - 1][0]})")
    if check:
        check_turns(draft, source, unit)
    return draft


def turn_time(text: str | None, source: Path, number: int, unit: str) -> int | None:
    if not text:
        return None
    ms = parse_timecode(text)
    if ms is None:
        raise InputError(
            source, number, "timestamp", f"'{text}' is not a time like 00:01:02", unit=unit
        )
    return ms


def check_turns(draft: TranscriptDraft, source: Path, unit: str = "line") -> None:
    """A file with no turns is refused; there is nothing to import."""
    if not draft.segments:
        raise InputError(source, None, None, "no speaker turns found", unit=unit)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _spans(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` → ``1-3, 7`` (at most eight spans, then an ellipsis)."""
    spans: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        spans.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(spans[:8]) + (", …" if len(spans) > 8 else "")
