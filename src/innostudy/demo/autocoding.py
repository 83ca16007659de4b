"""The demo's coding, done as a team would: a few codings by hand, the model suggests the
rest, a person reviews every suggestion, and a second coder double-codes for reliability.

The simulated coders know which sub-code each turn was written for (the dialogue bank
labels its utterances). The first coder is careful: they code a few turns per code by
hand, then accept a suggestion when it is that code and otherwise reject it and apply the
right one. The second coder disagrees now and then, as second coders do: a seeded share
of turns get a neighbouring code from the same area, and a few get a second code too.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.auto.base import Encoder
from innostudy.coding.auto.suggest import open_suggestions, suggest_codes
from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.coded import judgements
from innostudy.coding.manual import apply_code, coder_named, review_suggestion
from innostudy.coding.reliability import ReliabilityReport, reliability
from innostudy.coding.spans import trim_span
from innostudy.model import Code, Coding, CodingStatus, Segment

FIRST_CODER = "analyst-a"
SECOND_CODER = "analyst-b"
HAND_CODED_PER_CODE = 3
SECOND_CODER_SLIPS = 0.12  # share of turns the second coder codes differently
SECOND_CODER_EXTRA = 0.05  # share of turns where they add a second code


@dataclass(frozen=True)
class DemoCoding:
    codings: list[Coding]  # the first coder's accepted codings (quotes come from these)
    by_hand: int
    suggested: int
    accepted: int
    reliability: ReliabilityReport


def code_demo(
    session: Session, turns: list[tuple[Segment, str]], encoder: Encoder, rng: random.Random
) -> DemoCoding:
    truth = {seg.id: key for seg, key in turns}
    by_code: dict[str, list[Segment]] = defaultdict(list)
    for seg, key in turns:
        by_code[key].append(seg)
    codes = codes_by_key(session, study_codebook(session))
    first = coder_named(session, FIRST_CODER)
    by_hand = 0
    for key in sorted(by_code):
        for seg in rng.sample(by_code[key], min(HAND_CODED_PER_CODE, len(by_code[key]))):
            apply_code(session, seg, codes[key], first, *trim_span(seg.text, 0, len(seg.text)))
            by_hand += 1
    run = suggest_codes(session, encoder)
    accepted = 0
    for suggestion in open_suggestions(session):
        right = truth.get(suggestion.segment_id)
        review_suggestion(session, suggestion, first, accept=suggestion.code.key == right)
        if suggestion.code.key == right:
            accepted += 1
        elif right is not None:
            seg = suggestion.segment
            apply_code(session, seg, codes[right], first, *trim_span(seg.text, 0, len(seg.text)))
    for seg, key in turns:  # turns too short for a suggestion are coded by hand
        apply_code(session, seg, codes[key], first, *trim_span(seg.text, 0, len(seg.text)))
    _second_coder(session, turns, codes, rng)
    report = reliability(judgements(session, [FIRST_CODER, SECOND_CODER]))
    codings = _accepted_by(session, first.id, [seg for seg, _ in turns])
    return DemoCoding(codings, by_hand, run.suggested, accepted, report)


def _second_coder(
    session: Session, turns: list[tuple[Segment, str]], codes: dict[str, Code], rng: random.Random
) -> None:
    second = coder_named(session, SECOND_CODER)
    siblings: dict[str, list[str]] = defaultdict(list)
    for key in codes:
        if "." in key:
            siblings[key.split(".", 1)[0]].append(key)
    for seg, key in turns:
        span = trim_span(seg.text, 0, len(seg.text))
        chosen = key
        if rng.random() < SECOND_CODER_SLIPS:
            chosen = rng.choice([k for k in siblings[key.split(".", 1)[0]] if k != key])
        apply_code(session, seg, codes[chosen], second, *span)
        if rng.random() < SECOND_CODER_EXTRA:
            extra = rng.choice([k for k in codes if "." in k and k != chosen])
            apply_code(session, seg, codes[extra], second, *span)


def _accepted_by(session: Session, coder_id: int, segments: list[Segment]) -> list[Coding]:
    return list(
        session.scalars(
            sa.select(Coding)
            .where(
                Coding.coder_id == coder_id,
                Coding.status == CodingStatus.ACCEPTED,
                Coding.segment_id.in_([s.id for s in segments]),
            )
            .order_by(Coding.segment_id, Coding.id)
        )
    )


def describe(result: DemoCoding) -> str:
    kappa = result.reliability.overall.kappa.value
    return (
        f"{result.by_hand} turns coded by hand, {result.suggested} suggested by the model "
        f"({result.accepted} accepted on review), {len(result.codings)} accepted codings; "
        f"second coder agreement kappa {kappa:.2f}"
        if kappa is not None
        else "no reliability figure"
    )
