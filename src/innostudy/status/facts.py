"""What a study holds at each stage of the pipeline, counted from its database and folder.

Plain numbers, names and times, gathered in one read-only pass; ``steps`` turns them
into what is done and what to run next. Counting goes through the stages' own rules
(``coding.segments.codable_segments`` for what may be coded, ``coding.coded`` for what
counts, ``reporting.quotes`` for which quotes may be shown), so status never disagrees
with the command it recommends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.coded import accepted_by_person
from innostudy.coding.segments import codable_segments
from innostudy.errors import InnostudyError
from innostudy.fieldwork.consent import has_withdrawn, may_quote
from innostudy.model import (
    Code,
    Coder,
    CoderKind,
    Coding,
    CodingStatus,
    Consent,
    ConsentChoice,
    FocusGroup,
    GroupSession,
    GroupType,
    Organisation,
    Participant,
    Quote,
    QuoteStatus,
    Response,
    ResponseStatus,
    Speaker,
    SpeakerRole,
    Transcript,
)
from innostudy.reporting.quotes import load_quotes
from innostudy.storage.store import StudyStore
from innostudy.survey.instrument_definition import study_instrument


@dataclass(frozen=True)
class Unmapped:
    transcript_id: int
    transcript: str
    labels: list[str]


@dataclass
class Facts:
    """Counts per stage; every sentence ``status`` prints is made from these."""

    study_name: str
    folder: Path
    instrument_file: str
    questions: int = 0
    sections: int = 0
    instrument_problem: str = ""
    organisations: int = 0
    with_link: int = 0
    responses: dict[str, int] = field(default_factory=dict)  # status value → count
    last_answer_at: datetime | None = None
    analysis_at: datetime | None = None
    briefing_at: datetime | None = None
    group_types: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    small_groups: list[tuple[str, int, int]] = field(default_factory=list)  # name, size, minimum
    participants: list[str] = field(default_factory=list)  # codes
    no_consent: list[str] = field(default_factory=list)  # codes with nothing recorded
    withdrawn: int = 0
    may_quote: int = 0
    sessions: list[tuple[int, str]] = field(default_factory=list)
    sessions_without_transcript: list[tuple[int, str]] = field(default_factory=list)
    transcripts: int = 0
    turns: int = 0
    unmapped: list[Unmapped] = field(default_factory=list)
    participant_turns: int = 0  # turns coding may use
    codes: int = 0
    areas: int = 0
    coded_turns: int = 0
    accepted: int = 0
    people: dict[str, int] = field(default_factory=dict)  # person coder → accepted codings
    open_suggestions: list[int] = field(default_factory=list)  # coding ids
    suggestions_made: int = 0
    first_accepted: int | None = None  # a coding id a newcomer could act on
    quotable_coding: int | None = None  # an accepted coding that may become a quote
    quotes: int = 0
    usable_quotes: int = 0
    quote_refusals: dict[str, int] = field(default_factory=dict)
    quote_problem: str = ""  # a quote no longer verbatim stops the report
    narrative: bool = False
    report_at: datetime | None = None
    last_change_at: datetime | None = None  # the newest answer, coding or quote


def gather(store: StudyStore) -> Facts:
    facts = Facts(
        store.settings.study_name,
        store.folder,
        str(store.settings["survey.instrument"]),
    )
    _instrument(store, facts)
    _outputs(store, facts)
    with store.session() as s:
        _survey(s, facts)
        _fieldwork(s, facts)
        _transcripts(s, facts)
        _coding(s, facts)
        _quotes(s, facts)
    return facts


def _instrument(store: StudyStore, facts: Facts) -> None:
    try:
        instrument = study_instrument(store)
    except InnostudyError as exc:
        facts.instrument_problem = str(exc).splitlines()[0]
        return
    facts.sections = len(instrument.sections)
    facts.questions = sum(1 for _ in instrument.questions())


def _modified(path: Path) -> datetime | None:
    """When the newest file at ``path`` (a file or a folder) was written."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    if not files:
        return None
    return datetime.fromtimestamp(max(p.stat().st_mtime for p in files), UTC)


def _outputs(store: StudyStore, facts: Facts) -> None:
    from innostudy.analysis.summary import SUMMARY_FILE
    from innostudy.briefing.build import BRIEFING_DIR

    facts.analysis_at = _modified(store.path("analysis", SUMMARY_FILE))
    facts.briefing_at = _modified(store.path(BRIEFING_DIR))
    facts.narrative = store.path(str(store.settings["report.narrative"])).is_dir()
    facts.report_at = _modified(store.path(str(store.settings["report.dir"]), "report.html"))


def _survey(s: Session, facts: Facts) -> None:
    facts.organisations = s.scalar(sa.select(sa.func.count()).select_from(Organisation)) or 0
    facts.with_link = (
        s.scalar(sa.select(sa.func.count()).where(Organisation.token_hash.is_not(None))) or 0
    )
    facts.responses = {
        status.value: int(n)
        for status, n in s.execute(
            sa.select(Response.status, sa.func.count()).group_by(Response.status)
        )
    }
    facts.last_answer_at = s.scalar(
        sa.select(sa.func.max(Response.updated_at)).where(Response.status != ResponseStatus.INVITED)
    )


