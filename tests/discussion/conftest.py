"""Two small real discussions in a real study, every figure of which is worked out in the
tests by hand: a senior civil-service group (WebVTT, cue ends, one participant who later
withdrew) and a business group (plain text, start times only), coded by two people."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code, coder_named, set_stance
from innostudy.fieldwork.consent_records import withdraw
from innostudy.fieldwork.groups import add_group, add_participant
from innostudy.fieldwork.sessions import add_session
from innostudy.model import Participant, Stance
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from innostudy.transcripts.importing import import_transcript

SENIOR = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Facilitator>How long does approval take where you work?

00:00:05.000 --> 00:00:11.000
<v SCS-01>Months. Every gateway wants a business case first.

00:00:12.000 --> 00:00:14.000
<v SCS-02>Yes, months for us too.

00:00:15.000 --> 00:00:20.000
<v SCS-03>I disagree, ours took two weeks.

00:00:21.000 --> 00:00:30.000
<v SCS-01>Because nobody wants the blame if it goes wrong, we wait.

00:00:31.000 --> 00:00:33.000
<v Facilitator>What about budgets?

00:00:34.000 --> 00:00:38.000
<v SCS-02>Budgets are annual, and that hurts.
"""
BUSINESS = """[00:00:00] Facilitator: Where do ideas come from in your firms?
[00:00:06] BUS-01: From customers, always. We test every idea with them.
[00:00:20] BUS-02: Exactly, customers first.
[00:00:25] BUS-01: And failure is fine if it is cheap.
"""
# (turn position, code, ana's stance, ben's stance or None when ben did not code it)
SENIOR_CODING = [
    (1, "costs.approval", "new", "new"),
    (2, "costs.approval", "agree", "qualify"),
    (3, "costs.approval", "disagree", "disagree"),  # SCS-03, who withdraws
    (4, "barriers.risk", "new", "new"),
    (6, "costs.budgeting", "new", "new"),
]
BUSINESS_CODING = [(1, "origins.users", "new"), (2, "origins.users", "agree")]
BUSINESS_CODING += [(3, "barriers.risk", "new")]


@dataclass(frozen=True)
class SmallStudy:
    folder: Path
    senior_transcript: int
    business_transcript: int
    senior_group: int
    business_group: int
    segments: dict[tuple[int, int], int]  # (transcript id, position) → segment id


def _import(s: object, tmp: Path, name: str, text: str, group: object) -> object:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return import_transcript(
        s,  # type: ignore[arg-type]
        path,
        add_session(s, group, name=f"{name} session"),  # type: ignore[arg-type]
        speaker_map={"Facilitator": "facilitator"},
    )


def _code(s: object, transcript: object, rows: list[tuple[object, ...]], by: str) -> None:
    codes = codes_by_key(s, study_codebook(s))  # type: ignore[arg-type]
    coder = coder_named(s, by)  # type: ignore[arg-type]
    segments = {seg.position: seg for seg in transcript.segments}  # type: ignore[attr-defined]
    for position, key, stance in rows:
        if stance is None:
            continue
        seg = segments[position]
        coding = apply_code(s, seg, codes[key], coder, 0, len(seg.text))  # type: ignore[arg-type]
        set_stance(s, coding, Stance(stance), actor=by)  # type: ignore[arg-type]


@pytest.fixture
def small_study(tmp_path: Path) -> SmallStudy:
    folder = init_study(tmp_path / "study")
    toml = folder / "study.toml"  # ana's is the main coding, ben double-codes for reliability
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('# main_coders = ""', 'main_coders = "ana"'),
        encoding="utf-8",
    )
    with StudyStore.open(folder) as store, store.session() as s:
        senior = add_group(s, "Senior civil servants", "cs_senior")
        business = add_group(s, "Business group", "business")
        for _ in range(3):
            add_participant(s, senior)
        for _ in range(2):
            add_participant(s, business)
        first = _import(s, tmp_path, "senior.vtt", SENIOR, senior)
        second = _import(s, tmp_path, "business.txt", BUSINESS, business)
        _code(s, first, [(p, k, a) for p, k, a, _ in SENIOR_CODING], "ana")
        _code(s, first, [(p, k, b) for p, k, _, b in SENIOR_CODING], "ben")
        _code(s, second, list(BUSINESS_CODING), "ana")
        gone = s.scalar(sa.select(Participant).where(Participant.code == "SCS-03"))
        assert gone is not None
        withdraw(s, gone, reason="test")
        segments = {
            (seg.transcript_id, seg.position): seg.id
            for t in (first, second)
            for seg in t.segments  # type: ignore[attr-defined]
        }
        return SmallStudy(
            folder,
            first.id,  # type: ignore[attr-defined]
            second.id,  # type: ignore[attr-defined]
            senior.id,
            business.id,
            segments,
        )
