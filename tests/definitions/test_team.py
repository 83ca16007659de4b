"""One database, many folders: what each colleague's folder may do (SQLite and PostgreSQL).

The race of issue 18: `groups plan` from a folder with an older group_types.yaml silently
put the old group types back over a colleague's change. Now it is refused with the
difference and the commands to refresh or adopt, and the study keeps the change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from innostudy.definitions.revisions import history
from innostudy.model import GroupType
from innostudy.storage.store import StudyStore
from tests.conftest import Cli
from tests.definitions.conftest import edit

SCS = "    short_label: Senior civil servants group"
SCS_ANA = "    short_label: Senior civil servants (SCS)"


@pytest.fixture
def folders(cli: Cli, tmp_path: Path, database_url: str) -> tuple[Path, Path]:
    """Ana's folder, where the study was created, and Ben's, attached to its database."""
    ana, ben = tmp_path / "ana", tmp_path / "ben"
    assert cli("--database-url", database_url, "init", ana).exit_code == 0
    attached = cli("--database-url", database_url, "attach", ben)
    assert attached.exit_code == 0, attached.stderr
    assert attached.stdout.splitlines()[:2] == [
        f"Attached {ben.resolve()} to the study in the database",
        "  files of its definitions: instrument, codebook, group_types, areas",
    ]
    return ana, ben


def _labels(folder: Path) -> dict[str, str]:
    with StudyStore.open(folder) as store, store.session() as s:
        return {g.key: g.short_label for g in s.scalars(sa.select(GroupType))}


def test_a_colleagues_folder_starts_in_step(cli: Cli, folders: tuple[Path, Path]) -> None:
    ana, ben = folders
    for name in ("instrument.yaml", "codebook.yaml", "group_types.yaml", "areas.yaml"):
        assert (ben / name).read_text("utf-8") == (ana / name).read_text("utf-8")
    status = cli("--study", ben, "definitions", "status")
    assert status.exit_code == 0
    assert status.stdout.splitlines()[1].split()[-2:] == ["in", "step"]


def _ana_renames_the_senior_group(cli: Cli, ana: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "ana")
    edit(ana / "group_types.yaml", SCS, SCS_ANA)
    adopted = cli("--study", ana, "definitions", "import", ana / "group_types.yaml")
    assert adopted.exit_code == 0, adopted.stderr
    assert _labels(ana)["cs_senior"] == "Senior civil servants (SCS)"


def test_groups_plan_from_a_stale_folder_is_refused(
    cli: Cli, folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben = folders
    _ana_renames_the_senior_group(cli, ana, monkeypatch)

    monkeypatch.setenv("USER", "ben")
    refused = cli("--study", ben, "groups", "plan")
    assert refused.exit_code == 1
    first, *diff = refused.stderr.splitlines()
    assert first.startswith(
        "Error: group_types.yaml is revision 1 of the group types, but the study is at "
        "revision 2 (ana, "
    )
    assert first.endswith(
        ": changed group type 'cs_senior' (short_label)); refresh it with "
        "`innostudy definitions export group_types`"
    )
    assert diff[:2] == ["--- study database, revision 2", "+++ group_types.yaml in this folder"]
    assert f"-{SCS_ANA}" in diff and f"+{SCS}" in diff
    assert _labels(ben)["cs_senior"] == "Senior civil servants (SCS)"  # ana's change holds

    refreshed = cli("--study", ben, "definitions", "export", "group_types")
    assert refreshed.stdout.strip() == f"group_types: {ben / 'group_types.yaml'} (was stale)"
    planned = cli("--study", ben, "groups", "plan")
    assert planned.exit_code == 0, planned.stderr
    assert "Senior civil servants (SCS) (cs_senior, civil_service, 6-12)" in planned.stdout
    assert _labels(ben)["cs_senior"] == "Senior civil servants (SCS)"


def test_importing_an_edited_stale_file_is_refused_unless_forced(
    cli: Cli, folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben = folders
    _ana_renames_the_senior_group(cli, ana, monkeypatch)
    edit(ben / "group_types.yaml", "    max_size: 12", "    max_size: 9")
    status = cli("--study", ben, "definitions", "status")
    assert "stale, edited (from revision 1)" in status.stdout

    monkeypatch.setenv("USER", "ben")
    refused = cli("--study", ben, "definitions", "import", ben / "group_types.yaml")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0].startswith(
        f"Error: {ben / 'group_types.yaml'} was made from revision 1 of the group types, but the "
        "study is at revision 2 (ana, "
    )
    assert "adopting it would undo that." in refused.stderr
    with StudyStore.open(ben) as store, store.session() as s:
        assert [r.number for r in history(s, "group_types")] == [1, 2]

    forced = cli("--study", ben, "definitions", "import", ben / "group_types.yaml", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stdout.splitlines()[:2] == [
        f"{ben / 'group_types.yaml'} is now the study's group types: revision 3 (was revision 2).",
        "  changes: changed group type 'cs_project' (max_size); changed group type 'cs_senior' "
        "(short_label)",
    ]
    history_out = cli("--study", ana, "definitions", "history", "group_types").stdout
    assert [line.split()[0] for line in history_out.splitlines()[1:]] == ["1", "2", "3"]
    assert "ben" in history_out.splitlines()[3]


def test_a_folder_that_has_not_refreshed_never_rewrites_the_study(
    cli: Cli, folders: tuple[Path, Path]
) -> None:
    """Commands that change the codebook refuse beside a stale codebook.yaml (which they
    would overwrite) instead of working from it."""
    ana, ben = folders
    assert cli("--study", ana, "code", "add", "barriers.rules", "Rules").exit_code == 0
    refused = cli("--study", ben, "code", "add", "barriers.money", "Money")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: codebook.yaml is revision 1 of the codebook")
    assert cli("--study", ben, "definitions", "export").exit_code == 0
    assert cli("--study", ben, "code", "add", "barriers.money", "Money").exit_code == 0
    text = (ana / "codebook.yaml").read_text("utf-8")
    assert "barriers.rules" in text and "barriers.money" not in text  # ana's folder: stale now
    assert cli("--study", ana, "definitions", "export", "codebook").exit_code == 0
    assert "barriers.money" in (ana / "codebook.yaml").read_text("utf-8")


def test_attach_needs_a_study_database(cli: Cli, tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    result = cli("--database-url", empty, "attach", tmp_path / "x")
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        f"Error: sqlite:///{tmp_path / 'empty.db'} holds no study; create one there with "
        "`innostudy --database-url URL init DIR`",
    )
    assert not (tmp_path / "x").exists()
    no_url = cli("attach", tmp_path / "x")
    assert no_url.stderr.strip() == (
        "Error: attach needs the study's database: `innostudy --database-url URL attach DIR`"
    )
