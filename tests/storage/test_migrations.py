"""Migrations from empty to head equal the model, on both backends, and the open policy holds."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from innostudy.errors import DatabaseError
from innostudy.storage import upgrade
from innostudy.storage.upgrade import (
    alembic_config,
    current_revision,
    head_revision,
    prepare_schema,
)


def test_upgrade_from_empty_matches_the_model(
    database_url: str, engines: Callable[[str], sa.Engine]
) -> None:
    engine = engines(database_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.begin() as conn:
        command.check(alembic_config(conn))  # raises if the schema drifted from the model
    assert current_revision(engine) == head_revision()


def test_create_all_and_migrations_give_the_same_schema(
    database_url: str, tmp_path: Path, engines: Callable[[str], sa.Engine]
) -> None:
    engine = engines(database_url)
    assert prepare_schema(engine, None).action == "created"
    with engine.begin() as conn:
        command.check(alembic_config(conn))
    assert prepare_schema(engine, None).action == "current"


def test_tables_without_a_revision_are_refused(
    tmp_path: Path, engines: Callable[[str], sa.Engine]
) -> None:
    engine = engines(f"sqlite:///{tmp_path / 'other.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY)"))
    with pytest.raises(DatabaseError, match="not an innostudy database"):
        prepare_schema(engine, tmp_path / "other.db")


def test_a_newer_revision_is_refused(tmp_path: Path, engines: Callable[[str], sa.Engine]) -> None:
    engine = engines(f"sqlite:///{tmp_path / 'new.db'}")
    prepare_schema(engine, None)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(DatabaseError, match="written by a newer innostudy"):
        prepare_schema(engine, tmp_path / "new.db")


@pytest.fixture
def newer_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the shipped migrations plus one more, as the next release would have."""
    target = tmp_path / "migrations"
    shutil.copytree(upgrade.MIGRATIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    (target / "versions" / "9999_next.py").write_text(
        "from alembic import op\n"
        "import sqlalchemy as sa\n"
        f"revision = '9999'\ndown_revision = '{head}'\nbranch_labels = None\ndepends_on = None\n"
        "def upgrade() -> None:\n"
        "    with op.batch_alter_table('study') as b:\n"
        "        b.add_column(sa.Column('extra', sa.String(10), nullable=True))\n"
        "def downgrade() -> None:\n"
        "    pass\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(upgrade, "MIGRATIONS_DIR", target)
    return "9999"


def test_an_old_sqlite_study_is_backed_up_then_upgraded(
    tmp_path: Path, newer_migrations: str, engines: Callable[[str], sa.Engine]
) -> None:
    db = tmp_path / "study.db"
    engine = engines(f"sqlite:///{db}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(
            sa.text(
                "INSERT INTO study (name, synthetic, created_at, settings) VALUES ('x', 0, '2026-01-01', '{}')"
            )
        )
    state = prepare_schema(engine, db)
    assert state.action == "upgraded"
    assert state.backup is not None and state.backup.exists()
    with sqlite3.connect(state.backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT name FROM study").fetchone() == ("x",)
    assert current_revision(engine) == newer_migrations
    assert "extra" in {c["name"] for c in sa.inspect(engine).get_columns("study")}


@pytest.mark.postgres
def test_an_old_postgres_study_is_not_upgraded_on_open(
    pg_url: str, newer_migrations: str, engines: Callable[[str], sa.Engine]
) -> None:
    engine = engines(pg_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    with pytest.raises(DatabaseError, match="innostudy db upgrade"):
        prepare_schema(engine, None)
    assert current_revision(engine) == "0001"
