"""`innostudy demo`: build the embedded synthetic study and run every stage on it.

This is the one end-to-end path through the pipeline. It uses the same public
functions a user's study goes through (the same validators, importers and renderers),
so when a stage changes the demo shows it. Everything is seeded: the same seed gives
the same study.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.auto.embeddings import encoder_from_env
from innostudy.config import Settings
from innostudy.definitions.reading import read
from innostudy.demo.autocoding import FIRST_CODER, code_demo, describe, measure_agreement
from innostudy.demo.briefing import analyse_and_brief
from innostudy.demo.coding import authored_quotes, pick_quotes
from innostudy.demo.exchange import write_exchange_files
from innostudy.demo.fieldwork import DemoGroup, make_groups
from innostudy.demo.narrative import write_demo_narrative
from innostudy.demo.organisations import make_organisations
from innostudy.demo.sessions import (
    import_sessions,
    load_scripts,
    participant_codes,
    perform_sessions,
)
from innostudy.demo.survey_files import run_survey
from innostudy.demo.transcribed_call import transcribe_call
from innostudy.fieldwork.consent_records import withdraw
from innostudy.fieldwork.group_types import GROUP_TYPES
from innostudy.fieldwork.groups import PersonalDetails, add_group, add_participant
from innostudy.fieldwork.sessions import add_session
from innostudy.model import (
    Consent,
    ConsentChoice,
    Organisation,
    Participant,
    ResponseStatus,
)
from innostudy.reporting.accepted import accept
from innostudy.reporting.render import render_report
from innostudy.storage.store import StudyStore
from innostudy.studies import new_study
from innostudy.survey.instrument_definition import study_instrument

DEMO_SEED = 20_260_301
DEMO_NAME = "Innovation in public organisations (synthetic demo)"
DEMO_ACTOR = "innostudy demo"

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
    confirm: str | None = None,
    database_url: str | None = None,
    seed: int = DEMO_SEED,
    say: Say = lambda _msg: None,
) -> DemoSummary:
    # The simulated first coder's coding is the main one; the second coder only checks it.
    settings = Settings().with_values(
        study__name=DEMO_NAME, study__synthetic=True, coding__main_coders=FIRST_CODER
    )
    with new_study(
        folder,
        force=force,
        confirm=confirm,
        database_url=database_url,
        settings=settings,
        say=say,
        actor=DEMO_ACTOR,
    ) as store:
        say(f"Creating the synthetic demo study (seed {seed})")
        summary = _run(store, seed, say)
    final = folder.resolve()
    return DemoSummary(
        **{
            **summary.__dict__,
            "folder": final,
            "report": final / summary.report.relative_to(summary.folder),
        }
    )


def _run(store: StudyStore, seed: int, say: Say) -> DemoSummary:
    rng = random.Random(seed)
    instrument = study_instrument(store)
    used_names: set[str] = set()
    orgs = make_organisations(rng, used_names)
    statuses = run_survey(store, instrument, orgs, rng)
    submitted = [o for o in orgs if statuses[o.name] is ResponseStatus.SUBMITTED]
    say(f"Survey: {len(orgs)} organisations invited, {len(submitted)} submitted")

    group_types = read(store, GROUP_TYPES)
    scripts = load_scripts(store, group_types)
    respondents = [(o.name, o.org_type) for o in submitted]
    groups = make_groups(rng, group_types, scripts, respondents, used_names)
    performed = perform_sessions(groups, scripts, rng)
    with store.session() as s:
        _fieldwork(s, groups, [p.minutes for p in performed])
    people = sum(len(g.participants) for g in groups)
    say(f"Fieldwork: {len(groups)} focus groups, {people} participants")

    words = import_sessions(store, performed, seed)
    say(f"Transcripts: {len(words)} sessions, {sum(words):,} words")
    call = transcribe_call(store)
    say(
        f"Recording: {call.seconds:.0f} s of a synthetic follow-up call transcribed offline "
        f"into {call.turns} turns by {call.speakers} speakers"
    )

    with store.session() as s:
        coding = code_demo(s, encoder_from_env(), rng)
        _withdrawals(s, groups)  # one person withdrew after their session had been coded
        agreement = measure_agreement(s)
        quotes = pick_quotes(s, coding.codings, rng, authored_quotes(store.folder))
    say(f"Coding: {describe(coding, agreement)}; {quotes} quotes selected")

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
        codings=len(coding.codings),
        quotes=quotes,
    )


def _report(store: StudyStore) -> Path:
    """The demo analyst's narrative (the default one, with the demo's own purpose,
    Definitions and Triggers sections, private-sector comparison and conclusions; its
    outline made the study's), rendered in every format."""
    folder = write_demo_narrative(store, actor=DEMO_ACTOR)
    result = render_report(store)
    accept(folder, result.document)  # the analyst has read these values
    return result.paths["html"]


def _fieldwork(session: Session, groups: list[DemoGroup], minutes: list[int]) -> None:
    for g, duration in zip(groups, minutes, strict=True):
        group = add_group(session, g.name, g.type_key)
        add_session(
            session,
            group,
            name=f"{g.name} session",
            session_date=g.session_date,
            duration_minutes=duration,
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
            )


def _withdrawals(session: Session, groups: list[DemoGroup]) -> None:
    for g in groups:
        codes = participant_codes(session, g.name)
        for person, code in zip(g.participants, codes, strict=True):
            if person.withdrawn:
                participant = session.scalar(sa.select(Participant).where(Participant.code == code))
                assert participant is not None
                withdraw(
                    session,
                    participant,
                    reason="Synthetic withdrawal after coding, to exercise consent rules.",
                    actor=DEMO_ACTOR,
                )


def _response_id(session: Session, org_name: str | None) -> int | None:
    if org_name is None:
        return None
    org = session.scalar(sa.select(Organisation).where(Organisation.name == org_name))
    return org.response.id if org is not None and org.response is not None else None
