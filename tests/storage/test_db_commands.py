"""`innostudy db …` against databases it cannot or should not change: one line each."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from innostudy.storage.engine import display_url
from innostudy.storage.store import StudyStore
from innostudy.studies import init_study
from tests.conftest import Cli


def test_upgrade_refuses_a_schema_from_a_newer_innostudy(
    tmp_path: Path, database_url: str, cli: Cli
) -> None:
    folder = init_study(tmp_path / "s", database_url=database_url)
    with StudyStore.open(folder) as store, store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'i99z'"))
        where = display_url(store.engine.url)
    result = cli("--study", folder, "db", "upgrade")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {where} is at schema revision i99z, written by a newer innostudy; upgrade "
        "innostudy (pip install -U innostudy) instead of the database\n"
    )
    with StudyStore.open(folder, prepare=False) as store, store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "i99z"
    current = cli("--study", folder, "db", "current")
    assert current.exit_code == 0
    assert current.stdout.startswith("database: i99z  this innostudy: ")
