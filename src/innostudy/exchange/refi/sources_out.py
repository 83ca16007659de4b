"""Transcripts on their way out: one plain-text source each, with its codings as selections.

Speakers are written by pseudonym only: a participant by their code, a facilitator as
"Facilitator", a note-taker as "Note-taker", anyone else as "Speaker N" (numbered in
order of first appearance), because the labels typed in a transcript are often names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from innostudy.exchange.refi.ids import Guids
from innostudy.exchange.refi.notes_out import NoteBook
from innostudy.exchange.refi.project import (
    RefiCode,
    RefiCoding,
    RefiSelection,
    RefiSource,
    RefiValue,
)
from innostudy.exchange.refi.variables import (
    FOCUS_GROUP,
    SESSION,
    SESSION_DATE,
    TRANSCRIPT_KIND,
    VariableTable,
)
from innostudy.fieldwork.consent import has_withdrawn
from innostudy.model import (
    Coding,
    GroupSession,
    Participant,
    Segment,
    Speaker,
    SpeakerRole,
    Transcript,
)
from innostudy.transcripts.roles import ROLE_NAMES
from innostudy.transcripts.writing import Turn, render_turns

WITHHELD_TEXT = "[turn withheld: the participant withdrew from the study]"
_NAMED_ROLES = (SpeakerRole.FACILITATOR, SpeakerRole.NOTE_TAKER)


def speaker_labels(segments: Iterable[Segment], hidden: Collection[int] = ()) -> dict[int, str]:
    """Speaker id → the label the export shows (never the label as typed).

    Participants in ``hidden`` (those whose turns are withheld) are shown like unknown
    speakers, so the export does not say who withdrew.
    """
    labels: dict[int, str] = {}
    used: Counter[str] = Counter()
    for seg in segments:
        speaker = seg.speaker
        if speaker is None or speaker.id in labels:
            continue
        participant = speaker.participant if speaker.role is SpeakerRole.PARTICIPANT else None
        if participant is not None and participant.id not in hidden:
            labels[speaker.id] = participant.code
            continue
        base = ROLE_NAMES[speaker.role] if speaker.role in _NAMED_ROLES else "Speaker"
        used[base] += 1
        number = used[base]
        labels[speaker.id] = f"{base} {number}" if base == "Speaker" or number > 1 else base
    return labels


def _participant(segment: Segment) -> Participant | None:
    speaker = segment.speaker
    if speaker is None or speaker.role is not SpeakerRole.PARTICIPANT:
        return None
    return speaker.participant


class SourceWriter:
    def __init__(
        self,
        session: Session,
        guids: Guids,
        notes: NoteBook,
        variables: VariableTable,
        include_withdrawn: bool,
    ) -> None:
        self.session = session
        self.guids = guids
        self.notes = notes
        self.variables = variables
        self.include_withdrawn = include_withdrawn
        self.turns = 0
        self.speaking: dict[int, list[str]] = defaultdict(list)  # participant → sources
        self.by_group: dict[int, list[str]] = defaultdict(list)  # focus group → sources
        self._withheld: set[int] = set()

    def exported(self, coding: Coding) -> bool:
        return coding.segment_id not in self._withheld

    def write(
        self,
        codings: list[Coding],
        codes: dict[int, RefiCode],
        report_left_out: Counter[tuple[str, str]],
    ) -> list[RefiSource]:
        transcripts = self.session.scalars(
            sa.select(Transcript)
            .options(
                selectinload(Transcript.segments)
                .selectinload(Segment.speaker)
                .selectinload(Speaker.participant)
                .selectinload(Participant.consent),
                selectinload(Transcript.session).selectinload(GroupSession.focus_group),
            )
            .order_by(Transcript.id)
        ).all()
        by_segment: dict[int, list[Coding]] = defaultdict(list)
        for coding in codings:
            by_segment[coding.segment_id].append(coding)
        names: Counter[str] = Counter()
        sources: list[RefiSource] = []
        for transcript in transcripts:
            names[transcript.name] += 1
            name = transcript.name + (
                f" ({names[transcript.name]})" if names[transcript.name] > 1 else ""
            )
            sources.append(self._source(transcript, name, by_segment, codes, report_left_out))
        return sources

    def _source(
        self,
        transcript: Transcript,
        name: str,
        by_segment: dict[int, list[Coding]],
        codes: dict[int, RefiCode],
        left_out: Counter[tuple[str, str]],
    ) -> RefiSource:
        guid = self.guids("source", transcript.id)
        hidden = set() if self.include_withdrawn else self._withdrawn(transcript.segments)
        labels = speaker_labels(transcript.segments, hidden)
        turns: list[Turn] = []
        for seg in transcript.segments:
            participant = _participant(seg)
            withheld = participant is not None and participant.id in hidden
            if withheld:
                self._withheld.add(seg.id)
                left_out[("turn", "of participants who withdrew")] += 1
                withdrawn_codings = len(by_segment.get(seg.id, []))
                if withdrawn_codings:
                    left_out[("coding", "on those turns")] += withdrawn_codings
            elif participant is not None and guid not in self.speaking[participant.id]:
                self.speaking[participant.id].append(guid)
            label = labels.get(seg.speaker_id) if seg.speaker_id is not None else None
            turns.append(Turn(label, WITHHELD_TEXT if withheld else seg.text, seg.start_ms))
        self.turns += len(turns)
        rendered = render_turns(turns)
        source = RefiSource(
            guid=guid,
            name=name,
            text=rendered.text,
            path=f"internal://{guid}.txt",
            created_at=transcript.imported_at,
        )
        for seg, start in zip(transcript.segments, rendered.starts, strict=True):
            if seg.id not in self._withheld:
                source.selections += self._selections(seg, start, by_segment.get(seg.id, []), codes)
        source.selections.sort(key=lambda s: (s.start, s.end, s.guid))
        group_session = transcript.session
        source.note_guids = self.notes.session_notes(group_session)
        source.values = self._values(transcript, group_session)
        if group_session.focus_group_id is not None:
            self.by_group[group_session.focus_group_id].append(guid)
        return source

    @staticmethod
    def _withdrawn(segments: Iterable[Segment]) -> set[int]:
        return {
            p.id for p in map(_participant, segments) if p is not None and has_withdrawn(p.consent)
        }

    def _selections(
        self, seg: Segment, offset: int, codings: list[Coding], codes: dict[int, RefiCode]
    ) -> list[RefiSelection]:
        spans: dict[tuple[int, int, int], list[Coding]] = defaultdict(list)
        for coding in codings:
            spans[(coding.start, coding.end, coding.coder_id)].append(coding)
        out: list[RefiSelection] = []
        for (start, end, coder_id), items in spans.items():
            user = self.guids("coder", coder_id)
            items.sort(key=lambda c: (c.code.position, c.code_id))
            out.append(
                RefiSelection(
                    guid=self.guids("selection", seg.id, start, end, coder_id),
                    start=offset + start,
                    end=offset + end,
                    user_guid=user,
                    created_at=min(c.created_at for c in items),
                    codings=[
                        RefiCoding(
                            guid=self.guids("coding", c.id),
                            code_guid=codes[c.code_id].guid,
                            user_guid=user,
                            created_at=c.created_at,
                            note_guids=self.notes.coding_memo(c),
                        )
                        for c in items
                    ],
                )
            )
        return out

    def _values(self, transcript: Transcript, group_session: GroupSession) -> list[RefiValue]:
        v = self.variables
        values: list[RefiValue] = []
        if group_session.focus_group is not None:
            values.append(v.value(FOCUS_GROUP, "Text", group_session.focus_group.name))
        values.append(v.value(SESSION, "Text", group_session.name))
        if group_session.session_date is not None:
            values.append(v.value(SESSION_DATE, "Date", group_session.session_date.isoformat()))
        values.append(v.value(TRANSCRIPT_KIND, "Text", transcript.kind.value))
        return values
