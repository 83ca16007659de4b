"""Which layout a transcript uses, decided from the whole file.

Every layout is tried on every line. A layout scores a point for each turn start whose
label recurs in the file (people speak more than once) and a quarter point for a label
seen once; a label that looks like a field name, a date or a heading scores nothing; a
label alone on its line counts only when words follow it. The best score wins, so a
YAML key or one "Note:" line cannot outvote two hundred "Interviewer:" labels, which is
what reading the first lines only got wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from innostudy.transcripts.formats.layouts import (
    INLINE,
    LABEL_LINE,
    LABELLED,
    PARAGRAPHS,
    Layout,
    TurnStart,
)
from innostudy.transcripts.formats.lines import Line, front_matter, is_structure
from innostudy.transcripts.labels import kind_of_label


@dataclass(frozen=True)
class Evidence:
    layout: Layout
    score: float
    starts: int
    alone: int  # starts with no words on their own line


def _starts(layout: Layout, lines: Sequence[str]) -> list[tuple[int, TurnStart]]:
    found: list[tuple[int, TurnStart]] = []
    for k, line in enumerate(lines):
        if not line or is_structure(line, layout):
            continue
        start = layout.match(line)
        if start is None:
            continue
        if not start.text and not _words_follow(layout, lines, k):
            continue
        found.append((k, start))
    return found


def _words_follow(layout: Layout, lines: Sequence[str], k: int) -> bool:
    for line in lines[k + 1 : k + 6]:
        if not line or is_structure(line, layout):
            continue
        return layout.match(line) is None
    return False


def weigh(layout: Layout, lines: Sequence[str]) -> Evidence:
    starts = _starts(layout, lines)
    labels = Counter(s.speaker.casefold() for _, s in starts if s.speaker)
    score = 0.0
    for _, start in starts:
        if start.speaker is None:
            score += 0.5
        elif kind_of_label(start.speaker) is not None:
            continue
        else:
            score += 1.0 if labels[start.speaker.casefold()] > 1 else 0.25
    alone = sum(1 for _, s in starts if not s.text)
    return Evidence(layout, score, len(starts), alone)


def choose_layout(numbered: Sequence[Line]) -> Evidence:
    """The best-supported layout; ``paragraphs`` when no labels are found at all."""
    lines = [text.strip() for _, text in numbered[front_matter(numbered) :]]
    best = max((weigh(layout, lines) for layout in LABELLED), key=lambda e: e.score)
    if best.score <= 0:
        return Evidence(PARAGRAPHS, 0.0, 0, 0)
    if best.layout is INLINE and best.alone * 2 > best.starts:
        return Evidence(LABEL_LINE, best.score, best.starts, best.alone)
    return best
