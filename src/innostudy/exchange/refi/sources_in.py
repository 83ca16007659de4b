"""Text sources coming in: sessions, transcripts, speaker turns and the codings on them.

Each source becomes a transcript in a session: the one its ``Session`` and ``Focus
group`` variables name (innostudy's own exports), else a new session named after the
source, in the group whose case refers to the source, if any. The text is cut into turns
by ``sourcetext.split_source``; each selection is cut at turn boundaries
(``clip_to_parts``) and each piece becomes one coding per code and coder, on the
piece's span of the turn. Turns are redacted like any imported transcript (names the
study registered, emails, phone numbers), and spans move with the redaction.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.coding.manual import coder_named
from innostudy.exchange.refi.cases_in import CaseResult
from innostudy.exchange.refi.matching import find_known
from innostudy.exchange.refi.notes_in import NoteIndex
from innostudy.exchange.refi.project import RefiProject, RefiSelection, RefiSource
from innostudy.exchange.refi.sourcetext import SourcePart, clip_to_parts
from innostudy.exchange.refi.variables import FOCUS_GROUP, SESSION, SESSION_DATE, TRANSCRIPT_KIND
from innostudy.exchange.refi.xmlutil import listing
from innostudy.model import (
    Code,
    Coder,
    Coding,
    CodingStatus,
    FocusGroup,
    GroupSession,
    ImportBatch,
    Participant,
    Redaction,
    Segment,
    SegmentRaw,
    Speaker,
    SpeakerRole,
    Transcript,
    TranscriptKind,
    utcnow,
)
from innostudy.transcripts.redaction import Redactor, Replacement
from innostudy.transcripts.roles import role_in_label
from innostudy.wording import counted

UNATTRIBUTED = "unattributed"
_OWN_SOURCE_VARIABLES = {FOCUS_GROUP, SESSION, SESSION_DATE, TRANSCRIPT_KIND}


def map_offset(replacements: list[Replacement], position: int, *, is_end: bool) -> int:
    """A position in the text before redaction → the same place after it.

    A position inside a replaced stretch moves to the start of its tag (for a span's
    start) or to its end (for a span's end), so a coding never cuts a tag in two.
    """
    delta = 0
    for r in replacements:
        original_start = r.start - delta
        if position <= original_start:
            break
        if position < original_start + len(r.original):
            return r.end if is_end else r.start
        delta += (r.end - r.start) - len(r.original)
    return position + delta


@dataclass(frozen=True)
class _Turn:
    """A stored segment: its id and how redaction moved its text."""

    id: int
    replacements: list[Replacement]


@dataclass
class SourceTally:
    transcripts: int = 0
    segments: int = 0
    sessions_added: int = 0
    codings: int = 0
    split: int = 0  # selections that crossed turns
    pieces: int = 0  # the codings those became
    empty: int = 0  # selections on nothing but labels, times and blank lines
    zero: int = 0  # selections of length 0
    duplicates: int = 0
    unattributed: int = 0
    whole_source: int = 0
    matched: int = 0  # sources that are transcripts the study already has
    known: int = 0  # codings the study already has
    withheld: int = 0  # codings on turns withheld on export
    renamed: list[str] = field(default_factory=list)  # same name, other text: a new transcript
    other_variables: Counter[str] = field(default_factory=Counter)


class SourceImporter:
    def __init__(
        self,
        session: Session,
        project: RefiProject,
        cases: CaseResult,
        codes: Mapping[str, Code],
        notes: NoteIndex,
        redactor: Redactor | None,
        batch: ImportBatch,
    ) -> None:
        self.session = session
        self.p = project
        self.cases = cases
        self.codes = codes
        self.notes = notes
        self.redactor = redactor
        self.batch = batch
        self.tally = SourceTally()
        self.users = {u.guid: u.name for u in project.users}
        self.variables = {v.guid: v.name for v in project.variables}
        self._coders: dict[str, Coder] = {}
        self._seen: set[tuple[int, int, int, int, int]] = set()
        self._known: set[tuple[int, int, int, int, int]] = set()

    def coder(self, *guids: str | None) -> Coder:
        guid = next((g for g in guids if g is not None), None)
        name = self.users[guid][:120] if guid is not None else UNATTRIBUTED
        if guid is None:
            self.tally.unattributed += 1
        if name not in self._coders:
            self._coders[name] = coder_named(self.session, name)
        return self._coders[name]

    def run(self, parts_by_source: Mapping[str, list[SourcePart]]) -> None:
        for source in self.p.sources:
            parts = parts_by_source[source.guid]
            if not parts and source.text.strip():
                self.p.warnings.append(
                    f"source '{source.name}' holds only labels and times; kept as an empty "
                    "transcript"
                )
            self._source(source, parts)

    def _session(self, source: RefiSource) -> GroupSession:
        values = {self.variables[v.variable_guid]: v for v in source.values}
        for name in values.keys() - _OWN_SOURCE_VARIABLES:
            self.tally.other_variables[name] += 1
        group_name = values[FOCUS_GROUP].value if FOCUS_GROUP in values else None
        group_name = group_name or self.cases.group_case_sources.get(source.guid)
        group = self.cases.groups.get(group_name) if group_name else None
        if group is None and group_name:
            group = self.session.scalar(sa.select(FocusGroup).where(FocusGroup.name == group_name))
        name = (values[SESSION].value if SESSION in values else source.name)[:200]
        in_group = (
            GroupSession.focus_group_id == group.id
            if group is not None
            else GroupSession.focus_group_id.is_(None)
        )
        found = self.session.scalar(
            sa.select(GroupSession).where(GroupSession.name == name, in_group).limit(1)
        )
        if found is not None:
            return found
        when = values.get(SESSION_DATE)
        row = GroupSession(
            focus_group=group,
            name=name,
            session_date=date.fromisoformat(when.value) if when and when.type == "Date" else None,
        )
        self.session.add(row)
        self.session.flush()
        self.tally.sessions_added += 1
        return row

    def _source(self, source: RefiSource, parts: list[SourcePart]) -> None:
        group_session = self._session(source)
        notes = self.notes.take(source.note_guids, annotations=False)
        if source.description.strip():
            notes.append(source.description.strip())
        self.notes.append_to_session(group_session, notes)
        texts = [source.text[p.start : p.end] for p in parts]
        known, differs = find_known(self.session, group_session.id, source.name[:300], texts)
        segments: list[_Turn | None]
        if known is not None:
            segments = [_Turn(i, []) if i is not None else None for i in known.segment_ids]
            self._known |= known.codings
            self.tally.matched += 1
        else:
            if differs:
                self.tally.renamed.append(source.name)
            transcript = self._transcript(source, group_session)
            segments = list(self._segments(transcript, source, parts))
            self.tally.transcripts += 1
        self.tally.whole_source += len(source.codings)
        rows = [
            r for sel in source.selections for r in self._selection(source, parts, segments, sel)
        ]
        if rows:
            self.session.execute(sa.insert(Coding), rows)

    def _transcript(self, source: RefiSource, group_session: GroupSession) -> Transcript:
        values = {self.variables[v.variable_guid]: v.value for v in source.values}
        kind = values.get(TRANSCRIPT_KIND, "").strip().lower()
        transcript = Transcript(
            session_id=group_session.id,
            name=source.name[:300],
            kind=TranscriptKind.NOTES if kind == "notes" else TranscriptKind.VERBATIM,
            source_file=f"{self.batch.file_name}:{source.path or source.name}"[:500],
            source_format="refi-qda",
            source_sha256=hashlib.sha256(source.text.encode("utf-8")).hexdigest(),
            batch_id=self.batch.id,
        )
        self.session.add(transcript)
        self.session.flush()
        return transcript

    def _speakers(self, transcript: Transcript, parts: list[SourcePart]) -> dict[str, Speaker]:
        speakers: dict[str, Speaker] = {}
        for part in parts:
            label = part.speaker
            if label is None or label in speakers:
                continue
            participant = self.cases.participants.get(label) or self.session.scalar(
                sa.select(Participant).where(Participant.code == label)
            )
            role = (
                SpeakerRole.PARTICIPANT
                if participant is not None
                else role_in_label(label) or SpeakerRole.UNKNOWN
            )
            speakers[label] = Speaker(
                transcript_id=transcript.id,
                label=label[:200],
                role=role,
                participant=participant,
            )
        self.session.add_all(speakers.values())
        self.session.flush()
        return speakers

    def _segments(
        self, transcript: Transcript, source: RefiSource, parts: list[SourcePart]
    ) -> list[_Turn]:
        """Insert the turns in bulk (a long project has tens of thousands of them)."""
        if not parts:  # an empty source stays an empty transcript
            return []
        speakers = self._speakers(transcript, parts)
        raws = [source.text[part.start : part.end] for part in parts]
        redacted = [self.redactor.redact(raw) if self.redactor else (raw, []) for raw in raws]
        rows = [
            {
                "transcript_id": transcript.id,
                "position": position,
                "speaker_id": speakers[part.speaker].id if part.speaker else None,
                "start_ms": part.start_ms,
                "end_ms": None,
                "text": text,
            }
            for position, (part, (text, _)) in enumerate(zip(parts, redacted, strict=True))
        ]
        ids = self.session.scalars(
            sa.insert(Segment).returning(Segment.id, sort_by_parameter_order=True), rows
        ).all()
        self.session.execute(
            sa.insert(SegmentRaw),
            [{"segment_id": i, "text": raw} for i, raw in zip(ids, raws, strict=True)],
        )
        found = [
            {
                "segment_id": i,
                "start": r.start,
                "end": r.end,
                "tag": r.tag,
                "kind": r.kind,
                "original": r.original,
            }
            for i, (_, replacements) in zip(ids, redacted, strict=True)
            for r in replacements
        ]
        if found:
            self.session.execute(sa.insert(Redaction), found)
        self.tally.segments += len(ids)
        return [_Turn(i, reps) for i, (_, reps) in zip(ids, redacted, strict=True)]

    def _selection(
        self,
        source: RefiSource,
        parts: list[SourcePart],
        segments: list[_Turn | None],
        sel: RefiSelection,
    ) -> list[dict[str, object]]:
        """The coding rows one selection gives (one per turn it touches, code and coder)."""
        if sel.start == sel.end:
            self.tally.zero += 1
            return []
        pieces = clip_to_parts(source.text, parts, sel.start, sel.end)
        if not pieces:
            self.tally.empty += 1
            return []
        if len(pieces) > 1:
            self.tally.split += 1
            self.tally.pieces += len(pieces)
        shared_memo = self.notes.take(sel.note_guids)
        if sel.description.strip():
            shared_memo.append(sel.description.strip())
        rows: list[dict[str, object]] = []
        for index, start, end in pieces:
            turn = segments[index]
            if turn is None:  # a turn withheld on export: its codings have no place
                self.tally.withheld += len(sel.codings)
                continue
            lo = map_offset(turn.replacements, start, is_end=False)
            hi = map_offset(turn.replacements, end, is_end=True)
            rows += self._coding_rows(source, sel, turn.id, (lo, hi), shared_memo)
        self.tally.codings += len(rows)
        return rows

    def _coding_rows(
        self,
        source: RefiSource,
        sel: RefiSelection,
        segment_id: int,
        span: tuple[int, int],
        shared_memo: list[str],
    ) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for coding in sel.codings:
            coder = self.coder(coding.user_guid, sel.user_guid, source.user_guid)
            code = self.codes[coding.code_guid]
            key = (segment_id, code.id, coder.id, *span)
            if key in self._known:
                self.tally.known += 1
                continue
            if key in self._seen:
                self.tally.duplicates += 1
                continue
            self._seen.add(key)
            when = coding.created_at or sel.created_at or utcnow()
            rows.append(
                {
                    "segment_id": segment_id,
                    "code_id": code.id,
                    "coder_id": coder.id,
                    "start": span[0],
                    "end": span[1],
                    "status": CodingStatus.ACCEPTED,
                    "memo": "\n\n".join(shared_memo + self.notes.take(coding.note_guids)),
                    "batch_id": self.batch.id,
                    "created_at": when,
                    "updated_at": when,
                }
            )
        return rows

    def warnings(self) -> list[str]:
        t, out = self.tally, []
        if t.split:
            out.append(
                f"{counted(t.split, 'selection')} crossed speaker turns; each was split into one "
                f"coding per turn ({counted(t.pieces, 'coding')} in all)"
            )
        if t.empty:
            out.append(
                f"{counted(t.empty, 'selection')} covered only speaker labels, times or blank "
                "lines; not imported"
            )
        if t.zero:
            out.append(f"{counted(t.zero, 'selection')} of length 0; not imported")
        if t.duplicates:
            out.append(f"{counted(t.duplicates, 'coding')} repeated another exactly; kept once")
        if t.unattributed:
            out.append(
                f"{counted(t.unattributed, 'coding')} without a coder, attributed to "
                f"'{UNATTRIBUTED}'"
            )
        if t.whole_source:
            out.append(
                f"{counted(t.whole_source, 'coding')} of whole sources not imported: "
                "innostudy codes spans of text"
            )
        if t.withheld:
            out.append(
                f"{counted(t.withheld, 'coding')} on turns withheld on export (participants who "
                "withdrew) not imported"
            )
        if t.renamed:
            out.append(
                f"{counted(len(t.renamed), 'source')} ({listing(t.renamed)}) share a name with a "
                "transcript of the study but not its text; imported as new transcripts"
            )
        if t.other_variables:
            names = sorted(t.other_variables)
            out.append(
                f"source variables not kept ({listing(names)}): innostudy keeps variables on "
                "participants only"
            )
        return out
