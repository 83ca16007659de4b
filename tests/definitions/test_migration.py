"""A study made before definitions lived in the database gets them from its files, once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command

from innostudy.definitions.revisions import history
from innostudy.definitions.text import body_of
from innostudy.reporting.outline import default_narrative_dir
from innostudy.storage.store import StudyStore
from innostudy.storage.upgrade import alembic_config, current_revision, head_revision
from innostudy.studies import init_study
from tests.conftest import Cli

FILES = {
    "instrument": "instrument.yaml",
    "codebook": "codebook.yaml",
    "group_types": "group_types.yaml",
    "areas": "areas.yaml",
    "outline": "narrative/outline.yaml",
}


def _as_before_issue_18(folder: Path) -> None:
    """The database one revision back (no definition table) and files without stamps."""
    with StudyStore.open(folder) as store, store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "i18a")
    shutil.copytree(default_narrative_dir(), folder / "narrative")
    for name in FILES.values():
        path = folder / name
        text = path.read_text("utf-8")
        path.write_text(body_of(text).replace("Impacts", "Impacts (as the folder had it)"), "utf-8")


def _check_first_revisions(folder: Path) -> None:
    with StudyStore.open(folder) as store, store.session() as s:
        for name, file in FILES.items():
            (row,) = history(s, name)
            assert (row.number, row.actor) == (1, "innostudy db upgrade (i18b)")
            assert row.content == (folder / file).read_text("utf-8")
            assert row.summary == f"read from {Path(file).name} when the database was upgraded"


def test_a_laptop_study_is_upgraded_on_open(tmp_path: Path) -> None:
    folder = init_study(tmp_path / "old")
    _as_before_issue_18(folder)
    with StudyStore.open(folder) as store:
        assert store.schema.action == "upgraded" and store.schema.backup is not None
    _check_first_revisions(folder)
    with StudyStore.open(folder) as store:  # once: a second open reads nothing again
        assert store.schema.action == "current"
        with store.session() as s:
            assert [r.number for r in history(s, "areas")] == [1]


@pytest.mark.postgres
def test_a_team_study_is_upgraded_by_db_upgrade(cli: Cli, tmp_path: Path, pg_url: str) -> None:
    folder = init_study(tmp_path / "old", database_url=pg_url)
    _as_before_issue_18(folder)
    refused = cli("--study", folder, "definitions", "status")
    assert refused.exit_code == 1 and "run `innostudy db upgrade`" in refused.stderr
    upgraded = cli("--study", folder, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    with StudyStore.open(folder) as store:
        assert current_revision(store.engine) == head_revision()
    _check_first_revisions(folder)
    status = cli("--study", folder, "definitions", "status")
    assert status.exit_code == 0 and status.stdout.count("in step") == 5
