"""A note-taker's Markdown notes: a non-verbatim source, marked so it never gives quotes.

Each bullet point or paragraph is one segment; headings and rules organise the notes
and are not segments. A point may start with a time (``[00:12:30]``) and name its
speaker (``**Zoë**: …``, ``**Zoë:** …`` or ``Zoë: …``)::

    ## Costs and timescales
    - [00:12:30] **SCS-02**: budgets are set a year ahead, so pilots wait.
    - General agreement that approval gateways add months.
"""

from __future__ import annotations

import re
from pathlib import Path

from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft
from innostudy.transcripts.formats.layouts import INLINE, Layout
from innostudy.transcripts.formats.lines import Line, check_turns, turn_time
from innostudy.transcripts.formats.text import read_lines

_BULLET = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+(?P<text>.*)$")
_TIME = re.compile(r"^\[(?P<time>[\d:.,]+)\]\s*(?P<text>.*)$")
_BOLD_NAME = (
    re.compile(r"^(\*\*|__)(?P<name>[^*_:]{1,60}?):\1\s*(?P<text>.*)$"),
    re.compile(r"^(\*\*|__)(?P<name>[^*_:]{1,60}?)\1\s*:\s*(?P<text>.*)$"),
)
_STRUCTURE = re.compile(r"^(?:#{1,6}(?:\s|$)|(?:-\s*){3,}$|(?:\*\s*){3,}$|_{3,}$|<!--.*-->$)")


def parse(path: Path, layout: Layout | None = None) -> TranscriptDraft:
    return parse_lines(read_lines(path), path)


def parse_lines(lines: list[Line], path: Path) -> TranscriptDraft:
    draft = TranscriptDraft(verbatim=False, layout="notes")
    current: SegmentDraft | None = None
    after_blank = True
    for number, raw in lines:
        line = raw.strip()
        if not line or _STRUCTURE.match(line):
            after_blank = True
            continue
        bullet = _BULLET.match(line)
        if bullet is not None or after_blank or current is None:
            current = _point(bullet.group("text") if bullet else line, number, path)
            draft.segments.append(current)
        else:
            current.text = f"{current.text} {line}"
        after_blank = False
    check_turns(draft, path)
    return draft


def _point(text: str, number: int, path: Path) -> SegmentDraft:
    start_ms = None
    timed = _TIME.match(text)
    if timed is not None:
        start_ms = turn_time(timed.group("time"), path, number, "line")
        text = timed.group("text")
    for pattern in _BOLD_NAME:
        m = pattern.match(text)
        if m is not None:
            return SegmentDraft(m.group("name").strip(), m.group("text"), number, start_ms)
    labelled = INLINE.match(text)
    if labelled is not None and labelled.speaker and labelled.text and labelled.time_text is None:
        return SegmentDraft(labelled.speaker, labelled.text, number, start_ms)
    return SegmentDraft(None, text, number, start_ms)
