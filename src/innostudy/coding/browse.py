"""What the coding views may show: transcripts, segments with their codings, suggestions.

Every function here asks ``fieldwork.consent.words_usable`` about each speaker, so a
withdrawn participant's words never reach a coding view (their turns are listed, empty,
so positions still make sense). Speakers are named by participant code or role, never by
the label in the source file, which may be a real name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.coding.coded import accepted_by_person
from innostudy.model import (
    Code,
    Coder,
    CoderKind,
    Coding,
    CodingStatus,
    FocusGroup,
    GroupSession,
    Participant,
    Segment,
    Speaker,
    SpeakerRole,
    Transcript,
)
from innostudy.transcripts.roles import ROLE_NAMES
from innostudy.transcripts.usable import is_usable, usable_segments


def speaker_name(speaker: Speaker | None) -> str:
    """A participant's code (SCS-03) or the speaker's role; never the source label."""
    if speaker is None:
        return ROLE_NAMES[SpeakerRole.UNKNOWN]
    if speaker.participant is not None:
        return speaker.participant.code
    return ROLE_NAMES[speaker.role]


@dataclass(frozen=True)
class CodingView:
    id: int
    segment_id: int
    code_id: int
    code_key: str
    code_name: str
    coder_id: int
    coder_name: str
    coder_kind: str
    coder_user_id: int | None  # the web account that codes as this coder, if any
    status: str
    stance: str | None  # the person's stance on an accepted coding (model.Stance value)
    start: int
    end: int
    text: str
    memo: str
    confidence: float | None
    reason: dict[str, Any]


@dataclass
class SegmentView:
    id: int
    position: int
    speaker: str
    start_ms: int | None
    text: str | None  # None: the speaker withdrew, the words are not shown
    codings: list[CodingView] = field(default_factory=list)

    @property
    def withdrawn(self) -> bool:
        return self.text is None


@dataclass(frozen=True)
class TranscriptSummary:
    id: int
    name: str
    kind: str
    session_id: int
    session_name: str
    group_id: int | None
    group_label: str
    segments: int
    coded_segments: int
    suggestions: int


@dataclass
class WorkbenchView:
    transcript: TranscriptSummary
    segments: list[SegmentView]


def coding_view(coding: Coding) -> CodingView:
    return CodingView(
        id=coding.id,
        segment_id=coding.segment_id,
        code_id=coding.code_id,
        code_key=coding.code.key,
        code_name=coding.code.name,
        coder_id=coding.coder_id,
        coder_name=coding.coder.name,
        coder_kind=coding.coder.kind.value,
        coder_user_id=coding.coder.user_id,
        status=coding.status.value,
        stance=coding.stance.value if coding.stance else None,
        start=coding.start,
        end=coding.end,
        text=coding.segment.text[coding.start : coding.end],
        memo=coding.memo,
        confidence=coding.confidence,
        reason=dict(coding.reason or {}),
    )


def _segment_options() -> Any:
    return (
        selectinload(Segment.speaker)
        .selectinload(Speaker.participant)
        .selectinload(Participant.consent)
    )


def _summary(session: Session, transcript: Transcript) -> TranscriptSummary:
    counts = session.execute(
        sa.select(
            sa.func.count(sa.distinct(Segment.id)),
            sa.func.count(sa.distinct(sa.case((accepted_by_person(), Coding.segment_id)))),
            sa.func.count(
                sa.distinct(sa.case((Coding.status == CodingStatus.SUGGESTED, Coding.id)))
            ),
        )
        .select_from(Segment)
        .outerjoin(Coding, Coding.segment_id == Segment.id)
        .where(Segment.transcript_id == transcript.id)
    ).one()
    group = transcript.session.focus_group
    return TranscriptSummary(
        id=transcript.id,
        name=transcript.name,
        kind=transcript.kind.value,
        session_id=transcript.session_id,
        session_name=transcript.session.name,
        group_id=group.id if group else None,
        group_label=group.label if group else "No group",
        segments=int(counts[0]),
        coded_segments=int(counts[1]),
        suggestions=int(counts[2]),
    )


def transcripts_for_coding(
    session: Session, *, group_id: int | None = None
) -> list[TranscriptSummary]:
    query = (
        sa.select(Transcript)
        .join(GroupSession, GroupSession.id == Transcript.session_id)
        .options(selectinload(Transcript.session).selectinload(GroupSession.focus_group))
        .order_by(GroupSession.session_date, Transcript.id)
    )
    if group_id is not None:
        query = query.where(GroupSession.focus_group_id == group_id)
    return [_summary(session, t) for t in session.scalars(query)]


def workbench(
    session: Session,
    transcript_id: int,
    *,
    coder_id: int | None = None,
    code_id: int | None = None,
) -> WorkbenchView | None:
    """A transcript's turns with their codings (optionally only one coder's or code's)."""
    transcript = session.get(Transcript, transcript_id)
    if transcript is None:
        return None
    segments = session.scalars(
        sa.select(Segment)
        .where(Segment.transcript_id == transcript_id)
        .options(_segment_options())
        .order_by(Segment.position)
    ).all()
    query = (
        sa.select(Coding)
        .join(Segment, Segment.id == Coding.segment_id)
        .where(Segment.transcript_id == transcript_id, Coding.status != CodingStatus.REJECTED)
        .options(
            selectinload(Coding.code), selectinload(Coding.coder), selectinload(Coding.segment)
        )
        .order_by(Coding.start, Coding.end, Coding.id)
    )
    if coder_id is not None:
        query = query.where(Coding.coder_id == coder_id)
    if code_id is not None:
        query = query.where(Coding.code_id == code_id)
    by_segment: dict[int, list[CodingView]] = {}
    for coding in session.scalars(query):
        by_segment.setdefault(coding.segment_id, []).append(coding_view(coding))
    views = []
    for seg in segments:
        usable = is_usable(seg)
        views.append(
            SegmentView(
                id=seg.id,
                position=seg.position,
                speaker=speaker_name(seg.speaker),
                start_ms=seg.start_ms,
                text=seg.text if usable else None,
                codings=by_segment.get(seg.id, []) if usable else [],
            )
        )
    return WorkbenchView(_summary(session, transcript), views)


