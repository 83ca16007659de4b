"""How the focus groups and the coding were actually done, read from the store.

The method section of a report is where template prose lies most easily ("each session
lasted about 90 minutes", "seven groups met"), so every figure it needs is gathered
here from records: sessions *held* (a transcript or a recording shows it took place; a
session with only a date is planned), their recorded lengths, recordings and
note-takers, participants who *attended* (mapped as a speaker in a held session's
transcript, withdrawn or not; recruits who never appear did not attend), withdrawals,
refusals of quotation, redactions, and who coded, with how much of it a model suggested.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.coded import MainCoding, coded_rows
from innostudy.fieldwork.consent import has_withdrawn, may_quote
from innostudy.model import (
    Code,
    Coder,
    CoderKind,
    Coding,
    CodingStatus,
    ConsentChoice,
    GroupSession,
    Participant,
    Recording,
    Redaction,
    Speaker,
    SpeakerRole,
    Transcript,
    TranscriptKind,
)
from innostudy.reporting.quotes import report_groups


@dataclass(frozen=True)
class SessionFacts:
    group_id: int | None
    group: str  # the group's label
    sector: str
    held: bool
    session_date: date | None
    minutes: int | None
    recorded: bool
    note_taker: bool
    verbatim: bool  # has a verbatim transcript
    attended: frozenset[int]  # participant ids mapped as speakers


@dataclass(frozen=True)
class GroupAttendance:
    group_id: int
    label: str
    sector: str
    recruited: int
    attended: int
    met: bool


def session_facts(session: Session) -> list[SessionFacts]:
    """Every session, in date order (undated last)."""
    recorded = set(session.scalars(sa.select(Recording.session_id)))
    kinds: dict[int, set[TranscriptKind]] = {}
    for sid, kind in session.execute(sa.select(Transcript.session_id, Transcript.kind)):
        kinds.setdefault(sid, set()).add(kind)
    attended: dict[int, set[int]] = {}
    for sid, pid in session.execute(
        sa.select(Transcript.session_id, Speaker.participant_id)
        .join(Speaker, Speaker.transcript_id == Transcript.id)
        .where(Speaker.role == SpeakerRole.PARTICIPANT, Speaker.participant_id.is_not(None))
    ):
        if pid is not None:
            attended.setdefault(sid, set()).add(pid)
    out = []
    for gs in session.scalars(sa.select(GroupSession).order_by(GroupSession.id)):
        group = gs.focus_group
        out.append(
            SessionFacts(
                group_id=group.id if group else None,
                group=group.label if group else "",
                sector=group.group_type.sector.label if group else "",
                held=gs.id in kinds or gs.id in recorded,
                session_date=gs.session_date,
                minutes=gs.duration_minutes,
                recorded=gs.id in recorded,
                note_taker=bool(gs.note_taker.strip()),
                verbatim=TranscriptKind.VERBATIM in kinds.get(gs.id, set()),
                attended=frozenset(attended.get(gs.id, set())),
            )
        )
    return sorted(out, key=lambda f: (f.session_date is None, f.session_date or date.min))


def attendance(session: Session, sessions: list[SessionFacts]) -> list[GroupAttendance]:
    """Per focus group, in the report's order: recruited, attended, and whether it met."""
    recruited: dict[int, int] = dict(
        session.execute(  # type: ignore[arg-type]
            sa.select(Participant.focus_group_id, sa.func.count())
            .where(Participant.focus_group_id.is_not(None))
            .group_by(Participant.focus_group_id)
        ).all()
    )
    out = []
    for group in report_groups(session):
        mine = [f for f in sessions if f.group_id == group.id and f.held]
        people = set().union(*(f.attended for f in mine)) if mine else set()
        out.append(
            GroupAttendance(
                group.id,
                group.label,
                group.group_type.sector.label,
                int(recruited.get(group.id, 0)),
                len(people),
                bool(mine),
            )
        )
    return out


@dataclass(frozen=True)
class ConsentFacts:
    withdrawn: int
    refused_quotation: int  # not withdrawn, and said no to being quoted
    quotation_not_recorded: int  # not withdrawn, and never asked (or not recorded): not quoted


def consent_facts(session: Session) -> ConsentFacts:
    people = session.scalars(
        sa.select(Participant).where(Participant.focus_group_id.is_not(None))
    ).all()
    staying = [p for p in people if not has_withdrawn(p.consent)]
    refused = [p for p in staying if p.consent and p.consent.quotation is ConsentChoice.REFUSED]
    unasked = [p for p in staying if not may_quote(p.consent) and p not in refused]
    return ConsentFacts(len(people) - len(staying), len(refused), len(unasked))


def redactions(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(Redaction)) or 0)


@dataclass(frozen=True)
class CodingFacts:
    coders: int  # people in the main coding
    reliability_coders: int
    turns: int  # usable participant turns
    turns_coded: int  # turns with at least one main-coding code
    codings: int  # the main coding's codings (segment × code × coder)
    from_model: int  # of which a person accepted from a model's suggestion
    suggestions_reviewed: int
    suggestions_accepted: int
    models: list[str]  # names of the models that made suggestions


def coding_facts(session: Session, main: MainCoding, turns: int) -> CodingFacts:
    rows = coded_rows(session, coders=main.coders)
    counted = {(r.segment.id, r.code, r.coder) for r in rows}
    suggested = {
        (segment_id, code, coder)
        for segment_id, code, coder, reason in session.execute(
            sa.select(Coding.segment_id, Code.key, Coder.name, Coding.reason)
            .join(Code, Coding.code_id == Code.id)
            .join(Coder, Coding.coder_id == Coder.id)
            .where(Coder.name.in_(main.coders), Coding.status == CodingStatus.ACCEPTED)
        )
        if (reason or {}).get("accepted_suggestion")
    }
    verdicts = {
        status: int(n)
        for status, n in session.execute(
            sa.select(Coding.status, sa.func.count())
            .join(Coder, Coding.coder_id == Coder.id)
            .where(Coder.kind == CoderKind.MODEL)
            .group_by(Coding.status)
        )
    }
    models = session.scalars(
        sa.select(Coder.name)
        .where(Coder.kind == CoderKind.MODEL, Coder.id.in_(sa.select(Coding.coder_id)))
        .order_by(Coder.name)
    ).all()
    accepted = verdicts.get(CodingStatus.ACCEPTED, 0)
    return CodingFacts(
        coders=len(main.coders),
        reliability_coders=len(main.reliability),
        turns=turns,
        turns_coded=len({r.segment.id for r in rows}),
        codings=len(counted),
        from_model=len(counted & suggested),
        suggestions_reviewed=accepted + verdicts.get(CodingStatus.REJECTED, 0),
        suggestions_accepted=accepted,
        models=list(models),
    )


def usable_turns(session: Session) -> int:
    """Participants' turns in verbatim or note transcripts that may be analysed."""
    from innostudy.coding.segments import codable_segments

    return len(codable_segments(session))
