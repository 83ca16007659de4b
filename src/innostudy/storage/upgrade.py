"""Schema policy when a study is opened, and the migration commands behind `innostudy db`.

- An empty database gets ``create_all`` and is stamped at head (fast, and what the
  migrations are tested to equal).
- A SQLite database behind head is backed up next to itself, then upgraded; the caller
  tells the user where the backup is.
- A PostgreSQL database behind head is never upgraded on open: a team server may have
  several processes and a DBA; the error names the command to run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from innostudy.errors import DatabaseError
from innostudy.model import Base
from innostudy.storage.engine import display_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(
    connection: Connection | None = None, files: Mapping[str, Path] | None = None
) -> Config:
    """``files`` are the study folder's definition files, which data migrations may read."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    cfg.attributes["definition_files"] = dict(files or {})
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class SchemaState:
    action: str  # "created", "current" or "upgraded"
    revision: str
    backup: Path | None = None


def _is_empty(engine: Engine) -> bool:
    return not sa.inspect(engine).get_table_names()


def create_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        command.stamp(alembic_config(conn), "head")


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def newer_schema(engine: Engine, current: str) -> DatabaseError:
    return DatabaseError(
        f"{display_url(engine.url)} is at schema revision {current}, written by a newer "
        "innostudy; upgrade innostudy (pip install -U innostudy) instead of the database"
    )


def upgrade_schema(engine: Engine, files: Mapping[str, Path] | None = None) -> None:
    """Migrate to head; a database from a newer innostudy is refused, never touched."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise newer_schema(engine, current)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn, files), "head")


def backup_sqlite(db_path: Path, revision: str) -> Path:
    """Copy a live SQLite database with its online backup API (safe with WAL)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.name}.{revision}.{stamp}.bak")
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def prepare_schema(
    engine: Engine, sqlite_path: Path | None, files: Mapping[str, Path] | None = None
) -> SchemaState:
    """Bring the schema to head following the policy in the module docstring."""
    head = head_revision()
    if _is_empty(engine):
        create_schema(engine)
        return SchemaState("created", head)
    current = current_revision(engine)
    where = display_url(engine.url)
    if current is None:
        raise DatabaseError(
            f"{where} holds tables but is not an innostudy database (no schema revision)"
        )
    if current == head:
        return SchemaState("current", head)
    if current not in known_revisions():
        raise newer_schema(engine, current)
    if sqlite_path is None:
        raise DatabaseError(
            f"{where} is at schema revision {current} and this innostudy needs {head}; "
            "back it up, then run `innostudy db upgrade`"
        )
    backup = backup_sqlite(sqlite_path, current)
    upgrade_schema(engine, files)
    return SchemaState("upgraded", head, backup)
