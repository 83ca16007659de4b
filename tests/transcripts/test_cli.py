"""`innostudy transcripts …` through the real entry point, on a small real study."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.model import GroupSession, Segment, SegmentRaw, Speaker, Transcript
from innostudy.storage.store import StudyStore
from tests.conftest import Cli
from tests.fieldwork.conftest import Study

FIXTURES = Path(__file__).parent / "fixtures"


def run(cli: Cli, study: Study, *args: object) -> tuple[int, str, str]:
    result = cli("--study", study.folder, "transcripts", *args)
    return result.exit_code, result.stdout, result.stderr


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_import_maps_speakers_by_name_and_redacts(cli: Cli, study: Study) -> None:
    code, out, err = run(
        cli, study, "import", FIXTURES / "teams.vtt", "--session", study.session_id
    )
    assert code == 0, err
    assert out.splitlines()[0] == (
        f"Transcript 1: teams (vtt, verbatim), 6 turns, into session {study.session_id} "
        '"Senior civil servants session"'
    )
    assert "  Zoë Hartley → SCS-01" in out and "  Facilitator → facilitator" in out
    code, out, _ = run(cli, study, "show", "1", "--format", "jsonl")
    rows = jsonl(out)
    assert [(r["speaker"], r["participant"], r["start"], r["end"]) for r in rows] == [
        ("Facilitator", None, "00:00:03.450", "00:00:07.890"),
        ("Zoë Hartley", "SCS-01", "00:00:08.100", "00:00:15.250"),
        ("Siân Price", "SCS-02", "00:00:14.900", "00:00:16.000"),
        ("Łukasz Nowak", "SCS-03", "00:00:14.900", "00:00:16.000"),
        ("Zoë Hartley", "SCS-01", "00:00:16.200", "00:00:21.400"),
        ("Facilitator", None, "00:00:22.000", "00:00:24.000"),
    ]
    assert rows[-1]["text"] == "[PARTICIPANT], is that your experience?"
    with StudyStore.open(study.folder) as store, store.session() as s:
        raw = s.scalar(sa.select(SegmentRaw.text).join(Segment).where(Segment.position == 5))
    assert raw == "Siân, is that your experience?"


def test_import_without_a_session_makes_one_named_after_the_file(cli: Cli, study: Study) -> None:
    code, out, err = run(cli, study, "import", FIXTURES / "otter.txt")
    assert code == 0, err
    assert "(txt, verbatim), 4 turns" in out
    assert "\nLayout: otter (name and time on one line" in out
    assert "`innostudy sessions assign" in out
    with StudyStore.open(study.folder) as store, store.session() as s:
        made = s.scalars(sa.select(GroupSession).where(GroupSession.name == "otter")).one()
        assert made.focus_group_id is None
        roles = {sp.label: sp.role.value for sp in s.scalars(sa.select(Speaker))}
    assert roles == {
        "Facilitator": "facilitator",
        "Zoë Hartley": "participant",  # a full name is enough, whatever the session
        "Unknown Speaker": "unknown",
        "Łukasz Nowak": "participant",
    }
    code, out, _ = run(cli, study, "list", "--format", "jsonl")
    (row,) = jsonl(out)
    assert (row["format"], row["segments"], row["unmapped_speakers"], row["group"]) == (
        "txt",
        4,
        1,
        None,
    )


def test_a_name_in_the_file_name_is_redacted_in_the_transcript_and_session_names(
    cli: Cli, study: Study, tmp_path: Path
) -> None:
    named = tmp_path / "Interview_zoe-hartley.txt"
    shutil.copyfile(FIXTURES / "otter.txt", named)
    code, out, err = run(cli, study, "import", named)
    assert code == 0, err
    assert out.splitlines()[0].startswith("Transcript 1: Interview_[PARTICIPANT]-[PARTICIPANT] (")
    with StudyStore.open(study.folder) as store, store.session() as s:
        transcript = s.scalars(sa.select(Transcript)).one()
        assert transcript.name == "Interview_[PARTICIPANT]-[PARTICIPANT]"
        assert transcript.source_file == named.name  # the raw layer keeps what came in
        session = s.get(GroupSession, transcript.session_id)
        assert session is not None and session.name == transcript.name


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("bad_time.vtt", "auto", "line 8, field 'timestamp': '00:00:61.000' is not a cue time"),
        ("bad_time.srt", "srt", "line 6, field 'timestamp': '00:00:75,000' is not a cue time"),
        ("missing_timing.srt", "srt", "line 5: expected a cue number and a timing line"),
    ],
)
def test_a_malformed_file_changes_nothing(
    cli: Cli, study: Study, name: str, fmt: str, message: str
) -> None:
    before = study.snapshot()
    code, out, err = run(cli, study, "import", FIXTURES / name, "--format", fmt)
    assert code == 1 and out == ""
    assert err.startswith(f"Error: {FIXTURES / name}, {message}")
    assert len(err.strip().splitlines()) == 1
    assert study.snapshot() == before


def test_a_fake_docx_changes_nothing(cli: Cli, study: Study, tmp_path: Path) -> None:
    fake = tmp_path / "t.docx"
    shutil.make_archive(str(tmp_path / "t"), "zip", FIXTURES)
    (tmp_path / "t.zip").rename(fake)
    before = study.snapshot()
    code, _, err = run(cli, study, "import", fake, "--session", study.session_id)
    assert code == 1
    assert err.strip() == (
        f"Error: {fake}: not a Word document: the package holds no word/document.xml "
        "(another zip file)"
    )
    assert study.snapshot() == before


def test_an_unknown_code_in_the_speaker_map_changes_nothing(
    cli: Cli, study: Study, tmp_path: Path
) -> None:
    speakers = tmp_path / "speakers.yaml"
    speakers.write_text("Facilitator: facilitator\nZoë Hartley: SCS-09\n", encoding="utf-8")
    before = study.snapshot()
    code, _, err = run(cli, study, "import", FIXTURES / "teams.vtt", "--speakers", speakers)
    assert code == 1
    assert err.strip() == (
        f"Error: {speakers}, line 2, field 'Zoë Hartley': "
        "speaker 'Zoë Hartley' is mapped to unknown participant code 'SCS-09'"
    )
    assert study.snapshot() == before


def test_an_unknown_session_changes_nothing(cli: Cli, study: Study) -> None:
    before = study.snapshot()
    code, _, err = run(cli, study, "import", FIXTURES / "zoom.vtt", "--session", "99")
    assert (code, err.strip()) == (
        1,
        ("Error: no session with ID 99; list them with `innostudy sessions list`"),
    )
    assert study.snapshot() == before


def test_the_same_file_twice_needs_again(cli: Cli, study: Study) -> None:
    args = ("import", FIXTURES / "zoom.vtt", "--session", study.session_id)
    assert run(cli, study, *args)[0] == 0
    before = study.snapshot()
    code, _, err = run(cli, study, *args)
    assert (code, err.strip()) == (
        1,
        f"Error: {FIXTURES / 'zoom.vtt'}: this file is already transcript 1 of session "
        f"{study.session_id}; pass --again to import it once more",
    )
    assert study.snapshot() == before
    assert run(cli, study, *args, "--again")[0] == 0


def test_speaker_map_file_template_and_prompt(
    cli: Cli, study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(cli, study, "import", FIXTURES / "rev.txt", "--session", study.session_id)[0] == 0
    template = tmp_path / "map.yaml"
    code, _, _ = run(cli, study, "map-speakers", "1", "--template", template)
    text = template.read_text(encoding="utf-8")
    assert code == 0 and "Speaker 1:   # unmapped, 2 turns" in text
    assert "Siân Price: SCS-02  # 1 turns" in text
    template.write_text(text.replace("Speaker 1:", "Speaker 1: moderator"), encoding="utf-8")
    code, out, err = run(cli, study, "map-speakers", "1", "--file", template)
    assert (code, out.strip(), err) == (0, "Speaker 1: unknown → facilitator", "")
    monkeypatch.setattr(sys, "stdin", io.StringIO("nobody\nscs-03\n\n"))
    code, out, _ = run(cli, study, "map-speakers", "1", "--all")
    assert code == 0
    assert "Not a code of this group or a role: nobody" in out
    assert "Speaker 1: facilitator → SCS-03" in out
    with StudyStore.open(study.folder) as store, store.session() as s:
        assert [(sp.label, sp.role.value) for sp in s.scalars(sa.select(Speaker))] == [
            ("Speaker 1", "participant"),
            ("Siân Price", "participant"),
        ]


def test_redaction_report_lists_originals_or_counts(cli: Cli, study: Study) -> None:
    run(cli, study, "import", FIXTURES / "teams.vtt", "--session", study.session_id)
    code, out, _ = run(cli, study, "redaction-report", "--format", "jsonl")
    assert code == 0
    assert [(r["tag"], r["original"], r["position"]) for r in jsonl(out)] == [
        ("[PARTICIPANT]", "Siân", 5)
    ]
    _, out, _ = run(cli, study, "redaction-report", "--summary")
    assert out.strip() == "Transcript 1: 1 replacement (participant 1)"
    code, _, err = run(cli, study, "redaction-report", "7")
    assert (code, err.strip()) == (
        1,
        ("Error: no transcript with ID 7; list them with `innostudy transcripts list`"),
    )


def test_show_withholds_a_withdrawn_participants_words(cli: Cli, study: Study) -> None:
    run(cli, study, "import", FIXTURES / "zoom.vtt", "--session", study.session_id)
    assert cli("--study", study.folder, "consent", "withdraw", "scs-03").exit_code == 0
    _, out, _ = run(cli, study, "show", "1", "--format", "jsonl")
    assert [r["speaker"] for r in jsonl(out)] == ["Facilitator", "Siân Price"]
    _, out, _ = run(cli, study, "show", "1")
    assert "SCS-03 (withdrawn)  [withdrawn: kept for audit only]" in out
    assert "I lead a digital team" not in out
    _, out, _ = run(cli, study, "show", "1", "--format", "jsonl", "--include-withdrawn")
    flagged = [r for r in jsonl(out) if r["withdrawn"]]
    assert [r["text"] for r in flagged] == ["I lead a digital team in a regional agency."]


class LockProbe(io.StringIO):
    """Standard input that notes, at each answer, whether another writer could get in."""

    def __init__(self, text: str, db: Path) -> None:
        super().__init__(text)
        self.db = db
        self.writable: list[bool] = []

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        other = sqlite3.connect(self.db, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
            self.writable.append(True)
        except sqlite3.OperationalError:
            self.writable.append(False)
        finally:
            other.close()
        return super().readline(size if size is not None else -1)


def test_speaker_prompts_do_not_hold_the_write_lock(
    cli: Cli, study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person answering prompts must not stop the web app from saving drafts meanwhile."""
    assert run(cli, study, "import", FIXTURES / "rev.txt", "--session", study.session_id)[0] == 0
    probe = LockProbe("scs-03\n\n", study.folder / "study.db")
    monkeypatch.setattr(sys, "stdin", probe)
    code, out, _ = run(cli, study, "map-speakers", "1", "--all")
    assert code == 0 and "Speaker 1: unknown → SCS-03" in out
    assert probe.writable and all(probe.writable)
