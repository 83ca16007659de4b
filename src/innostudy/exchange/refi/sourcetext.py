"""A plain-text REFI source as segments again (the export side is ``transcripts.writing``).

innostudy codes speaker turns (segments); REFI-QDA tools code positions in one text per
source. The export writes each turn as its own paragraph (``transcripts.writing``)::

    [00:01:02.500] SCS-03: the turn's text, exactly as Segment.text holds it

    Facilitator: the next turn

(the time only when the turn has one; the label is the participant code or the role,
never a name). Paragraphs are separated by one blank line, and a turn's text starts at
a known position, so a coding at [a, b) of a segment becomes [start + a, start + b) of
the source, in code points.

The import reverses it for any tool's text: a line that starts with a speaker label
(``Name: ``, optionally after ``[time]``) starts a turn; other lines continue the turn
they follow; a blank line ends it, and the next paragraph is a new turn by the same
speaker. A candidate label counts only if it appears at least twice in the source, names
a known case, or is a role such as "Interviewer" (or, once the source has such labels, is
one or two capitalised words), so "The answer is simple: ..." in prose does not become a
speaker. In innostudy's own exports only the labels innostudy writes count (case names,
"Facilitator", "Note-taker", "Speaker N"), and an unlabelled paragraph has no speaker. A
segment is always a contiguous, white-space-trimmed slice of the source text, which is
what makes mapping selections exact.

Line endings are normalised before anything is counted: CRLF and lone CR are one
position each, as a text editor shows them (see docs/exchange.md).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from innostudy.transcripts.roles import role_in_label
from innostudy.transcripts.timecodes import parse_timecode

_MAX_LABEL_WORDS = 4
_SHORT_LABEL_WORDS = 2
_PREFIX = re.compile(
    r"^(?P<lead>[ \t]*)"
    r"(?:\[(?P<time>\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?)\][ \t]*)?"
    r"(?:(?P<name>[^\W\d_][\w .'’-]{0,58}?)[ \t]*:(?:[ \t]+|$))?"
)


@dataclass(frozen=True)
class SourcePart:
    """A future segment: ``text[start:end]`` of the source, by ``speaker``."""

    start: int
    end: int
    speaker: str | None
    start_ms: int | None
    line: int


@dataclass(frozen=True)
class _Prefix:
    text_at: int  # offset in the line where the turn's text starts
    speaker: str | None
    start_ms: int | None
    starts_turn: bool


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    position = 0
    for line in text.split("\n"):
        out.append((position, line))
        position += len(line) + 1
    return out


def _plausible(name: str) -> bool:
    return len(name.split()) <= _MAX_LABEL_WORDS


_OWN_LABEL = re.compile(r"^(?:Speaker \d+|Facilitator(?: \d+)?|Note-taker(?: \d+)?)$")


def _accepted_labels(
    lines: list[tuple[int, str]], known: Collection[str], own_layout: bool
) -> set[str]:
    counts: Counter[str] = Counter()
    for _, line in lines:
        m = _PREFIX.match(line)
        if m is not None and m.group("name") and _plausible(m.group("name")):
            counts[m.group("name").strip()] += 1
    known_folded = {k.casefold() for k in known}
    if own_layout:  # innostudy wrote every label itself: accept exactly those
        return {c for c in counts if c.casefold() in known_folded or _OWN_LABEL.match(c)}
    sure = {
        label
        for label, n in counts.items()
        if n >= 2 or label.casefold() in known_folded or role_in_label(label) is not None
    }
    if not sure:
        return sure
    # In a source that is clearly labelled, a short capitalised label may occur only once
    # (someone who spoke once); prose such as "The answer is simple:" is longer.
    return sure | {
        label for label in counts if len(label.split()) <= _SHORT_LABEL_WORDS and label[0].isupper()
    }


def _prefix(line: str, accepted: set[str]) -> _Prefix:
    m = _PREFIX.match(line)
    assert m is not None  # every group is optional
    name = (m.group("name") or "").strip()
    time_text = m.group("time")
    start_ms = parse_timecode(time_text) if time_text else None
    if name and name in accepted:
        return _Prefix(m.end(), name, start_ms, True)
    if start_ms is not None:
        return _Prefix(m.end("time") + 1, None, start_ms, True)
    return _Prefix(0, None, None, False)


class _Builder:
    def __init__(self, continue_speaker: bool) -> None:
        self.parts: list[SourcePart] = []
        self.continue_speaker = continue_speaker
        self.open: list[int] | None = None  # [start, end, line]
        self.open_speaker: str | None = None
        self.open_ms: int | None = None
        self.last_speaker: str | None = None
        self.pending: str | None = None  # a label alone on its line: the text follows

    def close(self) -> None:
        if self.open is not None:
            start, end, line = self.open
            self.parts.append(SourcePart(start, end, self.open_speaker, self.open_ms, line))
        self.open = None

    def start(self, at: int, end: int, speaker: str | None, ms: int | None, line: int) -> None:
        self.close()
        self.open = [at, end, line]
        self.open_speaker, self.open_ms = speaker, ms
        self.last_speaker = speaker if speaker is not None else self.last_speaker
        self.pending = None


def split_source(
    text: str, *, known_labels: Collection[str] = (), own_layout: bool = False
) -> list[SourcePart]:
    """Cut a normalised source text into turns; see the module docstring for the rules.

    ``own_layout`` is for innostudy's own exports, where every turn carries its label:
    only the labels innostudy writes count, and an unlabelled paragraph has no speaker.
    """
    lines = _lines(text)
    accepted = _accepted_labels(lines, known_labels, own_layout)
    b = _Builder(continue_speaker=not own_layout)
    for number, (offset, line) in enumerate(lines, start=1):
        content_end = offset + len(line.rstrip())
        if not line.strip():
            b.close()
            continue
        p = _prefix(line, accepted)
        body = line[p.text_at :]
        at = offset + p.text_at + (len(body) - len(body.lstrip()))
        if p.starts_turn:
            if not body.strip():
                b.close()
                b.pending = p.speaker
                continue
            speaker = p.speaker
            if speaker is None and b.continue_speaker:
                speaker = b.last_speaker
            b.start(at, content_end, speaker, p.start_ms, number)
        elif b.open is not None:
            b.open[1] = content_end
        else:
            speaker = b.pending or (b.last_speaker if b.continue_speaker else None)
            b.start(at, content_end, speaker, None, number)
    b.close()
    return b.parts


def clip_to_parts(
    text: str, parts: Sequence[SourcePart], start: int, end: int
) -> list[tuple[int, int, int]]:
    """A selection [start, end) of the source as (part index, start, end) in each part's text.

    A selection across turns becomes one piece per turn; each piece is trimmed of white
    space, and pieces on nothing but labels, times or blank lines are dropped. ``parts``
    are in source order, so the first candidate is found by bisection.
    """
    pieces: list[tuple[int, int, int]] = []
    first = bisect.bisect_right(parts, start, key=lambda p: p.end)  # first part ending after
    for index in range(first, len(parts)):
        part = parts[index]
        if part.start >= end:
            break
        lo, hi = max(start, part.start), min(end, part.end)
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        if lo < hi:
            pieces.append((index, lo - part.start, hi - part.start))
    return pieces
