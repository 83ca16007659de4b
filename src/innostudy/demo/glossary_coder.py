"""Simulated coder B: reads each sentence for the codebook's terms, blind to everything else.

This coder double-codes blind: no model suggestions, never coder A's notes, never the
generator's intent. They read with the terms they pencilled into the codebook's margin
(demo/coder_glossary.yaml). Each sentence goes to the code whose terms it holds most,
terms that belong to one code weighing more than terms several codes share, a phrase
double; a turn carries its strongest code, and a second when that one is nearly as
strong. A turn with no code of its own but long enough to be an answer is read as
answering the facilitator's last question; a bare "yes, exactly" stays uncoded.
Deterministic, and it reads only the transcript text.
"""

from __future__ import annotations

import math
from collections import Counter
from importlib import resources

import yaml

from innostudy.coding.spans import sentence_spans
from innostudy.demo.reading import SessionTurn, phrases, stems

MIN_SCORE = 3  # one term that belongs to a single code is enough
SECOND_CODE_SHARE = 0.9
QUESTION_MIN_WORDS = 8  # a longer turn with no code of its own answers the question asked


class GlossaryCoder:
    def __init__(self, glossary: dict[str, list[str]]) -> None:
        self.order = list(glossary)
        self.terms = {
            code: {tuple(stems(t)) for t in terms if stems(t)} for code, terms in glossary.items()
        }
        df = Counter(t for terms in self.terms.values() for t in terms)
        self.weight = {t: math.log(len(self.order) / n) for t, n in df.items()}

    def scores(self, text: str) -> dict[str, float]:
        """Per code, the weight of its terms found in the text (a phrase counts double)."""
        words = stems(text)
        found = set(words) | phrases(words)
        return {
            code: sum(
                self.weight[t] * (2 if len(t) > 1 else 1)
                for t in self.terms[code]
                if (t[0] if len(t) == 1 else t) in found
            )
            for code in self.order
        }

    @classmethod
    def packaged(cls) -> GlossaryCoder:
        text = resources.files("innostudy.demo").joinpath("coder_glossary.yaml")
        glossary: dict[str, list[str]] = yaml.safe_load(text.read_text("utf-8"))
        return cls(glossary)

    def read(self, turns: list[SessionTurn]) -> list[tuple[str, ...]]:
        """Codes for each turn of one session (facilitator turns get none)."""
        asked: tuple[str, ...] = ()
        out: list[tuple[str, ...]] = []
        for turn in turns:
            codes = self._codes(turn.text)
            if not turn.participant:
                asked = codes[:1] or asked
                out.append(())
            elif not codes and len(turn.text.split()) >= QUESTION_MIN_WORDS:
                out.append(asked)
            else:
                out.append(codes)
        return out

    def _codes(self, text: str) -> tuple[str, ...]:
        strength: dict[str, float] = {}
        for start, end in sentence_spans(text):
            scores = self.scores(text[start:end])
            best = max(self.order, key=lambda c: (scores[c], -self.order.index(c)))
            if scores[best] >= MIN_SCORE:
                strength[best] = strength.get(best, 0.0) + scores[best]
        ranked = sorted(strength, key=lambda c: (-strength[c], self.order.index(c)))
        if len(ranked) > 1 and strength[ranked[1]] >= SECOND_CODE_SHARE * strength[ranked[0]]:
            return tuple(ranked[:2])
        return tuple(ranked[:1])
