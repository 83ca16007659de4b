"""A transcript as plain text: the one layout innostudy writes, and the plain importer reads.

    [00:01:02.500] SCS-03: the turn's text

    Facilitator: the next turn

One paragraph per turn, a blank line between turns, the time only when the turn has
one (milliseconds only when they are not zero), the label only when there is one. The
REFI-QDA export writes its sources this way and the demo writes its plain-text
transcripts this way, so both stay readable by ``transcripts import``. The position at
which each turn's text starts is returned, so codings can be placed in the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from innostudy.transcripts.timecodes import format_timecode

PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Turn:
    label: str | None
    text: str
    start_ms: int | None = None


@dataclass(frozen=True)
class RenderedTranscript:
    text: str
    starts: list[int]  # where each turn's text begins in ``text``, in code points


def turn_time(ms: int) -> str:
    """``HH:MM:SS``, with ``.mmm`` only when the time has milliseconds."""
    millis = ms % 1000
    return f"{format_timecode(ms)}.{millis:03d}" if millis else format_timecode(ms)


def render_turns(turns: Sequence[Turn]) -> RenderedTranscript:
    pieces: list[str] = []
    starts: list[int] = []
    length = 0
    for index, turn in enumerate(turns):
        prefix = PARAGRAPH_BREAK if index else ""
        if turn.start_ms is not None:
            prefix += f"[{turn_time(turn.start_ms)}] "
        if turn.label:
            prefix += f"{turn.label}: "
        pieces += [prefix, turn.text]
        starts.append(length + len(prefix))
        length += len(prefix) + len(turn.text)
    pieces.append("\n")
    return RenderedTranscript("".join(pieces), starts)
