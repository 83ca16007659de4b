"""The pipeline steps judged from plain facts: what is done, what to run next, and why."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from innostudy.status import DONE, LATER, NOTE, TODO
from innostudy.status.facts import Facts, Unmapped
from innostudy.status.steps import all_steps, first
from tests.conftest import Cli

T1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def finished(**changes: object) -> Facts:
    """A study where every step is done; tests change one thing at a time."""
    facts = Facts(
        study_name="S",
        folder=Path("/s"),
        instrument_file="instrument.yaml",
        questions=24,
        sections=5,
        organisations=3,
        with_link=3,
        responses={"submitted": 3},
        last_answer_at=T1,
        analysis_at=T2,
        briefing_at=T2,
        group_types=["cs_senior"],
        groups=["Seniors"],
        participants=["SCS-01", "SCS-02"],
        may_quote=2,
        sessions=[(1, "Seniors session")],
        transcripts=1,
        turns=5,
        participant_turns=3,
        codes=31,
        areas=5,
        coded_turns=1,
        accepted=2,
        people={"ana": 1, "ben": 1},
        suggestions_made=3,
        quotes=1,
        usable_quotes=1,
        narrative=True,
        report_at=T2,
        last_change_at=T1,
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def judged(facts: Facts) -> dict[str, str]:
    return {s.name: s.state for s in all_steps(facts)}


def next_of(facts: Facts) -> tuple[str, str] | None:
    found = first(all_steps(facts), TODO)
    return (found.command, found.reason) if found else None


def test_a_finished_study_has_nothing_to_do() -> None:
    assert next_of(finished()) is None
    assert set(judged(finished()).values()) == {DONE, NOTE}  # reliability is a note


@pytest.mark.parametrize(
    ("changes", "command"),
    [
        ({"organisations": 0}, "innostudy survey invite ORGANISATIONS.csv"),
        ({"responses": {"invited": 3}}, "innostudy survey import RESPONSES.csv"),
        ({"analysis_at": None}, "innostudy analyse"),
        ({"briefing_at": None}, "innostudy brief"),
        ({"groups": []}, "innostudy groups add NAME --type TYPE"),
        ({"participants": []}, "innostudy participants add --group Seniors --name 'FULL NAME'"),
        ({"no_consent": ["SCS-02"]}, "innostudy consent record SCS-02 --audio yes --quotation yes"),
        ({"sessions": []}, "innostudy sessions add --group Seniors --date YYYY-MM-DD"),
        (
            {"transcripts": 0, "sessions_without_transcript": [(1, "Seniors session")]},
            "innostudy transcripts import FILE --session 1",
        ),
        (
            {"participant_turns": 0, "unmapped": [Unmapped(4, "teams", ["Speaker 3"])]},
            "innostudy transcripts map-speakers 4",
        ),
        ({"accepted": 0, "people": {}}, "innostudy code suggest"),
        (
            {"accepted": 0, "people": {}, "open_suggestions": [7, 8]},
            "innostudy code review 7 --coder NAME --accept",
        ),
        ({"usable_quotes": 0, "quotable_coding": 12}, "innostudy quotes add 12"),
        ({"usable_quotes": 0}, "innostudy participants list"),
        (
            {"quote_problem": "Q-1, field 'text': quote is no longer verbatim"},
            "innostudy quotes list",
        ),
        ({"narrative": False}, "innostudy report init"),
        ({"report_at": None}, "innostudy report"),
    ],
)
def test_the_first_missing_step_gives_the_next_command(
    changes: dict[str, object], command: str
) -> None:
    found = next_of(finished(**changes))
    assert found is not None and found[0] == command


def test_stale_outputs_are_redone_with_the_times_as_reason() -> None:
    later = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    found = next_of(finished(last_answer_at=later))
    assert found == (
        "innostudy analyse",
        "the analysis (2026-03-02 09:00 UTC) is older than the latest answer "
        "(2026-03-03 09:00 UTC)",
    )
    found = next_of(finished(last_change_at=later, analysis_at=later, briefing_at=later))
    assert found is not None and found[0] == "innostudy report"
    assert "is older than the latest change (2026-03-03 09:00 UTC)" in found[1]


def test_unmapped_speakers_do_not_block_when_other_turns_can_be_coded() -> None:
    facts = finished(unmapped=[Unmapped(4, "teams", ["Speaker 3", "Guest"])])
    assert judged(facts)["Speakers"] == NOTE and next_of(facts) is None
    note = first(all_steps(facts), NOTE)
    assert note is not None and note.command == "innostudy transcripts map-speakers 4"
    assert note.reason == (
        "2 speaker labels in transcript 4 (teams) are not mapped to a participant, "
        "so their turns cannot be coded"
    )


def test_reliability_waits_for_a_second_person() -> None:
    steps = {s.name: s for s in all_steps(finished(people={"ana": 2}))}
    assert (steps["Reliability"].state, steps["Reliability"].summary) == (
        LATER,
        "needs a second person coding the same turns",
    )


def test_the_printed_status_ends_with_the_next_command(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "s").exit_code == 0
    result = cli("--study", tmp_path / "s", "status")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2] == " 1 ✓ Instrument    24 questions in 5 sections (instrument.yaml)"
    assert lines[3] == " 2 · Invitations   no organisation registered"
    assert lines[-2:] == [
        "Next: innostudy survey invite ORGANISATIONS.csv",
        "  because no organisation is registered yet: invite the organisations in scope "
        "(a CSV or XLSX with organisation, type, contact, email); each gets a personal "
        "survey link in a mail-merge file.",
    ]
