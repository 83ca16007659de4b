"""Simulated coder A: reads each turn for the signs in their own notes, in context.

This coder works as a careful person does on a first pass. Their notes
(demo/coder_notes.yaml) list, per code, words and phrases that signal it; a turn gets
the code with the most distinct signs, and a second code when it has almost as many.
A turn without any sign but long enough to say something is read as continuing the
theme in play: the code of the last coded turn since the facilitator last spoke, or
what the facilitator's own question was about. Bare backchannels stay uncoded. The
procedure is deterministic and reads only the transcript text.
"""

from __future__ import annotations

from importlib import resources

import yaml

from innostudy.demo.reading import SessionTurn, phrases, stems

CONTEXT_MIN_WORDS = 5  # shorter turns without a sign are backchannel, left uncoded
SECOND_CODE_SHARE = 0.6  # a second code needs this share of the first code's signs


class NoteCoder:
    def __init__(self, notes: dict[str, list[str]]) -> None:
        self.order = list(notes)
        self.words: dict[str, set[str]] = {}
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        for code, signs in notes.items():
            parts = [tuple(stems(s)) for s in signs if stems(s)]
            self.words[code] = {p[0] for p in parts if len(p) == 1}
            self.phrases[code] = [p for p in parts if len(p) > 1]

    @classmethod
    def packaged(cls) -> NoteCoder:
        text = resources.files("innostudy.demo").joinpath("coder_notes.yaml").read_text("utf-8")
        notes: dict[str, list[str]] = yaml.safe_load(text)
        return cls(notes)

    def scores(self, text: str) -> dict[str, float]:
        """Distinct signs of each code in the text (a phrase counts double)."""
        words = stems(text)
        present, runs = set(words), phrases(words)
        return {
            code: len(self.words[code] & present) + 2 * sum(p in runs for p in self.phrases[code])
            for code in self.order
        }

    def choose(self, scores: dict[str, float], in_play: tuple[str, ...]) -> tuple[str, ...]:
        ranked = sorted(
            (c for c in self.order if scores[c] > 0),
            key=lambda c: (-scores[c], c not in in_play, self.order.index(c)),
        )
        if not ranked:
            return ()
        first = ranked[0]
        if len(ranked) > 1 and scores[ranked[1]] >= max(2, SECOND_CODE_SHARE * scores[first]):
            return (first, ranked[1])
        return (first,)

    def read(self, turns: list[SessionTurn]) -> list[tuple[str, ...]]:
        """Codes for each turn of one session, read in order (facilitator turns get none)."""
        in_play: tuple[str, ...] = ()
        out: list[tuple[str, ...]] = []
        for turn in turns:
            codes = self.choose(self.scores(turn.text), in_play)
            if not turn.participant:
                in_play = codes or in_play
                out.append(())
                continue
            if not codes and len(turn.text.split()) >= CONTEXT_MIN_WORDS:
                codes = in_play[:1]
            in_play = codes or in_play
            out.append(codes)
        return out
