"""Bad input to `transcripts transcribe`: one line naming the problem, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fieldwork.conftest import Study


def refused(cli: Cli, study: Study, *args: object) -> str:
    before = study.snapshot()
    result = cli("--study", study.folder, "transcripts", "transcribe", *args)
    assert result.exit_code == 1, result.stdout
    assert study.snapshot() == before
    assert len(result.stderr.strip().splitlines()) == 1
    return result.stderr.strip()


def test_a_file_that_is_not_a_recording(cli: Cli, study: Study, tmp_path: Path) -> None:
    notes = tmp_path / "notes.mp3"
    notes.write_text("Minutes of the meeting, not a recording.", encoding="utf-8")
    assert refused(cli, study, notes, "--speakers", "3") == (
        f"Error: {notes}: not a recording this tool can read, or a damaged one "
        "(invalid data found when processing input)"
    )


def test_a_truncated_wav(cli: Cli, study: Study, recording_copy: Path) -> None:
    data = recording_copy.read_bytes()
    recording_copy.write_bytes(data[: len(data) // 2])
    message = refused(cli, study, recording_copy, "--speakers", "4")
    assert message.startswith(f"Error: {recording_copy}: truncated: the file says it holds ")
    assert message.endswith(" is there; copy the recording again from its source")


def test_an_unknown_session(cli: Cli, study: Study) -> None:
    assert refused(cli, study, "--session", "99") == (
        "Error: no session with ID 99; list them with `innostudy sessions list`"
    )


def test_a_session_without_a_recording(cli: Cli, study: Study) -> None:
    assert refused(cli, study, "--session", study.session_id) == (
        f"Error: session {study.session_id} has no recording attached: "
        f"`innostudy sessions add-recording {study.session_id} FILE`, or name the file"
    )


def test_an_attached_recording_changed_since(cli: Cli, study: Study, recording_copy: Path) -> None:
    added = cli(
        "--study", study.folder, "sessions", "add-recording", study.session_id, recording_copy
    )
    assert added.exit_code == 0, added.stderr
    stored = next((study.folder / "files" / "recordings").rglob("*.wav"))
    stored.write_bytes(stored.read_bytes()[:-2] + b"\x01\x01")
    assert refused(cli, study, "--session", study.session_id) == (
        f"Error: {stored}: recording 1 was changed after it was added (its SHA-256 differs); "
        "`innostudy sessions verify-recordings` lists every such file"
    )


def test_no_session_and_no_speaker_count(cli: Cli, study: Study, recording_copy: Path) -> None:
    assert refused(cli, study, recording_copy) == (
        "Error: pass --speakers N: without a session in a focus group, the number of people "
        "in the recording is not known"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "huge"], "Error: unknown model 'huge': choose one of tiny, base"),
        (
            ["--language", "fr"],
            "Error: Whisper tiny.en understands English only; for 'fr' use --model base",
        ),
        (["--speakers", "0"], "Error: --speakers, field 'speakers': must be at least 1"),
    ],
)
def test_options_that_cannot_work(
    cli: Cli, study: Study, recording_copy: Path, args: list[str], message: str
) -> None:
    speakers = [] if "--speakers" in args else ["--speakers", "2"]
    assert refused(cli, study, recording_copy, *speakers, *args) == message


def test_a_missing_file(cli: Cli, study: Study, tmp_path: Path) -> None:
    missing = tmp_path / "gone.wav"
    assert refused(cli, study, missing, "--speakers", "2") == f"Error: {missing}: file not found"
