"""The demo's recorded session: recording → transcribe → map speakers → (later) code.

A synthetic follow-up call (``recording/followup.ogg``, spoken by espeak-ng from
``recording/script.yaml``) is attached to a new session of a group whose members all
agreed to audio recording, then goes through the same steps as a user's recording:
the consent check, the offline transcription, the import with redaction. The demo then
plays the researcher who listened: it maps S1…S4 to the moderator and the participants
by the script, and hands each turn's sub-code to the simulated coders.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from innostudy.fieldwork.consent import may_record
from innostudy.fieldwork.recordings import add_recording
from innostudy.fieldwork.sessions import add_session
from innostudy.model import FocusGroup, GroupSession, Segment
from innostudy.storage.store import StudyStore
from innostudy.transcripts.audio.accuracy import score
from innostudy.transcripts.audio.pipeline import Options, transcribe
from innostudy.transcripts.importing import run_import
from innostudy.transcripts.speakers import as_speaker_map
from innostudy.transcripts.transcribing import WORK_FOLDER, resolve_source

RECORDING = "followup.ogg"
ACTOR = "innostudy demo"
CALL_GROUP_TYPE = "local_authorities"


@dataclass(frozen=True)
class CallSummary:
    seconds: float
    turns: int
    speakers: int


def transcribe_call(store: StudyStore) -> CallSummary:
    script = yaml.safe_load(files("innostudy.demo").joinpath("recording/script.yaml").read_text())
    speakers: list[str] = script["speakers"]
    with store.session() as s:
        group = _consenting_group(s)
        session_id = _attach(s, store, group)
        codes = [p.code for p in group.participants[: len(speakers) - 1]]
        source = resolve_source(s, store.folder, None, session_id, len(speakers))
    heard = transcribe(
        source.path, Options(speakers=source.speakers), store.files_dir / WORK_FOLDER
    )
    lines = [(line["speaker"], line["text"]) for line in script["lines"]]
    found = score(lines, [(t.speaker or "", t.text) for t in heard.draft.segments])
    role = {"moderator": "facilitator", **dict(zip(speakers[1:], codes, strict=True))}
    seconds = float(heard.details["recording"]["seconds"])
    with store.session() as s:
        call = s.get_one(GroupSession, session_id)
        call.duration_minutes = max(1, math.ceil(seconds / 60))  # as long as its recording
        imported = run_import(
            s,
            source.path,
            call,
            speaker_map=as_speaker_map(
                {label: role[who] for label, who in found.mapping.items()}, "the demo's listener"
            ),
            actor=ACTOR,
            draft=heard.draft,
            detail={**heard.details, "recording_id": source.recording_id},
        )
        turns = s.scalar(
            sa.select(sa.func.count())
            .select_from(Segment)
            .where(Segment.transcript_id == imported.transcript.id)
        )
    heard.checkpoint.discard()
    # The simulated coders read these turns like every other (demo/autocoding.py).
    return CallSummary(seconds, turns or 0, len(speakers))


def _consenting_group(session: Session) -> FocusGroup:
    """A group in which everyone agreed to audio recording and nobody withdrew; the
    local authorities first, as the call's script speaks from a council's world."""
    groups = session.scalars(sa.select(FocusGroup).order_by(FocusGroup.id)).all()
    ordered = sorted(groups, key=lambda g: g.group_type.key != CALL_GROUP_TYPE)
    for group in ordered:
        if all(may_record(p.consent, "audio") for p in group.participants):
            return group
    raise AssertionError("the demo needs a group whose members all agreed to audio recording")


def _attach(session: Session, store: StudyStore, group: FocusGroup) -> int:
    first = group.sessions[0] if group.sessions else None
    added = add_session(
        session,
        group,
        name=f"{group.name} follow-up call (synthetic recording)",
        session_date=first.session_date + timedelta(days=14)
        if first and first.session_date
        else None,
        facilitator=first.facilitator if first else "Facilitator",
        notes_md="Synthetic recording: a short follow-up call, spoken by espeak-ng.",
    )
    packaged = files("innostudy.demo").joinpath(f"recording/{RECORDING}")
    scratch = store.files_dir / "follow-up-call-synthetic.ogg"
    with packaged.open("rb") as source, scratch.open("wb") as target:
        shutil.copyfileobj(source, target)
    add_recording(session, store.folder, added, scratch)
    scratch.unlink()
    return added.id
