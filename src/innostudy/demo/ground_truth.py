"""What the demo's generator meant, kept beside the built study for tests to check against.

`innostudy demo` writes ``synthetic-ground-truth.json`` into the study folder: for every
transcript turn, the codes and stance it was written with, the themes or areas a
facilitator turn names, the edited quote an analyst could make of it, its clock
times; per participant, turns, words and speaking time; per session, its length and
the dynamics its script was written to show; per theme, where it was first raised and
whether the facilitator had just named it. The demo's simulated coders never read
this file (they read the transcripts); tests and benchmarks read it through
:func:`load_ground_truth` to measure what the pipeline found against what was meant.

Themes are computed over usable turns only (a withdrawn participant's turns are listed,
but count for nothing), as every analysis in innostudy counts them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FILE_NAME = "synthetic-ground-truth.json"
NOTE = (
    "Synthetic: what the innostudy demo's generator intended when it wrote this study's "
    "dialogue. Nobody in it exists. Read with innostudy.demo.ground_truth.load_ground_truth."
)
FACILITATOR = "facilitator"


@dataclass(frozen=True)
class TruthTurn:
    segment_id: int
    position: int  # Segment.position in its transcript
    speaker: str  # participant code, or "facilitator"
    codes: tuple[str, ...]  # codes the turn was written for (participants only)
    stance: str | None  # new | agree | disagree | qualify, toward the theme as it stood
    prompt: tuple[str, ...]  # themes (code keys) or areas a facilitator turn names
    compares_sectors: bool  # compares public-sector with private-sector practice
    start_ms: int
    end_ms: int
    untranscribed_ms: int  # part of the turn's time not transcribed (briefing, exercise)
    words: int
    quote: str | None  # the quote an analyst could make, with ". . ." and [clarifications]
    script_line: int


@dataclass(frozen=True)
class TruthParticipant:
    code: str
    letter: str  # the speaker's letter in the script
    role: str
    turns: int
    words: int
    speaking_ms: int
    quotation: bool
    withdrawn: bool


@dataclass(frozen=True)
class TruthTheme:
    code: str
    first_position: int
    raised_by: str
    prompted: str | None  # "theme" or "area" the facilitator's latest turn named, or None
    participants: int  # usable participants who took it up
    turns: int


@dataclass(frozen=True)
class TruthSession:
    group: str
    group_type: str
    sector: str
    transcript_id: int
    transcript_file: str
    duration_minutes: int
    dynamics: tuple[tuple[str, tuple[str, ...]], ...]  # as the script declares them
    participants: tuple[TruthParticipant, ...]
    turns: tuple[TruthTurn, ...]
    themes: tuple[TruthTheme, ...] = field(default=())

    def participant(self, code: str) -> TruthParticipant:
        return next(p for p in self.participants if p.code == code)

    def usable_turns(self) -> list[TruthTurn]:
        """Participants' turns whose words may be analysed (not a withdrawn person's)."""
        gone = {p.code for p in self.participants if p.withdrawn}
        return [t for t in self.turns if t.speaker not in gone and t.speaker != FACILITATOR]


@dataclass(frozen=True)
class GroundTruth:
    note: str
    seed: int
    sessions: tuple[TruthSession, ...]

    def session(self, group_type: str) -> TruthSession:
        return next(s for s in self.sessions if s.group_type == group_type)

    def turns(self) -> dict[int, TruthTurn]:
        """Every turn by segment id."""
        return {t.segment_id: t for s in self.sessions for t in s.turns}


def themes_of(session: TruthSession, areas: dict[str, str]) -> tuple[TruthTheme, ...]:
    """Per code, where the usable talk first raised it and whether it was prompted.

    ``areas`` maps each code to its area. Prompted means the facilitator's latest turn
    before the first raising turn named the theme itself ("theme") or its area ("area").
    """
    usable = {t.segment_id for t in session.usable_turns()}
    named: tuple[str, ...] = ()
    first: dict[str, tuple[TruthTurn, str | None]] = {}
    speakers: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for turn in session.turns:
        if turn.speaker == FACILITATOR:
            named = turn.prompt
            continue
        if turn.segment_id not in usable:
            continue
        for code in turn.codes:
            if code not in first:
                how = "theme" if code in named else "area" if areas.get(code) in named else None
                first[code] = (turn, how)
            speakers.setdefault(code, set()).add(turn.speaker)
            counts[code] = counts.get(code, 0) + 1
    return tuple(
        TruthTheme(code, t.position, t.speaker, how, len(speakers[code]), counts[code])
        for code, (t, how) in sorted(first.items(), key=lambda kv: kv[1][0].position)
    )


def write_ground_truth(folder: Path, seed: int, sessions: Iterable[TruthSession]) -> Path:
    path = folder / FILE_NAME
    data = {"note": NOTE, "seed": seed, "sessions": [asdict(s) for s in sessions]}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_ground_truth(folder: Path) -> GroundTruth:
    """The ground truth of a demo study built by `innostudy demo` in ``folder``."""
    data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    return GroundTruth(data["note"], data["seed"], tuple(_session(s) for s in data["sessions"]))


def _session(raw: dict[str, Any]) -> TruthSession:
    return TruthSession(
        **{
            **raw,
            "dynamics": tuple((kind, tuple(args)) for kind, args in raw["dynamics"]),
            "participants": tuple(TruthParticipant(**p) for p in raw["participants"]),
            "turns": tuple(_turn(t) for t in raw["turns"]),
            "themes": tuple(TruthTheme(**t) for t in raw["themes"]),
        }
    )


def _turn(raw: dict[str, Any]) -> TruthTurn:
    return TruthTurn(**{**raw, "codes": tuple(raw["codes"]), "prompt": tuple(raw["prompt"])})
