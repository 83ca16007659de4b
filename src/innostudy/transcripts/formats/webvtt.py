"""WebVTT as Microsoft Teams, Zoom, Google Meet and video sites export it.

Teams writes cue identifiers and ``<v Name>`` voice tags (closed with ``</v>`` or not),
and its older exports write times without padding (``0:0:6.90``); Zoom writes numbered
cues whose text starts ``Name: …``; captioners write ``[Name]`` or ``(Name)``. All may
carry NOTE, STYLE and REGION blocks (skipped), header metadata, cue settings, and times
with or without hours. A file without its ``WEBVTT`` line is read all the same, with a
note::

    WEBVTT

    3f2a…/12-0
    00:00:03.450 --> 00:00:07.890
    <v Zoë Hartley>Budgets run yearly,</v>
"""

from __future__ import annotations

from pathlib import Path

from innostudy.textfiles import numbered_lines
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats.cues import cue_turns, read_cues
from innostudy.transcripts.formats.limits import MAX_TRANSCRIPT_BYTES, TOO_BIG, check_lines

EXAMPLE = "00:01:02.500"
EXPECTED = "a cue timing line like '00:00:01.000 --> 00:00:04.000'"


def parse(path: Path) -> TranscriptDraft:
    lines = check_lines(numbered_lines(path, limit=MAX_TRANSCRIPT_BYTES, advice=TOO_BIG), path)
    found = read_cues(lines, path, EXAMPLE, EXPECTED)
    draft = cue_turns(found.cues, path)
    draft.layout = "webvtt"
    if not found.had_header:
        draft.warnings.append("the file has no 'WEBVTT' line; its cues were read all the same")
    if found.unpadded:
        draft.notes.append("times without padding (Teams): fractions read as milliseconds")
    return draft
