"""`code matrix --unit` counts people or groups and says what it divides by."""

from __future__ import annotations

from tests.conftest import Cli

from .conftest import SmallStudy


def test_the_matrix_by_participant_states_its_base(small_study: SmallStudy, cli: Cli) -> None:
    result = cli("--study", small_study.folder, "code", "matrix", "group", "--unit", "participant")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    approval = next(line for line in lines if line.startswith("costs.approval "))
    assert approval.split()[1:] == ["2", "0"]  # ana's main coding: SCS-01 and SCS-02
    assert lines[-1] == (
        "Base (participants who spoke): Senior civil servants group 2, Business group 2"
    )


def test_groups_raising_a_theme_by_sector(small_study: SmallStudy, cli: Cli) -> None:
    result = cli("--study", small_study.folder, "code", "matrix", "sector", "--unit", "group")
    assert result.exit_code == 0, result.stderr
    risk = next(line for line in result.stdout.splitlines() if line.startswith("barriers.risk "))
    assert risk.split()[1:] == ["1", "1"]
    assert result.stdout.splitlines()[-1] == "Base (groups): Civil service 1, Comparison 1"


def test_co_occurrence_by_participant(small_study: SmallStudy, cli: Cli) -> None:
    result = cli(
        "--study", small_study.folder, "code", "matrix", "cooccurrence", "--unit", "participant"
    )
    assert result.exit_code == 0, result.stderr
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[2:]}
    header = result.stdout.splitlines()[0].split()
    # SCS-01 raised approval and risk; BUS-01 users and risk; SCS-02 approval and budgeting
    assert rows["barriers.risk"][header.index("costs.approval")] == "1"
    assert rows["barriers.risk"][header.index("origins.users")] == "1"
    assert rows["barriers.risk"][header.index("barriers.risk")] == "2"


def test_an_unknown_unit_is_one_line(small_study: SmallStudy, cli: Cli) -> None:
    result = cli("--study", small_study.folder, "code", "matrix", "group", "--unit", "person")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: --unit, field 'unit': 'person' is not one of turn, participant, group"
    )
