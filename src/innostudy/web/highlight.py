"""Split a segment's text at coding boundaries so each piece can carry its codes' marks.

Offsets are code points (Python indices), as everywhere in innostudy; overlapping
codings simply give a piece several codes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    code_id: int
    label: str
    suggested: bool = False


@dataclass(frozen=True)
class Piece:
    text: str
    start: int
    spans: tuple[Span, ...]

    @property
    def classes(self) -> str:
        if not self.spans:
            return ""
        names = [f"code-{s.code_id}" for s in self.spans]
        if all(s.suggested for s in self.spans):
            names.append("suggested")
        return " ".join(names)

    @property
    def title(self) -> str:
        return "; ".join(s.label for s in self.spans)


def pieces(text: str, spans: Sequence[Span]) -> list[Piece]:
    cuts = {0, len(text)}
    for s in spans:
        cuts.update((max(0, min(s.start, len(text))), max(0, min(s.end, len(text)))))
    edges = sorted(cuts)
    out = []
    for a, b in itertools.pairwise(edges):
        if a == b:
            continue
        covering = tuple(s for s in spans if s.start <= a and b <= s.end)
        out.append(Piece(text[a:b], a, covering))
    return out
