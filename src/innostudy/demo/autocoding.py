"""The demo's coding, done as a team would, by two simulated coders who read the text.

Simulated coder A (demo/note_coder.py) is the main coder: they code the clearest few
turns per code by hand, let the model suggest codes for the rest, and review every
suggestion against their own reading of the turn, accepting it when it matches or
when they have no reading of their own and the model is confident, and otherwise
rejecting it and coding the turn themselves. Simulated coder B (demo/glossary_coder.py)
double-codes a sample of whole sessions blind, from their own glossary of terms.
Neither ever reads what the demo's generator intended (that is kept in the ground
truth file for tests), so the agreement between them is measured, not set.
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
from innostudy.coding.double_coding import study_reliability
from innostudy.coding.manual import apply_code, coder_named, review_suggestion
from innostudy.coding.reliability import ReliabilityReport
from innostudy.coding.segments import codable_segments
from innostudy.coding.spans import trim_span
from innostudy.demo.glossary_coder import GlossaryCoder
from innostudy.demo.note_coder import NoteCoder
from innostudy.demo.reading import SessionTurn
from innostudy.model import (
    Code,
    Coder,
    Coding,
    CodingStatus,
    Segment,
    Speaker,
    SpeakerRole,
    Transcript,
)

FIRST_CODER = "simulated-coder-a"
SECOND_CODER = "simulated-coder-b"
HAND_CODED_PER_CODE = 3
TRUSTED_SUGGESTION = 0.5  # coder A takes a suggestion this confident when they have no reading
DOUBLE_CODED_SESSIONS = 4  # of the demo's seven: two civil-service and two comparison groups

Readings = dict[int, tuple[str, ...]]  # segment id → codes


@dataclass(frozen=True)
class DemoCoding:
    codings: list[Coding]  # coder A's accepted codings (quotes come from these)
    by_hand: int
    suggested: int
    accepted: int


def code_demo(session: Session, encoder: Encoder, rng: random.Random) -> DemoCoding:
    codes = codes_by_key(session, study_codebook(session))
    transcripts = _transcripts(session)
    first = coder_named(session, FIRST_CODER)
    reader = NoteCoder.packaged()
    reading = _read(reader.read, transcripts)
    by_hand = _hand_code(session, first, reader, transcripts, reading, codes)
    run = suggest_codes(session, encoder)
    accepted = _review(session, first, reading, codes)
    for seg, found in _segments(transcripts, reading):  # turns no suggestion reached
        _apply(session, seg, found, first, codes)
    sample = _double_coded(session, transcripts, rng)
    second = GlossaryCoder.packaged()
    b = coder_named(session, SECOND_CODER)
    for seg, found in _segments(sample, _read(second.read, sample)):
        _apply(session, seg, found, b, codes)
    codings = _accepted_by(session, first.id)
    return DemoCoding(codings, by_hand, run.suggested, accepted)


def measure_agreement(session: Session) -> ReliabilityReport:
    """Agreement between the two passes, on the turns that may be analysed now."""
    return study_reliability(session, [FIRST_CODER, SECOND_CODER]).report


def _transcripts(session: Session) -> dict[int, list[tuple[Segment, bool]]]:
    """Per transcript, the turns a coder sees: usable participants' and the facilitator's."""
    usable = {row.id for row in codable_segments(session)}
    rows = session.execute(
        sa.select(Segment, Speaker.role)
        .join(Speaker, Segment.speaker_id == Speaker.id)
        .order_by(Segment.transcript_id, Segment.position)
    ).all()
    out: dict[int, list[tuple[Segment, bool]]] = defaultdict(list)
    for seg, role in rows:
        if seg.id in usable or role is SpeakerRole.FACILITATOR:
            out[seg.transcript_id].append((seg, seg.id in usable))
    return dict(out)


def _read(read: object, transcripts: dict[int, list[tuple[Segment, bool]]]) -> Readings:
    assert callable(read)
    found: Readings = {}
    for turns in transcripts.values():
        codes = read([SessionTurn(participant, seg.text) for seg, participant in turns])
        found |= {
            seg.id: c for (seg, participant), c in zip(turns, codes, strict=True) if participant
        }
    return found


def _segments(
    transcripts: dict[int, list[tuple[Segment, bool]]], reading: Readings
) -> list[tuple[Segment, tuple[str, ...]]]:
    return [(seg, reading[seg.id]) for turns in transcripts.values() for seg, p in turns if p]


def _hand_code(
    session: Session,
    coder: Coder,
    reader: NoteCoder,
    transcripts: dict[int, list[tuple[Segment, bool]]],
    reading: Readings,
    codes: dict[str, Code],
) -> int:
    """Coder A starts with the turns that show each code most clearly."""
    segments = [seg for seg, _ in _segments(transcripts, reading)]
    scores = {seg.id: reader.scores(seg.text) for seg in segments}
    done = 0
    for key in sorted(codes):
        if "." not in key:
            continue
        clear = sorted(
            (s for s in segments if reading[s.id][:1] == (key,)),
            key=lambda s: (-scores[s.id][key], s.id),
        )
        for seg in clear[:HAND_CODED_PER_CODE]:
            _apply(session, seg, (key,), coder, codes)
            done += 1
    return done


def _review(session: Session, coder: Coder, reading: Readings, codes: dict[str, Code]) -> int:
    accepted = 0
    for suggestion in open_suggestions(session):
        mine = reading.get(suggestion.segment_id, ())
        confident = (suggestion.confidence or 0.0) >= TRUSTED_SUGGESTION
        take = suggestion.code.key in mine or (not mine and confident)
        review_suggestion(session, suggestion, coder, accept=take)
        accepted += take
        _apply(session, suggestion.segment, mine, coder, codes)
    return accepted


def _apply(
    session: Session, seg: Segment, found: tuple[str, ...], coder: Coder, codes: dict[str, Code]
) -> None:
    span = trim_span(seg.text, 0, len(seg.text))
    for key in found:
        apply_code(session, seg, codes[key], coder, *span)


def _double_coded(
    session: Session, transcripts: dict[int, list[tuple[Segment, bool]]], rng: random.Random
) -> dict[int, list[tuple[Segment, bool]]]:
    """A sample of whole discussions, half from each sector, for the second coder (a
    machine-heard follow-up call is not a discussion and stays out of the sample)."""
    heard = set(
        session.scalars(sa.select(Transcript.id).where(Transcript.source_format == "audio"))
    )
    by_sector: dict[str, list[int]] = defaultdict(list)
    for tid, turns in sorted(transcripts.items()):
        if tid in heard:
            continue
        rows = codable_segments(session, segment_ids=[s.id for s, p in turns if p][:1])
        if rows:
            by_sector[rows[0].sector].append(tid)
    per_sector = DOUBLE_CODED_SESSIONS // max(1, len(by_sector))
    chosen = [
        t for tids in by_sector.values() for t in rng.sample(tids, min(per_sector, len(tids)))
    ]
    return {t: transcripts[t] for t in sorted(chosen)}


def _accepted_by(session: Session, coder_id: int) -> list[Coding]:
    return list(
        session.scalars(
            sa.select(Coding)
            .where(Coding.coder_id == coder_id, Coding.status == CodingStatus.ACCEPTED)
            .order_by(Coding.segment_id, Coding.id)
        )
    )


def describe(result: DemoCoding, report: ReliabilityReport) -> str:
    kappa = report.overall.kappa.value
    agreement = (
        f"simulated second coder agreement kappa {kappa:.2f} on {report.overall.units} turns"
        if kappa is not None
        else "no reliability figure"
    )
    return (
        f"{result.by_hand} turns coded by hand, {result.suggested} suggested by the model "
        f"({result.accepted} accepted on review), {len(result.codings)} accepted codings "
        f"(simulated coders); {agreement}"
    )
