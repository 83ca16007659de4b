"""`innostudy demo`: build the embedded synthetic study and run every stage on it.

This is the one end-to-end path through the pipeline. It uses the same public
functions a user's study goes through (the same validators, importers and renderers),
so when a stage changes the demo shows it. Everything is seeded: the same seed gives
the same study.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.auto.embeddings import encoder_from_env
from innostudy.coding.codebook import load_codebook
from innostudy.config import Settings
from innostudy.demo.autocoding import FIRST_CODER, code_demo, describe
from innostudy.demo.briefing import analyse_and_brief
from innostudy.demo.coding import pick_quotes
from innostudy.demo.dialogue import (
    SessionWriter,
    UtterancePool,
    load_bank,
    word_count,
)
from innostudy.demo.exchange import write_exchange_files
from innostudy.demo.fieldwork import DemoGroup, make_groups
from innostudy.demo.narrative import write_demo_narrative
from innostudy.demo.organisations import make_organisations
from innostudy.demo.survey_files import run_survey
from innostudy.demo.transcript_files import add_demo_recording, merge_runs, write_transcript_file
from innostudy.fieldwork.group_types import load_group_types
from innostudy.fieldwork.groups import PersonalDetails, add_group, add_participant
from innostudy.fieldwork.sessions import add_session
from innostudy.model import (
    Consent,
    ConsentChoice,
    FocusGroup,
    GroupSession,
    Organisation,
    Participant,
    ResponseStatus,
    Segment,
    Transcript,
    utcnow,
)
from innostudy.reporting.accepted import accept
from innostudy.reporting.render import render_report
from innostudy.storage.store import StudyStore
from innostudy.studies import new_study
from innostudy.survey.instrument import load_instrument
from innostudy.transcripts.importing import import_transcript

DEMO_SEED = 20_260_301
DEMO_NAME = "Innovation in public organisations (synthetic demo)"

Say = Callable[[str], None]


@dataclass(frozen=True)
class DemoSummary:
    folder: Path
    report: Path
    organisations: int
    submitted: int
    drafts: int
    groups: int
    participants: int
    transcript_words: list[int]
    codings: int
    quotes: int


def build_demo(
    folder: Path,
    *,
    force: bool = False,
    database_url: str | None = None,
    seed: int = DEMO_SEED,
    say: Say = lambda _msg: None,
) -> DemoSummary:
    # The simulated first coder's coding is the main one; the second coder only checks it.
    settings = Settings().with_values(
        study__name=DEMO_NAME, study__synthetic=True, coding__main_coders=FIRST_CODER
    )
    with new_study(folder, force=force, database_url=database_url, settings=settings) as store:
        say(f"Creating the synthetic demo study (seed {seed})")
        summary = _run(store, random.Random(seed), say)
    final = folder.resolve()
    return DemoSummary(
        **{
            **summary.__dict__,
            "folder": final,
            "report": final / summary.report.relative_to(summary.folder),
        }
    )


def _run(store: StudyStore, rng: random.Random, say: Say) -> DemoSummary:
    instrument = load_instrument(store.setting_path("survey.instrument"))
    used_names: set[str] = set()
    orgs = make_organisations(rng, used_names)
    statuses = run_survey(store, instrument, orgs, rng)
    submitted = [o for o in orgs if statuses[o.name] is ResponseStatus.SUBMITTED]
    say(f"Survey: {len(orgs)} organisations invited, {len(submitted)} submitted")

    group_types = load_group_types(store.setting_path("fieldwork.group_types"))
    groups = make_groups(rng, group_types, [(o.name, o.org_type) for o in submitted], used_names)
    with store.session() as s:
        _fieldwork(s, groups)
    people = sum(len(g.participants) for g in groups)
    say(f"Fieldwork: {len(groups)} focus groups, {people} participants")

    words, coded = _transcripts(store, groups, [o.name for o in orgs], rng)
    add_demo_recording(store)
    say(f"Transcripts: {len(words)} sessions, {sum(words):,} words")

    with store.session() as s:
        segments = {
            seg.id: seg for seg in s.scalars(sa.select(Segment).where(Segment.id.in_(coded)))
        }
        turns = [(segments[sid], key) for sid, key in coded.items()]
        coding = code_demo(s, turns, encoder_from_env(), rng)
        codings = coding.codings
        quotes = pick_quotes(s, codings, rng)
    say(f"Coding: {describe(coding)}; {quotes} quotes selected")

    analyse_and_brief(store, say)
    report = _report(store)
    write_exchange_files(store, say)
    return DemoSummary(
        folder=store.folder,
        report=report,
        organisations=len(orgs),
        submitted=len(submitted),
        drafts=sum(1 for st in statuses.values() if st is ResponseStatus.DRAFT),
        groups=len(groups),
        participants=sum(len(g.participants) for g in groups),
        transcript_words=words,
        codings=len(codings),
        quotes=quotes,
    )


def _report(store: StudyStore) -> Path:
    """The demo analyst's narrative (the default one, with the demo's own purpose,
    Definitions and Triggers sections, private-sector comparison and conclusions),
    rendered in every format."""
    folder = store.path(str(store.settings["report.narrative"]))
    write_demo_narrative(folder)
    result = render_report(store)
    accept(folder, result.document)  # the analyst has read these values
    return result.paths["html"]


def _fieldwork(session: Session, groups: list[DemoGroup]) -> None:
    for g in groups:
        group = add_group(session, g.name, g.type_key)
        add_session(
            session,
            group,
            name=f"{g.name} session",
            session_date=g.session_date,
            duration_minutes=90,
            facilitator=g.facilitator,
            note_taker=g.note_taker,
            notes_md="Synthetic session notes: the discussion covered all five areas.",
        )
        for p in g.participants:
            participant = add_participant(
                session,
                group,
                role=p.role,
                level=p.level,
                organisation_type=p.organisation_type,
                response_id=_response_id(session, p.response_org),
                personal=PersonalDetails(p.full_name, p.email, p.phone, p.organisation_name),
            )
            granted, refused = ConsentChoice.GRANTED, ConsentChoice.REFUSED
            participant.consent = Consent(
                audio=granted,
                video=refused,
                notes=granted,
                quotation=granted if p.quotation else refused,
                consent_date=g.session_date,
                withdrawn_at=utcnow() if p.withdrawn else None,
                withdrawal_reason="Synthetic withdrawal to exercise consent rules."
                if p.withdrawn
                else "",
            )


def _response_id(session: Session, org_name: str | None) -> int | None:
    if org_name is None:
        return None
    org = session.scalar(sa.select(Organisation).where(Organisation.name == org_name))
    return org.response.id if org is not None and org.response is not None else None


def _transcripts(
    store: StudyStore, groups: list[DemoGroup], organisations: list[str], rng: random.Random
) -> tuple[list[int], dict[int, str]]:
    """Write each session's transcript file, import it, and map segments to written sub-codes."""
    bank = load_bank()
    codebook = load_codebook(store.setting_path("coding.codebook"))
    area_codes = {top.key: [c.key for c in top.children] for top in codebook.codes}
    writer = SessionWriter(bank, UtterancePool(bank, rng), area_codes, organisations, rng)
    folder = store.files_dir / "transcripts"
    folder.mkdir(parents=True, exist_ok=True)
    words: list[int] = []
    coded: dict[int, str] = {}
    for g in groups:
        turns = merge_runs(writer.write(g))
        words.append(word_count(turns))
        path = write_transcript_file(folder, _slug(g.name), turns, len(words) - 1)
        with store.session() as s:
            group_session = _session_of(s, g.name)
            codes = {
                p.full_name: p_code
                for p, p_code in zip(g.participants, _codes_of(s, g.name), strict=True)
            }
            transcript = import_transcript(
                s,
                path,
                group_session,
                speaker_map={**codes, "Facilitator": "facilitator"},
                actor="innostudy demo",
            )
            coded |= _segment_codes(s, transcript, [t.code_key for t in turns])
    return words, coded


def _session_of(session: Session, group_name: str) -> GroupSession:
    found = session.scalar(
        sa.select(GroupSession).join(FocusGroup).where(FocusGroup.name == group_name)
    )
    assert found is not None, group_name
    return found


def _codes_of(session: Session, group_name: str) -> list[str]:
    return list(
        session.scalars(
            sa.select(Participant.code)
            .join(FocusGroup)
            .where(FocusGroup.name == group_name)
            .order_by(Participant.id)
        )
    )


def _segment_codes(
    session: Session, transcript: Transcript, keys: list[str | None]
) -> dict[int, str]:
    segments = session.scalars(
        sa.select(Segment).where(Segment.transcript_id == transcript.id).order_by(Segment.position)
    ).all()
    if len(segments) != len(keys):
        raise AssertionError(
            f"transcript {transcript.name}: {len(segments)} segments for {len(keys)} turns"
        )
    return {seg.id: key for seg, key in zip(segments, keys, strict=True) if key is not None}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