def usable_segment(session: Session, segment_id: int) -> Segment | None:
    """The segment, if it exists and its words may be coded."""
    segment = session.scalar(
        sa.select(Segment).where(Segment.id == segment_id).options(_segment_options())
    )
    return segment if segment is not None and is_usable(segment) else None


@dataclass(frozen=True)
class CodingFilter:
    group_id: int | None = None
    code_id: int | None = None
    coder_id: int | None = None
    transcript_id: int | None = None
    status: CodingStatus | None = None


def _filtered(query: sa.Select[Coding], where: CodingFilter) -> sa.Select[Coding]:
    """The query narrowed by the filter (it must already join Segment and GroupSession)."""
    conditions = [
        (where.group_id, GroupSession.focus_group_id == where.group_id),
        (where.code_id, Coding.code_id == where.code_id),
        (where.coder_id, Coding.coder_id == where.coder_id),
        (where.transcript_id, Segment.transcript_id == where.transcript_id),
        (where.status, Coding.status == where.status),
    ]
    return query.where(*[condition for value, condition in conditions if value is not None])


def find_codings(session: Session, where: CodingFilter, *, limit: int = 500) -> list[CodingView]:
    """Coded extracts matching the filter, in transcript order (withdrawn speakers left out)."""
    query = (
        sa.select(Coding)
        .join(Segment, Segment.id == Coding.segment_id)
        .join(Transcript, Transcript.id == Segment.transcript_id)
        .join(GroupSession, GroupSession.id == Transcript.session_id)
        .options(
            selectinload(Coding.code),
            selectinload(Coding.coder),
            selectinload(Coding.segment).options(_segment_options()),
        )
        .order_by(Transcript.id, Segment.position, Coding.start)
    )
    query = _filtered(query, where)
    found: list[CodingView] = []
    for coding in session.scalars(query):
        if is_usable(coding.segment):
            found.append(coding_view(coding))
            if len(found) >= limit:
                break
    return found


