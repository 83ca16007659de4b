"""Plain text with speaker labels, the form most transcribers type.

Recognised turn starts (a line without one continues the current turn)::

    Name: text
    [00:01:02] Name: text
    NAME (00:01:02)          <- on its own line; the turn's text follows below
"""

from __future__ import annotations

import re
from pathlib import Path

from innostudy.errors import InputError
from innostudy.transcripts.drafts import SegmentDraft, TranscriptDraft
from innostudy.transcripts.formats.text import read_text
from innostudy.transcripts.timecodes import parse_timecode

_NAME = r"[^\W\d_][\w .'’-]{0,58}?"
_LABELLED = re.compile(rf"^(?:\[(?P<time>[\d:.,]+)\]\s*)?(?P<name>{_NAME})\s*:\s+(?P<text>\S.*)$")
_HEADING = re.compile(rf"^(?P<name>{_NAME})\s*\((?P<time>[\d:.,]+)\)\s*:?\s*$")
_MAX_LABEL_WORDS = 4


def _plausible_name(name: str) -> bool:
    return len(name.split()) <= _MAX_LABEL_WORDS


def parse(path: Path) -> TranscriptDraft:
    draft = TranscriptDraft()
    current: SegmentDraft | None = None
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        start = _LABELLED.match(line) or _HEADING.match(line)
        if start is not None and _plausible_name(start.group("name")):
            time_text = start.group("time")
            start_ms = parse_timecode(time_text) if time_text else None
            if time_text and start_ms is None:
                raise InputError(
                    path,
                    number,
                    "timestamp",
                    f"'{time_text}' is not a time like 00:01:02",
                    unit="line",
                )
            current = SegmentDraft(
                speaker=start.group("name").strip(),
                text=start.groupdict().get("text") or "",
                line=number,
                start_ms=start_ms,
            )
            draft.segments.append(current)
        elif current is None:
            current = SegmentDraft(speaker=None, text=line, line=number)
            draft.segments.append(current)
        else:
            current.text = f"{current.text} {line}".strip()
    empty = next((s for s in draft.segments if not s.text), None)
    if empty is not None:
        raise InputError(
            path, empty.line, "text", f"turn by '{empty.speaker}' has no text", unit="line"
        )
    if not draft.segments:
        raise InputError(path, None, None, "no speaker turns found", unit="line")
    return draft
