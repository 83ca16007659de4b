"""SubRip (SRT) subtitles, as transcription services and video tools export them.

Numbered cues with ``00:00:01,000 --> 00:00:04,000`` timings; the speaker, if any, is
a ``Name:`` at the start of the text (or of each dash-led line when two people share a
cue). Consecutive cues of one speaker become one turn.
"""

from __future__ import annotations

from pathlib import Path

from innostudy.errors import InputError
from innostudy.textfiles import numbered_lines
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats.cues import Cue, Line, blocks, cue_turns, parse_timing

EXAMPLE = "00:01:02,500"


def parse(path: Path) -> TranscriptDraft:
    cues: list[Cue] = []
    for block in blocks(numbered_lines(path)):
        cues += _cues(block, path)
    return cue_turns(cues, path)


def _cues(block: list[Line], source: Path) -> list[Cue]:
    """A block is normally one cue; some tools forget the blank line between two cues."""
    starts = [i for i, (_, text) in enumerate(block) if "-->" in text]
    if not starts or starts[0] > 1 or (starts[0] == 1 and not block[0][1].strip().isdigit()):
        number, text = block[0]
        raise InputError(
            source,
            number,
            None,
            f"expected a cue number and a timing line like '00:00:01,000 --> 00:00:04,000', "
            f"found '{text[:40]}'",
            unit="line",
        )
    cues: list[Cue] = []
    for k, i in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(block)
        payload = block[i + 1 : stop]
        if k + 1 < len(starts) and payload and payload[-1][1].strip().isdigit():
            payload = payload[:-1]  # the next cue's number
        number, timing = block[i]
        start, end = parse_timing(timing, number, source, EXAMPLE)
        cues.append(Cue(number, start, end, [text for _, text in payload]))
    return cues
