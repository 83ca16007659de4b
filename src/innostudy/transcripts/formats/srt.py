"""SubRip (SRT) subtitles, as transcription services and video tools export them.

Numbered cues with ``00:00:01,000 --> 00:00:04,000`` timings; the speaker, if any, is
a ``Name:`` (or ``[Name]``) at the start of the text, or of each dash-led line when two
people share a cue. Consecutive cues of one speaker become one turn. Cues are found by
their timing lines, so a file that forgets the blank line between cues reads the same.
"""

from __future__ import annotations

from pathlib import Path

from innostudy.textfiles import numbered_lines
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats.cues import cue_turns, read_cues
from innostudy.transcripts.formats.limits import MAX_TRANSCRIPT_BYTES, TOO_BIG, check_lines

EXAMPLE = "00:01:02,500"
EXPECTED = "a cue number and a timing line like '00:00:01,000 --> 00:00:04,000'"


def parse(path: Path) -> TranscriptDraft:
    lines = check_lines(numbered_lines(path, limit=MAX_TRANSCRIPT_BYTES, advice=TOO_BIG), path)
    draft = cue_turns(read_cues(lines, path, EXAMPLE, EXPECTED).cues, path)
    draft.layout = "srt"
    return draft
