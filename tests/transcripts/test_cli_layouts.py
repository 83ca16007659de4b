"""`transcripts import` with --dry-run, --layout, --speaker-pattern and --speakers pairs,
and bad input (binary, truncated, too big, a huge line, UTF-16), through the real CLI."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.model import ImportBatch, Speaker
from innostudy.storage.store import StudyStore
from innostudy.transcripts.formats.limits import MAX_LINE_CHARS, MAX_TRANSCRIPT_BYTES
from tests.conftest import Cli
from tests.fieldwork.conftest import Study

REAL = Path(__file__).parent / "fixtures" / "real"


def run(cli: Cli, study: Study, *args: object) -> tuple[int, str, str]:
    result = cli("--study", study.folder, "transcripts", *args)
    return result.exit_code, result.stdout, result.stderr


def test_a_dry_run_shows_layout_speakers_and_first_turns_and_stores_nothing(
    cli: Cli, study: Study
) -> None:
    before = study.snapshot()
    code, out, err = run(
        cli,
        study,
        "import",
        REAL / "interview_labels_alone.txt",
        "--session",
        study.session_id,
        "--dry-run",
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:3] == [
        f"Dry run of {REAL / 'interview_labels_alone.txt'}: nothing is stored.",
        "Layout: label-line (the label alone on its line, one or more paragraphs below)",
        "5 turns, 2 speakers, 46 words",
    ]
    assert "Note: front matter skipped (lines 1-7)" in lines
    assert "  Interviewer      3      21  facilitator (the session's facilitator or note-taker, " \
        "or a role word in the label)" in lines  # fmt: skip
    assert "  Participant      2      25  unknown (not mapped yet)" in lines
    assert "  Interviewer: Thanks for joining. Can you tell me about your role?" in lines
    assert lines[-1] == (
        f"To map speakers in the same step: innostudy transcripts import "
        f"{REAL / 'interview_labels_alone.txt'} --speakers Participant=CODE"
    )
    assert study.snapshot() == before


def test_speakers_typed_as_pairs_map_in_the_same_step(cli: Cli, study: Study) -> None:
    pairs = f"participant={study.codes[1]}, Interviewer=facilitator"
    code, out, err = run(
        cli,
        study,
        "import",
        REAL / "interview_labels_alone.txt",
        "--session",
        study.session_id,
        "--speakers",
        pairs,
    )
    assert code == 0, err
    assert out.splitlines()[1] == (
        "Layout: label-line (the label alone on its line, one or more paragraphs below)"
    )
    assert f"  Participant → {study.codes[1]}" in out
    assert "Note: front matter skipped (lines 1-7)" in out.splitlines()
    with StudyStore.open(study.folder) as store, store.session() as s:
        roles = {sp.label: sp.role.value for sp in s.scalars(sa.select(Speaker))}
        detail = s.scalars(sa.select(ImportBatch.detail)).one()
    assert roles == {"Interviewer": "facilitator", "Participant": "participant"}
    assert detail["layout"] == "label-line"
    assert detail["notes"] == ["front matter skipped (lines 1-7)"]


def test_a_pair_for_a_speaker_the_file_lacks_is_a_warning(cli: Cli, study: Study) -> None:
    code, _, err = run(
        cli, study, "import", REAL / "zoom_clock.txt", "--speakers", "Noor Hadad=facilitator"
    )
    assert code == 0
    assert err.strip() == (
        "Warning: --speakers names 'Noor Hadad', which the transcript does not have "
        "(its speakers: Noor Haddad, Tomasz Krol)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--speakers", "Ana"],
            "Error: --speakers: 'Ana' is neither a speaker map file nor LABEL=CODE pairs "
            '(e.g. "Ana=BUS-01")',
        ),
        (
            ["--speakers", "Ana=SCS-01,Ben"],
            "Error: --speakers: 'Ben' is not LABEL=CODE (e.g. \"Ana=BUS-01\")",
        ),
        (
            ["--layout", "columns"],
            "Error: --layout: unknown layout 'columns' (one of: inline, label-line, otter, bold, "
            "bracketed, heading, paragraphs)",
        ),
        (
            ["--speaker-pattern", "^(?P<who>[^:]+):"],
            "Error: --speaker-pattern: needs a group named speaker, e.g. '^(?P<speaker>[^:]+):'",
        ),
        (
            ["--speaker-pattern", "^(?P<speaker>[^:]+:"],
            "Error: --speaker-pattern: not a regular expression: missing ), unterminated "
            "subpattern at position 1",
        ),
    ],
)
def test_bad_options_are_one_line_and_change_nothing(
    cli: Cli, study: Study, args: list[str], message: str
) -> None:
    before = study.snapshot()
    code, out, err = run(cli, study, "import", REAL / "wrapped_labels.txt", *args)
    assert (code, out, err.strip()) == (1, "", message)
    assert study.snapshot() == before


def test_a_layout_for_subtitles_is_refused(cli: Cli, study: Study) -> None:
    code, _, err = run(cli, study, "import", REAL / "fragment.vtt", "--layout", "inline")
    assert code == 1
    assert err.strip() == (
        f"Error: {REAL / 'fragment.vtt'}: subtitle cues have no layout to choose; --layout and "
        "--speaker-pattern apply to text, Markdown and Word files"
    )


def test_a_pattern_reads_what_no_layout_knows(cli: Cli, study: Study, tmp_path: Path) -> None:
    path = tmp_path / "minutes.txt"
    path.write_text(
        "-- Noor -- We start with costs.\n-- Tomasz -- They ran over.\n-- Noor -- By much?\n",
        encoding="utf-8",
    )
    code, out, err = run(
        cli, study, "import", path, "--speaker-pattern", r"^-- (?P<speaker>\w+) --"
    )
    assert code == 0, err
    assert "3 turns" in out.splitlines()[0]
    assert out.splitlines()[1] == (
        "Layout: pattern (turns start where your --speaker-pattern matches)"
    )


def _bad(cli: Cli, study: Study, path: Path) -> str:
    before = study.snapshot()
    code, out, err = run(cli, study, "import", path, "--session", study.session_id)
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1
    assert study.snapshot() == before
    return err.strip()


def test_a_binary_file_named_txt(cli: Cli, study: Study, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    assert _bad(cli, study, path) == f"Error: {path}: is a PDF document, not text"


def test_a_truncated_word_file(cli: Cli, study: Study, tmp_path: Path) -> None:
    whole = tmp_path / "whole.docx"
    with zipfile.ZipFile(whole, "w") as z:
        z.writestr("word/document.xml", "<w:document/>" * 200)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(whole.read_bytes()[:60])
    assert _bad(cli, study, cut) == (
        f"Error: {cut}: not a Word document (.docx files are zip packages)"
    )


def test_a_file_over_the_transcript_limit(cli: Cli, study: Study, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_TRANSCRIPT_BYTES + 1)
    assert _bad(cli, study, path) == (
        f"Error: {path}: is larger than 16 MiB; a transcript is at most that size: split the "
        "file into one per session"
    )


@pytest.mark.slow
def test_a_huge_single_line(cli: Cli, study: Study, tmp_path: Path) -> None:
    path = tmp_path / "one_line.txt"
    path.write_text("Ana: " + "word " * (MAX_LINE_CHARS // 5 + 10), encoding="utf-8")
    assert _bad(cli, study, path) == (
        f"Error: {path}, line 1: is 1,000,055 characters long, more than any transcript line "
        "(1,000,000); is this a transcript with line breaks?"
    )


def test_a_long_line_under_the_limit_is_one_turn(cli: Cli, study: Study, tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Ana: " + "word " * 100_000 + "\nBen: short\n", encoding="utf-8")
    code, out, err = run(cli, study, "import", path)
    assert code == 0, err
    assert ", 2 turns," in out.splitlines()[0]


def test_wrong_bytes_for_the_encoding_name_their_line(
    cli: Cli, study: Study, tmp_path: Path
) -> None:
    path = tmp_path / "t.vtt"
    cue = "00:00:01.000 --> 00:00:02.000\nZoë: all fine here\n\n"
    path.write_bytes(("WEBVTT\n\n" + cue * 4).encode("utf-16-le") + b"\x00\xd8")
    assert _bad(cli, study, path) == (
        f"Error: {path}, line 15: not readable as UTF-16 LE (no BOM) text"
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_utf16_transcript_imports_through_the_reader(
    cli: Cli, study: Study, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "windows.txt"
    text = "Interviewer:\r\n\r\nWhere did it start?\r\n\r\nZoë Hartley:\r\n\r\nIn the café.\r\n"
    path.write_bytes(text.encode(encoding))
    code, out, err = run(cli, study, "import", path, "--session", study.session_id)
    assert code == 0, err
    assert ", 2 turns," in out.splitlines()[0]
    assert out.splitlines()[1].startswith("Layout: label-line")
    assert f"  Zoë Hartley → {study.codes[0]}" in out


def test_a_subtitle_file_cut_off_mid_timing(cli: Cli, study: Study, tmp_path: Path) -> None:
    path = tmp_path / "cut.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ana>We started.\n\n00:00:03.500 --> 00:00:0",
        encoding="utf-8",
    )
    assert _bad(cli, study, path) == (
        f"Error: {path}, line 6, field 'timestamp': cue ends (00:00:0) before it starts "
        "(00:00:03.500)"
    )
