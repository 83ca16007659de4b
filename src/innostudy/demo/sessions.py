"""The demo's sessions: each group's script performed, written as a transcript file in a
format real tools export, imported like a user's file, and recorded as ground truth.

The transcript importer decides what the study holds; the ground truth is matched to
the imported segments turn by turn, so a test that reads both compares the same turns.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.codebook_definition import study_codebook_spec
from innostudy.demo.dialogue import DemoTurn, perform, session_minutes, word_count
from innostudy.demo.fieldwork import DemoGroup
from innostudy.demo.ground_truth import (
    FACILITATOR,
    TruthParticipant,
    TruthSession,
    TruthTurn,
    themes_of,
    write_ground_truth,
)
from innostudy.demo.script import Script, load_script
from innostudy.demo.transcript_files import write_transcript_file
from innostudy.fieldwork.group_types import GroupTypeSpec
from innostudy.model import FocusGroup, GroupSession, Participant, Segment, Transcript
from innostudy.storage.store import StudyStore
from innostudy.transcripts.importing import import_transcript


@dataclass
class PerformedSession:
    group: DemoGroup
    script: Script
    turns: list[DemoTurn]
    minutes: int


def load_scripts(store: StudyStore, group_types: list[GroupTypeSpec]) -> dict[str, Script]:
    """Each group type's script, its codes checked against the study's codebook."""
    spec = study_codebook_spec(store)
    keys = [c.key for c in spec.walk()]
    return {g.key: load_script(g.key, keys) for g in group_types}


def perform_sessions(
    groups: list[DemoGroup], scripts: dict[str, Script], rng: random.Random
) -> list[PerformedSession]:
    performed = []
    for g in groups:
        turns = perform(scripts[g.type_key], g, rng)
        performed.append(
            PerformedSession(g, scripts[g.type_key], turns, session_minutes(turns, rng))
        )
    return performed


def import_sessions(store: StudyStore, performed: list[PerformedSession], seed: int) -> list[int]:
    """Write and import every session's transcript; returns words per session."""
    spec = study_codebook_spec(store)
    areas = {c.key: top.key for top in spec.codes for c in [top, *top.children]}
    folder = store.files_dir / "transcripts"
    folder.mkdir(parents=True, exist_ok=True)
    words: list[int] = []
    truth: list[TruthSession] = []
    for index, p in enumerate(performed):
        words.append(word_count(p.turns))
        stem = f"{_slug(p.group.name)}-synthetic"  # the name says it wherever it is shown
        path = write_transcript_file(folder, stem, p.turns, index)
        with store.session() as s:
            codes = participant_codes(s, p.group.name)
            transcript = import_transcript(
                s,
                path,
                _session_of(s, p.group.name),
                speaker_map={
                    **{dp.full_name: c for dp, c in zip(p.group.participants, codes, strict=True)},
                    "Facilitator": "facilitator",
                },
                actor="innostudy demo",
            )
            session = _truth(s, p, transcript, codes, path)
        truth.append(replace(session, themes=themes_of(session, areas)))
    write_ground_truth(store.folder, seed, truth)
    return words


def _truth(
    s: Session, p: PerformedSession, transcript: Transcript, codes: list[str], path: Path
) -> TruthSession:
    segments = s.scalars(
        sa.select(Segment).where(Segment.transcript_id == transcript.id).order_by(Segment.position)
    ).all()
    if len(segments) != len(p.turns):
        raise AssertionError(f"{path.name}: {len(segments)} segments for {len(p.turns)} turns")
    turns = tuple(
        TruthTurn(
            segment_id=seg.id,
            position=seg.position,
            speaker=FACILITATOR if t.participant is None else codes[t.participant],
            codes=t.codes,
            stance=t.stance.value if t.stance else None,
            prompt=t.prompt,
            compares_sectors=t.compares,
            start_ms=t.start_ms,
            end_ms=t.end_ms,
            untranscribed_ms=t.untranscribed_ms,
            words=len(t.text.split()),
            quote=t.quote.render(t.text) if t.quote else None,
            script_line=t.line,
        )
        for seg, t in zip(segments, p.turns, strict=True)
    )
    people = tuple(
        TruthParticipant(
            code=codes[i],
            letter=person.letter,
            role=person.role,
            turns=sum(1 for t in p.turns if t.participant == i),
            words=sum(len(t.text.split()) for t in p.turns if t.participant == i),
            speaking_ms=sum(t.end_ms - t.start_ms for t in p.turns if t.participant == i),
            quotation=person.quotation,
            withdrawn=person.withdrawn,
        )
        for i, person in enumerate(p.script.people)
    )
    letters = {person.letter: codes[i] for i, person in enumerate(p.script.people)}
    return TruthSession(
        group=p.group.name,
        group_type=p.group.type_key,
        sector=p.group.sector.value,
        transcript_id=transcript.id,
        transcript_file=path.name,
        duration_minutes=p.minutes,
        dynamics=tuple(
            (kind, tuple(letters.get(a, a) for a in args)) for kind, args in p.script.dynamics
        ),
        participants=people,
        turns=turns,
    )


def _session_of(session: Session, group_name: str) -> GroupSession:
    found = session.scalar(
        sa.select(GroupSession).join(FocusGroup).where(FocusGroup.name == group_name)
    )
    assert found is not None, group_name
    return found


def participant_codes(session: Session, group_name: str) -> list[str]:
    """The group's participant codes in the order they were added (the script's order)."""
    return list(
        session.scalars(
            sa.select(Participant.code)
            .join(FocusGroup)
            .where(FocusGroup.name == group_name)
            .order_by(Participant.id)
        )
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
