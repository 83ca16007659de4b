"""Bring a transcript file into a session: parse, map speakers, redact, store in one go.

Everything that can fail (parsing, an unknown participant code in the speaker map) fails
before the first write; the caller's transaction then holds the whole transcript or
nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from innostudy.errors import InputError
from innostudy.model import (
    GroupSession,
    ImportBatch,
    ImportKind,
    Organisation,
    Participant,
    ParticipantContact,
    Redaction,
    Segment,
    SegmentRaw,
    Speaker,
    SpeakerRole,
    Transcript,
    TranscriptKind,
)
from innostudy.transcripts.drafts import TranscriptDraft
from innostudy.transcripts.formats import detect_format, parse_transcript
from innostudy.transcripts.redaction import ORGANISATION, Redactor, Term, name_terms

_FACILITATOR_LABEL = re.compile(r"\b(facilitator|moderator|interviewer)\b", re.IGNORECASE)
_ROLE_WORDS = {r.value: r for r in SpeakerRole} | {"moderator": SpeakerRole.FACILITATOR}


@dataclass(frozen=True)
class SpeakerAssignment:
    role: SpeakerRole
    participant_id: int | None = None


def redactor_for_study(session: Session, extra_words: Iterable[str] = ()) -> Redactor:
    """Names of every registered participant and organisation, plus a user word list."""
    people = session.scalars(sa.select(ParticipantContact.full_name)).all()
    orgs = session.scalars(sa.select(Organisation.name)).all()
    terms = name_terms(people)
    terms += [Term(name, ORGANISATION, "organisation") for name in orgs]
    terms += name_terms(extra_words, tag="[PERSON]", kind="word_list")
    return Redactor(terms)


def resolve_speakers(
    session: Session,
    draft: TranscriptDraft,
    mapping: Mapping[str, str],
    facilitator_name: str,
    source: str,
) -> dict[str, SpeakerAssignment]:
    """Label → role/participant. Mapping values are participant codes or role words."""
    codes = dict(session.execute(sa.select(Participant.code, Participant.id)).all())
    resolved: dict[str, SpeakerAssignment] = {}
    for label in draft.speakers:
        target = mapping.get(label)
        if target is None:
            if _FACILITATOR_LABEL.search(label) or (facilitator_name and label == facilitator_name):
                resolved[label] = SpeakerAssignment(SpeakerRole.FACILITATOR)
            else:
                resolved[label] = SpeakerAssignment(SpeakerRole.UNKNOWN)
        elif target.lower() in _ROLE_WORDS:
            resolved[label] = SpeakerAssignment(_ROLE_WORDS[target.lower()])
        elif target in codes:
            resolved[label] = SpeakerAssignment(SpeakerRole.PARTICIPANT, codes[target])
        else:
            raise InputError(
                source,
                None,
                label,
                f"speaker '{label}' is mapped to unknown participant code '{target}'",
            )
    return resolved


def import_transcript(
    session: Session,
    path: Path,
    group_session: GroupSession,
    *,
    fmt: str = "auto",
    speaker_map: Mapping[str, str] | None = None,
    speaker_map_source: str = "speaker map",
    kind: TranscriptKind = TranscriptKind.VERBATIM,
    redactor: Redactor | None = None,
    actor: str = "",
) -> Transcript:
    draft = parse_transcript(path, fmt)
    fmt_name = detect_format(path) if fmt == "auto" else fmt
    speakers = resolve_speakers(
        session, draft, speaker_map or {}, group_session.facilitator, speaker_map_source
    )
    redactor = redactor or redactor_for_study(session)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    batch = ImportBatch(
        kind=ImportKind.TRANSCRIPT,
        file_name=path.name,
        file_sha256=digest,
        file_format=fmt_name,
        actor=actor,
        rows_total=len(draft.segments),
        rows_imported=len(draft.segments),
    )
    session.add(batch)
    session.flush()
    transcript = Transcript(
        session_id=group_session.id,
        name=path.stem,
        kind=kind if draft.verbatim else TranscriptKind.NOTES,
        source_file=path.name,
        source_format=fmt_name,
        source_sha256=digest,
        batch_id=batch.id,
    )
    session.add(transcript)
    session.flush()
    speaker_rows = {
        label: Speaker(
            transcript_id=transcript.id, label=label, role=a.role, participant_id=a.participant_id
        )
        for label, a in speakers.items()
    }
    session.add_all(speaker_rows.values())
    session.flush()
    for position, seg in enumerate(draft.segments):
        text, replacements = redactor.redact(seg.text)
        row = Segment(
            transcript_id=transcript.id,
            position=position,
            speaker_id=speaker_rows[seg.speaker].id if seg.speaker else None,
            start_ms=seg.start_ms,
            end_ms=seg.end_ms,
            text=text,
            raw=SegmentRaw(text=seg.text),
        )
        session.add(row)
        session.flush()
        session.add_all(
            Redaction(
                segment_id=row.id,
                start=r.start,
                end=r.end,
                tag=r.tag,
                kind=r.kind,
                original=r.original,
            )
            for r in replacements
        )
    session.flush()
    return transcript
