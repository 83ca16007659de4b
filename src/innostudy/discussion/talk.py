"""Talk and balance: who spoke, how much, and how evenly the participants shared the floor.

Per speaker: turns, words and speaking time. Per discussion (or any pool of them: a
group's sessions, a sector's groups): the moderator's share, the Gini coefficient of
words over the participants who spoke, the two largest voices' share, and who said
almost nothing. The rules, so that each figure can be checked by hand:

* **Words** are whitespace-separated tokens of the analytic (redacted) text; a
  redaction tag counts as one word.
* **Speaking time** of a turn is its end minus its start when the source gives both.
  When it gives start times only, a turn lasts until the next turn starts (the last
  turn of a transcript has no known length), so a silence, or an untranscribed stretch
  such as a briefing, counts for whoever spoke last. Turns without times count for
  turns and words only; ``timed_turns`` says how many had a time.
* **Moderator's share** is of all words (turns, time) spoken by the moderator,
  participants and anyone else; the balance figures are over participants only.
* **Gini** is the mean absolute difference between participants' word counts divided
  by twice the mean (0 = everyone said the same, approaching 1 = one person said
  everything); it needs two participants. Participants present are those who spoke:
  someone who attended and never spoke cannot be told apart from someone absent.
* **Near-silent** participants said less than a quarter of an equal share of the
  participants' words (an equal share is total ÷ participants who spoke).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from innostudy.discussion.turns import MODERATOR, PARTICIPANT, Discussion, Turn

NEAR_SILENT_SHARE = 0.25  # of an equal share of the participants' words


@dataclass(frozen=True)
class SpeakerTalk:
    speaker: str
    role: str
    turns: int
    words: int
    speaking_ms: int | None  # None when none of their turns has a known length
    word_share: float  # of the participants' words (participants) or of all words (others)


@dataclass(frozen=True)
class TalkBalance:
    turns: int
    words: int
    timed_turns: int  # turns with a known length
    speaking_ms: int | None
    moderator_turns: int
    moderator_words: int
    moderator_ms: int | None
    participants: tuple[SpeakerTalk, ...]  # most words first
    others: tuple[SpeakerTalk, ...]  # the moderator, note-takers, unidentified speakers
    gini: float | None
    top_two_share: float | None  # the two participants with most words, of participants' words
    near_silent: tuple[str, ...]  # participant codes, fewest words first

    @property
    def participant_words(self) -> int:
        return sum(p.words for p in self.participants)

    @property
    def moderator_word_share(self) -> float | None:
        return self.moderator_words / self.words if self.words else None

    @property
    def moderator_turn_share(self) -> float | None:
        return self.moderator_turns / self.turns if self.turns else None

    @property
    def moderator_time_share(self) -> float | None:
        if self.moderator_ms is None or not self.speaking_ms:
            return None
        return self.moderator_ms / self.speaking_ms


def gini(values: Sequence[float]) -> float | None:
    """Σᵢ Σⱼ |xᵢ − xⱼ| ÷ (2 n² x̄); None for fewer than two values or a zero total."""
    n = len(values)
    total = float(sum(values))
    if n < 2 or total <= 0:
        return None
    ordered = sorted(values)
    weighted = sum((2 * i - n - 1) * x for i, x in enumerate(ordered, 1))
    return weighted / (n * total)


def turn_lengths(turns: Sequence[Turn], *, end_times: bool = True) -> list[int | None]:
    """Each turn's speaking time in milliseconds, by the rule in the module docstring."""
    out: list[int | None] = []
    for i, turn in enumerate(turns):
        start, end = turn.start_ms, turn.end_ms
        if start is not None and end is not None and end_times:
            out.append(max(0, end - start))
        elif start is not None and not end_times and i + 1 < len(turns):
            following = turns[i + 1].start_ms
            out.append(max(0, following - start) if following is not None else None)
        else:
            out.append(None)
    return out


def talk_balance(discussions: Iterable[Discussion]) -> TalkBalance:
    """The measures over one discussion, or over several pooled (a group, a sector)."""
    turns: dict[tuple[str, str], int] = defaultdict(int)
    words: dict[tuple[str, str], int] = defaultdict(int)
    time: dict[tuple[str, str], int] = {}
    timed = 0
    for d in discussions:
        for turn, ms in zip(d.turns, turn_lengths(d.turns, end_times=d.end_times), strict=True):
            who = (turn.role, turn.speaker)
            turns[who] += 1
            words[who] += turn.words
            if ms is not None:
                time[who] = time.get(who, 0) + ms
                timed += 1
    return _balance(turns, words, time, timed)


def _balance(
    turns: dict[tuple[str, str], int],
    words: dict[tuple[str, str], int],
    time: dict[tuple[str, str], int],
    timed: int,
) -> TalkBalance:
    all_words = sum(words.values())
    said = sum(n for (role, _), n in words.items() if role == PARTICIPANT)

    def row(who: tuple[str, str]) -> SpeakerTalk:
        base = said if who[0] == PARTICIPANT else all_words
        return SpeakerTalk(
            who[1], who[0], turns[who], words[who], time.get(who), words[who] / base if base else 0
        )

    people = sorted((row(w) for w in turns if w[0] == PARTICIPANT), key=lambda r: -r.words)
    others = sorted((row(w) for w in turns if w[0] != PARTICIPANT), key=lambda r: -r.words)
    moderators = [w for w in turns if w[0] == MODERATOR]
    equal = said / len(people) if people else 0
    quiet = [p.speaker for p in reversed(people) if p.words < NEAR_SILENT_SHARE * equal]
    return TalkBalance(
        turns=sum(turns.values()),
        words=all_words,
        timed_turns=timed,
        speaking_ms=sum(time.values()) if time else None,
        moderator_turns=sum(turns[w] for w in moderators),
        moderator_words=sum(words[w] for w in moderators),
        moderator_ms=sum(time[w] for w in moderators if w in time) if time else None,
        participants=tuple(people),
        others=tuple(others),
        gini=gini([p.words for p in people]),
        top_two_share=sum(p.words for p in people[:2]) / said if len(people) > 2 and said else None,
        near_silent=tuple(quiet),
    )