def _fieldwork(s: Session, facts: Facts) -> None:
    facts.group_types = list(s.scalars(sa.select(GroupType.key).order_by(GroupType.position)))
    for group in s.scalars(sa.select(FocusGroup).order_by(FocusGroup.id)):
        facts.groups.append(group.name)
        if len(group.participants) < group.group_type.min_size:
            facts.small_groups.append(
                (group.name, len(group.participants), group.group_type.min_size)
            )
    for person in s.scalars(sa.select(Participant).order_by(Participant.code)):
        facts.participants.append(person.code)
        if not _recorded(person.consent):
            facts.no_consent.append(person.code)
        facts.withdrawn += has_withdrawn(person.consent)
        facts.may_quote += may_quote(person.consent)
    facts.sessions = [
        (gs.id, gs.name) for gs in s.scalars(sa.select(GroupSession).order_by(GroupSession.id))
    ]
    with_transcript = set(s.scalars(sa.select(Transcript.session_id)))
    facts.sessions_without_transcript = [x for x in facts.sessions if x[0] not in with_transcript]


def _recorded(consent: Consent | None) -> bool:
    """Whether anything was recorded: a date, a withdrawal, or an answer to any question."""
    if consent is None:
        return False
    asked = (consent.audio, consent.video, consent.notes, consent.quotation)
    return (
        consent.consent_date is not None
        or consent.withdrawn_at is not None
        or any(choice is not ConsentChoice.NOT_ASKED for choice in asked)
    )


def _transcripts(s: Session, facts: Facts) -> None:
    from innostudy.model import Segment

    facts.transcripts = s.scalar(sa.select(sa.func.count()).select_from(Transcript)) or 0
    facts.turns = s.scalar(sa.select(sa.func.count()).select_from(Segment)) or 0
    rows = s.execute(
        sa.select(Transcript.id, Transcript.name, Speaker.label)
        .join(Speaker, Speaker.transcript_id == Transcript.id)
        .where(Speaker.role == SpeakerRole.UNKNOWN)
        .order_by(Transcript.id, Speaker.id)
    ).all()
    by_transcript: dict[int, Unmapped] = {}
    for tid, name, label in rows:
        by_transcript.setdefault(tid, Unmapped(tid, name, [])).labels.append(label)
    facts.unmapped = list(by_transcript.values())


def _coding(s: Session, facts: Facts) -> None:
    usable = {row.id for row in codable_segments(s)}
    facts.participant_turns = len(usable)
    codes = s.scalars(sa.select(Code)).all()
    facts.codes = len(codes)
    facts.areas = sum(1 for c in codes if c.parent_id is None)
    accepted = s.execute(
        sa.select(Coding.id, Coding.segment_id, Coder.name)
        .join(Coder, Coder.id == Coding.coder_id)
        .where(accepted_by_person())
        .order_by(Coding.id)
    ).all()
    facts.accepted = len(accepted)
    facts.coded_turns = len({seg for _, seg, _ in accepted if seg in usable})
    for _, _, name in accepted:
        facts.people[name] = facts.people.get(name, 0) + 1
    facts.first_accepted = accepted[0][0] if accepted else None
    model_rows = s.execute(
        sa.select(Coding.id, Coding.status)
        .join(Coder, Coder.id == Coding.coder_id)
        .where(Coder.kind == CoderKind.MODEL)
        .order_by(Coding.id)
    ).all()
    facts.suggestions_made = len(model_rows)
    facts.open_suggestions = [cid for cid, status in model_rows if status is CodingStatus.SUGGESTED]
    changes = [
        s.scalar(sa.select(sa.func.max(Coding.updated_at))),
        s.scalar(sa.select(sa.func.max(Quote.created_at))),
        facts.last_answer_at,
    ]
    facts.last_change_at = max((c for c in changes if c is not None), default=None)


def _quotes(s: Session, facts: Facts) -> None:
    from innostudy.coding.quotes import speaker_participant

    facts.quotes = (
        s.scalar(sa.select(sa.func.count()).where(Quote.status == QuoteStatus.SELECTED)) or 0
    )
    try:
        records = load_quotes(s)
    except InnostudyError as exc:
        facts.quote_problem = str(exc)
        records = []
    facts.usable_quotes = sum(1 for r in records if r.refusal is None)
    for r in records:
        if r.refusal is not None:
            facts.quote_refusals[r.refusal] = facts.quote_refusals.get(r.refusal, 0) + 1
    quoted = set(s.scalars(sa.select(Quote.coding_id)))
    for coding in s.scalars(sa.select(Coding).where(accepted_by_person()).order_by(Coding.id)):
        person = speaker_participant(coding.segment)
        if (
            coding.id not in quoted
            and coding.segment.transcript.kind.is_quotable()
            and person is not None
            and person.focus_group is not None
            and may_quote(person.consent)
        ):
            facts.quotable_coding = coding.id
            break