@dataclass(frozen=True)
class SuggestionView:
    coding: CodingView
    segment_text: str
    speaker: str
    transcript_id: int
    group_label: str


QUEUE_LIMIT = 200  # suggestions the queue page lists at once


def suggestion_queue(
    session: Session, where: CodingFilter, *, limit: int = QUEUE_LIMIT
) -> list[SuggestionView]:
    """Open suggestions from automatic coders, most confident first."""
    query = (
        sa.select(Coding)
        .join(Coder, Coder.id == Coding.coder_id)
        .join(Segment, Segment.id == Coding.segment_id)
        .join(Transcript, Transcript.id == Segment.transcript_id)
        .join(GroupSession, GroupSession.id == Transcript.session_id)
        .where(Coding.status == CodingStatus.SUGGESTED, Coder.kind == CoderKind.MODEL)
        .options(
            selectinload(Coding.code),
            selectinload(Coding.coder),
            selectinload(Coding.segment).options(
                _segment_options(),
                selectinload(Segment.transcript)
                .selectinload(Transcript.session)
                .selectinload(GroupSession.focus_group),
            ),
        )
        .order_by(sa.func.coalesce(Coding.confidence, 0.0).desc(), Coding.id)
    )
    query = _filtered(query, where)
    out: list[SuggestionView] = []
    for coding in session.scalars(query):
        segment = coding.segment
        if not is_usable(segment):
            continue
        group = segment.transcript.session.focus_group
        out.append(
            SuggestionView(
                coding_view(coding),
                segment.text,
                speaker_name(segment.speaker),
                segment.transcript_id,
                group.label if group else "No group",
            )
        )
        if len(out) >= limit:
            break
    return out


def open_suggestion(session: Session, coding_id: int) -> Coding | None:
    """A suggestion that may be reviewed: still open, and its speaker has not withdrawn."""
    coding = session.get(Coding, coding_id)
    if coding is None or coding.status is not CodingStatus.SUGGESTED:
        return None
    return coding if is_usable(coding.segment) else None


def filter_choices(session: Session) -> dict[str, list[tuple[int, str]]]:
    """Groups, codes and coders for filter menus: (id, label) pairs."""
    return {
        "groups": [
            (g.id, g.label) for g in session.scalars(sa.select(FocusGroup).order_by(FocusGroup.id))
        ],
        "codes": [
            (c.id, f"{c.key} — {c.name}")
            for c in session.scalars(sa.select(Code).order_by(Code.codebook_id, Code.position))
        ],
        "coders": [
            (c.id, f"{c.name} ({c.kind.value})")
            for c in session.scalars(sa.select(Coder).order_by(Coder.name))
        ],
    }


def open_suggestion_count(
    session: Session, where: CodingFilter, *, limit: int = QUEUE_LIMIT
) -> int:
    """How many suggestions ``suggestion_queue`` lists, counted in SQL (the queue page's
    count after each review, without building the views); a test keeps the two equal."""
    usable = usable_segments().with_only_columns(Segment.id).order_by(None)
    query = (
        sa.select(Coding)
        .join(Coder, Coder.id == Coding.coder_id)
        .join(Segment, Segment.id == Coding.segment_id)
        .join(Transcript, Transcript.id == Segment.transcript_id)
        .join(GroupSession, GroupSession.id == Transcript.session_id)
        .where(
            Coding.status == CodingStatus.SUGGESTED,
            Coder.kind == CoderKind.MODEL,
            Coding.segment_id.in_(usable),
        )
    )
    counted = _filtered(query, where).with_only_columns(Coding.id).limit(limit).subquery()
    return int(session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0)
