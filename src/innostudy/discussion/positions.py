"""Agreement and dissent: per group and theme, whether the group agreed, split or argued.

Coders set a stance on each coded turn, toward the theme as the talk had left it (new
point, agrees, disagrees, qualifies). Over a group's discussions, per theme (a code as
applied), the verdict counts *people*, not turns, so one insistent voice cannot make a
split on their own:

* **split**: at least two participants disagreed and at least two agreed;
* **contested**: someone disagreed, short of a split;
* **consensus**: at least two participants agreed and nobody disagreed;
* **open**: otherwise (new points and qualifications, or a single agreement): no
  position the stances can call.

Qualifications never decide a verdict; they are counted beside it. Turns on the theme
that carry no stance yet are counted too (``unstanced``), so a reader can see how much
of the talk the verdict rests on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from innostudy.discussion.turns import Discussion
from innostudy.model import Stance

SPLIT_SIDE = 2  # participants needed on each side of a split
CONSENSUS = 2  # participants agreeing, nobody disagreeing
VERDICTS = ("consensus", "contested", "split", "open")


@dataclass(frozen=True)
class StanceTurn:
    transcript_id: int
    segment_id: int
    position: int
    speaker: str
    stance: Stance


@dataclass(frozen=True)
class ThemePosition:
    code: str
    verdict: str  # one of VERDICTS
    counts: dict[Stance, int]  # stance turns on the theme, by stance
    agreed: tuple[str, ...]  # participants with an "agrees" turn on it
    disagreed: tuple[str, ...]  # participants with a "disagrees" turn on it
    unstanced: int  # participants' turns on it without a stance
    turns: tuple[StanceTurn, ...]  # every stance turn, in order: the evidence

    def showing(self) -> tuple[StanceTurn, ...]:
        """The turns that show the verdict: disagreements (and, for a split, agreements)
        for a dispute, agreements for a consensus, everything for an open theme."""
        wanted = {
            "split": {Stance.AGREE, Stance.DISAGREE},
            "contested": {Stance.DISAGREE},
            "consensus": {Stance.AGREE},
        }.get(self.verdict, set(Stance))
        return tuple(t for t in self.turns if t.stance in wanted)


def verdict(agreed: int, disagreed: int) -> str:
    """The rule of the module docstring, from participants agreeing and disagreeing."""
    if agreed >= SPLIT_SIDE and disagreed >= SPLIT_SIDE:
        return "split"
    if disagreed:
        return "contested"
    return "consensus" if agreed >= CONSENSUS else "open"


def theme_positions(discussions: Iterable[Discussion]) -> list[ThemePosition]:
    """Per theme (code as applied) over one group's discussions, themes in first-raised order."""
    stance_turns: dict[str, list[StanceTurn]] = {}
    unstanced: dict[str, int] = {}
    for d in discussions:
        for turn in d.turns:
            if not turn.is_participant:
                continue
            for code in sorted(turn.codes):
                stance = turn.stances.get(code)
                stance_turns.setdefault(code, [])
                if stance is None:
                    unstanced[code] = unstanced.get(code, 0) + 1
                else:
                    row = StanceTurn(
                        d.transcript_id, turn.segment_id, turn.position, turn.speaker, stance
                    )
                    stance_turns[code].append(row)
    return [_position(code, rows, unstanced.get(code, 0)) for code, rows in stance_turns.items()]


def _position(code: str, rows: list[StanceTurn], unstanced: int) -> ThemePosition:
    agreed = tuple(dict.fromkeys(r.speaker for r in rows if r.stance is Stance.AGREE))
    disagreed = tuple(dict.fromkeys(r.speaker for r in rows if r.stance is Stance.DISAGREE))
    counts = {s: sum(1 for r in rows if r.stance is s) for s in Stance}
    return ThemePosition(
        code,
        verdict(len(agreed), len(disagreed)),
        counts,
        agreed,
        disagreed,
        unstanced,
        tuple(rows),
    )
