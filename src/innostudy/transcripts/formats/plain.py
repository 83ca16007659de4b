"""Plain text with speaker labels, the form most transcribers type.

Recognised turn starts (a line without one continues the current turn)::

    Name: text
    [00:01:02] Name: text          (also ``00:01:02 Name: text``)
    NAME (00:01:02)                <- on its own line; the turn's text follows below
    Name (00:01:02): text
"""

from __future__ import annotations

from pathlib import Path

from innostudy.textfiles import numbered_lines
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats.lines import collect_turns, labelled_start


def parse(path: Path) -> TranscriptDraft:
    return collect_turns(numbered_lines(path), path, labelled_start)
