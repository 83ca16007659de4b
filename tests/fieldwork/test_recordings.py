"""Recordings: copied into the study folder with a SHA-256 that later reveals any change."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.fieldwork.recordings import add_recording
from innostudy.fieldwork.sessions import find_session
from innostudy.model import Recording
from innostudy.storage.store import StudyStore
from tests.conftest import Cli
from tests.fieldwork.conftest import Study


def audio(tmp_path: Path, content: bytes = b"RIFF....WAVEfmt synthetic") -> Path:
    path = tmp_path / "session.wav"
    path.write_bytes(content)
    return path


def test_add_recording_copies_and_checksums(cli: Cli, study: Study, tmp_path: Path) -> None:
    source = audio(tmp_path)
    result = cli("--study", study.folder, "sessions", "add-recording", study.session_id, source)
    assert result.exit_code == 0 and result.stdout == "1\n"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    stored = study.folder / "files" / "recordings" / f"session-{study.session_id}" / "session.wav"
    assert stored.read_bytes() == source.read_bytes()
    assert f"sha256 {digest}" in result.stderr
    # The fixture's participants agreed to audio, none to video.
    assert "Warning" not in result.stderr
    with StudyStore.open(study.folder) as store, store.session() as s:
        row = s.scalars(sa.select(Recording)).one()
        assert (row.sha256, row.size_bytes, row.media_type) == (
            digest,
            len(source.read_bytes()),
            "audio/x-wav",
        )
    verify = cli("--study", study.folder, "sessions", "verify-recordings")
    assert verify.exit_code == 0 and verify.stdout.startswith("1  ok  files/recordings/")


def test_a_changed_or_missing_recording_fails_verification(
    cli: Cli, study: Study, tmp_path: Path
) -> None:
    cli("--study", study.folder, "sessions", "add-recording", study.session_id, audio(tmp_path))
    stored = next((study.folder / "files" / "recordings").rglob("session.wav"))
    stored.write_bytes(b"edited")
    result = cli("--study", study.folder, "sessions", "verify-recordings")
    assert result.exit_code == 1
    assert "checksum differs: the file was changed after it was added" in result.stdout
    assert result.stderr.strip() == "Error: 1 of 1 recordings failed verification"
    stored.unlink()
    assert (
        "1  missing  files/recordings/"
        in cli("--study", study.folder, "sessions", "verify-recordings").stdout
    )


def test_the_same_file_twice_and_video_consent(cli: Cli, study: Study, tmp_path: Path) -> None:
    source = audio(tmp_path)
    base = ["--study", study.folder, "sessions", "add-recording", study.session_id]
    assert cli(*base, source).exit_code == 0
    before = study.snapshot()
    again = cli(*base, source)
    assert (again.exit_code, again.stderr.strip()) == (
        1,
        f"Error: {source}: this file is already recording 1 of this session",
    )
    assert study.snapshot() == before
    video = tmp_path / "session.mp4"
    video.write_bytes(b"not really a video")
    result = cli(*base, video)
    assert result.exit_code == 0
    assert "Warning: SCS-01 has not agreed to video recording (not_asked)" in result.stderr


def test_a_failed_unit_of_work_leaves_no_copy_behind(study: Study, tmp_path: Path) -> None:
    source = audio(tmp_path)

    def add_then_fail(store: StudyStore) -> None:
        with store.session() as s:
            add_recording(s, store.folder, find_session(s, study.session_id), source)
            assert list((study.folder / "files").rglob("session.wav"))
            raise RuntimeError("something later in the same unit of work failed")

    with StudyStore.open(study.folder) as store:
        with pytest.raises(RuntimeError):
            add_then_fail(store)
        assert not list((study.folder / "files").rglob("session.wav"))
