"""Recordings kept in the study folder with SHA-256 checksums, so tampering or loss shows.

A file is copied to ``files/recordings/session-<id>/`` before its row is written; if
the unit of work then fails, the copy is removed again, so the folder and the database
never disagree.
"""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from innostudy.atomic import atomic_path
from innostudy.errors import InputError
from innostudy.fieldwork.consent import has_withdrawn, may_record
from innostudy.model import ConsentChoice, GroupSession, Participant, Recording
from innostudy.storage.study_folder import FILES_DIR

RECORDINGS_DIR = "recordings"
_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def add_recording(
    session: Session, study_folder: Path, group_session: GroupSession, source: Path
) -> Recording:
    """Copy ``source`` into the study folder and record its checksum and size."""
    if not source.is_file():
        raise InputError(source, None, None, "file not found")
    digest = sha256_of(source)
    duplicate = session.scalar(
        sa.select(Recording.id).where(
            Recording.session_id == group_session.id, Recording.sha256 == digest
        )
    )
    if duplicate is not None:
        raise InputError(
            source, None, None, f"this file is already recording {duplicate} of this session"
        )
    relative = _free_name(study_folder, group_session.id, source.name)
    target = study_folder / relative
    with atomic_path(target) as partial:
        shutil.copyfile(source, partial)
    event.listen(session, "after_rollback", lambda _s: target.unlink(missing_ok=True), once=True)
    row = Recording(
        session_id=group_session.id,
        file_path=relative.as_posix(),
        sha256=digest,
        size_bytes=target.stat().st_size,
        media_type=mimetypes.guess_type(source.name)[0] or "application/octet-stream",
    )
    session.add(row)
    session.flush()
    return row


def _free_name(folder: Path, session_id: int, name: str) -> Path:
    base = Path(FILES_DIR, RECORDINGS_DIR, f"session-{session_id}")
    candidate, n = base / name, 1
    while (folder / candidate).exists():
        n += 1
        candidate = base / f"{Path(name).stem}-{n}{Path(name).suffix}"
    return candidate


def consent_warnings(group_session: GroupSession, media_type: str) -> list[str]:
    """Participants of the session's group who did not agree to being recorded this way."""
    return without_consent(group_session, "video" if media_type.startswith("video/") else "audio")


def without_consent(group_session: GroupSession, kind: str) -> list[str]:
    """One line per participant of the session's group who did not agree to ``kind`` recording."""
    if group_session.focus_group is None:
        return []
    return [
        f"{p.code} has not agreed to {kind} recording ({_state(p, kind)})"
        for p in group_session.focus_group.participants
        if not may_record(p.consent, kind)
    ]


def _state(p: Participant, kind: str) -> str:
    if has_withdrawn(p.consent):
        return "withdrawn"
    choice: ConsentChoice = getattr(p.consent, kind) if p.consent else ConsentChoice.NOT_ASKED
    return choice.value


@dataclass(frozen=True)
class RecordingCheck:
    recording_id: int
    path: str
    problem: str | None  # None: the file is there and unchanged


def verify_recordings(session: Session, study_folder: Path) -> list[RecordingCheck]:
    """Recompute every checksum: a missing or altered file is named."""
    checks = []
    for rec in session.scalars(sa.select(Recording).order_by(Recording.id)):
        path = study_folder / rec.file_path
        if not path.is_file():
            problem: str | None = "missing"
        elif sha256_of(path) != rec.sha256:
            problem = "checksum differs: the file was changed after it was added"
        else:
            problem = None
        checks.append(RecordingCheck(rec.id, rec.file_path, problem))
    return checks
