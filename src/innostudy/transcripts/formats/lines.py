"""Turns from line-oriented text: a line that starts a turn, then lines that continue it.

Plain text, Otter-style exports, Markdown notes and Word paragraphs differ only in what
a turn start looks like; the accumulation (continuation lines, blank lines, empty turns,
bad timestamps with their line) is the same, and lives here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from innostudy.errors import InputError
from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft
from innostudy.transcripts.timecodes import parse_timecode

# A speaker label: starts with a letter, then letters, digits, spaces, apostrophes,
# full stops and hyphens ("Speaker 2", "Siân O'Neill", "Dr. Smith-Jones").
NAME = r"[^\W\d_][\w .'’-]{0,58}?"
TIME = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
MAX_LABEL_WORDS = 4

_LABELLED = re.compile(
    rf"^(?:\[(?P<time>[\d:.,]+)\]\s*|(?P<bare>{TIME})\s+)?(?P<name>{NAME})\s*:\s+(?P<text>\S.*)$"
)
_INLINE_TIMED = re.compile(
    rf"^(?P<name>{NAME})\s*[\[(](?P<time>[\d:.,]+)[\])]\s*:\s*(?P<text>\S.*)$"
)
_HEADING = re.compile(rf"^(?P<name>{NAME})\s*[\[(](?P<time>[\d:.,]+)[\])]\s*:?\s*$")
_OTTER = re.compile(rf"^(?P<name>{NAME})\s+(?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)$")
_OTTER_TRAILER = re.compile(r"^transcribed by\b.*otter", re.IGNORECASE)


@dataclass(frozen=True)
class TurnStart:
    speaker: str
    time_text: str | None
    text: str


Matcher = Callable[[str], TurnStart | None]


def _plausible(name: str) -> bool:
    return len(name.split()) <= MAX_LABEL_WORDS


def _start(m: re.Match[str] | None) -> TurnStart | None:
    if m is None or not _plausible(m.group("name")):
        return None
    groups = m.groupdict()
    time_text = groups.get("time") or groups.get("bare")
    return TurnStart(m.group("name").strip(), time_text, groups.get("text") or "")


def labelled_start(line: str) -> TurnStart | None:
    """``Name: text``, ``[00:01:02] Name: text``, ``NAME (00:01:02)`` and ``Name (0:05): text``."""
    return _start(_LABELLED.match(line) or _INLINE_TIMED.match(line) or _HEADING.match(line))


def otter_start(line: str) -> TurnStart | None:
    """Otter's ``Name  0:03`` header, and the ``Speaker (00:00:05):`` style of other services."""
    return _start(_OTTER.match(line) or _INLINE_TIMED.match(line) or _HEADING.match(line))


def is_otter_trailer(line: str) -> bool:
    return _OTTER_TRAILER.match(line) is not None


def looks_like_otter(lines: Iterable[str]) -> bool:
    """More ``Name  0:03`` headers than ``Name: text`` turns: an Otter-style export."""
    otter = labelled = 0
    for line in lines:
        line = line.strip()
        if _OTTER.match(line) and _plausible(line.rsplit(None, 1)[0]):
            otter += 1
        elif _LABELLED.match(line):
            labelled += 1
    return otter >= 2 and otter > labelled


def collect_turns(
    lines: Iterable[tuple[int, str]],
    source: Path,
    match: Matcher,
    *,
    unit: str = "line",
    skip: Callable[[str], bool] = lambda _line: False,
    check: bool = True,
) -> TranscriptDraft:
    """Group numbered lines into turns; text before the first label has no speaker."""
    draft = TranscriptDraft()
    current: SegmentDraft | None = None
    for number, raw in lines:
        line = raw.strip()
        if not line or skip(line):
            continue
        start = match(line)
        if start is not None:
            current = SegmentDraft(
                speaker=start.speaker,
                text=start.text,
                line=number,
                start_ms=turn_time(start.time_text, source, number, unit),
            )
            draft.segments.append(current)
        elif current is None:
            current = SegmentDraft(speaker=None, text=line, line=number)
            draft.segments.append(current)
        else:
            current.text = f"{current.text} {line}".strip()
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
    """A file with no turns, or a labelled turn with no words, is refused with its line."""
    empty = next((s for s in draft.segments if not s.text), None)
    if empty is not None:
        raise InputError(
            source, empty.line, "text", f"turn by '{empty.speaker}' has no text", unit=unit
        )
    if not draft.segments:
        raise InputError(source, None, None, "no speaker turns found", unit=unit)
