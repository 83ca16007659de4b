"""Text exports of transcription services: Otter.ai and the ``Speaker (00:00:05):`` style.

Otter writes the speaker and the time on one line and the words below it, and ends the
file with a "Transcribed by https://otter.ai" line (skipped)::

    Zoë Hartley  0:03
    Budgets run yearly, so we...

    Unknown Speaker  1:02:07
    ...

Rev and similar services write ``Speaker 1 (00:00:05):`` either alone on a line or
followed by the words.
"""

from __future__ import annotations

from pathlib import Path

from innostudy.textfiles import numbered_lines
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats.lines import collect_turns, is_otter_trailer, otter_start


def parse(path: Path) -> TranscriptDraft:
    return collect_turns(numbered_lines(path), path, otter_start, skip=is_otter_trailer)
