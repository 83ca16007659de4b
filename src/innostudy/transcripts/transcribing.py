"""Which recording to transcribe, for which session, and whether that is allowed.

Everything checkable is checked before the long part starts: the session exists, its
recording is attached and unchanged (SHA-256), every participant agreed to audio
recording, the number of speakers is known, and the transcript is not already there.
The check of consent is repeated when the transcript is stored, in case it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from innostudy.errors import InnostudyError, InputError
from innostudy.fieldwork.recordings import sha256_of, without_consent
from innostudy.fieldwork.sessions import find_session
from innostudy.model import GroupSession
from innostudy.transcripts.importing import refuse_duplicate

WORK_FOLDER = "transcribing"  # under the study's files/: finished chunks of unfinished runs


@dataclass(frozen=True)
class Source:
    path: Path
    session_id: int | None
    recording_id: int | None
    speakers: int


def resolve_source(
    session: Session,
    study_folder: Path,
    recording: Path | None,
    session_id: int | None,
    speakers: int | None,
    *,
    again: bool = False,
) -> Source:
    """The file to hear and the session it belongs to, or a one-line reason why not."""
    target = find_session(session, session_id) if session_id is not None else None
    recording_id = None
    if recording is None:
        if target is None:
            raise InnostudyError("name a recording file, or a session with --session ID")
        recording, recording_id = _attached(target, study_folder)
    elif not recording.is_file():
        raise InputError(recording, None, None, "file not found")
    if target is not None:
        refuse_without_consent(target)
        if not again:
            refuse_duplicate(session, recording, sha256_of(recording), target)
    count = speakers if speakers is not None else default_speakers(target)
    if count is None:
        raise InnostudyError(
            "pass --speakers N: without a session in a focus group, the number of people "
            "in the recording is not known"
        )
    if count < 1:
        raise InputError("--speakers", None, "speakers", "must be at least 1")
    return Source(recording, session_id, recording_id, count)


def _attached(target: GroupSession, study_folder: Path) -> tuple[Path, int]:
    recordings = target.recordings
    if not recordings:
        raise InnostudyError(
            f"session {target.id} has no recording attached: "
            f"`innostudy sessions add-recording {target.id} FILE`, or name the file"
        )
    if len(recordings) > 1:
        ids = ", ".join(str(r.id) for r in recordings)
        raise InnostudyError(
            f"session {target.id} has {len(recordings)} recordings (IDs {ids}): name the file"
        )
    rec = recordings[0]
    path = study_folder / rec.file_path
    if not path.is_file():
        raise InputError(path, None, None, f"recording {rec.id} is missing from the study folder")
    if sha256_of(path) != rec.sha256:
        raise InputError(
            path,
            None,
            None,
            f"recording {rec.id} was changed after it was added (its SHA-256 differs); "
            "`innostudy sessions verify-recordings` lists every such file",
        )
    return path, rec.id


def refuse_without_consent(target: GroupSession) -> None:
    missing = without_consent(target, "audio")
    if missing:
        raise InnostudyError(
            f"session {target.id} is not transcribed: {'; '.join(missing)}. "
            "Record the consent (`innostudy consent record`) or leave this recording untranscribed"
        )


def default_speakers(target: GroupSession | None) -> int | None:
    """The group's participants plus the moderator; unknown outside a focus group."""
    if target is None or target.focus_group is None:
        return None
    return len(target.focus_group.participants) + 1
