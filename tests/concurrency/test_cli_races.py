"""Commands that two people (or one person in two shells) run at the same instant.

Each command runs in its own process, released together once every interpreter is up.
The expected outcome is SQLite's, whose write lock queues writers: the second command
sees what the first wrote, so it succeeds idempotently or says one clean line.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.model import Coder, CoderKind, Coding, CodingStatus, Organisation, Response
from tests.concurrency.team import ORG_TYPE, TeamStudy, assert_clean, run_together

pytestmark = pytest.mark.slow
ROWS = 3000  # long enough that the two imports overlap


def _new_organisations_file(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["organisation", "organisation_type", "status", "innovation_title"])
        for i in range(count):
            writer.writerow([f"New agency {i:03d}", ORG_TYPE, "draft", f"Innovation {i}"])
    return path


def test_two_imports_adding_the_same_new_organisations(team: TeamStudy, tmp_path: Path) -> None:
    file = _new_organisations_file(tmp_path / "wave-2.csv", ROWS)
    first, second = run_together(team.folder, [["survey", "import", str(file)]] * 2)
    for result in (first, second):
        assert result.exit_code == 0, result.stderr
        assert_clean(result)
    # one created them all, the other found them already there, unchanged
    said = sorted(r.stdout for r in (first, second))
    assert any(f"{ROWS} new" in s for s in said), said
    assert any(f"{ROWS} unchanged" in s for s in said), said
    with team.open() as store, store.session() as s:
        names = s.scalars(sa.select(Organisation.name).where(Organisation.name.like("New %")))
        assert len(list(names)) == ROWS
        assert s.scalar(sa.select(sa.func.count()).select_from(Response)) == ROWS


def _codings(team: TeamStudy, coder: str) -> list[Coding]:
    with team.open() as store, store.session() as s:
        return list(s.scalars(sa.select(Coding).join(Coder).where(Coder.name == coder)))


@pytest.mark.parametrize("trial", [1, 2])
def test_one_coder_applies_the_same_code_from_three_shells(team: TeamStudy, trial: int) -> None:
    coder = f"ana-{trial}"  # a coder not yet known: creating it is part of the race
    segment = team.segments[trial]
    apply = ["code", "apply", str(segment), "costs", "--coder", coder]
    results = run_together(team.folder, [apply] * 3)
    for result in results:
        assert result.exit_code == 0, result.stderr
        assert_clean(result)
    codings = _codings(team, coder)
    assert len(codings) == 1
    assert {r.stdout.split(":")[0] for r in results} == {f"Coding {codings[0].id}"}


def test_removing_and_memoing_one_coding_at_once(team: TeamStudy) -> None:
    [applied] = run_together(team.folder, [["code", "apply", "1", "costs", "-c", "ben"]])
    assert applied.exit_code == 0, applied.stderr
    coding_id = _codings(team, "ben")[0].id
    removes = run_together(team.folder, [["code", "remove", str(coding_id), "-c", "ben"]] * 2)
    for result in removes:
        assert_clean(result)
    # the first removes it; the second finds nothing to remove and says so in one line
    assert sorted(r.exit_code for r in removes) == [0, 1]
    assert any(f"no coding with ID {coding_id}" in r.stderr for r in removes)
    assert _codings(team, "ben") == []

    run_together(team.folder, [["code", "apply", "2", "costs", "-c", "ben"]])
    coding_id = _codings(team, "ben")[0].id
    memos = run_together(
        team.folder,
        [["code", "memo", str(coding_id), f"memo {n}", "-c", "ben"] for n in (1, 2)],
    )
    for result in memos:
        assert result.exit_code == 0, result.stderr
        assert_clean(result)
    assert _codings(team, "ben")[0].memo in ("memo 1", "memo 2")


def test_two_suggestion_runs_at_once(team: TeamStudy) -> None:
    results = run_together(team.folder, [["code", "suggest", "--min-words", "3"]] * 2)
    for result in results:
        assert result.exit_code == 0, result.stderr
        assert_clean(result)
    with team.open() as store, store.session() as s:
        models = s.scalars(sa.select(Coder).where(Coder.kind == CoderKind.MODEL)).all()
        assert len(models) == 1
        open_per_segment = s.execute(
            sa.select(Coding.segment_id, sa.func.count())
            .where(Coding.status == CodingStatus.SUGGESTED)
            .group_by(Coding.segment_id)
        ).all()
    # the later run replaced the earlier one's suggestions: one open suggestion a turn
    assert len(open_per_segment) == len(team.segments)
    assert {n for _, n in open_per_segment} == {1}
