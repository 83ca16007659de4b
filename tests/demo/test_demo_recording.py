"""The demo's recorded session goes recording → transcript → speakers → codes."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from innostudy.demo.build import DemoSummary
from innostudy.fieldwork.recordings import verify_recordings
from innostudy.model import Coding, ImportBatch, Recording, Segment, Transcript
from innostudy.storage.store import StudyStore


def test_the_recorded_call_is_transcribed_mapped_and_coded(demo_study: DemoSummary) -> None:
    with StudyStore.open(demo_study.folder) as store, store.session() as s:
        transcript = s.scalars(
            sa.select(Transcript).where(Transcript.source_format == "audio")
        ).one()
        recording = s.scalars(
            sa.select(Recording).where(Recording.session_id == transcript.session_id)
        ).one()
        assert transcript.source_sha256 == recording.sha256
        assert "synthetic recording" in transcript.session.name
        assert all(check.problem is None for check in verify_recordings(s, store.folder))
        detail = s.get_one(ImportBatch, transcript.batch_id).detail
        assert detail["model"]["name"] == "Whisper tiny.en (faster-whisper, int8)"
        assert detail["recording_id"] == recording.id and detail["speakers"] == 4
        roles = Counter(sp.role.value for sp in transcript.speakers)
        assert roles == {"facilitator": 1, "participant": 3}
        segments = transcript.segments
        assert len(segments) >= 10
        assert [seg.start_ms for seg in segments] == sorted(seg.start_ms or 0 for seg in segments)
        coded = s.scalar(
            sa.select(sa.func.count(sa.distinct(Coding.segment_id)))
            .join(Segment)
            .where(Segment.transcript_id == transcript.id)
        )
        assert coded >= 6  # the nine answers, less any the recogniser garbled
    assert not (demo_study.folder / "files" / "transcribing").exists() or not any(
        (demo_study.folder / "files" / "transcribing").iterdir()
    )
