"""`code suggest` that suggests nothing says why, and what to run instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fieldwork.conftest import Study, study

__all__ = ["study"]  # the fixture, used by name

LONG = "we spent the first year writing a business case nobody read properly"


@pytest.fixture(autouse=True)
def _hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOSTUDY_ENCODER", "hashing")


def _import(cli: Cli, study: Study, tmp_path: Path, text: str) -> None:
    path = tmp_path / "session.txt"
    path.write_text(text, encoding="utf-8")
    args = ("--study", study.folder, "transcripts", "import", path, "--session", study.session_id)
    result = cli(*args)
    assert result.exit_code == 0, result.stderr


def _suggest(cli: Cli, study: Study, *args: object) -> str:
    result = cli("--study", study.folder, "code", "suggest", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def test_no_transcript(cli: Cli, study: Study) -> None:
    assert _suggest(cli, study) == (
        "No suggestions: the study has no transcript turns yet; import a transcript with "
        "`innostudy transcripts import FILE --session ID`."
    )


def test_speakers_not_mapped(cli: Cli, study: Study, tmp_path: Path) -> None:
    _import(cli, study, tmp_path, f"Speaker 1: {LONG}\nSpeaker 2: {LONG} again\n")
    assert _suggest(cli, study) == (
        "No suggestions: none of the 2 turns in the study is by a mapped participant "
        "(2 speaker labels not mapped: Speaker 1, Speaker 2); map them with "
        "`innostudy transcripts map-speakers 1`."
    )


def test_only_the_facilitator_speaks(cli: Cli, study: Study, tmp_path: Path) -> None:
    _import(cli, study, tmp_path, f"Facilitator: {LONG}\n")
    assert _suggest(cli, study, "--transcript", "1") == (
        "No suggestions: the only turn in transcript 1 is by the facilitator or "
        "note-taker; check the speakers with `innostudy transcripts show ID`."
    )


def test_turns_too_short_then_all_coded(cli: Cli, study: Study, tmp_path: Path) -> None:
    _import(cli, study, tmp_path, "Zoë Hartley: Budgets run yearly.\nSiân Price: Exactly.\n")
    assert _suggest(cli, study) == (
        "No suggestions: all 2 uncoded participant turns in the study are shorter "
        "than 8 words; lower --min-words to include them."
    )
    for segment in (1, 2):
        coded = cli("--study", study.folder, "code", "apply", segment, "costs", "-c", "ana")
        assert coded.exit_code == 0, coded.stderr
    assert _suggest(cli, study, "--min-words", "1") == (
        "No suggestions: all 2 participant turns in the study are already coded by a "
        "person; see them with `innostudy code list`."
    )


def test_everyone_who_speaks_withdrew(cli: Cli, study: Study, tmp_path: Path) -> None:
    _import(cli, study, tmp_path, f"Zoë Hartley: {LONG}\n")
    withdrawn = cli("--study", study.folder, "consent", "withdraw", study.codes[0])
    assert withdrawn.exit_code == 0, withdrawn.stderr
    assert _suggest(cli, study) == (
        "No suggestions: the participants who speak in the study have withdrawn, so their "
        "words are not analysed; see `innostudy participants list`."
    )
