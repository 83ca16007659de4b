"""A group's script performed as a timed session: names filled in, every turn on a clock.

The words come from the group's script (demo/scripts/, read by demo/script.py); this
module adds only what the performance decides: who the lettered speakers are, and
when each turn starts and ends. Each speaker has their own pace, drawn once per
session, so speaking time follows words at that person's rate; the silences between
turns are short (longer after a question), and a turn that opens with an untranscribed
stretch (the briefing, a card exercise) lasts that long as well. The session's length
is then what the clock says, not a number set beforehand.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from innostudy.demo.fieldwork import DemoGroup
from innostudy.demo.script import MODERATOR, QuoteEdit, Script, Stance
from innostudy.transcripts.writing import Turn, render_turns

MODERATOR_LABEL = "Facilitator"
MODERATOR_PACE = 2.4  # words per second
PACE_RANGE = (1.9, 2.7)  # a participant's words per second of speech (clean verbatim)
_NAME = re.compile(r"\$([A-Z])")


@dataclass
class DemoTurn:
    speaker: str  # label as a transcriber would write it
    participant: int | None  # index into the group's participants; None for the facilitator
    codes: tuple[str, ...]  # the codes this turn was written for (ground truth, never shown)
    text: str
    start_ms: int = 0
    end_ms: int = 0
    stance: Stance | None = None
    prompt: tuple[str, ...] = ()  # themes or areas a facilitator turn names
    compares: bool = False
    quote: QuoteEdit | None = None
    line: int = 0  # the script line it came from
    untranscribed_ms: int = 0  # how much of the turn's time was not transcribed


def perform(script: Script, group: DemoGroup, rng: random.Random) -> list[DemoTurn]:
    """The session as spoken: script letters become the group's people, in order."""
    index = {p.letter: i for i, p in enumerate(script.people)}
    pace = {letter: rng.uniform(*PACE_RANGE) for letter in index}
    turns: list[DemoTurn] = []
    clock = rng.randrange(3_000, 9_000)  # the recording starts a little before anyone speaks
    for line in script.turns:
        moderator = line.who == MODERATOR
        who = None if moderator else index[line.who]
        text = _NAME.sub(lambda m: group.participants[index[m[1]]].given_name, line.text)
        stretch = line.pause_minutes * 60_000 + (
            rng.randrange(-40_000, 40_000) if line.pause_minutes else 0
        )
        speech = int(1000 * len(text.split()) / (MODERATOR_PACE if moderator else pace[line.who]))
        turn = DemoTurn(
            speaker=MODERATOR_LABEL if who is None else group.participants[who].full_name,
            participant=who,
            codes=line.codes,
            text=text,
            start_ms=clock,
            end_ms=clock + stretch + max(700, speech),
            stance=line.stance,
            prompt=line.prompt,
            compares=line.compares,
            quote=line.quote,
            line=line.line,
            untranscribed_ms=stretch,
        )
        turns.append(turn)
        asked = moderator and text.rstrip().endswith("?")
        clock = turn.end_ms + (rng.randrange(1_200, 4_000) if asked else rng.randrange(250, 1_600))
    return turns


def session_minutes(turns: list[DemoTurn], rng: random.Random) -> int:
    """Minutes from the start of the recording to its end, a little after the last word."""
    end = turns[-1].end_ms + rng.randrange(20_000, 90_000)  # goodbyes, chairs, the stop button
    return -(-end // 60_000)


def render_plain(turns: list[DemoTurn]) -> str:
    """The ``[hh:mm:ss] Name: text`` form, one turn per paragraph (whole seconds, as a
    typed transcript has them)."""
    plain = [Turn(t.speaker, t.text, t.start_ms // 1000 * 1000) for t in turns]
    return render_turns(plain).text


def word_count(turns: list[DemoTurn]) -> int:
    return sum(len(t.text.split()) for t in turns)
