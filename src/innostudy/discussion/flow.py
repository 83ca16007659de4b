"""Themes in the flow of talk: who raised each theme, whether the moderator had asked,
who took it up and how long it held.

For every code in a discussion (parents included: an area is raised by the first turn
coded with it or anything below it), over participants' turns coded in the main coding:

* **Raised** by the first such turn: its position, speaker and time.
* **Prompted** when the moderator's latest turn before it names the theme (``"theme"``;
  for a parent, naming the parent or any code below it) or, failing that, the theme's
  area (``"area"``); otherwise unprompted. What "names" means is ``naming``'s rule. A
  theme raised before the moderator has spoken at all is unprompted.
* **Took it up**: participants with at least one turn on it, the raiser included.
* **Held**: the first stretch of talk on it, from the raising turn to the last turn on
  it before the talk left it for more than ``GAP`` participant turns in a row; given in
  participant turns on the theme and, where the turns have times, in milliseconds from
  the stretch's first start to its last turn's end (or start, when ends are unknown).
  ``returns`` counts later stretches: how often the group came back to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from innostudy.coding.group_matrix import rolled_up
from innostudy.discussion.naming import Namer
from innostudy.discussion.turns import MODERATOR, Discussion, Turn

GAP = 2  # participant turns off the theme that a stretch survives


@dataclass(frozen=True)
class ThemeFlow:
    code: str
    segment_id: int  # the turn that raised it
    position: int
    raised_by: str
    start_ms: int | None
    prompted: str | None  # "theme", "area" or None (unprompted)
    prompt_segment_id: int | None  # the moderator's latest turn before it, if any
    participants: int  # who took it up, the raiser included
    turns: int  # participants' turns on it in the discussion
    held_turns: int  # turns on it in the first stretch
    held_ms: int | None
    returns: int  # later stretches

    @property
    def unprompted(self) -> bool:
        return self.prompted is None


@dataclass(frozen=True)
class Prompt:
    segment_id: int | None
    named: frozenset[str]  # codes the moderator's turn names

    def verdict(self, code: str) -> str | None:
        """ "theme" when it names the code or one below it, "area" when it names the
        code's area (and the code is not the area), else None."""
        if any(n == code or n.startswith(f"{code}.") for n in self.named):
            return "theme"
        area = code.split(".", 1)[0]
        return "area" if area != code and area in self.named else None


def theme_flow(discussion: Discussion, namer: Namer) -> list[ThemeFlow]:
    """One row per code raised in the discussion, in the order the codes were raised."""
    participant_turns: list[Turn] = []
    prompts: list[Prompt] = []  # per participant turn: the moderator's latest turn
    latest = Prompt(None, frozenset())
    for turn in discussion.turns:
        if turn.role == MODERATOR:
            latest = Prompt(turn.segment_id, namer.named(turn.text))
        elif turn.is_participant:
            participant_turns.append(turn)
            prompts.append(latest)
    on: dict[str, list[int]] = {}  # code → indexes into participant_turns
    for i, turn in enumerate(participant_turns):
        for code in {a for c in turn.codes for a in rolled_up(c)}:
            on.setdefault(code, []).append(i)
    rows = [_row(code, idx, participant_turns, prompts) for code, idx in on.items()]
    return sorted(rows, key=lambda r: (r.position, r.code.count("."), r.code))


def _row(code: str, idx: list[int], turns: Sequence[Turn], prompts: Sequence[Prompt]) -> ThemeFlow:
    first = turns[idx[0]]
    prompt = prompts[idx[0]]
    stretches = _stretches(idx)
    held = stretches[0]
    return ThemeFlow(
        code=code,
        segment_id=first.segment_id,
        position=first.position,
        raised_by=first.speaker,
        start_ms=first.start_ms,
        prompted=prompt.verdict(code),
        prompt_segment_id=prompt.segment_id,
        participants=len({turns[i].speaker for i in idx}),
        turns=len(idx),
        held_turns=len(held),
        held_ms=_span_ms([turns[i] for i in held]),
        returns=len(stretches) - 1,
    )


def _stretches(idx: Sequence[int]) -> list[list[int]]:
    """Runs of turn indexes whose gaps are at most GAP turns off the theme."""
    runs: list[list[int]] = [[idx[0]]]
    for i in idx[1:]:
        if i - runs[-1][-1] - 1 > GAP:
            runs.append([i])
        else:
            runs[-1].append(i)
    return runs


def _span_ms(turns: Sequence[Turn]) -> int | None:
    start, last = turns[0].start_ms, turns[-1]
    end = last.end_ms if last.end_ms is not None else last.start_ms
    if start is None or end is None:
        return None
    return max(0, end - start)


@dataclass(frozen=True)
class GroupThemes:
    """Per group: the themes it raised unprompted somewhere, and those it raised only
    after the moderator named them or their area."""

    group: str
    unprompted: tuple[str, ...]
    prompted_only: tuple[str, ...]


def group_themes(group: str, flows: Iterable[Sequence[ThemeFlow]]) -> GroupThemes:
    """Over a group's discussions: unprompted in any session wins over prompted in another."""
    unprompted: dict[str, None] = {}
    prompted: dict[str, None] = {}
    for flow in flows:
        for row in flow:
            (unprompted if row.unprompted else prompted)[row.code] = None
    return GroupThemes(group, tuple(unprompted), tuple(c for c in prompted if c not in unprompted))
