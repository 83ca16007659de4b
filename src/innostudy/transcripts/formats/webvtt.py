"""WebVTT as Microsoft Teams and Zoom export it.

Teams writes cue identifiers and ``<v Name>`` voice tags (closed with ``</v>`` or not);
Zoom writes numbered cues whose text starts ``Name: …``. Both may carry NOTE, STYLE and
REGION blocks (skipped), header metadata, and times with or without hours::

    WEBVTT

    3f2a…/12-0
    00:00:03.450 --> 00:00:07.890
    <v Zoë Hartley>Budgets run yearly,</v>
"""

from __future__ import annotations

import re
from pathlib import Path

from innostudy.errors import InputError
from innostudy.textfiles import numbered_lines
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats.cues import Cue, Line, blocks, cue_turns, parse_timing

EXAMPLE = "00:01:02.500"
_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_SKIPPED = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t].*)?$")


def parse(path: Path) -> TranscriptDraft:
    lines = numbered_lines(path)
    if not lines or not _HEADER.match(lines[0][1]):
        raise InputError(
            path,
            1,
            None,
            "a WebVTT file must start with the line 'WEBVTT' (an SRT file? use --format srt)",
            unit="line",
        )
    body = blocks(lines)[1:]  # the first block is the header and its metadata
    return cue_turns((c for b in body if (c := _cue(b, path)) is not None), path)


def _cue(block: list[Line], source: Path) -> Cue | None:
    first_line, first = block[0]
    if _SKIPPED.match(first):
        return None
    for index in (0, 1):
        if index < len(block) and "-->" in block[index][1]:
            number, timing = block[index]
            start, end = parse_timing(timing, number, source, EXAMPLE)
            return Cue(number, start, end, [text for _, text in block[index + 1 :]])
    raise InputError(
        source,
        first_line,
        None,
        f"expected a cue timing line like '00:00:01.000 --> 00:00:04.000', found '{first[:40]}'",
        unit="line",
    )
