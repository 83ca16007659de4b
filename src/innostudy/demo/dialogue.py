"""Write synthetic focus-group transcripts from the dialogue bank in demo/dialogue.yaml.

Each session runs like the real thing: a welcome, then the five areas in turn, each
opened by a facilitator prompt and discussed by participants (sub-code by sub-code,
with follow-ups and asides), then a close. Every participant turn remembers the
sub-code its utterance was written for, which lets the demo simulate human coders.
Utterances are drawn without replacement across the whole demo, so groups do not
repeat each other until the bank runs out.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from innostudy.demo.fieldwork import DemoGroup
from innostudy.demo.names import SYSTEMS
from innostudy.model import Sector
from innostudy.transcripts.writing import Turn, render_turns

_SLOT = re.compile(r"\{(months|amount|system|peer|organisation)\}")
AMOUNTS = (40_000, 75_000, 120_000, 250_000, 400_000, 900_000, 1_500_000, 3_000_000)
WORDS_PER_SECOND = 2.6


@dataclass
class DemoTurn:
    speaker: str  # label as a transcriber would write it
    participant: int | None  # index into the group's participants; None for the facilitator
    code_key: str | None  # the sub-code this turn was written for (None: not codable)
    text: str
    start_ms: int = 0
    end_ms: int = 0


def load_bank() -> dict[str, Any]:
    text = resources.files("innostudy.demo").joinpath("dialogue.yaml").read_text(encoding="utf-8")
    bank: dict[str, Any] = yaml.safe_load(text)
    return bank


class UtterancePool:
    """Utterances per sub-code and sector, drawn without replacement (refilled when empty)."""

    def __init__(self, bank: dict[str, Any], rng: random.Random) -> None:
        self._bank = bank["utterances"]
        self._rng = rng
        self._left: dict[tuple[str, str], list[str]] = {}

    def _remaining(self, code: str, kind: str) -> list[str]:
        key = (code, kind)
        if not self._left.get(key):
            items = list(self._bank[code].get(kind) or [])
            self._rng.shuffle(items)
            self._left[key] = items
        return self._left[key]

    def draw(self, code: str, sector: Sector) -> str:
        specific = self._remaining(code, sector.value)
        shared = self._remaining(code, "any")
        source = (
            specific
            if self._rng.random() < len(specific) / max(1, len(specific) + len(shared))
            else shared
        )
        return (source or specific or shared).pop()


class SessionWriter:
    def __init__(
        self,
        bank: dict[str, Any],
        pool: UtterancePool,
        area_codes: dict[str, list[str]],
        organisations: list[str],
        rng: random.Random,
    ) -> None:
        self.bank = bank
        self.pool = pool
        self.area_codes = area_codes
        self.organisations = organisations
        self.rng = rng

    def write(self, group: DemoGroup) -> list[DemoTurn]:
        self.spoken: list[int] = []
        fac = self.bank["facilitator"]
        turns = [self._facilitator(self.rng.choice(fac["opening"]))]
        last: int | None = None
        for area, codes in self.area_codes.items():
            opener, *more = fac["areas"][area]
            prompts = [opener, *self.rng.sample(more, len(more))]
            turns.append(self._facilitator(prompts[0]))
            order = list(codes)
            self.rng.shuffle(order)
            for n, code in enumerate(order):
                if n == len(order) // 2 and len(prompts) > 1:
                    turns.append(self._facilitator(prompts[1]))
                for _ in range(self.rng.choice((1, 2, 2, 3))):
                    last = self._pick_speaker(group, last)
                    turns.append(self._participant(group, last, code))
                    self._aside(group, turns, last)
        turns.append(self._facilitator(self.rng.choice(fac["closing"])))
        return _timed(turns, self.rng)

    def _facilitator(self, text: str) -> DemoTurn:
        return DemoTurn("Facilitator", None, None, text.strip())

    def _participant(self, group: DemoGroup, who: int, code: str) -> DemoTurn:
        parts = [self._fill(self.pool.draw(code, group.sector), group, who)]
        if self.rng.random() < 0.35:
            parts.append(self._fill(self.pool.draw(code, group.sector), group, who))
        if who not in self.spoken:
            self.spoken.append(who)
        return DemoTurn(group.participants[who].full_name, who, code, " ".join(parts))

    def _aside(self, group: DemoGroup, turns: list[DemoTurn], speaker: int) -> None:
        roll = self.rng.random()
        if roll < 0.15:
            other = self._pick_speaker(group, speaker)
            text = self.rng.choice(self.bank["backchannel"]).strip()
            turns.append(DemoTurn(group.participants[other].full_name, other, None, text))
        elif roll < 0.3:
            turns.append(self._facilitator(self.rng.choice(self.bank["facilitator"]["followups"])))

    def _pick_speaker(self, group: DemoGroup, last: int | None) -> int:
        choices = [i for i in range(len(group.participants)) if i != last]
        return self.rng.choice(choices)

    def _fill(self, text: str, group: DemoGroup, speaker: int) -> str:
        # People refer back to someone who has already spoken, when anyone has.
        earlier = [i for i in self.spoken if i != speaker]
        pool = earlier or [i for i in range(len(group.participants)) if i != speaker]
        peers = [group.participants[i].given_name for i in pool]

        def value(m: re.Match[str]) -> str:
            slot = m.group(1)
            if slot == "months":
                return str(self.rng.randint(2, 36))
            if slot == "amount":
                return f"£{self.rng.choice(AMOUNTS):,}"
            if slot == "system":
                return self.rng.choice(SYSTEMS)
            if slot == "peer":
                return self.rng.choice(peers)
            return self.rng.choice(self.organisations)

        return _SLOT.sub(value, " ".join(text.split()))


def _timed(turns: list[DemoTurn], rng: random.Random) -> list[DemoTurn]:
    clock = 4_000 + rng.randrange(0, 3_000)
    for turn in turns:
        turn.start_ms = clock
        turn.end_ms = clock + int(1000 * len(turn.text.split()) / WORDS_PER_SECOND)
        clock = turn.end_ms + rng.randrange(400, 2_500)
    return turns


def render_plain(turns: list[DemoTurn]) -> str:
    """The ``[hh:mm:ss] Name: text`` form, one turn per paragraph (whole seconds, as a
    typed transcript has them)."""
    plain = [Turn(t.speaker, t.text, t.start_ms // 1000 * 1000) for t in turns]
    return render_turns(plain).text


def word_count(turns: list[DemoTurn]) -> int:
    return sum(len(t.text.split()) for t in turns)
