"""Markdown files: a transcript in one of the text layouts, or a note-taker's notes.

Both arrive as ``.md``: Otter's Markdown export and podcast transcripts (front matter,
``**Name**  0:03`` or ``Name (00:01:02):`` labels) are verbatim transcripts; bullet-point
notes are not. The file decides: more bullet points than speaker turns makes notes.
"""

from __future__ import annotations

import re
from pathlib import Path

from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats.evidence import choose_layout
from innostudy.transcripts.formats.layouts import Layout
from innostudy.transcripts.formats.notes import parse_lines as notes_from_lines
from innostudy.transcripts.formats.text import read_lines, turns_from_lines

_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+\S")


def parse(path: Path, layout: Layout | None = None) -> TranscriptDraft:
    lines = read_lines(path)
    if layout is not None:
        return turns_from_lines(lines, path, layout)
    evidence = choose_layout(lines)
    bullets = sum(1 for _, text in lines if _BULLET.match(text))
    if bullets >= evidence.starts:
        return notes_from_lines(lines, path)
    return turns_from_lines(lines, path, found=evidence.layout)
